"""Rules for matrix products (``nn.Linear`` is ``addmm``) and losses."""

from __future__ import annotations

from .base import REDUCTIONS, Saved, Spec, operand


def _mm(s: Saved) -> Spec:
    ops = s.tensor(0, "A", s.get("self")) + s.tensor(1, "B", s.get("mat2"))
    return Spec("matmul", "{A}·{B}", ("A", "B"),
                {"A": "{grad_out} · {B}ᵀ", "B": "{A}ᵀ · {grad_out}"}, ops)


def _bmm(s: Saved) -> Spec:
    """A batch of matrix products: the mm rule in each batch (ᵀ swaps the last two dims)."""
    ops = s.tensor(0, "A", s.get("self")) + s.tensor(1, "B", s.get("mat2"))
    return Spec("matmul", "{A}·{B}", ("A", "B"),
                {"A": "{grad_out} · {B}ᵀ", "B": "{A}ᵀ · {grad_out}"}, ops)


def _addmm(s: Saved) -> Spec:
    """``β·c + α·A·B`` (``nn.Linear``: ``b + x·Wᵀ``); the bias sums the rows' gradients."""
    alpha, beta = s.get("alpha", 1), s.get("beta", 1)
    ops = s.tensor(1, "A", s.get("mat1")) + s.tensor(2, "B", s.get("mat2"))
    a, c = ("{alpha}·" if alpha != 1 else ""), ("{beta}·" if beta != 1 else "")
    ops += ([operand("alpha", alpha)] if alpha != 1 else []) + (
        [operand("beta", beta)] if beta != 1 else [])
    spec = Spec("addmm", f"{c}{{c}} + {a}{{A}}·{{B}}", ("c", "A", "B"),
                {"c": c + "{grad_out}", "A": a + "{grad_out} · {B}ᵀ",
                 "B": a + "{A}ᵀ · {grad_out}"}, ops, summed=("c",))
    return spec


def _dot(s: Saved) -> Spec:
    ops = s.tensor(0, "a", s.get("self")) + s.tensor(1, "b", s.get("tensor"))
    return Spec("matmul", "{a}·{b}", ("a", "b"),
                {"a": "{grad_out} · {b}", "b": "{grad_out} · {a}"}, ops)


def _mv(s: Saved) -> Spec:
    ops = s.tensor(0, "A", s.get("self")) + s.tensor(1, "v", s.get("vec"))
    return Spec("matmul", "{A}·{v}", ("A", "v"),
                {"A": "{grad_out} ⊗ {v}", "v": "{A}ᵀ · {grad_out}"}, ops)


def _reduction(s: Saved, ops: list, count) -> str:
    """`` / {N}`` for a mean loss (adds N and the reduction to ``ops``)."""
    reduction = REDUCTIONS.get(s.get("reduction", 1), "mean")
    scale = ""
    if reduction == "mean" and count is not None:
        ops.append(operand("N", count))
        scale = " / {N}"
    ops.append(operand("reduction", reduction))
    return scale


def _mse(s: Saved) -> Spec:
    x, t = s.get("self"), s.get("target")
    ops = s.tensor(0, "ŷ", x) + s.tensor(1, "y", t)
    scale = _reduction(s, ops, x.numel() if x is not None else None)
    diff = "2·({ŷ} - {y}) ⊙ {grad_out}" + scale
    return Spec("mse", "mse({ŷ}, {y})", ("ŷ", "y"), {"ŷ": diff, "y": "-" + diff}, ops)


def _nll(s: Saved) -> Spec:
    w = s.get("weight")
    ops = s.operand("z", s.get("self")) + s.operand("t", s.get("target"), const=True)
    picked = "onehot({t})" if w is None else "{w}[{t}] ⊙ onehot({t})"
    ops += s.operand("w", w, const=True)
    formula = "-{grad_out} · " + picked
    reduction = REDUCTIONS.get(s.get("reduction", 1), "mean")
    total = s.get("total_weight")
    if reduction == "mean" and total is not None and float(total) != 1:  # "/ 1" says nothing
        ops.append(operand("W", total, const=True))
        formula += " / {W}"
    ops.append(operand("reduction", reduction))
    return Spec("nll", "nll({z}, {t})", ("z",), {"z": formula}, ops)


def _bce(s: Saved) -> Spec:
    """Binary cross-entropy ``-(y·ln p + (1-y)·ln(1-p))``: ``(p - y) / (p·(1-p))`` for p,
    ``ln(1-p) - ln p`` for a target that needs a gradient too."""
    p, w = s.get("self"), s.get("weight")
    ops = s.operand("p", p) + s.operand("y", s.get("target"), const=True)
    ops += s.operand("w", w, const=True)
    scale = _reduction(s, ops, p.numel() if p is not None else None)
    weight = "{w} ⊙ " if w is not None else ""
    return Spec("bce", "bce({p}, {y})", ("p", "y"),
                {"p": weight + "{grad_out} ⊙ ({p} - {y}) / ({p} ⊙ (1 - {p}))" + scale,
                 "y": weight + "{grad_out} ⊙ (ln(1 - {p}) - ln({p}))" + scale}, ops)


RULES = {
    "MmBackward0": _mm,
    "AddmmBackward0": _addmm,
    "BmmBackward0": _bmm,
    "DotBackward0": _dot,
    "MvBackward0": _mv,
    "MseLossBackward0": _mse,
    "NllLossBackward0": _nll,
    "BinaryCrossEntropyBackward0": _bce,
}
