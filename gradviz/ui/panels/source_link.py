"""Source ↔ graph, both ways, and the chain-rule paths of the selected node.

- Selecting or hovering a node shades, in the function editor, the part of the
  expression it computes (a leaf: every use of its variable).
- Selecting part of the expression (or clicking in it) highlights the nodes
  that compute it and the edges between them.
- Selecting a node highlights every path from the output to it and lists the
  paths, with their products, in the :class:`~gradviz.ui.panels.paths_panel.PathsPanel`.
- For a lesson's code, selecting or hovering a node shades the line that made it
  in the code view (where the recorder knew the line).

Views observe: this controller listens to the scene, the view and the editor
and writes back only through their public methods (``set_role``,
``show_linked_spans``, ``show_paths``). Highlights use the ``path`` role; only
items this controller marked are cleared by it.
"""

from __future__ import annotations

from PySide6.QtCore import QObject
from PySide6.QtGui import QTextCursor, QTextFormat
from PySide6.QtWidgets import QTextEdit

from ...core.expr.source_map import node_spans, nodes_in_span, subgraph_edges
from ...core.graph.paths import PathSet, gradient_paths


def mark_items(scene, node_ids, edge_indices) -> list:
    """Give nodes and edges the ``path`` role; returns ``(item, role before)`` to undo it.

    The selected node keeps its own look; inputs and consumers become ``path``.
    """
    items = [scene.node_items[n] for n in node_ids if n in scene.node_items]
    items += [scene.edge_items[i] for i in edge_indices if i in scene.edge_items]
    marked = []
    for item in items:
        if item.role() in (None, "input", "consumer"):
            marked.append((item, item.role()))
            item.set_role("path")
    return marked


def mark_paths(scene, node_id: str) -> tuple[PathSet, list]:
    """Highlight every path from the output to ``node_id`` (the window and exports)."""
    snapshot = scene.snapshot
    paths = gradient_paths(snapshot, node_id)
    nodes = set(paths.nodes)
    if paths.count:
        nodes.add(snapshot.output.node)
    edges = [i for i in subgraph_edges(snapshot, nodes | {node_id})
             if snapshot.edges[i].kind in ("output", "variable")] + paths.edges
    return paths, mark_items(scene, nodes - {node_id}, edges)


class SourceLink(QObject):
    """Keeps the function editor, the graph and the paths panel in step."""

    def __init__(self, editor, view, paths_panel=None, parent: QObject | None = None, *,
                 code_view=None) -> None:
        super().__init__(parent)
        self.editor = editor
        self.view = view
        self.panel = paths_panel
        self.code_view = code_view  # a QPlainTextEdit showing a lesson's code, if any
        self.scene = None
        self._marked: list = []  # (item, its role before) for items this controller marked
        self._selected: str | None = None
        view.node_hovered.connect(self._on_hovered)
        editor.span_selected.connect(self._on_span_selected)

    # -- wiring --------------------------------------------------------------------------
    def set_scene(self, scene) -> None:
        """Follow a new scene (after each build); clears every link shown."""
        if self.scene is not None:
            try:
                self.scene.highlighted.disconnect(self._on_selected)
            except (RuntimeError, TypeError):  # the old scene is already gone
                pass
        self.scene = scene
        self._marked, self._selected = [], None
        self.editor.show_linked_spans([])
        self._show_line(None)
        if self.panel is not None:
            self.panel.clear()
        if scene is not None:
            scene.highlighted.connect(self._on_selected)

    def _source_matches(self) -> bool:
        """Spans index the built text: only shade the editor while it still holds it."""
        return self.scene is not None and self.editor.text() == self.scene.snapshot.source

    # -- graph → source ------------------------------------------------------------------
    def _on_selected(self, node_id: str | None) -> None:
        self._selected = node_id
        self._show_spans(node_id)
        self.highlight_paths(node_id)

    def _on_hovered(self, node_id: str | None) -> None:
        self._show_spans(node_id if node_id is not None else self._selected)

    def _show_spans(self, node_id: str | None) -> None:
        self._show_line(node_id)
        if not self._source_matches():
            self.editor.show_linked_spans([])
            return
        spans = node_spans(self.scene.snapshot, node_id) if node_id is not None else []
        self.editor.show_linked_spans(spans)

    def _show_line(self, node_id: str | None) -> None:
        """Shade the code line that made ``node_id`` (a lesson's code, as built)."""
        view = self.code_view
        if view is None:
            return
        snapshot = self.scene.snapshot if self.scene is not None else None
        code = snapshot.meta.get("inputs", {}).get("code") if snapshot is not None else None
        line = None
        if node_id is not None and code is not None and view.toPlainText() == code:
            line = snapshot.node(node_id).line
        if line is None:
            view.setExtraSelections([])
            return
        selection = QTextEdit.ExtraSelection()
        selection.format.setBackground(self.editor.link_colour())
        selection.format.setProperty(QTextFormat.Property.FullWidthSelection, True)
        selection.cursor = QTextCursor(view.document().findBlockByNumber(line - 1))
        view.setExtraSelections([selection])

    def highlight_paths(self, node_id: str | None) -> None:
        """Highlight every path from the output to ``node_id`` and list them (None: clear)."""
        self._unmark()
        if self.scene is None or node_id is None:
            if self.panel is not None:
                self.panel.clear()
            return
        snapshot = self.scene.snapshot
        paths, self._marked = mark_paths(self.scene, node_id)
        if self.panel is not None:
            self.panel.show_paths(snapshot, node_id, paths, snapshot.node(node_id).line)

    # -- source → graph ------------------------------------------------------------------
    def _on_span_selected(self, start: int, end: int) -> None:
        if not self.editor.box.hasFocus():
            return  # a caret moved by code (a new text), not by the user
        self._unmark()
        if not self._source_matches():
            self.editor.show_linked_spans([])  # edited since the build: the spans are stale
            return
        snapshot = self.scene.snapshot
        nodes = nodes_in_span(snapshot, start, end)
        self._marked = mark_items(self.scene, nodes, subgraph_edges(snapshot, nodes))

    # -- roles ---------------------------------------------------------------------------
    def marked_nodes(self) -> list[str]:
        """Ids of the nodes this controller highlights now."""
        return sorted(item.node_id for item, _ in self._marked if hasattr(item, "node_id"))

    def marked_edges(self) -> list[int]:
        """Indices of the edges this controller highlights now."""
        items = {id(item) for item, _ in self._marked}
        return sorted(i for i, item in self.scene.edge_items.items() if id(item) in items) \
            if self.scene is not None else []

    def _unmark(self) -> None:
        for item, before in self._marked:
            if item.role() == "path":
                item.set_role(before)
        self._marked = []
