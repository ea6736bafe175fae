"""Evaluation worker: runs jobs (user scripts among them) in a spawned child process.

A job is ``(function, payload)``: a module-level function (pickled by name, so
the child imports its module) and its argument. The child calls
``function(payload)`` and sends back its result as JSON (plain data, or a
Snapshot), never pickled: the child runs user code, and what it sends is only
ever parsed and schema-checked here (see :mod:`gradviz.core.runtime.channel`), then read
as a typed message (:mod:`gradviz.core.runtime.worker_messages`). A hang, crash or
memory blow-up kills the child, never the app; the child is restarted at once
for the next job.

The child is spawned, never forked (Qt and CUDA do not survive fork); what it
does once started lives in :mod:`gradviz.core.runtime.worker_child`. This module is the
parent side and imports neither torch nor Qt.
"""

from __future__ import annotations

import atexit
import multiprocessing
import multiprocessing.util  # noqa: F401 - imported before our atexit hook, see _stop_all
import threading
import time
import weakref
from collections.abc import Callable, Iterable
from multiprocessing.reduction import ForkingPickler
from typing import Any

from ..errors import Cancelled, EngineError
from .channel import ChannelError, FrameReader, check_reply, check_snapshot, parse_frame
from .reaper import kill_tree
from .worker_child import OUTPUT_LIMIT, child_main, memory_cap_text  # noqa: F401 - re-export
from .worker_errors import (  # noqa: F401 - WorkerError, timeout_message: re-exported
    WorkerError,
    crash_error,
    input_error,
    timeout_message,
)
from .worker_messages import JobDone, Message, Ready, from_reply

DEFAULT_TIMEOUT = 10.0
DEFAULT_MAX_MEMORY = 4 * 2**30
# jobs: the usual target
DEFAULT_PRELOAD = ("torch", "gradviz.core.runtime.script", "gradviz.core.runtime.jobs")
START_TIMEOUT = 120.0  # start-up (import torch) is not counted in a job's timeout
_POLL = 0.05


class EvaluationWorker:
    """A long-lived child process that runs jobs; one job at a time.

    ``one_shot``: made for one job (``gradviz export``): a child stopped after user code,
    a kill or a failure is not replaced ahead of need (a next job starts a fresh one).
    """

    def __init__(
        self,
        *,
        timeout: float = DEFAULT_TIMEOUT,
        max_memory: int | None = DEFAULT_MAX_MEMORY,
        preload: Iterable[str] = DEFAULT_PRELOAD,
        one_shot: bool = False,
    ) -> None:
        self.timeout, self.max_memory, self.one_shot = timeout, max_memory, one_shot
        self.preload, self.last_output = tuple(preload), ""  # last_output: the last job's prints
        self._child, self._lock, self._closed = _Child(), threading.Lock(), False
        weakref.finalize(self, self._child.stop)  # also runs at exit

    def start(self) -> None:
        """Spawn the child now, ahead of need, without waiting for it to be ready."""
        if self._closed:
            raise RuntimeError("the evaluation worker is closed")
        if not self._child.running():
            self._child.spawn(self.max_memory, self.preload)

    def run(
        self,
        job: Callable[[Any], Any],
        payload: Any,
        *,
        timeout: float | None = None,
        should_cancel: Callable[[], bool] | None = None,
        fresh_after: bool = False,
        progress: Callable[[int, int], None] | None = None,
    ) -> object:
        """Run ``job(payload)`` in the child and return its result.

        ``job`` is a module-level function the child can import (e.g.
        :func:`gradviz.core.runtime.jobs.build_snapshot_job`); ``payload`` is pickled.

        Blocks until the result comes, polling ``should_cancel`` (true: the child
        is killed and :class:`Cancelled` raised). An :class:`InputError` raised
        by the job is re-raised here as an equal InputError (its ``__cause__`` is
        the ``user_error`` WorkerError, with the job's output), so callers treat
        it like a local input error; every other failure raises
        :class:`WorkerError` (kind ``invalid`` when the child's reply is not valid
        JSON of the expected shape: never unpickled). After a kill the child is
        restarted at once; ``fresh_after`` (user code ran) restarts it in any case.
        ``progress(done, total)`` sees the stages the job reports
        (:func:`gradviz.core.runtime.worker_child.report_progress`).
        """
        if not callable(job):
            raise TypeError(f"a worker job is a function, not {type(job).__name__}")
        limit = self.timeout if timeout is None else timeout
        with self._lock:
            self._wait_ready(should_cancel)
            data = ForkingPickler.dumps((job, payload))  # a bad payload fails here, harmlessly
            try:
                self._child.busy = True
                self._send(data)
                reply = self._wait(limit, should_cancel, on_progress=progress)
                self._child.busy = False
            except BaseException:
                if self._child.busy:  # e.g. KeyboardInterrupt: its late reply must not be read
                    self._restart()
                raise
            finally:
                if fresh_after and self._child.info is not None:
                    self._restart()  # the user's code may have changed anything in the child
        if isinstance(reply, JobDone):
            self.last_output = reply.output
            return reply.value
        error = WorkerError(reply.kind, reply.message, reply.details)
        if error.kind == "user_error":
            raise input_error(error.details["input_error"]) from error
        if error.kind == "engine":  # the layout engine failed in the child: as if here
            data = error.details["engine_error"]
            raise EngineError(data["code"], data["params"]) from error
        raise error

    def wait_ready(self, should_cancel: Callable[[], bool] | None = None) -> None:
        """Start the child if needed and block until it has imported torch."""
        with self._lock:
            self._wait_ready(should_cancel)

    def close(self) -> None:
        """Kill the child and wait for it; idempotent."""
        self._closed = True
        self._child.stop()

    @property
    def alive(self) -> bool:
        """True while the child process runs."""
        return self._child.running()

    @property
    def pid(self) -> int | None:
        """The child's process id, or None."""
        return self._child.process.pid if self._child.process is not None else None

    def __enter__(self) -> EvaluationWorker:
        self.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def _wait_ready(self, should_cancel: Callable[[], bool] | None) -> None:
        self.start()
        if self._child.info is not None:
            return
        reply = self._wait(START_TIMEOUT, should_cancel, starting=True)
        if not isinstance(reply, Ready):
            self._restart()
            raise WorkerError("internal", "The worker process failed to start.",
                              {"traceback": getattr(reply, "traceback", "")})
        self._child.info = reply

    def _send(self, job: bytes) -> None:
        try:
            self._child.jobs.send_bytes(job)
        except OSError:  # the child died since it said it was ready
            raise self._died(False) from None

    def _wait(self, limit: float, should_cancel, starting: bool = False,
              on_progress=None) -> Message:
        """The child's next reply (checked, typed; progress goes to ``on_progress``); kills
        it on timeout, cancel, close or anything invalid. Every read waits at most
        ``_POLL`` seconds."""
        deadline, head = time.monotonic() + limit, None
        while True:
            alive = self._child.running()
            try:
                frame = self._child.reader.next_frame(_POLL)
                if frame is not None:
                    if head is None:
                        head = check_reply(parse_frame(frame))
                        if head["reply"] == "progress":
                            if on_progress is not None:
                                on_progress(head["done"], head["total"])
                            head = None
                        elif head["reply"] != "ok" or not head["snapshot"]:
                            return from_reply(head)
                        continue
                    return from_reply(head, check_snapshot(frame))
            except (EOFError, OSError, ValueError, AttributeError):  # died, or closed by close()
                raise self._died(starting) from None
            except ChannelError as err:
                self._restart()
                raise WorkerError("invalid", str(err), {"why": err.why}) from None
            if self._closed or (should_cancel is not None and should_cancel()):
                self._restart()
                raise Cancelled()
            if not alive and frame is None and not self._child.reader.pending():
                raise self._died(starting)
            if time.monotonic() > deadline:
                self._restart()
                raise WorkerError("timeout", timeout_message(limit, starting), {"timeout": limit})

    def _died(self, starting: bool) -> Exception:
        if self._closed:
            return Cancelled()
        exitcode = self._child.exit_code()
        if starting:  # it would most likely fail again: the next run() tries
            self._child.stop()
        else:
            self._restart()
        return crash_error(exitcode, self.max_memory, starting)

    def _restart(self) -> None:
        self._child.stop()
        if not (self._closed or self.one_shot):
            self.start()


class _Child:
    """The child process and its pipe; separate from the worker so a finalizer can stop it."""

    def __init__(self) -> None:
        self.process = None
        self.jobs = None  # parent → child: pickled jobs (the parent is trusted)
        self.reader: FrameReader | None = None  # child → parent: JSON frames only
        self.info: Ready | None = None  # set when the child says it is ready
        self.busy = False  # a job was sent and its reply not read yet

    def spawn(self, max_memory: int | None, preload: tuple[str, ...]) -> None:
        ctx = multiprocessing.get_context("spawn")
        job_read, job_write = ctx.Pipe(duplex=False)
        reply_read, reply_write = ctx.Pipe(duplex=False)
        process = ctx.Process(target=child_main, name="gradviz-worker",
                              args=(job_read, reply_write, max_memory, preload))
        try:
            process.start()
        except BaseException:
            job_write.close()
            reply_read.close()
            raise
        finally:  # the child's ends: the parent keeps none (EOF when the child dies)
            job_read.close()
            reply_write.close()
        self.process, self.jobs, self.info = process, job_write, None
        self._replies = reply_read
        self.reader = FrameReader(reply_read.fileno())
        _children.add(self)

    def running(self) -> bool:
        return self.process is not None and self.process.is_alive()

    def exit_code(self) -> int | None:
        if self.process is None:
            return None
        self.process.join(5)
        return self.process.exitcode

    def stop(self) -> None:
        process, conns = self.process, (self.jobs, getattr(self, "_replies", None))
        self.process = self.jobs = self.reader = self._replies = self.info = None
        self.busy = False
        _children.discard(self)
        if process is not None:
            if process.exitcode is None:  # also ends what the job started, setsid or not
                kill_tree(process.pid)
            process.join()
            process.close()
        for conn in conns:
            if conn is not None:
                conn.close()


_children: set[_Child] = set()
_shared: EvaluationWorker | None = None
_shared_lock = threading.Lock()


@atexit.register
def _stop_all() -> None:
    """Kill every child at exit, before multiprocessing's own hook joins them."""
    for child in list(_children):
        child.stop()


def shared_worker() -> EvaluationWorker:
    """The process-wide worker, created and started on the first call: call it early."""
    global _shared
    with _shared_lock:
        if _shared is None or _shared._closed:
            _shared = EvaluationWorker()
            _shared.start()
        return _shared
