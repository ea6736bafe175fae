"""The gradients panel: each leaf's value and ``.grad``, written as the sum of its parts.

``x.grad = 72 = 4 + 8 + 60`` once accumulated; while the parts are still
arriving it shows them (``4 + 8 …``). It follows the player; a click on a row
asks for the leaf to be shown (``leaf_activated(node_id)``).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont, QFontMetricsF
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTreeWidget, QTreeWidgetItem

from ...core.graph.formatting import format_block, format_compact
from ...core.snapshot import Contribution, Snapshot
from ..base.fonts import graph_font_family
from ..base.plain import tip

NAME, VALUE, GRAD = range(3)
ROLE_NODE = Qt.ItemDataRole.UserRole
ROLE_TEXT = Qt.ItemDataRole.UserRole + 1  # the .grad text before wrapping
FONT_PX = 13
MAX_VALUE_PX = 110  # long values are elided (the tooltip has them): .grad gets the room
NAME_SHARE = 0.4  # the leaf names' column: at most this share of the panel's width
VALUE_SHARE = 0.25
INLINE_SUM = 60  # a sum of parts longer than this shows the total alone, whole, in rows


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
    matrix = isinstance(grad, list) and bool(grad) and isinstance(grad[0], list)
    if matrix or len(total) > INLINE_SUM:  # one row per line, never cut
        return "\n".join(line.rstrip() for line in format_block(grad, width=1 if matrix else 40))
    if len(parts) > 1 and total:
        text = f"{total} = " + " + ".join(parts)
        if len(text) <= INLINE_SUM:
            return text
    return total


def wrap_list_text(text: str, chars: int) -> str:
    """Break each line of ``text`` wider than ``chars`` after a list separator
    (``, `` or ``; ``), never inside a number: a long vector stays whole, over lines."""
    out = []
    for line in text.split("\n"):
        current = ""
        for piece in re.split(r"(?<=[,;]) ", line):
            if current and len(current) + 1 + len(piece) > chars:
                out.append(current)
                current = " " + piece
            else:
                current = f"{current} {piece}" if current else piece
        out.append(current)
    return "\n".join(out)


class GradientsPanel(QTreeWidget):
    """One row per leaf: name, value, .grad (with its contributions)."""

    leaf_activated = Signal(str)  # the leaf's node id

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("GradientsPanel")
        self.setColumnCount(3)
        self.setHeaderLabels([self.tr("leaf"), self.tr("value"), self.tr(".grad")])
        self.setRootIsDecorated(False)
        self.setUniformRowHeights(False)  # a matrix .grad takes one line per row
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        header = self.header()
        header.setStretchLastSection(True)
        header.setSectionResizeMode(NAME, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(VALUE, QHeaderView.ResizeMode.Interactive)
        self.setTextElideMode(Qt.TextElideMode.ElideMiddle)  # layers.0…in_proj_bias
        # Columns share the width (never scroll off): long names and values are elided,
        # their tooltips say them in full.
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self._snapshot: Snapshot | None = None
        self._rows: dict[str, QTreeWidgetItem] = {}
        self._requires_grad: dict[str, bool] = {}
        self._state = None  # the last replay state shown (re-wrapped when the column resizes)
        self.set_font_scale(1.0)
        self.itemClicked.connect(self._on_clicked)
        self.itemActivated.connect(self._on_clicked)
        header.sectionResized.connect(self._on_section_resized)

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
            item.setToolTip(VALUE, tip("\n".join(format_block(var.value))))
            self.addTopLevelItem(item)
            self._rows[var.name] = item
        self._fit_value_column()

    def _fit_value_column(self) -> None:
        """Name and value columns as wide as their contents, within a share of the panel's
        width (and the value within a limit that grows with the font): .grad keeps the rest."""
        width = max(self.viewport().width(), 120)
        self.resizeColumnToContents(NAME)
        self.setColumnWidth(NAME, min(self.columnWidth(NAME), int(width * NAME_SHARE)))
        self.resizeColumnToContents(VALUE)
        limit = min(round(MAX_VALUE_PX * self._scale), int(width * VALUE_SHARE))
        self.setColumnWidth(VALUE, min(self.columnWidth(VALUE), limit))

    def resizeEvent(self, event) -> None:
        """The columns share the new width."""
        super().resizeEvent(event)
        self._fit_value_column()

    def set_font_scale(self, scale: float) -> None:
        """Monospace numbers, larger for the presentation theme."""
        self._scale = scale
        font = QFont(graph_font_family())
        font.setPixelSize(round(FONT_PX * scale))
        self.setFont(font)
        self._fit_value_column()

    def set_state(self, state) -> None:
        """Follow the replay: ``state`` is a :class:`~gradviz.ui.viewer.player.StepState`."""
        self._state = state
        if self._snapshot is None:
            return
        chars = self._grad_chars()
        for name, item in self._rows.items():
            text = self._grad_text(state, name)
            item.setData(GRAD, ROLE_TEXT, text)
            item.setText(GRAD, wrap_list_text(text, chars))
            item.setToolTip(GRAD, tip(f"{item.text(GRAD)}\n{self._tooltip(state, name)}"))

    def _on_section_resized(self, index: int, _old: int, _new: int) -> None:
        if index == GRAD and self._state is not None:
            self.set_state(self._state)  # wrap the .grad texts to the new width

    def _grad_chars(self) -> int:
        """How many characters the .grad column shows on one line."""
        advance = QFontMetricsF(self.font()).horizontalAdvance("0") or 8.0
        return max(12, int((self.columnWidth(GRAD) - 12) / advance))

    def rows_text(self) -> list[tuple[str, str]]:
        """``[(leaf name, its .grad cell)]`` of the leaves that require grad, in order."""
        return [(name, item.data(GRAD, ROLE_TEXT) or item.text(GRAD))
                for name, item in self._rows.items() if self._requires_grad.get(name, True)]

    def grad_text(self, name: str) -> str:
        """The ``.grad`` cell of a variable, unwrapped (for tests and accessibility)."""
        item = self._rows[name]
        return item.data(GRAD, ROLE_TEXT) or item.text(GRAD)

    def grad_cell_text(self, state, name: str) -> str:
        """The ``.grad`` cell of ``name`` at ``state`` (the interactive page records it)."""
        return self._grad_text(state, name)

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
