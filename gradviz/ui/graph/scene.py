"""The graph scene: one NodeItem per laid-out node, one EdgeItem per edge.

Built in one pass straight from the Snapshot's layout: items keep their
geometry in plain floats and build painter paths lazily, so a 5,000-op chain
builds in a fraction of its Graphviz layout time.
"""

from __future__ import annotations

import gc
from collections import defaultdict

from PySide6.QtCore import QRectF, QTimer, Signal
from PySide6.QtGui import QBrush
from PySide6.QtWidgets import QGraphicsScene

from ...core.snapshot import Snapshot
from ..base.themes import Theme, get_theme
from .cluster_item import ClusterItem
from .items import EdgeItem, NodeItem
from .label_place import LabelPlacer
from .overview import OverviewItem
from .palette import Palette
from .scene_queries import SceneQueries

SCENE_MARGIN = 12.0  # points around the layout's bounding box


BULK_REPAINT = 200  # changed items above which one scene update replaces the items' own


class GraphScene(SceneQueries, QGraphicsScene):
    """Draws one Snapshot's layout; keeps node and edge items by id for the replay.

    ``node_items[id]`` and ``edge_items[i]`` (``i`` indexes ``snapshot.edges``;
    layout edges that match no model edge are kept in ``extra_edges``).
    """

    theme_changed = Signal(str)
    highlighted = Signal(object)  # the selected node's id (its neighbours highlighted), or None

    def __init__(self, snapshot: Snapshot, theme: Theme | str | None = None, parent=None) -> None:
        super().__init__(parent)
        if snapshot.layout is None:
            raise ValueError("the snapshot has no layout (build it with layout=True)")
        self.snapshot = snapshot
        self._theme = get_theme(theme)
        self.palette = Palette(self._theme)
        self.node_items: dict[str, NodeItem] = {}
        self.edge_items: dict[int, EdgeItem] = {}
        self.extra_edges: list[EdgeItem] = []
        self.cluster_items: list[ClusterItem] = []  # module boxes, when modules are known
        self._inputs: dict[str, list[int]] = defaultdict(list)
        self._consumers: dict[str, list[int]] = defaultdict(list)
        self._highlighted: str | None = None
        self._overview: OverviewItem | None = None
        self.label_placer = LabelPlacer(self)  # edge labels beside their edge, clear of others
        paused = gc.isenabled()
        gc.disable()  # thousands of new objects would trigger full collections (~100 ms each)
        try:
            self._build()
        finally:
            if paused:
                gc.enable()
        self.setBackgroundBrush(QBrush(self.palette.background))
        self._prepare_labels_when_idle()

    def _prepare_labels_when_idle(self) -> None:
        """Plan the edge labels once the event loop is idle (~70 ms on a 30-edge MLP),
        not in the replay's first frame; a scene gone by then is skipped by Qt."""
        QTimer.singleShot(0, self, self._prepare_labels)

    def _prepare_labels(self) -> None:
        if self.label_placer is not None:
            self.label_placer.prepare()

    def _build(self) -> None:
        snapshot, layout, palette = self.snapshot, self.snapshot.layout, self.palette
        self.setItemIndexMethod(QGraphicsScene.ItemIndexMethod.NoIndex)
        model_edges = snapshot.edges
        for path in layout.edges:
            known = 0 <= path.index < len(model_edges)
            kind = model_edges[path.index].kind if known else "next"
            item = EdgeItem(path, kind, palette)
            item.graph_scene = self  # also while out of the scene (overview)
            self.addItem(item)
            if known:
                self.edge_items[path.index] = item
            else:
                self.extra_edges.append(item)
        for index, edge in enumerate(model_edges):
            if edge.kind == "saved":  # the saved tensor is data its function reads
                self._inputs[edge.source].append(index)
                self._consumers[edge.target].append(index)
            else:
                self._inputs[edge.target].append(index)
                self._consumers[edge.source].append(index)
        for box in layout.clusters:
            cluster = ClusterItem(box, box.name.count("."), self._theme)
            self.addItem(cluster)
            self.cluster_items.append(cluster)
        nodes = {n.id: n for n in snapshot.nodes}
        for node_id, box in layout.nodes.items():
            node = nodes.get(node_id)
            if node is not None:
                item = NodeItem(node, box, palette)
                item.graph_scene = self
                self.addItem(item)
                self.node_items[node_id] = item
        self._measure_title_room()
        self.setSceneRect(self.graph_rect().adjusted(
            -SCENE_MARGIN, -SCENE_MARGIN, SCENE_MARGIN, SCENE_MARGIN))
        # Items never move: a BSP tree makes hit tests and culling logarithmic.
        self.setItemIndexMethod(QGraphicsScene.ItemIndexMethod.BspTreeIndex)

    def _measure_title_room(self) -> None:
        """How tall each module box's title may be: up to its first node or inner box."""
        if not self.cluster_items:
            return
        tops: dict[str, float] = {}
        for item in self.node_items.values():
            module, top = item.node.module, item.rect().top()
            while module:
                tops[module] = min(tops.get(module, top), top)
                module = module.rpartition(".")[0]
        for cluster in self.cluster_items:
            name, top = cluster.box.name, cluster.rect().top()
            inner = [c.rect().top() for c in self.cluster_items
                     if c.box.name.startswith(name + ".")]
            first = min([tops.get(name, cluster.rect().bottom()), *inner])
            cluster.title_room = max(0.0, first - top)

    # -- look -------------------------------------------------------------------------
    @property
    def theme(self) -> Theme:
        """The current theme."""
        return self._theme

    def set_theme(self, theme: Theme | str) -> None:
        """Recolour every item with ``theme`` (a Theme or a bundled theme's name)."""
        self._theme = get_theme(theme)
        self.palette.set_theme(self._theme)
        if self.label_placer is not None:  # labels change size: placed again, all of them
            self.label_placer.forget()
            self._prepare_labels_when_idle()
        self.setBackgroundBrush(QBrush(self.palette.background))
        for cluster in self.cluster_items:
            cluster.apply_theme(self._theme)
        for item in self.node_items.values():
            item.apply_theme()
        for item in self.all_edge_items():
            item.apply_theme()
        self.update()
        self.theme_changed.emit(self._theme.name)

    def graph_rect(self) -> QRectF:
        """The layout's bounding box (points, y down)."""
        x0, y0, x1, y1 = self.snapshot.layout.bbox
        return QRectF(x0, y0, x1 - x0, y1 - y0)

    # -- overview (zoomed out) -----------------------------------------------------------
    def overview_on(self) -> bool:
        """True while the whole graph is drawn by one overview item (zoomed out)."""
        return self._overview is not None and self._overview.isVisible()

    def set_overview(self, on: bool) -> None:
        """Draw every item at once (zoomed out) or each item on its own."""
        if on == self.overview_on():
            return
        if self._overview is None:
            self._overview = OverviewItem(self)
            self.addItem(self._overview)
        self._overview.setVisible(on)
        # Out of the scene, not hidden: Qt walks hidden items at every paint (60 ms on 20k
        # nodes); taking 40k items out and back costs ~50 ms once, at the switch.
        swap = self.removeItem if on else self.addItem
        for item in (*self.node_items.values(), *self.all_edge_items()):
            swap(item)

    def items_look_changed(self, items: list, repaint: list = ()) -> None:
        """Items whose state or role changed: repaint them, regroup them in the overview.

        ``repaint``: more items to repaint only (their text changed). One call per
        replay step: while the overview draws the graph the hidden items need no
        repaint, and past :data:`BULK_REPAINT` items one scene update replaces as
        many item updates.
        """
        if self._overview is not None:
            self._overview.items_changed(items)
            if self._overview.isVisible():
                return
        if len(items) + len(repaint) > BULK_REPAINT:
            self.update()
        else:
            for item in (*items, *repaint):
                item.update()

    def emphasised_items(self) -> list:
        """Items whose state is not idle or that are highlighted (edges first).

        Looked up when asked (an overview is made): a replay step keeps no list of them."""
        return [item for item in (*self.all_edge_items(), *self.node_items.values())
                if item._state != "idle" or item._role is not None]

    # -- lookups ----------------------------------------------------------------------
    def node_item(self, node_id: str) -> NodeItem:
        """The item of a node (KeyError if the layout has no such node)."""
        return self.node_items[node_id]

    def edge_item(self, index: int) -> EdgeItem | None:
        """The item of ``snapshot.edges[index]`` (None if it was not laid out)."""
        return self.edge_items.get(index)

    def all_edge_items(self) -> list[EdgeItem]:
        """Every edge item, matched or not."""
        return [*self.edge_items.values(), *self.extra_edges]

    def edge_between(self, source: str, target: str) -> EdgeItem | None:
        """The first edge item from ``source`` to ``target`` (torchviz's direction)."""
        for index in self._consumers.get(source, ()):
            edge = self.snapshot.edges[index]
            if edge.source == source and edge.target == target:
                return self.edge_items.get(index)
        return None

    def inputs_of(self, node_id: str) -> list[str]:
        """Nodes that feed ``node_id`` (its inputs, saved tensors included)."""
        return [self._other_end(i, node_id) for i in self._inputs.get(node_id, ())]

    def _other_end(self, index: int, node_id: str) -> str:
        edge = self.snapshot.edges[index]
        return edge.target if edge.source == node_id else edge.source

    def node_at(self, pos) -> NodeItem | None:
        """The node item under a scene position, if any (hidden ones too, in overview)."""
        if self.overview_on():
            hits = (i for i in self.node_items.values() if i.rect().contains(pos))
            return next(hits, None)
        for item in self.items(pos):
            if isinstance(item, NodeItem) and item.rect().contains(pos):
                return item
        return None

    def cluster_at(self, pos) -> ClusterItem | None:
        """The innermost module box under a scene position, if any."""
        boxes = [c for c in self.cluster_items if c.rect().contains(pos)]
        return max(boxes, key=lambda c: c.depth, default=None)

    # -- highlight ------------------------------------------------------------------------
    def highlight_neighbours(self, node_id: str | None) -> None:
        """Mark ``node_id`` as selected and its inputs and consumers (None clears)."""
        self._set_roles(self._highlighted, clear=True)
        self._highlighted = node_id if node_id in self.node_items else None
        self._set_roles(self._highlighted, clear=False)
        self.highlighted.emit(self._highlighted)

    def _set_roles(self, node_id: str | None, *, clear: bool) -> None:
        if node_id is None:
            return
        self.node_items[node_id].set_role(None if clear else "selected")
        for indices, role in ((self._inputs, "input"), (self._consumers, "consumer")):
            for index in indices.get(node_id, ()):
                other = self.node_items.get(self._other_end(index, node_id))
                if other is not None:
                    other.set_role(None if clear else role)
                edge = self.edge_items.get(index)
                if edge is not None:
                    edge.set_role(None if clear else role)

    def select_node(self, node_id: str | None) -> None:
        """Select a node (None: nothing): it and its neighbours are highlighted."""
        if node_id != self._highlighted:
            self.highlight_neighbours(node_id)

    def selected_node(self) -> str | None:
        """The selected node's id, or None."""
        return self._highlighted
