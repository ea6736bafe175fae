"""Source ↔ graph: which nodes a span of the typed expression computes, and back.

Reads the ``spans`` that :mod:`gradviz.core.graph.origins` stored on each node;
torch-free and Qt-free, so the window calls it directly.
"""

from __future__ import annotations

from ..snapshot import Snapshot

__all__ = ["expression_line", "node_spans", "nodes_in_span", "subgraph_edges"]

MAX_EXPRESSION_CHARS = 28  # a longer sub-expression is cut on the node (whole in the panel)


def expression_line(node) -> str | None:
    """The sub-expression a function node computes, as a line for its box (``5x³``).

    None for nodes without one, for leaves and their AccumulateGrad (the
    variable's name says it already) and for tensors.
    """
    if node.kind != "function" or node.op == "AccumulateGrad" or not node.expression:
        return None
    text = node.expression
    return text if len(text) <= MAX_EXPRESSION_CHARS else text[:MAX_EXPRESSION_CHARS - 1] + "…"


def node_spans(snapshot: Snapshot, node_id: str) -> list[tuple[int, int]]:
    """The ``[start, end)`` spans of ``Snapshot.source`` that a node comes from (may be empty)."""
    try:
        node = snapshot.node(node_id)
    except KeyError:
        return []
    return [(int(a), int(b)) for a, b in (node.spans or [])]


def nodes_in_span(snapshot: Snapshot, start: int, end: int) -> list[str]:
    """The nodes that compute the part ``source[start:end]`` of the expression.

    Every node whose span lies inside the selection (a leaf: any of its uses).
    A selection that holds no whole sub-expression (a caret, half a token)
    picks the smallest sub-expression around it instead, as a click in the
    text does.
    """
    start, end = min(start, end), max(start, end)
    inside, around = [], []
    for node in snapshot.nodes:
        for a, b in node.spans or ():
            if start < end and start <= a and b <= end:
                inside.append(node.id)
                break
            if a <= start and end <= b:
                around.append((b - a, node.id))
    if inside:
        return inside
    if not around:
        return []
    smallest = min(size for size, _ in around)
    return [node_id for size, node_id in around if size == smallest]


def subgraph_edges(snapshot: Snapshot, node_ids: list[str] | set[str]) -> list[int]:
    """Indices of the edges whose both ends are among ``node_ids``."""
    chosen = set(node_ids)
    return [i for i, e in enumerate(snapshot.edges) if e.source in chosen and e.target in chosen]
