"""The backward rule of each supported op, as templates over PyTorch's saved values.

Each rule reads a grad_fn's ``_saved_*`` attributes and returns a :class:`Spec`:
the forward expression, a placeholder per ``next_functions`` entry, the gradient
template for each input and the operands (saved tensors and constants) those
templates use. Templates are math, never sentences: ``{name}`` stands for an
operand (``{grad_out}`` is the incoming gradient), ``⊙`` is the elementwise
product, ``·`` a matrix or scalar product, ``ᵀ`` a transpose, ``⊗`` an outer product.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import torch

from .values import summarize

# PyTorch's loss reductions, as stored in ``_saved_reduction`` (at::Reduction).
REDUCTIONS = {0: "none", 1: "mean", 2: "sum"}


@dataclass
class Spec:
    """What a backward node computes, independent of the gradients flowing through it."""

    rule: str
    forward: str  # e.g. "{x}^{n}"
    inputs: tuple[str, ...]  # placeholder of each next_functions entry
    formulas: dict[str, str]  # input placeholder -> gradient template
    operands: list[dict[str, Any]] = field(default_factory=list)
    elementwise: bool = False  # gradients are summed back over broadcast dimensions
    labels: dict[str, str] = field(default_factory=dict)  # known display of forward inputs


class Saved:
    """Read access to one grad_fn's saved values (None when absent or freed)."""

    def __init__(self, fn: Any, out_value: Any = None,
                 input_value: Callable[[int], Any] | None = None) -> None:
        self.fn = fn
        self.out_value = out_value  # forward value of the op's output, when recorded
        self._input_value = input_value

    def input_value(self, index: int) -> Any:
        """The recorded forward value of input ``index`` (None when unknown)."""
        return self._input_value(index) if self._input_value is not None else None

    def get(self, name: str, default: Any = None) -> Any:
        """``fn._saved_<name>``, or ``default``."""
        try:
            value = getattr(self.fn, "_saved_" + name)
        except (AttributeError, RuntimeError):  # RuntimeError: freed by an earlier backward
            return default
        return default if value is None else value

    def is_constant(self, index: int) -> bool:
        """True when input ``index`` needs no gradient (a constant in the forward)."""
        nexts = getattr(self.fn, "next_functions", ())
        return index >= len(nexts) or nexts[index][0] is None


def operand(name: str, value: Any, *, const: bool = False) -> dict[str, Any]:
    """An operand entry: a saved tensor (summarised) or a plain constant."""
    if torch.is_tensor(value):
        return {"name": name, "value": summarize(value), **({"const": True} if const else {})}
    if isinstance(value, tuple):
        value = list(value)
    return {"name": name, "value": value, "const": True}


def _tensor_operand(s: Saved, index: int, name: str, value: Any) -> list[dict[str, Any]]:
    """A saved input as an operand; a scalar constant input is substituted like a number."""
    if value is None:
        return []
    const = s.is_constant(index) and torch.is_tensor(value) and value.numel() == 1
    return [operand(name, value, const=const)]


def _add(s: Saved) -> Spec:
    alpha = s.get("alpha", 1)
    return _add_or_sub(s, "add", "+", "", lambda out, a: (out - a) / alpha)


def _sub(s: Saved) -> Spec:
    alpha = s.get("alpha", 1)
    return _add_or_sub(s, "sub", "−", "−", lambda out, a: (a - out) / alpha)


def _add_or_sub(s: Saved, rule: str, symbol: str, sign: str, constant_of) -> Spec:
    """``a ± alpha·b``: the gradient goes to ``a`` as is, to ``b`` times ``±alpha``."""
    alpha = s.get("alpha", 1)
    scaled = alpha != 1
    factor = "{alpha}·" if scaled else ""
    spec = Spec(
        rule, f"{{a}} {symbol} {factor}{{b}}", ("a", "b"),
        {"a": "{grad_out}", "b": f"{sign}{factor}{{grad_out}}"},
        [operand("alpha", alpha)] if scaled else [], elementwise=True,
    )
    _constant_label(s, spec, constant_of)
    return spec


def _rsub(s: Saved) -> Spec:
    """``c − x`` with a constant c (PyTorch's rsub: other − alpha·self)."""
    alpha = s.get("alpha", 1)
    spec = Spec("sub", "{c} − {x}", ("x",), {"x": "−{grad_out}"}, elementwise=True)
    if alpha != 1:
        spec.forward, spec.formulas["x"] = "{c} − {alpha}·{x}", "−{alpha}·{grad_out}"
        spec.operands.append(operand("alpha", alpha))
    out, x = s.out_value, s.input_value(0)
    if isinstance(out, (int, float)) and isinstance(x, (int, float)):
        spec.labels["c"] = _number(out + alpha * x)
    return spec


def _constant_label(s: Saved, spec: Spec, solve: Callable[[float, float], float]) -> None:
    """Label a constant second input of add/sub from the recorded forward values."""
    out = s.out_value
    if s.is_constant(1) and isinstance(out, (int, float)):
        a = s.input_value(0)
        if isinstance(a, (int, float)):
            spec.labels["b"] = _number(solve(out, a))


def _number(v: float) -> str:
    from .formatting import format_number

    return format_number(int(v) if float(v).is_integer() else v)


def _mul(s: Saved) -> Spec:
    a, b = s.get("self"), s.get("other")
    forward = "{b}·{a}" if s.is_constant(1) and not s.is_constant(0) else "{a}·{b}"
    ops = _tensor_operand(s, 0, "a", a) + _tensor_operand(s, 1, "b", b)
    return Spec("mul", forward, ("a", "b"),
                {"a": "{grad_out} ⊙ {b}", "b": "{grad_out} ⊙ {a}"}, ops, elementwise=True)


def _div(s: Saved) -> Spec:
    a, b = s.get("self"), s.get("other")
    ops = _tensor_operand(s, 0, "a", a) + _tensor_operand(s, 1, "b", b)
    return Spec("div", "{a} / {b}", ("a", "b"),
                {"a": "{grad_out} / {b}", "b": "−{grad_out} ⊙ {a} / {b}^2"}, ops,
                elementwise=True)


def _neg(s: Saved) -> Spec:
    return Spec("neg", "−{x}", ("x",), {"x": "−{grad_out}"}, elementwise=True)


def _pow_scalar(s: Saved) -> Spec:
    """``x ** n`` with a number n (PowBackward0)."""
    n = s.get("exponent")
    ops = _tensor_operand(s, 0, "x", s.get("self")) + [operand("n", n), operand("n−1", n - 1)]
    return Spec("pow", "{x}^{n}", ("x",), {"x": "{grad_out} ⊙ {n}·{x}^{n−1}"}, ops,
                elementwise=True)


def _pow_tensor(s: Saved) -> Spec:
    """``x ** p`` with a tensor exponent p (PowBackward1): gradients for both."""
    x, p, r = s.get("self"), s.get("exponent"), s.get("result")
    ops = _tensor_operand(s, 0, "x", x) + _tensor_operand(s, 1, "p", p)
    ops += [operand("r", r)] if r is not None else []
    return Spec("pow", "{x}^{p}", ("x", "p"),
                {"x": "{grad_out} ⊙ {p} ⊙ {x}^({p}−1)", "p": "{grad_out} ⊙ {r} ⊙ ln({x})"},
                ops, elementwise=True)


def _pow_base(s: Saved) -> Spec:
    """``c ** p`` with a number base c (PowBackward2)."""
    c, r = s.get("self"), s.get("result")
    ops = [operand("c", c)] + ([operand("r", r)] if r is not None else [])
    return Spec("pow", "{c}^{p}", ("p",), {"p": "{grad_out} ⊙ {r} · ln({c})"}, ops,
                elementwise=True)


def _unary(rule: str, forward: str, formula: str, saved: str, name: str):
    def build(s: Saved) -> Spec:
        value = s.get(saved)
        ops = [operand(name, value)] if value is not None else []
        return Spec(rule, forward, ("x",), {"x": formula}, ops, elementwise=True)

    return build


def _threshold(s: Saved) -> Spec:
    x, t = s.get("self"), s.get("threshold")
    ops = ([operand("x", x)] if x is not None else []) + [operand("t", t)]
    return Spec("relu", "threshold({x}, {t})", ("x",), {"x": "{grad_out} ⊙ [{x} > {t}]"}, ops,
                elementwise=True)


def _dims(dim: Any) -> Any:
    """A reduction's dims as shown: ``0`` for ``(0,)``."""
    return dim[0] if isinstance(dim, (tuple, list)) and len(dim) == 1 else dim


def _sum(s: Saved) -> Spec:
    dim = _dims(s.get("dim"))
    if dim is None:
        return Spec("sum", "Σ{x}", ("x",), {"x": "𝟙 · {grad_out}"})
    return Spec("sum", "Σ_{dim} {x}", ("x",), {"x": "𝟙 · {grad_out}"}, [operand("dim", dim)])


def _mean(s: Saved) -> Spec:
    sizes, dim = s.get("self_sym_sizes", ()), s.get("dim")
    if dim is None:
        count, forward, ops = s.get("self_sym_numel"), "mean({x})", []
    else:
        count = math.prod(int(sizes[d]) for d in dim) if sizes else None
        forward, ops = "mean_{dim}({x})", [operand("dim", _dims(dim))]
    if count is not None:
        ops.insert(0, operand("N", int(count)))
    return Spec("mean", forward, ("x",), {"x": "𝟙 · {grad_out} / {N}"}, ops)


def _mm(s: Saved) -> Spec:
    a, b = s.get("self"), s.get("mat2")
    ops = _tensor_operand(s, 0, "A", a) + _tensor_operand(s, 1, "B", b)
    return Spec("matmul", "{A}·{B}", ("A", "B"),
                {"A": "{grad_out} · {B}ᵀ", "B": "{A}ᵀ · {grad_out}"}, ops)


def _dot(s: Saved) -> Spec:
    a, b = s.get("self"), s.get("tensor")
    ops = _tensor_operand(s, 0, "a", a) + _tensor_operand(s, 1, "b", b)
    return Spec("matmul", "{a}·{b}", ("a", "b"),
                {"a": "{grad_out} · {b}", "b": "{grad_out} · {a}"}, ops)


def _mv(s: Saved) -> Spec:
    a, v = s.get("self"), s.get("vec")
    ops = _tensor_operand(s, 0, "A", a) + _tensor_operand(s, 1, "v", v)
    return Spec("matmul", "{A}·{v}", ("A", "v"),
                {"A": "{grad_out} ⊗ {v}", "v": "{A}ᵀ · {grad_out}"}, ops)


def _softmax(s: Saved) -> Spec:
    y, dim = s.get("result"), s.get("dim")
    ops = ([operand("y", y)] if y is not None else []) + [operand("dim", dim)]
    return Spec("softmax", "softmax_{dim}({x})", ("x",),
                {"x": "{y} ⊙ ({grad_out} − Σ_{dim}({grad_out} ⊙ {y}))"}, ops)


def _log_softmax(s: Saved) -> Spec:
    y, dim = s.get("result"), s.get("dim")
    ops = ([operand("y", y)] if y is not None else []) + [operand("dim", dim)]
    return Spec("log_softmax", "log_softmax_{dim}({x})", ("x",),
                {"x": "{grad_out} − exp({y}) ⊙ Σ_{dim} {grad_out}"}, ops)


def _mse(s: Saved) -> Spec:
    x, t = s.get("self"), s.get("target")
    reduction = REDUCTIONS.get(s.get("reduction", 1), "mean")
    ops = _tensor_operand(s, 0, "ŷ", x) + _tensor_operand(s, 1, "y", t)
    scale = ""
    if reduction == "mean" and x is not None:
        ops.append(operand("N", x.numel()))
        scale = " / {N}"
    ops.append(operand("reduction", reduction))
    diff = "2·({ŷ} − {y}) ⊙ {grad_out}" + scale
    return Spec("mse", "mse({ŷ}, {y})", ("ŷ", "y"), {"ŷ": diff, "y": "−" + diff}, ops)


def _nll(s: Saved) -> Spec:
    z, t, w = s.get("self"), s.get("target"), s.get("weight")
    reduction = REDUCTIONS.get(s.get("reduction", 1), "mean")
    ops = ([operand("z", z)] if z is not None else []) + ([operand("t", t)] if t is not None
                                                          else [])
    picked = "onehot({t})" if w is None else "{w}[{t}] ⊙ onehot({t})"
    if w is not None:
        ops.append(operand("w", w))
    formula = "−{grad_out} · " + picked
    if reduction == "mean":
        ops.append(operand("W", s.get("total_weight")))
        formula += " / {W}"
    ops.append(operand("reduction", reduction))
    return Spec("nll", "nll({z}, {t})", ("z",), {"z": formula}, ops)


RULES: dict[str, Callable[[Saved], Spec]] = {
    "AddBackward0": _add,
    "SubBackward0": _sub,
    "RsubBackward1": _rsub,
    "MulBackward0": _mul,
    "DivBackward0": _div,
    "NegBackward0": _neg,
    "PowBackward0": _pow_scalar,
    "PowBackward1": _pow_tensor,
    "PowBackward2": _pow_base,
    "ExpBackward0": _unary("exp", "exp({x})", "{grad_out} ⊙ {y}", "result", "y"),
    "LogBackward0": _unary("log", "ln({x})", "{grad_out} / {x}", "self", "x"),
    "SinBackward0": _unary("sin", "sin({x})", "{grad_out} ⊙ cos({x})", "self", "x"),
    "CosBackward0": _unary("cos", "cos({x})", "−{grad_out} ⊙ sin({x})", "self", "x"),
    "TanBackward0": _unary("tan", "tan({x})", "{grad_out} ⊙ (1 + {y}^2)", "result", "y"),
    "TanhBackward0": _unary("tanh", "tanh({x})", "{grad_out} ⊙ (1 − {y}^2)", "result", "y"),
    "SigmoidBackward0": _unary("sigmoid", "σ({x})", "{grad_out} ⊙ {y} ⊙ (1 − {y})",
                               "result", "y"),
    "ReluBackward0": _unary("relu", "relu({x})", "{grad_out} ⊙ [{y} > 0]", "result", "y"),
    "ThresholdBackward0": _threshold,
    "SqrtBackward0": _unary("sqrt", "√{x}", "{grad_out} / (2·{y})", "result", "y"),
    "AbsBackward0": _unary("abs", "|{x}|", "{grad_out} ⊙ sign({x})", "self", "x"),
    "SumBackward0": _sum,
    "SumBackward1": _sum,
    "MeanBackward0": _mean,
    "MeanBackward1": _mean,
    "MmBackward0": _mm,
    "DotBackward0": _dot,
    "MvBackward0": _mv,
    "SoftmaxBackward0": _softmax,
    "LogSoftmaxBackward0": _log_softmax,
    "MseLossBackward0": _mse,
    "NllLossBackward0": _nll,
}
