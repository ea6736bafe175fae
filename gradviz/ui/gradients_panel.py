"""The gradients panel: each leaf's value and ``.grad``, written as the sum of its parts.

``x.grad = 72 = 4 + 8 + 60`` once accumulated; while the parts are still
arriving it shows them (``4 + 8 …``). It follows the player; a click on a row
asks for the leaf to be shown (``leaf_activated(node_id)``).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTreeWidget, QTreeWidgetItem

from ..core.formatting import format_compact
from ..core.snapshot import Contribution, Snapshot

NAME, VALUE, GRAD = range(3)
ROLE_NODE = Qt.ItemDataRole.UserRole


def grad_sum_text(grad: Any, contributions: Sequence[Contribution],
                  before: Any = None, *, complete: bool = True) -> str:
    """``72 = 4 + 8 + 60`` (complete), ``4 + 8 …`` (arriving), ``72`` or ``""``."""
    parts = [format_compact(c.value) for c in contributions]
    if before is not None and parts:
        parts.insert(0, format_compact(before))
    if not complete:
        return " + ".join(parts) + " …" if parts else ""
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
        header.setSectionResizeMode(VALUE, QHeaderView.ResizeMode.ResizeToContents)
        self._snapshot: Snapshot | None = None
        self._rows: dict[str, QTreeWidgetItem] = {}
        self.itemClicked.connect(self._on_clicked)
        self.itemActivated.connect(self._on_clicked)

    def set_snapshot(self, snapshot: Snapshot | None) -> None:
        """One row per variable of ``snapshot`` (none for None)."""
        self.clear()
        self._rows.clear()
        self._snapshot = snapshot
        for var in snapshot.variables if snapshot is not None else []:
            item = QTreeWidgetItem([var.name, format_compact(var.value), ""])
            item.setData(NAME, ROLE_NODE, var.node)
            item.setToolTip(NAME, self.tr("Click to show {0} in the graph").format(var.name))
            self.addTopLevelItem(item)
            self._rows[var.name] = item

    def set_state(self, state) -> None:
        """Follow the replay: ``state`` is a :class:`~gradviz.ui.player.StepState`."""
        if self._snapshot is None:
            return
        for name, item in self._rows.items():
            item.setText(GRAD, self._grad_text(state, name))
            item.setToolTip(GRAD, self._tooltip(state, name))

    def grad_text(self, name: str) -> str:
        """The ``.grad`` cell of a variable (for tests and accessibility)."""
        return self._rows[name].text(GRAD)

    def _grad_text(self, state, name: str) -> str:
        arrived = state.contributions.get(name, [])
        grad = state.grads.get(name)
        accumulated = self._accumulated(state, name)
        if accumulated is None:  # this run's AccumulateGrad has not run yet
            text = grad_sum_text(None, arrived, complete=False)
            if grad is not None:  # kept from an earlier run
                return f"{format_compact(grad)}" + (f"  (+ {text})" if text else "")
            return text or "—"
        return grad_sum_text(grad, arrived, accumulated.grad_before)

    def _accumulated(self, state, name: str):
        """The step of this run that accumulated ``name``, if it has run."""
        for step in self._snapshot.steps[: state.step]:
            if step.variable == name and step.run == state.run:
                return step
        return None

    def _tooltip(self, state, name: str) -> str:
        if self._accumulated(state, name) is not None:
            return self.tr("{0}.grad: the gradients from every path, added up").format(name)
        return self.tr("Gradients arrive at {0} along each path; "
                       "AccumulateGrad adds them up").format(name)

    def _on_clicked(self, item: QTreeWidgetItem, _column: int = 0) -> None:
        node = item.data(NAME, ROLE_NODE)
        if node:
            self.leaf_activated.emit(node)
