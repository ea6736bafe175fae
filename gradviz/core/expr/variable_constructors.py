"""Constructor values of variables: ``randn(3, 4)``, ``linspace(0, 1, 5)``...

``long([2, 0])`` (or ``long(2)``) makes an integer (int64) tensor, for class
targets; its elements must be whole numbers, and it never needs a gradient.

Arguments are literals read from the syntax tree; integer arguments may use
``+ - * **`` on integer literals, computed with bounds so ``10**10**10``
is refused at once. Sizes are checked against the element cap before any
tensor is allocated.
"""

from __future__ import annotations

import ast
import math
import operator

import torch

from gradviz.core.expr.functions import signed_number

_SIGNATURES = {
    "zeros": "zeros(*sizes)",
    "ones": "ones(*sizes)",
    "randn": "randn(*sizes)",
    "rand": "rand(*sizes)",
    "full": "full(*sizes, value)",
    "eye": "eye(n, m=n)",
    "arange": "arange(end) | arange(start, end, step=1)",
    "linspace": "linspace(start, end, steps)",
    "long": "long([2, 0]) | long(2)",
}
CONSTRUCTORS = tuple(sorted(_SIGNATURES))
_INT_OPS = {ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul}
_MAX_ARG_NODES = 32
_MAX_INT = 2**62


def read_constructor(reader, node: ast.Call):
    """Check a constructor call; return ``make(dtype, generator) -> Tensor``."""
    name = _constructor_name(reader, node.func)
    if node.keywords:
        raise reader.fail("wrong_arguments", reader.column(node.keywords[0]), function=name,
                          signature=_SIGNATURES[name], note="(no keywords in values)")
    for arg in node.args:
        if isinstance(arg, ast.Starred):
            raise reader.fail("forbidden_syntax", reader.column(arg), construct="*")
    args = _Args(reader, node, name)
    if name == "long":
        return _long(reader, args, node)
    if name in ("zeros", "ones", "randn", "rand"):
        sizes = args.sizes(node.args)
        reader.check_size(node, math.prod(sizes))
        if name in ("randn", "rand"):
            fn = getattr(torch, name)
            return lambda dtype, gen: fn(sizes, generator=gen, dtype=dtype)
        fn = getattr(torch, name)
        return lambda dtype, _: fn(sizes, dtype=dtype)
    return getattr(args, name)(node.args)


def _long(reader, args: _Args, node: ast.Call):
    """``long([2, 0])``: whole numbers as an int64 tensor (class indices)."""
    args.count(node.args, 1, 1)
    make = reader.read(node.args[0])
    value = make(torch.float64, None)
    if not bool((value == value.round()).all()) or not bool(value.isfinite().all()):
        raise args.wrong("class indices must be whole numbers like 0, 1, 2", node.args[0])
    if value.numel() and float(value.abs().max()) > _MAX_INT:
        raise reader.fail("size_too_large", reader.column(node.args[0]))
    return lambda dtype, _: value.to(torch.int64)


def _constructor_name(reader, func: ast.expr) -> str:
    if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) \
            and func.value.id == "torch":
        name, where = func.attr, func
    elif isinstance(func, ast.Name):
        name, where = func.id, func
    else:
        raise reader.fail("not_a_value", reader.column(func),
                          construct=reader.snippet(reader.text, reader.column(func)))
    if name not in _SIGNATURES:
        raise reader.unknown(where, name, CONSTRUCTORS)
    return name


class _Args:
    """Reads and checks the arguments of one constructor call."""

    def __init__(self, reader, node: ast.Call, name: str) -> None:
        self.reader, self.node, self.name = reader, node, name

    def wrong(self, note: str, where: ast.AST | None = None) -> Exception:
        """``wrong_arguments`` with the constructor's signature; ``note``: what is wrong
        (English, shown by English surfaces only)."""
        return self.reader.fail("wrong_arguments", self.reader.column(where or self.node),
                                function=self.name, signature=_SIGNATURES[self.name],
                                note=f"({note})")

    def count(self, args: list, low: int, high: int) -> None:
        if not low <= len(args) <= high:
            raise self.wrong(f"`{self.name}` got {len(args)} arguments")

    def sizes(self, args: list[ast.expr]) -> list[int]:
        if len(args) > 8:
            raise self.wrong("at most 8 sizes are allowed")
        sizes = [self.integer(arg) for arg in args]
        for arg, size in zip(args, sizes, strict=True):
            if size < 0:
                raise self.wrong(f"sizes must not be negative, got {size}", arg)
        return sizes

    def integer(self, node: ast.expr) -> int:
        if sum(1 for _ in ast.walk(node)) > _MAX_ARG_NODES:
            raise self.wrong("this argument is too complex", node)
        return self._int(node)

    def _int(self, node: ast.expr) -> int:
        value = signed_number(node)
        if type(value) is int:
            return self._bounded(value, node)
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
            return -self._int(node.operand)
        if isinstance(node, ast.BinOp) and type(node.op) in _INT_OPS:
            left, right = self._int(node.left), self._int(node.right)
            return self._bounded(_INT_OPS[type(node.op)](left, right), node)
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Pow):
            base, exponent = self._int(node.left), self._int(node.right)
            if exponent < 0:
                raise self.wrong("a negative power is not a whole number", node)
            if abs(base) > 1 and exponent * (abs(base).bit_length() - 1) > 64:
                raise self._too_large(node)
            return self._bounded(base**exponent, node)
        raise self.wrong("expected a whole number like 3 or 10**3", node)

    def _bounded(self, value: int, node: ast.AST) -> int:
        if abs(value) > _MAX_INT:
            raise self._too_large(node)
        return value

    def _too_large(self, node: ast.AST) -> Exception:
        return self.reader.fail("size_too_large", self.reader.column(node))

    def number(self, node: ast.expr) -> int | float:
        value = signed_number(node)
        if value is None:
            value = self.integer(node)
        if not math.isfinite(value):
            raise self.wrong("numbers must be finite", node)
        return value

    def full(self, args: list[ast.expr]):
        self.count(args, 1, 9)
        sizes, value = self.sizes(args[:-1]), self.number(args[-1])
        self.reader.check_size(self.node, math.prod(sizes))
        return lambda dtype, _: torch.full(sizes, value, dtype=dtype)

    def eye(self, args: list[ast.expr]):
        self.count(args, 1, 2)
        sizes = self.sizes(args)
        self.reader.check_size(self.node, sizes[0] * sizes[-1])
        return lambda dtype, _: torch.eye(*sizes, dtype=dtype)

    def arange(self, args: list[ast.expr]):
        self.count(args, 1, 3)
        values = [self.number(arg) for arg in args]
        if len(values) == 1:
            values = [0, values[0]]
        start, end, step = values if len(values) == 3 else [*values, 1]
        if step == 0:
            raise self.wrong("step must not be 0")
        count = (end - start) / step
        if not math.isfinite(count):
            raise self.reader.fail("range_too_large", self.reader.column(self.node))
        self.reader.check_size(self.node, max(0, math.ceil(count)))
        return lambda dtype, _: torch.arange(start, end, step, dtype=dtype)

    def linspace(self, args: list[ast.expr]):
        self.count(args, 3, 3)
        start, end = self.number(args[0]), self.number(args[1])
        steps = self.integer(args[2])
        if steps < 0:
            raise self.wrong(f"steps must not be negative, got {steps}", args[2])
        self.reader.check_size(self.node, steps)
        return lambda dtype, _: torch.linspace(start, end, steps, dtype=dtype)
