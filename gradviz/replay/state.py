"""The replay's states as plain data: what to draw after *k* backward steps, or
at position *k* of the forward pass.

Pure functions of ``(snapshot, k)``: step *k* looks the same whether reached
by playing, stepping or jumping. :func:`state_at` is the backward pass (step
*k*: the first *k* of ``snapshot.steps`` have run; 0 = the forward pass is
done and nothing has propagated). With several backward runs, node and edge
states describe the current run, while each leaf's ``.grad`` keeps what earlier
runs accumulated, as PyTorch's does. :func:`forward_state_at` is the forward
pass (position *k*: the first *k* computed nodes of
:func:`~gradviz.core.graph.forward.forward_order` have run; 0 = only the inputs).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from gradviz.core.explain.text import add_values
from gradviz.core.graph.forward import COMPUTED_KINDS, forward_order
from gradviz.core.snapshot import Contribution, Snapshot

PENDING, ACTIVE, DONE = "pending", "active", "done"
FORWARD, BACKWARD = "forward", "backward"
_INPUT_KINDS = ("leaf", "view_base")


@dataclass
class StepState:
    """Everything a view draws at one step of the replay (plain data)."""

    step: int  # k: how many steps have run
    total: int  # len(snapshot.steps)
    run: int = 0  # the backward call the last executed step belongs to
    active: int | None = None  # index of the step just executed (k − 1), None at k = 0
    active_node: str | None = None
    node_status: dict[str, str] = field(default_factory=dict)  # node id -> pending/active/done
    node_grads: dict[str, Any] = field(default_factory=dict)  # node id -> gradient it shows
    edge_grads: dict[int, Any] = field(default_factory=dict)  # edge index -> gradient sent
    grads: dict[str, Any] = field(default_factory=dict)  # variable -> .grad so far
    contributions: dict[str, list[Contribution]] = field(default_factory=dict)  # this run's
    phase: str = BACKWARD  # FORWARD: a forward-pass state (step is 0, no gradient yet)
    forward: int = 0  # FORWARD: how many computed nodes have run
    forward_total: int = 0  # FORWARD: len(forward_order(snapshot))
    edge_status: dict[int, str] = field(default_factory=dict)  # FORWARD: edge -> status
    # From a Timeline (gradviz.replay.timeline), not compared: this state's serial and
    # (serial of the state before it, node ids, edge indices that may differ from it).
    serial: int = field(default=0, compare=False, repr=False)
    changes: tuple | None = field(default=None, compare=False, repr=False)


def state_at(snapshot: Snapshot, k: int) -> StepState:
    """The replay's state after the first ``k`` steps (``k`` is clamped)."""
    steps = snapshot.steps
    k = max(0, min(k, len(steps)))
    state = StepState(step=k, total=len(steps))
    if k:
        state.active, state.active_node = k - 1, steps[k - 1].node
        state.run = steps[k - 1].run
    executed = [s for s in steps[:k] if s.run == state.run]
    edges = _edges_by_consumer(snapshot)
    for step in executed:
        state.node_status[step.node] = DONE
        state.node_grads[step.node] = _incoming(step)
        for index, value in _sent_edges(step, edges):
            state.edge_grads[index] = value
    if state.active_node is not None:
        state.node_status[state.active_node] = ACTIVE
    _tensor_nodes(snapshot, state)
    _leaf_grads(snapshot, state, steps[:k])
    return state


def forward_state_at(snapshot: Snapshot, k: int) -> StepState:
    """The forward pass after its first ``k`` computed nodes (``k`` clamped; 0: inputs only).

    Leaves (and their AccumulateGrad) are there from the start; node ``k − 1``
    of :func:`forward_order` is active; saved tensors and the output appear
    with the node that made them. No gradient exists yet.
    """
    order = forward_order(snapshot)
    k = max(0, min(k, len(order)))
    state = StepState(step=0, total=len(snapshot.steps), phase=FORWARD, forward=k,
                      forward_total=len(order))
    status = state.node_status
    computed = set(order)
    for node in snapshot.nodes:
        if node.kind in _INPUT_KINDS or (node.kind in COMPUTED_KINDS and node.id not in computed):
            status[node.id] = DONE
    for node_id in order[:k]:
        status[node_id] = DONE
    if k:
        state.active_node = order[k - 1]
        status[state.active_node] = ACTIVE
    for edge in snapshot.edges:
        if edge.kind == "output":
            status[edge.target] = status.get(edge.source, PENDING)
    for node in snapshot.nodes:
        if node.kind == "saved" and node.saved_of is not None:
            status[node.id] = status.get(node.saved_of, PENDING)
        status.setdefault(node.id, PENDING)
    for index, edge in enumerate(snapshot.edges):
        state.edge_status[index] = _forward_edge(edge, status, state.active_node)
    _leaf_grads(snapshot, state, [])
    return state


def _forward_edge(edge, status: dict[str, str], active: str | None) -> str:
    """An edge is active while it feeds the active node, done once both ends exist."""
    if edge.kind == "next" and edge.target == active:
        return ACTIVE
    ends = (status.get(edge.source, PENDING), status.get(edge.target, PENDING))
    if edge.kind == "saved":  # function → what it saved: lit with the function
        return ends[0]
    return PENDING if PENDING in ends else DONE


def accumulation_frames(snapshot: Snapshot, k: int) -> list[Any]:
    """The values a leaf's .grad badge passes through at step ``k`` (seed: 4, 12, 72).

    Empty unless the step just executed (``k − 1``) is an AccumulateGrad.
    """
    if not 0 < k <= len(snapshot.steps):
        return []
    step = snapshot.steps[k - 1]
    if step.variable is None:
        return []
    running = step.grad_before if step.grad_before is not None else 0
    frames = []
    for contribution in step.contributions:
        running = add_values(running, contribution.value)
        if running is None:  # a summarised tensor: only PyTorch's total is known
            return [step.grad_after]
        frames.append(running)
    if frames:
        frames[-1] = step.grad_after  # PyTorch's own sum (float rounding may differ)
    return frames or [step.grad_after]


def _incoming(step) -> Any:
    """The gradient arriving at a node (one output: its value; several: the list)."""
    return step.grad_in[0] if len(step.grad_in) == 1 else list(step.grad_in)


def _edges_by_consumer(snapshot: Snapshot) -> dict[str, list[tuple[str, int]]]:
    """Consumer node -> [(input node, edge index)] of its "next" edges, by input_nr."""
    cache = snapshot.derived.get("player_edges")
    if cache is None:
        cache = {}
        ordered = sorted(
            (e.input_nr if e.input_nr is not None else 0, i, e)
            for i, e in enumerate(snapshot.edges) if e.kind == "next"
        )
        for _, index, edge in ordered:
            cache.setdefault(edge.target, []).append((edge.source, index))
        snapshot.derived["player_edges"] = cache
    return cache


def _sent_edges(step, edges: dict[str, list[tuple[str, int]]]):
    """(edge index, value) for each gradient the step sent (duplicate inputs matched in order)."""
    free = list(edges.get(step.node, []))
    for out in step.grad_out:
        for position, (source, index) in enumerate(free):
            if source == out.target:
                del free[position]
                yield index, out.value
                break


def _tensor_nodes(snapshot: Snapshot, state: StepState) -> None:
    """Leaves follow their AccumulateGrad, saved tensors their function, outputs their root."""
    status = state.node_status
    for index, edge in enumerate(snapshot.edges):
        if edge.kind == "output" and edge.source in status:
            status[edge.target] = DONE
            state.node_grads[edge.target] = state.node_grads[edge.source]
            state.edge_grads[index] = state.node_grads[edge.source]
        elif edge.kind == "variable" and edge.target in status:
            status[edge.source] = status[edge.target]
    for node in snapshot.nodes:
        if node.kind == "saved" and node.saved_of in status:
            status[node.id] = status[node.saved_of]
        status.setdefault(node.id, PENDING)


def _leaf_grads(snapshot: Snapshot, state: StepState, done: list) -> None:
    """Each variable's .grad so far, and the contributions of the current run so far."""
    first: dict[str, Any] = {}
    for step in snapshot.steps:
        if step.variable is not None:
            first.setdefault(step.variable, step.grad_before)
    for var in snapshot.variables:
        state.grads[var.name] = first.get(var.name)
    for step in done:
        if step.variable is not None:
            state.grads[step.variable] = step.grad_after
    for var in snapshot.variables:
        state.contributions[var.name] = []
    run_steps = [s for s in snapshot.steps if s.run == state.run and s.variable is not None]
    for step in run_steps:
        state.contributions[step.variable] = [
            c for c in step.contributions if c.step < state.step
        ]
    for var in snapshot.variables:
        if var.node is not None and state.grads.get(var.name) is not None:
            state.node_grads[var.node] = state.grads[var.name]


