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
"""

from __future__ import annotations

import ast
import difflib
from collections.abc import Callable
from dataclasses import dataclass

import torch
import torch.nn.functional as F

#: Parameter name -> the Python type its literal must have.
PARAM_TYPES: dict[str, type] = {
    "dim": int,
    "keepdim": bool,
    "negative_slope": float,
    "alpha": float,
    "beta": float,
    "threshold": float,
    "min": float,
    "max": float,
    "p": float,
    "label_smoothing": float,
}

_REDUCE = ("dim", "keepdim")


class CallArgumentError(ValueError):
    """A call's arguments don't fit together (found only when it runs)."""


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
                raise CallArgumentError("dim= and keepdim= need a single tensor argument")
            return elementwise(a, b)
        if dim is None:
            if keepdim is not None:
                raise CallArgumentError("keepdim= needs dim=")
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
    for name in ("mse_loss", "l1_loss", "binary_cross_entropy"):
        specs.append(FunctionSpec(
            name, getattr(F, name), f"{name}(input, target)", tensors=(2, 2),
            in_torch=False, in_functional=True,
        ))
    specs.append(FunctionSpec(
        "cross_entropy", _pass_kwargs(F.cross_entropy),
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


class ArgumentProblem(Exception):
    """Arguments that don't fit a function; ``node`` is where (made an error by the caller)."""

    def __init__(self, message: str, code: str, node: ast.AST, **params) -> None:
        super().__init__(message)
        self.message, self.code, self.node, self.params = message, code, node, params


_TYPE_WORDS = {int: "an integer like 0 or -1", bool: "True or False", float: "a number like 0.5"}


def signed_number(node: ast.AST) -> int | float | None:
    """The value of a number literal with optional signs (``-2``, ``+-1.5``), else None."""
    sign = 1
    while isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
        sign = -sign if isinstance(node.op, ast.USub) else sign
        node = node.operand
    if isinstance(node, ast.Constant) and type(node.value) in (int, float):
        return sign * node.value
    return None


def _is_int_literal(node: ast.AST) -> bool:
    return type(signed_number(node)) is int


def split_arguments(
    spec: FunctionSpec, written: str, call: ast.Call
) -> tuple[list[ast.expr], dict[str, object], bool]:
    """Split a call's arguments into tensor nodes and literal parameters.

    Returns (tensor argument nodes, parameters, whether the second tensor is an
    integer class index). Raises :class:`ArgumentProblem`.
    """
    tensors: list[ast.expr] = []
    params: dict[str, object] = {}
    low, high = spec.tensors
    for position, arg in enumerate(call.args):
        if isinstance(arg, ast.Starred):
            raise ArgumentProblem("`*` unpacking is not allowed", "forbidden_syntax", arg)
        if position < low or (position < high and not (spec.params and _is_int_literal(arg))):
            tensors.append(arg)
            continue
        slot = position - len(tensors)
        if slot >= len(spec.params):
            raise ArgumentProblem(f"too many arguments for `{written}`: {spec.signature}",
                                  "wrong_arguments", arg, function=spec.name)
        params[spec.params[slot]] = _param_value(spec.params[slot], arg)
    for keyword in call.keywords:
        _add_keyword(spec, written, keyword, params)
    if len(tensors) < low:
        raise ArgumentProblem(
            f"`{written}` needs {low} tensor argument{'s' if low > 1 else ''}, "
            f"got {len(tensors)}: {spec.signature}", "wrong_arguments", call, function=spec.name)
    index = spec.index_target and len(tensors) > 1 and _is_int_literal(tensors[1])
    return tensors, params, index


def _add_keyword(spec: FunctionSpec, written: str, keyword: ast.keyword, params: dict) -> None:
    name = keyword.arg
    if name is None:
        raise ArgumentProblem("`**` unpacking is not allowed", "forbidden_syntax", keyword)
    if name == "out":
        raise ArgumentProblem("`out=` is not allowed: each call makes a new tensor",
                              "bad_keyword", keyword, keyword_name=name)
    if name not in spec.params:
        allowed = ", ".join(f"{p}=" for p in spec.params)
        close = difflib.get_close_matches(name, spec.params, n=1)
        hint = f"; did you mean `{close[0]}=`?" if close else ""
        rest = f"its keywords are {allowed}" if allowed else "it takes no keywords"
        raise ArgumentProblem(f"`{name}=` is not a keyword of `{written}`: {rest}{hint}",
                              "bad_keyword", keyword, keyword_name=name)
    if name in params:
        raise ArgumentProblem(f"`{name}` is given twice", "wrong_arguments", keyword,
                              keyword_name=name)
    params[name] = _param_value(name, keyword.value)


def _param_value(name: str, node: ast.expr) -> object:
    wanted = PARAM_TYPES[name]
    if isinstance(node, ast.Constant) and type(node.value) is bool:
        value: object = node.value
    else:
        value = signed_number(node)
    if wanted is bool and type(value) is bool:
        return value
    if wanted is int and type(value) is int:
        return value
    if wanted is float and type(value) in (int, float):
        return float(value)
    raise ArgumentProblem(f"`{name}=` must be {_TYPE_WORDS[wanted]} written as a literal",
                          "bad_keyword", node, keyword_name=name)
