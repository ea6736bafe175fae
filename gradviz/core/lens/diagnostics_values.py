"""Numbers and graph look-ups the diagnostics share, read from a Snapshot's plain values.

Torch-free and Qt-free: a value is a number, a nested list (a small tensor) or a
summary dict (shape, min, max, mean, norm, head) as :mod:`gradviz.core.graph.values`
writes it. Functions that need every element return None for a summary, so a
rule can say "not checked" instead of guessing.
"""

from __future__ import annotations

import math
from typing import Any

from ..snapshot import Snapshot

STATS = ("min", "max", "mean", "norm")


def elements(value: Any) -> list[float] | None:
    """Every element of a value as floats (None for a summary or an unknown value)."""
    if value is None or isinstance(value, dict):
        return None
    if isinstance(value, (bool, int, float)):
        return [float(value)]
    out: list[float] = []
    for item in value:
        inner = elements(item)
        if inner is None:
            return None
        out.extend(inner)
    return out


def numel(value: Any) -> int | None:
    """How many elements a value has (from its shape for a summary)."""
    if isinstance(value, dict):
        shape = value.get("shape")
        return math.prod(shape) if isinstance(shape, list) else None
    flat = elements(value)
    return None if flat is None else len(flat)


def nonfinite(value: Any) -> str | None:
    """``"nan"``, ``"inf"`` (either sign) or None when every element is finite (or unknown)."""
    if isinstance(value, dict):
        numbers = [value.get(k) for k in STATS] + list(value.get("head") or [])
    else:
        numbers = elements(value) or []
    numbers = [v for v in numbers if isinstance(v, (int, float))]
    if any(math.isnan(v) for v in numbers):
        return "nan"
    if any(math.isinf(v) for v in numbers):
        return "inf"
    return None


def norm(value: Any) -> float | None:
    """The 2-norm of a value (a summary's own ``norm``); None when unknown."""
    if isinstance(value, dict):
        found = value.get("norm")
        return float(found) if isinstance(found, (int, float)) else None
    flat = elements(value)
    return None if flat is None else math.sqrt(sum(v * v for v in flat))


def all_zero(value: Any) -> bool:
    """True when every element is exactly 0 (a summary: its min and max are 0)."""
    if isinstance(value, dict):
        return value.get("min") == 0 and value.get("max") == 0
    flat = elements(value)
    return bool(flat) and all(v == 0 for v in flat)


def any_nonzero(value: Any) -> bool:
    """True when some element is known to differ from 0."""
    if isinstance(value, dict):
        return any(isinstance(value.get(k), (int, float)) and value[k] != 0
                   for k in ("min", "max"))
    flat = elements(value)
    return bool(flat) and any(v != 0 for v in flat)


def attr_number(text: str | None) -> float | None:
    """A grad_fn attribute as torchviz wrote it (``"0.5"``, ``"None"``) as a number."""
    try:
        return float(text) if text is not None else None
    except ValueError:
        return None


class GraphIndex:
    """Look-ups over one Snapshot's nodes and edges, built once."""

    def __init__(self, snapshot: Snapshot) -> None:
        self.snapshot = snapshot
        self.inputs: dict[str, dict[int, str]] = {}  # consumer -> input number -> source
        self.consumers: dict[str, list[str]] = {}
        self.leaf_of: dict[str, str] = {}  # AccumulateGrad node -> its leaf's tensor node
        self.saved: dict[str, dict[str, Any]] = {}  # function node -> saved name -> value
        self.step_of: dict[str, int] = {}  # node -> index of its first step
        for edge in snapshot.edges:
            if edge.kind == "next":
                number = edge.input_nr if edge.input_nr is not None else 0
                self.inputs.setdefault(edge.target, {})[number] = edge.source
                self.consumers.setdefault(edge.source, []).append(edge.target)
            elif edge.kind == "variable":
                self.leaf_of[edge.target] = edge.source
        for node in snapshot.nodes:
            if node.kind == "saved" and node.saved_of:
                name = node.label.split("\n")[0].strip()
                self.saved.setdefault(node.saved_of, {})[name] = node.value
        for step in snapshot.steps:
            self.step_of.setdefault(step.node, step.index)

    def value(self, node_id: str | None) -> Any:
        """The forward value a node produced (a leaf's value for its AccumulateGrad)."""
        if node_id is None:
            return None
        node_id = self.leaf_of.get(node_id, node_id)
        return self.snapshot.node(node_id).value

    def input_value(self, node_id: str, number: int, saved_name: str | None = None) -> Any:
        """Forward input ``number`` of a function node (a saved copy first, when named)."""
        saved = self.saved.get(node_id, {})
        if saved_name is not None and saved.get(saved_name) is not None:
            return saved[saved_name]
        return self.value(self.inputs.get(node_id, {}).get(number))

    def name(self, node_id: str | None) -> str:
        """How a node reads in a message: the variable's name, else its op."""
        if node_id is None:
            return "?"
        node = self.snapshot.node(self.leaf_of.get(node_id, node_id))
        return node.variable or node.op or node.label.split("\n")[0]
