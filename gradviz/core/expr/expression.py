"""Typed expressions: parsed by an allowlisted AST walk, never ``eval``-ed.

``parse_expression("5*x**3 + 2*x**2 + 4*x + 8")`` checks the text, parses it
with :func:`ast.parse` and turns the tree into a small plan of nodes
(numbers, variables, ``+ - * / ** @``, unary minus, calls into the table of
:mod:`gradviz.core.expr.functions`). Nothing else is accepted. The plan is run by
:meth:`Expression.evaluate` with real tensors, so autograd records the graph.

Limits (all refusals are :class:`ExpressionError` with a stable ``code``):

- ``MAX_LENGTH`` characters, ASCII only, no control characters; brackets
  nested at most ``MAX_DEPTH`` deep (checked on the raw text, before
  :func:`ast.parse`, which could otherwise exhaust its own stack);
- ``MAX_NODES`` nodes and ``MAX_DEPTH`` levels in the tree. A run of unary
  signs (``--x``) is folded into its net sign and counts as one node and one
  level: ``"-" * 900 + "x"`` is ``x``, computed at once;
- every tensor an operation produces has at most ``MAX_ELEMENTS`` elements
  (checked before the operation where its size can grow), and one evaluation
  produces at most ``MAX_TOTAL_ELEMENTS`` in all.

Every literal becomes a tensor (float32, or float64 when a variable is), so
``9**9**9**9`` is ``inf`` at once instead of a huge Python integer.
Lists and tuples are not expressions: vectors and matrices come from variables.
"""

from __future__ import annotations

import ast
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field

import torch

from gradviz.core.errors import InputError
from gradviz.core.expr.expression_plan import MAX_ELEMENTS, MAX_TOTAL_ELEMENTS, evaluate_plan
from gradviz.core.expr.expression_tree import build_plan
from gradviz.core.expr.functions import FUNCTION_NAMES

__all__ = [
    "FUNCTION_NAMES",
    "MAX_DEPTH",
    "MAX_ELEMENTS",
    "MAX_LENGTH",
    "MAX_NODES",
    "MAX_TOTAL_ELEMENTS",
    "Expression",
    "ExpressionError",
    "parse_expression",
]

MAX_LENGTH = 2000
MAX_NODES = 500
MAX_DEPTH = 100  # a 100-term sum `x + x + ...` is 100 levels deep
MAX_NUMBER_DIGITS = 100

_BIDI = frozenset("\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
_OPENING = "([{"
_CLOSING = ")]}"


class ExpressionError(InputError):
    """A typed expression is refused, or fails when it is evaluated."""


def _char_problem(ch: str) -> str | None:
    """``U+00E9 LATIN SMALL LETTER E WITH ACUTE`` when ``ch`` may not appear in typed input
    (invisible text direction, line breaks, control characters, non-ASCII), else None."""
    code = ord(ch)
    if ch in _BIDI or ch in "\n\r" or (ch != "\t" and (code < 32 or code == 127)) \
            or code > 127:
        name = unicodedata.name(ch, "")
        return f"U+{code:04X} {name}".rstrip()
    return None


def check_text(
    text: str, error: type[InputError], *, max_length: int, max_depth: int, what: str
) -> None:
    """Refuse empty, over-long, non-ASCII or too deeply bracketed ``text``.

    Runs before :func:`ast.parse`, so a hostile text never reaches the parser.
    """
    if not isinstance(text, str):
        raise error("not_text")
    if len(text) > max_length:
        raise error("too_long", {"length": len(text), "limit": max_length},
                    text=text, column=max_length)
    if not text.strip():
        raise error("empty", text=text)
    depth, digits = 0, 0
    for column, ch in enumerate(text):
        problem = _char_problem(ch)
        if problem is not None:
            raise error("bad_character", {"char": problem}, text=text, column=column)
        depth += (ch in _OPENING) - (ch in _CLOSING)
        if depth > max_depth:
            raise error("too_deep", {"limit": max_depth}, text=text, column=column)
        digits = digits + 1 if ch.isdigit() else 0
        if digits > MAX_NUMBER_DIGITS:
            raise error("number_too_long", {"limit": MAX_NUMBER_DIGITS},
                        text=text, column=column - digits + 1)


def parse_tree(text: str, error: type[InputError]) -> tuple[ast.Module, int]:
    """``ast.parse`` the checked text; returns the module and the leading-space offset.

    Every parser failure (syntax, recursion, memory) becomes ``error``.
    """
    body = text.lstrip(" \t")
    offset = len(text) - len(body)
    try:
        return ast.parse(body, mode="exec"), offset
    except SyntaxError as exc:
        message = exc.msg or "invalid syntax"
        column = offset + max((exc.offset or 1) - 1, 0)
        if "Exceeds the limit" in message:  # Python's cap on int literals (4300 digits)
            raise error("number_too_long", {"limit": MAX_NUMBER_DIGITS},
                        text=text, column=column) from None
        if "nested" in message:
            raise error("too_complex", text=text, column=column) from None
        raise error("syntax_error", {"detail": message},
                    text=text, column=min(column, len(text) - 1)) from None
    except ValueError as exc:  # some Pythons raise the int-literal cap as ValueError
        if "digits" in str(exc):
            raise error("number_too_long", {"limit": MAX_NUMBER_DIGITS}, text=text) from None
        raise error("syntax_error", {"detail": str(exc)}, text=text) from None
    except (RecursionError, MemoryError):
        raise error("too_complex", text=text) from None


@dataclass(frozen=True)
class Expression:
    """A checked expression: its text, the names it uses, and its evaluation plan."""

    text: str
    variables: tuple[str, ...]  # in order of first appearance, without pi, e
    functions: tuple[str, ...]  # canonical names, in order of first appearance
    _plan: object = field(default=None, repr=False, compare=False)

    def evaluate(self, env: Mapping[str, torch.Tensor], on_value=None) -> torch.Tensor:
        """Compute the expression with the tensors in ``env`` (autograd records it).

        ``on_value(plan_node, tensor)`` is told every sub-expression's result
        (see :func:`~gradviz.core.expr.expression_plan.evaluate_plan`).

        Raises :class:`ExpressionError`: ``missing_variables``, ``torch_error``
        (e.g. shapes that don't fit, with torch's message and the column of the
        failing operation), ``wrong_arguments`` or ``tensor_too_large``.
        """
        missing = [name for name in self.variables if name not in env]
        if missing:
            raise ExpressionError("missing_variables", {"names": missing}, text=self.text)
        return evaluate_plan(self._plan, env, self.text, ExpressionError, on_value)

    def __reduce__(self):
        # The plan holds functions; across a process boundary, parse the text again.
        return parse_expression, (self.text,)


def parse_expression(text: str) -> Expression:
    """Check and parse ``text``; raises :class:`ExpressionError` for anything not allowed."""
    check_text(text, ExpressionError, max_length=MAX_LENGTH, max_depth=MAX_DEPTH,
               what="expression")
    module, offset = parse_tree(text, ExpressionError)
    plan, variables, functions = build_plan(
        module, text, offset, ExpressionError, max_nodes=MAX_NODES, max_depth=MAX_DEPTH
    )
    return Expression(text, variables, functions, plan)
