"""Find a node by label, op or variable name (Ctrl+F); next/previous select and centre it."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QToolButton, QWidget

from ..base.plain import plain
from ..base.resources import icon
from .view import GraphView


class FindBar(QWidget):
    """A search field over a :class:`GraphView`; emits ``node_found(id)``."""

    node_found = Signal(str)

    def __init__(self, view: GraphView, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("FindBar")
        self._view = view
        self._matches: list[str] = []
        self._index = -1
        self.field = QLineEdit(placeholderText=self.tr("Find a node: op, label or variable"))
        self.field.setClearButtonEnabled(True)
        self.status = QLabel(objectName="FindStatus")
        plain(self.status)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(4, 2, 4, 2)
        layout.addWidget(self.field, 1)
        layout.addWidget(self.status)
        for name, tip, slot in (("go-up", self.tr("Previous match (Shift+Enter)"), self.previous),
                                ("go-down", self.tr("Next match (Enter)"), self.next),
                                ("close", self.tr("Close (Esc)"), self.close_bar)):
            button = QToolButton(toolTip=tip, autoRaise=True)
            button.setIcon(icon(name))
            button.clicked.connect(slot)
            layout.addWidget(button)
        self.field.textChanged.connect(self.search)
        self.field.returnPressed.connect(self.next)

    def open(self) -> None:
        """Show the bar and put the cursor in the field (Ctrl+F)."""
        self.show()
        self.field.setFocus()
        self.field.selectAll()

    def close_bar(self) -> None:
        """Hide the bar and give the keyboard back to the graph."""
        self.hide()
        self._view.setFocus()

    def search(self, text: str) -> list[str]:
        """Find ``text``; select the first match. Returns the matching node ids."""
        scene = self._view.graph_scene()
        self._matches = scene.find_nodes(text) if scene is not None else []
        self._index = -1
        if self._matches:
            self.next()
        else:
            self.status.setText(self.tr("no match") if text.strip() else "")
        return list(self._matches)

    def next(self) -> None:
        """Go to the next match (wraps around)."""
        self._step(+1)

    def previous(self) -> None:
        """Go to the previous match (wraps around)."""
        self._step(-1)

    def _step(self, direction: int) -> None:
        if not self._matches:
            return
        self._index = (self._index + direction) % len(self._matches)
        node_id = self._matches[self._index]
        self.status.setText(self.tr("{0} of {1}").format(self._index + 1, len(self._matches)))
        self._view.select_node(node_id)
        self.node_found.emit(node_id)

    def keyPressEvent(self, event) -> None:
        """Esc closes; Shift+Enter goes back."""
        if event.key() == Qt.Key.Key_Escape:
            self.close_bar()
        elif event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and \
                event.modifiers() & Qt.KeyboardModifier.ShiftModifier:
            self.previous()
        else:
            super().keyPressEvent(event)
