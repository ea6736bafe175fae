"""Collapse module boxes into single nodes, and expand them again, in the window.

:class:`ModuleCollapser` keeps the full Snapshot a build gave and the set of
collapsed module paths; each change derives a Snapshot with
:func:`~gradviz.core.collapse.collapse_modules` and lays it out again in a
:class:`CollapseTask` (a :class:`~gradviz.ui.background.BackgroundTask`; Graphviz
can take a second on big graphs). The
thread only calls torch-free core functions and emits signals; no widget is
touched from it. ``shown(snapshot)`` hands the laid-out result to the window,
which redraws it and keeps the replay where it was (every step is kept).
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from ..core.collapse import collapse_modules
from ..core.snapshot import Snapshot
from .background import BackgroundTask


class CollapseTask(BackgroundTask):
    """Derive and lay out one collapsed Snapshot in a thread: ``finished(snapshot)``,
    ``failed(exception)`` (a cancelled task's ``cancelled`` is not listened to)."""

    def __init__(self, base: Snapshot, paths: frozenset[str], parent=None) -> None:
        super().__init__(lambda _progress, cancel: _collapsed(base, paths, cancel),
                         name="gradviz-collapse", parent=parent)
        self.base, self.paths = base, paths


def _collapsed(base: Snapshot, paths: frozenset[str], should_cancel) -> Snapshot:
    """``base`` with ``paths`` collapsed, laid out (runs in the task's thread)."""
    from ..core.snapshot_layout import layout_snapshot  # not at start-up

    snapshot = collapse_modules(base, paths)
    snapshot.layout = layout_snapshot(snapshot, should_cancel=should_cancel)
    return snapshot


class ModuleCollapser(QObject):
    """Which modules of the built Snapshot are collapsed; derives what to show."""

    shown = Signal(object)  # the Snapshot to show (laid out)
    failed = Signal(object)  # the exception of a failed layout
    busy_changed = Signal(bool)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.base: Snapshot | None = None
        self.collapsed: frozenset[str] = frozenset()
        self.task: CollapseTask | None = None

    def set_base(self, snapshot: Snapshot | None) -> None:
        """A new build: everything expanded (a collapse in progress is dropped)."""
        self._stop()
        self.base = snapshot
        self.collapsed = frozenset()

    def modules(self) -> list[str]:
        """Every module path of the built Snapshot (outer ones first)."""
        kinds = self.base.meta.get("modules", {}) if self.base is not None else {}
        return sorted(kinds, key=lambda p: (p.count("."), p))

    def collapse(self, path: str) -> None:
        """Show module ``path`` as one node."""
        self.set_collapsed(self.collapsed | {path})

    def expand(self, path: str) -> None:
        """Show module ``path``'s nodes again."""
        self.set_collapsed(self.collapsed - {path})

    def collapse_all(self) -> None:
        """Every module as one node (nested ones inside their outermost)."""
        self.set_collapsed(frozenset(self.modules()))

    def expand_all(self) -> None:
        """Every node shown."""
        self.set_collapsed(frozenset())

    def set_collapsed(self, paths) -> None:
        """Collapse exactly ``paths`` (unknown ones ignored); lays out in the background."""
        paths = frozenset(paths) & frozenset(self.modules())
        if self.base is None or paths == self.collapsed:
            return
        self._stop()
        self.collapsed = paths
        if not paths:
            self.shown.emit(self.base)  # the build's own layout
            return
        task = self.task = CollapseTask(self.base, paths, self)
        task.finished.connect(lambda snapshot: self._on_finished(task, snapshot))
        task.failed.connect(lambda error: self._on_failed(task, error))
        self.busy_changed.emit(True)
        task.start()

    def is_busy(self) -> bool:
        """True while a collapsed Snapshot is being laid out."""
        return self.task is not None and self.task.is_running()

    def shutdown(self) -> None:
        """Stop a layout in progress (the window closes)."""
        self._stop()

    def _stop(self) -> None:
        task, self.task = self.task, None
        if task is not None:
            task.cancel(wait_s=10.0)  # Graphviz is killed
            self.busy_changed.emit(False)

    def _on_finished(self, task: CollapseTask, snapshot: Snapshot) -> None:
        if task is self.task:
            self.task = None
            self.busy_changed.emit(False)
            self.shown.emit(snapshot)

    def _on_failed(self, task: CollapseTask, error: Exception) -> None:
        if task is self.task:
            self.task = None
            self.collapsed = frozenset()
            self.busy_changed.emit(False)
            self.failed.emit(error)
