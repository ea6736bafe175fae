"""The one path that builds a Snapshot: capture → trace → layout.

The GUI, the CLI and the Python API all end here (:func:`build_snapshot`);
:func:`snapshot_from_expression` and :func:`build_snapshot_job` (the
evaluation worker's entry point) only prepare its inputs.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict, dataclass
from typing import Any

import torch

from .. import __version__
from .capture import CapturedGraph, capture_graph
from .errors import Cancelled
from .formatting import GRAD_PREFIX, VALUE_PREFIX, format_compact
from .layout import dot_source, layout_dot, match_edges
from .snapshot import BackwardStep, Output, Snapshot, Variable
from .trace import prepare_root, trace_backward
from .values import dtype_name, summarize

Progress = Callable[[int, int], None]
STAGES = ("capture", "trace", "layout")


@dataclass
class BuildOptions:
    """What to show and how to lay it out (plain data: crosses process boundaries)."""

    engine: str | None = None  # "graphviz-pure" | "dot" | None (env var, then default)
    show_saved: bool = True  # torchviz's orange saved-tensor nodes
    show_attrs: bool = True  # grad_fn attributes for the inspector
    show_values: bool = True  # reserve lines under labels for value and gradient
    reduction: str | None = None  # "sum" | "mean" for a non-scalar output
    runs: int = 1  # backward calls (2 shows .grad accumulating)
    layout: bool = True
    rankdir: str = "TB"
    timeout: float | None = None  # layout engine timeout, seconds

    @classmethod
    def from_dict(cls, data: Mapping[str, Any] | None) -> BuildOptions:
        """Options from a plain dict (unknown keys are an error)."""
        return cls(**dict(data or {}))


def build_snapshot(
    outputs: torch.Tensor | Sequence[torch.Tensor],
    *,
    params: Mapping[str, torch.Tensor] | None = None,
    values: Mapping[int, Any] | None = None,
    source: str = "",
    options: BuildOptions | None = None,
    gradients: Sequence[torch.Tensor] | None = None,
    keep_grad: bool = False,
    progress: Progress | None = None,
    should_cancel: Callable[[], bool] | None = None,
) -> Snapshot:
    """Capture, trace and lay out the graph behind ``outputs``.

    ``params`` names leaves; ``values`` are forward values recorded by a
    :class:`~gradviz.core.record.ForwardRecorder`. The caller's tensors are
    left as they were (``.grad`` restored) unless ``keep_grad``.
    """
    opts = options or BuildOptions()
    outs = [outputs] if isinstance(outputs, torch.Tensor) else list(outputs)
    timings: dict[str, float] = {}

    def stage(index: int) -> None:
        if should_cancel is not None and should_cancel():
            raise Cancelled()
        if progress is not None:
            progress(index, len(STAGES))

    stage(0)
    start = time.perf_counter()
    reduction = opts.reduction if gradients is None else None
    roots, reduced = zip(*(prepare_root(o, reduction) for o in outs)) if gradients is None \
        else (outs, [None] * len(outs))
    graph = capture_graph(
        roots, params=params, values=values, show_saved=opts.show_saved,
        show_attrs=opts.show_attrs,
    )
    timings["capture"] = time.perf_counter() - start
    stage(1)
    start = time.perf_counter()
    steps = trace_backward(roots, graph, gradients=gradients, runs=opts.runs, keep_grad=keep_grad)
    timings["trace"] = time.perf_counter() - start
    stage(2)
    snapshot = _assemble(graph, roots, reduced, steps, params or {}, source, opts)
    if opts.layout:
        start = time.perf_counter()
        snapshot.layout = layout_snapshot(snapshot, opts, should_cancel=should_cancel)
        timings["layout"] = time.perf_counter() - start
    snapshot.meta["timings"] = timings
    if progress is not None:
        progress(len(STAGES), len(STAGES))
    return snapshot


def _assemble(
    graph: CapturedGraph,
    roots: Sequence[torch.Tensor],
    reduced: Sequence[str | None],
    steps: list[BackwardStep],
    params: Mapping[str, torch.Tensor],
    source: str,
    opts: BuildOptions,
) -> Snapshot:
    final_grad = {s.variable: s.grad_after for s in steps if s.variable is not None}
    variables = []
    named = {id(t) for t in params.values()}
    leaves = [(name, t) for name, t in params.items()]
    leaves += [(graph.names[id(t)], t) for t in graph.leaves if id(t) not in named]
    for name, t in leaves:
        variables.append(Variable(
            name=name, shape=list(t.shape), dtype=dtype_name(t.dtype), value=summarize(t),
            requires_grad=t.requires_grad, grad=final_grad.get(name),
            node=graph.leaf_ids.get(id(t)),
        ))
    outputs = [
        Output(value=summarize(r), shape=list(r.shape), dtype=dtype_name(r.dtype),
               node=_output_node(graph, r), reduction=red)
        for r, red in zip(roots, reduced)
    ]
    meta = {"gradviz": __version__, "torch": torch.__version__.split("+")[0],
            "options": asdict(opts)}
    snapshot = Snapshot(source=source, output=outputs[0], outputs=outputs, variables=variables,
                        nodes=graph.nodes, edges=graph.edges, steps=steps, meta=meta)
    snapshot.__dict__["_statements"] = graph.statements  # torchviz's order, for the layout
    return snapshot


def _output_node(graph: CapturedGraph, root: torch.Tensor) -> str | None:
    for node in graph.nodes:
        if node.kind == "output" and node.value is not None and node.shape == list(root.shape):
            return node.id
    return None


def node_annotations(snapshot: Snapshot) -> dict[str, list[str]]:
    """The value and gradient lines reserved under each node's label.

    The gradient line is as wide as the widest gradient the node shows during
    the replay (a leaf's partial sums included), so the badge always fits.
    """
    grads: dict[str, list[Any]] = {}
    for step in snapshot.steps:
        grads.setdefault(step.node, []).extend(step.grad_in)
    for var in snapshot.variables:
        if var.node:
            grads[var.node] = _partial_grads(snapshot.steps, var.name)
    for out in snapshot.outputs:
        if out.node and isinstance(out.value, (int, float)):
            grads[out.node] = [1.0]
    lines: dict[str, list[str]] = {}
    for node in snapshot.nodes:
        extra = []
        if node.value is not None:
            extra.append(VALUE_PREFIX + format_compact(node.value))
        texts = [GRAD_PREFIX + format_compact(g) for g in grads.get(node.id, []) if g is not None]
        if texts:
            extra.append(max(reversed(texts), key=len))  # the final one among the widest
        if extra:
            lines[node.id] = extra
    return lines


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
    statements = snapshot.__dict__.get("_statements") or _statements_from_model(snapshot)
    extra = node_annotations(snapshot) if opts.show_values else None
    kinds = [e.kind for e in snapshot.edges]
    return dot_source(snapshot.nodes, statements, kinds, extra_lines=extra,
                      rankdir=opts.rankdir, **kwargs)


def layout_snapshot(snapshot: Snapshot, opts: BuildOptions | None = None, *, should_cancel=None):
    """Lay a Snapshot out (Graphviz), edges matched to the model's."""
    opts = opts or BuildOptions(**snapshot.meta.get("options", {}))
    layout = layout_dot(snapshot_dot(snapshot, opts), engine=opts.engine, timeout=opts.timeout,
                        should_cancel=should_cancel)
    match_edges(layout, snapshot.edges)
    labels = {n.id: n.label.count("\n") + 1 for n in snapshot.nodes}
    for node_id, box in layout.nodes.items():
        box.label_lines = labels.get(node_id, len(box.lines))
    return layout


def _statements_from_model(snapshot: Snapshot) -> list[tuple[str, ...]]:
    """DOT statements for a Snapshot read back from JSON: nodes, then edges."""
    out: list[tuple[str, ...]] = [("node", n.id) for n in snapshot.nodes]
    out += [("edge", e.source, e.target, str(i)) for i, e in enumerate(snapshot.edges)]
    return out
