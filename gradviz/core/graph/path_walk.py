"""Walking the backward graph from the output: reachable order, path counts, listed paths.

Plain algorithms over ``inputs`` (consumer → ``[(edge, input node)]``), no recursion,
used by :mod:`gradviz.core.graph.paths`.
"""

from __future__ import annotations

MAX_LISTED_EDGES = 20_000  # and no more edges in all: deep graphs list fewer (at least one)


def path_counts(inputs, order: list[str], target: str) -> dict[str, int]:
    """Node → number of paths from it down to ``target`` (only nodes with at least one)."""
    counts: dict[str, int] = {target: 1}
    for node in order:
        if node != target:
            total = sum(counts.get(source, 0) for _, source in inputs.get(node, ()))
            if total:
                counts[node] = total
    return counts


def post_order(inputs, root: str) -> list[str]:
    """Nodes reachable from ``root``, every input before its consumer (no recursion)."""
    # A node is expanded when first popped (not when pushed): an input pushed earlier
    # by another consumer but not yet expanded is pushed again, above this node's marker,
    # so it is finished before this node is.
    order, expanded, finished = [], set(), set()
    stack = [(root, False)]
    while stack:
        node, done = stack.pop()
        if done:
            if node not in finished:
                finished.add(node)
                order.append(node)
            continue
        if node in expanded:
            continue
        expanded.add(node)
        stack.append((node, True))
        stack.extend((source, False) for _, source in inputs.get(node, ())
                     if source not in expanded)
    return order


def enumerate_paths(inputs, counts, root: str, target: str, limit: int):
    """Up to ``limit`` paths as (nodes, edges), depth first in ``next_functions`` order.

    Partial paths are kept as links to their parent (no list copies), so deep
    graphs cost the depth once per listed path, not its square.
    """
    found: list[tuple[list[str], list[int]]] = []
    stack: list[tuple[str, int | None, object]] = [(root, None, None)]  # node, edge, parent
    listed = 0
    while stack and len(found) < limit and listed < MAX_LISTED_EDGES:
        entry = stack.pop()
        node = entry[0]
        if node == target:
            found.append(unwind(entry))
            listed += len(found[-1][1])
            continue
        for index, source in reversed(inputs.get(node, ())):
            if source in counts:
                stack.append((source, index, entry))
    return found


def unwind(entry) -> tuple[list[str], list[int]]:
    nodes, edges = [], []
    while entry is not None:
        nodes.append(entry[0])
        if entry[1] is not None:
            edges.append(entry[1])
        entry = entry[2]
    return nodes[::-1], edges[::-1]
