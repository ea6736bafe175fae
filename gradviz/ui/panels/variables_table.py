"""The variables table: name, value, shape, requires_grad; filled from the function's names.

Names are collected with Python's :mod:`ast` (torch-free): every ``Name`` that
is not a callable function nor a constant (``pi``, ``e``). New names get the
value ``1.0``; a name removed and typed again gets its old row back.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableWidget, QTableWidgetItem

from ..base.messages import shape_text

try:
    from ...core.expr.function_names import CONSTANTS, FUNCTION_NAMES
except ImportError:  # pragma: no cover - older checkouts
    CONSTANTS, FUNCTION_NAMES = ("pi", "e"), ()

DEFAULT_VALUE = "1.0"
MIN_ROWS, MAX_ROWS = 3, 10
NAME, VALUE, SHAPE, GRAD = range(4)
_CALL_ROOTS = frozenset(n.split(".")[0] for n in FUNCTION_NAMES)


@dataclass
class VariableRow:
    """One row: a variable the function uses."""

    name: str
    value: str = DEFAULT_VALUE
    requires_grad: bool = True


def names_in_expression(text: str) -> list[str] | None:
    """Variable names in ``text``, in order of appearance; None if it does not parse."""
    try:
        tree = ast.parse(text.replace("\n", " ").strip(), mode="eval")
    except (SyntaxError, ValueError):
        return None
    called: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            root = node.func
            while isinstance(root, ast.Attribute):
                root = root.value
            if isinstance(root, ast.Name):
                called.add(id(root))
    found: list[tuple[int, int, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and id(node) not in called:
            if node.id not in CONSTANTS and node.id not in FUNCTION_NAMES:
                found.append((node.lineno, node.col_offset, node.id))
    seen: dict[str, None] = {}
    for _, _, name in sorted(found):
        seen.setdefault(name, None)
    return list(seen)


class VariablesTable(QTableWidget):
    """Editable values of the function's variables; shapes come from the last build."""

    edited = Signal()  # a value or a requires_grad box changed

    def __init__(self, parent=None) -> None:
        super().__init__(0, 4, parent)
        self.setObjectName("VariablesTable")
        self.setHorizontalHeaderLabels(
            [self.tr("name"), self.tr("value"), self.tr("shape"), self.tr("grad")])
        self.horizontalHeaderItem(GRAD).setToolTip(self.tr("requires_grad"))
        header = self.horizontalHeader()
        header.setSectionResizeMode(VALUE, QHeaderView.ResizeMode.Stretch)
        for column in (NAME, SHAPE, GRAD):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        self.verticalHeader().hide()
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setEditTriggers(QAbstractItemView.EditTrigger.AllEditTriggers)
        self._remembered: dict[str, VariableRow] = {}
        self._filling = False
        self.itemChanged.connect(self._on_item_changed)

    # -- reading --------------------------------------------------------------------------
    def rows(self) -> list[VariableRow]:
        """The rows, top to bottom."""
        out = []
        for r in range(self.rowCount()):
            grad = self.item(r, GRAD).checkState() == Qt.CheckState.Checked
            value = self.item(r, VALUE).text().strip() or DEFAULT_VALUE
            out.append(VariableRow(self.item(r, NAME).text(), value, grad))
        return out

    def variables(self) -> list[str]:
        """``name=value`` of the rows that require a gradient."""
        return [f"{r.name}={r.value}" for r in self.rows() if r.requires_grad]

    def constants(self) -> list[str]:
        """``name=value`` of the rows without gradient."""
        return [f"{r.name}={r.value}" for r in self.rows() if not r.requires_grad]

    # -- writing --------------------------------------------------------------------------
    def set_rows(self, rows: list[VariableRow]) -> None:
        """Replace every row (an example, the command line)."""
        for row in rows:
            self._remembered[row.name] = row
        self._fill(rows)

    def set_names(self, names: list[str]) -> None:
        """Show exactly ``names``: keep known rows, add new ones with the default value."""
        current = {row.name: row for row in self.rows()}
        self._remembered.update(current)
        rows = [current.get(n) or self._remembered.get(n) or VariableRow(n) for n in names]
        if [r.name for r in rows] != list(current):
            self._fill(rows)

    def set_shapes(self, shapes: dict[str, list[int]]) -> None:
        """Show each variable's shape as the last build found it (others: unknown)."""
        self._filling = True
        for r in range(self.rowCount()):
            shape = shapes.get(self.item(r, NAME).text())
            self.item(r, SHAPE).setText(shape_text(shape) if shape is not None else "")
        self._filling = False

    def _fill(self, rows: list[VariableRow]) -> None:
        self._filling = True
        self.setRowCount(len(rows))
        for r, row in enumerate(rows):
            name = QTableWidgetItem(row.name)
            name.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
            shape = QTableWidgetItem("")
            shape.setFlags(Qt.ItemFlag.ItemIsEnabled)
            shape.setToolTip(self.tr("shape (known after a build)"))
            grad = QTableWidgetItem()
            grad.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsUserCheckable)
            grad.setCheckState(Qt.CheckState.Checked if row.requires_grad
                               else Qt.CheckState.Unchecked)
            self.setItem(r, NAME, name)
            self.setItem(r, VALUE, QTableWidgetItem(row.value))
            self.setItem(r, SHAPE, shape)
            self.setItem(r, GRAD, grad)
        self._filling = False
        self.resizeRowsToContents()
        self._fit_height()

    def _fit_height(self) -> None:
        """Tall enough for its rows (at least three, at most ten; then it scrolls)."""
        shown = max(MIN_ROWS, min(self.rowCount(), MAX_ROWS))
        rows = sum(self.rowHeight(r) for r in range(min(shown, self.rowCount())))
        rows += self.verticalHeader().defaultSectionSize() * max(0, shown - self.rowCount())
        self.setFixedHeight(rows + self.horizontalHeader().height() + 2 * self.frameWidth() + 2)

    def _on_item_changed(self, item: QTableWidgetItem) -> None:
        if not self._filling and item.column() in (VALUE, GRAD):
            self.edited.emit()
