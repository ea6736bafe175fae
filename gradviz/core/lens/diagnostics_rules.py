"""Per-op rules: why one backward node breaks (NaN/Inf) or stops (≈ 0) a gradient.

Each rule reads a node's recorded forward values (inputs, saved tensors,
attributes) and returns plain params for a finding, or None when it does not
apply. Ops without a rule are listed by :data:`COVERED_OPS`'s complement as
"not checked", never passed as fine.
"""

from __future__ import annotations

import math
from typing import Any

from .diagnostics_values import GraphIndex, attr_number, elements, nonfinite, numel

#: A local derivative smaller than this counts as saturated (σ' ≤ 1e-3 ⇔ |z| ≳ 6.9).
SATURATED = 1e-3
#: Saturated or dead elements must be at least this share of the node's output to be reported.
MAJORITY = 0.5

NONFINITE_OPS = ("SqrtBackward0", "LogBackward0", "DivBackward0", "ExpBackward0",
                 "PowBackward0", "RsqrtBackward0", "ReciprocalBackward0")
SATURATING_OPS = ("SigmoidBackward0", "TanhBackward0")
CLAMP_OPS = ("ClampBackward1", "ClampMinBackward0", "ClampMaxBackward0")
ROUTING_OPS = ("MaxBackward0", "MaxBackward1", "MinBackward0", "MinBackward1",
               "AmaxBackward0", "AminBackward0", "IndexBackward0", "GatherBackward0")
#: Ops some rule looks at; the diagnostics call every other op "not checked".
COVERED_OPS = frozenset(NONFINITE_OPS + SATURATING_OPS + CLAMP_OPS + ROUTING_OPS
                        + ("ReluBackward0", "AccumulateGrad"))


def nonfinite_cause(index: GraphIndex, node_id: str) -> dict[str, Any]:
    """Why ``node_id``'s backward made a NaN/Inf from finite gradients: ``cause`` and numbers.

    A non-finite forward input means the trouble began in the forward pass: the
    cause is then the first node whose value went non-finite from finite inputs.
    """
    for _, source in sorted(index.inputs.get(node_id, {}).items()):
        if nonfinite(index.value(source)):
            origin = forward_origin(index, source)
            cause = _local_cause(index, origin) if origin else None
            return {**(cause or {"cause": "forward"}), "origin": origin}
    return _local_cause(index, node_id) or {"cause": "unknown"}


def forward_origin(index: GraphIndex, node_id: str) -> str | None:
    """The first node (going back to the inputs) whose forward value is non-finite."""
    seen = set()
    while node_id not in seen:
        seen.add(node_id)
        bad = [src for src in index.inputs.get(node_id, {}).values() if nonfinite(index.value(src))]
        if not bad:
            return node_id if nonfinite(index.value(node_id)) else None
        node_id = bad[0]
    return None


def _local_cause(index: GraphIndex, node_id: str) -> dict[str, Any] | None:
    """The op's own reason, from its inputs: sqrt/log at 0, division by 0, exp overflow."""
    node = index.snapshot.node(node_id)
    op = node.op or ""
    x = index.input_value(node_id, 0, "self")
    flat = elements(x) or []
    if op in ("SqrtBackward0", "RsqrtBackward0", "LogBackward0"):
        name = "sqrt" if "Sqrt" in op else "log"
        if any(v < 0 for v in flat):
            return {"cause": f"{name}_negative", "value": min(flat)}
        if any(v == 0 for v in flat) or _zero_result(index, node_id):
            return {"cause": f"{name}_zero", "value": 0.0}
    if op == "PowBackward0":
        exponent = attr_number(node.attrs.get("exponent"))
        if exponent is not None and exponent < 1 and any(v == 0 for v in flat):
            return {"cause": "pow_zero", "value": 0.0, "exponent": exponent}
    if op in ("DivBackward0", "ReciprocalBackward0"):
        divisor = elements(index.input_value(node_id, 1, "other")) if op == "DivBackward0" \
            else flat
        if divisor and any(v == 0 for v in divisor):
            return {"cause": "div_zero", "value": 0.0}
    if op == "ExpBackward0" and nonfinite(index.value(node_id)) == "inf":
        return {"cause": "exp_overflow", "value": flat[0] if len(flat) == 1 else max(flat or [0])}
    return None


def _zero_result(index: GraphIndex, node_id: str) -> bool:
    result = elements(index.saved.get(node_id, {}).get("result"))
    return bool(result) and any(v == 0 for v in result)


def saturation(index: GraphIndex, node_id: str) -> dict[str, Any] | None:
    """Sigmoid/tanh whose local derivative is below :data:`SATURATED` on most elements."""
    op = index.snapshot.node(node_id).op
    recorded = index.input_value(node_id, 0)
    if isinstance(recorded, dict):
        return _saturation_of_summary(op, recorded)
    z = elements(recorded)
    if z is not None:
        derivs = [_sigmoid_prime(v) if op == "SigmoidBackward0" else _tanh_prime(v) for v in z]
    else:  # the input was not recorded: from the saved output (float32's rounding included)
        out = elements(index.saved.get(node_id, {}).get("result", index.value(node_id)))
        if out is None:
            return None
        derivs = [s * (1 - s) if op == "SigmoidBackward0" else 1 - s * s for s in out]
    count = sum(d < SATURATED for d in derivs)
    if not derivs or count < MAJORITY * len(derivs) or count == 0:
        return None
    worst = max(range(len(derivs)), key=lambda i: abs(z[i]) if z is not None else -derivs[i])
    out_value = elements(index.value(node_id))
    return {"op": op, "count": count, "total": len(derivs), "derivative": derivs[worst],
            "z": z[worst] if z is not None else None,
            "output": out_value[worst] if out_value and len(out_value) == len(derivs) else None}


def _saturation_of_summary(op: str, z: dict[str, Any]) -> dict[str, Any] | None:
    """A big input known by its min and max: saturated when even its end nearest 0 is."""
    low, high = z.get("min"), z.get("max")
    if not isinstance(low, (int, float)) or not isinstance(high, (int, float)):
        return None
    if low > 0:
        nearest = low
    elif high < 0:
        nearest = high
    else:
        return None  # some elements may sit near 0: not known from the summary
    prime = _sigmoid_prime if op == "SigmoidBackward0" else _tanh_prime
    if prime(nearest) >= SATURATED:
        return None
    total = numel(z) or 0
    return {"op": op, "count": total, "total": total, "derivative": prime(nearest),
            "z": nearest, "output": None}


def _sigmoid_prime(z: float) -> float:
    e = math.exp(-abs(z))  # σ(1−σ), written so that large |z| does not round σ to 1
    return e / (1 + e) ** 2


def _tanh_prime(z: float) -> float:
    e = math.exp(-2 * abs(z))  # 1 − tanh², likewise
    return 4 * e / (1 + e) ** 2


def dead_relu(index: GraphIndex, node_id: str) -> dict[str, Any] | None:
    """A ReLU whose every input was ≤ 0: it passes no gradient at all."""
    out = index.saved.get(node_id, {}).get("result", index.value(node_id))
    total = numel(out)
    if isinstance(out, dict):
        dead = out.get("max") == 0
    else:
        flat = elements(out)
        dead = bool(flat) and all(v == 0 for v in flat)
    if not dead or not total:
        return None
    z = index.input_value(node_id, 0)
    flat_z = elements(z)
    top = max(flat_z) if flat_z else (z.get("max") if isinstance(z, dict) else None)
    return {"op": "ReluBackward0", "total": total, "max_input": top}


def clamped(index: GraphIndex, node_id: str) -> dict[str, Any] | None:
    """A clamp whose every input lay outside [min, max]: the gradient is 0 everywhere."""
    node = index.snapshot.node(node_id)
    low, high = attr_number(node.attrs.get("min")), attr_number(node.attrs.get("max"))
    recorded = index.input_value(node_id, 0, "self")
    if isinstance(recorded, dict) and (low is not None or high is not None):
        return _clamped_summary(node.op, recorded, low, high)
    x = elements(recorded)
    if not x or (low is None and high is None):
        return None
    outside = [v for v in x if (low is not None and v < low) or (high is not None and v > high)]
    if len(outside) != len(x):
        return None
    return {"op": node.op, "min": low, "max": high, "total": len(x), "value": outside[0]}


def _clamped_summary(op: str, x: dict[str, Any], low: float | None,
                     high: float | None) -> dict[str, Any] | None:
    """A big input known by its min and max: all outside when the whole range is."""
    below = low is not None and isinstance(x.get("max"), (int, float)) and x["max"] < low
    above = high is not None and isinstance(x.get("min"), (int, float)) and x["min"] > high
    if not (below or above):
        return None
    return {"op": op, "min": low, "max": high, "total": numel(x) or 0,
            "value": x["max"] if below else x["min"]}


def routed(index: GraphIndex, node_id: str) -> dict[str, Any] | None:
    """max/min/indexing: at most one input element per output element gets a gradient."""
    node = index.snapshot.node(node_id)
    n_in = numel(index.input_value(node_id, 0, "self"))
    n_out = numel(index.value(node_id))
    if not n_in or not n_out or n_out >= n_in:
        return None
    return {"op": node.op, "receiving": n_out, "total": n_in}


def local_zero_rules(op: str):
    """The rule that explains a near-zero gradient through ``op`` (None if none)."""
    if op in SATURATING_OPS:
        return "saturated", saturation
    if op == "ReluBackward0":
        return "dead_relu", dead_relu
    if op in CLAMP_OPS:
        return "clamped", clamped
    if op in ROUTING_OPS:
        return "routed", routed
    return None
