"""Lay a Snapshot out: DOT with reserved value/gradient lines → Graphviz → layout.

Torch-free, so the GUI process can lay out a Snapshot the worker built
without loading torch.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ..expr.source_map import expression_line
from ..graph.formatting import GRAD_PREFIX, VALUE_PREFIX, annotation_lines, format_compact
from ..runtime.options import BuildOptions
from ..snapshot import BackwardStep, GraphEdge, GraphLayout, GraphNode, Snapshot
from .engines import fallback_warning
from .graph_layout import dot_source, layout_dot, match_edges

#: From this many nodes on, the gradient line's room is predicted from the
#: value (a gradient has its tensor's shape), not measured on the trace: the
#: layout can then start before the backward pass runs (see core.pipeline).
PREDICTED_FROM = 500
_SHOWS_GRADIENT = ("function", "leaf", "output")


def node_annotations(snapshot: Snapshot) -> dict[str, list[str]]:
    """The value and gradient lines reserved under each node's label.

    The gradient line is as wide as the widest gradient the node shows during
    the replay (a leaf's partial sums included), so the badge always fits; on
    big graphs it is predicted (:func:`predicted_annotations`).
    """
    if len(snapshot.nodes) >= PREDICTED_FROM:
        return predicted_annotations(snapshot.nodes)
    grads: dict[str, list[Any]] = {}
    for step in snapshot.steps:
        grads.setdefault(step.node, []).extend(step.grad_in)
    by_variable: dict[str, list[BackwardStep]] = {}  # one pass: a model has many leaves
    for step in snapshot.steps:
        if step.variable is not None:
            by_variable.setdefault(step.variable, []).append(step)
    for var in snapshot.variables:
        if var.node:
            grads[var.node] = _partial_grads(by_variable.get(var.name, []), var.name)
    for out in snapshot.outputs:
        if out.node and isinstance(out.value, (int, float)):
            grads[out.node] = [1.0]
    lines: dict[str, list[str]] = {}
    for node in snapshot.nodes:
        values = annotation_lines(VALUE_PREFIX, node.value) if _shows_value(node) else []
        extra = _expression(node) + values
        blocks = [annotation_lines(GRAD_PREFIX, g) for g in grads.get(node.id, []) if g is not None]
        extra += reserved_block(blocks)
        if extra:
            lines[node.id] = extra
    return lines


def reserved_block(blocks: Sequence[list[str]]) -> list[str]:
    """Room for every block shown in one slot: as many lines as the tallest, each as
    wide as the widest; the first line is the widest block's own (it names the slot)."""
    if not blocks:
        return []
    widest = max(reversed(blocks), key=lambda b: max(len(line) for line in b))
    width = max(len(line) for b in blocks for line in b)
    height = max(len(b) for b in blocks)
    out = [line.ljust(width) for line in widest]
    return out + [" " * width] * (height - len(out))


def _shows_value(node: GraphNode) -> bool:
    """A value line, unless the label already is the value (a saved literal: ``5``)."""
    if node.value is None:
        return False
    return not (node.kind == "saved" and node.label == format_compact(node.value, decimal="."))


def predicted_annotations(nodes: Sequence[GraphNode]) -> dict[str, list[str]]:
    """Value lines, and gradient lines as wide as the value plus a little slack.

    Needs no backward pass. The badge is elided if a gradient is wider still.
    """
    lines: dict[str, list[str]] = {}
    for node in nodes:
        values = annotation_lines(VALUE_PREFIX, node.value) if _shows_value(node) else []
        extra = _expression(node) + values
        if node.kind in _SHOWS_GRADIENT:
            value = list(values) or ["0" * 6]
            extra += [GRAD_PREFIX + "0" * (max(len(value[0]) - len(VALUE_PREFIX), 6) + 2)]
            extra += [" " * (len(line) + len(GRAD_PREFIX)) for line in value[1:]]
        if extra:
            lines[node.id] = extra
    return lines


def _expression(node: GraphNode) -> list[str]:
    """The sub-expression line over the value (``5x³`` then ``= 40``), if the node has one."""
    line = expression_line(node)
    return [line] if line else []


def _partial_grads(steps: Sequence[BackwardStep], name: str) -> list[Any]:
    """Every value a leaf's .grad badge passes through (running sums for scalars)."""
    out: list[Any] = []
    for step in steps:
        if step.variable != name:
            continue
        running = step.grad_before if isinstance(step.grad_before, (int, float)) else 0.0
        for c in step.contributions:
            out.append(c.value)
            if isinstance(c.value, (int, float)):
                running += c.value
                out.append(running)
        out.append(step.grad_after)
    return out


def snapshot_dot(snapshot: Snapshot, opts: BuildOptions | None = None, **kwargs: Any) -> str:
    """The DOT text the layout uses (also what ``export -o x.dot`` writes)."""
    opts = opts or BuildOptions(**snapshot.meta.get("options", {}))
    statements = snapshot.statements or _statements_from_model(snapshot)
    extra = node_annotations(snapshot) if opts.show_values else None
    kinds = [e.kind for e in snapshot.edges]
    return dot_source(snapshot.nodes, statements, kinds, extra_lines=extra,
                      rankdir=opts.rankdir, clusters=opts.group_modules,
                      module_kinds=snapshot.meta.get("modules"), **kwargs)


def layout_snapshot(
    snapshot: Snapshot, opts: BuildOptions | None = None, *, should_cancel=None
) -> GraphLayout:
    """Lay a Snapshot out (Graphviz), edges matched to the model's.

    A fallback to another engine is noted in ``snapshot.meta`` (:func:`note_engine`).
    """
    opts = opts or BuildOptions(**snapshot.meta.get("options", {}))
    layout = finish_layout(layout_dot(snapshot_dot(snapshot, opts), engine=opts.engine,
                                      timeout=opts.timeout, should_cancel=should_cancel),
                           snapshot.nodes, snapshot.edges)
    note_engine(snapshot, opts.engine, layout.engine)
    return layout


def note_engine(snapshot: Snapshot, requested: str | None, used: str) -> None:
    """``meta["layout_warning"]`` (see :func:`engines.fallback_warning`) when the engine
    wanted was not the one used; removed when it was."""
    warning = fallback_warning(requested, used)
    if warning is None:
        snapshot.meta.pop("layout_warning", None)
    else:
        snapshot.meta["layout_warning"] = warning


def early_dot(nodes: Sequence[GraphNode], edges: Sequence[GraphEdge],
              statements: Sequence[tuple[str, ...]], opts: BuildOptions, *,
              module_kinds: dict[str, str] | None = None) -> str:
    """The DOT of a big graph from its captured model alone (no steps needed).

    Laid out (``layout_dot`` + :func:`finish_layout`), it gives the very layout
    :func:`layout_snapshot` gives once traced, since graphs this big reserve
    gradient room by prediction.
    """
    if len(nodes) < PREDICTED_FROM:
        raise ValueError(f"only graphs of {PREDICTED_FROM} nodes or more are laid out early")
    extra = predicted_annotations(nodes) if opts.show_values else None
    return dot_source(nodes, statements, [e.kind for e in edges], extra_lines=extra,
                      rankdir=opts.rankdir, clusters=opts.group_modules,
                      module_kinds=module_kinds)


def finish_layout(layout: GraphLayout, nodes: Sequence[GraphNode],
                  edges: Sequence[GraphEdge]) -> GraphLayout:
    """Match laid-out edges to the model's and mark which lines are the label."""
    match_edges(layout, edges)
    labels = {n.id: n.label.count("\n") + 1 for n in nodes}
    for node_id, box in layout.nodes.items():
        box.label_lines = labels.get(node_id, len(box.lines))
    return layout


def _statements_from_model(snapshot: Snapshot) -> list[tuple[str, ...]]:
    """DOT statements for a Snapshot read back from JSON: nodes, then edges."""
    out: list[tuple[str, ...]] = [("node", n.id) for n in snapshot.nodes]
    out += [("edge", e.source, e.target, str(i)) for i, e in enumerate(snapshot.edges)]
    return out
