"""Variable values: ``x=2.0``, ``w=[[1, 2], [3, 4]]``, ``b=randn(3)``.

A value is read by an allowlisted AST walk (never ``eval``): a number with
optional sign, a (nested, rectangular) list of numbers, or one constructor
call: ``zeros(*sizes)``, ``ones(*sizes)``, ``randn(*sizes)``, ``rand(*sizes)``,
``full(*sizes, value)``, ``eye(n[, m])``, ``arange([start,] end[, step])``,
``linspace(start, end, steps)``, ``long([2, 0])`` for integer class targets
(also with the ``torch.`` prefix). Integer
arguments may use ``+ - * **`` on integers (``randn(10**3)``). Every value has
at most ``MAX_VARIABLE_ELEMENTS`` elements, checked before anything is
allocated. Names such as ``nan`` or ``inf`` are not values: numbers only.
"""

from __future__ import annotations

import ast
import difflib
import keyword
import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import torch

from gradviz.core.errors import InputError
from gradviz.core.expr.expression import check_text, parse_tree
from gradviz.core.expr.functions import FUNCTIONS, signed_number
from gradviz.core.expr.variable_constructors import read_constructor

__all__ = [
    "DEFAULT_VALUE",
    "MAX_VARIABLE_ELEMENTS",
    "VariableError",
    "VariableSpec",
    "build_variables",
    "parse_value",
    "resolve_dtype",
]

MAX_VARIABLE_ELEMENTS = 1_000_000
MAX_VALUE_LENGTH = 200_000  # a typed list; bigger values come from constructors
MAX_NESTING = 16
MAX_SIZES = 8
DEFAULT_VALUE = "1.0"  # what the GUI offers for a new name

_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")
_RESERVED = frozenset({"pi", "e", "torch", "F", "nn", "functional"}) | frozenset(FUNCTIONS)
_DTYPES = {"float32": torch.float32, "float64": torch.float64}
_Maker = Callable[[torch.dtype, "torch.Generator | None"], torch.Tensor]


class VariableError(InputError):
    """A variable's name or value is refused, or a needed variable is missing."""


def resolve_dtype(dtype: torch.dtype | str) -> torch.dtype:
    """``torch.float32``/``torch.float64`` from a dtype or its name."""
    if isinstance(dtype, str) and dtype in _DTYPES:
        return _DTYPES[dtype]
    if dtype in (torch.float32, torch.float64):
        return dtype
    raise VariableError("bad_dtype", {"dtype": str(dtype)})


def check_name(name: str) -> None:
    """Refuse a variable name that is not a plain ASCII identifier or is reserved."""
    if not isinstance(name, str) or not _NAME.match(name) or keyword.iskeyword(name) \
            or name in _RESERVED or name.startswith("__"):
        raise VariableError("bad_name", {"name": str(name)[:40]})


@dataclass(frozen=True)
class VariableSpec:
    """A variable as the user gives it: name, value text, and whether it needs a gradient."""

    name: str
    source: str
    requires_grad: bool = True

    def __post_init__(self) -> None:
        check_name(self.name)

    @classmethod
    def parse(cls, text: str, *, requires_grad: bool = True) -> VariableSpec:
        """Read ``"x=2.0"``; checks the name and the value (without building it)."""
        check_text(text, VariableError, max_length=MAX_VALUE_LENGTH + 100,
                   max_depth=MAX_NESTING, what="variable")
        name, sep, rest = text.partition("=")
        if not sep:
            raise VariableError("variable_syntax", text=text, column=len(text) - 1)
        try:
            check_name(name.strip())
        except VariableError as exc:
            exc.text, exc.column = text, len(name) - len(name.lstrip())
            raise
        start = len(name) + 1 + len(rest) - len(rest.lstrip())
        try:
            _read(rest.strip())
        except VariableError as exc:
            exc.text = text
            exc.column = None if exc.column is None else exc.column + start
            raise
        return cls(name.strip(), rest.strip(), requires_grad)


def parse_value(source: str, *, dtype: torch.dtype | str = torch.float32,
                generator: torch.Generator | None = None) -> torch.Tensor:
    """Build the tensor that ``source`` describes (see the module docstring)."""
    make, resolved = _read(source), resolve_dtype(dtype)
    try:
        return make(resolved, generator)
    except InputError:
        raise
    except (RuntimeError, ValueError, TypeError, OverflowError, IndexError) as exc:
        first = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
        raise VariableError("bad_value", {"torch_message": first}, text=source) from None


def build_variables(specs: Sequence[VariableSpec], needed: Sequence[str], *,
                    dtype: torch.dtype | str = torch.float32,
                    seed: int | None = None) -> dict[str, torch.Tensor]:
    """Leaf tensors for every spec, in order; all ``needed`` names must have one.

    Raises ``missing_variables`` (``params["names"]`` lists all missing names in
    order) or ``duplicate_variable``. ``seed`` makes ``randn``/``rand`` reproducible.
    """
    dtype = resolve_dtype(dtype)
    names = [spec.name for spec in specs]
    for index, name in enumerate(names):
        if name in names[:index]:
            raise VariableError("duplicate_variable", {"name": name})
    missing = [name for name in dict.fromkeys(needed) if name not in names]
    if missing:
        raise VariableError("missing_variables", {"names": missing})
    generator = None if seed is None else torch.Generator().manual_seed(seed)
    return {spec.name: _build_one(spec, dtype, generator) for spec in specs}


def _build_one(spec: VariableSpec, dtype: torch.dtype, generator) -> torch.Tensor:
    try:
        tensor = parse_value(spec.source, dtype=dtype, generator=generator)
    except VariableError as exc:
        raise VariableError(exc.code, {**exc.params, "variable": spec.name},
                            text=exc.text, column=exc.column) from None
    # Integer tensors (class targets) cannot need a gradient: PyTorch refuses it.
    return tensor.requires_grad_(spec.requires_grad and tensor.is_floating_point())


def _read(source: str) -> _Maker:
    """Check ``source`` and return a function that builds its tensor."""
    check_text(source, VariableError, max_length=MAX_VALUE_LENGTH, max_depth=MAX_NESTING,
               what="value")
    module, offset = parse_tree(source, VariableError)
    reader = _Reader(source, offset)
    body = module.body
    if len(body) != 1 or not isinstance(body[0], ast.Expr):
        column = offset + body[min(1, len(body) - 1)].col_offset if body else None
        raise reader.fail("not_a_value", column, construct=reader.snippet(source, column))
    return reader.read(body[0].value)


class _Reader:
    def __init__(self, text: str, offset: int) -> None:
        self.text, self.offset = text, offset

    def fail(self, code: str, column: int | None, **params) -> VariableError:
        return VariableError(code, params, text=self.text, column=column)

    @staticmethod
    def snippet(text: str, column: int | None) -> str:
        """The text from ``column`` on, shortened (what the error points at)."""
        shown = text[column or 0:].strip()
        return shown if len(shown) <= 40 else shown[:37] + "..."

    def column(self, node: ast.AST) -> int:
        return self.offset + node.col_offset

    def read(self, node: ast.expr) -> _Maker:
        number = signed_number(node)
        if number is not None:
            value = _as_float(number)
            return lambda dtype, _: torch.tensor(value, dtype=dtype)
        if isinstance(node, ast.List):
            return self.read_list(node)
        if isinstance(node, ast.Call):
            return read_constructor(self, node)
        if isinstance(node, ast.Name):
            raise self.fail("not_a_value", self.column(node), construct=node.id)
        raise self.fail("not_a_value", self.column(node),
                        construct=self.snippet(self.text, self.column(node)),
                        syntax=type(node).__name__)

    def read_list(self, node: ast.List) -> _Maker:
        shape: list[int] = []
        level: list[ast.expr] = [node]
        while level and all(isinstance(item, ast.List) for item in level):
            length = len(level[0].elts)
            for item in level:
                if len(item.elts) != length:
                    raise self.ragged(item, length)
            shape.append(length)
            level = [child for item in level for child in item.elts]
        flat = []
        for item in level:
            if isinstance(item, ast.List):
                raise self.ragged(item, None)
            value = signed_number(item)
            if value is None:
                raise self.fail("list_element", self.column(item), syntax=type(item).__name__)
            flat.append(_as_float(value))
        self.check_size(node, len(flat))
        return lambda dtype, _: torch.tensor(flat, dtype=dtype).reshape(shape).clone()

    def ragged(self, item: ast.expr, length: int | None) -> VariableError:
        detail = (f"this row has {len(item.elts)} elements, the first has {length}"
                  if length is not None else "lists and numbers are mixed at one level")
        return self.fail("ragged_list", self.column(item), note=f"({detail})")

    def check_size(self, node: ast.AST, numel: int) -> None:
        if numel > MAX_VARIABLE_ELEMENTS:
            raise self.fail("tensor_too_large", self.column(node), elements=numel,
                            limit=MAX_VARIABLE_ELEMENTS)

    def unknown(self, node: ast.AST, name: str, known: Sequence[str]) -> VariableError:
        close = difflib.get_close_matches(name, known, n=2)
        return self.fail("unknown_constructor_close" if close else "unknown_constructor",
                         self.column(node), name=name, suggestions=close, known=list(known))


def _as_float(value: int | float) -> float:
    try:
        return float(value)
    except OverflowError:
        return math.copysign(math.inf, value)
