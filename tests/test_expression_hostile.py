"""Hostile expressions are refused quickly, with a specific code and column."""

from __future__ import annotations

import time

import pytest
import torch

from gradviz.core.errors import InputError
from gradviz.core.expr.expression import (
    MAX_DEPTH,
    MAX_LENGTH,
    ExpressionError,
    parse_expression,
    parse_tree,
)

FAST = 2.0  # seconds: a no-hang guard, not a benchmark

# (text, code, column or None when the column is not meaningful)
REFUSED = [
    ("().__class__.__mro__[1].__subclasses__()", "forbidden_attribute", 23),
    ("x.__\uff43lass__", "bad_character", 4),
    ("__import__('os').system('id')", "forbidden_attribute", 16),
    ("__import__('os')", "unknown_function", 0),
    ("torch.load('a.pt')", "unknown_function_close", 0),
    ("torch.save(x, 'f')", "unknown_function_close", 0),
    ("sigmoid.__globals__", "forbidden_attribute", 7),
    ("F.relu.__call__(x)", "unknown_function", 0),
    ("x.grad", "forbidden_attribute", 1),
    ("(lambda: 1)()", "forbidden_syntax", 1),
    ("[c for c in ()]", "forbidden_syntax", 0),
    ('f"{x}"', "forbidden_syntax", 0),
    ("'{0.__class__}'.format(x)", "forbidden_attribute", 15),
    ("'abc'", "forbidden_syntax", 0),
    ("b'abc'", "forbidden_syntax", 0),
    ("1<<10**9", "forbidden_syntax", 1),
    ("x >> 2", "forbidden_syntax", 2),
    ("x % 2", "forbidden_syntax", 2),
    ("x // 2", "forbidden_syntax", 2),
    ("x | x", "forbidden_syntax", 2),
    ("0 < x < 1", "chained_comparison", 0),  # one comparison is allowed, a chain is not
    ("x is None", "forbidden_syntax", 0),
    ("x and x", "forbidden_syntax", 0),
    ("not x", "forbidden_syntax", 0),
    ("~x", "forbidden_syntax", 0),
    ("x if x else x", "forbidden_syntax", 0),
    ("x[0]", "forbidden_syntax", 0),
    ("[1, 2, 3]", "forbidden_list", 0),
    ("(1, 2)", "forbidden_list", 0),
    ("{1: 2}", "forbidden_syntax", 0),
    ("{x}", "forbidden_syntax", 0),
    ("sum(*x)", "forbidden_syntax", 4),
    ("sum(**x)", "forbidden_syntax", 4),
    ("(y := 3)", "forbidden_syntax", 1),
    ("True", "bool_literal", 0),
    ("None", "forbidden_syntax", 0),
    ("1j", "forbidden_syntax", 0),
    ("x=3", "assignment", 0),
    ("x += 3", "assignment", 0),
    ("x; import os", "one_expression", 3),
    ("import os", "one_expression", 0),
    ("sin", "function_not_called", 0),
    ("torch", "prefix_only", 0),
    ("__builtins__", "reserved_name", 0),
    ("foo(x)", "unknown_function", 0),
    ("torch.nn.relu(x)", "unknown_function_close", 0),
    ("ones(10**12)", "unknown_function", 0),
    ("zeros(10**5, 10**5)", "unknown_function", 0),
    ("sin(x, x)", "wrong_arguments", 7),
    ("pow(x)", "wrong_arguments", 0),
    ("dot(x)", "wrong_arguments", 0),
    ("sum(x, 0, True, 1)", "wrong_arguments", 16),
    ("sum(x, 0, dim=0)", "keyword_twice", 10),
    ("sum(x, out=x)", "out_keyword", 7),
    ("sin(x, out=x)", "out_keyword", 7),
    ("sum(x, dim=\"a\")", "keyword_integer", 11),
    ("sum(x, dim=1.5)", "keyword_integer", 11),
    ("sum(x, keepdim=1)", "keyword_boolean", 15),
    ("sum(x, dim=y)", "keyword_integer", 11),
    ("sum(x, reduction=1)", "unknown_keyword", 7),
    ("mse_loss(x, y, reduction='sum')", "unknown_keyword", 15),
    ("x\0", "bad_character", 1),
    ("x\x1b", "bad_character", 1),
    ("x\n+ 1", "bad_character", 1),
    ("x + \u202ey", "bad_character", 4),
    ("x\u2066", "bad_character", 1),
    ("x\u200f", "bad_character", 1),
    ("\u03b8 * 2", "bad_character", 0),
    ("", "empty", None),
    ("   \t ", "empty", None),
    ("# only a comment", "empty", None),
    ("x +", "syntax_error", None),
    ("sin(x", "syntax_error", None),
    ("(" * 300 + "x" + ")" * 300, "too_deep", MAX_DEPTH),
    ("sin(" * 150 + "x" + ")" * 150, "too_deep", None),
    ("x" * 5000, "too_long", MAX_LENGTH),
    ("1" * 4301, "too_long", MAX_LENGTH),
    ("1" * 150, "number_too_long", 0),
    ("x" + "+x" * 600, "too_deep", None),
    ("x" + "*x" * 100, "too_deep", None),
    ("+".join(["x*x*x*x*x"] * 60), "too_many_nodes", None),
]


@pytest.mark.parametrize(("text", "code", "column"), REFUSED,
                         ids=[repr(r[0][:40]) for r in REFUSED])
def test_refused_fast_with_code_and_column(text, code, column):
    start = time.monotonic()
    with pytest.raises(ExpressionError) as info:
        parse_expression(text)
    assert time.monotonic() - start < FAST
    err = info.value
    assert isinstance(err, InputError)
    assert err.code == code, err.message
    if column is not None:
        assert err.column == column, err.format()
    assert err.message and err.to_dict()["code"] == code


def test_messages_say_what_and_suggest():
    with pytest.raises(ExpressionError) as info:
        parse_expression("flor(x)")
    assert "did you mean `floor`" not in info.value.message.lower()  # not in the table
    with pytest.raises(ExpressionError) as info:
        parse_expression("sni(x)")
    assert "did you mean `sin`" in info.value.message.lower()
    assert info.value.params["suggestions"][0] == "sin"
    with pytest.raises(ExpressionError) as info:
        parse_expression("sum(x, dm=0)")
    assert "dim=" in info.value.message


def test_int_literal_cap_in_the_parser_is_number_too_long():
    """Python refuses int literals over 4300 digits inside ast.parse: say so."""
    with pytest.raises(ExpressionError) as info:
        parse_tree("1" * 4301, ExpressionError)
    assert info.value.code == "number_too_long"


def test_nested_brackets_in_the_parser_are_too_complex():
    with pytest.raises(ExpressionError) as info:
        parse_tree("(" * 250 + "x" + ")" * 250, ExpressionError)
    assert info.value.code == "too_complex"


def test_nine_hundred_minus_signs_fold_to_x():
    """A run of unary signs counts as one node and is applied as its net sign."""
    x = torch.tensor(3.0, requires_grad=True)
    start = time.monotonic()
    assert parse_expression("-" * 900 + "x").evaluate({"x": x}) is x
    assert parse_expression("-" * 901 + "x").evaluate({"x": x}).item() == -3.0
    assert parse_expression("+-" * 999 + "x").evaluate({"x": x}).item() == -3.0
    assert time.monotonic() - start < FAST


@pytest.mark.parametrize(("text", "expected"), [
    ("9**9**9**9", float("inf")),
    ("x/0", float("inf")),
    ("log(x-x)", float("-inf")),
    ("sqrt(-x)", float("nan")),
    ("exp(1000*x)", float("inf")),
])
def test_overflow_gives_inf_or_nan_fast(text, expected):
    start = time.monotonic()
    value = parse_expression(text).evaluate({"x": torch.tensor(2.0, requires_grad=True)})
    assert time.monotonic() - start < FAST
    torch.testing.assert_close(value.detach(), torch.tensor(expected), equal_nan=True)


def test_huge_literal_under_the_digit_cap_is_inf():
    value = parse_expression("1" + "0" * 99 + " * x").evaluate({"x": torch.tensor(1.0)})
    assert value.item() == float("inf")


def test_no_attribute_of_a_value_reaches_python():
    """Nothing in the table takes a string, so no file name can reach torch."""
    for text in ("torch.load(x)", "torch.nn.functional.__dict__", "F.__name__"):
        with pytest.raises(ExpressionError):
            parse_expression(text)
