"""Rules for reductions: sum, mean, prod, max/min, logsumexp, norms, softmax."""

from __future__ import annotations

import math

from .base import Saved, Spec, dim_list, operand, signed_dims


def _sum(s: Saved) -> Spec:
    dim = s.dim()
    if dim is None or dim == []:
        return Spec("sum", "Σ{x}", ("x",), {"x": "𝟙 · {grad_out}"})
    return Spec("sum", "sum({x}, dim={dim})", ("x",), {"x": "𝟙 · {grad_out}"},
                [operand("dim", dim)])


def _mean(s: Saved) -> Spec:
    sizes, dim = [int(n) for n in s.get("self_sym_sizes", ())], s.dim()
    if dim is None or dim == []:
        count, forward, ops = s.get("self_sym_numel"), "mean({x})", []
    else:
        count = math.prod(sizes[d] for d in dim_list(dim, len(sizes))) if sizes else None
        forward, ops = "mean({x}, dim={dim})", [operand("dim", dim)]
    if count is not None:
        ops.insert(0, operand("N", int(count)))
    return Spec("mean", forward, ("x",), {"x": "𝟙 · {grad_out} / {N}"}, ops)


def _reduced(s: Saved, name: str) -> tuple[str, list[dict]]:
    """``name({x})`` or ``name({x}, dim={dim})`` and the dim operand."""
    dim, x = s.dim(), s.get("self")
    everything = x is not None and dim_list(dim, x.dim()) == list(range(x.dim()))
    if dim is None or dim == [] or (everything and not s.get("keepdim")):
        return name + "({x})", []
    return name + "({x}, dim={dim})", [operand("dim", dim)]


def _prod(s: Saved) -> Spec | None:
    """``Π x``: each element's gradient is the product of the others (``out / x``)."""
    x = s.get("self")
    if x is None or bool((x == 0).any()):
        return None  # with a zero the quotient is undefined: PyTorch multiplies the others
    head, ops = _reduced(s, "Π")
    ops = s.operand("x", x) + s.operand("out", s.get("result")) + ops
    return Spec("prod", head, ("x",), {"x": "{grad_out} ⊙ {out} / {x}"}, ops)


def _evenly(rule: str, symbol: str):
    """max/min/amax/amin over all or some dims: ties share the gradient equally."""

    def build(s: Saved) -> Spec:
        head, ops = _reduced(s, symbol)
        ops = s.operand("x", s.get("self")) + s.operand("out", s.get("result")) + ops
        count = "sum([{x} = {out}], dim={dim})" if ops[-1]["name"] == "dim" else "Σ[{x} = {out}]"
        return Spec(rule, head, ("x",), {"x": "{grad_out} ⊙ [{x} = {out}] / " + count}, ops)

    return build


def _selecting(rule: str, symbol: str):
    """max/min along a dim: the gradient goes to the index each row picked."""

    def build(s: Saved) -> Spec:
        ops = [operand("dim", s.dim()), operand("i", s.get("indices"), const=True)]
        return Spec(rule, symbol + "({x}, dim={dim})", ("x",),
                    {"x": "onehot({i}, dim={dim}) ⊙ {grad_out}"}, ops)

    return build


def _maximum(rule: str, cmp: str):
    def build(s: Saved) -> Spec:
        ops = s.tensor(0, "a", s.get("self")) + s.tensor(1, "b", s.get("other"))
        return Spec(rule, f"{rule}({{a}}, {{b}})", ("a", "b"),
                    {"a": f"{{grad_out}} ⊙ ([{{a}} {cmp} {{b}}] + ½·[{{a}} = {{b}}])",
                     "b": f"{{grad_out}} ⊙ ([{{b}} {cmp} {{a}}] + ½·[{{a}} = {{b}}])"},
                    ops, elementwise=True)

    return build


def _logsumexp(s: Saved) -> Spec:
    head, ops = _reduced(s, "logsumexp")
    ops = s.operand("x", s.get("self")) + s.operand("out", s.get("result")) + ops
    return Spec("logsumexp", head, ("x",), {"x": "{grad_out} ⊙ exp({x} - {out})"}, ops)


def _vector_norm(s: Saved) -> Spec | None:
    """``‖x‖_p``: ``x / ‖x‖`` for p = 2, ``sign(x)`` for p = 1."""
    p = float(s.get("ord", 2))
    if not math.isfinite(p) or p <= 0:
        return None
    x, r = s.get("self"), s.get("result")
    if x is None or r is None or (p != 1 and bool((r == 0).any())):
        return None
    head = "‖{x}‖" + ("" if p == 2 else "_{p}")
    dim = signed_dims(s.get("dim"))
    ops = s.operand("x", x) + s.operand("out", r) + [operand("p", int(p) if p.is_integer()
                                                             else p)]
    if dim not in (None, []) and dim_list(dim, x.dim()) != list(range(x.dim())):
        head += ", dim={dim}"
        ops.append(operand("dim", dim))
    formula = {1.0: "{grad_out} ⊙ sign({x})", 2.0: "{grad_out} ⊙ {x} / {out}"}.get(
        p, "{grad_out} ⊙ sign({x}) ⊙ |{x}|^({p}-1) / {out}^({p}-1)")
    return Spec("norm", head, ("x",), {"x": formula}, ops)


def _softmax(s: Saved) -> Spec:
    ops = s.operand("out", s.get("result")) + [operand("dim", s.dim())]
    return Spec("softmax", "softmax({x}, dim={dim})", ("x",),
                {"x": "{out} ⊙ ({grad_out} - sum({grad_out} ⊙ {out}, dim={dim}))"}, ops)


def _log_softmax(s: Saved) -> Spec:
    ops = s.operand("out", s.get("result")) + [operand("dim", s.dim())]
    return Spec("log_softmax", "log_softmax({x}, dim={dim})", ("x",),
                {"x": "{grad_out} - exp({out}) ⊙ sum({grad_out}, dim={dim})"}, ops)


RULES = {
    "SumBackward0": _sum,
    "SumBackward1": _sum,
    "MeanBackward0": _mean,
    "MeanBackward1": _mean,
    "ProdBackward0": _prod,
    "ProdBackward1": _prod,
    "MaxBackward1": _evenly("max", "max"),
    "MinBackward1": _evenly("min", "min"),
    "AmaxBackward0": _evenly("amax", "max"),
    "AminBackward0": _evenly("amin", "min"),
    "MaxBackward0": _selecting("max", "max"),
    "MinBackward0": _selecting("min", "min"),
    "MaximumBackward0": _maximum("maximum", ">"),
    "MinimumBackward0": _maximum("minimum", "<"),
    "LogsumexpBackward0": _logsumexp,
    "LinalgVectorNormBackward0": _vector_norm,
    "SoftmaxBackward0": _softmax,
    "LogSoftmaxBackward0": _log_softmax,
}
