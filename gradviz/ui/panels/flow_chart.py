"""The gradient flow panel's bar chart: one horizontal bar per row, a click picks a row."""

from __future__ import annotations

from dataclasses import dataclass, field

from PySide6.QtCore import QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QPainter
from PySide6.QtWidgets import QWidget

ROW_H = 22
NAME_W = 120
VALUE_W = 70  # the numbers' column, at least (wider for longer texts: "costs 1.02 kB")
SELECTED_ALPHA = 60  # the selected row's highlight tint (over a light or a dark panel)
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

    def value_width(self) -> int:
        """The numbers' column: :data:`VALUE_W`, or the widest number and a margin."""
        metrics = self.fontMetrics()
        widest = max((metrics.horizontalAdvance(r.text) for r in self.rows), default=0)
        return max(VALUE_W, widest + 10)

    def content_height(self) -> int:
        """The height the rows take (the widget may be taller, in its scroll area)."""
        return max(ROW_H, ROW_H * len(self.rows)) + 4

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt's name)
        return QSize(NAME_W + self.value_width() + 120, self.content_height())

    def minimumSizeHint(self) -> QSize:  # noqa: N802 (Qt's name)
        return QSize(NAME_W + self.value_width() + 40, self.sizeHint().height())

    def bar_rect(self, row: int) -> QRectF:
        """Where row ``row``'s bar is drawn (zero length for a zero or unknown norm)."""
        top = 2 + row * ROW_H
        span = max(1.0, self.width() - NAME_W - self.value_width() - 8)
        biggest = max((r.value for r in self.rows if r.value), default=0.0)
        value = self.rows[row].value or 0.0
        length = span * value / biggest if biggest else 0.0
        return QRectF(NAME_W + 4, top + 4, length, ROW_H - 8)

    def paintEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        painter = QPainter(self)
        palette = self.palette()
        metrics = painter.fontMetrics()
        for i, row in enumerate(self.rows):
            top = 2 + i * ROW_H
            if i == self.selected:
                shade = QColor(palette.highlight().color())
                shade.setAlpha(SELECTED_ALPHA)  # a tint of the background: its text stays readable
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
            value_w = self.value_width()
            painter.drawText(QRectF(self.width() - value_w, top, value_w - 4, ROW_H),
                             Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, row.text)
        painter.end()

    def mousePressEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        row = int((event.position().y() - 2) // ROW_H)
        if 0 <= row < len(self.rows):
            self.selected = row
            self.update()
            self.row_clicked.emit(row)
