"""The one path that builds a Snapshot: capture → trace → layout.

The GUI, the CLI and the Python API all end here (:func:`build_snapshot`);
:func:`snapshot_from_expression` and :func:`build_snapshot_job` (the
evaluation worker's entry point) only prepare its inputs.
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict
from typing import Any

import torch

from ... import __version__
from ..errors import Cancelled
from ..explain.steps import explain_steps
from ..expr.input_checks import check_build_inputs
from ..graph.capture import CapturedGraph, capture_graph
from ..graph.modules import ModuleScopes, assign_modules
from ..graph.origins import Origin, apply_origins
from ..graph.trace import prepare_root, trace_backward
from ..graph.values import dtype_name, summarize
from ..layout.graph_layout import layout_dot
from ..layout.snapshot_layout import (
    PREDICTED_FROM,
    early_dot,
    finish_layout,
    layout_snapshot,
    note_engine,
)
from ..lens.saved_memory import META_KEY as SAVED_MEMORY
from ..lens.saved_memory import measure_saved
from ..lens.saved_rule import resolve_show_saved
from ..snapshot import BackwardStep, GraphLayout, Output, Snapshot, Variable
from ..snapshot_json import AHEAD_KEY, ahead_wanted, encode_ahead
from .gcpause import paused_gc
from .options import BuildOptions

Progress = Callable[[int, int], None]
STAGES = ("capture", "trace", "layout")


def build_snapshot(
    outputs: torch.Tensor | Sequence[torch.Tensor],
    *,
    params: Mapping[str, torch.Tensor] | None = None,
    values: Mapping[int, Any] | None = None,
    source: str = "",
    options: BuildOptions | None = None,
    gradients: Sequence[torch.Tensor] | None = None,
    keep_grad: bool = False,
    modules: ModuleScopes | None = None,
    origins: Mapping[int, Origin] | None = None,
    progress: Progress | None = None,
    should_cancel: Callable[[], bool] | None = None,
    names: Mapping[str, torch.Tensor] | None = None,
    on_capture: Callable[[CapturedGraph], None] | None = None,
) -> Snapshot:
    """Capture, trace and lay out the graph behind ``outputs``.

    ``params`` names leaves; ``values`` are forward values recorded by a
    :class:`~gradviz.core.graph.record.ForwardRecorder`; ``modules`` (recorded by
    :class:`~gradviz.core.graph.modules.ModuleScopes`) groups nodes by module call;
    ``names`` (a script's variables) name the other tensors the graph shows.
    ``origins`` (see :mod:`gradviz.core.graph.origins`) say which sub-expression or
    script line made each node.
    ``on_capture(graph)`` sees the captured graph (node id ↔ grad_fn) before the trace.
    The caller's tensors are left as they were (``.grad`` restored) unless
    ``keep_grad``.
    """
    opts = options or BuildOptions()
    outs = list(outputs) if isinstance(outputs, (list, tuple)) else [outputs]
    check_build_inputs(outs, params, opts.runs, opts.reduction if gradients is None else None)
    opts, saved_choice = resolve_show_saved(opts, outs)
    timings: dict[str, float] = {}

    def stage(index: int) -> None:
        if should_cancel is not None and should_cancel():
            raise Cancelled()
        if progress is not None:
            progress(index, len(STAGES))

    stage(0)
    early: list[_EarlyLayout] = []

    module_kinds: dict[str, str] = {}

    def after_capture(graph: CapturedGraph) -> bool:
        apply_origins(graph, origins)
        assign_modules(graph, modules)
        if on_capture is not None:
            on_capture(graph)
        if modules is not None:
            used = {n.module for n in graph.nodes if n.module}
            used |= {m.rsplit(".", i)[0] for m in used for i in range(1, m.count(".") + 1)}
            module_kinds.update((k, v) for k, v in modules.kinds.items() if k in used)
        if opts.layout and len(graph.nodes) >= PREDICTED_FROM:
            early.append(_EarlyLayout(graph, opts, module_kinds, should_cancel))
            return True
        return False

    try:
        with paused_gc():  # tens of thousands of new objects: full collections would dominate
            snapshot = _capture_and_trace(outs, params, values, source, opts, gradients,
                                          keep_grad, timings, stage, after_capture, names)
    except BaseException:
        for layout in early:
            layout.abandon()
        raise
    if module_kinds:
        snapshot.meta["modules"] = module_kinds  # class names, for the module boxes' labels
    if early:
        if ahead_wanted() and early[0].running():  # this thread would only wait for Graphviz
            snapshot.derived[AHEAD_KEY] = encode_ahead(snapshot)
        snapshot.layout = early[0].join()
        note_engine(snapshot, opts.engine, snapshot.layout.engine)
        timings["layout"] = early[0].seconds
        timings["layout_overlapped"] = True
    elif opts.layout:
        start = time.perf_counter()
        snapshot.layout = layout_snapshot(snapshot, opts, should_cancel=should_cancel)
        timings["layout"] = time.perf_counter() - start
    snapshot.meta["timings"] = timings
    snapshot.meta["saved_tensors"] = saved_choice
    if progress is not None:
        progress(len(STAGES), len(STAGES))
    return snapshot


class _EarlyLayout:
    """Graphviz lays a big graph out on the other core while the backward pass is traced.

    Big graphs reserve gradient room by prediction (see core.snapshot_layout),
    so the layout needs only the captured model; the result is the one
    :func:`layout_snapshot` would give after the trace.
    """

    def __init__(self, graph: CapturedGraph, opts: BuildOptions, module_kinds: dict[str, str],
                 should_cancel) -> None:
        self.layout: GraphLayout | None = None
        self.error: BaseException | None = None
        self.seconds = 0.0
        self._abandoned = False
        self._should_cancel = should_cancel
        # the DOT is written here, before the trace starts: in the thread it would wait
        # for the trace's Python, and the engine (the longer branch) would start later
        start = time.perf_counter()
        dot = early_dot(graph.nodes, graph.edges, graph.statements, opts,
                        module_kinds=module_kinds or None)
        self.seconds = time.perf_counter() - start
        self._thread = threading.Thread(
            target=self._run, args=(dot, graph.nodes, graph.edges, opts),
            name="gradviz-layout", daemon=True)
        self._thread.start()

    def _cancelled(self) -> bool:
        return self._abandoned or bool(self._should_cancel and self._should_cancel())

    def _run(self, dot, nodes, edges, opts) -> None:
        start = time.perf_counter()
        try:
            layout = layout_dot(dot, engine=opts.engine, timeout=opts.timeout,
                                should_cancel=self._cancelled)
            self.layout = finish_layout(layout, nodes, edges)
        except BaseException as err:  # re-raised by join() in the caller's thread
            self.error = err
        self.seconds += time.perf_counter() - start

    def abandon(self) -> None:
        """The build failed: stop Graphviz and wait for the thread."""
        self._abandoned = True
        self._thread.join()

    def running(self) -> bool:
        """Whether Graphviz (or the parse of its layout) is still at work."""
        return self._thread.is_alive()

    def join(self) -> GraphLayout:
        """The layout, once Graphviz is done (its error, if it failed)."""
        self._thread.join()
        if self.error is not None:
            raise self.error
        return self.layout


def _capture_and_trace(outs, params, values, source, opts, gradients, keep_grad, timings, stage,
                       after_capture=None, names=None):
    """Capture → trace → explain → a Snapshot without layout."""
    start = time.perf_counter()
    reduction = opts.reduction if gradients is None else None
    if gradients is None:
        roots, reduced = zip(*(prepare_root(o, reduction) for o in outs))
    else:
        roots, reduced = outs, [None] * len(outs)
    graph = capture_graph(roots, params=params, values=values, show_saved=opts.show_saved,
                          show_attrs=opts.show_attrs, names=names)
    timings["capture"] = time.perf_counter() - start
    overlapped = after_capture is not None and after_capture(graph)
    stage(1)
    with leaving_a_core(overlapped):
        start = time.perf_counter()
        steps = trace_backward(roots, graph, gradients=gradients, runs=opts.runs,
                               keep_grad=keep_grad)
        timings["trace"] = time.perf_counter() - start
        start = time.perf_counter()
        explain_steps(steps, graph, params)  # while the grad_fns (and their saved values) live
        timings["explain"] = time.perf_counter() - start
        saved = measure_saved(graph)  # likewise: the saved tensors are read from the grad_fns
    stage(2)
    snapshot = _assemble(graph, roots, reduced, steps, params or {}, source, opts)
    snapshot.meta[SAVED_MEMORY] = saved
    return snapshot


@contextlib.contextmanager
def leaving_a_core(active: bool):
    """While Graphviz lays the graph out beside the trace, torch uses one thread less.

    Torch's intra-op pool has a thread per core: with Graphviz on one of them, its
    parallel regions wait for a descheduled thread (on 2 cores the export of a
    24-layer transformer took ~1.3× as long as with one torch thread). The
    process-wide setting is restored afterwards.
    """
    threads = torch.get_num_threads()
    if not active or threads < 2:
        yield
        return
    torch.set_num_threads(threads - 1)
    try:
        yield
    finally:
        torch.set_num_threads(threads)


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
               node=node, reduction=red)
        for r, red, node in zip(roots, reduced, graph.output_ids)
    ]
    meta = {"gradviz": __version__, "torch": torch.__version__.split("+")[0],
            "options": asdict(opts)}
    return Snapshot(source=source, output=outputs[0], outputs=outputs, variables=variables,
                    nodes=graph.nodes, edges=graph.edges, steps=steps, meta=meta,
                    statements=graph.statements)
