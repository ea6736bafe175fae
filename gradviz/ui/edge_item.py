"""An edge of the graph: Graphviz's B-spline, an arrowhead, an optional gradient label."""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QPainterPath, QPolygonF
from PySide6.QtWidgets import QGraphicsItem

from ..core.snapshot import EdgePath
from .fonts import ADVANCE_EM, graph_font
from .item_base import LOD_PLAIN, MARGIN, MIN_TEXT_PX, ReplayLook
from .palette import Palette, emphasis

LABEL_PX = 9  # edge labels (gradients along edges)
LABEL_RESERVE = 16  # characters of label room kept in the bounds once a label was shown


class EdgeItem(ReplayLook, QGraphicsItem):
    """An edge: Graphviz's B-spline, an arrowhead, an optional gradient label."""

    def __init__(self, path: EdgePath, kind: str, palette: Palette) -> None:
        super().__init__()
        self.edge = path
        self.kind = kind
        self._palette = palette  # replay state and role: ReplayLook's class defaults
        self._label = ""
        self._path: QPainterPath | None = None  # built on first paint (cheap scene build)
        self._arrow: QPolygonF | None = None
        self._style = "dashed" if not path.directed and path.style == "solid" else path.style
        points = path.points + [path.arrow[0]] if path.arrow else path.points  # with the tip
        xs, ys = zip(*points)
        x0, y0 = min(xs) - MARGIN, min(ys) - MARGIN
        self._line_bounds = QRectF(x0, y0, max(xs) + MARGIN - x0, max(ys) + MARGIN - y0)
        self._bounds = self._line_bounds
        self._label_rect: QRectF | None = None
        self._mid: QPointF | None = None  # the spline's middle, where labels go (lazy)
        self._reserved = 0  # label characters the bounds hold room for

    def grad_label(self) -> str:
        """The gradient label shown along the edge (empty if none)."""
        return self._label

    def set_grad_label(self, text: str, repaint: bool = True) -> bool:
        """Show ``text`` (the gradient sent along this edge) at the edge's middle.

        The bounds keep room for a label once one was shown (and grow only for a
        longer one): replay steps that put labels on and off many edges then
        change no geometry, which would re-index each item in the scene. With
        ``repaint=False`` the caller repaints (``GraphScene.items_look_changed``).
        True if the label changed.
        """
        if text == self._label:
            return False
        self._label = text
        self._label_rect = None  # placed when painted
        if len(text) > self._reserved:
            self.prepareGeometryChange()
            self._reserved = max(len(text), LABEL_RESERVE)
            self._bounds = self._line_bounds.united(self._make_label_rect(self._reserved))
        if repaint:
            self.update()
        return True

    def apply_theme(self) -> None:
        """Re-read the shared palette (after the scene switched themes)."""
        self.update()

    def line_style(self) -> str:
        """``solid``, ``dashed`` (saved-tensor links) or ``dotted`` (views)."""
        return self._style

    def painter_path(self) -> QPainterPath:
        """The spline: p0, then cubic segments (c1, c2, p)."""
        if self._path is None:
            pts = self.edge.points
            path = QPainterPath(QPointF(*pts[0]))
            for i in range(1, len(pts) - 2, 3):
                path.cubicTo(QPointF(*pts[i]), QPointF(*pts[i + 1]), QPointF(*pts[i + 2]))
            self._path = path
            self._arrow = _arrowhead(self.edge.arrow) if self.edge.arrow else None
        return self._path

    def _make_label_rect(self, chars: int) -> QRectF:
        if self._mid is None:
            self._mid = self.painter_path().pointAtPercent(0.5)
        mid = self._mid
        width = chars * ADVANCE_EM * LABEL_PX + 6
        return QRectF(mid.x() + 4, mid.y() - LABEL_PX * 0.75, width, LABEL_PX * 1.5)

    def boundingRect(self) -> QRectF:  # noqa: N802 (Qt's name)
        return self._bounds

    def shape(self) -> QPainterPath:
        """Edges are not clickable: clicks and drags go through to nodes or the view."""
        return QPainterPath()

    def paint(self, painter, option, widget=None) -> None:
        """Draw the spline, the arrowhead and the label, simpler when zoomed out."""
        palette = self._palette
        lod = option.levelOfDetailFromTransform(painter.worldTransform())
        look = emphasis(self._state, self._role)
        if self._state == "dimmed":  # the look's opacity, applied here: no per-item restyling
            painter.setOpacity(painter.opacity() * palette.theme.dim_opacity)
        path = self.painter_path()
        painter.setPen(palette.edge_pens[(look, self._style, lod < 1.0)])
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawPath(path)
        if lod < LOD_PLAIN:
            return
        if self._arrow is not None:
            painter.setPen(palette.edge_pens[(look, "solid", lod < 1.0)])
            painter.setBrush(palette.edge_brushes[look])
            painter.drawPolygon(self._arrow)
        if self._label and lod * LABEL_PX >= MIN_TEXT_PX:
            self._paint_label(painter)

    def _paint_label(self, painter) -> None:
        palette = self._palette
        if self._label_rect is None:
            self._label_rect = self._make_label_rect(len(self._label))
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(palette.label_brush)
        painter.drawRoundedRect(self._label_rect, 2.0, 2.0)
        painter.setFont(graph_font(LABEL_PX, palette.bold))
        painter.setPen(palette.grad_pen)
        painter.drawText(self._label_rect, Qt.AlignmentFlag.AlignCenter, self._label)


def _arrowhead(arrow: list[list[float]]) -> QPolygonF:
    """Graphviz's "normal" arrowhead: a triangle from the base to the tip, 0.35 wide."""
    (tx, ty), (bx, by) = arrow
    vx, vy = -(ty - by) * 0.35, (tx - bx) * 0.35
    return QPolygonF([QPointF(bx + vx, by + vy), QPointF(tx, ty), QPointF(bx - vx, by - vy)])
