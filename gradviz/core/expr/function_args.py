"""How a call's arguments are split into tensors and literal parameters.

:func:`split_arguments` reads a call's syntax tree against a
:class:`~gradviz.core.expr.functions.FunctionSpec`: tensor arguments are any
sub-expression, parameters (``dim``, ``keepdim``...) plain literals of the
type :data:`PARAM_TYPES` names.
"""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from gradviz.core.expr.functions import FunctionSpec

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

    def __init__(self, code: str, node: ast.AST, **params) -> None:
        super().__init__(code)
        self.code, self.node, self.params = code, node, params


_TYPE_CODES = {int: "keyword_integer", bool: "keyword_boolean", float: "keyword_number"}


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
            raise ArgumentProblem("forbidden_syntax", arg, construct="*")
        if position < low or (position < high and not (spec.params and _is_int_literal(arg))):
            tensors.append(arg)
            continue
        slot = position - len(tensors)
        if slot >= len(spec.params):
            raise ArgumentProblem("wrong_arguments", arg, function=written,
                                  signature=spec.signature)
        params[spec.params[slot]] = _param_value(spec.params[slot], arg)
    for keyword in call.keywords:
        _add_keyword(spec, written, keyword, params)
    if len(tensors) < low:
        raise ArgumentProblem("wrong_arguments", call, function=written,
                              signature=spec.signature)
    index = spec.index_target and len(tensors) > 1 and _is_int_literal(tensors[1])
    return tensors, params, index


def _add_keyword(spec: FunctionSpec, written: str, keyword: ast.keyword, params: dict) -> None:
    name = keyword.arg
    if name is None:
        raise ArgumentProblem("forbidden_syntax", keyword, construct="**")
    if name == "out":
        raise ArgumentProblem("out_keyword", keyword, keyword=name)
    if name not in spec.params:
        raise ArgumentProblem("unknown_keyword", keyword, keyword=name, function=written,
                              signature=spec.signature)
    if name in params:
        raise ArgumentProblem("keyword_twice", keyword, keyword=name)
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
    raise ArgumentProblem(_TYPE_CODES[wanted], node, keyword=name)
