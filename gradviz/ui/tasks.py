"""Background builds: evaluate in the worker process, lay out with Graphviz, off the GUI thread.

:class:`BuildTask` is the UI's one contract for long work (Anki's QueryOp,
napari's workers): ``start()``, ``cancel()``, and signals ``progress(done,
total)``, ``finished(snapshot)``, ``failed(error)``, ``cancelled()``. The
thread only calls plain functions and emits signals; the signals belong to an
object of the GUI thread, so their slots run there (queued) and no widget is
ever touched from the thread.
"""

from __future__ import annotations

import threading
import time

from PySide6.QtCore import QCoreApplication, QObject, Signal

from ..core.errors import Cancelled, EngineError, InputError
from ..core.job import run_build
from ..core.request import BuildRequest, Expression
from ..core.worker import EvaluationWorker, WorkerError  # torch-free: the child loads it
from .messages import error_text

STAGES = 3  # 0: starting the worker (import torch), 1: evaluating, 2: laying out


class BuildTask(QObject):
    """One build of a Snapshot (with layout) from a :class:`BuildRequest`, in a thread."""

    progress = Signal(int, int)  # done, total (see STAGES)
    finished = Signal(object)  # the laid-out Snapshot
    failed = Signal(object)  # the exception: InputError, WorkerError, EngineError, ...
    cancelled = Signal()

    def __init__(self, worker, request: BuildRequest, *, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.worker = worker
        self.request = request
        self.elapsed: float | None = None  # seconds, once finished
        self._cancel = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        """Run the build in a new thread (once)."""
        if self._thread is not None:
            raise RuntimeError("a BuildTask runs once")
        self._thread = threading.Thread(target=self._run, name="gradviz-build", daemon=True)
        self._thread.start()

    def cancel(self) -> None:
        """Ask the build to stop: the worker's child is killed, Graphviz is stopped."""
        self._cancel.set()

    def is_cancelled(self) -> bool:
        """True once :meth:`cancel` was called."""
        return self._cancel.is_set()

    def is_running(self) -> bool:
        """True while the thread runs."""
        return self._thread is not None and self._thread.is_alive()

    def wait(self, timeout: float | None = None) -> bool:
        """Block until the thread ends; True if it did."""
        if self._thread is not None:
            self._thread.join(timeout)
        return not self.is_running()

    def _run(self) -> None:
        started = time.perf_counter()
        try:
            snapshot = self._build()
        except Cancelled:
            self.cancelled.emit()
        except Exception as exc:  # noqa: BLE001 - every failure goes to the GUI as data
            if self.is_cancelled():
                self.cancelled.emit()
            else:
                self.failed.emit(exc)
        else:
            self.elapsed = time.perf_counter() - started
            if self.is_cancelled():
                self.cancelled.emit()
            else:
                self.finished.emit(snapshot)

    def _build(self):
        return run_build(self.request, self.progress.emit, self._cancel.is_set,
                         worker=self.worker)


def _tr(text: str) -> str:
    return QCoreApplication.translate("BuildRunner", text)


class BuildRunner(QObject):
    """Owns the evaluation worker and runs one :class:`BuildTask` at a time.

    ``failed(message, column)`` carries a user-facing line (``column``: where in
    the function, or None); ``crashed(exception)`` is an internal error that
    deserves the error dialog.
    """

    started = Signal()
    progress = Signal(int, int)
    finished = Signal(object, float)  # snapshot, seconds
    failed = Signal(str, object)  # message, column or None
    crashed = Signal(object)  # an unexpected exception
    cancelled = Signal()

    def __init__(self, base: BuildRequest, worker=None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._owns_worker = worker is None  # else made with ``base``'s limits
        self.worker = worker or EvaluationWorker(timeout=base.timeout,
                                                 max_memory=base.memory_cap)
        self.task: BuildTask | None = None

    def start_worker(self) -> None:
        """Spawn the worker's child now (it imports torch while the user reads)."""
        self.worker.start()

    def is_busy(self) -> bool:
        """True while a build runs."""
        return self.task is not None and self.task.is_running()

    def start(self, request: BuildRequest) -> None:
        """Build ``request`` (a build in progress is cancelled first)."""
        self.cancel()
        task = BuildTask(self.worker, request, parent=self)
        task.progress.connect(self.progress)
        task.finished.connect(lambda snapshot: self._on_finished(task, snapshot))
        task.failed.connect(lambda error: self._on_failed(task, error))
        task.cancelled.connect(lambda: self._on_cancelled(task))
        self.task = task
        self.started.emit()
        task.start()

    def cancel(self) -> None:
        """Stop the build in progress, if any, and wait for its thread."""
        task, self.task = self.task, None
        if task is not None:
            task.cancel()
            task.wait(10.0)
            if task.is_running():  # never seen: the worker polls every 50 ms
                raise RuntimeError("the build thread did not stop")
            self.cancelled.emit()

    def shutdown(self) -> None:
        """Cancel, then close the worker if this runner created it."""
        self.cancel()
        if self._owns_worker:
            self.worker.close()

    def _on_finished(self, task: BuildTask, snapshot) -> None:
        if task is self.task:
            self.task = None
            self.finished.emit(snapshot, task.elapsed or 0.0)

    def _on_cancelled(self, task: BuildTask) -> None:
        if task is self.task:
            self.task = None
            self.cancelled.emit()

    def _on_failed(self, task: BuildTask, error: Exception) -> None:
        if task is not self.task:
            return
        self.task = None
        if isinstance(error, InputError):
            source = task.request.source
            expression = source.text if isinstance(source, Expression) else None
            same = error.text is not None and error.text == expression
            where = "" if same or not error.text else _tr(" (in “{0}”)").format(error.text)
            self.failed.emit(error_text(error) + where, error.column if same else None)
        elif isinstance(error, EngineError):
            self.failed.emit(error_text(error), None)
        elif isinstance(error, WorkerError) and error.kind != "internal":
            self.failed.emit(_worker_message(error), None)
        else:
            self.failed.emit(_tr("Internal error: {0}").format(error), None)
            self.crashed.emit(error)


def _worker_message(error) -> str:
    """A WorkerError's message; a script's traceback (only the user's frames) under it."""
    traceback_text = error.details.get("traceback") if error.kind == "script_error" else None
    message = error_text(error)
    return f"{message}\n{traceback_text.rstrip()}" if traceback_text else message
