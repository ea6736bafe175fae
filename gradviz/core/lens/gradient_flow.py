"""Gradient flow: each parameter's (and each module's) gradient in a few numbers.

Read from a Snapshot's leaves (Qt- and torch-free): the 2-norm, the largest
|g|, the mean |g| and the share of exact zeros — the numbers of the classic
"plot_grad_flow" recipe. A big tensor's ``.grad`` is stored as a summary
(norm, min, max, mean): its norm and largest |g| are exact, its mean |g| and
zero share are unknown (None), never guessed.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from ..snapshot import Snapshot
from .diagnostics_values import elements, norm, numel

NO_MODULE = ""  # the module of a plain variable (x, w): none


@dataclass
class FlowRow:
    """One parameter's or one module's gradient numbers (None: unknown from the Snapshot)."""

    name: str
    module: str
    count: int  # elements
    norm: float | None
    max_abs: float | None
    mean_abs: float | None
    zero_fraction: float | None
    nodes: list[str] = field(default_factory=list)  # the leaves' tensor nodes


def parameter_flow(snapshot: Snapshot) -> list[FlowRow]:
    """A row per leaf that received a gradient, in the Snapshot's order."""
    rows = []
    for var in snapshot.variables:
        if not var.requires_grad or var.grad is None:
            continue
        grad = var.grad
        flat = elements(grad)
        if flat is not None:
            biggest = max((abs(v) for v in flat), default=0.0)
            mean_abs = sum(abs(v) for v in flat) / len(flat) if flat else 0.0
            zeros = sum(v == 0 for v in flat) / len(flat) if flat else 0.0
        else:
            ends = [abs(grad[k]) for k in ("min", "max") if isinstance(grad.get(k), (int, float))]
            biggest, mean_abs, zeros = (max(ends) if ends else None), None, None
        module = var.name.rsplit(".", 1)[0] if "." in var.name else NO_MODULE
        rows.append(FlowRow(var.name, module, numel(grad) or 0, norm(grad), biggest, mean_abs,
                            zeros, [var.node] if var.node else []))
    return rows


def module_flow(rows: list[FlowRow]) -> list[FlowRow]:
    """Rows grouped by module (the parameter name's prefix), in first-seen order."""
    groups: dict[str, list[FlowRow]] = {}
    for row in rows:
        groups.setdefault(row.module, []).append(row)
    return [_combine(module, members) for module, members in groups.items()]


def _combine(module: str, rows: list[FlowRow]) -> FlowRow:
    count = sum(r.count for r in rows)
    norms = [r.norm for r in rows]
    maxes = [r.max_abs for r in rows]
    return FlowRow(
        name=module, module=module, count=count,
        norm=math.sqrt(sum(n * n for n in norms)) if None not in norms else None,
        max_abs=max(maxes) if maxes and None not in maxes else None,
        mean_abs=_weighted(rows, "mean_abs", count),
        zero_fraction=_weighted(rows, "zero_fraction", count),
        nodes=[n for r in rows for n in r.nodes],
    )


def _weighted(rows: list[FlowRow], key: str, count: int) -> float | None:
    values = [getattr(r, key) for r in rows]
    if None in values or not count:
        return None
    return sum(v * r.count for v, r in zip(values, rows)) / count


def run_flow(snapshot: Snapshot) -> dict[str, list[float | None]]:
    """Each parameter's gradient norm in each backward run (``--runs N``), in run order;
    parameters in the Snapshot's order.

    The gradient a run brings (what its AccumulateGrad step received), not the
    accumulated ``.grad``: with the same batch every run brings the same gradient
    while ``.grad`` grows. None where a run's gradient is a summary without a norm.
    """
    runs = 1 + max((s.run for s in snapshot.steps), default=0)
    out: dict[str, list[float | None]] = {}
    for step in snapshot.steps:
        if step.variable is None or not step.grad_in:
            continue
        line = out.setdefault(step.variable, [None] * runs)
        line[step.run] = norm(step.grad_in[0])
    return {v.name: out[v.name] for v in snapshot.variables if v.name in out}  # bars' order


def module_runs(lines: dict[str, list[float | None]]) -> dict[str, list[float | None]]:
    """:func:`run_flow`'s lines combined per module (the 2-norm of its parameters' norms)."""
    groups: dict[str, list[list[float | None]]] = {}
    for name, line in lines.items():
        groups.setdefault(name.rsplit(".", 1)[0] if "." in name else NO_MODULE, []).append(line)
    return {module: [None if None in column else math.sqrt(sum(v * v for v in column))
                     for column in zip(*members)]
            for module, members in groups.items()}
