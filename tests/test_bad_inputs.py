"""Every bad input is exit 2 with one line (CLI) or a ``gradviz.InputError`` (API).

The cases are those of the hardening issue that used to exit 1 with a
traceback and "please report". The CLI runs in-process (``cli.main``) on one
shared worker, as the property-based test in ``test_fuzz_inputs.py`` does.
"""

from __future__ import annotations

import json

import pytest
import torch

import gradviz
from gradviz.core.errors import InputError
from gradviz.core.runtime.jobs import snapshot_from_expression
from gradviz.core.runtime.options import BuildOptions


@pytest.fixture
def shared_cli(cli):
    """``shared_cli(*argv)``: ``(exit code, stderr)`` of ``cli.main`` run in this process on
    the session's warm worker (``cli`` in conftest; passed as ``main(worker=...)``, so it
    holds whichever tests ran before: no worker is spawned per call)."""

    def run(*argv: str) -> tuple[int, str]:
        done = cli(*argv)
        return done.returncode, done.stderr

    return run


def assert_exit_2(code: int, err: str) -> str:
    assert code == 2, err
    assert err.startswith("gradviz: error: ") and "Traceback" not in err, err
    assert "please report" not in err
    return err


EXPRESSION_CASES = [
    ("cross_entropy(x, 99999999999999999999)", ["x=randn(3, 5)"], "too large"),
    ("x", ["x=zeros(0, 2**62, 2**62)"], "cannot make this value"),
    ("x", ["x=arange(0, 1, 5e-324)"], "too many elements"),
    ("x", ["x=arange(-1e308, 1e308, 1)"], "too many elements"),
    ("x", ["x=linspace(-1e308, 1e308, 3)"], "cannot make this value"),
    ("x*sum(arange(-3))", ["x=1"], "arange"),
    ("x*1j", ["x=1"], "`1j`"),
]


@pytest.mark.parametrize("expression, variables, words", EXPRESSION_CASES)
def test_bad_expressions_and_values_are_input_errors(expression, variables, words):
    with pytest.raises(InputError, match=words):
        snapshot_from_expression(expression, variables, options=BuildOptions(layout=False))


@pytest.mark.parametrize("expression, variables, words", EXPRESSION_CASES[:3])
def test_bad_expressions_are_exit_2_through_the_cli(shared_cli, tmp_path, expression,
                                                     variables, words):
    out = tmp_path / "out.json"
    flags = [arg for value in variables for arg in ("--var", value)]
    err = assert_exit_2(*shared_cli("export", expression, *flags, "-o", str(out)))
    assert words in err and not out.exists()


def test_an_unknown_device_kind_is_exit_2(shared_cli, tmp_path):
    err = assert_exit_2(*shared_cli("export", "x*x", "--var", "x=1", "--device", "xpu",
                                    "-o", str(tmp_path / "a.json")))
    assert "xpu" in err


def test_a_complex_script_output_is_exit_2(shared_cli, tmp_path):
    script = tmp_path / "complex.py"
    script.write_text("import torch\nx = torch.tensor(2.0, requires_grad=True)\n"
                      "output = torch.view_as_complex(torch.stack([x, x]))\nparams = {'x': x}\n")
    err = assert_exit_2(*shared_cli("export", "--script", str(script),
                                    "-o", str(tmp_path / "a.json")))
    assert "complex" in err


@pytest.mark.parametrize("where", ["code", "title", "expression"])
def test_a_lone_surrogate_in_a_lesson_is_exit_2(shared_cli, tmp_path, where):
    fn = {"title": "f", "expression": "x*x", "variables": ["x=1"]}
    lesson = {"schema": "gradviz.lesson/1", "title": "t", "functions": [fn]}
    if where == "code":
        fn.pop("expression"), fn.pop("variables")
        fn["code"] = ["import torch", "x = torch.tensor(2.0, requires_grad=True)",
                      "output = x * x  # \ud800"]
    elif where == "title":
        lesson["title"] = "t \ud800"
    else:
        fn["expression"] = "x*x\ud800"
    path = tmp_path / "s.gradviz.json"
    path.write_text(json.dumps(lesson), encoding="ascii")
    err = assert_exit_2(*shared_cli("export", "--lesson", str(path), "--allow-code",
                                    "-o", str(tmp_path / "a.json")))
    assert "surrogate" in err or "character" in err


X = torch.tensor(2.0, requires_grad=True)


@pytest.mark.parametrize("call, words", [
    (lambda: gradviz.snapshot(5), "not int"),
    (lambda: gradviz.snapshot([]), "no output"),
    (lambda: gradviz.snapshot([X * X, 3]), "not int"),
    (lambda: gradviz.snapshot([[X * X]]), "not list"),
    (lambda: gradviz.snapshot(X * X, params={"x": 3}), "params"),
    (lambda: gradviz.snapshot(X * X, params=[1]), "params"),
    (lambda: gradviz.snapshot(torch.view_as_complex(torch.stack([X, X]))), "complex"),
    (lambda: gradviz.snapshot(X * X, runs=0), "runs"),
    (lambda: gradviz.snapshot(X * X, reduction="max"), "reduction"),
    (lambda: gradviz.export(X * X, "out.txt"), "Cannot write a .txt file"),
])
def test_the_api_raises_input_error_a_value_error(call, words):
    with pytest.raises(gradviz.InputError, match=words) as info:
        call()
    assert isinstance(info.value, ValueError)
    assert gradviz.InputError is InputError
