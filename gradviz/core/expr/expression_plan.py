"""The evaluation plan of a checked expression, and how it runs.

:mod:`gradviz.core.expr.expression_tree` builds the plan from the syntax tree;
:func:`evaluate_plan` runs it with an explicit stack (no Python recursion),
checking the size of every tensor before and after each operation.
"""

from __future__ import annotations

import math
import operator
from collections.abc import Callable, Mapping
from dataclasses import dataclass

import torch

from gradviz.core.errors import InputError
from gradviz.core.expr.functions import CallArgumentError, FunctionSpec

MAX_ELEMENTS = 10_000_000  # 40 MB of float32 per tensor
MAX_TOTAL_ELEMENTS = 50_000_000  # all tensors of one evaluation (autograd keeps them)

BINARY_OPERATORS: dict[str, Callable] = {
    "+": operator.add,
    "-": operator.sub,
    "*": operator.mul,
    "/": operator.truediv,
    "**": operator.pow,
    "@": operator.matmul,
    "<": operator.lt,
    "<=": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
    "==": operator.eq,
    "!=": operator.ne,
}
_MATRIX_CALLS = frozenset({"matmul", "mm", "dot", "outer"})
COMPARISONS = frozenset({"<", "<=", ">", ">=", "==", "!="})

# The comparisons of the latest evaluation, so an explanation can write ``x > 0`` where
# PyTorch saved only their boolean values (``where``'s condition, a mask factor). The
# tensors are held until the next evaluation: autograd keeps their storage anyway.
_CONDITIONS: dict[int, tuple[torch.Tensor, str]] = {}


def condition_labels() -> dict[int, str]:
    """id(boolean tensor) -> its comparison as math text, from the latest evaluation."""
    return {key: text for key, (_, text) in _CONDITIONS.items()}
_TORCH_ERRORS = (RuntimeError, ValueError, TypeError, IndexError, OverflowError)


@dataclass(frozen=True)
class Const:
    """A number literal, ``pi`` or ``e``; ``index`` makes it an int64 class index."""

    value: float
    column: int
    index: bool = False
    children = ()


@dataclass(frozen=True)
class Var:
    """A variable, looked up in the environment."""

    name: str
    column: int
    children = ()


@dataclass(frozen=True)
class Neg:
    """Unary minus (a run of signs with an odd number of minus signs)."""

    operand: object
    column: int

    @property
    def children(self) -> tuple:
        return (self.operand,)


@dataclass(frozen=True)
class BinOp:
    """``left op right`` for op in ``+ - * / ** @`` or a comparison ``< <= > >= == !=``."""

    op: str
    left: object
    right: object
    column: int  # of the operator
    source: str = ""  # a comparison as math text (``x > 0``), for explanations

    @property
    def children(self) -> tuple:
        return (self.left, self.right)


@dataclass(frozen=True)
class Call:
    """A call into the function table, with its literal parameters."""

    spec: FunctionSpec
    name: str  # as written, e.g. ``torch.sin``
    args: tuple
    params: tuple[tuple[str, object], ...]
    column: int

    @property
    def children(self) -> tuple:
        return self.args


def literal_dtype(env: Mapping[str, object]) -> torch.dtype:
    """float64 when any variable is float64, else torch's default dtype."""
    for value in env.values():
        if isinstance(value, torch.Tensor) and value.dtype == torch.float64:
            return torch.float64
    return torch.get_default_dtype()


def evaluate_plan(root, env: Mapping, text: str, error: type[InputError],
                  on_value: Callable[[object, torch.Tensor], None] | None = None) -> torch.Tensor:
    """Run the plan ``root`` with the tensors in ``env``.

    ``on_value(plan_node, tensor)``, if given, is told each node's result as it
    is made (children before parents): how :mod:`gradviz.core.graph.origins` learns
    which sub-expression made which tensor, hence which ``grad_fn``.
    """
    run = _Run(env, text, error)
    _CONDITIONS.clear()
    stack: list[tuple[object, bool]] = [(root, False)]
    values: list[torch.Tensor] = []
    while stack:
        node, ready = stack.pop()
        children = node.children
        if ready or not children:
            args = values[len(values) - len(children):] if children else []
            del values[len(values) - len(children):]
            values.append(run.apply(node, args))
            if on_value is not None:
                on_value(node, values[-1])
        else:
            stack.append((node, True))
            stack.extend((child, False) for child in reversed(children))
    return values[0]


class _Run:
    """State of one evaluation: environment, literal dtype, elements produced."""

    def __init__(self, env: Mapping, text: str, error: type[InputError]) -> None:
        self.env = env
        self.text = text
        self.error = error
        self.dtype = literal_dtype(env)
        self.total = 0

    def apply(self, node, args: list[torch.Tensor]) -> torch.Tensor:
        if isinstance(node, Const):
            dtype = torch.int64 if node.index else self.dtype
            try:
                return torch.tensor(node.value, dtype=dtype)
            except _TORCH_ERRORS:  # e.g. a class index beyond int64
                raise self.error("number_too_large", {"number": str(node.value)},
                                 text=self.text, column=node.column) from None
        if isinstance(node, Var):
            value = self.env[node.name]
            return value if isinstance(value, torch.Tensor) else torch.as_tensor(
                value, dtype=self.dtype)
        if isinstance(node, Neg):
            return self._run(node, "-", torch.neg, args, grows=False)
        if isinstance(node, BinOp):
            result = self._run(node, node.op, BINARY_OPERATORS[node.op],
                               _python_literal(node, args), grows=True,
                               matrix="matmul" if node.op == "@" else None)
            if node.op in COMPARISONS and node.source:
                _CONDITIONS[id(result)] = (result, node.source)
            return result
        params = dict(node.params)
        return self._run(node, node.name, lambda *t: node.spec.impl(*t, **params), args,
                         grows=len(args) > 1,
                         matrix=node.spec.name if node.spec.name in _MATRIX_CALLS else None)

    def _run(self, node, label: str, fn: Callable, args: list, *, grows: bool,
             matrix: str | None = None) -> torch.Tensor:
        if grows:
            self._check_size(node, label, _predict_numel(args, matrix))
        try:
            result = fn(*args)
        except CallArgumentError as exc:
            raise self.error(exc.code, {**exc.params, "function": label}, text=self.text,
                             column=node.column) from None
        except _TORCH_ERRORS as exc:
            first = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
            raise self.error("torch_error", {"function": label, "torch_message": first},
                             text=self.text, column=node.column) from None
        self._check_size(node, label, result.numel())
        self.total += result.numel()
        return result

    def _check_size(self, node, label: str, numel: int | None) -> None:
        if numel is None:
            return
        if numel > MAX_ELEMENTS:
            code, params = "tensor_too_large", {"elements": numel, "limit": MAX_ELEMENTS}
        elif self.total + numel > MAX_TOTAL_ELEMENTS:
            code, params = "too_many_elements", {"limit": MAX_TOTAL_ELEMENTS}
        else:
            return
        raise self.error(code, {**params, "function": label}, text=self.text,
                         column=node.column)


def _python_literal(node: BinOp, args: list) -> list:
    """A literal beside a tensor goes in as a Python number, as in plain PyTorch.

    ``x ** 3`` then records ``PowBackward0`` with exponent 3 and ``5 * x`` a
    wrapped scalar: the very graph PyTorch builds for the same line of code.
    Two literals together stay tensors (``9**9**9`` is inf, not a bigint hang).
    """
    left, right = node.left, node.right
    literal_left = isinstance(left, Const) and not left.index
    literal_right = isinstance(right, Const) and not right.index
    if node.op == "@" or literal_left == literal_right:
        return args
    side = 0 if literal_left else 1
    value = (left if literal_left else right).value
    number = int(value) if float(value).is_integer() and abs(value) < 2**53 else float(value)
    return [number, args[1]] if side == 0 else [args[0], number]


def _predict_numel(args: list, matrix: str | None) -> int | None:
    """Elements of the result, from the shapes alone (no tensor made); None if unknown.

    ``matrix`` names a matrix product (``matmul`` for ``@``, ``mm``, ``dot``,
    ``outer``); anything else with several inputs broadcasts elementwise. None
    also when the shapes do not fit: the real call then reports torch's error.
    """
    shapes = [tuple(getattr(a, "shape", ())) for a in args]
    shape = _matrix_shape(matrix, shapes) if matrix else _broadcast_shape(shapes)
    return None if shape is None else math.prod(shape)


def _matrix_shape(name: str, shapes: list[tuple[int, ...]]) -> list[int] | None:
    """The result shape of torch.matmul / mm / dot / outer (torch's rules, computed directly).

    Plain Python on purpose: predicting with meta tensors cost seconds on the first call.
    """
    if len(shapes) != 2:
        return None
    a, b = shapes
    if name == "dot":
        return [] if len(a) == len(b) == 1 and a == b else None
    if name == "outer":
        return [a[0], b[0]] if len(a) == len(b) == 1 else None
    if name == "mm" and not len(a) == len(b) == 2:
        return None
    if not a or not b:
        return None  # matmul refuses 0-d operands
    if len(a) == len(b) == 1:
        return [] if a == b else None
    left = (1, *a) if len(a) == 1 else a  # a vector becomes a row (then dropped)
    right = (*b, 1) if len(b) == 1 else b  # a vector becomes a column (then dropped)
    if left[-1] != right[-2]:
        return None
    batch = _broadcast_shape([left[:-2], right[:-2]])
    if batch is None:
        return None
    return batch + ([left[-2]] if len(a) > 1 else []) + ([right[-1]] if len(b) > 1 else [])


def _broadcast_shape(shapes: list[tuple[int, ...]]) -> list[int] | None:
    """The broadcast of ``shapes`` (aligned right, each dim equal or 1); None if incompatible.

    Plain Python on purpose: ``torch.broadcast_shapes`` imports sympy on first use (~0.5 s).
    """
    ndim = max((len(shape) for shape in shapes), default=0)
    result = [1] * ndim
    for shape in shapes:
        for i, size in enumerate(shape, start=ndim - len(shape)):
            if result[i] == 1:
                result[i] = size
            elif size not in (1, result[i]):
                return None
    return result
