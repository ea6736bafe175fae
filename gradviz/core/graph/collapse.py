"""Collapse module boxes into single nodes (and expand them again): a derived Snapshot.

Torch-free: works on any Snapshot whose nodes know their ``module``. The
collapsed Snapshot keeps every backward step (a collapsed module's node is
active for each step that ran inside it), every variable and every gradient;
only the drawing is coarser. Lay it out again with
:func:`gradviz.core.layout.snapshot_layout.layout_snapshot`.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable
from dataclasses import fields

from ..runtime.gcpause import paused_gc
from ..snapshot import BackwardStep, Contribution, GradOut, GraphEdge, GraphNode, Snapshot

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
    groups = {}
    for path, count in members.items():
        label = f"{path}\n{kinds.get(path, 'Module')}\n{count} nodes"
        groups[module_node_id(path)] = GraphNode(
            id=module_node_id(path), kind=MODULE_KIND, label=label,
            module=path.rpartition(".")[0] or None, fillcolor=MODULE_COLOR)
    out = merge_nodes(snapshot, mapping, groups)
    if mapping:
        out.meta["collapsed"] = paths
    return out


def merge_nodes(snapshot: Snapshot, mapping: dict[str, str],
                groups: dict[str, GraphNode]) -> Snapshot:
    """A copy of ``snapshot`` where each node ``n`` in ``mapping`` becomes ``groups[mapping[n]]``.

    Each group node stands where its first member was; edges inside a group
    go, repeated boundary edges are drawn once; every step, variable and
    gradient is kept (steps and contributions now name the group). No layout.
    """
    with paused_gc():  # tens of thousands of small objects: full collections would dominate
        return _merged(snapshot, mapping, groups)


def _merged(snapshot: Snapshot, mapping: dict[str, str],
            groups: dict[str, GraphNode]) -> Snapshot:
    nodes, seen = [], set()
    for node in snapshot.nodes:
        new_id = mapping.get(node.id)
        if new_id is None:
            nodes.append(copy.copy(node))
        elif new_id not in seen:
            seen.add(new_id)
            nodes.append(groups[new_id])
    edges, pairs = [], set()
    for edge in snapshot.edges:
        source, target = mapping.get(edge.source, edge.source), mapping.get(edge.target,
                                                                              edge.target)
        if source == edge.source and target == edge.target:
            edges.append(GraphEdge(source, target, edge.kind, edge.input_nr))
            continue  # outside every group: kept as it was (x * x has two edges x → mul)
        key = (source, target, edge.kind)
        if source == target or key in pairs:
            continue  # inside one box, or a repeat of a boundary edge
        pairs.add(key)
        edges.append(GraphEdge(source, target, edge.kind, edge.input_nr))
    out = _copy_without_graph(snapshot)
    if not mapping:
        out.layout = copy.deepcopy(snapshot.layout)  # the same drawing still fits
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
    return out


def _copy_without_graph(snapshot: Snapshot) -> Snapshot:
    """A copy whose node ids may change: steps, variables and outputs copied lightly
    (their values shared, never changed), ``meta`` one level deep, the rest deeply;
    nodes, edges, layout and caches are left out (replaced anyway)."""
    skip = {"nodes", "edges", "layout", "steps", "variables", "output", "outputs", "meta",
            "statements", "derived"}
    out = copy.copy(snapshot)
    for f in fields(snapshot):
        if f.name not in skip:
            setattr(out, f.name, copy.deepcopy(getattr(snapshot, f.name)))
    out.statements, out.derived = None, {}  # the capture's order, the caches: all stale now
    out.meta = dict(snapshot.meta)  # new keys only (collapsed, folds): the values are shared
    out.steps = [_step_copy(step) for step in snapshot.steps]
    out.variables = [copy.copy(var) for var in snapshot.variables]  # node ids change, not values
    out.output = copy.copy(snapshot.output)
    out.outputs = [out.output if o is snapshot.output else copy.copy(o) for o in snapshot.outputs]
    return out


def _step_copy(step: BackwardStep) -> BackwardStep:
    """A step whose node ids may change; its values are shared (never changed)."""
    new = copy.copy(step)
    new.grad_out = [GradOut(g.target, g.value) for g in step.grad_out]
    new.contributions = [Contribution(c.source, c.value, c.step) for c in step.contributions]
    return new
