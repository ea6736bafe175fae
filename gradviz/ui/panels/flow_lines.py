"""Gradient norms over several backward runs (``--runs N``): one line per parameter or module.

The numbers come from :func:`gradviz.core.lens.gradient_flow.run_flow`; this widget
only draws them: runs along x (1 … N), the norm up y from 0, each line in an
Okabe–Ito colour with its name beside the plot.
"""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QPainter, QPen
from PySide6.QtWidgets import QWidget

from .problems_text import localized_number

COLOURS = ("#0072b2", "#d55e00", "#009e73", "#cc79a7", "#e69f00", "#56b4e9")  # Okabe–Ito
LEFT, RIGHT, TOP, BOTTOM = 70, 120, 12, 42  # margins around the plot, pixels
DOT = 3.0


class FlowLines(QWidget):
    """Lines of ``{name: [norm per run]}`` (None: unknown, the line breaks there)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.lines: dict[str, list[float | None]] = {}
        self.x_title = ""  # under the runs' numbers, at the right (set translated by the panel)

    def set_lines(self, lines: dict[str, list[float | None]]) -> None:
        """Show ``lines``."""
        self.lines = dict(lines)
        self.update()

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt's name)
        return QSize(LEFT + RIGHT + 200, 220)

    def minimumSizeHint(self) -> QSize:  # noqa: N802 (Qt's name)
        return QSize(LEFT + RIGHT + 80, 140)

    def plot_rect(self) -> QRectF:
        """Where the lines are drawn."""
        return QRectF(LEFT, TOP, max(1, self.width() - LEFT - RIGHT),
                      max(1, self.height() - TOP - BOTTOM))

    def top_value(self) -> float:
        """The norm at the top of the plot (the largest known one)."""
        return max((v for line in self.lines.values() for v in line if v is not None),
                   default=0.0)

    def point(self, name: str, run: int) -> QPointF | None:
        """Where run ``run`` (from 0) of line ``name`` is drawn (None if unknown)."""
        value = self.lines[name][run]
        if value is None:
            return None
        rect, runs, top = self.plot_rect(), len(self.lines[name]), self.top_value()
        x = rect.left() + (rect.width() * run / (runs - 1) if runs > 1 else rect.width() / 2)
        y = rect.bottom() - (rect.height() * value / top if top else 0.0)
        return QPointF(x, y)

    def paintEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        self._paint_axes(painter)
        metrics = painter.fontMetrics()
        for i, (name, line) in enumerate(self.lines.items()):
            color = QColor(COLOURS[i % len(COLOURS)])
            painter.setPen(QPen(color, 2.0))
            painter.setBrush(color)
            previous = None
            for run in range(len(line)):
                point = self.point(name, run)
                if point is not None:
                    if previous is not None:
                        painter.drawLine(previous, point)
                    painter.drawEllipse(point, DOT, DOT)
                previous = point
            y = TOP + i * (metrics.height() + 2)
            painter.fillRect(QRectF(self.width() - RIGHT + 8, y + 4, 12, 4), color)
            painter.setPen(self.palette().text().color())
            label = metrics.elidedText(name, Qt.TextElideMode.ElideMiddle, RIGHT - 28)
            painter.drawText(QRectF(self.width() - RIGHT + 24, y, RIGHT - 26, metrics.height()),
                             Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, label)
        painter.end()

    def _paint_axes(self, painter: QPainter) -> None:
        rect = self.plot_rect()
        text = self.palette().text().color()
        painter.setPen(QPen(text, 1.0))
        painter.drawLine(rect.bottomLeft(), rect.bottomRight())
        painter.drawLine(rect.bottomLeft(), rect.topLeft())
        right = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
        painter.drawText(QRectF(0, rect.top() - 8, LEFT - 6, 16), right,
                         localized_number(self.top_value()))
        painter.drawText(QRectF(0, rect.bottom() - 8, LEFT - 6, 16), right, "0")
        runs = max((len(line) for line in self.lines.values()), default=0)
        for run in range(runs):
            x = rect.left() + (rect.width() * run / (runs - 1) if runs > 1 else rect.width() / 2)
            painter.drawText(QRectF(x - 20, rect.bottom() + 2, 40, 18),
                             Qt.AlignmentFlag.AlignCenter, str(run + 1))
        painter.drawText(QRectF(rect.left(), rect.bottom() + 20, rect.width(), 18),
                         Qt.AlignmentFlag.AlignCenter, self.x_title)
