"""What every rule builds on: :class:`Spec`, :class:`Saved` and operands.

Templates are math, never sentences: ``{name}`` stands for an operand or a
forward input (``{grad_out}`` is the incoming gradient, ``{out}`` the op's own
result, written as its forward expression), ``{#word}`` for one of the few
translatable words of :data:`gradviz.core.explain.text.WORDS`. ``⊙`` is the
elementwise product, ``·`` a matrix or scalar product, ``ᵀ`` a transpose,
``⊗`` an outer product, ``[…]`` an Iverson bracket (1 where true, else 0).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import torch

from ...graph.formatting import format_number
from ...graph.values import summarize

# PyTorch's loss reductions, as stored in ``_saved_reduction`` (at::Reduction).
REDUCTIONS = {0: "none", 1: "mean", 2: "sum"}
_WRAP = 2**64  # dims saved as uint64: -1 reads 18446744073709551615


@dataclass
class Spec:
    """What a backward node computes, independent of the gradients flowing through it."""

    rule: str
    forward: str | None  # e.g. "{x}^{n}"
    inputs: tuple[str, ...]  # placeholder of each next_functions entry
    formulas: dict[str, str]  # input placeholder -> gradient template
    operands: list[dict[str, Any]] = field(default_factory=list)
    elementwise: bool = False  # gradients are summed back over broadcast dimensions
    labels: dict[str, str] = field(default_factory=dict)  # known display of forward inputs
    summed: tuple[str, ...] = ()  # inputs summed back over broadcast dims (when not all are)


class Saved:
    """Read access to one grad_fn's saved values (None when absent or freed)."""

    def __init__(self, fn: Any, out_value: Any = None,
                 input_value: Callable[[int], Any] | None = None,
                 names: Mapping[int, str] | None = None,
                 constants: Sequence[tuple[str, list[float]]] = ()) -> None:
        self.fn = fn
        self._constants = constants  # the user's constant tensors: (name, flat values)
        self.out_value = out_value  # forward value of the op's output, when recorded
        self._input_value = input_value
        self._names = names or {}
        self.labels: dict[str, str] = {}  # placeholder -> the user's name of its tensor

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

    def dim(self, name: str = "dim") -> Any:
        """A saved dim (or dims) as the user wrote it: ``-1``, not 18446744073709551615."""
        return signed_dims(self.get(name))

    def constant_name(self, values: list[float]) -> str | None:
        """The name of the user's constant holding exactly ``values`` (None if none does)."""
        for name, held in self._constants:
            if len(held) == len(values) and all(
                    abs(a - b) <= 1e-6 * max(1.0, abs(b)) for a, b in zip(values, held)):
                return name
        return None

    def is_constant(self, index: int) -> bool:
        """True when input ``index`` needs no gradient (a constant in the forward)."""
        nexts = getattr(self.fn, "next_functions", ())
        return index >= len(nexts) or nexts[index][0] is None

    def operand(self, name: str, value: Any, *, const: bool = False) -> list[dict[str, Any]]:
        """``[operand]`` for a saved tensor, named after the user's variable when it is one."""
        if value is None:
            return []
        if torch.is_tensor(value) and id(value) in self._names:
            self.labels.setdefault(name, self._names[id(value)])
        return [operand(name, value, const=const)]

    def tensor(self, index: int, name: str, value: Any) -> list[dict[str, Any]]:
        """A saved input as an operand; a scalar constant input is substituted like a number."""
        if value is None:
            return []
        const = self.is_constant(index) and torch.is_tensor(value) and value.numel() == 1
        return self.operand(name, value, const=const)


def operand(name: str, value: Any, *, const: bool = False) -> dict[str, Any]:
    """An operand entry: a saved tensor (summarised) or a plain constant.

    Boolean masks become 0/1 so they read like the Iverson brackets they stand for.
    """
    if torch.is_tensor(value):
        if value.dtype == torch.bool:
            value = value.to(torch.int64)
        return {"name": name, "value": summarize(value), **({"const": True} if const else {})}
    if isinstance(value, tuple):
        value = list(value)
    return {"name": name, "value": value, "const": True}


def signed_dims(dim: Any) -> Any:
    """Dims as signed ints, one dim unwrapped from its tuple (``(-1,)`` → ``-1``)."""
    if isinstance(dim, (tuple, list)):
        dims = [signed_dims(d) for d in dim]
        return dims[0] if len(dims) == 1 else dims
    if isinstance(dim, int) and dim >= 2**63:
        return dim - _WRAP
    return dim


def dim_list(dim: Any, ndim: int) -> list[int]:
    """Non-negative dims of a reduction over ``ndim`` dimensions (None: all of them)."""
    if dim is None or dim == []:
        return list(range(ndim))
    dims = dim if isinstance(dim, list) else [dim]
    return [d % ndim if ndim else 0 for d in dims]


def number_text(v: float) -> str:
    """A number as a label: ``3`` for 3.0."""
    return format_number(int(v) if float(v).is_integer() else v)


def unary(rule: str, forward: str, formula: str, saved: str = "self", name: str = "x"):
    """A rule for ``f(x)`` whose gradient uses one saved tensor (``result`` reads ``{out}``)."""

    def build(s: Saved) -> Spec:
        value = s.get(saved)
        ops = s.operand(name, value) if value is not None else []
        return Spec(rule, forward, ("x",), {"x": formula}, ops, elementwise=True)

    return build
