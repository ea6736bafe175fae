"""How the evaluation worker's jobs fail: :class:`WorkerError` and its messages.

Torch-free and Qt-free (the UI imports it to show failures).
"""

from __future__ import annotations

import signal

from gradviz.core.errors import InputError, render
from gradviz.core.runtime.worker_child import memory_cap_text


class WorkerError(Exception):
    """A job failed in the worker; ``kind`` says how, ``details`` holds plain data.

    Kinds: ``timeout``, ``memory``, ``crash`` (the child died), ``user_error``
    (an :class:`InputError`; :meth:`EvaluationWorker.run` re-raises it as one),
    ``script_error`` (the user's script raised; ``details["traceback"]`` shows
    only the user's frames), ``invalid`` (the child sent something that is not a
    valid reply), ``internal`` (full traceback). ``details["output"]``
    holds what the job printed, when it got that far.
    """

    def __init__(self, kind: str, message: str, details: dict | None = None) -> None:
        super().__init__(message)
        self.kind = kind
        self.message = message
        self.details = dict(details or {})


def input_error(data: dict) -> InputError:
    """The InputError that a reply's plain data describes (its message is rendered anew)."""
    return InputError(data["code"], data.get("params"), text=data.get("text"),
                      column=data.get("column"))


#: The error code (:mod:`gradviz.core.error_messages`) of each kind of WorkerError.
WORKER_CODES = {"timeout": "worker_timeout", "memory": "worker_memory", "crash": "worker_crash",
                "invalid": "worker_invalid", "script_error": "script_error",
                "internal": "worker_internal"}


def timeout_message(limit: float, starting: bool = False) -> str:
    """What a timeout says on the command line (``starting``: the worker's start-up)."""
    code = "worker_start_timeout" if starting else "worker_timeout"
    return render(code, {"timeout": float(limit)}, cli=True)


_SIGNAL_MEANINGS = {
    "SIGSEGV": "a segmentation fault: native code (ctypes, an extension) read or wrote "
    "invalid memory",
    "SIGBUS": "a bus error: native code accessed invalid memory",
    "SIGABRT": "an abort: native code gave up, often after a failed memory allocation "
    "(std::bad_alloc) or a failed assertion",
    "SIGFPE": "a floating-point exception in native code",
}


def crash_error(exitcode: int | None, max_memory: int | None, starting: bool) -> WorkerError:
    """A WorkerError that says how the child died and what that means (``details["code"]``:
    its sentence; ``details["note"]``: the English explanation, which the window shows
    only in English)."""
    when = "while starting" if starting else "while evaluating"
    code = "worker_start_crash" if starting else "worker_crash"
    details: dict = {"exitcode": exitcode, "code": code}
    if exitcode is None or exitcode >= 0:
        details["note"] = (f"It exited {when} with code {exitcode} (the code called "
                           "os._exit() or a native library ended the process).")
        return WorkerError("crash", render(code, details), details)
    try:
        name = signal.Signals(-exitcode).name
    except ValueError:
        name = f"signal {-exitcode}"
    details["signal"] = name
    if name == "SIGKILL":  # our own kills never get here, so: the OOM killer
        details["note"] = (f"It was killed (SIGKILL) {when}, most likely by the system's "
                           f"out-of-memory killer ({memory_cap_text(max_memory)}).")
        return WorkerError("memory", render("worker_memory", details), details)
    meaning = _SIGNAL_MEANINGS.get(name, f"signal {name}")
    details["note"] = f"It crashed {when} with {meaning} ({name})."
    return WorkerError("crash", render(code, details), details)
