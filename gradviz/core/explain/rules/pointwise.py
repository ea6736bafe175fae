"""Rules for elementwise functions: exp, log, trigonometry, activations, clamp."""

from __future__ import annotations

from .base import Saved, Spec, operand, unary


def _threshold(s: Saved) -> Spec:
    ops = s.operand("x", s.get("self")) + [operand("t", s.get("threshold"))]
    return Spec("relu", "threshold({x}, {t})", ("x",), {"x": "{grad_out} ⊙ [{x} > {t}]"}, ops,
                elementwise=True)


def _clamp(s: Saved) -> Spec | None:
    """``clamp(x, lo, hi)``: the gradient passes where ``lo ≤ x ≤ hi``."""
    lo, hi = s.get("min"), s.get("max")
    if lo is None and hi is None:
        return None
    ops = s.operand("x", s.get("self"))
    ops += [operand("lo", lo, const=True)] if lo is not None else []
    ops += [operand("hi", hi, const=True)] if hi is not None else []
    bracket = "[" + ("{lo} ≤ " if lo is not None else "") + "{x}" + (
        " ≤ {hi}" if hi is not None else "") + "]"
    args = ", ".join(["{x}"] + (["min={lo}"] if lo is not None else [])
                     + (["max={hi}"] if hi is not None else []))
    return Spec("clamp", f"clamp({args})", ("x",), {"x": "{grad_out} ⊙ " + bracket}, ops,
                elementwise=True)


def _leaky_relu(s: Saved) -> Spec:
    ops = s.operand("x", s.get("self")) + [operand("s", s.get("negative_slope"))]
    return Spec("leaky_relu", "leaky_relu({x}, {s})", ("x",),
                {"x": "{grad_out} ⊙ ([{x} > 0] + {s}·[{x} ≤ 0])"}, ops, elementwise=True)


def _elu(s: Saved) -> Spec | None:
    if s.get("scale", 1) != 1 or s.get("input_scale", 1) != 1 or s.get("self") is None:
        return None  # SELU and friends: only the plain ELU is explained
    ops = s.operand("x", s.get("self")) + [operand("α", s.get("alpha"))]
    return Spec("elu", "elu({x}, {α})", ("x",),
                {"x": "{grad_out} ⊙ ([{x} > 0] + [{x} ≤ 0] ⊙ {α}·exp({x}))"}, ops,
                elementwise=True)


def _softplus(s: Saved) -> Spec:
    """``softplus(x) = ln(1 + exp(β·x))/β``; PyTorch uses x itself above the threshold."""
    beta = s.get("beta", 1)
    ops = s.operand("x", s.get("self")) + [operand("β", beta), operand("t", s.get("threshold"))]
    if beta == 1:
        return Spec("softplus", "softplus({x})", ("x",),
                    {"x": "{grad_out} ⊙ (σ({x}) + [{x} > {t}] ⊙ (1 - σ({x})))"}, ops,
                    elementwise=True)
    return Spec("softplus", "softplus({x}, {β})", ("x",),
                {"x": "{grad_out} ⊙ (σ({β}·{x}) + [{β}·{x} > {t}] ⊙ (1 - σ({β}·{x})))"}, ops,
                elementwise=True)


def _gelu(s: Saved) -> Spec | None:
    if s.get("approximate", "none") != "none":
        return None  # the tanh approximation's derivative is not worth a line
    return Spec("gelu", "gelu({x})", ("x",), {"x": "{grad_out} ⊙ (Φ({x}) + {x} ⊙ φ({x}))"},
                s.operand("x", s.get("self")), elementwise=True)


def _silu(s: Saved) -> Spec:
    return Spec("silu", "silu({x})", ("x",),
                {"x": "{grad_out} ⊙ σ({x}) ⊙ (1 + {x} ⊙ (1 - σ({x})))"},
                s.operand("x", s.get("self")), elementwise=True)


RULES = {
    "ExpBackward0": unary("exp", "exp({x})", "{grad_out} ⊙ {out}", "result", "out"),
    "LogBackward0": unary("log", "ln({x})", "{grad_out} / {x}"),
    "Log1PBackward0": unary("log1p", "ln(1 + {x})", "{grad_out} / (1 + {x})"),
    "SinBackward0": unary("sin", "sin({x})", "{grad_out} ⊙ cos({x})"),
    "CosBackward0": unary("cos", "cos({x})", "-{grad_out} ⊙ sin({x})"),
    "TanBackward0": unary("tan", "tan({x})", "{grad_out} ⊙ (1 + {out}^2)", "result", "out"),
    "TanhBackward0": unary("tanh", "tanh({x})", "{grad_out} ⊙ (1 - {out}^2)", "result", "out"),
    "SigmoidBackward0": unary("sigmoid", "σ({x})", "{grad_out} ⊙ {out} ⊙ (1 - {out})",
                              "result", "out"),
    "ReluBackward0": unary("relu", "relu({x})", "{grad_out} ⊙ [{out} > 0]", "result", "out"),
    "ThresholdBackward0": _threshold,
    "SqrtBackward0": unary("sqrt", "√{x}", "{grad_out} / (2·{out})", "result", "out"),
    "AbsBackward0": unary("abs", "|{x}|", "{grad_out} ⊙ sign({x})"),
    "ClampBackward1": _clamp,
    "ClampMinBackward0": _clamp,
    "ClampMaxBackward0": _clamp,
    "LeakyReluBackward0": _leaky_relu,
    "EluBackward0": _elu,
    "SoftplusBackward0": _softplus,
    "GeluBackward0": _gelu,
    "SiluBackward0": _silu,
}
