"""Run the real backward pass and record what PyTorch's engine does, step by step.

Hooks go on every node of the captured graph: a pre-hook (the node is about
to run; its incoming gradient), a hook (it ran; the gradient it sent along
each ``next_functions`` edge) and, on leaves, a post-accumulate-grad hook
(the leaf's ``.grad`` after accumulation). Steps are recorded in the order
the engine fires them. Every hook is removed afterwards with
``handle.remove()``: a parameter's AccumulateGrad node outlives this call and
a stale hook would fire again on the user's next backward.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from typing import Any

import torch

from ..errors import InputError, render
from ..snapshot import BackwardStep, Contribution, GradOut
from .capture import CapturedGraph
from .values import summarize


def prepare_root(
    output: torch.Tensor, reduction: str | None = None
) -> tuple[torch.Tensor, str | None]:
    """The tensor backward starts from: the output, or its sum/mean if asked.

    A non-scalar output needs an explicit choice; PyTorch's own message
    ("grad can be implicitly created only for scalar outputs") does not say
    what to do, this one does.
    """
    if not output.requires_grad:
        raise InputError("nothing_to_differentiate")
    if reduction in (None, "none"):
        if output.numel() != 1:
            raise InputError("non_scalar_output", {"shape": list(output.shape)})
        return output, None
    if reduction == "sum":
        return output.sum(), "sum"
    if reduction == "mean":
        return output.mean(), "mean"
    raise InputError("bad_reduction", {"reduction": str(reduction)[:20]})


class BackwardError(InputError):
    """PyTorch refused the user's graph during backward (a tensor changed in place,
    a custom Function's wrong shape or dtype): their code, not gradviz's.

    ``grad_fn_id`` is ``id()`` of the node that was running, so a caller that
    recorded where each node was created can name the user's line.
    """

    grad_fn_id: int | None = None

    @classmethod
    def from_torch(cls, err: RuntimeError, recorder: _Recorder) -> BackwardError:
        """Wrap PyTorch's message, naming the node the engine was running."""
        running = list(recorder.open_step.items())
        op = running[-1][1].op if running else None
        error = cls("backward_failed", {"op": op or "?", "torch_message": str(err)})
        if running:
            error.grad_fn_id = recorder.fn_ids.get(running[-1][0])
        return error

    def add_source_line(self, path: str, line: int, code: str) -> None:
        """Name the user's line that created the failing node."""
        self.params.update(path=path, line=line, code=code)
        self.code = "backward_failed_at"
        self.message = render(self.code, self.params)
        self.args = (self.message,)


class _Recorder:
    """Receives the hooks' calls and turns them into BackwardSteps."""

    def __init__(self, graph: CapturedGraph) -> None:
        self.graph = graph
        self.steps: list[BackwardStep] = []
        self.run = 0
        self.open_step: dict[str, BackwardStep] = {}
        self.arrivals: dict[str, list[Contribution]] = defaultdict(list)
        self.leaf_node: dict[int, str] = {}  # id(leaf) -> its AccumulateGrad node id
        self.fn_ids: dict[str, int] = {}  # node id -> id(grad_fn), to report a failure
        # The tensor a node sends is often the very tensor the next one receives:
        # summarise it once. The tensor is kept with its summary so its id stays unique.
        self._summaries: dict[int, tuple[torch.Tensor, Any]] = {}

    def summary(self, t: torch.Tensor | None) -> Any:
        """A gradient's summary, computed once per tensor (gradients are never mutated
        while referenced here: the engine only adds in place into unshared buffers)."""
        if t is None:
            return None
        hit = self._summaries.get(id(t))
        if hit is None or hit[0] is not t:
            hit = (t, summarize(t))
            self._summaries[id(t)] = hit
        return hit[1]

    def before(self, node_id: str, fn: Any, grads: Sequence[torch.Tensor | None]) -> None:
        step = BackwardStep(
            index=len(self.steps),
            node=node_id,
            op=type(fn).__name__,
            run=self.run,
            grad_in=[self.summary(g) for g in grads],
        )
        if hasattr(fn, "variable"):
            leaf = fn.variable
            step.variable = self.graph.names.get(id(leaf))
            step.contributions = self.arrivals.pop(node_id, [])
            if not step.contributions and step.grad_in and step.grad_in[0] is not None:
                # Nothing sent it: the output is this leaf, backward() seeds it (with 1)
                source = self.graph.leaf_ids.get(id(leaf), node_id)
                step.contributions = [Contribution(source, step.grad_in[0], step.index)]
            step.grad_before = _summary(leaf.grad)  # not cached: .grad is added to in place
        self.steps.append(step)
        self.open_step[node_id] = step

    def after(self, node_id: str, fn: Any, grad_inputs: Sequence[torch.Tensor | None]) -> None:
        step = self.open_step.pop(node_id)
        next_fns = getattr(fn, "next_functions", ())
        for (next_fn, _), grad in zip(next_fns, grad_inputs):
            target = self.graph.function_ids.get(id(next_fn)) if next_fn is not None else None
            if target is None:
                continue
            value = self.summary(grad)
            step.grad_out.append(GradOut(target=target, value=value))
            if grad is not None:
                self.arrivals[target].append(Contribution(node_id, value, step.index))

    def accumulated(self, leaf: torch.Tensor) -> None:
        node_id = self.leaf_node.get(id(leaf))
        for step in reversed(self.steps):
            if step.node == node_id:
                step.grad_after = _summary(leaf.grad)
                return


def _summary(t: torch.Tensor | None) -> Any:
    return None if t is None else summarize(t)


def trace_backward(
    roots: Sequence[torch.Tensor],
    graph: CapturedGraph,
    *,
    gradients: Sequence[torch.Tensor] | None = None,
    runs: int = 1,
    keep_grad: bool = False,
    before_run: Callable[[int], None] | None = None,
) -> list[BackwardStep]:
    """Run backward from ``roots`` ``runs`` times with hooks; return the steps in engine order.

    Leaves' ``.grad`` are restored afterwards (the very tensor objects the
    caller had, unchanged) unless ``keep_grad``. With ``runs > 1`` the grads
    are not zeroed between runs, so the steps show ``.grad`` accumulating.
    ``before_run(k)`` is called before run ``k`` (to zero grads, for example).
    """
    recorder = _Recorder(graph)
    handles = []
    saved_grads = [(leaf, leaf.grad) for leaf in graph.leaves]
    try:
        for node_id, fn in graph.functions():
            handles.append(fn.register_prehook(_pre(recorder, node_id, fn)))
            handles.append(fn.register_hook(_post(recorder, node_id, fn)))
            recorder.fn_ids[node_id] = id(fn)
            if hasattr(fn, "variable"):
                recorder.leaf_node[id(fn.variable)] = node_id
        for leaf in graph.leaves:
            handles.append(leaf.register_post_accumulate_grad_hook(recorder.accumulated))
        if not keep_grad:
            for leaf in graph.leaves:
                leaf.grad = None  # accumulation would write into the caller's tensor
        for run in range(runs):
            recorder.run = run
            if before_run is not None:
                before_run(run)
            try:
                torch.autograd.backward(list(roots), gradients, retain_graph=True)
            except RuntimeError as err:  # the user's graph (in place, shapes, dtypes)
                raise BackwardError.from_torch(err, recorder) from err
    finally:
        for handle in handles:
            handle.remove()
        if not keep_grad:
            for leaf, grad in saved_grads:
                leaf.grad = grad
    return recorder.steps


def _pre(recorder: _Recorder, node_id: str, fn: Any):
    def hook(grad_outputs):
        recorder.before(node_id, fn, grad_outputs)

    return hook


def _post(recorder: _Recorder, node_id: str, fn: Any):
    def hook(grad_inputs, grad_outputs):
        recorder.after(node_id, fn, grad_inputs)

    return hook
