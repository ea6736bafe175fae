"""Diagnostics: why a gradient is NaN/Inf, (nearly) zero, missing or huge, from a Snapshot.

Pure data in, pure data out (no torch, no Qt): :func:`diagnose` reads the
recorded forward values and backward steps and returns :class:`Finding`
objects, each with a stable ``code``, the backward step it concerns, the node
and the numbers. The UI and the CLI turn them into sentences
(:mod:`gradviz.ui.panels.problems_text`). Codes:

- ``nonfinite`` (error): the first step, in the engine's order, that sent a
  NaN or ±Inf gradient, and its cause (``params["cause"]``: ``sqrt_zero``,
  ``log_zero``, ``log_negative``, ``div_zero``, ``exp_overflow``, ``pow_zero``…);
- ``saturated``, ``dead_relu``, ``clamped`` (warnings): a node that passes
  (almost) no gradient, and why; ``routed`` (info): max/min/indexing sends a
  gradient to only some input elements;
- ``zero_grad`` (warning): a leaf whose ``.grad`` is exactly 0, with the step that
  stopped its gradient; ``unreached`` (warning): a leaf whose ``.grad`` stays None;
- ``exploding`` (warning): a gradient whose norm grew past ``ratio`` times the
  output's gradient;
- ``not_checked`` (info): ops no rule covers (their numbers were still checked
  for NaN/Inf and growth).
"""

from __future__ import annotations

import ast
from dataclasses import asdict, dataclass, field
from typing import Any

from ..snapshot import Snapshot
from .diagnostics_rules import COVERED_OPS, local_zero_rules, nonfinite_cause
from .diagnostics_values import GraphIndex, all_zero, any_nonzero, nonfinite, norm

#: A gradient this many times bigger than the output's (in norm) is called exploding.
EXPLODE_RATIO = 1e3
SEVERITIES = ("error", "warning", "info")
#: Severities that make ``--check --strict`` fail.
PROBLEM_SEVERITIES = ("error", "warning")


@dataclass
class Finding:
    """One diagnosis: what (``code``), where (backward step index, node) and the numbers."""

    code: str
    severity: str  # one of SEVERITIES
    step: int | None = None  # index into Snapshot.steps; the replay shows it at step + 1
    node: str | None = None
    params: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """Plain dict (JSON-ready apart from non-finite floats)."""
        return asdict(self)


def diagnose(snapshot: Snapshot, *, explode_ratio: float = EXPLODE_RATIO) -> list[Finding]:
    """Every finding on ``snapshot``: errors first, then warnings, then notes; by step."""
    index = GraphIndex(snapshot)
    findings = _first_nonfinite(index)
    findings += _local_zero(index)
    findings += _leaves(index)
    findings += _exploding(index, explode_ratio)
    findings += _not_checked(snapshot)
    order = {s: i for i, s in enumerate(SEVERITIES)}
    findings.sort(key=lambda f: (order[f.severity], f.step if f.step is not None else 1 << 30))
    return findings


def problems(findings: list[Finding]) -> list[Finding]:
    """The findings that count as problems (errors and warnings, not notes)."""
    return [f for f in findings if f.severity in PROBLEM_SEVERITIES]


def _first_nonfinite(index: GraphIndex) -> list[Finding]:
    """The first step that sent a NaN/Inf gradient, and why (one finding at most)."""
    for step in index.snapshot.steps:
        bad = [(number, out) for number, out in enumerate(step.grad_out) if nonfinite(out.value)]
        arrived = next((nonfinite(g) for g in step.grad_in if nonfinite(g)), None)
        if arrived and step.index == 0:
            return [Finding("nonfinite", "error", step.index, step.node,
                            {"op": step.op, "kind": arrived, "cause": "arrived"})]
        if not bad:
            continue
        number, out = bad[0]
        params = {"op": step.op, "kind": nonfinite(out.value), "input": number,
                  "target": index.name(out.target), "grad_in": _first(step.grad_in)}
        params.update(nonfinite_cause(index, step.node))
        origin = params.pop("origin", None) or step.node
        params["origin"] = origin
        params["origin_op"] = index.snapshot.node(origin).op
        params["expression"] = _expression(index, origin)
        params["line"] = index.snapshot.node(origin).line
        return [Finding("nonfinite", "error", step.index, step.node, params)]
    return []


def _local_zero(index: GraphIndex) -> list[Finding]:
    """Nodes that pass (almost) no gradient: saturated, dead, clamped; routing notes."""
    findings = []
    seen = set()
    for step in index.snapshot.steps:
        rule = local_zero_rules(step.op)
        if rule is None or step.node in seen:
            continue
        seen.add(step.node)
        code, check = rule
        params = check(index, step.node)
        if params is not None:
            params["expression"] = _expression(index, step.node)
            params["line"] = index.snapshot.node(step.node).line
            severity = "info" if code == "routed" else "warning"
            findings.append(Finding(code, severity, step.index, step.node, params))
    return findings


def _leaves(index: GraphIndex) -> list[Finding]:
    """Leaves whose .grad stayed None, or came out exactly 0 (with the step that stopped it)."""
    snapshot = index.snapshot
    accumulate = {step.variable: step for step in snapshot.steps if step.variable is not None}
    findings = []
    for var in snapshot.variables:
        if not var.requires_grad:
            continue
        if var.grad is None and var.name not in accumulate:
            findings.append(Finding("unreached", "warning", None, var.node,
                                    {"variable": var.name, "reason": _unreached_reason(
                                        snapshot, var.name, var.dtype)}))
        elif var.grad is not None and all_zero(var.grad):
            acc = accumulate.get(var.name)
            stop = _stopping_step(index, acc.node) if acc is not None else None
            step = stop if stop is not None else (acc.index if acc is not None else None)
            findings.append(Finding("zero_grad", "warning", step, var.node, {
                "variable": var.name,
                "stopped_by": snapshot.steps[stop].op if stop is not None else None}))
    return findings


def _stopping_step(index: GraphIndex, acc_node: str) -> int | None:
    """The first step, on a path to ``acc_node``, that got a non-zero gradient and sent 0."""
    above, todo = {acc_node}, [acc_node]
    while todo:
        for consumer in index.consumers.get(todo.pop(), ()):
            if consumer not in above:
                above.add(consumer)
                todo.append(consumer)
    for step in index.snapshot.steps:
        if step.node == acc_node or step.node not in above:
            continue
        toward = [g.value for g in step.grad_out if g.target in above]
        if toward and any(any_nonzero(g) for g in step.grad_in) and all(map(all_zero, toward)):
            return step.index
    return None


def _unreached_reason(snapshot: Snapshot, name: str, dtype: str) -> str:
    """``integer``, ``detached``, ``unused`` (from the typed expression) or ``unknown``."""
    if not dtype.startswith(("float", "complex", "bfloat")):
        return "integer"
    try:
        tree = ast.parse(snapshot.source, mode="eval")
    except (SyntaxError, ValueError):
        return "unknown"
    inside, outside = 0, 0
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "detach":
            inside += sum(isinstance(n, ast.Name) and n.id == name
                          for arg in node.args for n in ast.walk(arg))
        elif isinstance(node, ast.Name) and node.id == name:
            outside += 1
    if not outside:
        return "unused"
    return "detached" if inside == outside else "unknown"


def _exploding(index: GraphIndex, ratio: float) -> list[Finding]:
    """The first gradient sent whose norm is over ``ratio`` × the output gradient's norm."""
    steps = index.snapshot.steps
    if not steps or not steps[0].grad_in:
        return []
    seed = norm(steps[0].grad_in[0])
    if not seed:
        return []
    for step in steps:
        for out in step.grad_out:
            size = norm(out.value)
            if size is not None and not nonfinite(size) and size > ratio * seed:
                return [Finding("exploding", "warning", step.index, step.node, {
                    "op": step.op, "target": index.name(out.target), "norm": size,
                    "seed_norm": seed, "growth": size / seed, "ratio": ratio})]
    return []


def _not_checked(snapshot: Snapshot) -> list[Finding]:
    """Ops no rule looks at: their NaN/Inf and growth are seen, not their causes."""
    counts: dict[str, int] = {}
    for step in snapshot.steps:
        if step.op not in COVERED_OPS:
            counts[step.op] = counts.get(step.op, 0) + 1
    if not counts:
        return []
    return [Finding("not_checked", "info", None, None,
                    {"ops": [[op, counts[op]] for op in sorted(counts)]})]


def _first(values: list[Any]) -> Any:
    return values[0] if values else None


def _expression(index: GraphIndex, node_id: str) -> str | None:
    """The forward expression of a node: the sub-expression that made it (core.origins),
    else as its step's explanation writes it (None if neither knows)."""
    if index.snapshot.node(node_id).expression:
        return index.snapshot.node(node_id).expression
    step = index.step_of.get(node_id)
    expl = index.snapshot.steps[step].explanation if step is not None else None
    if not expl or not expl.get("forward"):
        return None
    from ..explain.text import render_forward

    try:
        return render_forward(expl["forward"], expl.get("labels") or {}, expl.get("operands", []))
    except (KeyError, TypeError, ValueError):
        return None
