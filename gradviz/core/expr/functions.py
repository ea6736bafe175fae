"""The fixed table of torch functions that typed expressions may call.

Each function is callable by its short name (``sin``), by its ``torch.`` name
where torch has one (``torch.sin``), and by its ``F.`` /
``torch.nn.functional.`` name where that module has one (``F.relu``).
Arguments are split in two kinds:

- *tensor* arguments: any sub-expression; literals there become tensors;
- *parameters* (``dim``, ``keepdim``, ``negative_slope``...): plain number or
  bool literals, given by keyword or positionally after the tensors.

Defaults that differ from torch, chosen so every call has a meaning:
``softmax``/``log_softmax`` use ``dim=-1`` when no ``dim`` is given;
``logsumexp`` without ``dim`` reduces over all elements. ``max``/``min`` with
one tensor reduce to a scalar, with ``dim=`` they return the values only, and
with two tensors they are the elementwise ``maximum``/``minimum``. As in
torch, an integer literal after the tensor (``max(x, 1)``) is a ``dim``.
``where(condition, a, b)`` takes a comparison (``x > 0``) as its condition.
Class targets (``cross_entropy``) are integer tensors: a float target of
another shape than the input is refused with a hint (``y=long([2, 0])``).
How call arguments are read is :mod:`gradviz.core.expr.function_args`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import torch
import torch.nn.functional as F

from gradviz.core.expr.function_args import (  # noqa: F401  (re-exported: the table's public API)
    PARAM_TYPES,
    ArgumentProblem,
    signed_number,
    split_arguments,
)

_REDUCE = ("dim", "keepdim")


class CallArgumentError(ValueError):
    """A call's arguments don't fit together (found only when it runs): an error code
    (:mod:`gradviz.core.error_messages`) and its params."""

    def __init__(self, code: str, **params) -> None:
        super().__init__(code)
        self.code, self.params = code, params


@dataclass(frozen=True)
class FunctionSpec:
    """One callable function: how many tensors it takes and which parameters."""

    name: str
    impl: Callable[..., torch.Tensor]
    signature: str
    tensors: tuple[int, int] = (1, 1)
    params: tuple[str, ...] = ()
    in_torch: bool = True
    in_functional: bool = False
    index_target: bool = False  # an int literal 2nd tensor is a class index (long)


def _maximum_like(reduce: Callable, elementwise: Callable) -> Callable[..., torch.Tensor]:
    def call(a, b=None, *, dim=None, keepdim=None):
        if b is not None:
            if dim is not None or keepdim is not None:
                raise CallArgumentError("dim_with_two_tensors")
            return elementwise(a, b)
        if dim is None:
            if keepdim is not None:
                raise CallArgumentError("keepdim_needs_dim")
            return reduce(a)
        return reduce(a, dim, keepdim=bool(keepdim)).values

    return call


def _logsumexp(x, *, dim=None, keepdim=False):
    if dim is None:  # all elements; a 0-d tensor has one
        dim = tuple(range(x.dim())) or 0
    return torch.logsumexp(x, dim, keepdim=keepdim)


def _softmax_like(fn: Callable) -> Callable[..., torch.Tensor]:
    def call(x, *, dim=-1):
        return fn(x, dim)

    return call


def _where(condition, a, b):
    if condition.dtype != torch.bool:
        raise CallArgumentError("where_condition",
                                dtype=str(condition.dtype).removeprefix("torch."))
    return torch.where(condition, a, b)


def _cross_entropy(logits, target, **params):
    if target.is_floating_point() and target.shape != logits.shape:
        raise CallArgumentError("class_index_target", shape=list(logits.shape))
    return F.cross_entropy(logits, target, **params)


def _binary_cross_entropy(p, target):
    if not target.is_floating_point():
        raise CallArgumentError("probability_target")
    return F.binary_cross_entropy(p, target if target.dtype == p.dtype else target.to(p.dtype))


def _pass_kwargs(fn: Callable) -> Callable[..., torch.Tensor]:
    def call(*tensors, **params):
        return fn(*tensors, **params)

    return call


def _table() -> dict[str, FunctionSpec]:
    specs = [
        FunctionSpec(name, getattr(torch, name), f"{name}(input)")
        for name in (
            "sin cos tan asin acos atan sinh cosh exp log log2 log10 log1p sqrt rsqrt "
            "abs sign square detach"
        ).split()
    ]
    specs += [
        FunctionSpec("tanh", torch.tanh, "tanh(input)", in_functional=True),
        FunctionSpec("sigmoid", torch.sigmoid, "sigmoid(input)", in_functional=True),
        FunctionSpec("relu", torch.relu, "relu(input)", in_functional=True),
        FunctionSpec(
            "leaky_relu", _pass_kwargs(F.leaky_relu), "leaky_relu(input, negative_slope=0.01)",
            params=("negative_slope",), in_torch=False, in_functional=True,
        ),
        FunctionSpec(
            "elu", _pass_kwargs(F.elu), "elu(input, alpha=1.0)",
            params=("alpha",), in_torch=False, in_functional=True,
        ),
        FunctionSpec("gelu", F.gelu, "gelu(input)", in_torch=False, in_functional=True),
        FunctionSpec(
            "softplus", _pass_kwargs(F.softplus), "softplus(input, beta=1.0, threshold=20.0)",
            params=("beta", "threshold"), in_torch=False, in_functional=True,
        ),
        FunctionSpec("silu", F.silu, "silu(input)", in_torch=False, in_functional=True),
        FunctionSpec("pow", torch.pow, "pow(input, exponent)", tensors=(2, 2)),
    ]
    for name in ("sum", "mean", "prod", "amax", "amin"):
        specs.append(FunctionSpec(
            name, _pass_kwargs(getattr(torch, name)), f"{name}(input, dim=None, keepdim=False)",
            params=_REDUCE,
        ))
    specs += [
        FunctionSpec(
            "max", _maximum_like(torch.max, torch.maximum),
            "max(input) | max(input, dim, keepdim=False) | max(input, other)",
            tensors=(1, 2), params=_REDUCE,
        ),
        FunctionSpec(
            "min", _maximum_like(torch.min, torch.minimum),
            "min(input) | min(input, dim, keepdim=False) | min(input, other)",
            tensors=(1, 2), params=_REDUCE,
        ),
        FunctionSpec(
            "norm", _pass_kwargs(torch.norm), "norm(input, p=2, dim=None, keepdim=False)",
            params=("p", "dim", "keepdim"),
        ),
        FunctionSpec(
            "logsumexp", _logsumexp, "logsumexp(input, dim=all, keepdim=False)", params=_REDUCE
        ),
        FunctionSpec(
            "clamp", _pass_kwargs(torch.clamp), "clamp(input, min=None, max=None)",
            params=("min", "max"),
        ),
    ]
    for name in ("matmul", "mm", "dot", "outer"):
        specs.append(FunctionSpec(
            name, getattr(torch, name), f"{name}(input, other)", tensors=(2, 2)
        ))
    for name in ("softmax", "log_softmax"):
        specs.append(FunctionSpec(
            name, _softmax_like(getattr(torch, name)), f"{name}(input, dim=-1)",
            params=("dim",), in_functional=True,
        ))
    for name, impl in (("mse_loss", F.mse_loss), ("l1_loss", F.l1_loss),
                       ("binary_cross_entropy", _binary_cross_entropy)):
        specs.append(FunctionSpec(
            name, impl, f"{name}(input, target)", tensors=(2, 2),
            in_torch=False, in_functional=True,
        ))
    specs.append(FunctionSpec("where", _where, "where(condition, input, other)", tensors=(3, 3)))
    specs.append(FunctionSpec(
        "cross_entropy", _cross_entropy,
        "cross_entropy(input, target, label_smoothing=0.0)", tensors=(2, 2),
        params=("label_smoothing",), in_torch=False, in_functional=True, index_target=True,
    ))
    return {spec.name: spec for spec in specs}


#: Canonical short name -> spec.
FUNCTIONS: dict[str, FunctionSpec] = _table()

TORCH_PREFIX = "torch."
FUNCTIONAL_PREFIXES = ("F.", "torch.nn.functional.")


def _call_names() -> tuple[str, ...]:
    names = []
    for spec in FUNCTIONS.values():
        names.append(spec.name)
        if spec.in_torch:
            names.append(TORCH_PREFIX + spec.name)
        if spec.in_functional:
            names.extend(prefix + spec.name for prefix in FUNCTIONAL_PREFIXES)
    return tuple(sorted(names))


#: Every accepted call name, short and dotted, sorted (for colouring and completion).
FUNCTION_NAMES: tuple[str, ...] = _call_names()
_CALL_NAME_SET = frozenset(FUNCTION_NAMES)


def resolve_function(dotted: str) -> FunctionSpec | None:
    """The spec that the call name ``dotted`` (``sin``, ``torch.sin``, ``F.relu``) means."""
    if dotted not in _CALL_NAME_SET:
        return None
    return FUNCTIONS[dotted.rsplit(".", 1)[-1]]
