"""Boxes around the nodes of one nn.Module call (Graphviz clusters), behind everything."""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QPen
from PySide6.QtWidgets import QGraphicsItem

from ..core.snapshot import ClusterBox
from .fonts import graph_font
from .palette import blend

CORNER = 6.0
LABEL_PX = 9


class ClusterItem(QGraphicsItem):
    """A rounded box with the module's path, tinted a little more for each nesting level."""

    def __init__(self, box: ClusterBox, depth: int, theme) -> None:
        super().__init__()
        self.box = box
        self.depth = depth
        x0, y0, x1, y1 = box.bbox
        self._rect = QRectF(x0, y0, x1 - x0, y1 - y0)
        self.setZValue(-10 + depth)  # under edges and nodes, inner boxes above outer ones
        self.apply_theme(theme)

    @staticmethod
    def colors(theme, depth: int) -> tuple[QColor, QColor]:
        """``(fill, title)`` of a box nested ``depth`` deep: a faint tint over the
        background (opaque, as painted over the canvas) and readable title text."""
        ink = theme.color("muted_text")
        fill = blend(ink, theme.color("background"), min(0.04 * (depth + 1), 0.2))
        return fill, theme.color("text")

    def apply_theme(self, theme) -> None:
        """Colours from the theme: a faint tint over the background, a clear title."""
        ink = theme.color("muted_text")
        self._pen = QPen(ink, 0.8 * theme.line_scale)
        self._text = self.colors(theme, self.depth)[1]
        self._fill = QColor(ink)  # translucent: nested boxes deepen the tint
        self._fill.setAlphaF(min(0.04 * (self.depth + 1), 0.2))
        self._font_scale = theme.font_scale
        self.update()

    def boundingRect(self) -> QRectF:  # noqa: N802 (Qt's name)
        return self._rect.adjusted(-1, -1, 1, 1)

    def paint(self, painter, option, widget=None) -> None:
        painter.setPen(self._pen)
        painter.setBrush(self._fill)
        painter.drawRoundedRect(self._rect, CORNER, CORNER)
        lod = option.levelOfDetailFromTransform(painter.worldTransform())
        if lod * LABEL_PX < 5 or not self.box.label:
            return
        painter.setFont(graph_font(round(LABEL_PX * self._font_scale)))
        painter.setPen(self._text)
        top = QRectF(self._rect.left() + 4, self._rect.top() + 1, self._rect.width() - 8, 14)
        painter.drawText(top, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop,
                         self.box.label)

    def rect(self) -> QRectF:
        """The box, in scene coordinates."""
        return QRectF(self._rect)

    def label_anchor(self) -> QPointF:
        """Where the module's name is written (top left)."""
        return self._rect.topLeft()
