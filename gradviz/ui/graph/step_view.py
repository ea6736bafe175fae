"""Show one replay state on a graph scene: the single place that maps StepState to items.

Deterministic: the scene at a position depends only on its state (``state_at``, or
``forward_state_at`` during a forward replay), whether the position was reached by
playing, stepping or jumping. The window and the
headless exporters (still images at ``--step N``, GIF frames) both call
:func:`apply_step`.

Incremental: the scene remembers the state last applied to it, and a new state
only touches the items whose look can differ from it (the ids a
:class:`~gradviz.replay.timeline.Timeline` state lists as changed, or else
the cells that differ between the two states); each value is formatted once
(:class:`_Applied` keeps the texts).
"""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING, Any

from gradviz.replay.state import ACTIVE, DONE, FORWARD, PENDING, StepState

from ...core.graph.formatting import GRAD_PREFIX, decimal_separator, format_block, format_compact
from ...core.graph.paths import chain_text, edge_chain

if TYPE_CHECKING:
    from .scene import GraphScene

_FORMATTED_MAX = 50_000  # texts kept per scene (values of one Snapshot: a few thousand)
_MISSING = object()


class _Applied:
    """What a scene shows: the last state applied, and what is needed to apply the next."""

    def __init__(self, scene: GraphScene) -> None:
        self.state: StepState | None = None
        self.overrides: dict[str, Any] = {}
        self.texts: dict[int, tuple[Any, list[str]]] = {}  # id(value) -> (value, lines)
        self.labels: dict[int, tuple[Any, str]] = {}  # id(value) -> (value, edge label)
        self.badges: dict[int, tuple[Any, str]] = {}  # id(value) -> (value, gradient badge)
        self.decimal = decimal_separator()
        self.into: dict[str, list[int]] = defaultdict(list)  # node -> edges it is the target of
        self.tensor: dict[str, list[int]] = defaultdict(list)  # tensor -> its saved/variable edges
        for index, edge in enumerate(scene.snapshot.edges):
            self.into[edge.target].append(index)
            if edge.kind in ("saved", "variable"):
                self.tensor[edge.target if edge.kind == "saved" else edge.source].append(index)
        if scene.snapshot.steps:  # the edges of every step indexed now, with the scene shown,
            edge_chain(scene.snapshot, scene.snapshot.steps[0])  # not at the first step

    def check_language(self) -> None:
        """Forget the texts if the display language changed (its decimal separator)."""
        if self.decimal != decimal_separator():
            self.texts.clear()
            self.labels.clear()
            self.badges.clear()
            self.decimal = decimal_separator()

    def lines(self, value: Any) -> list[str]:
        """``format_block(value)``, once per value (values are never mutated)."""
        return self._cached(self.texts, value, format_block)

    @staticmethod
    def _cached(texts: dict, value: Any, formatter) -> Any:
        hit = texts.get(id(value))
        if hit is not None and hit[0] is value:
            return hit[1]
        if len(texts) >= _FORMATTED_MAX:
            texts.clear()
        text = formatter(value)
        texts[id(value)] = (value, text)  # the value is kept: its id stays its own
        return text

    def grad_badge(self, value: Any) -> str:
        """A node's gradient slot: ``grad 72``, or a matrix over several lines."""
        hit = self.badges.get(id(value))  # a far jump asks for hundreds: the hit is inline
        if hit is not None and hit[0] is value:
            return hit[1]
        return self._cached(self.badges, value, self._badge) if value is not None else ""

    def _badge(self, value: Any) -> str:
        pad = "\n" + " " * len(GRAD_PREFIX)
        return GRAD_PREFIX + pad.join(self.lines(value))

    def edge_label(self, value: Any) -> str:
        """An edge's label: the whole value on one line (``[[1, 0], [0, 1]]``); the
        scene's label placement folds it where it must."""
        hit = self.labels.get(id(value))
        if hit is not None and hit[0] is value:
            return hit[1]
        return self._cached(self.labels, value, format_compact) if value is not None else ""


def apply_step(scene: GraphScene, state: StepState,
               leaf_grads: dict[str, Any] | None = None) -> None:
    """Put ``state`` on the scene: node glow/dim, gradient badges, edge labels.

    ``leaf_grads`` overrides the gradient shown on some nodes (node id → value):
    the window uses it to walk a leaf's badge through its partial sums
    (seed: 4 → 12 → 72) at an AccumulateGrad step.
    """
    applied = getattr(scene, "_applied_step", None)
    if applied is None:
        applied = _Applied(scene)
        scene._applied_step = applied
    applied.check_language()
    overrides = dict(leaf_grads or {})
    changed = _changed(applied, state, overrides)
    if changed is None:
        nodes, edges = scene.node_items, scene.edge_items
    else:
        node_items, edge_items = scene.node_items, scene.edge_items
        nodes = {i: node_items[i] for i in changed[0] if i in node_items}
        edges = {i: edge_items[i] for i in changed[1] if i in edge_items}
    applied.state, applied.overrides = state, overrides
    if state.phase == FORWARD:
        restyled = _apply_forward(nodes, edges, state)
    else:
        restyled = _apply_backward(scene, applied, nodes, edges, state, overrides)
    scene.items_look_changed(*restyled)  # once per step, however many items changed


def _changed(applied: _Applied, state: StepState, overrides: dict) -> tuple[set, set] | None:
    """Node ids and edge indices whose look may differ from the scene's (None: all)."""
    last = applied.state
    if last is None or last.phase != state.phase or (last.step > 0) != (state.step > 0):
        return None
    if state.changes is not None and state.changes[0] == last.serial:
        nodes, edges = set(state.changes[1]), set(state.changes[2])
    else:
        nodes = _keys(last.node_status, state.node_status) | _keys(last.node_grads,
                                                                   state.node_grads)
        edges = _keys(last.edge_grads, state.edge_grads) | _keys(last.edge_status,
                                                                 state.edge_status)
    nodes.update(applied.overrides, overrides)
    if state.phase != FORWARD:  # edges that read a node: the active one's inputs, tensor links
        for node_id in (last.active_node, state.active_node):
            edges.update(applied.into.get(node_id, ()))
        for node_id in nodes:
            edges.update(applied.tensor.get(node_id, ()))
    return nodes, edges


def _keys(old: dict, new: dict) -> set:
    """Keys whose value differs (by identity) between two dicts."""
    if old is new:
        return set()
    keys = {key for key, value in new.items() if old.get(key, _MISSING) is not value}
    keys.update(old.keys() - new.keys())
    return keys


def _apply_backward(scene: GraphScene, applied: _Applied, nodes: dict, edges: dict,
                    state: StepState, overrides: dict) -> tuple[list, list]:
    """Backward-pass looks and texts; the items whose state changed, those whose text did.

    A far jump changes most items: each is one look (an attribute of its own, drawn
    with the scene's shared palette) and texts formatted once per value; an item's
    methods are called only where something changed.
    """
    started = state.step > 0
    status, grads = state.node_status, state.node_grads
    restyled, retexted = [], []
    for node_id, item in nodes.items():
        look = _LOOKS.get(status.get(node_id), "dimmed") if started else "idle"
        if item._state != look:
            item._state = look  # one of STATES: no check needed
            restyled.append(item)
        if not item._value_shown:
            item.set_value_shown(True)
        grad = overrides[node_id] if node_id in overrides else grads.get(node_id)
        badge = applied.grad_badge(grad) if grad is not None else ""
        if badge != item._grad_text:
            item.set_grad_text(badge, False)
            retexted.append(item)
    _apply_edges(scene, applied, edges, state, restyled, retexted)
    return restyled, retexted


def _apply_edges(scene: GraphScene, applied: _Applied, edges: dict, state: StepState,
                 restyled: list, retexted: list) -> None:
    """The edges' part of :func:`_apply_backward`."""
    status, sent, active = state.node_status, state.edge_grads, state.active_node
    started = state.step > 0
    model_edges = scene.snapshot.edges
    chains = _active_chains(scene.snapshot, state)
    for index, item in edges.items():
        edge = model_edges[index]
        value = sent.get(index)
        if value is None:
            label = ""
            if not started:
                look = "idle"
            elif edge.kind == "saved":  # no gradient flows: follow the tensor node
                look = _LOOKS.get(status.get(edge.target), "dimmed")
            elif edge.kind == "variable":
                look = _LOOKS.get(status.get(edge.source), "dimmed")
            else:
                look = "dimmed"
        elif edge.target == active:  # the gradient the active node just sent
            label = chains.get(index)  # upstream × local = sent, as it is sent
            if label is None:
                label = applied.edge_label(value)
            look = "active" if started else "idle"
        else:
            label = applied.edge_label(value)
            look = "done" if started else "idle"
        if label != item._label and item.set_grad_label(label, False):
            retexted.append(item)
        if item._state != look:
            item._state = look
            restyled.append(item)


def _active_chains(snapshot, state: StepState) -> dict[int, str]:
    """Edge index → ``1 × 5 = 5`` for the edges the active step sends along (scalars)."""
    if state.active is None or state.active >= len(snapshot.steps):
        return {}
    chains = edge_chain(snapshot, snapshot.steps[state.active])
    return {c.edge: t for c in chains if (t := chain_text(c)) is not None}


def _apply_forward(nodes: dict, edges: dict, state: StepState) -> tuple[list, list]:
    """A forward-pass state: nodes light up as they are computed, with their values."""
    restyled = []
    for node_id, item in nodes.items():
        status = state.node_status.get(node_id, PENDING)
        if item.set_state_quietly(_item_state(status, True)):
            restyled.append(item)
        item.set_value_shown(status != PENDING)  # a value appears once it is computed
        item.set_grad_text("")
    for index, item in edges.items():
        item.set_grad_label("")
        if item.set_state_quietly(_item_state(state.edge_status.get(index, PENDING), True)):
            restyled.append(item)
    return restyled, ()


_LOOKS = {ACTIVE: "active", DONE: "done"}  # a node's status once started (else: dimmed)


def _item_state(status: str | None, started: bool) -> str:
    if not started:
        return "idle"
    if status == ACTIVE:
        return "active"
    if status == DONE:
        return "done"
    return "dimmed"
