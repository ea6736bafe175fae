"""Show one replay state on a graph scene: the single place that maps StepState to items.

Deterministic: the scene at a position depends only on its state (``state_at``, or
``forward_state_at`` during a forward replay), whether the position was reached by
playing, stepping or jumping. The window and the
headless exporters (still images at ``--step N``, GIF frames) both call
:func:`apply_step`.
"""

from __future__ import annotations

from typing import Any

from ..core.formatting import GRAD_PREFIX, format_compact
from .replay_state import ACTIVE, DONE, FORWARD, PENDING, StepState
from .scene import GraphScene


def apply_step(scene: GraphScene, state: StepState,
               leaf_grads: dict[str, Any] | None = None) -> None:
    """Put ``state`` on the scene: node glow/dim, gradient badges, edge labels.

    ``leaf_grads`` overrides the gradient shown on some nodes (node id → value):
    the window uses it to walk a leaf's badge through its partial sums
    (seed: 4 → 12 → 72) at an AccumulateGrad step.
    """
    if state.phase == FORWARD:
        _apply_forward(scene, state)
        return
    started = state.step > 0
    overrides = leaf_grads or {}
    for node_id, item in scene.node_items.items():
        item.set_state(_item_state(state.node_status.get(node_id), started))
        item.set_value_shown(True)
        grad = overrides.get(node_id, state.node_grads.get(node_id))
        item.set_grad_text(GRAD_PREFIX + format_compact(grad) if grad is not None else "")
    for index, item in scene.edge_items.items():
        edge = scene.snapshot.edges[index]
        value = state.edge_grads.get(index)
        item.set_grad_label(format_compact(value) if value is not None else "")
        if not started:
            item.set_state("idle")
        elif value is not None and edge.target == state.active_node:
            item.set_state("active")  # the gradient the active node just sent
        elif value is not None:
            item.set_state("done")
        elif edge.kind in ("saved", "variable"):  # no gradient flows: follow the tensor node
            tensor = edge.target if edge.kind == "saved" else edge.source
            item.set_state(_item_state(state.node_status.get(tensor), started))
        else:
            item.set_state("dimmed")


def _apply_forward(scene: GraphScene, state: StepState) -> None:
    """A forward-pass state: nodes light up as they are computed, with their values."""
    for node_id, item in scene.node_items.items():
        status = state.node_status.get(node_id, PENDING)
        item.set_state(_item_state(status, True))
        item.set_value_shown(status != PENDING)  # a value appears once it is computed
        item.set_grad_text("")
    for index, item in scene.edge_items.items():
        item.set_grad_label("")
        item.set_state(_item_state(state.edge_status.get(index, PENDING), True))


def _item_state(status: str | None, started: bool) -> str:
    if not started:
        return "idle"
    if status == ACTIVE:
        return "active"
    if status == DONE:
        return "done"
    return "dimmed"
