"""How a call's arguments are split into tensors and literal parameters.

:func:`split_arguments` reads a call's syntax tree against a
:class:`~gradviz.core.functions.FunctionSpec`: tensor arguments are any
sub-expression, parameters (``dim``, ``keepdim``...) plain literals of the
type :data:`PARAM_TYPES` names.
"""

from __future__ import annotations

import ast
import difflib
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from gradviz.core.functions import FunctionSpec

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
