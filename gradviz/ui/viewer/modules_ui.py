"""Collapse module boxes into single nodes, and expand them again, in the window.

:class:`ModuleCollapser` keeps the full Snapshot a build gave and the set of
collapsed module paths; each change derives a Snapshot with
:func:`~gradviz.core.graph.collapse.collapse_modules` and lays it out again in a
:class:`CollapseTask` (a :class:`~gradviz.ui.window.background.BackgroundTask`; Graphviz
can take a second on big graphs). The
thread only calls torch-free core functions and emits signals; no widget is
touched from it. ``shown(snapshot)`` hands the laid-out result to the window,
which redraws it and keeps the replay where it was (every step is kept).

A big graph's first picture may be folded (:mod:`gradviz.core.layout.fold_layout`):
the collapser then keeps its full Snapshot (``base_of``), the blocks and the
members expanded; expanding a member lays out only the graph with that member
shown (a few hundred nodes), and module collapsing applies on top.
"""

from __future__ import annotations

import time

from PySide6.QtCore import QObject, Signal

from ...core.errors import Cancelled, EngineError
from ...core.graph.collapse import collapse_modules
from ...core.graph.folding import FoldBlock, base_of, blocks_of, fold_snapshot, split_block
from ...core.runtime.options import BuildOptions
from ...core.snapshot import Snapshot
from ..window.background import BackgroundTask

CACHED = 8  # drawings kept per build (each one laid out once)
LAYOUT_BUDGET_S = 30.0  # a drawing that would take longer is refused (the last one stays)


class CollapseTask(BackgroundTask):
    """Derive and lay out one collapsed Snapshot in a thread: ``finished(snapshot)``,
    ``failed(exception)`` (a layout past ``budget`` seconds too: an :class:`EngineError`;
    a cancelled task's ``cancelled`` is not listened to)."""

    def __init__(self, base: Snapshot, paths: frozenset[str], parent=None, *,
                 blocks: list[FoldBlock] | None = None, expanded: frozenset[str] = frozenset(),
                 budget: float = LAYOUT_BUDGET_S) -> None:
        super().__init__(lambda _progress, cancel: _collapsed(base, paths, blocks, expanded,
                                                              budget, cancel),
                         name="gradviz-collapse", parent=parent)
        self.budget = budget
        self.base, self.paths = base, paths
        self.blocks, self.expanded = blocks, expanded  # blocks None: nothing folded


def _collapsed(base: Snapshot, paths: frozenset[str], blocks: list[FoldBlock] | None,
               expanded: frozenset[str], budget: float, should_cancel) -> Snapshot:
    """``base`` folded (``blocks``, minus ``expanded``) and with ``paths`` collapsed, laid
    out within ``budget`` seconds (runs in the task's thread)."""
    from ...core.layout.snapshot_layout import layout_snapshot  # not at start-up

    snapshot = base
    if blocks is not None:
        snapshot = fold_snapshot(snapshot, blocks, expanded)
    if paths:
        snapshot = collapse_modules(snapshot, paths)
    options = BuildOptions(**snapshot.meta.get("options", {}))
    options.timeout = budget
    stop = time.monotonic() + budget
    try:
        snapshot.layout = layout_snapshot(
            snapshot, options, should_cancel=lambda: should_cancel() or time.monotonic() > stop)
    except Cancelled:
        if should_cancel():
            raise
        # past the budget: said, the last drawing stays
        raise EngineError("engine_timeout", {"timeout": f"{budget:g}"}) from None
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
        self.blocks: list[FoldBlock] | None = None  # a folded first picture's blocks
        self.expanded: frozenset[str] = frozenset()  # their members shown node by node
        self._laid_out: dict[tuple, Snapshot] = {}
        self._shown_key: tuple = (frozenset(), frozenset())
        self.budget = LAYOUT_BUDGET_S  # seconds each new drawing's layout may take

    def set_base(self, snapshot: Snapshot | None) -> None:
        """A new build: as it was laid out (folded, collapsed or whole); a collapse in
        progress is dropped."""
        self._stop()
        self.base = base_of(snapshot) if snapshot is not None else None
        meta = snapshot.meta if snapshot is not None else {}
        self.blocks = blocks_of(snapshot) if "folds" in meta else None
        self.expanded = frozenset(meta.get("fold_expanded", ()))
        self.collapsed = frozenset(meta.get("collapsed", ()))
        self._laid_out = {}  # (collapsed, expanded) -> laid-out Snapshot: going back is instant
        self._shown_key = self._key()  # what is drawn now
        if snapshot is not None and snapshot is not self.base:
            self._laid_out[self._key()] = snapshot

    def _key(self) -> tuple:
        return self.collapsed, self.expanded

    def fold_members(self, node_id: str) -> list[str]:
        """The member paths of the folded block ``node_id`` (none if it is not one)."""
        for block in self.blocks or []:
            for part in _parts(block, self.expanded):
                if part.id == node_id:
                    return list(part.members)
        return []

    def expand_fold(self, node_id: str, count: int | None = 1) -> None:
        """Show ``count`` members of a folded block node by node (the first ones;
        None: all of them)."""
        members = self.fold_members(node_id)
        self.set_folds(self.expanded | set(members[:count] if count else members))

    def fold_all(self) -> None:
        """Fold every block again."""
        self.set_folds(frozenset())

    def set_folds(self, expanded) -> None:
        """Exactly the members ``expanded`` shown; lays out in the background."""
        expanded = frozenset(expanded)
        if self.blocks is None or expanded == self.expanded:
            return
        self.expanded = expanded
        self._derive()

    def modules(self) -> list[str]:
        """Every module path of the built Snapshot (outer ones first)."""
        kinds = self.base.meta.get("modules", {}) if self.base is not None else {}
        return sorted(kinds, key=lambda p: (p.count("."), p))

    def collapse(self, path: str) -> None:
        """Show module ``path`` as one node."""
        self.set_collapsed(self.collapsed | {path})

    def expand(self, path: str) -> None:
        """Show module ``path``'s nodes again (a folded block's id: its first member)."""
        if self.fold_members(path):
            self.expand_fold(path)
        else:
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
        self.collapsed = paths
        self._derive()

    def _derive(self) -> None:
        """Show the base with the current folds and collapsed modules (laid out in a thread)."""
        self._stop()
        if not self.collapsed and self.blocks is None and self.base.layout is not None:
            self._shown_key = self._key()
            self.shown.emit(self.base)  # the build's own layout
            return
        if self._key() in self._laid_out:
            self._shown_key = self._key()
            self.shown.emit(self._laid_out[self._key()])
            return
        task = self.task = CollapseTask(self.base, self.collapsed, self, blocks=self.blocks,
                                        expanded=self.expanded, budget=self.budget)
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
            if len(self._laid_out) >= CACHED:
                self._laid_out.pop(next(iter(self._laid_out)))
            self._laid_out[(task.paths, task.expanded)] = snapshot
            self._shown_key = (task.paths, task.expanded)
            self.shown.emit(snapshot)

    def _on_failed(self, task: CollapseTask, error: Exception) -> None:
        if task is self.task:
            self.task = None
            self.collapsed, self.expanded = self._shown_key  # what is still drawn
            self.busy_changed.emit(False)
            self.failed.emit(error)


def _parts(block: FoldBlock, expanded: frozenset[str]) -> list[FoldBlock]:
    return [p for p in split_block(block, expanded) if isinstance(p, FoldBlock)]
