"""The backward rule of each supported op, as templates over PyTorch's saved values.

Each rule reads a grad_fn's ``_saved_*`` attributes (through :class:`Saved`) and
returns a :class:`Spec` — the forward expression, a placeholder per
``next_functions`` entry, the gradient template for each input and the operands
those templates use — or None when it cannot state the gradient exactly (the
step then gets the generic explanation). Rules live by family:
:mod:`.arith`, :mod:`.pointwise`, :mod:`.reduce`, :mod:`.linalg`, :mod:`.shape`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import torch

from . import arith, linalg, pointwise, reduce, shape
from .base import REDUCTIONS, Saved, Spec, operand, signed_dims
from .shape import custom_function

__all__ = ["REDUCTIONS", "RULES", "Saved", "Spec", "operand", "rule_for", "signed_dims"]

#: grad_fn class name -> rule.
RULES: dict[str, Callable[[Saved], Spec | None]] = {
    **arith.RULES, **pointwise.RULES, **reduce.RULES, **linalg.RULES, **shape.RULES,
}


def rule_for(fn: Any) -> Callable[[Saved], Spec | None] | None:
    """The rule of ``fn`` by its class; a custom autograd Function gets the "custom" rule."""
    rule = RULES.get(type(fn).__name__)
    if rule is None and isinstance(fn, torch.autograd.function.BackwardCFunction):
        return lambda s: custom_function(s.fn)
    return rule
