"""Node labels a student recognises: the user's names, the literals they wrote.

torchviz names a saved tensor after the attribute that holds it (``self``,
``other``, ``vec``: names of PyTorch's C++ code, and with "last label wins"
when one tensor is saved twice), gives the output the label ``()`` and every
scalar a ``()`` shape line. Here:

- a tensor node is its name, with a shape line only when it is not a scalar;
- a saved tensor is named after what it *is*: the user's variable
  (``x (saved)``), the literal it holds (``5``), or the op that produced it
  (``relu(…)``), the same whichever attribute saved it;
- the output is named after what it is (:func:`output_names`: ``y``, or
  ``loss`` for a loss function at the top);
- a function node is its class name, under the sub-expression it computes
  when one is known (:func:`function_label`; the UI draws the class name
  smaller).

Label composition lives here only, so every caller composes the same way.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping, Sequence
from typing import Any

import torch

from .formatting import format_compact

SAVED_PREFIX = "_saved_"
SAVED_SUFFIX = " (saved)"
#: Backward classes of loss functions: their output is named ``loss``.
LOSS_OPS = re.compile(r"(NllLoss|MseLoss|L1Loss|SmoothL1Loss|HuberLoss|BinaryCrossEntropy"
                      r"|KlDiv|SoftMarginLoss|MultiMarginLoss|MultilabelMarginLoss|CrossEntropy)")
_OUTPUT_ALTERNATIVES = ("y", "f", "out", "output", "result")
_BACKWARD_SUFFIX = re.compile(r"Backward\d*$")
_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")


def tensor_label(name: str, shape: Sequence[int]) -> str:
    """``x`` for a scalar, ``W\\n(3, 4)`` for a tensor (torchviz's shape line)."""
    if not len(shape):
        return name
    return f"{name}\n(" + ", ".join(str(int(d)) for d in shape) + ")"


def function_label(op: str, expression: str | None = None) -> str:
    """A function node's label: its class name, under its sub-expression if known."""
    return f"{expression}\n{op}" if expression else op


def forward_name(op: str) -> str:
    """The forward op of a backward class: ``LogSoftmaxBackward0`` → ``log_softmax``."""
    base = _BACKWARD_SUFFIX.sub("", op) or op
    return _CAMEL.sub("_", base).lower()


def saved_name(t: torch.Tensor, names: Mapping[int, str], saver: Any = None) -> str:
    """What a saved tensor is, in the user's words (see the module docstring).

    ``names`` maps ``id(tensor)`` to variable and parameter names; ``saver``
    is the backward node that saved it (its own output is its result).
    """
    name = names.get(id(t))
    if name:
        return name + SAVED_SUFFIX
    fn = t.grad_fn
    if fn is not None:
        return f"{forward_name(type(fn).__name__)}(…)"
    if t.numel() == 1 and t.layout == torch.strided and t.device.type != "meta":
        return format_compact(t.item(), decimal=".")
    return "constant"


def output_names(roots: Sequence[torch.Tensor], taken: Collection[str]) -> list[str]:
    """A name per output: ``loss`` when a loss function computed it, else ``y``;
    another one (``f``, ``out``…) when the user already uses it; numbered when
    there are several outputs (``y1``, ``y2``)."""
    out = []
    used = set(taken)
    for i, root in enumerate(roots):
        op = type(root.grad_fn).__name__ if root.grad_fn is not None else ""
        bases = ("loss", *_OUTPUT_ALTERNATIVES) if LOSS_OPS.match(op) else _OUTPUT_ALTERNATIVES
        suffix = str(i + 1) if len(roots) > 1 else ""
        name = next((b + suffix for b in bases if b + suffix not in used), None)
        name = name or f"output{i + 1}"
        used.add(name)
        out.append(name)
    return out


_SAVED_NAMES: dict[type, tuple[str, ...]] = {}


def saved_attr_names(fn: Any) -> tuple[str, ...]:
    """The ``_saved_*`` attributes of a backward node, in ``dir()`` order.

    Generated node classes declare them on the type, so they are listed once
    per type; a custom Function's node (``BackwardCFunction``) is asked each time.
    """
    kind = type(fn)
    names = _SAVED_NAMES.get(kind)
    if names is None:
        names = tuple(a for a in dir(fn) if a.startswith(SAVED_PREFIX))
        if kind.__name__ != "BackwardCFunction" and not hasattr(fn, "__dict__"):
            _SAVED_NAMES[kind] = names
    return names


def fn_attrs(fn: Any) -> dict[str, str]:
    """torchviz's attribute table for a backward node, as plain strings."""
    attrs: dict[str, str] = {}
    for attr in saved_attr_names(fn):
        try:
            val = getattr(fn, attr)
        except RuntimeError:
            continue
        name = attr[len(SAVED_PREFIX):]
        if torch.is_tensor(val):
            attrs[name] = "[saved tensor]"
        elif isinstance(val, tuple) and any(torch.is_tensor(t) for t in val):
            attrs[name] = "[saved tensors]"
        else:
            attrs[name] = str(_signed(val))
    return attrs


def _signed(val: Any) -> Any:
    """Dims that PyTorch saves as uint64 as the user wrote them: ``-1``, not 2**64 - 1."""
    if isinstance(val, int) and not isinstance(val, bool) and val >= 2**63:
        return val - 2**64
    if isinstance(val, tuple) and all(isinstance(v, int) for v in val):
        return tuple(_signed(v) for v in val)
    return val
