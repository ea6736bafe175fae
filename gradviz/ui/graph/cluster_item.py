"""Boxes around the nodes of one nn.Module call (Graphviz clusters), behind everything."""

from __future__ import annotations

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QPen
from PySide6.QtWidgets import QGraphicsItem

from ...core.snapshot import ClusterBox
from ..base.fonts import graph_font
from .palette import blend

CORNER = 6.0
LABEL_PX = 12  # the layout's cluster label size (core.layout), points
MIN_TITLE_PX = 11  # a module's title on screen, however far the view is zoomed out


class ClusterItem(QGraphicsItem):
    """A rounded box with the module's path, tinted a little more for each nesting level."""

    def __init__(self, box: ClusterBox, depth: int, theme) -> None:
        super().__init__()
        self.box = box
        self.depth = depth
        x0, y0, x1, y1 = box.bbox
        self._rect = QRectF(x0, y0, x1 - x0, y1 - y0)
        self.setZValue(-10 + depth)  # under edges and nodes, inner boxes above outer ones
        self.title_room = LABEL_PX * 1.4  # height free above the contents (set by the scene)
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

    def boundingRect(self) -> QRectF:
        return self._rect.adjusted(-1, -1, 1, 1)

    def paint(self, painter, option, widget=None) -> None:
        painter.setPen(self._pen)
        painter.setBrush(self._fill)
        painter.drawRoundedRect(self._rect, CORNER, CORNER)
        lod = option.levelOfDetailFromTransform(painter.worldTransform())
        if not self.box.label or lod <= 0:
            return
        # At least MIN_TITLE_PX on screen when zoomed out, within the room the layout left
        # above the box's contents (titles never cover nodes or inner boxes).
        size = min(max(LABEL_PX * self._font_scale, MIN_TITLE_PX / lod), self.title_room / 1.3)
        if lod * size < 5:
            return
        painter.setFont(graph_font(max(1, round(size))))
        painter.setPen(self._text)
        top = QRectF(self._rect.left() + size * 0.4, self._rect.top() + 1,
                     self._rect.width() - size * 0.8, size * 1.5)
        text = painter.fontMetrics().elidedText(self.box.label, Qt.TextElideMode.ElideRight,
                                                round(top.width()))
        painter.drawText(top, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop, text)

    def rect(self) -> QRectF:
        """The box, in scene coordinates."""
        return QRectF(self._rect)

