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

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QPainterPath, QPainterPathStroker

from .label_fold import (
    AWAY,
    CELL,
    FAR_REACH,
    GAP,
    border_sides,
    box_of,
    cells_by_grid,
    cells_of,
    far_candidates,
    label_foldings,  # noqa: F401 - re-exported (its old home)
    near_candidates,
)

MARGIN = 12.0  # the scene's margin around the layout, points (scene.SCENE_MARGIN)
BIG_SCENE = 400  # edges: beyond, labels keep the plain spot (see place)
STROKE = 2.0  # obstacle width of an edge line (points), a little over the drawn width


def stroke(path: QPainterPath, width: float = STROKE) -> QPainterPath:
    """The area a drawn line covers (a path's fill area is not its line)."""
    stroker = QPainterPathStroker()
    stroker.setWidth(width)
    stroker.setCapStyle(Qt.PenCapStyle.FlatCap)
    return stroker.createStroke(path)


class LabelPlacer:
    """Places labels on one scene, against its static drawing (indexed on first use).

    The first time a label is asked for, every label the replay will show (those of
    its last step) is placed at once, in edge order, each clear of the ones before:
    labels never cover each other, and each edge's spot is the same whether the
    step was reached by playing or by jumping."""

    def __init__(self, scene) -> None:
        self.scene = scene
        self._grid: dict | None = None  # cell -> obstacle indices, built on first use
        self._obstacles: list = []
        # (edge, size, far) -> spot, hits; (edge, size, "near scan") -> a near search's
        # (best, fewest as it counted), resumed by a far search: all dropped together
        self._placed: dict[tuple, tuple[QRectF, int]] = {}
        # A big graph's folded or collapsed picture (core.fold_layout) is a big graph too:
        # thousands of steps, and planning its last step's labels took seconds.
        self._big = (len(scene.snapshot.edges) > BIG_SCENE
                     or bool({"folds", "fold_nodes"} & scene.snapshot.meta.keys()))
        self._middles: dict[int, QPointF] = {}  # id(edge item) -> its middle (big graphs)
        self._planned: dict[tuple[int, str], tuple[QRectF, str]] | None = None
        # labels stay on the picture (exports draw the scene's rectangle: the layout and
        # a margin, the scene's SCENE_MARGIN)
        self._inside = box_of(scene.graph_rect().adjusted(-MARGIN, -MARGIN, MARGIN, MARGIN))
        # labels shown now, by grid cell (only while placing a one-step label)
        self._shown: dict[tuple[int, int], list[tuple]] = {}

    def spot(self, edge_item, text: str) -> tuple[QRectF, str]:
        """``(rect, text as drawn)`` for ``edge_item``'s label ``text``."""
        if self._big:
            return self._at_middle(edge_item, text), text
        self.prepare()
        found = self._planned.get((id(edge_item), text))
        if found is None:  # shown at one step only (the active edge's chain, an earlier run's):
            # clear of the labels shown now too; not kept, as those change from step to step
            self._shown = cells_by_grid(e.label_rect() for e in self.scene.all_edge_items()
                                 if e is not edge_item and e.label_rect() is not None)
            self._placed.clear()
            try:
                found = edge_item.choose_label_spot(self, text)
            finally:
                self._shown = {}
                self._placed.clear()
        return found

    def prepare(self) -> None:
        """Place the last step's labels now if not yet (the scene calls it when idle)."""
        if not self._big and self._planned is None:
            self._planned = {}
            self._plan()

    def forget(self) -> None:
        """Drop the spots placed so far (the theme changed the labels' size): the next
        label asked for plans the last step again (the planned labels were obstacles)."""
        self._planned, self._grid, self._obstacles = None, None, []
        self._placed.clear()

    def lasting(self, edge_item, text: str) -> bool:
        """True when :meth:`spot` gives this label the same spot at every step (a big
        graph's, or one planned with the last step): kept until the theme changes."""
        return self._big or (id(edge_item), text) in (self._planned or ())

    def _at_middle(self, edge_item, text: str) -> QRectF:
        """A big graph's plain spot, right of the edge's middle (kept per edge: jumps
        relabel hundreds of edges)."""
        mid = self._middles.get(id(edge_item))
        if mid is None:
            mid = self._middles[id(edge_item)] = edge_item.painter_path().pointAtPercent(0.5)
        width, height = edge_item._label_size(text, edge_item.label_px())
        return QRectF(mid.x() + 4, mid.y() - height / 2, width, height)

    def _plan(self) -> None:
        """Place every label of the replay's last step, in edge order, each one then
        an obstacle for the next."""
        from ...core.graph.formatting import format_compact
        from ...replay.state import state_at

        snapshot = self.scene.snapshot
        last = state_at(snapshot, len(snapshot.steps))
        for index in sorted(last.edge_grads):
            item = self.scene.edge_item(index)
            value = last.edge_grads[index]
            if item is None or value is None:
                continue
            text = format_compact(value)
            rect, lines = item.choose_label_spot(self, text)
            self._planned[(id(item), text)] = (rect, lines)
            self._reserve(rect)

    def _reserve(self, rect: QRectF) -> None:
        """``rect`` (a placed label) becomes an obstacle for the labels placed after it."""
        if self._grid is None:
            self._grid = self._build_grid()
        self._placed.clear()  # spots searched before did not know this label
        index = len(self._obstacles)
        self._obstacles.append((*box_of(rect), "node", None))
        for cx in range(int(rect.left() // CELL), int(rect.right() // CELL) + 1):
            for cy in range(int(rect.top() // CELL), int(rect.bottom() // CELL) + 1):
                self._grid.setdefault((cx, cy), []).append(index)

    def place(self, edge_item, width: float, height: float,
              far: bool = True) -> tuple[QRectF, int]:
        """The spot for a ``width`` × ``height`` label of ``edge_item``, and how many
        things it touches there (0 unless no spot was free: then the fewest).

        A big graph (mostly seen zoomed out, where labels are not drawn) keeps the
        plain spot right of the middle, unchecked: its replay stays as fast as ever."""
        if self._big:
            return label_rect_at_middle(edge_item.painter_path(), width, height), 0
        key = (id(edge_item), round(width, 1), round(height, 1), far)
        found = self._placed.get(key)
        if found is None:
            found = self._placed[key] = self._search(edge_item, width, height, far)
        return found

    def _search(self, edge_item, width: float, height: float, far: bool) -> tuple[QRectF, int]:
        """The first candidate touching nothing, else the fewest; each counted as
        :meth:`collisions` counts it, against the obstacles within reach (one lookup).
        A far search goes on from the near search of the same size, when one ran."""
        path = edge_item.painter_path()
        obstacles, shown = self._within(path.boundingRect(), width, height, far)
        near_key = (id(edge_item), round(width, 1), round(height, 1), "near scan")
        scan = self._placed.get(near_key) if far else None
        if scan is None:
            scan = self._scan(near_candidates(path, width, height), obstacles, shown, None, None)
            self._placed[near_key] = scan  # cleared with the spots, when obstacles change
        best, fewest = scan
        if far and fewest != 0:
            best, fewest = self._scan(far_candidates(path, width, height), obstacles, shown,
                                      best, fewest)
        return (best, 0) if fewest == 0 else (best, self.collisions(best))

    def _scan(self, rects, obstacles, shown, best, fewest):
        """``(best, fewest)`` after ``rects``, in order: stops at the first touching nothing
        (fewest 0); ``fewest`` counts as the scan counts (stopped at the fewest before)."""
        il, it, ir, ib = self._inside
        for rect in rects:
            x, y, r, b = box_of(rect)
            hits = 0 if il <= x and r <= ir and it <= y and b <= ib and x < r and y < b else 1
            if fewest is not None and hits >= fewest:
                continue  # neither free nor fewer, whatever else it touches
            if x < r and y < b:
                stop = 1 if fewest is None else fewest
                hits += sum(1 for left, top, right, bottom in shown
                            if not (left >= r or x >= right or top >= b or y >= bottom))
                if fewest is not None and hits >= fewest:
                    continue
                for left, top, right, bottom, kind, shape in obstacles:
                    if left >= r or x >= right or top >= b or y >= bottom:
                        continue
                    hits += kind == "node" or shape.intersects(rect)
                    if hits >= stop:
                        break
            if hits == 0:
                return rect, 0
            if fewest is None or hits < fewest:
                best, fewest = rect, hits
        return best, fewest

    def _within(self, bounds: QRectF, width: float, height: float, far: bool):
        """Obstacles and labels shown now that a candidate of a label this size may touch."""
        if self._grid is None:
            self._grid = self._build_grid()
        pad_x = pad_y = GAP + 1 + AWAY[-1] + width + height  # beside the line
        if far:
            pad_x = max(pad_x, FAR_REACH * (1 + width / 200) + width)
            pad_y = max(pad_y, FAR_REACH + height)
        x, y, r, b = box_of(bounds.adjusted(-pad_x, -pad_y, pad_x, pad_y))
        near = [o for o in self._obstacles
                if not (o[0] >= r or x >= o[2] or o[1] >= b or y >= o[3])]
        shown = {n: box for cell in self._shown.values() for n, box in cell}
        return near, [s for s in shown.values()
                      if not (s[0] >= r or x >= s[2] or s[1] >= b or y >= s[3])]

    def collisions(self, rect: QRectF, own=None, stop_at: int | None = None) -> int:
        """How many lines, arrowheads, nodes and box borders ``rect`` touches (``own``'s
        line included: a label must sit beside its edge, not on it)."""
        x, y, r, b = box_of(rect)  # plain numbers: Qt's tests, without a call per obstacle
        il, it, ir, ib = self._inside
        hits = 0 if il <= x and r <= ir and it <= y and b <= ib and x < r and y < b else 1
        if x >= r or y >= b:  # (above: off the picture, cut from exports) an empty one
            return hits  # touches nothing
        if self._shown:  # each label shown now that it touches
            shown = self._shown
            near = dict(item for cell in cells_of(x, y, r, b) for item in shown.get(cell, ()))
            hits += sum(1 for left, top, right, bottom in near.values()
                        if not (left >= r or x >= right or top >= b or y >= bottom))
        for left, top, right, bottom, kind, shape in self._nearby(x, y, r, b):
            if left >= r or x >= right or top >= b or y >= bottom:  # QRectF.intersects
                continue
            hits += kind == "node" or shape.intersects(rect)
            if stop_at is not None and hits >= stop_at:
                break
        return hits

    def _nearby(self, left: float, top: float, right: float, bottom: float):
        """Obstacles whose grid cells the box overlaps (each once), lazily: most
        candidate spots are given up at their first hit."""
        if self._grid is None:
            self._grid = self._build_grid()
        grid, obstacles, seen = self._grid, self._obstacles, set()
        x0, y0 = int(left // CELL), int(top // CELL)
        x1, y1 = int(right // CELL), int(bottom // CELL)
        for cx in range(x0, x1 + 1):
            for cy in range(y0, y1 + 1):
                for index in grid.get((cx, cy), ()):
                    if index not in seen:
                        seen.add(index)
                        yield obstacles[index]

    def _build_grid(self) -> dict:
        """The static drawing as obstacles, indexed by the grid cells they cover.

        Built once: the scene's own index is rebuilt whenever a label changes an
        item's bounds, which would make every query scan the whole scene."""
        scene = self.scene
        obstacles = [(item.rect(), "node", None) for item in scene.node_items.values()]
        for edge in scene.all_edge_items():
            line = stroke(edge.painter_path())
            obstacles.append((line.boundingRect(), "line", line))
            arrow = edge.arrow_polygon()
            if arrow is not None:
                shape = QPainterPath()
                shape.addPolygon(arrow)
                obstacles.append((shape.boundingRect(), "arrow", shape))
        for cluster in scene.cluster_items:
            for side in border_sides(cluster.rect()):  # four thin sides, not one big box
                part = QPainterPath()
                part.addRect(side)
                obstacles.append((side, "border", part))
        # as (left, top, right, bottom, kind, shape); an empty box touches nothing
        self._obstacles = [(*box_of(bounds), kind, shape) for bounds, kind, shape in obstacles
                           if bounds.width() > 0 and bounds.height() > 0]
        grid: dict[tuple[int, int], list[int]] = {}
        for index, (left, top, right, bottom, _, _) in enumerate(self._obstacles):
            for cx in range(int(left // CELL), int(right // CELL) + 1):
                for cy in range(int(top // CELL), int(bottom // CELL) + 1):
                    grid.setdefault((cx, cy), []).append(index)
        return grid


def label_rect_at_middle(path: QPainterPath, width: float, height: float) -> QRectF:
    """The old spot (right of the middle point): used where no scene places labels."""
    mid: QPointF = path.pointAtPercent(0.5)
    return QRectF(mid.x() + 4, mid.y() - height / 2, width, height)
