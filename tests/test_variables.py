"""Variable values: every form, the caps, seeds, missing names, dtypes."""

from __future__ import annotations

import time

import pytest
import torch

from gradviz.core.errors import InputError
from gradviz.core.expr.variables import (
    DEFAULT_VALUE,
    MAX_VARIABLE_ELEMENTS,
    VariableError,
    VariableSpec,
    build_variables,
    parse_value,
    resolve_dtype,
)

FORMS = [
    ("2.0", torch.tensor(2.0)),
    ("-3", torch.tensor(-3.0)),
    ("+-1.5e-1", torch.tensor(-0.15)),
    ("[1, 2, 3]", torch.tensor([1.0, 2.0, 3.0])),
    ("[[1,2],[3,4]]", torch.tensor([[1.0, 2.0], [3.0, 4.0]])),
    ("[[-1, 0.5]]", torch.tensor([[-1.0, 0.5]])),
    ("[]", torch.zeros(0)),
    ("zeros(3)", torch.zeros(3)),
    ("ones(2,2)", torch.ones(2, 2)),
    ("torch.ones(2)", torch.ones(2)),
    ("zeros()", torch.tensor(0.0)),
    ("arange(4)", torch.arange(4.0)),
    ("arange(1, 2, 0.25)", torch.tensor([1.0, 1.25, 1.5, 1.75])),
    ("arange(-2, 2)", torch.arange(-2.0, 2.0)),
    ("linspace(0,1,5)", torch.linspace(0, 1, 5)),
    ("full(2,3, 0.5)", torch.full((2, 3), 0.5)),
    ("full(-0.5)", torch.tensor(-0.5)),
    ("eye(3)", torch.eye(3)),
    ("eye(2, 3)", torch.eye(2, 3)),
    ("zeros(2*3, 10**2)", torch.zeros(6, 100)),
    (DEFAULT_VALUE, torch.tensor(1.0)),
]


@pytest.mark.parametrize(("source", "expected"), FORMS, ids=[f[0] for f in FORMS])
def test_value_forms(source, expected):
    value = parse_value(source)
    assert value.dtype == torch.float32
    torch.testing.assert_close(value, expected)


@pytest.mark.parametrize("source", ["randn(3,4)", "rand(2)", "torch.randn(2, 1)"])
def test_random_values_have_the_shape_and_a_seed_makes_them_reproducible(source):
    first = parse_value(source, generator=torch.Generator().manual_seed(7))
    again = parse_value(source, generator=torch.Generator().manual_seed(7))
    assert torch.equal(first, again)
    assert first.shape == parse_value(source).shape


REFUSED = [
    ("randn(10**7, 10**7)", "tensor_too_large"),
    ("zeros(1001, 1000)", "tensor_too_large"),
    ("arange(0, 10**7)", "tensor_too_large"),
    ("linspace(0, 1, 10**9)", "tensor_too_large"),
    ("eye(10**4)", "tensor_too_large"),
    ("randn(10**10**10)", "size_too_large"),
    ("[[1, 2], [3]]", "ragged_list"),
    ("[1, [2]]", "ragged_list"),
    ("zeros(-1)", "wrong_arguments"),
    ("randn(3.0)", "wrong_arguments"),
    ("randn(2**-1)", "wrong_arguments"),
    ("arange(1, 2, 0)", "wrong_arguments"),
    ("arange(0, 1e400)", "wrong_arguments"),
    ("linspace(0, 1)", "wrong_arguments"),
    ("eye(1, 2, 3)", "wrong_arguments"),
    ("zeros(1,1,1,1,1,1,1,1,1)", "wrong_arguments"),
    ("randn(3, dtype=1)", "wrong_arguments"),
    ("randm(3)", "unknown_constructor_close"),
    ("eval('1')", "unknown_constructor"),
    ("torch.load('f')", "unknown_constructor"),
    ("nan", "not_a_value"),
    ("inf", "not_a_value"),
    ("x", "not_a_value"),
    ("[1, 'a']", "list_element"),
    ("[True]", "list_element"),
    ("(1, 2)", "not_a_value"),
    ("1 + 2", "not_a_value"),
    ("().__class__", "not_a_value"),
    ("randn(*[3])", "forbidden_syntax"),
    ("1; 2", "not_a_value"),
    ("[1,", "syntax_error"),
    ("", "empty"),
    ("1" * 4301, "number_too_long"),
    ("[" * 100 + "]" * 100, "too_deep"),
    ("1\u202e", "bad_character"),
    ("x" * 300_000, "too_long"),
]


@pytest.mark.parametrize(("source", "code"), REFUSED, ids=[repr(r[0][:30]) for r in REFUSED])
def test_refused_values(source, code):
    start = time.monotonic()
    with pytest.raises(VariableError) as info:
        parse_value(source)
    assert time.monotonic() - start < 2.0
    assert info.value.code == code, info.value.message
    assert isinstance(info.value, InputError)


def test_ragged_error_points_at_the_row():
    with pytest.raises(VariableError) as info:
        parse_value("[[1, 2], [3]]")
    assert info.value.column == 9 and "ragged" in info.value.message


def test_cap_is_exactly_the_limit():
    assert parse_value(f"zeros({MAX_VARIABLE_ELEMENTS})").numel() == MAX_VARIABLE_ELEMENTS


def test_spec_parse():
    spec = VariableSpec.parse(" w = [[1, 2], [3, 4]]", requires_grad=False)
    assert spec == VariableSpec("w", "[[1, 2], [3, 4]]", requires_grad=False)
    assert VariableSpec.parse("x=2.0").requires_grad


@pytest.mark.parametrize(("text", "code", "column"), [
    ("sin=3", "bad_name", 0),
    ("pi=3", "bad_name", 0),
    ("e=3", "bad_name", 0),
    ("torch=1", "bad_name", 0),
    ("lambda=1", "bad_name", 0),
    ("__x__=1", "bad_name", 0),
    ("1x=2", "bad_name", 0),
    ("\u03b8=2", "bad_character", 0),
    ("x", "variable_syntax", 0),
    ("x=[1, [2]]", "ragged_list", 6),
    ("x = zeros(-1)", "wrong_arguments", 10),
])
def test_spec_parse_refuses(text, code, column):
    with pytest.raises(VariableError) as info:
        VariableSpec.parse(text)
    assert info.value.code == code and info.value.column == column
    assert info.value.text == text


def test_spec_constructor_checks_the_name():
    with pytest.raises(VariableError):
        VariableSpec("sum", "1.0")


def test_build_leaves_with_requires_grad_per_spec():
    specs = [VariableSpec("w", "[[1, 2], [3, 4]]"), VariableSpec("c", "2", requires_grad=False),
             VariableSpec("unused", "ones(2)")]
    env = build_variables(specs, ["w", "c"])
    assert list(env) == ["w", "c", "unused"]
    assert env["w"].is_leaf and env["w"].requires_grad and env["w"].dtype == torch.float32
    assert not env["c"].requires_grad
    (env["w"] * env["w"]).sum().backward()
    torch.testing.assert_close(env["w"].grad, torch.tensor([[2.0, 4.0], [6.0, 8.0]]))


def test_missing_variables_listed_in_order():
    with pytest.raises(VariableError) as info:
        build_variables([VariableSpec("x", "1.0")], ["z", "x", "y", "z"])
    assert info.value.code == "missing_variables"
    assert info.value.params["names"] == ["z", "y"]
    assert "`z`, `y`" in info.value.message


def test_duplicate_names_refused():
    with pytest.raises(VariableError) as info:
        build_variables([VariableSpec("x", "1"), VariableSpec("x", "2")], ["x"])
    assert info.value.code == "duplicate_variable"


def test_seed_reproducibility():
    specs = [VariableSpec("a", "randn(3)"), VariableSpec("b", "rand(2, 2)")]
    first, again = (build_variables(specs, ["a", "b"], seed=3) for _ in range(2))
    other = build_variables(specs, ["a", "b"], seed=4)
    assert all(torch.equal(first[n], again[n]) for n in "ab")
    assert not torch.equal(first["a"], other["a"])


@pytest.mark.parametrize("dtype", [torch.float64, "float64"])
def test_float64(dtype):
    env = build_variables([VariableSpec("x", "[1, 2]"), VariableSpec("r", "randn(2)")], ["x"],
                          dtype=dtype)
    assert env["x"].dtype == torch.float64 and env["r"].dtype == torch.float64


def test_bad_dtype():
    with pytest.raises(VariableError) as info:
        resolve_dtype("int64")
    assert info.value.code == "bad_dtype"
    with pytest.raises(VariableError):
        build_variables([], [], dtype=torch.float16)


def test_build_errors_name_the_variable():
    with pytest.raises(VariableError) as info:
        build_variables([VariableSpec("w", "[[1], [2, 3]]")], ["w"])
    assert info.value.params["variable"] == "w" and info.value.message.startswith("`w`")
    assert info.value.code == "ragged_list"


def test_long_makes_integer_class_indices():
    from gradviz.core.expr.variables import parse_value

    value = parse_value("long([2, 0, 1])", dtype="float64")
    assert value.dtype == torch.int64 and value.tolist() == [2, 0, 1]
    assert parse_value("torch.long(3)").tolist() == 3


@pytest.mark.parametrize("text", ["y=long([1.5])", "y=long([1, 2], 3)", "y=long(x)",
                                  "y=long(1e30)", "y=long(randn(2))"])
def test_long_refuses_what_is_not_whole_numbers(text):
    with pytest.raises(VariableError):
        VariableSpec.parse(text)
