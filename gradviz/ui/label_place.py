"""Where an edge's gradient label goes: beside its edge, on no other edge, node or box border.

Graphviz's own label positions need labels known before layout (the numbers
change at every step), so labels are placed here: candidate spots along the
edge (middle first), on each side of it, tried in order; the first that
touches no other edge, no arrowhead, no node and no module-box border wins.
It keeps clear of its own edge too, so its background never cuts a line.
Only the static drawing is an obstacle, so a label's spot depends on its
edge and its size alone: the same at a step however it was reached.
"""

from __future__ import annotations

import math

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QPainterPath, QPainterPathStroker

ALONG = tuple(0.5 + sign * k / 24 for k in range(11) for sign in ((1,) if k == 0 else (-1, 1)))
AWAY = (0.0, 6.0, 14.0, 24.0, 36.0)  # extra distance from the line, points: nearest first
RINGS = (12.0, 24.0, 36.0, 48.0, 64.0)  # last resort: distances from the middle, points
GAP = 2.0  # points between a label and the line it belongs to
STROKE = 2.0  # obstacle width of an edge line (points), a little over the drawn width


def stroke(path: QPainterPath, width: float = STROKE) -> QPainterPath:
    """The area a drawn line covers (a path's fill area is not its line)."""
    stroker = QPainterPathStroker()
    stroker.setWidth(width)
    stroker.setCapStyle(Qt.PenCapStyle.FlatCap)
    return stroker.createStroke(path)


def candidates(path: QPainterPath, width: float, height: float):
    """Label rectangles beside ``path``, best first: at each point along it, touching the
    line from either side of it (square to its direction), then right, left, above, below."""
    for away in AWAY:
        for t in ALONG:
            p = path.pointAtPercent(t)
            angle = math.radians(path.angleAtPercent(t))
            nx, ny = math.sin(angle), math.cos(angle)  # square to the direction (y down)
            reach = GAP + 1 + away + abs(nx) * width / 2 + abs(ny) * height / 2
            for side in (1, -1):
                cx, cy = p.x() + side * nx * reach, p.y() + side * ny * reach
                yield QRectF(cx - width / 2, cy - height / 2, width, height)
            x, y, gap = p.x(), p.y(), GAP + 1 + away
            yield QRectF(x + gap, y - height / 2, width, height)
            yield QRectF(x - gap - width, y - height / 2, width, height)
            yield QRectF(x - width / 2, y - gap - height, width, height)
            yield QRectF(x - width / 2, y + gap, width, height)
    mid = path.pointAtPercent(0.5)  # last resort: further out, around the middle
    for radius in RINGS:
        for step in range(16):
            angle = math.pi * step / 8
            cx = mid.x() + math.cos(angle) * (radius + width / 2)
            cy = mid.y() + math.sin(angle) * (radius + height / 2)
            yield QRectF(cx - width / 2, cy - height / 2, width, height)


class LabelPlacer:
    """Places labels on one scene; obstacles are read from its items when needed."""

    def __init__(self, scene) -> None:
        self.scene = scene
        self._strokes: dict[int, QPainterPath] = {}  # id(edge item) -> its line's area
        self._borders: list[QPainterPath] | None = None

    def place(self, edge_item, width: float, height: float) -> tuple[QRectF, int]:
        """The spot for a ``width`` × ``height`` label of ``edge_item``, and how many
        things it touches there (0 unless no spot was free: then the fewest)."""
        best, fewest = None, None
        for rect in candidates(edge_item.painter_path(), width, height):
            hits = self.collisions(rect, edge_item, stop_at=1 if fewest is None else fewest)
            if hits == 0:
                return rect, 0
            if fewest is None or hits < fewest:
                best, fewest = rect, hits
        return best, fewest

    def collisions(self, rect: QRectF, own=None, stop_at: int | None = None) -> int:
        """How many lines, arrowheads, nodes and box borders ``rect`` touches (``own``'s
        line included: a label must sit beside its edge, not on it)."""
        from .cluster_item import ClusterItem
        from .edge_item import EdgeItem
        from .items import NodeItem

        hits = 0
        for item in self.scene.items(rect, Qt.ItemSelectionMode.IntersectsItemBoundingRect):
            if isinstance(item, NodeItem):
                hit = item.rect().intersects(rect)
            elif isinstance(item, EdgeItem):
                hit = self._line(item).intersects(rect) or item.arrow_hits(rect)
            elif isinstance(item, ClusterItem):
                hit = self._border(item).intersects(rect)
            else:
                continue
            hits += bool(hit)
            if stop_at is not None and hits >= stop_at:
                break
        return hits

    def _line(self, edge_item) -> QPainterPath:
        found = self._strokes.get(id(edge_item))
        if found is None:
            found = self._strokes[id(edge_item)] = stroke(edge_item.painter_path())
        return found

    def _border(self, cluster) -> QPainterPath:
        found = self._strokes.get(id(cluster))
        if found is None:
            outline = QPainterPath()
            outline.addRect(cluster.rect())
            found = self._strokes[id(cluster)] = stroke(outline, 3.0)
        return found


def label_rect_at_middle(path: QPainterPath, width: float, height: float) -> QRectF:
    """The old spot (right of the middle point): used where no scene places labels."""
    mid: QPointF = path.pointAtPercent(0.5)
    return QRectF(mid.x() + 4, mid.y() - height / 2, width, height)
