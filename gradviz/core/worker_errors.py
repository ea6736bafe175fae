"""How the evaluation worker's jobs fail: :class:`WorkerError` and its messages.

Torch-free and Qt-free (the UI imports it to show failures).
"""

from __future__ import annotations

import signal

from gradviz.core.errors import InputError
from gradviz.core.worker_child import memory_cap_text


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
    fields = {key: data[key] for key in ("code", "params", "text", "column")}
    return InputError(data["message"], **fields)


def timeout_message(limit: float, starting: bool = False) -> str:
    """What a timeout says (``starting``: the worker's start-up)."""
    if starting:
        return f"The worker process did not start within {limit:g} s."
    return (
        f"The evaluation took longer than {limit:g} s and was stopped. "
        "If it is only slow, raise the limit (--timeout)."
    )


_SIGNAL_MEANINGS = {
    "SIGSEGV": "a segmentation fault: native code (ctypes, an extension) read or wrote "
    "invalid memory",
    "SIGBUS": "a bus error: native code accessed invalid memory",
    "SIGABRT": "an abort: native code gave up, often after a failed memory allocation "
    "(std::bad_alloc) or a failed assertion",
    "SIGFPE": "a floating-point exception in native code",
}


def crash_error(exitcode: int | None, max_memory: int | None, starting: bool) -> WorkerError:
    """A WorkerError that says how the child died and what that means."""
    when = "while starting" if starting else "while evaluating"
    restarted = "" if starting else " It was restarted."
    details = {"exitcode": exitcode}
    if exitcode is None or exitcode >= 0:
        return WorkerError(
            "crash",
            f"The worker process exited {when} with code {exitcode} (the code called "
            f"os._exit() or a native library ended the process).{restarted}",
            details,
        )
    try:
        name = signal.Signals(-exitcode).name
    except ValueError:
        name = f"signal {-exitcode}"
    details["signal"] = name
    if name == "SIGKILL":  # our own kills never get here, so: the OOM killer
        message = (
            f"The worker process was killed (SIGKILL) {when}, most likely by the system's "
            f"out-of-memory killer ({memory_cap_text(max_memory)}).{restarted}"
        )
        return WorkerError("memory", message, details)
    meaning = _SIGNAL_MEANINGS.get(name, f"signal {name}")
    message = f"The worker process crashed {when} with {meaning} ({name}).{restarted}"
    return WorkerError("crash", message, details)
