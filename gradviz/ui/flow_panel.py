"""The Gradient flow panel: bars per parameter or module (the gradient's norm), or per node
or module (the bytes its saved tensors keep alive for the backward pass).

A view of the :class:`~gradviz.ui.player.Player`'s Snapshot (the numbers come
from :mod:`gradviz.core.gradient_flow` and :mod:`gradviz.core.saved_memory`);
clicking a bar shows its numbers and asks the graph to select its node
(``node_activated``).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from PySide6.QtCore import QEvent, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QPainter
from PySide6.QtWidgets import QComboBox, QLabel, QScrollArea, QVBoxLayout, QWidget

from ..core.formatting import format_shape
from ..core.gradient_flow import FlowRow, module_flow, parameter_flow
from ..core.saved_memory_report import memory_report
from .problems_text import localized_number

ROW_H = 22
NAME_W = 120
VALUE_W = 70
ZERO_COLOUR = QColor("#d55e00")  # colour-blind-safe vermilion (Okabe–Ito)


@dataclass
class ChartRow:
    """One bar: its label, its length (None: unknown), the number shown and its nodes."""

    label: str
    value: float | None
    text: str
    nodes: list[str] = field(default_factory=list)
    details: str = ""


class FlowChart(QWidget):
    """Horizontal bars, one per row, scaled to the largest norm; a click emits the row."""

    row_clicked = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.rows: list[ChartRow] = []
        self.selected = -1

    def set_rows(self, rows: list[ChartRow]) -> None:
        """Show ``rows`` (none selected)."""
        self.rows, self.selected = list(rows), -1
        self.updateGeometry()
        self.update()

    def sizeHint(self) -> QSize:
        return QSize(NAME_W + VALUE_W + 120, max(ROW_H, ROW_H * len(self.rows)) + 4)

    def minimumSizeHint(self) -> QSize:
        return QSize(NAME_W + VALUE_W + 40, self.sizeHint().height())

    def bar_rect(self, row: int) -> QRectF:
        """Where row ``row``'s bar is drawn (zero length for a zero or unknown norm)."""
        top = 2 + row * ROW_H
        span = max(1.0, self.width() - NAME_W - VALUE_W - 8)
        biggest = max((r.value for r in self.rows if r.value), default=0.0)
        value = self.rows[row].value or 0.0
        length = span * value / biggest if biggest else 0.0
        return QRectF(NAME_W + 4, top + 4, length, ROW_H - 8)

    def paintEvent(self, event) -> None:
        painter = QPainter(self)
        palette = self.palette()
        metrics = painter.fontMetrics()
        for i, row in enumerate(self.rows):
            top = 2 + i * ROW_H
            if i == self.selected:
                shade = palette.highlight().color().lighter(170)
                painter.fillRect(0, top, self.width(), ROW_H, shade)
            painter.setPen(palette.text().color())
            name = metrics.elidedText(row.label,
                                      Qt.TextElideMode.ElideMiddle, NAME_W - 4)
            painter.drawText(QRectF(0, top, NAME_W, ROW_H),
                             Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, name)
            bar = self.bar_rect(i)
            painter.fillRect(bar, palette.highlight())
            if row.value == 0:
                painter.setPen(ZERO_COLOUR)
            painter.drawText(QRectF(self.width() - VALUE_W, top, VALUE_W - 4, ROW_H),
                             Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, row.text)
        painter.end()

    def mousePressEvent(self, event) -> None:
        row = int((event.position().y() - 2) // ROW_H)
        if 0 <= row < len(self.rows):
            self.selected = row
            self.update()
            self.row_clicked.emit(row)


class GradientFlowPanel(QWidget):
    """A bar chart of gradient norms (per parameter or module) or of saved-tensor bytes (per
    node or module), and the clicked bar's numbers."""

    node_activated = Signal(str)
    PARAMETERS, MODULES, SAVED_NODES, SAVED_MODULES = range(4)
    MAX_NODES = 40  # the biggest savers listed

    def __init__(self, player, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("GradientFlowPanel")
        self._player = player
        self._params: list[FlowRow] = []
        self.grouping = QComboBox()
        self.chart = FlowChart()
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setWidget(self.chart)
        self.details = QLabel()
        self.details.setWordWrap(True)
        self.details.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        for widget, stretch in ((self.grouping, 0), (scroll, 1), (self.details, 0)):
            layout.addWidget(widget, stretch)
        self._retranslate()
        self.grouping.currentIndexChanged.connect(self._show_rows)
        self.chart.row_clicked.connect(self._on_row_clicked)
        player.snapshot_changed.connect(self._on_snapshot_changed)
        self._on_snapshot_changed()

    def set_grouping(self, index: int) -> None:
        """Show one of PARAMETERS, MODULES, SAVED_NODES, SAVED_MODULES."""
        self.grouping.setCurrentIndex(index)

    def _retranslate(self) -> None:
        index = max(0, self.grouping.currentIndex())
        self.grouping.blockSignals(True)
        self.grouping.clear()
        self.grouping.addItems([self.tr("Gradient norm per parameter"),
                                self.tr("Gradient norm per module"),
                                self.tr("Saved tensors: bytes per node"),
                                self.tr("Saved tensors: bytes per module")])
        self.grouping.setCurrentIndex(index)
        self.grouping.blockSignals(False)

    def _on_snapshot_changed(self) -> None:
        snapshot = self._player.snapshot
        self._params = parameter_flow(snapshot) if snapshot is not None else []
        self._show_rows()

    def _show_rows(self) -> None:
        mode = self.grouping.currentIndex()
        if mode in (self.SAVED_NODES, self.SAVED_MODULES):
            rows = self._memory_rows(mode == self.SAVED_MODULES)
            empty = self.tr("This Snapshot has no saved-tensor measurement.")
        else:
            flow = module_flow(self._params) if mode == self.MODULES else self._params
            rows = [ChartRow(r.name or self.tr("(no module)"), r.norm,
                             "?" if r.norm is None else localized_number(r.norm), r.nodes,
                             self.flow_text(r)) for r in flow]
            empty = self.tr("No parameter received a gradient.")
        self.chart.set_rows(rows)
        self.details.setText(self.tr("Click a bar for its numbers.") if rows else empty)

    def _memory_rows(self, by_module: bool) -> list[ChartRow]:
        snapshot = self._player.snapshot
        report = memory_report(snapshot) if snapshot is not None else None
        if report is None:
            return []
        total = self.tr("{0} in all, each storage counted once").format(bytes_text(report.total))
        if by_module:
            items = sorted(report.per_module.items(), key=lambda kv: -kv[1])
            return [ChartRow(m or self.tr("(no module)"), b, bytes_text(b), [],
                             f"{m or self.tr('(no module)')}: {bytes_text(b)} ({total})")
                    for m, b in items]
        rows = []
        for node_id, size in report.biggest_of(self.MAX_NODES):
            node = snapshot.node(node_id)
            label = f"{node.module}: {node.op}" if node.module else f"{node.op} ({node_id})"
            saved = snapshot.meta["saved_memory"]["nodes"].get(node_id, [])
            listed = ", ".join(f"{e['name']} {format_shape(e['shape'])} {e['dtype']}"
                               for e in saved)
            rows.append(ChartRow(label, size, bytes_text(size), [node_id],
                                 f"{label}: {bytes_text(size)}: {listed} ({total})"))
        return rows

    def _on_row_clicked(self, index: int) -> None:
        row = self.chart.rows[index]
        self.details.setText(row.details)
        if row.nodes:
            self.node_activated.emit(row.nodes[0])

    def flow_text(self, row: FlowRow) -> str:
        """``name: norm 1.2, max |g| 0.5, mean |g| 0.1, zeros 33 %`` (? where unknown)."""
        def num(value):
            return "?" if value is None else localized_number(value)

        share = row.zero_fraction
        zeros = "?" if share is None else localized_number(round(100 * share, 1))
        return self.tr("{0}: norm {1}, max |g| {2}, mean |g| {3}, zeros {4} % "
                       "({5} elements)").format(row.name or self.tr("(no module)"),
                                                num(row.norm), num(row.max_abs),
                                                num(row.mean_abs), zeros, row.count)

    def changeEvent(self, event) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
            self._show_rows()
        super().changeEvent(event)


def bytes_text(size: float) -> str:
    """``512 B``, ``50.4 kB``, ``3.43 MB`` (powers of 1000), in the language's digits."""
    for unit, scale in (("GB", 1e9), ("MB", 1e6), ("kB", 1e3)):
        if size >= scale:
            return f"{localized_number(round(size / scale, 2))}\u00a0{unit}"
    return f"{localized_number(int(size))}\u00a0B"
