"""The Paths panel: the chain rule for the selected node, one line per path from the output.

For the seed's ``x``: three paths, ``1 · 1 · 1 · 5 · 12 = 60`` and two more,
whose sum is ``x.grad = 72``. The numbers come from
:func:`gradviz.core.graph.paths.gradient_paths`; the words are translated here.
:func:`paths_note` gives the explanation bar the same decomposition at a
leaf's accumulation step.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from ...core.graph.formatting import format_compact, format_full, format_number
from ...core.graph.paths import PathSet, gradient_paths, path_text
from ...core.snapshot import Snapshot
from ..base.fonts import graph_font_family
from ..base.i18n import translate

BODY_PX = 13


def node_name(snapshot: Snapshot, node_id: str) -> str:
    """How a student recognises a node: its variable, its sub-expression, else its class."""
    node = snapshot.node(node_id)
    if node.kind == "function" and node.op == "AccumulateGrad":
        for edge in snapshot.edges:  # the leaf it accumulates into
            if edge.kind == "variable" and edge.target == node_id:
                return node_name(snapshot, edge.source)
    return (node.variable or node.expression or node.op or node.label.strip()
            or translate("PathsPanel", "output"))


def _gradient_name(snapshot: Snapshot, node_id: str) -> str:
    node = snapshot.node(node_id)
    if node.variable:
        return f"{node.variable}.grad"
    return translate("PathsPanel", "the gradient at {0}").format(node_name(snapshot, node_id))


def _via(snapshot: Snapshot, path) -> str:
    """The sub-expression that takes the target as input on this path."""
    return node_name(snapshot, path.nodes[-2]) if len(path.nodes) > 1 else ""


def _whole(value) -> str:
    """A gradient in full (a matrix on its rows); a big one as shape, min, max, mean, norm."""
    if isinstance(value, dict):
        return ", ".join(format_full(value).splitlines())
    return format_full(value) if isinstance(value, list) else format_compact(value)


def paths_lines(snapshot: Snapshot, node_id: str, paths: PathSet) -> list[str]:
    """The panel's text: a heading, one line per path, the sum and what it equals."""
    name = node_name(snapshot, node_id)
    if paths.count == 0:
        return [translate("PathsPanel", "No path from the output reaches {0}: no gradient "
                          "flows to it.").format(name)]
    if len(paths.paths) == 1 and not paths.paths[0].edges:
        return [translate("PathsPanel", "{0} is where the backward pass starts: its gradient "
                          "is 1.").format(name)]
    if paths.count == 1:
        lines = [translate("PathsPanel", "1 path from the output to {0}").format(name)]
    else:
        lines = [translate("PathsPanel", "{0} paths from the output to {1}").format(
            paths.count, name)]
    if paths.mode == "product":
        lines.append(translate("PathsPanel", "Chain rule: multiply the local derivatives along "
                               "a path, add over the paths."))
    for path in paths.paths:
        shown = path_text(path) if paths.mode == "product" else _whole(path.value)
        lines.append(translate("PathsPanel", "via {0}: {1}").format(_via(snapshot, path), shown))
    if paths.truncated:
        lines.append(translate("PathsPanel", "… and {0} more paths").format(
            paths.count - len(paths.paths)))
    total = _whole(paths.total) if paths.total is not None else "?"
    if paths.count == 1 and paths.mode == "product":
        lines.append(translate("PathsPanel", "{0} = {1}").format(
            total, _gradient_name(snapshot, node_id)))
    elif paths.count == 1:  # the one value above, not repeated
        lines.append("= " + _gradient_name(snapshot, node_id))
    elif paths.mode == "product" and not paths.truncated:
        terms = " + ".join(format_number(p.value) for p in paths.paths)
        lines.append(translate("PathsPanel", "sum: {0} = {1} = {2}").format(
            terms, total, _gradient_name(snapshot, node_id)))
    else:
        lines.append(translate("PathsPanel", "sum: {0} = {1}").format(
            total, _gradient_name(snapshot, node_id)))
    if paths.mode == "last_edge":
        lines.append(translate("PathsPanel", "Tensors: each path shows the gradient its last "
                               "edge delivered (paths through the same edge share it); the "
                               "sum is over those last edges."))
    return lines


def paths_caption(snapshot: Snapshot, node_id: str, paths: PathSet) -> str:
    """One line for an exported image: ``x.grad = 4 + 8 + 60 = 72 (one term per path)``."""
    if paths.count < 1 or paths.mode != "product" or paths.truncated:
        return ""
    terms = " + ".join(format_number(p.value) for p in paths.paths)
    return translate("PathsPanel", "{0} = {1} = {2} (one term per path)").format(
        _gradient_name(snapshot, node_id), terms, format_compact(paths.total))


def paths_note(snapshot: Snapshot | None, step) -> str:
    """For a leaf's accumulation step with several contributions: one term per path."""
    if snapshot is None or step is None or step.variable is None or step.run:
        return ""
    if len(step.contributions) < 2:
        return ""
    paths = gradient_paths(snapshot, step.node)
    if paths.mode != "product" or paths.truncated or not paths.paths:
        return ""
    terms = ", ".join(path_text(p) for p in paths.paths)
    return translate("PathsPanel", "One term per path from the output to {0}: {1}.").format(
        step.variable, terms)


class PathsPanel(QWidget):
    """Lists the paths from the output to the selected node, with their products."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("PathsPanel")
        self.title = QLabel(objectName="PathsTitle")
        font = self.title.font()
        font.setBold(True)
        self.title.setFont(font)
        self.title.setWordWrap(True)
        self.body = QLabel(objectName="PathsText")
        self.body.setWordWrap(True)
        self.body.setTextFormat(Qt.TextFormat.PlainText)
        self.body.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.set_font_scale(1.0)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.body)
        layout.addStretch(1)
        self.paths: PathSet | None = None
        self.clear()

    def set_font_scale(self, scale: float) -> None:
        """Larger text for the presentation theme (1.0: the normal size)."""
        self.body.setStyleSheet(f'font-family: "{graph_font_family()}"; '
                                f"font-size: {round(BODY_PX * scale)}px;")

    def clear(self) -> None:
        """Nothing selected: say what the panel is for."""
        self.paths = None
        self.title.setText(self.tr("Paths"))
        self.body.setText(self.tr("Select a leaf or a node: every path from the output to it "
                                  "is highlighted, with the product of its local derivatives."))

    def show_paths(self, snapshot: Snapshot, node_id: str, paths: PathSet,
                   line: int | None = None) -> None:
        """Show ``paths`` (from :func:`gradient_paths`) to ``node_id``."""
        self.paths = paths
        node = snapshot.node(node_id)
        title = node_name(snapshot, node_id)
        if node.expression and node.value is not None and node.kind == "function":
            title = f"{node.expression} = {format_compact(node.value)}"
        if line is not None:
            title += "  " + self.tr("(line {0})").format(line)
        self.title.setText(title)
        self.body.setText("\n".join(paths_lines(snapshot, node_id, paths)))

    def text(self) -> str:
        """Title and body, as shown."""
        return f"{self.title.text()}\n{self.body.text()}"
