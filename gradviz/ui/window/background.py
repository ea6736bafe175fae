"""The UI's one contract for long work: :class:`BackgroundTask` (Anki's QueryOp, napari's
workers).

A task runs ``work(progress, should_cancel) -> result`` in a thread of its own.
``work`` is a plain function (core's builds and layouts take exactly these two
callbacks): it reports ``progress(done, total)`` and stops with
:class:`~gradviz.core.errors.Cancelled` once ``should_cancel()`` is true. The
task says how it ended with one signal: ``finished(result)``, ``failed(error)``
or ``cancelled()``. Those signals belong to an object of the GUI thread, so their
slots run there (queued): no widget is ever touched from the thread.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Signal

from ...core.errors import Cancelled

Work = Callable[[Callable[[int, int], None], Callable[[], bool]], Any]


class BackgroundTask(QObject):
    """``work(progress, should_cancel)`` in a thread, once: ``start()``, ``cancel()``."""

    progress = Signal(int, int)  # done, total
    finished = Signal(object)  # what ``work`` returned
    failed = Signal(object)  # the exception ``work`` raised
    cancelled = Signal()

    def __init__(self, work: Work, *, name: str = "gradviz-task",
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._work = work
        self._name = name
        self.elapsed: float | None = None  # seconds, once finished
        self._cancel = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        """Run ``work`` in a new thread (once)."""
        if self._thread is not None:
            raise RuntimeError(f"a {type(self).__name__} runs once")
        self._thread = threading.Thread(target=self._run, name=self._name, daemon=True)
        self._thread.start()

    def cancel(self, wait_s: float | None = None) -> None:
        """Ask ``work`` to stop; with ``wait_s``, wait that long for the thread to end."""
        self._cancel.set()
        if wait_s is not None:
            self.wait(wait_s)

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
            result = self._work(self.progress.emit, self._cancel.is_set)
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
                self.finished.emit(result)
