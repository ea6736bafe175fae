"""The graph's items: a node box with its label, value and gradient lines; an edge.

Both draw from the Snapshot's layout (y-down points) with the scene's shared
:class:`~gradviz.ui.palette.Palette`. When zoomed out (level of detail below
the thresholds) they skip text and draw plain rectangles and hairlines, so
thousands of them repaint in a few milliseconds.
"""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QPainterPath, QPolygonF
from PySide6.QtWidgets import QGraphicsItem

from ..core.formatting import GRAD_PREFIX, VALUE_PREFIX
from ..core.snapshot import EdgePath, GraphNode, NodeBox
from .fonts import ADVANCE_EM, graph_font, graph_metrics
from .palette import Palette, emphasis

STATES = ("idle", "dimmed", "active", "done")
ROLES = (None, "selected", "input", "consumer")
LOD_PLAIN = 0.3  # below: boxes without border, edges without arrowheads
MIN_TEXT_PX = 5.0  # below this on-screen size text is unreadable noise: skipped
CORNER = 3.0  # rounded corners, points: subtle
MARGIN = 6.0  # room around the box for the glow and thick borders
TEXT_PAD = 4.0  # inner horizontal padding a gradient text must keep
LABEL_PX = 9  # edge labels (gradients along edges)


def _look_changed(item: QGraphicsItem) -> None:
    """Repaint ``item`` and tell its scene (the overview draws emphasised items on top)."""
    item.update()
    scene = item.scene()
    if scene is not None and hasattr(scene, "item_look_changed"):
        scene.item_look_changed(item)


def _check(value: str | None, allowed: tuple) -> None:
    if value not in allowed:
        raise ValueError(f"{value!r} is not one of {allowed}")


class NodeItem(QGraphicsItem):
    """A node box: torchviz's fill, its label, ``= value`` and a gradient slot."""

    def __init__(self, node: GraphNode, box: NodeBox, palette: Palette) -> None:
        super().__init__()
        self.node = node
        self.node_id = node.id
        self.box = box
        self._palette = palette
        self._rect = QRectF(box.x - box.width / 2, box.y - box.height / 2, box.width, box.height)
        self._bounds = self._rect.adjusted(-MARGIN, -MARGIN, MARGIN, MARGIN)
        self._state = "idle"
        self._role: str | None = None
        self._grad_text = ""
        self._value_shown = True
        self._texts: list | None = None  # laid out on first detailed paint
        # No Qt flags (each setFlags costs microseconds): the scene does selection itself,
        # and nodes are added after edges, so they stack above them.

    # -- the API the animation drives ------------------------------------------------
    def state(self) -> str:
        """``idle``, ``dimmed``, ``active`` or ``done``."""
        return self._state

    def set_state(self, state: str) -> None:
        """Replay state: ``idle``, ``dimmed`` (faded), ``active`` (glows), ``done``."""
        _check(state, STATES)
        if state != self._state:
            self._state = state
            self.setOpacity(self._palette.theme.dim_opacity if state == "dimmed" else 1.0)
            _look_changed(self)

    def grad_text(self) -> str:
        """The text in the gradient slot (empty until the replay sets it)."""
        return self._grad_text

    def set_grad_text(self, text: str) -> None:
        """Show ``text`` (e.g. ``"grad 72"``) in the gradient slot; ``""`` clears it."""
        if text == self._grad_text:
            return
        if not self._has_grad_slot():
            self.prepareGeometryChange()  # drawn under the box: the bounds grow
            extra = self.box.lines[-1].size * 1.4 if text and self.box.lines else 0.0
            self._bounds = self._rect.adjusted(-MARGIN, -MARGIN, MARGIN, MARGIN + extra)
        self._grad_text = text
        self._texts = None
        self.update()

    def value_shown(self) -> bool:
        """False while a forward replay hides the value (not computed yet)."""
        return self._value_shown

    def set_value_shown(self, shown: bool) -> None:
        """Show or hide the ``= value`` line (a forward replay hides values not computed yet)."""
        if shown != self._value_shown:
            self._value_shown = shown
            self._texts = None
            self.update()

    def _has_grad_slot(self) -> bool:
        lines = self.box.lines[self.box.label_lines:]
        return any(line.text.startswith(GRAD_PREFIX) for line in lines)

    def role(self) -> str | None:
        """Exploration highlight: ``selected``, ``input``, ``consumer`` or None."""
        return self._role

    def set_role(self, role: str | None) -> None:
        """Highlight as the selected node, one of its inputs or one of its consumers."""
        _check(role, ROLES)
        if role != self._role:
            self._role = role
            _look_changed(self)

    def fill_brush(self):
        """The brush the box is filled with (the node kind's colour in the theme)."""
        return self._palette.fill(self.node.kind)

    def rect(self) -> QRectF:
        """The box, in scene coordinates (layout points)."""
        return QRectF(self._rect)

    def apply_theme(self) -> None:
        """Re-read the shared palette (after the scene switched themes)."""
        if self._state == "dimmed":
            self.setOpacity(self._palette.theme.dim_opacity)
        self._texts = None
        self.update()

    # -- QGraphicsItem ------------------------------------------------------------------
    def boundingRect(self) -> QRectF:  # noqa: N802 (Qt's name)
        return self._bounds

    def shape(self) -> QPainterPath:
        """Clicks hit the box itself, not the glow margin around it."""
        path = QPainterPath()
        path.addRect(self._rect)
        return path

    def paint(self, painter, option, widget=None) -> None:
        """Draw the box; text only when it is big enough on screen to read."""
        palette = self._palette
        lod = option.levelOfDetailFromTransform(painter.worldTransform())
        look = emphasis(self._state, self._role)
        if lod < LOD_PLAIN:
            brush = palette.edge_brushes[look] if look != "idle" else self.fill_brush()
            painter.fillRect(self._rect, brush)
            return
        if look == "active":
            painter.setPen(palette.glow_pen)
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRoundedRect(self._rect, CORNER, CORNER)
        painter.setPen(palette.node_pens[look])
        painter.setBrush(self.fill_brush())
        painter.drawRoundedRect(self._rect, CORNER, CORNER)
        if self.box.lines and lod * self.box.lines[0].size >= MIN_TEXT_PX:
            self._paint_text(painter)

    def _paint_text(self, painter) -> None:
        palette = self._palette
        if self._texts is None:
            self._texts = self._layout_text()
        for size, point, text, is_grad in self._texts:
            painter.setFont(graph_font(size, palette.bold))
            painter.setPen(palette.grad_pen if is_grad else palette.text_pen)
            painter.drawText(point, text)

    def _layout_text(self) -> list[tuple[int, QPointF, str, bool]]:
        """Baseline positions of each visible line, centred where Graphviz put them."""
        out = []
        grad_line = None
        for i, line in enumerate(self.box.lines):
            text = line.text
            if i >= self.box.label_lines and text.startswith(GRAD_PREFIX):
                grad_line = line
                continue  # the reserved slot: filled by set_grad_text only
            if not self._value_shown and i >= self.box.label_lines and \
                    text.startswith(VALUE_PREFIX):
                continue
            if text:
                out.append(self._placed(line.size, line.x, line.y, text, False))
        if self._grad_text:
            line = grad_line or self._slot_below()
            text = self._fitted(self._grad_text, round(line.size))
            out.append(self._placed(line.size, line.x, line.y, text, True))
        return out

    def _slot_below(self):
        """Where a gradient goes when the layout reserved no line: under the box."""
        last = self.box.lines[-1]
        y = self._rect.bottom() + last.size * 0.8
        return type(last)(text="", x=last.x, y=y, size=last.size)

    def _fitted(self, text: str, size: int) -> str:
        """``text`` elided to the box's inner width: never overflow the box."""
        width = self._rect.width() - 2 * TEXT_PAD
        if len(text) * ADVANCE_EM * size <= width:
            return text
        return graph_metrics(size, self._palette.bold).elidedText(
            text, Qt.TextElideMode.ElideRight, width)

    def _placed(self, size: float, x: float, y: float, text: str, is_grad: bool):
        px = round(size)
        metrics = graph_metrics(px, self._palette.bold)
        width = metrics.horizontalAdvance(text)
        baseline = y + (metrics.ascent() - metrics.descent()) / 2
        return px, QPointF(x - width / 2, baseline), text, is_grad

    def value_text(self) -> str:
        """The ``= value`` line the layout reserved (empty if the node has none)."""
        for line in self.box.lines[self.box.label_lines:]:
            if line.text.startswith(VALUE_PREFIX):
                return line.text
        return ""


class EdgeItem(QGraphicsItem):
    """An edge: Graphviz's B-spline, an arrowhead, an optional gradient label."""

    def __init__(self, path: EdgePath, kind: str, palette: Palette) -> None:
        super().__init__()
        self.edge = path
        self.kind = kind
        self._palette = palette
        self._state = "idle"
        self._role: str | None = None
        self._label = ""
        self._path: QPainterPath | None = None  # built on first paint (cheap scene build)
        self._arrow: QPolygonF | None = None
        self._style = "dashed" if not path.directed and path.style == "solid" else path.style
        xs = [p[0] for p in path.points]
        ys = [p[1] for p in path.points]
        if path.arrow:  # the arrow's base is the spline's last point; add its tip
            xs.append(path.arrow[0][0])
            ys.append(path.arrow[0][1])
        x0, y0 = min(xs) - MARGIN, min(ys) - MARGIN
        self._line_bounds = QRectF(x0, y0, max(xs) + MARGIN - x0, max(ys) + MARGIN - y0)
        self._bounds = self._line_bounds
        self._label_rect: QRectF | None = None

    def state(self) -> str:
        """``idle``, ``dimmed``, ``active`` or ``done``."""
        return self._state

    def set_state(self, state: str) -> None:
        """Replay state, as for nodes: an active edge is thick and coloured."""
        _check(state, STATES)
        if state != self._state:
            self._state = state
            self.setOpacity(self._palette.theme.dim_opacity if state == "dimmed" else 1.0)
            _look_changed(self)

    def set_role(self, role: str | None) -> None:
        """Highlight as the selected node's input or consumer edge (or None)."""
        _check(role, ROLES)
        if role != self._role:
            self._role = role
            _look_changed(self)

    def role(self) -> str | None:
        """The exploration highlight (see :meth:`set_role`)."""
        return self._role

    def grad_label(self) -> str:
        """The gradient label shown along the edge (empty if none)."""
        return self._label

    def set_grad_label(self, text: str) -> None:
        """Show ``text`` (the gradient sent along this edge) at the edge's middle."""
        if text == self._label:
            return
        self.prepareGeometryChange()
        self._label = text
        self._label_rect = self._make_label_rect() if text else None
        bounds = self._line_bounds
        self._bounds = bounds.united(self._label_rect) if self._label_rect else bounds
        self.update()

    def apply_theme(self) -> None:
        """Re-read the shared palette (after the scene switched themes)."""
        if self._state == "dimmed":
            self.setOpacity(self._palette.theme.dim_opacity)
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

    def _make_label_rect(self) -> QRectF:
        mid = self.painter_path().pointAtPercent(0.5)
        width = len(self._label) * ADVANCE_EM * LABEL_PX + 6
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
        if self._label_rect is not None and lod * LABEL_PX >= MIN_TEXT_PX:
            self._paint_label(painter)

    def _paint_label(self, painter) -> None:
        palette = self._palette
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
