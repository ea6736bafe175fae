"""Show one replay state on a graph scene: the single place that maps StepState to items.

Deterministic: the scene at step *k* depends only on ``state_at(snapshot, k)``,
whether *k* was reached by playing, stepping or jumping. The window and the
headless exporters (still images at ``--step N``, GIF frames) both call
:func:`apply_step`.
"""

from __future__ import annotations

from typing import Any

from ..core.formatting import GRAD_PREFIX, format_compact
from .player import ACTIVE, DONE, StepState
from .scene import GraphScene


def apply_step(scene: GraphScene, state: StepState,
               leaf_grads: dict[str, Any] | None = None) -> None:
    """Put ``state`` on the scene: node glow/dim, gradient badges, edge labels.

    ``leaf_grads`` overrides the gradient shown on some nodes (node id → value):
    the window uses it to walk a leaf's badge through its partial sums
    (seed: 4 → 12 → 72) at an AccumulateGrad step.
    """
    started = state.step > 0
    overrides = leaf_grads or {}
    for node_id, item in scene.node_items.items():
        item.set_state(_item_state(state.node_status.get(node_id), started))
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


def _item_state(status: str | None, started: bool) -> str:
    if not started:
        return "idle"
    if status == ACTIVE:
        return "active"
    if status == DONE:
        return "done"
    return "dimmed"
