"""The zoomed-out picture of a whole graph, drawn by one item in a few batched calls.

Below :data:`OVERVIEW_ZOOM` a view switches its scene to overview mode: the
node and edge items are hidden and this item draws every box (one
``drawRects`` per fill colour) and every edge (one path per line style), then
the items that are emphasised (replay state, highlight) on top. One paint
call instead of one per item keeps a 15,000-node graph smooth.

Emphasised items are kept in groups of one look (state or role, dimmed or not,
fill or line style), updated as items change (:meth:`OverviewItem.items_changed`,
from :meth:`GraphScene.items_look_changed`). A group is cut into batches of
:data:`BATCH` items by their place in the scene; each batch keeps its merged
path (edges) or rect list (boxes), rebuilt only when its members change. A
replay step moves a few items between groups, so a repaint is a few dozen
``drawPath``/``drawRects`` calls whatever the graph's size.
"""

from __future__ import annotations

from collections import defaultdict

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QPainterPath
from PySide6.QtWidgets import QGraphicsItem

from .item_base import STATES
from .items import tint_core
from .palette import emphasis

OVERVIEW_ZOOM = 0.3  # screen pixels per point below which the overview is drawn
BATCH = 64  # items per batch of a group (a change rebuilds one batch)
# Drawing order of the looks, later on top: dimmed under done, highlights, then active.
_RANK = {"idle": 0, "done": 1, "consumer": 2, "input": 3, "path": 4, "selected": 5, "active": 6}


def _key(node: bool, extra: str, state: str, role: str | None) -> tuple | None:
    """The group of an item in ``state`` and ``role``: (is a node, rank, look, dimmed, fill or
    line style); None when the item is not emphasised (idle, no role)."""
    if state == "idle" and role is None:
        return None
    look = emphasis(state, role)
    extra = extra if not node or look == "idle" else ""
    return node, _RANK[look], look, state == "dimmed", extra


class _Place:
    """Where one item is drawn in the overview: its place in the scene's order (and
    batch), the item and its shape (a node's box, or the edge item), its group's key now,
    and the keys of its kind by replay state (shared, without a role)."""

    __slots__ = ("place", "batch", "node", "extra", "item", "shape", "key", "by_state")

    def __init__(self, place: int, item, node: bool, extra: str, by_state: dict) -> None:
        self.place, self.batch, self.node, self.extra = place, place // BATCH, node, extra
        self.item, self.shape = item, item._rect if node else item  # a box never changes
        self.key, self.by_state = None, by_state


class _Group:
    """The emphasised items of one look, in batches (by place): their shapes, cached."""

    def __init__(self, key: tuple) -> None:
        self.key = key
        self.batches: dict[int, dict[int, object]] = defaultdict(dict)  # batch -> place -> x
        self.drawn: dict[int, object] = {}  # batch -> QPainterPath or list[QRectF]


class OverviewItem(QGraphicsItem):
    """Every node and edge of a GraphScene, drawn at once (see the module doc)."""

    def __init__(self, scene) -> None:
        super().__init__()
        self._graph = scene
        self._bounds = QRectF(scene.sceneRect())
        self._rects: dict[str, list[QRectF]] | None = None
        self._paths: dict[str, QPainterPath] | None = None
        self._batch_paths: dict[tuple[str, int], QPainterPath] = {}  # (style, batch) -> all
        self._batch_sizes: dict[tuple[str, int], int] = defaultdict(int)
        self._keys: dict[tuple, tuple | None] = {}  # (is a node, kind or style, state, role)
        self._places: dict[int, _Place] = {}  # id(item) -> where it is drawn
        tables: dict[tuple, dict] = {}
        for items, node in ((scene.all_edge_items(), False), (scene.node_items.values(), True)):
            for n, item in enumerate(items):
                extra = item.node.kind if node else item._style
                table = tables.get((node, extra))
                if table is None:
                    table = tables[(node, extra)] = {
                        state: self._interned(node, extra, state, None) for state in STATES}
                self._places[id(item)] = _Place(n, item, node, extra, table)
        self._groups: dict[tuple, _Group] = {}
        self._order: list[_Group] = []  # in drawing order
        self._tints: tuple | None = None  # (scene's tint serial, [(tint, core rects)])
        self.items_changed(scene.emphasised_items())
        self.setZValue(-1.0)

    @property
    def _where(self) -> dict[int, tuple]:
        """id(item) -> its group's key, for the items in a group."""
        return {iid: p.key for iid, p in self._places.items() if p.key is not None}

    def _interned(self, node: bool, extra: str, state: str, role: str | None) -> tuple | None:
        """:func:`_key`, one tuple per look (compared by identity)."""
        look = (node, extra, state, role)
        if look not in self._keys:
            self._keys[look] = _key(node, extra, state, role)
        return self._keys[look]

    def boundingRect(self) -> QRectF:
        return self._bounds

    def items_changed(self, items) -> None:
        """Move each item to the group of its look (idle, no role: none); one repaint.

        Most of the items (a far jump): every group is filled again in one pass."""
        places = self._places
        if len(items) > len(places) // 2:
            for group in self._groups.values():
                group.batches.clear()
                group.drawn.clear()
            for where in places.values():
                where.key = None
            items = [where.item for where in places.values()]
        groups = self._groups
        for item in items:
            where = places[id(item)]
            role = item._role
            key = where.by_state[item._state] if role is None else self._interned(
                where.node, where.extra, item._state, role)
            old = where.key
            if old is key:  # keys are shared: one tuple per look
                continue
            where.key = key
            place, batch = where.place, where.batch
            if old is not None:
                group = groups[old]
                members = group.batches[batch]
                del members[place]
                if not members:
                    del group.batches[batch]
                group.drawn.pop(batch, None)
            if key is not None:
                group = groups.get(key) or self._new_group(key)
                group.batches[batch][place] = where.shape
                group.drawn.pop(batch, None)
        self.update()

    def _new_group(self, key: tuple) -> _Group:
        group = self._groups[key] = _Group(key)
        self._order = [self._groups[k] for k in sorted(self._groups)]
        return group

    def _build(self) -> None:
        """Group boxes by kind and join edges by line style (once, on first paint).

        Edges are joined per batch first: a group holding a whole batch draws its path.
        """
        rects: dict[str, list[QRectF]] = defaultdict(list)
        for item in self._graph.node_items.values():
            rects[item.node.kind].append(item.rect())
        batch_paths = self._batch_paths
        for n, item in enumerate(self._graph.all_edge_items()):
            key = (item.line_style(), n // BATCH)
            path = batch_paths.get(key)
            if path is None:
                path = batch_paths[key] = QPainterPath()
            self._batch_sizes[key] += 1
            pts = item.edge.points
            path.moveTo(QPointF(*pts[0]))
            for i in range(1, len(pts) - 2, 3):
                path.cubicTo(QPointF(*pts[i]), QPointF(*pts[i + 1]), QPointF(*pts[i + 2]))
        paths: dict[str, QPainterPath] = {}  # by style, in the order styles first appear
        for style, _ in batch_paths:
            paths.setdefault(style, QPainterPath())
        for (style, _), path in sorted(batch_paths.items()):
            paths[style].addPath(path)
        self._rects, self._paths = dict(rects), paths

    def _shapes(self, group: _Group):
        """Each batch's rect list (boxes) or merged path (edges), rebuilt where stale."""
        drawn, nodes, style = group.drawn, group.key[0], group.key[4]
        for batch, members in group.batches.items():
            shape = drawn.get(batch)
            if shape is None:
                ordered = [members[place] for place in sorted(members)]  # whatever the history
                if nodes:
                    shape = ordered
                elif len(members) == self._batch_sizes.get((style, batch)):
                    shape = self._batch_paths[(style, batch)]  # the whole batch: built already
                else:
                    shape = QPainterPath()
                    for item in ordered:
                        shape.addPath(item.painter_path())
                drawn[batch] = shape
            yield shape

    def paint(self, painter, option, widget=None) -> None:
        """Edges as hairlines, boxes as plain fills, emphasised items on top."""
        if self._rects is None:
            self._build()
        palette = self._graph.palette
        painter.setBrush(Qt.BrushStyle.NoBrush)
        for style, path in self._paths.items():
            painter.setPen(palette.edge_pens[("idle", style, True)])
            painter.drawPath(path)
        painter.setPen(Qt.PenStyle.NoPen)
        for kind, rects in self._rects.items():
            painter.setBrush(palette.fill(kind))
            painter.drawRects(rects)
        self._paint_emphasised(painter, palette)
        self._paint_tints(painter)

    def _paint_tints(self, painter) -> None:
        """"Colour nodes by": each tinted box's core on top (its state colour frames it;
        the tint itself is not faded for nodes the replay has not reached)."""
        serial = getattr(self._graph, "tint_serial", 0)
        if self._tints is None or self._tints[0] != serial:
            groups: dict[int, tuple] = {}
            for item in self._graph.node_items.values():
                tint = item.tint()
                if tint is not None:
                    groups.setdefault(id(tint), (tint, []))[1].append(tint_core(item.rect()))
            self._tints = (serial, list(groups.values()))
        painter.setPen(Qt.PenStyle.NoPen)
        for tint, rects in self._tints[1]:
            painter.setBrush(tint.fill)
            painter.drawRects(rects)

    def _paint_emphasised(self, painter, palette) -> None:
        """Each group of emphasised items in a few calls: edges first, then boxes."""
        dim = palette.theme.dim_opacity
        for group in self._order:
            if not group.batches:
                continue
            nodes, _, look, dimmed, extra = group.key
            painter.setOpacity(dim if dimmed else 1.0)
            if nodes:
                painter.setPen(Qt.PenStyle.NoPen)
                painter.setBrush(palette.fill(extra) if look == "idle"
                                 else palette.edge_brushes[look])
                for rects in self._shapes(group):
                    painter.drawRects(rects)
            else:
                painter.setPen(palette.edge_pens[(look, extra, True)])
                painter.setBrush(Qt.BrushStyle.NoBrush)
                for path in self._shapes(group):
                    painter.drawPath(path)
        painter.setOpacity(1.0)
