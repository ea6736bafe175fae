"""Rules for ops that move values around: views, indexing, where, in-place writes.

Their gradient puts ``grad_out`` back where each value came from; the words
(``0 elsewhere``) are :data:`~gradviz.core.explain.text.WORDS`, translated by the UI.
"""

from __future__ import annotations

from typing import Any

import torch

from .base import Saved, Spec, operand, signed_dims

_END = 2**62  # a slice's end past this reads as "to the end"


def _sizes(s: Saved) -> list[int]:
    return [int(n) for n in s.get("self_sym_sizes", ())]


def _reshape(rule: str, forward: str):
    def build(s: Saved) -> Spec:
        return Spec(rule, forward, ("x",), {"x": "reshape({grad_out}, {shape})"},
                    [operand("shape", _sizes(s))])

    return build


def _t(s: Saved) -> Spec:
    return Spec("transpose", "{x}ᵀ", ("x",), {"x": "{grad_out}ᵀ"})


def _transpose(s: Saved) -> Spec:
    ops = [operand("d0", s.dim("dim0")), operand("d1", s.dim("dim1"))]
    return Spec("transpose", "transpose({x}, {d0}, {d1})", ("x",),
                {"x": "transpose({grad_out}, {d0}, {d1})"}, ops)


def _permute(s: Saved) -> Spec:
    dims = [int(d) for d in signed_dims(list(s.get("dims", ())))]
    n = len(dims)
    inverse = [0] * n
    for position, d in enumerate(dims):
        inverse[d % n] = position
    return Spec("permute", "permute({x}, {dims})", ("x",), {"x": "permute({grad_out}, {inv})"},
                [operand("dims", dims), operand("inv", inverse)])


def _expand(s: Saved) -> Spec:
    return Spec("expand", "expand({x})", ("x",), {"x": "sum_to({grad_out}, {shape})"},
                [operand("shape", _sizes(s))])


def _unsqueeze(s: Saved) -> Spec:
    return Spec("unsqueeze", "unsqueeze({x}, {dim})", ("x",),
                {"x": "squeeze({grad_out}, {dim})"}, [operand("dim", s.dim())])


def _placed(rule: str, forward: str, index: str, s: Saved, adds: bool = False) -> Spec:
    """``x[index]``: grad_out goes back to those places (added up if repeated), 0 elsewhere."""
    word = "{#added_at}" if adds else "{#placed_at}"
    formula = "{grad_out} " + word + " {x}[{index}], {#elsewhere}"
    return Spec(rule, forward, ("x",), {"x": formula},
                [operand("index", index), operand("shape", _sizes(s))])


def _select(s: Saved) -> Spec:
    dim, index = s.dim(), int(s.get("index"))
    text = ", ".join([":"] * (dim % max(len(_sizes(s)), 1)) + [str(index)])
    return _placed("select", "{x}[{index}]", text, s)


def _slice(s: Saved) -> Spec:
    dim, start, end, step = s.dim(), s.get("start"), s.get("end"), s.get("step", 1)
    start_text = "" if start in (None, 0) else str(signed_dims(start))
    end_text = "" if end is None or abs(signed_dims(end)) >= _END else str(signed_dims(end))
    part = f"{start_text}:{end_text}" + (f":{step}" if step != 1 else "")
    text = ", ".join([":"] * (dim % max(len(_sizes(s)), 1)) + [part])
    return _placed("slice", "{x}[{index}]", text, s)


def _index(s: Saved) -> Spec:
    parts = []
    for index in s.get("indices", ()):
        if index is None:
            parts.append(":")
        else:
            values = (index.to(torch.int64) if index.dtype == torch.bool else index).tolist()
            parts.append(str(values) if index.numel() <= 16 else f"[{index.numel()} indices]")
    return _placed("index", "{x}[{index}]", ", ".join(parts), s, adds=True)


def _gather(s: Saved) -> Spec:
    ops = s.operand("x", s.get("self")) + [operand("dim", s.dim()),
                                           operand("i", s.get("index"), const=True)]
    return Spec("gather", "gather({x}, {dim}, {i})", ("x",),
                {"x": "scatter_add(0, {dim}, {i}, {grad_out})"}, ops)


def _masked_fill(s: Saved) -> Spec:
    ops = [operand("mask", s.get("mask"), const=True)]
    return Spec("masked_fill", "masked_fill({x}, {mask})", ("x",),
                {"x": "{grad_out} ⊙ (1 - {mask})"}, ops)


def _where(s: Saved) -> Spec:
    ops = s.operand("cond", s.get("condition"), const=True)
    return Spec("where", "where({cond}, {a}, {b})", ("a", "b"),
                {"a": "{grad_out} ⊙ {cond}", "b": "{grad_out} ⊙ (1 - {cond})"}, ops,
                elementwise=True)


def _copy_slices(s: Saved) -> Spec:
    """An in-place write into part of a tensor (``y[0] = …``), PyTorch's CopySlices."""
    return Spec("copy_slices", "{base} ← {src}", ("base", "src"),
                {"base": "{grad_out}, {#written_zero}", "src": "{grad_out} {#at_written}"})


def custom_function(fn: Any) -> Spec:
    """A custom ``torch.autograd.Function``: the gradient is what the user's backward returned."""
    name = type(fn).__name__.removesuffix("Backward")
    count = len(getattr(fn, "next_functions", ()))
    inputs = tuple(f"in{i}" for i in range(count))
    formula = "{function}.backward({grad_out})" + ("[{index}]" if count > 1 else "")
    spec = Spec("custom", f"{name}({', '.join('{' + i + '}' for i in inputs)})", inputs,
                {i: formula.replace("{index}", str(n)) for n, i in enumerate(inputs)})
    spec.operands.append(operand("function", name))
    return spec


RULES = {
    "ViewBackward0": _reshape("view", "view({x})"),
    "UnsafeViewBackward0": _reshape("view", "view({x})"),
    "SqueezeBackward0": _reshape("squeeze", "squeeze({x})"),
    "SqueezeBackward1": _reshape("squeeze", "squeeze({x})"),
    "SqueezeBackward2": _reshape("squeeze", "squeeze({x})"),
    "UnsqueezeBackward0": _unsqueeze,
    "TBackward0": _t,
    "TransposeBackward0": _transpose,
    "PermuteBackward0": _permute,
    "ExpandBackward0": _expand,
    "SelectBackward0": _select,
    "SliceBackward0": _slice,
    "IndexBackward0": _index,
    "GatherBackward0": _gather,
    "MaskedFillBackward0": _masked_fill,
    "WhereBackward0": _where,
    "CopySlices": _copy_slices,
}
