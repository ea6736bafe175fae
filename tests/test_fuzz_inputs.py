"""Property: whatever expression, values, flags or lesson file, ``gradviz export`` exits 0
or 2 with one clear line, never a traceback, never a file on failure, within the deadline.

Hypothesis with a fixed seed and a bounded number of examples; the CLI runs
in-process (``cli.main``) on one shared warm worker (see ``test_bad_inputs``).
"""

from __future__ import annotations

import json
import time

import pytest
from hypothesis import HealthCheck, given, seed, settings
from hypothesis import strategies as st
from test_bad_inputs import shared_cli  # noqa: F401 - fixture

PLAIN = st.sampled_from(["0", "1", "2.5", "-3", "0.5", "2"])
ODD = st.sampled_from(["1e308", "-1e308", "5e-324", "1e400", "nan", "2**62", "2**64",
                       "99999999999999999999", "10**10", "-0.0"])
NAMES = st.sampled_from(["x", "y", "W"])
pytestmark = pytest.mark.filterwarnings("ignore::hypothesis.errors.HypothesisWarning")  # big reprs
GOOD_FUNCTIONS = st.sampled_from(["sin", "exp", "tanh", "sum", "mean", "relu", "sigmoid",
                                  "softmax", "abs", "square"])
ODD_FUNCTIONS = st.sampled_from(["log", "sqrt", "arange", "linspace", "zeros", "cross_entropy",
                                 "pow", "matmul", "reshape", "__import__", "open", "eval"])
CONSTRUCTORS = st.sampled_from(["randn", "rand", "zeros", "ones", "full", "eye", "arange",
                                "linspace", "torch.randn", "open"])


def mostly(good: st.SearchStrategy, odd: st.SearchStrategy) -> st.SearchStrategy:
    """``good`` mostly, else ``odd``: most examples get to run (Hypothesis favours the
    ends of a range, so ``odd`` is one value in the middle)."""
    return st.tuples(st.integers(0, 6), good, odd).map(lambda t: t[2] if t[0] == 3 else t[1])


def expressions() -> st.SearchStrategy[str]:
    leaves = st.one_of(NAMES, mostly(PLAIN, ODD))

    def extend(inner):
        op = mostly(st.sampled_from(["+", "-", "*", "/"]), st.sampled_from(["**", "@", "//"]))
        binary = st.tuples(inner, op, inner).map(lambda t: f"({t[0]} {t[1]} {t[2]})")
        arguments = mostly(st.lists(inner, min_size=1, max_size=1),
                           st.lists(inner, min_size=0, max_size=3))
        call = st.tuples(mostly(GOOD_FUNCTIONS, ODD_FUNCTIONS), arguments).map(
            lambda t: f"{t[0]}({', '.join(t[1])})")
        return st.one_of(binary, call, inner.map(lambda e: f"-{e}"))

    built = st.recursive(leaves, extend, max_leaves=6)
    odd = st.one_of(built.map(lambda e: f"{e} # <img src=\"/dev/zero\">"),
                    st.text(alphabet=st.characters(codec="utf-8"), max_size=30))
    return mostly(built, odd)


def values() -> st.SearchStrategy[str]:
    numbers = st.lists(mostly(PLAIN, ODD), min_size=0, max_size=4)
    constructor = st.tuples(CONSTRUCTORS, numbers).map(lambda t: f"{t[0]}({', '.join(t[1])})")
    listed = numbers.map(lambda n: f"[{', '.join(n)}]")
    noise = st.text(alphabet=st.characters(codec="utf-8"), max_size=20)
    known = st.sampled_from(["zeros(0, 2**62, 2**62)", "arange(0, 1, 5e-324)", "arange(-3)",
                             "linspace(-1e308, 1e308, 3)", "arange(-1e308, 1e308, 1)"])
    return mostly(PLAIN, st.one_of(ODD, known, constructor, listed, noise))


def all_variables() -> st.SearchStrategy[list[str]]:
    """A value for each name, so that most functions can run."""
    return st.lists(values(), min_size=3, max_size=3).map(
        lambda found: [f"{name}={value}" for name, value in zip(("x", "y", "W"), found)])


def flags() -> st.SearchStrategy[list[str]]:
    good = st.sampled_from([
        ["--timeout", "3"], ["--max-memory", "2"], ["--seed", "3"], ["--device", "cpu:0"],
        ["--runs", "2"], ["--reduce", "sum"], ["--reduce", "mean"], ["--dtype", "float64"],
        ["--rankdir", "LR"], ["--no-saved"],
    ])
    bad = st.sampled_from([
        ["--timeout", "nan"], ["--timeout", "inf"], ["--timeout", "-1"],
        ["--max-memory", "nan"], ["--max-memory", "1e300"], ["--seed", str(2**64)],
        ["--device", "privateuseone"], ["--device", "cuda"], ["--device", "xpu"],
        ["--runs", "0"],
    ])
    groups = st.lists(mostly(good, bad), max_size=2)
    return groups.map(lambda found: [arg for group in found for arg in group])


def lessons() -> st.SearchStrategy[dict]:
    odd = st.one_of(st.sampled_from(["![d](/dev/zero)", "\ud800", "", "<img src=x>", 3]),
                    st.text(max_size=20))
    text = mostly(st.just("Title"), odd)
    typed = st.fixed_dictionaries(
        {"expression": expressions(), "variables": all_variables()},
        optional={"title": text, "runs": mostly(st.integers(1, 10), st.sampled_from([0, 11]))})
    code = st.fixed_dictionaries({"code": st.just(["import os", "os.system('exit 3')"])})
    functions = st.lists(mostly(typed, code), min_size=1, max_size=2)
    theme = mostly(st.sampled_from(["dark", "light"]), st.sampled_from(["<img src=x>", 3]))
    return st.fixed_dictionaries(
        {"schema": mostly(st.just("gradviz.lesson/1"), st.just("other")), "title": text,
         "functions": mostly(functions, st.just([]))},
        optional={"notes": text, "view": st.fixed_dictionaries({}, optional={"theme": theme})})


def check(run, folder, argv: list[str], out) -> None:
    before = sorted(p.name for p in folder.iterdir())
    start = time.monotonic()
    code, err = run("export", "--timeout", "5", "-o", str(out), *argv)
    assert time.monotonic() - start < 60
    assert code in (0, 2), err
    assert "Traceback" not in err and "please report" not in err, err
    if code == 0:
        assert out.exists()
        out.unlink()
    else:
        assert err.startswith("gradviz: error: "), err
        assert sorted(p.name for p in folder.iterdir()) == before, "a file was left"


FUZZ = settings(max_examples=40, deadline=None, database=None, derandomize=False,
                suppress_health_check=[HealthCheck.too_slow,
                                       HealthCheck.function_scoped_fixture])


@seed(20261203)
@FUZZ
@given(expression=expressions(), variables=all_variables(), extra=flags())
def test_any_function_and_flags_exit_0_or_2(shared_cli, tmp_path_factory, expression,  # noqa: F811
                                            variables, extra):
    folder = tmp_path_factory.mktemp("fuzz")
    argv = [*[f"--var={v}" for v in variables], *extra, "--", expression]
    check(shared_cli, folder, argv, folder / "out.json")


@seed(20261204)
@FUZZ
@given(lesson=lessons(), number=mostly(st.just(1), st.sampled_from([0, 2, 3])))
def test_any_lesson_file_exits_0_or_2(shared_cli, tmp_path_factory, lesson, number):  # noqa: F811
    folder = tmp_path_factory.mktemp("lesson")
    path = folder / "l.gradviz.json"
    path.write_text(json.dumps(lesson), encoding="ascii")
    check(shared_cli, folder, ["--lesson", str(path), "--function", str(number)],
          folder / "out.dot")


MANY = settings(FUZZ, max_examples=400)


@pytest.mark.slow
@seed(20261205)
@MANY
@given(expression=expressions(), variables=all_variables(), extra=flags())
def test_many_functions_and_flags_exit_0_or_2(shared_cli, tmp_path_factory, expression,  # noqa: F811
                                              variables, extra):
    """Ten times the examples of the plain run, another seed (CI runs ``-m slow``)."""
    test_any_function_and_flags_exit_0_or_2.hypothesis.inner_test(
        shared_cli, tmp_path_factory, expression, variables, extra)


@pytest.mark.slow
@seed(20261206)
@MANY
@given(lesson=lessons(), number=mostly(st.just(1), st.sampled_from([0, 2, 3])))
def test_many_lesson_files_exit_0_or_2(shared_cli, tmp_path_factory, lesson, number):  # noqa: F811
    """Ten times the examples of the plain run, another seed (CI runs ``-m slow``)."""
    test_any_lesson_file_exits_0_or_2.hypothesis.inner_test(shared_cli, tmp_path_factory,
                                                            lesson, number)
