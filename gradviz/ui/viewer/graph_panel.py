"""The graph area as one widget: the view, its find bar and the node inspector.

The main window embeds this; clicks open the inspector, Ctrl+F opens the
find bar, and the theme applies to all three.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QSplitter, QVBoxLayout, QWidget

from ...core.snapshot import Snapshot
from ..base.themes import Theme, get_theme
from ..panels.inspector import NodeInspector
from .find import FindBar
from .view import GraphView

if TYPE_CHECKING:  # loads with the first graph (set_snapshot), not at start-up
    from ..graph.scene import GraphScene


class GraphPanel(QWidget):
    """View + find bar + inspector for one Snapshot at a time."""

    def __init__(self, snapshot: Snapshot | None = None, theme: Theme | str | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._theme = get_theme(theme)
        self._gradient_of: Callable[[str], Any] | None = None
        self.view = GraphView()
        self.find_bar = FindBar(self.view)
        self.find_bar.hide()
        self.inspector = NodeInspector()
        self.inspector.hide()
        left = QWidget()
        column = QVBoxLayout(left)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(0)
        column.addWidget(self.find_bar)
        column.addWidget(self.view, 1)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(left)
        self.splitter.addWidget(self.inspector)
        self.splitter.setStretchFactor(0, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.splitter)
        find = QShortcut(QKeySequence(QKeySequence.StandardKey.Find), self)
        find.activated.connect(self.find_bar.open)
        self.view.node_clicked.connect(self.inspect)
        self.find_bar.node_found.connect(self.inspect)
        self.setStyleSheet(self._theme.stylesheet())
        if snapshot is not None:
            self.set_snapshot(snapshot)

    def scene(self) -> GraphScene | None:
        """The scene shown (None before a snapshot is set)."""
        return self.view.graph_scene()

    def set_snapshot(self, snapshot: Snapshot) -> GraphScene:
        """Show a new Snapshot (fitted); the inspector closes."""
        from ..graph.scene import GraphScene

        old = self.view.graph_scene()
        scene = GraphScene(snapshot, self._theme, parent=self)
        self.view.set_graph_scene(scene)
        self.inspector.clear()
        self.inspector.hide()
        if old is not None:
            old.deleteLater()
        return scene

    def clear(self) -> None:
        """Show no graph (e.g. while a lesson's code waits for the user's go-ahead)."""
        old = self.view.graph_scene()
        self.view.setScene(None)
        self.inspector.clear()
        self.inspector.hide()
        if old is not None:
            old.deleteLater()

    def inspect(self, node_id: str) -> None:
        """Open the inspector on a node."""
        scene = self.view.graph_scene()
        if scene is None:
            return
        gradient = self._gradient_of(node_id) if self._gradient_of is not None else None
        self.inspector.show_node(scene.snapshot, node_id, gradient)
        if self._gradient_of is not None:  # "not computed yet" before the step that computes it
            self.inspector.set_gradient(gradient)
        self.inspector.show()

    def set_gradient_source(self, gradient_of: Callable[[str], Any] | None) -> None:
        """Where the inspector's gradient comes from: ``gradient_of(node_id)`` (the replay's
        current step), or None for what the whole backward pass gave the node."""
        self._gradient_of = gradient_of
        self.refresh_inspector()

    def refresh_inspector(self) -> None:
        """Show the current gradient of the inspected node (call when the step changes)."""
        node_id = self.inspector.node_id
        if node_id is not None and self._gradient_of is not None:
            self.inspector.set_gradient(self._gradient_of(node_id))

    def set_theme(self, theme: Theme | str) -> None:
        """Switch the graph and the widgets to ``theme``."""
        self._theme = get_theme(theme)
        self.setStyleSheet(self._theme.stylesheet())
        scene = self.view.graph_scene()
        if scene is not None:
            scene.set_theme(self._theme)
