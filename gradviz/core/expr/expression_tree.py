"""Check a parsed expression against the allowlist and turn it into a plan.

The walk uses an explicit stack, never Python recursion, so a deep tree cannot
exhaust the interpreter's stack; nodes and depth are capped as it goes.
"""

from __future__ import annotations

import ast
import difflib
import math

from gradviz.core.errors import InputError
from gradviz.core.expr.expression_plan import BINARY_OPERATORS, BinOp, Call, Const, Neg, Var
from gradviz.core.expr.functions import (
    FUNCTION_NAMES,
    FUNCTIONS,
    ArgumentProblem,
    FunctionSpec,
    resolve_function,
    signed_number,
    split_arguments,
)
from gradviz.core.expr.math_text import math_text

_OPERATOR_SYMBOLS = {
    ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/", ast.Pow: "**",
    ast.MatMult: "@", ast.Mod: "%", ast.FloorDiv: "//", ast.LShift: "<<",
    ast.RShift: ">>", ast.BitOr: "|", ast.BitXor: "^", ast.BitAnd: "&",
}
_COMPARISONS = {ast.Lt: "<", ast.LtE: "<=", ast.Gt: ">", ast.GtE: ">=", ast.Eq: "==",
                ast.NotEq: "!="}
_FORBIDDEN = frozenset({
    "Attribute", "Subscript", "Slice", "Compare", "BoolOp", "IfExp", "Lambda", "ListComp",
    "SetComp", "DictComp", "GeneratorExp", "JoinedStr", "FormattedValue", "List", "Tuple",
    "Set", "Dict", "NamedExpr", "Starred", "Await", "Yield", "YieldFrom",
})
# Constructs whose error says more than "not allowed" (error_messages.MESSAGES).
_FORBIDDEN_CODES = {"Attribute": "forbidden_attribute", "Compare": "chained_comparison",
                    "List": "forbidden_list", "Tuple": "forbidden_list"}
_RESERVED = frozenset({"torch", "F", "nn", "functional"})
_CONSTANTS = {"pi": math.pi, "e": math.e}


def _as_float(value: int | float) -> float:
    try:
        return float(value)
    except OverflowError:
        return math.copysign(math.inf, value)


def build_plan(module: ast.Module, text: str, offset: int, error: type[InputError], *,
               max_nodes: int, max_depth: int) -> tuple[object, tuple[str, ...], tuple[str, ...]]:
    """Check ``module`` (parsed from ``text``) and return (plan, variables, functions)."""
    builder = _Builder(text, offset, error, max_nodes, max_depth)
    return builder.build(builder.single_expression(module))


class _Builder:
    def __init__(self, text, offset, error, max_nodes, max_depth) -> None:
        self.text, self.offset, self.error = text, offset, error
        self.max_nodes, self.max_depth = max_nodes, max_depth
        self.nodes = 0
        self.names: list[tuple[int, str]] = []
        self.calls: list[tuple[int, str]] = []

    def fail(self, code: str, column: int | None, **params) -> InputError:
        return self.error(code, params, text=self.text, column=column)

    def snippet(self, node: ast.AST) -> str:
        """The user's own text of ``node`` (typed input is one line), shortened."""
        start = self.offset + getattr(node, "col_offset", 0)
        text = self.text[start:self.offset + getattr(node, "end_col_offset", start)]
        return text if len(text) <= 40 else text[:37] + "..."

    def column(self, node: ast.AST) -> int:
        return self.offset + getattr(node, "col_offset", 0)

    def single_expression(self, module: ast.Module) -> ast.expr:
        body = module.body
        if not body:
            raise self.fail("empty", None)
        if len(body) > 1:
            raise self.fail("one_expression", self.column(body[1]),
                            construct=self.snippet(body[1]))
        stmt = body[0]
        if isinstance(stmt, ast.Expr):
            return stmt.value
        if isinstance(stmt, (ast.Assign, ast.AugAssign, ast.AnnAssign)):
            raise self.fail("assignment", self.column(stmt))
        raise self.fail("one_expression", self.column(stmt), construct=self.snippet(stmt))

    def build(self, root: ast.expr):
        stack: list[tuple] = [("visit", root, 1)]
        values: list = []
        while stack:
            entry = stack.pop()
            if entry[0] == "value":
                values.append(entry[1])
            elif entry[0] == "make":
                _, make, count = entry
                args = values[len(values) - count:]
                del values[len(values) - count:]
                values.append(make(*args))
            else:
                stack.extend(self.visit(entry[1], entry[2]))
        ordered = tuple(dict.fromkeys(name for _, name in sorted(self.names)))
        functions = tuple(dict.fromkeys(name for _, name in sorted(self.calls)))
        return values[0], ordered, functions

    def count(self, node: ast.AST, depth: int, nodes: int = 1) -> None:
        self.nodes += nodes
        if self.nodes > self.max_nodes:
            raise self.fail("too_many_nodes", self.column(node), limit=self.max_nodes)
        if depth > self.max_depth:
            raise self.fail("too_deep", self.column(node), limit=self.max_depth)

    def visit(self, node: ast.AST, depth: int) -> list[tuple]:
        """Check one node; return stack entries (pushed in reverse order of running)."""
        self.count(node, depth)
        if isinstance(node, ast.Constant):
            return [("value", self.constant(node))]
        if isinstance(node, ast.Name):
            return [("value", self.name(node))]
        if isinstance(node, ast.UnaryOp):
            return self.unary(node, depth)
        if isinstance(node, ast.BinOp):
            return self.binary(node, depth)
        if isinstance(node, ast.Call):
            return self.call(node, depth)
        if isinstance(node, ast.Compare) and len(node.ops) == 1:
            return self.compare(node, depth)
        raise self.forbidden(node)

    def compare(self, node: ast.Compare, depth: int) -> list[tuple]:
        """``a > b`` (one comparison): a bool tensor, for ``where`` or as a 0/1 factor."""
        symbol = _COMPARISONS.get(type(node.ops[0]))
        if symbol is None:
            raise self.fail("forbidden_syntax", self.column(node), construct=self.snippet(node),
                            syntax=type(node.ops[0]).__name__)
        column = self.offset + node.left.end_col_offset
        while column < len(self.text) and self.text[column] in " \t)":
            column += 1
        source = math_text(self.text[self.offset + node.col_offset:
                                     self.offset + node.end_col_offset])
        make = lambda left, right: BinOp(symbol, left, right, column, source)  # noqa: E731
        return [("make", make, 2), ("visit", node.comparators[0], depth + 1),
                ("visit", node.left, depth + 1)]

    def forbidden(self, node: ast.AST) -> InputError:
        kind = type(node).__name__
        column = self.column(node)
        if isinstance(node, ast.Attribute):
            column = self.text.find(".", self.offset + node.value.end_col_offset)
        return self.fail(_FORBIDDEN_CODES.get(kind, "forbidden_syntax"), column,
                         construct=self.snippet(node), syntax=kind)

    def constant(self, node: ast.Constant) -> Const:
        value = node.value
        if type(value) in (int, float):
            return Const(_as_float(value), self.column(node))
        code = "bool_literal" if isinstance(value, bool) else "forbidden_syntax"
        raise self.fail(code, self.column(node), construct=self.snippet(node),
                        syntax="Constant")

    def name(self, node: ast.Name) -> Const | Var:
        name, column = node.id, self.column(node)
        if name in _CONSTANTS:
            return Const(_CONSTANTS[name], column)
        if name in FUNCTIONS:
            raise self.fail("function_not_called", column, name=name, call=name)
        if name in _RESERVED:
            raise self.fail("prefix_only", column, name=name)
        if name.startswith("__"):
            raise self.fail("reserved_name", column, name=name)
        self.names.append((column, name))
        return Var(name, column)

    def unary(self, node: ast.UnaryOp, depth: int) -> list[tuple]:
        if not isinstance(node.op, (ast.USub, ast.UAdd)):
            symbol = "not" if isinstance(node.op, ast.Not) else "~"
            raise self.fail("forbidden_syntax", self.column(node), construct=symbol,
                            syntax=symbol)
        number = signed_number(node)
        if number is not None:
            return [("value", Const(_as_float(number), self.column(node)))]
        negative, inner = False, node
        while isinstance(inner, ast.UnaryOp) and isinstance(inner.op, (ast.USub, ast.UAdd)):
            negative ^= isinstance(inner.op, ast.USub)
            inner = inner.operand
        column = self.column(node)
        make = (lambda x: Neg(x, column)) if negative else (lambda x: x)
        return [("make", make, 1), ("visit", inner, depth + 1)]

    def binary(self, node: ast.BinOp, depth: int) -> list[tuple]:
        symbol = _OPERATOR_SYMBOLS.get(type(node.op), "?")
        column = self.operator_column(node)
        if symbol not in BINARY_OPERATORS:
            code = "caret_operator" if symbol == "^" else "forbidden_syntax"
            raise self.fail(code, column, construct=symbol, syntax=symbol)
        make = lambda left, right: BinOp(symbol, left, right, column)  # noqa: E731
        return [("make", make, 2), ("visit", node.right, depth + 1),
                ("visit", node.left, depth + 1)]

    def operator_column(self, node: ast.BinOp) -> int:
        column = self.offset + node.left.end_col_offset
        while column < len(self.text) and self.text[column] in " \t)":
            column += 1
        return column

    def call(self, node: ast.Call, depth: int) -> list[tuple]:
        spec, written = self.function(node.func)
        column = self.column(node)
        self.calls.append((column, spec.name))
        try:
            tensors, params, index = split_arguments(spec, written, node)
        except ArgumentProblem as problem:
            raise self.fail(problem.code, self.column(problem.node), **problem.params) from None
        self.count(node, depth, len(params))
        items = tuple(params.items())
        make = lambda *args: Call(spec, written, args, items, column)  # noqa: E731
        entries: list[tuple] = [("make", make, len(tensors))]
        if index:  # an integer class index: an int64 tensor, not a float literal
            target = tensors.pop()
            entries.append(("value", Const(signed_number(target), self.column(target), True)))
        entries.extend(("visit", arg, depth + 1) for arg in reversed(tensors))
        return entries

    def function(self, func: ast.expr) -> tuple[FunctionSpec, str]:
        parts, base = [], func
        while isinstance(base, ast.Attribute):
            parts.append(base.attr)
            base = base.value
        if not isinstance(base, ast.Name):
            if isinstance(func, ast.Attribute) or type(base).__name__ in _FORBIDDEN:
                raise self.forbidden(func if isinstance(func, ast.Attribute) else base)
            raise self.fail("forbidden_syntax", self.column(func), construct=self.snippet(func))
        written = ".".join([base.id, *reversed(parts)])
        spec = resolve_function(written)
        if spec is not None:
            return spec, written
        if parts and base.id not in _RESERVED:
            raise self.forbidden(func)
        close = difflib.get_close_matches(written, FUNCTION_NAMES, n=3)
        raise self.fail("unknown_function_close" if close else "unknown_function",
                        self.column(func), name=written, suggestions=close)
