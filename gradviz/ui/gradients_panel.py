"""The gradients panel: each leaf's value and ``.grad``, written as the sum of its parts.

``x.grad = 72 = 4 + 8 + 60`` once accumulated; while the parts are still
arriving it shows them (``4 + 8 …``). It follows the player; a click on a row
asks for the leaf to be shown (``leaf_activated(node_id)``).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTreeWidget, QTreeWidgetItem

from ..core.formatting import format_compact
from ..core.snapshot import Contribution, Snapshot
from .fonts import graph_font_family
from .plain import tip

NAME, VALUE, GRAD = range(3)
ROLE_NODE = Qt.ItemDataRole.UserRole
FONT_PX = 13
MAX_VALUE_PX = 110  # long values are elided (the tooltip has them): .grad gets the room


def grad_sum_text(grad: Any, contributions: Sequence[Contribution],
                  before: Any = None, *, complete: bool = True, expected: int = 0) -> str:
    """``72 = 4 + 8 + 60`` (accumulated), or while arriving ``4 + 8 + …`` and
    ``4 + 8 + 60 = …`` (all ``expected`` parts in, not added yet; one part: ``4 …``);
    ``""`` for nothing."""
    parts = [format_compact(c.value) for c in contributions]
    if before is not None and parts:
        parts.insert(0, format_compact(before))
    if not complete:
        if not parts:
            return ""
        if len(contributions) < expected:
            return " + ".join(parts) + " + …"
        return " + ".join(parts) + (" = …" if len(parts) > 1 else " …")
    total = format_compact(grad)
    if len(parts) > 1 and total:
        return f"{total} = " + " + ".join(parts)
    return total


class GradientsPanel(QTreeWidget):
    """One row per leaf: name, value, .grad (with its contributions)."""

    leaf_activated = Signal(str)  # the leaf's node id

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("GradientsPanel")
        self.setColumnCount(3)
        self.setHeaderLabels([self.tr("leaf"), self.tr("value"), self.tr(".grad")])
        self.setRootIsDecorated(False)
        self.setUniformRowHeights(True)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        header = self.header()
        header.setStretchLastSection(True)
        header.setSectionResizeMode(NAME, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(VALUE, QHeaderView.ResizeMode.Interactive)
        self.setTextElideMode(Qt.TextElideMode.ElideRight)
        self._snapshot: Snapshot | None = None
        self._rows: dict[str, QTreeWidgetItem] = {}
        self._requires_grad: dict[str, bool] = {}
        self.set_font_scale(1.0)
        self.itemClicked.connect(self._on_clicked)
        self.itemActivated.connect(self._on_clicked)

    def set_snapshot(self, snapshot: Snapshot | None) -> None:
        """One row per variable of ``snapshot`` (none for None)."""
        self.clear()
        self._rows.clear()
        self._snapshot = snapshot
        self._requires_grad.clear()
        for var in snapshot.variables if snapshot is not None else []:
            self._requires_grad[var.name] = var.requires_grad
            item = QTreeWidgetItem([var.name, format_compact(var.value), ""])
            if not var.requires_grad:
                item.setForeground(GRAD, self.palette().placeholderText())
            item.setData(NAME, ROLE_NODE, var.node)
            item.setToolTip(NAME, tip(self.tr("Click to show {0} in the graph").format(var.name)))
            item.setToolTip(VALUE, tip(format_compact(var.value, max_chars=80)))
            self.addTopLevelItem(item)
            self._rows[var.name] = item
        self._fit_value_column()

    def _fit_value_column(self) -> None:
        """The value column as wide as its contents, up to a limit that grows with the font."""
        self.resizeColumnToContents(VALUE)
        limit = round(MAX_VALUE_PX * self._scale)
        self.setColumnWidth(VALUE, min(self.columnWidth(VALUE), limit))

    def set_font_scale(self, scale: float) -> None:
        """Monospace numbers, larger for the presentation theme."""
        self._scale = scale
        font = QFont(graph_font_family())
        font.setPixelSize(round(FONT_PX * scale))
        self.setFont(font)
        self._fit_value_column()

    def set_state(self, state) -> None:
        """Follow the replay: ``state`` is a :class:`~gradviz.ui.player.StepState`."""
        if self._snapshot is None:
            return
        for name, item in self._rows.items():
            item.setText(GRAD, self._grad_text(state, name))
            item.setToolTip(GRAD, tip(f"{item.text(GRAD)}\n{self._tooltip(state, name)}"))

    def grad_text(self, name: str) -> str:
        """The ``.grad`` cell of a variable (for tests and accessibility)."""
        return self._rows[name].text(GRAD)

    def _grad_text(self, state, name: str) -> str:
        arrived = state.contributions.get(name, [])
        grad = state.grads.get(name)
        if not self._requires_grad.get(name, True):
            return "None"
        accumulated = self._accumulated(state, name)
        if accumulated is None:  # this run's AccumulateGrad has not run yet
            text = grad_sum_text(None, arrived, complete=False,
                                 expected=self._expected(state, name))
            if grad is not None:  # kept from an earlier run
                return f"{format_compact(grad)}" + (f"  (+ {text})" if text else "")
            return text or "—"
        return grad_sum_text(grad, arrived, accumulated.grad_before)

    def _expected(self, state, name: str) -> int:
        """How many gradients reach ``name`` in this run."""
        for step in self._snapshot.steps:
            if step.variable == name and step.run == state.run:
                return len(step.contributions)
        return 0

    def _accumulated(self, state, name: str):
        """The step of this run that accumulated ``name``, if it has run."""
        for step in self._snapshot.steps[: state.step]:
            if step.variable == name and step.run == state.run:
                return step
        return None

    def _tooltip(self, state, name: str) -> str:
        if not self._requires_grad.get(name, True):
            return self.tr("{0} has requires_grad=False: PyTorch keeps no gradient for it "
                           "(.grad is None)").format(name)
        if self._accumulated(state, name) is not None:
            return self.tr("{0}.grad: the gradients from every path, added up").format(name)
        return self.tr("Gradients arrive at {0} along each path; "
                       "AccumulateGrad adds them up").format(name)

    def _on_clicked(self, item: QTreeWidgetItem, _column: int = 0) -> None:
        node = item.data(NAME, ROLE_NODE)
        if node:
            self.leaf_activated.emit(node)
