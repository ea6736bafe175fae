"""Typed expressions printed as mathematics text (gradviz.core.expr.math_text)."""

from __future__ import annotations

import subprocess
import sys

import pytest

from gradviz.core.expr.math_text import math_equation, math_text

CASES = [
    ("5*x**3 + 2*x**2 + 4*x + 8", "5x³ + 2x² + 4x + 8"),
    ("sigmoid(w*x + b)", "σ(w·x + b)"),
    ("torch.sigmoid(w*x+b)", "σ(w·x + b)"),
    ("sin(x*y)", "sin(x·y)"),
    ("torch.sin(x) * F.relu(y)", "sin(x)·relu(y)"),
    ("x/y", "x/y"),
    ("-x", "-x"),
    ("x**0.5", "x^0.5"),
    ("(3*x)**2", "(3x)²"),
    ("W @ v", "W·v"),
    ("x*x*x*x", "x·x·x·x"),
    ("a - (b - c)", "a - (b - c)"),
    ("a - b - c", "a - b - c"),
    ("(a + b)/c", "(a + b)/c"),
    ("a/(b*c)", "a/(b·c)"),
    ("a/b/c", "a/b/c"),
    ("x * -y", "x·(-y)"),
    ("a + -b", "a + (-b)"),
    ("-(-x)", "-(-x)"),
    ("-x**2", "-x²"),
    ("(-x)**2", "(-x)²"),
    ("-(x + y)", "-(x + y)"),
    ("-x*y + z", "-x·y + z"),
    ("x**-1", "x⁻¹"),
    ("x**-0.5", "x^(-0.5)"),
    ("2**x", "2^x"),
    ("x**(y + 1)", "x^(y + 1)"),
    ("x**2**3", "x^(2³)"),
    ("(x**2)**3", "(x²)³"),
    ("sin(x)**2", "sin(x)²"),
    ("2*pi*r", "2π·r"),
    ("-2*x", "-2x"),
    ("3*(x + 1)", "3(x + 1)"),
    ("1e-3*x", "1e-3·x"),
    ("2*3", "2·3"),
    ("x*2", "x·2"),
    ("softmax(x, dim=-1)", "softmax(x, dim=-1)"),
    ("mean(M, dim=0, keepdim=True)", "mean(M, dim=0, keepdim=True)"),
    ("where(x > 0, x, 0.1*x)", "where(x > 0, x, 0.1x)"),
    ("  x+y  ", "x + y"),
    ("+x * -2 - -x", "x·(-2) - (-x)"),
    ("x - -2*-x", "x - (-2(-x))"),
    ("x * -2*y", "x·(-2)·y"),
    ("x * (-2*y)", "x·(-2y)"),
    ("+-x", "-x"),
]


@pytest.mark.parametrize(("source", "expected"), CASES)
def test_math_text(source, expected):
    assert math_text(source) == expected


def test_math_equation_names_the_output():
    assert math_equation("5*x**3 + 2*x**2 + 4*x + 8") == "y = 5x³ + 2x² + 4x + 8"
    assert math_equation("cross_entropy(z, t)", "loss") == "loss = cross_entropy(z, t)"


@pytest.mark.parametrize("source", ["x +", "x[0]", "lambda: 1", "a if b else c", "f(**k)"])
def test_what_has_no_notation_comes_back_as_typed(source):
    assert math_text(f" {source} ") == source


def test_deep_nesting_does_not_crash():
    source = "(" * 300 + "x" + ")" * 300
    assert math_text(source) in {"x", source}


@pytest.mark.parametrize(("source", "_"), CASES[:30])
def test_every_case_is_an_expression_gradviz_accepts(source, _):
    # The printer reads what the evaluator reads: the same text, the same ast.
    from gradviz.core.expr.expression import parse_expression

    parse_expression(source)


def test_imports_neither_torch_nor_qt():
    code = ("import sys, gradviz.core.expr.math_text; "
            "print(sorted(m for m in ('torch', 'PySide6') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, timeout=60).stdout
    assert out.strip() == "[]"
