"""Collapse module boxes into single nodes (and expand them again): a derived Snapshot.

Torch-free: works on any Snapshot whose nodes know their ``module``. The
collapsed Snapshot keeps every backward step (a collapsed module's node is
active for each step that ran inside it), every variable and every gradient;
only the drawing is coarser. Lay it out again with
:func:`gradviz.core.snapshot_layout.layout_snapshot`.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable

from .snapshot import GraphEdge, GraphNode, Snapshot

MODULE_KIND = "module"
MODULE_COLOR = "thistle"


def module_node_id(path: str) -> str:
    """The id of the node standing for collapsed module ``path``."""
    return f"m:{path}"


def module_path(node_id: str) -> str | None:
    """The module a collapsed module's node stands for (None for any other node id)."""
    return node_id[2:] if node_id.startswith("m:") else None


def _owner(module: str | None, collapsed: list[str]) -> str | None:
    """The outermost collapsed module containing ``module`` (itself included)."""
    if not module:
        return None
    for path in collapsed:  # sorted: shorter (outer) paths first
        if module == path or module.startswith(path + "."):
            return path
    return None


def collapse_modules(snapshot: Snapshot, collapsed: Iterable[str]) -> Snapshot:
    """A copy of ``snapshot`` where each module in ``collapsed`` is one node (no layout)."""
    paths = sorted(set(collapsed), key=lambda p: (p.count("."), p))
    kinds = snapshot.meta.get("modules", {})
    mapping: dict[str, str] = {}
    members: dict[str, int] = {}
    for node in snapshot.nodes:
        owner = _owner(node.module, paths)
        if owner is not None:
            mapping[node.id] = module_node_id(owner)
            members[owner] = members.get(owner, 0) + 1
    if not mapping:
        return copy.deepcopy(snapshot)
    nodes, seen = [], set()
    for node in snapshot.nodes:
        new_id = mapping.get(node.id)
        if new_id is None:
            nodes.append(copy.copy(node))
        elif new_id not in seen:
            seen.add(new_id)
            path = new_id[2:]
            label = f"{path}\n{kinds.get(path, 'Module')}\n{members[path]} nodes"
            nodes.append(GraphNode(id=new_id, kind=MODULE_KIND, label=label,
                                   module=path.rpartition(".")[0] or None,
                                   fillcolor=MODULE_COLOR))
    edges, pairs = [], set()
    for edge in snapshot.edges:
        source, target = mapping.get(edge.source, edge.source), mapping.get(edge.target,
                                                                              edge.target)
        key = (source, target, edge.kind)
        if source == target or key in pairs:
            continue  # inside one box, or a repeat of a boundary edge
        pairs.add(key)
        edges.append(GraphEdge(source, target, edge.kind, edge.input_nr))
    out = copy.deepcopy(snapshot)
    out.nodes, out.edges, out.layout = nodes, edges, None
    out.statements, out.derived = None, {}  # the capture's order, the caches: all stale now
    for step in out.steps:
        step.node = mapping.get(step.node, step.node)
        step.grad_out = [g for g in step.grad_out
                         if mapping.get(g.target, g.target) != step.node]
        for out_grad in step.grad_out:
            out_grad.target = mapping.get(out_grad.target, out_grad.target)
        for contribution in step.contributions:
            contribution.source = mapping.get(contribution.source, contribution.source)
    for var in out.variables + [out.output] + out.outputs:
        if var.node is not None:
            var.node = mapping.get(var.node, var.node)
    out.meta["collapsed"] = paths
    return out
