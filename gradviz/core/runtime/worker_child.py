"""The evaluation worker's child process: start-up, memory cap, and running jobs.

:mod:`gradviz.core.runtime.worker` spawns :func:`child_main` (spawned, never forked: Qt
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
import pickle
import signal
import sys
import threading
import time
import traceback

from gradviz.core.errors import EngineError, InputError
from gradviz.core.runtime.channel import encode, write_frames
from gradviz.core.runtime.reaper import become_subreaper
from gradviz.core.runtime.worker_messages import JobDone, JobFailed, Progress

OUTPUT_LIMIT = 20_000  # characters of a job's stdout/stderr sent back
_replies_fd: int | None = None  # the pipe back to the parent, once this is the child


def report_progress(done: int, total: int) -> None:
    """Tell the parent how far the running job is (a no-op outside the worker's child)."""
    if _replies_fd is not None:
        write_frames(_replies_fd, [encode(Progress(int(done), int(total)).to_frame())])


def memory_cap_text(limit: int | None) -> str:
    """How error messages name the memory cap, e.g. ``memory cap 4 GiB``."""
    return f"memory cap {limit / 2**30:g} GiB" if limit else "no memory cap"



def child_main(jobs, replies, max_memory: int | None, preload: tuple[str, ...]) -> None:
    """Entry point of the child: start up, say ready, then run jobs until told to stop.

    ``jobs`` is a one-way pipe from the parent (pickled: the parent is trusted);
    ``replies`` a one-way pipe back, carrying only JSON frames (see
    :mod:`gradviz.core.runtime.channel`). Whatever happens, the child ends with
    ``os._exit``: nothing is printed on the app's terminal.
    """
    code = 0
    try:
        _start(jobs, replies, max_memory, preload)
    except BaseException:  # noqa: BLE001 - e.g. the parent closed the pipe mid-write
        code = 1
    os._exit(code)


def _start(jobs, replies, max_memory: int | None, preload: tuple[str, ...]) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    with contextlib.suppress(OSError, AttributeError):
        os.setpgrp()
    become_subreaper()
    _silence_std_fds()
    _close_resource_tracker()
    _exit_with_parent()
    global _replies_fd
    fd = replies.fileno()
    try:
        for name in preload:
            importlib.import_module(name)
        _warm_up()
        cap = _limit_memory(max_memory)
    except BaseException:
        write_frames(fd, [encode({"reply": "failed", "traceback": traceback.format_exc()})])
        return
    write_frames(fd, [encode({"reply": "ready", "pid": os.getpid(), "memory_limit": cap})])
    _replies_fd = fd
    spares = _keep_engine_spares()
    while True:
        if spares is not None:
            spares.refill()  # idle: the next layout's engine is started now, off its path
        try:
            job = jobs.recv_bytes()
        except (EOFError, OSError):
            return
        _reset_torch_state()
        write_frames(fd, _reply_frames(_run_job(job, cap)))


def _silence_std_fds() -> None:
    """stdin, stdout and stderr on /dev/null: a job's prints are captured, the rest
    (a thread's traceback, a script writing to fd 2) never reaches the app's terminal."""
    with contextlib.suppress(OSError):
        null = os.open(os.devnull, os.O_RDWR)
        for fd in (0, 1, 2):
            os.dup2(null, fd)
        os.close(null)


def _close_resource_tracker() -> None:
    """Drop the pipe to multiprocessing's resource tracker (spawn hands it over): a job
    could write commands into it (unlink shared memory) or make it print on the terminal."""
    from multiprocessing import resource_tracker

    tracker = resource_tracker._resource_tracker
    fd, tracker._fd = getattr(tracker, "_fd", None), None
    if fd is not None:
        with contextlib.suppress(OSError):
            os.close(fd)


def _reset_torch_state() -> None:
    """Global torch switches back to their defaults before each job (a script may have
    turned on anomaly mode, changed the default device or dtype, or disabled grad)."""
    torch = sys.modules.get("torch")
    if torch is None:
        return
    torch.autograd.set_detect_anomaly(False)
    torch.set_grad_enabled(True)
    torch.set_default_dtype(torch.float32)
    if hasattr(torch, "set_default_device"):
        torch.set_default_device(None)


def _reply_frames(reply: JobDone | JobFailed) -> list[bytes]:
    """The frames of a reply: JSON only; a Snapshot in a frame of its own."""
    if isinstance(reply, JobFailed):
        return [encode(reply.to_frame(), lenient=True)]
    value, output = reply.value, reply.output
    try:
        if hasattr(value, "to_json_bytes") and hasattr(value, "steps"):
            return [encode({"reply": "ok", "output": output, "snapshot": True}),
                    encode(value.to_json_bytes(fresh=True))]  # as the job built it
        return [encode({"reply": "ok", "output": output, "snapshot": False, "value": value})]
    except Exception as exc:  # noqa: BLE001 - not plain data
        details = {"traceback": traceback.format_exc(), "output": output}
        failed = JobFailed("internal", f"The job's result cannot be sent back: {exc}", details)
        return [encode(failed.to_frame(), lenient=True)]


def _exit_with_parent() -> None:
    """Exit as soon as the parent dies, even while a job runs (a watcher thread).

    The sentinel pipe turning readable is only a hint (a job can write into it
    through /proc/self/fd): the parent is gone when this process was re-parented.
    """
    parent = multiprocessing.parent_process()
    if parent is None:
        return
    ppid = os.getppid()

    def watch() -> None:
        while True:
            multiprocessing.connection.wait([parent.sentinel], timeout=1.0)
            if os.getppid() != ppid:
                os._exit(70)
            with contextlib.suppress(OSError):
                os.set_blocking(parent.sentinel, False)
                os.read(parent.sentinel, 1 << 16)
            time.sleep(0.05)

    threading.Thread(target=watch, name="gradviz-parent-watch", daemon=True).start()


def _warm_up() -> None:
    """Run a tiny backward so torch's thread pools exist before the memory cap is set.

    With gradviz's jobs preloaded, build a tiny Snapshot instead: it also pays
    the first-use costs (torchviz's import, the explanation rules) ahead of need.
    """
    if "gradviz.core.runtime.jobs" in sys.modules:
        from gradviz.core.runtime.request import BuildRequest, Expression

        jobs = sys.modules["gradviz.core.runtime.jobs"]
        warm = BuildRequest(Expression("x*x", ("x=1.0",)))
        jobs.build_snapshot_job(warm.with_options(layout=False))
    elif "torch" in sys.modules:
        torch = sys.modules["torch"]
        x = torch.ones(64, 64, requires_grad=True)
        (x @ x).tanh().sum().backward()


def _keep_engine_spares():
    """Where the jobs lay graphs out: keep a spare layout engine started ahead of each
    layout (:mod:`gradviz.core.layout.engine_spares`), the default engine's from the
    start. Returns that module, or None when this child lays nothing out."""
    if "gradviz.core.runtime.jobs" not in sys.modules:
        return None
    from gradviz.core.layout import engine_spares, engines

    engine_spares.enable()
    path = next(filter(None, map(engines.engine_path, engines.preferred_engines())), None)
    if path is not None:
        engine_spares.want(path, "json0")
    return engine_spares


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


def _run_job(job: bytes, cap: int | None) -> JobDone | JobFailed:
    """Run one pickled ``(function, payload)`` job with its output captured.

    Unpickling imports the function's module (the parent is trusted; its failure
    is the job's failure, reported like any other)."""
    output = _CappedText(OUTPUT_LIMIT)
    try:
        with contextlib.redirect_stdout(output), contextlib.redirect_stderr(output):
            function, payload = pickle.loads(job)
            value = function(payload)
    except BaseException as exc:
        kind, message, details = _classify(exc, cap)
        return JobFailed(kind, message, {**details, "output": output.text()})
    return JobDone(value, output.text())


def _classify(exc: BaseException, cap: int | None) -> tuple[str, str, dict]:
    """``(kind, message, details)`` for an exception raised by a job."""
    if isinstance(exc, InputError):
        return "user_error", exc.message, {"input_error": exc.to_dict()}
    if isinstance(exc, EngineError):  # Graphviz, after the user's code: not the user's fault
        return "engine", exc.message, {"engine_error": {"code": exc.code,
                                                       "params": exc.params}}
    script = None
    if "gradviz.core.runtime.script" in sys.modules:
        from gradviz.core.runtime.script import script_path_in_traceback, user_traceback

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
