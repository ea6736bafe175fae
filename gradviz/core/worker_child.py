"""The evaluation worker's child process: start-up, memory cap, and running jobs.

:mod:`gradviz.core.worker` spawns :func:`child_main` (spawned, never forked: Qt
and CUDA do not survive fork). The child imports torch at start-up, ignores
SIGINT, leads its own process group (a kill also takes what a script started)
and exits when its parent dies. Its memory cap is ``RLIMIT_AS`` (address space),
set *after* torch is imported and warmed up: CPU torch maps ~0.65 GiB on import
and ~0.8 GiB after a backward; under ~0.7 GiB the import itself fails. The cap
includes that baseline, and rules out CUDA, whose start-up reserves far more
address space than memory.

Imported by the parent too, for the spawn target: it must not import torch or Qt
at module level.
"""

from __future__ import annotations

import contextlib
import importlib
import io
import multiprocessing
import multiprocessing.connection
import os
import signal
import sys
import threading
import traceback

from gradviz.core.errors import InputError

OUTPUT_LIMIT = 20_000  # characters of a job's stdout/stderr sent back


def memory_cap_text(limit: int | None) -> str:
    """How error messages name the memory cap, e.g. ``memory cap 4 GiB``."""
    return f"memory cap {limit / 2**30:g} GiB" if limit else "no memory cap"



def child_main(conn, max_memory: int | None, preload: tuple[str, ...]) -> None:
    """Entry point of the child: start up, say ready, then run jobs until told to stop."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    with contextlib.suppress(OSError, AttributeError):
        os.setpgrp()
    _exit_with_parent()
    try:
        for name in preload:
            importlib.import_module(name)
        _warm_up()
        cap = _limit_memory(max_memory)
    except BaseException:
        conn.send(("failed", {"traceback": traceback.format_exc()}))
        return
    conn.send(("ready", {"pid": os.getpid(), "memory_limit": cap}))
    while True:
        try:
            target, payload = conn.recv()
        except (EOFError, OSError):
            return
        reply = _run_job(target, payload, cap)
        try:
            conn.send(reply)
        except Exception as exc:  # the result could not be pickled
            details = {"traceback": traceback.format_exc(), "output": reply[-1]}
            conn.send(
                ("error", "internal", f"The job's result cannot be sent back: {exc}", details)
            )


def _exit_with_parent() -> None:
    """Exit as soon as the parent dies, even while a job runs (a watcher thread)."""
    parent = multiprocessing.parent_process()
    if parent is None:
        return

    def watch() -> None:
        multiprocessing.connection.wait([parent.sentinel])
        os._exit(70)

    threading.Thread(target=watch, name="gradviz-parent-watch", daemon=True).start()


def _warm_up() -> None:
    """Run a tiny backward so torch's thread pools exist before the memory cap is set.

    With gradviz's jobs preloaded, build a tiny Snapshot instead: it also pays
    the first-use costs (torchviz's import, the explanation rules) ahead of need.
    """
    if "gradviz.core.jobs" in sys.modules:
        jobs = sys.modules["gradviz.core.jobs"]
        jobs.build_snapshot_job({"expression": "x*x", "variables": ["x=1.0"]})
    elif "torch" in sys.modules:
        torch = sys.modules["torch"]
        x = torch.ones(64, 64, requires_grad=True)
        (x @ x).tanh().sum().backward()


def _limit_memory(max_memory: int | None) -> int | None:
    """Cap the address space (Linux; skipped where unsupported). Returns the cap set."""
    if max_memory is None:
        return None
    try:
        import resource

        _, hard = resource.getrlimit(resource.RLIMIT_AS)
        limit = max_memory if hard == resource.RLIM_INFINITY else min(max_memory, hard)
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
        return limit
    except (ImportError, AttributeError, ValueError, OSError):
        return None


def _run_job(target: str, payload: dict, cap: int | None) -> tuple:
    """Run one job with its output captured: ``("ok", value, output)`` or an error reply."""
    output = _CappedText(OUTPUT_LIMIT)
    try:
        with contextlib.redirect_stdout(output), contextlib.redirect_stderr(output):
            module, _, name = target.partition(":")
            value = getattr(importlib.import_module(module), name)(payload)
    except BaseException as exc:
        kind, message, details = _classify(exc, cap)
        return ("error", kind, message, {**details, "output": output.text()})
    return ("ok", value, output.text())


def _classify(exc: BaseException, cap: int | None) -> tuple[str, str, dict]:
    """``(kind, message, details)`` for an exception raised by a job."""
    if isinstance(exc, InputError):
        return "user_error", exc.message, {"input_error": exc.to_dict()}
    script = None
    if "gradviz.core.script" in sys.modules:
        from gradviz.core.script import script_path_in_traceback, user_traceback

        script = script_path_in_traceback(exc)
    tb = user_traceback(exc, script) if script else traceback.format_exc()
    details = {"traceback": tb, "exception": type(exc).__name__}
    if isinstance(exc, MemoryError) or "can't allocate memory" in str(exc):
        message = f"Out of memory: the evaluation needed too much ({memory_cap_text(cap)})."
        return "memory", message, details
    if script is None:
        return "internal", f"Internal error in the worker: {exc!r}", details
    details["path"] = script
    if isinstance(exc, SystemExit):
        return "script_error", f"The script called sys.exit({exc.code!r}).", details
    return "script_error", traceback.format_exception_only(type(exc), exc)[-1].strip(), details


class _CappedText(io.StringIO):
    """A text sink that keeps only the first ``limit`` characters written to it."""

    def __init__(self, limit: int) -> None:
        super().__init__()
        self._limit, self._dropped = limit, 0

    def write(self, text: str) -> int:
        kept = text[: max(self._limit - self.tell(), 0)]
        self._dropped += len(text) - len(kept)
        super().write(kept)
        return len(text)

    def text(self) -> str:
        more = f"\n[... {self._dropped} more characters not shown]" if self._dropped else ""
        return self.getvalue() + more
