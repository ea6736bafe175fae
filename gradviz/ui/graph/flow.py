"""The gradient travelling against the arrows: markers on the edges the active node feeds.

Arrows point forward (torchviz's direction: input → consumer); during the
backward pass the gradient goes the other way. :class:`GradientFlow` puts a
:class:`FlowMarker` on each edge the active step sends a gradient along: two
chevrons pointing back towards the input (a still picture says it), and in the
window a token that slides from the consumer to the input once per step.
Separate items over the scene: the replay's own items are left as they are.
"""

from __future__ import annotations

from collections import defaultdict

from PySide6.QtCore import QObject, QPointF, QRectF, Qt, QVariantAnimation
from PySide6.QtGui import QColor, QPainterPath, QPen, QPolygonF
from PySide6.QtWidgets import QGraphicsItem

from ...replay.state import FORWARD

CHEVRONS = (0.62, 0.38)  # where the still chevrons sit along the edge (0: the input end)
SIZE = 6.0  # chevron half-length, layout points (times the theme's line scale)
SHORT = 8  # an edge shorter than this many chevron half-lengths gets one chevron
SLIDE_MS = 650
Z_FLOW = 5.0  # above edges and nodes: the markers sit on edges, between boxes


class FlowMarker(QGraphicsItem):
    """Chevrons (and a sliding token) on one edge, pointing from its consumer to its input."""

    def __init__(self, edge_item, color: QColor, scale: float) -> None:
        super().__init__()
        self.edge_item = edge_item
        self.path: QPainterPath = edge_item.painter_path()
        self._color = QColor(color)
        self._size = SIZE * scale
        self.token: float | None = None  # position of the sliding token (None: resting)
        self.setZValue(Z_FLOW)
        pad = self._size * 2
        self._bounds = self.path.boundingRect().adjusted(-pad, -pad, pad, pad)

    def boundingRect(self) -> QRectF:
        return self._bounds

    def set_token(self, t: float | None) -> None:
        """Move the sliding token to ``t`` along the edge (None hides it)."""
        self.token = t
        self.update()

    def chevron(self, t: float) -> QPolygonF:
        """A triangle at ``t`` along the edge pointing back towards its start (the input)."""
        point = self.path.pointAtPercent(t)
        ahead = self.path.pointAtPercent(max(0.0, t - 0.02))  # towards the input
        dx, dy = ahead.x() - point.x(), ahead.y() - point.y()
        norm = max((dx * dx + dy * dy) ** 0.5, 1e-6)
        ux, uy = dx / norm, dy / norm
        s = self._size
        tip = QPointF(point.x() + ux * s, point.y() + uy * s)
        back = QPointF(point.x() - ux * s, point.y() - uy * s)
        side = QPointF(-uy * s * 0.8, ux * s * 0.8)
        return QPolygonF([tip, back + side, back - side])

    def paint(self, painter, option, widget=None) -> None:
        outline = QPen(QColor("#ffffff"), max(1.0, self._size / 4))
        outline.setJoinStyle(Qt.PenJoinStyle.MiterJoin)
        painter.setPen(outline)
        painter.setBrush(self._color)
        for t in self.positions():
            painter.drawPolygon(self.chevron(t))

    def positions(self) -> tuple[float, ...]:
        """Where chevrons are drawn along the edge: the token, or two (one on a short edge)."""
        if self.token is not None:
            return (self.token,)
        return CHEVRONS if self.path.length() > SHORT * self._size else (0.5,)


class GradientFlow(QObject):
    """Keeps one marker per edge the active backward step sends a gradient along."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.scene = None
        self.markers: list[FlowMarker] = []
        self._into: dict[str, list[int]] = {}
        self._animation = QVariantAnimation(self)
        self._animation.setDuration(SLIDE_MS)
        self._animation.setStartValue(0.95)
        self._animation.setEndValue(0.05)
        self._animation.valueChanged.connect(self._slide)
        self._animation.finished.connect(lambda: self._slide(None))

    def set_scene(self, scene) -> None:
        """Draw on ``scene`` from now on (None: nothing); old markers go."""
        self.clear()
        self.scene = scene
        self._into = {}
        if scene is not None:
            into: dict[str, list[int]] = defaultdict(list)
            for index, edge in enumerate(scene.snapshot.edges):
                if edge.kind in ("next", "variable"):  # saved tensors carry no gradient
                    into[edge.target].append(index)
            self._into = dict(into)

    def clear(self) -> None:
        """Remove every marker."""
        self._animation.stop()
        for marker in self.markers:
            try:
                if marker.scene() is not None:
                    marker.scene().removeItem(marker)
            except RuntimeError:  # its scene was deleted, and the marker with it
                pass
        self.markers = []

    def show_state(self, state, *, animate: bool = False) -> None:
        """Markers for ``state``'s active step (none in the forward pass or at step 0)."""
        self.clear()
        scene = self.scene
        if scene is None or state.phase == FORWARD or state.active_node is None:
            return
        theme = scene.theme
        for index in self._into.get(state.active_node, ()):
            item = scene.edge_item(index)
            if item is None or index not in state.edge_grads:
                continue
            marker = FlowMarker(item, theme.color("active"), theme.line_scale)
            scene.addItem(marker)
            self.markers.append(marker)
        if animate and self.markers:
            self._animation.start()

    def _slide(self, t) -> None:
        for marker in self.markers:
            marker.set_token(t)
