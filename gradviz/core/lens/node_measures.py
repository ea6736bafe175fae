"""One number per node, to colour the graph by: gradient norm, value norm, saved bytes, order.

Read from a Snapshot (torch- and Qt-free), so the window, the exports and the
tests see the same numbers:

- ``grad_norm``: the 2-norm of the gradient a function node received in the
  backward pass (all of its ``grad_in``, from the last backward run); a leaf's
  is the norm of its ``.grad``;
- ``value_norm``: the 2-norm of the node's forward value (a tensor, or a
  function's output);
- ``saved_bytes``: the bytes of the storages a function's ``_saved_*`` tensors
  keep alive, each storage once (``meta["saved_memory"]``);
- ``order``: 0 forward, 1 first backward, 2 second backward (``meta["orders"]``
  of a ``create_graph`` graph).

:func:`color_scale` turns the numbers into positions in [0, 1] (a log scale when
they span more than a decade), which the UI maps to colours.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from ..errors import InputError
from ..snapshot import Snapshot
from .diagnostics_values import norm
from .saved_memory_report import META_KEY as SAVED_KEY

ORDERS_KEY = "orders"  # node id -> 0 (forward), 1 (first backward), 2 (second backward)
MEASURES = ("grad_norm", "value_norm", "saved_bytes", "order")
COLOUR_CHOICES = ("none", *MEASURES)  # "colour nodes by": none (the kinds' colours) or one
LOG_SPREAD = 10.0  # highest / lowest positive value above which the scale is logarithmic


def node_measure(snapshot: Snapshot, measure: str) -> dict[str, float]:
    """``{node id: number}`` for the nodes where ``measure`` is known (others are left out)."""
    if measure == "grad_norm":
        return gradient_norms(snapshot)
    if measure == "value_norm":
        return {n.id: v for n in snapshot.nodes if (v := norm(n.value)) is not None}
    if measure == "saved_bytes":
        return saved_bytes(snapshot)
    if measure == "order":
        return {k: float(v) for k, v in snapshot.meta.get(ORDERS_KEY, {}).items()}
    raise ValueError(f"unknown measure {measure!r} (one of {', '.join(MEASURES)})")


def check_colour_by(name: str | None) -> str | None:
    """``name`` when it is one of :data:`COLOUR_CHOICES` (or None: not chosen); else the
    ``bad_colour_by`` :class:`InputError` every surface gives (window, CLI, API, exports)."""
    if name is None or name in COLOUR_CHOICES:
        return name
    raise InputError("bad_colour_by", {"name": str(name)[:40], "names": list(COLOUR_CHOICES)})


def available(snapshot: Snapshot) -> list[str]:
    """The measures ``snapshot`` has data for, in :data:`MEASURES` order."""
    return [m for m in MEASURES if node_measure(snapshot, m)]


def gradient_norms(snapshot: Snapshot) -> dict[str, float]:
    """Each function node's received gradient norm (last run), each leaf's ``.grad`` norm."""
    out: dict[str, float] = {}
    last = max((s.run for s in snapshot.steps), default=0)
    for step in snapshot.steps:
        if step.run != last:
            continue
        parts = [norm(g) for g in step.grad_in if g is not None]
        if parts and None not in parts:
            out[step.node] = math.sqrt(sum(p * p for p in parts))
    for var in snapshot.variables:
        value = norm(var.grad) if var.grad is not None else None
        if var.node is not None and value is not None:
            out[var.node] = value
    return out


def saved_bytes(snapshot: Snapshot) -> dict[str, float]:
    """Bytes each function node's saved tensors keep alive (a storage saved twice: once)."""
    data = snapshot.meta.get(SAVED_KEY)
    if not data:
        return {}
    sizes = data["storages"]
    return {node: float(sum(sizes[i] for i in {e["storage"] for e in entries}))
            for node, entries in data["nodes"].items()}


@dataclass(frozen=True)
class ColorScale:
    """Maps a number to a position in [0, 1]: linear over [low, high], or log10 of it."""

    low: float
    high: float
    log: bool = False

    def position(self, value: float) -> float:
        """Where ``value`` sits (0 at ``low`` and below, 1 at ``high`` and above)."""
        if not math.isfinite(value):
            return 1.0 if value > 0 else 0.0
        if self.high <= self.low:
            return 1.0 if value > 0 else 0.0
        if self.log:
            if value <= 0:
                return 0.0
            t = (math.log10(value) - math.log10(self.low)) / math.log10(self.high / self.low)
        else:
            t = (value - self.low) / (self.high - self.low)
        return min(1.0, max(0.0, t))


def color_scale(values: dict[str, float] | list[float]) -> ColorScale | None:
    """The scale for ``values`` (finite ones): log when positive and spread over a decade."""
    numbers = [v for v in (values.values() if isinstance(values, dict) else values)
               if math.isfinite(v)]
    if not numbers:
        return None
    low, high = min(numbers), max(numbers)
    positive = [v for v in numbers if v > 0]
    if positive and high / min(positive) > LOG_SPREAD:
        return ColorScale(min(positive), high, log=True)
    return ColorScale(low, high)
