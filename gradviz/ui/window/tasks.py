"""Background builds: :func:`~gradviz.core.runtime.job.run_build` off the GUI thread.

:class:`BuildTask` is a :class:`~gradviz.ui.window.background.BackgroundTask` (the UI's one
contract for long work) whose work is one build; :class:`BuildRunner` owns the
evaluation worker and runs one build at a time.
"""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import QObject, Signal

from ...core.errors import EngineError, InputError
from ...core.runtime.job import run_build
from ...core.runtime.request import BuildRequest, Expression
from ...core.runtime.worker import EvaluationWorker, WorkerError  # torch-free: the child loads it
from ..base.i18n import translate
from ..base.messages import error_text
from .background import BackgroundTask


class BuildTask(BackgroundTask):
    """One build of a laid-out Snapshot from a :class:`BuildRequest`, in a thread:
    ``progress(done, total)`` (see :data:`gradviz.core.runtime.job.STAGES`), then
    ``finished(snapshot)``, ``failed(error)`` or ``cancelled()``."""

    def __init__(self, worker, request: BuildRequest, *, parent: QObject | None = None) -> None:
        request = replace(request, fold=True)  # a big graph opens folded in the window
        super().__init__(lambda progress, cancel: run_build(request, progress, cancel,
                                                            worker=worker),
                         name="gradviz-build", parent=parent)
        self.worker = worker
        self.request = request


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
            task.cancel(wait_s=10.0)
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
            where = ("" if same or not error.text
                     else translate("BuildRunner", " (in “{0}”)").format(error.text))
            self.failed.emit(error_text(error) + where, error.column if same else None)
        elif isinstance(error, EngineError):
            self.failed.emit(error_text(error), None)
        elif isinstance(error, WorkerError) and error.kind != "internal":
            self.failed.emit(_worker_message(error), None)
        else:
            self.failed.emit(translate("BuildRunner", "Internal error: {0}").format(error), None)
            self.crashed.emit(error)


def _worker_message(error) -> str:
    """A WorkerError's message; a script's traceback (only the user's frames) under it."""
    traceback_text = error.details.get("traceback") if error.kind == "script_error" else None
    message = error_text(error)
    return f"{message}\n{traceback_text.rstrip()}" if traceback_text else message
