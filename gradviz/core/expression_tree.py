"""Check a parsed expression against the allowlist and turn it into a plan.

The walk uses an explicit stack, never Python recursion, so a deep tree cannot
exhaust the interpreter's stack; nodes and depth are capped as it goes.
"""

from __future__ import annotations

import ast
import difflib
import math

from gradviz.core.errors import InputError
from gradviz.core.expression_plan import BINARY_OPERATORS, BinOp, Call, Const, Neg, Var
from gradviz.core.functions import (
    FUNCTION_NAMES,
    FUNCTIONS,
    ArgumentProblem,
    FunctionSpec,
    resolve_function,
    signed_number,
    split_arguments,
)
from gradviz.core.math_text import math_text

_OPERATOR_SYMBOLS = {
    ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/", ast.Pow: "**",
    ast.MatMult: "@", ast.Mod: "%", ast.FloorDiv: "//", ast.LShift: "<<",
    ast.RShift: ">>", ast.BitOr: "|", ast.BitXor: "^", ast.BitAnd: "&",
}
_ALLOWED = ("allowed: numbers, variables, pi, e, + - * / ** @, comparisons like x > 0, "
            "parentheses, calls like sin(x)")
_COMPARISONS = {ast.Lt: "<", ast.LtE: "<=", ast.Gt: ">", ast.GtE: ">=", ast.Eq: "==",
                ast.NotEq: "!="}
_FORBIDDEN = {
    "Attribute": "attribute access (only function names take the prefix torch. or F.)",
    "Subscript": "subscripts like x[0]",
    "Slice": "slices",
    "Compare": "chained comparisons like 0 < x < 1 (write one comparison)",
    "BoolOp": "`and` / `or`",
    "IfExp": "conditional expressions (a if c else b)",
    "Lambda": "`lambda`",
    "ListComp": "comprehensions",
    "SetComp": "comprehensions",
    "DictComp": "comprehensions",
    "GeneratorExp": "comprehensions",
    "JoinedStr": "f-strings",
    "FormattedValue": "f-strings",
    "List": "lists (vectors and matrices come from variables, e.g. x = [1, 2, 3])",
    "Tuple": "tuples (vectors and matrices come from variables)",
    "Set": "sets",
    "Dict": "dicts",
    "NamedExpr": "`:=` assignments",
    "Starred": "`*` unpacking",
    "Await": "`await`",
    "Yield": "`yield`",
    "YieldFrom": "`yield`",
}
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

    def fail(self, message: str, code: str, column: int | None, **params) -> InputError:
        return self.error(message, code=code, params=params, text=self.text, column=column)

    def column(self, node: ast.AST) -> int:
        return self.offset + getattr(node, "col_offset", 0)

    def single_expression(self, module: ast.Module) -> ast.expr:
        body = module.body
        if not body:
            raise self.fail("the expression is empty (only a comment?)", "empty", None)
        if len(body) > 1:
            raise self.fail("only one expression is allowed (`;` starts a second statement)",
                            "forbidden_syntax", self.column(body[1]))
        stmt = body[0]
        if isinstance(stmt, ast.Expr):
            return stmt.value
        if isinstance(stmt, (ast.Assign, ast.AugAssign, ast.AnnAssign)):
            message = "assignment (`=`) is not allowed: give values in the variables table"
        elif isinstance(stmt, (ast.Import, ast.ImportFrom)):
            message = "imports are not allowed"
        else:
            message = f"a `{type(stmt).__name__}` statement is not allowed; write one expression"
        raise self.fail(message, "forbidden_syntax", self.column(stmt))

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
            raise self.fail(f"the expression has more than {self.max_nodes} parts",
                            "too_many_nodes", self.column(node), limit=self.max_nodes)
        if depth > self.max_depth:
            raise self.fail(f"the expression is nested more than {self.max_depth} levels deep",
                            "too_deep", self.column(node), limit=self.max_depth)

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
            raise self.fail("only < <= > >= == != compare values", "forbidden_syntax",
                            self.column(node), syntax=type(node.ops[0]).__name__)
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
        what = _FORBIDDEN.get(kind, f"`{kind}`")
        return self.fail(f"not allowed in an expression: {what}; {_ALLOWED}",
                         "forbidden_syntax", column, syntax=kind)

    def constant(self, node: ast.Constant) -> Const:
        value = node.value
        if type(value) in (int, float):
            return Const(_as_float(value), self.column(node))
        if isinstance(value, bool):
            message = f"`{value}` is only allowed as a keyword value, like keepdim=True"
        elif isinstance(value, (str, bytes)):
            message = "strings are not allowed in an expression"
        elif isinstance(value, complex):
            message = "complex numbers are not allowed"
        else:
            message = f"`{value!r}` is not allowed in an expression"
        raise self.fail(f"{message}; {_ALLOWED}", "forbidden_syntax", self.column(node),
                        syntax="Constant")

    def name(self, node: ast.Name) -> Const | Var:
        name, column = node.id, self.column(node)
        if name in _CONSTANTS:
            return Const(_CONSTANTS[name], column)
        if name in FUNCTIONS:
            message = f"`{name}` is a function: call it, like {name}(x)"
        elif name in _RESERVED:
            message = f"`{name}` is only allowed as a prefix of a function, like torch.sin(x)"
        elif name.startswith("__"):
            message = f"`{name}`: names starting with `__` are not allowed"
        else:
            self.names.append((column, name))
            return Var(name, column)
        raise self.fail(message, "unknown_name", column, name=name)

    def unary(self, node: ast.UnaryOp, depth: int) -> list[tuple]:
        if not isinstance(node.op, (ast.USub, ast.UAdd)):
            symbol = "not" if isinstance(node.op, ast.Not) else "~"
            raise self.fail(f"`{symbol}` is not allowed; {_ALLOWED}", "forbidden_syntax",
                            self.column(node), syntax=symbol)
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
            raise self.fail(f"the operator `{symbol}` is not allowed; {_ALLOWED}",
                            "forbidden_syntax", column, syntax=symbol)
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
            raise self.fail(problem.message, problem.code, self.column(problem.node),
                            **problem.params) from None
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
            raise self.fail(f"only functions from the table can be called; {_ALLOWED}",
                            "forbidden_syntax", self.column(func))
        written = ".".join([base.id, *reversed(parts)])
        spec = resolve_function(written)
        if spec is not None:
            return spec, written
        if parts and base.id not in _RESERVED:
            raise self.forbidden(func)
        close = difflib.get_close_matches(written, FUNCTION_NAMES, n=3)
        hint = f"; did you mean {' or '.join(f'`{c}`' for c in close)}?" if close else ""
        raise self.fail(f"`{written}` is not a known function{hint}", "unknown_function",
                        self.column(func), name=written, suggestions=close)
