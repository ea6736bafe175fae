"""The chain rule made visible: every path from the output to a node, and what each carries.

``x.grad = 4 + 8 + 60`` in the seed is one term per path from ``y`` down to
``x``. :func:`gradient_paths` finds those paths in a Snapshot (along the
"next" edges, from the function that made the output to the node asked
for) and labels them from the recorded backward pass alone:

- **scalar graphs** (every gradient on the paths is one number): each edge's
  *local derivative* is what the edge sent divided by the gradient its node
  received (∂node/∂input); a path's value is the product of its local
  derivatives, and the sum over the paths equals the node's gradient
  (``.grad`` for a leaf). ``mode == "product"``.
- **tensor graphs**: products of Jacobians are not recorded, so a path cannot
  be given a value of its own. Each path shows instead the gradient its *last
  edge* delivered (shared by every path ending with that edge), and the sum
  over distinct last edges equals the gradient. ``mode == "last_edge"``.

Torch-free and Qt-free: it reads only the Snapshot's steps and edges.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from ..snapshot import Snapshot
from .formatting import format_compact, format_number
from .path_walk import enumerate_paths, path_counts, post_order

__all__ = ["EdgeChain", "GradientPath", "PathSet", "chain_text", "edge_chain", "gradient_paths",
           "path_text"]

MAX_PATHS = 64  # enumerated; the count of all paths is exact however many there are


@dataclass
class GradientPath:
    """One path from the output's function down to the target node."""

    nodes: list[str]  # node ids, from the output's function to the target
    edges: list[int]  # indices into Snapshot.edges, one per step down the path
    factors: list[float | None]  # local derivatives (product mode); None where unknown
    value: Any  # product of factors (product mode) or last edge's gradient (last_edge mode)


@dataclass
class PathSet:
    """All paths to one node, what they add up to, and the gradient they explain."""

    target: str  # the node asked for (a leaf's tensor node is followed to its AccumulateGrad)
    mode: str  # "product" (scalars) or "last_edge" (tensors); see the module docstring
    paths: list[GradientPath] = field(default_factory=list)  # in the order they arrived
    count: int = 0  # all paths (may exceed len(paths): at most MAX_PATHS are listed)
    total: Any = None  # sum over paths (product) or over distinct last edges (last_edge)
    gradient: Any = None  # the gradient recorded at the target (.grad for a leaf)
    edges: list[int] = field(default_factory=list)  # every edge on some path (highlight)
    nodes: list[str] = field(default_factory=list)  # every node on some path (highlight)

    @property
    def truncated(self) -> bool:
        """True when more paths exist than are listed."""
        return self.count > len(self.paths)


@dataclass
class EdgeChain:
    """One edge of a backward step: upstream gradient × local derivative = what it sends."""

    edge: int  # index into Snapshot.edges
    target: str  # the input node the gradient goes to
    upstream: Any  # the gradient the step's node received
    local: float | None  # sent / upstream, scalars only (None when unknown)
    sent: Any  # the gradient sent along the edge


def _next_edges(snapshot: Snapshot) -> dict[str, list[int]]:
    """Consumer node id → its "next" edges (to its inputs), in ``next_functions`` order."""
    cached = snapshot.derived.get("paths_next_edges")
    if cached is not None:
        return cached
    by_consumer: dict[str, list[int]] = {}
    for index, edge in enumerate(snapshot.edges):
        if edge.kind == "next":
            by_consumer.setdefault(edge.target, []).append(index)
    for indices in by_consumer.values():
        indices.sort(key=lambda i: snapshot.edges[i].input_nr or 0)
    snapshot.derived["paths_next_edges"] = by_consumer
    return by_consumer


def _first_steps(snapshot: Snapshot) -> dict[str, Any]:
    steps: dict[str, Any] = {}
    for step in snapshot.steps:
        if step.run == 0:
            steps.setdefault(step.node, step)
    return steps


def edge_chain(snapshot: Snapshot, step) -> list[EdgeChain]:
    """For each edge a step sends along: upstream × local = sent (local for scalars only)."""
    edges = _next_edges(snapshot).get(step.node, [])
    upstream = step.grad_in[0] if len(step.grad_in) == 1 else None
    chain = []
    for index, grad in zip(edges, step.grad_out):
        if snapshot.edges[index].source != grad.target:
            continue  # not the pairing the trace made (should not happen)
        chain.append(EdgeChain(index, grad.target, upstream, _ratio(grad.value, upstream),
                               grad.value))
    return chain


def _ratio(sent: Any, upstream: Any) -> float | None:
    if not (_is_number(sent) and _is_number(upstream)) or _number(upstream) == 0:
        return None
    return _number(sent) / _number(upstream)


def _is_number(value: Any) -> bool:
    if isinstance(value, list) and len(value) == 1:
        return _is_number(value[0])
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _number(value: Any) -> float:
    while isinstance(value, list):
        value = value[0]
    return float(value)


def _target_function(snapshot: Snapshot, node_id: str) -> str:
    """A leaf's tensor node stands for its AccumulateGrad, an output for its function."""
    for edge in snapshot.edges:
        if edge.kind == "variable" and edge.source == node_id:
            return edge.target
        if edge.kind == "output" and edge.target == node_id:
            return edge.source
    return node_id


def _root(snapshot: Snapshot) -> str | None:
    output = snapshot.output.node
    for edge in snapshot.edges:
        if edge.kind == "output" and edge.target == output:
            return edge.source
    return None


@dataclass
class _Graph:
    """What every query on one Snapshot shares (cached on it): built once, O(nodes + edges)."""

    inputs: dict[str, list[tuple[int, str]]]  # consumer -> [(edge, input node)]
    root: str | None
    order: list[str]  # nodes reachable from the root, inputs before consumers
    steps: dict[str, Any]  # node -> its first step of the first run
    chains: dict[int, EdgeChain]  # edge -> upstream × local = sent


def _graph(snapshot: Snapshot) -> _Graph:
    cached = snapshot.derived.get("paths_graph")
    if cached is None:
        inputs = {node: [(i, snapshot.edges[i].source) for i in indices]
                  for node, indices in _next_edges(snapshot).items()}
        root = _root(snapshot)
        steps = _first_steps(snapshot)
        chains = {c.edge: c for step in steps.values() for c in edge_chain(snapshot, step)}
        order = post_order(inputs, root) if root else []
        cached = snapshot.derived["paths_graph"] = _Graph(inputs, root, order, steps, chains)
    return cached


def gradient_paths(snapshot: Snapshot, node_id: str, *, max_paths: int = MAX_PATHS) -> PathSet:
    """Every path from the output to ``node_id`` with its value; see the module docstring."""
    target = _target_function(snapshot, node_id)
    graph = _graph(snapshot)
    inputs, root, steps, chains = graph.inputs, graph.root, graph.steps, graph.chains
    counts = path_counts(inputs, graph.order, target) if root else {}
    result = PathSet(target=node_id, mode="product", count=counts.get(root, 0))
    if target in steps:
        step = steps[target]
        result.gradient = step.grad_after if step.grad_after is not None else (
            step.grad_in[0] if step.grad_in else None)
    if not result.count:
        return result
    on_paths = [(i, source) for node in counts for i, source in inputs.get(node, ())
                if source in counts]
    result.edges = sorted(i for i, _ in on_paths)
    result.nodes = [n for n in graph.order if n in counts][::-1]
    scalar = all(i in chains and _is_number(chains[i].sent) and chains[i].local is not None
                 for i in result.edges)
    result.mode = "product" if scalar else "last_edge"
    for nodes, edges in enumerate_paths(inputs, counts, root, target, max_paths):
        factors = [chains[i].local if i in chains else None for i in edges]
        if scalar:
            value = math.prod(factors)
        else:
            value = chains[edges[-1]].sent if edges[-1] in chains else None
        result.paths.append(GradientPath(nodes, edges, factors, value))
    # In the order the target received them (the seed's x: 4, then 8, then 60).
    order = {node: step.index for node, step in steps.items()}
    result.paths.sort(key=lambda p: order.get(p.nodes[-2], math.inf) if len(p.nodes) > 1 else 0)
    if scalar:
        # Every path's product, summed without listing them (exact however many there are).
        result.total = _sum_of_products(graph, counts, target)
    else:
        last_edges = [i for i, source in on_paths if source == target]
        result.total = _sum_values([chains[i].sent if i in chains else None
                                    for i in last_edges])
    return result


def _sum_of_products(graph: _Graph, counts: dict[str, int], target: str) -> float:
    """Σ over paths of the product of local derivatives (dynamic programming, no listing)."""
    below: dict[str, float] = {target: 1.0}
    for node in graph.order:
        if node in counts and node != target:
            below[node] = sum(graph.chains[i].local * below[source]
                              for i, source in graph.inputs.get(node, ()) if source in counts)
    return below[graph.root]


def _sum_values(values: list[Any]) -> Any:
    """Elementwise sum of numbers or nested lists; None if any is missing (or a summary
    of a big tensor, unless it is the only term)."""
    if len(values) == 1:
        return values[0]
    if not values or any(v is None or isinstance(v, dict) for v in values):
        return None
    total = values[0]
    for value in values[1:]:
        total = _add(total, value)
    return total


def _add(a: Any, b: Any) -> Any:
    if isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
        return [_add(x, y) for x, y in zip(a, b)]
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return a + b
    raise ValueError("values of different shapes")


def chain_text(chain: EdgeChain) -> str | None:
    """``5 × 12 = 60``: upstream gradient × local derivative = what the edge sends (scalars)."""
    if chain.local is None:
        return None
    return (f"{format_number(_clean(_number(chain.upstream)))} × "
            f"{format_number(_clean(chain.local))} = {format_number(_clean(_number(chain.sent)))}")


def path_text(path: GradientPath) -> str:
    """``1 · 1 · 5 · 12 = 60`` (product mode); the delivered gradient otherwise."""
    if any(f is None for f in path.factors) or path.value is None:
        return format_compact(path.value)
    factors = " · ".join(format_number(_clean(f)) for f in path.factors)
    return f"{factors} = {format_number(_clean(path.value))}"


def _clean(value: float) -> float | int:
    """A ratio that is a whole number within float error prints as one (5, not 5.000001)."""
    rounded = round(value)
    if rounded != 0 and abs(value - rounded) <= 1e-6 * max(1.0, abs(value)):
        return rounded
    return value
