"""The forward pass's order, derived from a Snapshot: which node was computed before which.

The Snapshot keeps the backward engine's order (its steps), not the order in
which the forward pass created each ``grad_fn``. :func:`forward_order` derives
a creation order that is always valid: a topological order along the "next"
edges (every input before the node that consumes it), ties broken by the
reverse engine order (the engine runs later what was created earlier). On the
seed ``5*x**3 + 2*x**2 + 4*x + 8`` it gives PyTorch's own creation order.
Torch-free and Qt-free.
"""

from __future__ import annotations

import heapq

from ..snapshot import Snapshot

#: Node kinds that the forward pass computes (a collapsed module counts as one).
COMPUTED_KINDS = ("function", "module")
#: A leaf's AccumulateGrad exists with the leaf: it is an input, not a computation.
INPUT_OPS = ("AccumulateGrad",)


def is_computed(node) -> bool:
    """True for a node the forward pass computes (not a leaf, saved tensor or output)."""
    return node.kind in COMPUTED_KINDS and node.op not in INPUT_OPS


def forward_order(snapshot: Snapshot) -> list[str]:
    """Ids of the computed nodes in creation order (cached on the Snapshot)."""
    cached = snapshot.derived.get("forward_order")
    if cached is not None:
        return cached
    computed = {n.id: i for i, n in enumerate(snapshot.nodes) if is_computed(n)}
    engine: dict[str, int] = {}
    for step in snapshot.steps:
        engine.setdefault(step.node, step.index)
    waiting = dict.fromkeys(computed, 0)
    consumers: dict[str, list[str]] = {}
    for edge in snapshot.edges:
        if edge.kind == "next" and edge.source in computed and edge.target in computed:
            waiting[edge.target] += 1
            consumers.setdefault(edge.source, []).append(edge.target)

    def priority(node_id: str) -> tuple[int, int]:
        # Latest in the engine's order first; nodes the engine never ran last, by model order.
        return (-engine.get(node_id, -1), computed[node_id])

    ready = [(priority(n), n) for n, count in waiting.items() if count == 0]
    heapq.heapify(ready)
    order: list[str] = []
    while ready:
        _, node_id = heapq.heappop(ready)
        order.append(node_id)
        for target in consumers.get(node_id, ()):
            waiting[target] -= 1
            if waiting[target] == 0:
                heapq.heappush(ready, (priority(target), target))
    # A cycle cannot come from autograd; should a damaged file hold one, keep every node anyway.
    placed = set(order)
    order += [n for n in computed if n not in placed]
    snapshot.derived["forward_order"] = order
    return order


def forward_inputs(snapshot: Snapshot, node_id: str) -> list[str]:
    """The nodes whose results ``node_id`` consumes ("next" edges, by input number)."""
    edges = [e for e in snapshot.edges if e.kind == "next" and e.target == node_id]
    edges.sort(key=lambda e: e.input_nr if e.input_nr is not None else 0)
    return [e.source for e in edges]
