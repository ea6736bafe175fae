"""The node inspector: what one node of the graph is and holds."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QFormLayout, QLabel, QPlainTextEdit, QVBoxLayout, QWidget

from ...core.graph.formatting import format_compact, format_full
from ...core.snapshot import Snapshot
from ..base.messages import shape_text
from ..base.plain import plain


def node_gradient(snapshot: Snapshot, node_id: str) -> Any:
    """The gradient the backward pass gave a node (None if it got none)."""
    for var in snapshot.variables:
        if var.node == node_id:
            return var.grad
    for out in snapshot.outputs or [snapshot.output]:
        if out.node == node_id and isinstance(out.value, (int, float)):
            return 1.0
    for step in reversed(snapshot.steps):
        if step.node == node_id and step.grad_in:
            return step.grad_in[0] if len(step.grad_in) == 1 else step.grad_in
    return None


class NodeInspector(QWidget):
    """Op, torchviz attributes, saved tensors, value and gradient of one node."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("NodeInspector")
        self.node_id: str | None = None
        self._title = QLabel(objectName="InspectorTitle")
        self._kind = QLabel()
        self._attrs = QLabel(wordWrap=True)
        self._saved = QLabel(wordWrap=True)
        plain(self._title, self._kind, self._attrs, self._saved)
        self._value = QPlainTextEdit(readOnly=True)
        self._grad = QPlainTextEdit(readOnly=True)
        for box in (self._value, self._grad):
            box.setMaximumHeight(110)
        form = QFormLayout()
        form.addRow(self.tr("Kind"), self._kind)
        form.addRow(self.tr("Attributes"), self._attrs)
        form.addRow(self.tr("Saved tensors"), self._saved)
        layout = QVBoxLayout(self)
        layout.addWidget(self._title)
        layout.addLayout(form)
        layout.addWidget(QLabel(self.tr("Value")))
        layout.addWidget(self._value)
        layout.addWidget(QLabel(self.tr("Gradient")))
        layout.addWidget(self._grad)
        layout.addStretch(1)
        self.clear()

    def clear(self) -> None:
        """Show nothing (no node selected)."""
        self.node_id = None
        self._title.setText(self.tr("No node selected"))
        for label in (self._kind, self._attrs, self._saved):
            label.setText("")
        self._value.setPlainText("")
        self._grad.setPlainText("")

    def show_node(self, snapshot: Snapshot, node_id: str, gradient: Any = None) -> None:
        """Fill in ``node_id``; ``gradient`` defaults to what the backward pass gave it."""
        node = snapshot.node(node_id)
        self.node_id = node_id
        title = node.op or node.variable or node.label.split("\n")[0].strip()
        self._title.setText(title or self._kind_name(node.kind))
        kind = self._kind_name(node.kind)
        if node.shape is not None:
            kind += f" · {shape_text(node.shape)}"
        self._kind.setText(kind)
        attrs = [f"{k} = {v}" for k, v in node.attrs.items()]
        self._attrs.setText("\n".join(attrs) or self.tr("none"))
        saved = [n for n in snapshot.nodes if n.saved_of == node_id]
        lines = [_saved_line(n) for n in saved]
        self._saved.setText("\n".join(lines) or self.tr("none"))
        self._value.setPlainText(format_full(node.value) if node.value is not None
                                 else self.tr("not recorded"))
        self.set_gradient(gradient if gradient is not None else node_gradient(snapshot, node_id))

    def set_gradient(self, gradient: Any) -> None:
        """Show ``gradient`` (the replay calls this as the step changes)."""
        text = format_full(gradient) if gradient is not None else self.tr("not computed yet")
        self._grad.setPlainText(text)

    def fields(self) -> list[tuple[str, str]]:
        """(heading, text) of everything shown, in the window's order (the title first)."""
        return [("", self._title.text()), (self.tr("Kind"), self._kind.text()),
                (self.tr("Attributes"), self._attrs.text()),
                (self.tr("Saved tensors"), self._saved.text()),
                (self.tr("Value"), self._value.toPlainText()),
                (self.tr("Gradient"), self._grad.toPlainText())]

    def text(self) -> str:
        """Everything shown, as plain text (for tests and copying)."""
        parts = [self._title.text(), self._kind.text(), self._attrs.text(), self._saved.text(),
                 self._value.toPlainText(), self._grad.toPlainText()]
        return "\n".join(parts)

    def _kind_name(self, kind: str) -> str:
        names = {
            "function": self.tr("backward function"),
            "leaf": self.tr("leaf tensor"),
            "saved": self.tr("saved tensor"),
            "output": self.tr("output"),
            "view_base": self.tr("view base"),
        }
        return names.get(kind, kind)


def _saved_line(node) -> str:
    """``x (saved) = 2``; a literal is its own value (``5``); a matrix in rows."""
    name = node.label.split("\n")[0]
    if node.value is None or name == format_compact(node.value, decimal="."):
        return format_compact(node.value) if node.value is not None else name
    value = format_full(node.value)
    return f"{name} =" + ("\n" if "\n" in value else " ") + value
