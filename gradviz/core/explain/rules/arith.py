"""Rules for arithmetic: ``+ - * /``, powers, negation, reciprocal and clone."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .base import Saved, Spec, number_text, operand


def _add(s: Saved) -> Spec:
    alpha = s.get("alpha", 1)
    return _add_or_sub(s, "add", "+", "", (lambda out, a: (out - a) / alpha,
                                          lambda out, b: out - alpha * b))


def _sub(s: Saved) -> Spec:
    alpha = s.get("alpha", 1)
    return _add_or_sub(s, "sub", "-", "-", (lambda out, a: (a - out) / alpha,
                                           lambda out, b: out + alpha * b))


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
    """``c - x`` with a constant c (PyTorch's rsub: other - alpha·self)."""
    alpha = s.get("alpha", 1)
    spec = Spec("sub", "{c} - {x}", ("x",), {"x": "-{grad_out}"}, elementwise=True)
    if alpha != 1:
        spec.forward, spec.formulas["x"] = "{c} - {alpha}·{x}", "-{alpha}·{grad_out}"
        spec.operands.append(operand("alpha", alpha))
    c = _solve(s, s.input_value(0), lambda out, x: out + alpha * x)
    spec.labels["c"] = c if c is not None else "?"
    return spec


def _constant_label(s: Saved, spec: Spec, solve) -> None:
    """Label a constant input of add/sub from the recorded forward values.

    ``solve`` is (b from out and a, a from out and b).
    """
    for index, name in ((1, "b"), (0, "a")):
        if s.is_constant(index) and not s.is_constant(1 - index):
            text = _solve(s, s.input_value(1 - index), solve[1 - index])
            spec.labels[name] = text if text is not None else "?"


def _solve(s: Saved, a: Any, solve: Callable[[float, float], float]) -> str | None:
    """The constant that gave the op's output from ``a``: one number when all its elements
    are equal (a literal reads as typed), else the user's name for it, else its values."""
    out = s.out_value
    if isinstance(out, (int, float)) and isinstance(a, (int, float)):
        return number_text(round(solve(out, a), 6))  # a literal, or a named scalar: its value
    if isinstance(out, list) and isinstance(a, (list, int, float)):
        flat_out, flat_a = _flat(out), _flat(a)
        if not flat_out or not all(isinstance(v, (int, float)) for v in flat_out + flat_a):
            return None
        if len(flat_a) == 1:
            flat_a = flat_a * len(flat_out)
        if len(flat_a) != len(flat_out):
            return None
        values = [round(solve(o, x), 6) for o, x in zip(flat_out, flat_a)]
        if max(values) - min(values) <= 1e-6 * max(1.0, abs(values[0])):
            return number_text(values[0])  # a literal broadcast (no list is typed as a literal)
        name = s.constant_name(values)
        if name is not None:
            return name
        if len(values) == len(out) <= 16:  # a vector constant: its values, as typed
            return "[" + ", ".join(number_text(v) for v in values) + "]"
    return None


def _flat(value: Any) -> list:
    if not isinstance(value, list):
        return [value]
    return [v for item in value for v in _flat(item)]


def _mul(s: Saved) -> Spec:
    a, b = s.get("self"), s.get("other")
    ops = s.tensor(0, "a", a) + s.tensor(1, "b", b)
    number = s.is_constant(1) and not s.is_constant(0) and "b" not in s.labels
    forward = "{b}·{a}" if number else "{a}·{b}"  # 5·x, as written, but w·x for a named x
    return Spec("mul", forward, ("a", "b"),
                {"a": "{grad_out} ⊙ {b}", "b": "{grad_out} ⊙ {a}"}, ops, elementwise=True)


def _div(s: Saved) -> Spec:
    """``a / b``; by a constant b, only ``a`` gets a gradient: ``grad_out / b``."""
    a, b = s.get("self"), s.get("other")
    ops = s.tensor(0, "a", a) + s.tensor(1, "b", b)
    return Spec("div", "{a} / {b}", ("a", "b"),
                {"a": "{grad_out} / {b}", "b": "-{grad_out} ⊙ {a} / {b}^2"}, ops,
                elementwise=True)


def _neg(s: Saved) -> Spec:
    return Spec("neg", "-{x}", ("x",), {"x": "-{grad_out}"}, elementwise=True)


def _reciprocal(s: Saved) -> Spec:
    return Spec("reciprocal", "1/{x}", ("x",), {"x": "-{grad_out} ⊙ {out}^2"},
                s.operand("out", s.get("result")), elementwise=True)


def _clone(s: Saved) -> Spec:
    return Spec("clone", "clone({x})", ("x",), {"x": "{grad_out}"})


def _pow_scalar(s: Saved) -> Spec:
    """``x ** n`` with a number n (PowBackward0)."""
    n = s.get("exponent")
    ops = s.tensor(0, "x", s.get("self")) + [operand("n", n), operand("n-1", n - 1)]
    return Spec("pow", "{x}^{n}", ("x",), {"x": "{grad_out} ⊙ {n}·{x}^{n-1}"}, ops,
                elementwise=True)


def _pow_tensor(s: Saved) -> Spec:
    """``x ** p`` with a tensor exponent p (PowBackward1): gradients for both."""
    ops = s.tensor(0, "x", s.get("self")) + s.tensor(1, "p", s.get("exponent"))
    ops += s.operand("out", s.get("result"))
    return Spec("pow", "{x}^{p}", ("x", "p"),
                {"x": "{grad_out} ⊙ {p} ⊙ {x}^({p}-1)", "p": "{grad_out} ⊙ {out} ⊙ ln({x})"},
                ops, elementwise=True)


def _pow_base(s: Saved) -> Spec:
    """``c ** p`` with a number base c (PowBackward2)."""
    ops = [operand("c", s.get("self"))] + s.operand("out", s.get("result"))
    return Spec("pow", "{c}^{p}", ("p",), {"p": "{grad_out} ⊙ {out} · ln({c})"}, ops,
                elementwise=True)


RULES = {
    "AddBackward0": _add,
    "SubBackward0": _sub,
    "RsubBackward1": _rsub,
    "MulBackward0": _mul,
    "DivBackward0": _div,
    "NegBackward0": _neg,
    "ReciprocalBackward0": _reciprocal,
    "CloneBackward0": _clone,
    "PowBackward0": _pow_scalar,
    "PowBackward1": _pow_tensor,
    "PowBackward2": _pow_base,
}
