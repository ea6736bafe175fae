"""Structured explanations of backward steps: rule, formula templates and PyTorch's numbers.

:func:`explain_steps` runs inside the pipeline right after the trace, while the
grad_fn objects (and their ``_saved_*`` values) are alive. Each explanation is
plain data, never a sentence::

    {"rule": "pow", "op": "PowBackward0", "forward": "{x}^{n}", "labels": {"x": "x"},
     "operands": [{"name": "grad_out", "value": 5.0}, {"name": "x", "value": 2.0},
                  {"name": "n", "value": 3, "const": True}, {"name": "n-1", ...}],
     "results": [{"input": 0, "wrt": "x", "target": "n8",
                  "formula": "{grad_out} · {n}·{x}^{n-1}", "value": 60.0}]}

``grad_out`` is the gradient arriving at the node (the step's ``grad_in``);
each result is a gradient the node sends on (the step's ``grad_out`` values,
exactly as PyTorch computed them). ``labels`` say how each input reads: the
user's variable, the literal, or the sub-expression that computed it (else the
class name of the node that did, as drawn). :mod:`gradviz.core.explain.text`
renders it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from ..expr.expression_plan import condition_labels
from ..graph.capture import CapturedGraph
from ..graph.formatting import shape_of
from ..snapshot import BackwardStep
from .rules import Saved, Spec, rule_for
from .text import add_values, placeholders, render_forward

MAX_LABEL = 32  # longest forward expression used to name an input
MAX_DEPTH = 8  # how deep input labels look into the graph


class Explainer:
    """Explains the steps of one captured graph; caches each node's rule."""

    def __init__(self, graph: CapturedGraph, names: Mapping[int, str] | None = None,
                 constants: Sequence[tuple[str, list[float]]] = ()) -> None:
        self.graph = graph
        self.names = {**(names or {}), **graph.names}  # id(tensor) -> the user's name
        self.constants = constants  # small constant tensors the user named: (name, values)
        self.node_values = {n.id: n.value for n in graph.nodes}
        self.leaf_values = {n.id: n.value for n in graph.nodes if n.kind == "leaf"}
        self.fns = dict(graph.functions())
        self._specs: dict[int, Spec | None] = {}
        self._labels: dict[int, str | None] = {}

    def explain(self, fn: Any, step: BackwardStep) -> dict[str, Any]:
        """The explanation of ``step``, which ran ``fn``."""
        if hasattr(fn, "variable"):
            return explain_accumulation(step)
        spec = self.spec(fn)
        if spec is None:
            return self.generic(fn, step)
        grad_out = step.grad_in[0] if step.grad_in else None
        results = []
        for index, name, target, value in self._sent(fn, step, spec.inputs):
            formula = spec.formulas.get(name)  # None: the value alone, as PyTorch sent it
            summed = spec.elementwise or name in spec.summed
            if formula and summed and shape_of(value) != shape_of(grad_out):
                formula = "Σ[" + formula + "]"  # summed back over broadcast dimensions
            results.append({"input": index, "wrt": name, "target": target,
                            "formula": formula, "value": value})
        operands = [{"name": "grad_out", "value": grad_out}] + [dict(o) for o in spec.operands]
        if _all_scalar([grad_out] + [o["value"] for o in operands if not o.get("const")]):
            for result in results:
                if result["formula"]:
                    result["formula"] = result["formula"].replace("⊙", "·")
        return {
            "rule": spec.rule, "op": step.op, "forward": spec.forward,
            "labels": self.input_labels(fn, spec, fallback=True), "operands": operands,
            "results": results,
        }

    def spec(self, fn: Any) -> Spec | None:
        """The rule of ``fn`` (None for ops without a rule), computed once per node."""
        key = id(fn)
        if key not in self._specs:
            build = rule_for(fn)
            saved = self._saved(fn)
            spec = build(saved) if build is not None else None
            if spec is not None:  # saved tensors that are the user's own read as their names
                for name, label in saved.labels.items():
                    spec.labels.setdefault(name, label)
            self._specs[key] = spec
        return self._specs[key]

    def input_labels(self, fn: Any, spec: Spec, depth: int = 0,
                     fallback: bool = False) -> dict[str, str]:
        """How each forward input reads: a variable name, a number or a short expression.

        With ``fallback``, an input with no such reading is named after the class of
        the node that computed it (as the graph shows it).
        """
        labels = dict(spec.labels)
        for index, (next_fn, _) in enumerate(getattr(fn, "next_functions", ())):
            if index >= len(spec.inputs) or spec.inputs[index] in labels:
                continue
            label = self.label(next_fn, depth + 1) if next_fn is not None else None
            if label is None and fallback and next_fn is not None:
                label = type(next_fn).__name__
            if label is not None:
                labels[spec.inputs[index]] = label
        return labels

    def label(self, fn: Any, depth: int = 0) -> str | None:
        """A short forward expression for what ``fn`` computed (None if too long or unknown)."""
        if hasattr(fn, "variable"):
            return self.graph.names.get(id(fn.variable))
        if id(fn) in self._labels:
            return self._labels[id(fn)]
        spec = self.spec(fn)
        if spec is None or depth > MAX_DEPTH:
            return None
        labels = self.input_labels(fn, spec, depth)
        ops = {o["name"]: o for o in spec.operands}
        if any(name not in labels and name not in ops for name in placeholders(spec.forward)):
            text = None
        else:
            text = render_forward(spec.forward, labels, spec.operands)
            text = text if len(text) <= MAX_LABEL else None
        self._labels[id(fn)] = text
        return text

    def _saved(self, fn: Any) -> Saved:
        out_value = self.node_values.get(self.graph.function_ids.get(id(fn), ""))

        def input_value(index: int) -> Any:
            nexts = fn.next_functions
            return self._forward_value(nexts[index][0]) if index < len(nexts) else None

        return Saved(fn, out_value, input_value, self.names, self.constants)

    def _forward_value(self, fn: Any) -> Any:
        if fn is None:
            return None
        if hasattr(fn, "variable"):
            return self.leaf_values.get(self.graph.leaf_ids.get(id(fn.variable), ""))
        return self.node_values.get(self.graph.function_ids.get(id(fn), ""))

    def _sent(self, fn: Any, step: BackwardStep, names: Sequence[str]):
        """(input index, placeholder, target node, value) for each gradient the step sent."""
        sent = list(step.grad_out)
        for index, (next_fn, _) in enumerate(getattr(fn, "next_functions", ())):
            target = self.graph.function_ids.get(id(next_fn)) if next_fn is not None else None
            if target is None or not sent or sent[0].target != target:
                continue
            out = sent.pop(0)
            name = names[index] if index < len(names) else f"input{index}"
            yield index, name, out.target, out.value

    def generic(self, fn: Any, step: BackwardStep) -> dict[str, Any]:
        """The honest fallback: op name, shapes and values in and out, no formula."""
        grad_out = step.grad_in[0] if len(step.grad_in) == 1 else step.grad_in
        results = [
            {"input": index, "wrt": name, "target": target, "formula": None, "value": value,
             "shape": shape_of(value)}
            for index, name, target, value in self._sent(fn, step, ())
        ]
        return {
            "rule": "generic", "op": step.op, "forward": None, "labels": {},
            "operands": [{"name": "grad_out", "value": grad_out, "shape": shape_of(grad_out)}],
            "results": results,
        }


def explain_accumulation(step: BackwardStep) -> dict[str, Any]:
    """AccumulateGrad: the leaf's .grad before (None at first), each contribution, the
    running sums, after.

    PyTorch's engine adds the incoming gradients in its input buffer before
    AccumulateGrad runs; the running sums show that addition in arrival order.
    """
    running: list[Any] = [step.grad_before]  # None before the first contribution
    for contribution in step.contributions:
        total = running[-1]
        running.append(contribution.value if total is None and len(running) == 1
                       else add_values(total, contribution.value))
    return {
        "rule": "accumulate", "op": step.op, "variable": step.variable,
        "grad_before": step.grad_before,
        "contributions": [{"source": c.source, "value": c.value, "step": c.step}
                          for c in step.contributions],
        "running": running, "grad_after": step.grad_after,
        "results": [{"target": None, "value": step.grad_after}],
    }


def _all_scalar(values: Sequence[Any]) -> bool:
    return all(shape_of(v) in ([], [1]) or v is None for v in values)


def explain_steps(steps: Sequence[BackwardStep], graph: CapturedGraph,
                  params: Mapping[str, Any] | None = None) -> None:
    """Fill ``step.explanation`` for every step; call right after the trace.

    ``params`` (name -> tensor) names the user's tensors that are not leaves of
    the graph, such as class targets, so formulas can say ``y`` instead of its values;
    a typed expression's comparisons read as typed (``x > 0``).
    """
    params = {name: t for name, t in (params or {}).items() if hasattr(t, "requires_grad")}
    names = {**condition_labels(), **{id(t): name for name, t in params.items()}}
    constants = [(name, t.detach().double().flatten().tolist()) for name, t in params.items()
                 if not t.requires_grad and t.numel() <= 16 and t.is_floating_point()]
    explainer = Explainer(graph, names, constants)
    for step in steps:
        fn = explainer.fns.get(step.node)
        if fn is None:
            step.explanation = None
            continue
        try:
            step.explanation = explainer.explain(fn, step)
        except Exception as exc:
            step.explanation = explainer.generic(fn, step)
            step.explanation["error"] = type(exc).__name__
