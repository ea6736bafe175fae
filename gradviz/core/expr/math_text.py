"""Typed expressions as mathematics text: ``5*x**3 + 2*x`` → ``5x³ + 2x``.

Pure Python (no torch, no Qt), so the UI can import it freely. The source is
read with Python's own :func:`ast.parse`, the parser the expression evaluator
(:mod:`gradviz.core.expr.expression`) uses; the tree is printed back with:

- ``*`` as ``·`` (``w·x``), or as juxtaposition after a number literal
  (``5x³``, ``2π``, ``3(x + 1)``, ``-2x``); ``@`` (matrix product) as ``·`` too;
- ``**`` with a whole-number literal exponent as superscript digits (``x³``,
  ``x⁻¹``), any other exponent as ``^`` (``x^0.5``, ``2^x``, ``x^(y + 1)``);
- ``/`` as ``/``; ``+`` and ``-`` spaced; one minus sign, :data:`MINUS`;
- ``sigmoid`` as ``σ``, ``pi`` as ``π``; other functions keep their name without
  a module prefix (``torch.sin`` → ``sin``), keyword parameters as written;
- parentheses exactly where precedence needs them (the tree's grouping is
  kept: ``(3*x)**2`` → ``(3x)²``, ``a - (b - c)`` keeps its parentheses).
"""

from __future__ import annotations

import ast

__all__ = ["MINUS", "math_equation", "math_text"]

MINUS = "-"  # the formatting module prints numbers with this sign too: one minus sign
TIMES = "·"
MATMUL = "·"  # the graph's class name (MmBackward0, MvBackward0) tells it apart from `*`

_SUPERSCRIPT = str.maketrans("0123456789-", "⁰¹²³⁴⁵⁶⁷⁸⁹⁻")
_FUNCTION_SYMBOLS = {"sigmoid": "σ"}
_NAME_SYMBOLS = {"pi": "π"}
_MODULE_PREFIXES = ("torch.nn.functional.", "torch.", "nn.functional.", "functional.", "F.")
_COMPARE = {ast.Gt: ">", ast.GtE: "≥", ast.Lt: "<", ast.LtE: "≤", ast.Eq: "=", ast.NotEq: "≠"}

# Precedence levels, loosest first (Python's order for the operators allowed).
_COMPARISON, _SUM, _PRODUCT, _UNARY, _POWER, _ATOM = range(6)
_BINARY = {
    ast.Add: (_SUM, " + "),
    ast.Sub: (_SUM, f" {MINUS} "),
    ast.Mult: (_PRODUCT, TIMES),
    ast.MatMult: (_PRODUCT, MATMUL),
    ast.Div: (_PRODUCT, "/"),
}


def math_text(source: str) -> str:
    """The expression ``source`` as mathematics text.

    ``"sigmoid(w*x + b)"`` → ``"σ(w·x + b)"``. Text that is not one Python
    expression of the kinds above comes back stripped but otherwise unchanged,
    so a caller can always display the result.
    """
    text = source.strip()
    try:
        tree = ast.parse(text, mode="eval")
        return _Printer(text).render(tree.body)[0]
    except (SyntaxError, ValueError, RecursionError, MemoryError, _Unsupported):
        return text


def math_equation(source: str, output_name: str = "y") -> str:
    """``math_equation("5*x**3 + 8", "y")`` → ``"y = 5x³ + 8"``."""
    return f"{output_name} = {math_text(source)}"


class _Unsupported(Exception):
    """A syntax the printer has no notation for (the caller shows the source)."""


class _Printer:
    """Prints one parsed expression; ``render`` returns (text, precedence level)."""

    def __init__(self, source: str) -> None:
        self.source = source

    def render(self, node: ast.expr) -> tuple[str, int]:
        if isinstance(node, ast.Constant) and type(node.value) in (int, float):
            return self.literal(node), _ATOM
        if isinstance(node, ast.Name):
            return _NAME_SYMBOLS.get(node.id, node.id), _ATOM
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
            return self.unary(node)
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Pow):
            return self.power(node)
        if isinstance(node, ast.BinOp) and type(node.op) in _BINARY:
            return self.binary(node)
        if isinstance(node, ast.Call):
            return self.call(node), _ATOM
        if isinstance(node, ast.Compare):
            return self.compare(node), _COMPARISON
        raise _Unsupported(type(node).__name__)

    def literal(self, node: ast.Constant) -> str:
        """A number as the user typed it (``1e-3`` stays ``1e-3``)."""
        written = ast.get_source_segment(self.source, node)
        return written if written else repr(node.value)

    def group(self, node: ast.expr, level: int, *, after_operator: bool = False) -> str:
        """``node`` printed, in parentheses when it binds looser than ``level``.

        ``after_operator``: a signed operand right after an operator gets
        parentheses too (``x·(-y)``, ``a + (-b)``, ``-(-x)``).
        """
        text, own = self.render(node)
        signed = after_operator and own == _UNARY
        return f"({text})" if own < level or signed else text

    def unary(self, node: ast.UnaryOp) -> tuple[str, int]:
        if isinstance(node.op, ast.UAdd):  # +x is x (the evaluator drops it too)
            return self.render(node.operand)
        return MINUS + self.group(node.operand, _UNARY, after_operator=True), _UNARY

    def power(self, node: ast.BinOp) -> tuple[str, int]:
        base = self.group(node.left, _ATOM)
        exponent = _whole_number(node.right)
        if exponent is not None:
            return base + str(exponent).translate(_SUPERSCRIPT), _POWER
        return f"{base}^{self.group(node.right, _ATOM)}", _POWER

    def binary(self, node: ast.BinOp) -> tuple[str, int]:
        level, symbol = _BINARY[type(node.op)]
        left = self.group(node.left, level)
        # Same level on the right keeps its parentheses: a - (b - c), a/(b·c).
        right = self.group(node.right, level + 1, after_operator=True)
        if right.startswith(MINUS):  # x - (-2x), never x - -2x
            right = f"({right})"
        if isinstance(node.op, ast.Mult) and _juxtaposes(left, node.left, right):
            symbol = ""  # 5x³, 2π, 3(x + 1)
        return left + symbol + right, level

    def call(self, node: ast.Call) -> str:
        name = _function_name(node.func)
        args = [self.render(arg)[0] for arg in node.args]
        for keyword in node.keywords:
            if keyword.arg is None:
                raise _Unsupported("**kwargs")
            args.append(f"{keyword.arg}={self.keyword_value(keyword.value)}")
        return f"{name}({', '.join(args)})"

    def keyword_value(self, node: ast.expr) -> str:
        if isinstance(node, ast.Constant) and isinstance(node.value, bool):
            return str(node.value)
        return self.render(node)[0]

    def compare(self, node: ast.Compare) -> str:
        parts = [self.group(node.left, _SUM)]
        for op, right in zip(node.ops, node.comparators):
            if type(op) not in _COMPARE:
                raise _Unsupported(type(op).__name__)
            parts.append(f"{_COMPARE[type(op)]} {self.group(right, _SUM)}")
        return " ".join(parts)


def _whole_number(node: ast.expr) -> int | None:
    """The value of a whole-number literal exponent (``3``, ``-1``, ``2.0``), else None."""
    sign = 1
    while isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
        sign = -sign if isinstance(node.op, ast.USub) else sign
        node = node.operand
    if isinstance(node, ast.Constant) and type(node.value) in (int, float):
        value = node.value
        if float(value).is_integer() and abs(value) < 10**6:
            return sign * int(value)
    return None


def _juxtaposes(left_text: str, left: ast.expr, right_text: str) -> bool:
    """Whether ``left·right`` prints as ``left right`` run together (``5x³``, ``3(x + 1)``).

    Only after a plain number literal (not ``1e-3``, which would read ``1e-3x``),
    and only before a name, a function or parentheses (not ``23`` from ``2·3``).
    """
    while isinstance(left, ast.UnaryOp) and isinstance(left.op, (ast.USub, ast.UAdd)):
        left = left.operand
    plain_number = all(ch.isdigit() or ch in ".+" + MINUS for ch in left_text)
    return (isinstance(left, ast.Constant) and plain_number and bool(right_text)
            and (right_text[0].isalpha() or right_text[0] in "(_"))


def _function_name(func: ast.expr) -> str:
    parts = []
    while isinstance(func, ast.Attribute):
        parts.append(func.attr)
        func = func.value
    if not isinstance(func, ast.Name):
        raise _Unsupported("call")
    written = ".".join([func.id, *reversed(parts)])
    for prefix in _MODULE_PREFIXES:
        if written.startswith(prefix):
            written = written[len(prefix):]
            break
    return _FUNCTION_SYMBOLS.get(written, written)
