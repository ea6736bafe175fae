"""An edge of the graph: Graphviz's B-spline, an arrowhead, an optional gradient label."""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QPainterPath, QPolygonF
from PySide6.QtWidgets import QGraphicsItem

from ...core.snapshot import EdgePath
from ..base.fonts import ADVANCE_EM, graph_font
from .item_base import LOD_PLAIN, MARGIN, MIN_TEXT_PX, ReplayLook
from .label_fold import label_foldings
from .label_place import label_rect_at_middle
from .palette import Palette, emphasis

LABEL_PX = 9  # edge labels (gradients along edges)


class EdgeItem(ReplayLook, QGraphicsItem):
    """An edge: Graphviz's B-spline, an arrowhead, an optional gradient label."""

    _spots: dict[str, tuple[QRectF, str]] | None = None  # label -> (rect, as drawn): kept

    def __init__(self, path: EdgePath, kind: str, palette: Palette) -> None:
        super().__init__()
        self.edge = path
        self.kind = kind
        self._palette = palette  # replay state and role: ReplayLook's class defaults
        self._label = ""
        self._label_lines = ""  # the label as drawn (folded on two lines where it must)
        self._path: QPainterPath | None = None  # built on first paint (cheap scene build)
        self._arrow: QPolygonF | None = None
        self._style = "dashed" if not path.directed and path.style == "solid" else path.style
        points = path.points + [path.arrow[0]] if path.arrow else path.points  # with the tip
        xs, ys = zip(*points)
        x0, y0 = min(xs) - MARGIN, min(ys) - MARGIN
        self._line_bounds = QRectF(x0, y0, max(xs) + MARGIN - x0, max(ys) + MARGIN - y0)
        self._bounds = self._line_bounds
        self._label_rect: QRectF | None = None

    def grad_label(self) -> str:
        """The gradient label shown along the edge (empty if none)."""
        return self._label

    def set_grad_label(self, text: str, repaint: bool = True) -> bool:
        """Show ``text`` (the gradient sent along this edge) beside the edge, where the
        scene's :class:`~gradviz.ui.graph.label_place.LabelPlacer` puts it. With
        ``repaint=False`` the caller repaints (``GraphScene.items_look_changed``).
        True if the label changed."""
        if text == self._label:
            return False
        self._label = text
        if not text:
            self._label_rect, self._label_lines = None, ""
        else:
            spots = self._spots
            spot = spots.get(text) if spots is not None else None
            self._label_rect, self._label_lines = spot or self._new_spot(text)
        if repaint:
            self.update()
        return True

    def _new_spot(self, text: str) -> tuple[QRectF, str]:
        """Place ``text``; the bounds grow to hold it (rarely: they keep each label's room).
        A spot that depends on the edge and the text alone is kept (jumps relabel
        hundreds of edges) until the theme changes."""
        rect, lines = self._make_label_rect(text)
        if not self._bounds.contains(rect):
            self.prepareGeometryChange()
            self._bounds = self._bounds.united(rect)
        scene = getattr(self, "graph_scene", None) or self.scene()
        placer = getattr(scene, "label_placer", None)
        if placer is not None and placer.lasting(self, text):
            if self._spots is None:
                self._spots = {}
            self._spots[text] = (rect, lines)
        return rect, lines

    def apply_theme(self) -> None:
        """Re-read the shared palette (after the scene switched themes): the label's size
        may change, so it is placed again."""
        self._spots = None
        if self._label:
            text, self._label = self._label, ""
            self.set_grad_label(text)
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

    def label_px(self) -> int:
        """The label's text size (layout points): larger in a large-text theme."""
        return round(LABEL_PX * (1 + (self._palette.theme.font_scale - 1) / 2))

    def label_rect(self) -> QRectF | None:
        """Where the label is drawn (None without a label)."""
        return QRectF(self._label_rect) if self._label_rect is not None else None

    def arrow_polygon(self) -> QPolygonF | None:
        """The arrowhead (None for an undirected edge)."""
        self.painter_path()
        return self._arrow

    def _make_label_rect(self, text: str) -> tuple[QRectF, str]:
        """Where the label goes (the scene's placer decides), and its text as drawn
        (folded if it must)."""
        scene = getattr(self, "graph_scene", None) or self.scene()  # out of it in overview
        placer = getattr(scene, "label_placer", None)
        if placer is None:
            return label_rect_at_middle(self.painter_path(),
                                        *self._label_size(text, self.label_px())), text
        return placer.spot(self, text)

    def choose_label_spot(self, placer, text: str) -> tuple[QRectF, str]:
        """``(rect, text as drawn)``: the best spot for ``text``; a long one that fits
        nowhere on one line is tried folded (``[4×1]`` over ``μ=0.5171``; a matrix row
        by row)."""
        px = self.label_px()
        best = None
        for far in (False, True):  # near the edge folded, before far from it whole
            for lines in (text, *label_foldings(text)):
                rect, hits = placer.place(self, *self._label_size(lines, px), far=far)
                if best is None or hits < best[0]:
                    best = (hits, rect, lines)
                if not hits:
                    return rect, lines
        return best[1], best[2]

    @staticmethod
    def _label_size(text: str, px: int) -> tuple[float, float]:
        lines = text.split("\n")
        return max(map(len, lines)) * ADVANCE_EM * px + 4, px * 1.3 * len(lines)

    def boundingRect(self) -> QRectF:
        return self._bounds

    def shape(self) -> QPainterPath:
        """Edges are not clickable: clicks and drags go through to nodes or the view."""
        return QPainterPath()

    def paint(self, painter, option, widget=None) -> None:
        """Draw the spline, the arrowhead and the label, simpler when zoomed out."""
        palette = self._palette
        lod = option.levelOfDetailFromTransform(painter.worldTransform())
        look = emphasis(self._state, self._role)
        path = self.painter_path()
        dimmed = look == "idle" and self._state == "dimmed"
        pens = palette.dim_edge_pens if dimmed else None
        painter.setPen(pens[(self._style, lod < 1.0)] if dimmed
                       else palette.edge_pens[(look, self._style, lod < 1.0)])
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawPath(path)
        if lod < LOD_PLAIN:
            return
        if self._arrow is not None:
            pen = pens[("solid", lod < 1.0)] if dimmed else palette.edge_pens[
                (look, "solid", lod < 1.0)]
            painter.setPen(pen)
            painter.setBrush(pen.color() if dimmed else palette.edge_brushes[look])
            painter.drawPolygon(self._arrow)
        if self._label_rect is not None and lod * self.label_px() >= MIN_TEXT_PX:
            self._paint_label(painter)

    def _paint_label(self, painter) -> None:
        rect = self._label_rect
        palette = self._palette
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(palette.label_brush)
        painter.drawRoundedRect(rect, 2.0, 2.0)
        painter.setFont(graph_font(self.label_px(), palette.bold))
        painter.setPen(palette.grad_pen)
        painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, self._label_lines)


def _arrowhead(arrow: list[list[float]]) -> QPolygonF:
    """Graphviz's "normal" arrowhead: a triangle from the base to the tip, 0.35 wide."""
    (tx, ty), (bx, by) = arrow
    vx, vy = -(ty - by) * 0.35, (tx - bx) * 0.35
    return QPolygonF([QPointF(bx + vx, by + vy), QPointF(tx, ty), QPointF(bx - vx, by - vy)])
