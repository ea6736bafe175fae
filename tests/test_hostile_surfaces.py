"""The hostile-input list of the "Function input" issue, through the surfaces users touch.

Each case: exit code 2 and one clear line from the CLI (``cli.main`` in-process,
with one worker for the session: conftest's ``cli``; no traceback, no file,
bounded time), an InputError from the Python entry point, and a worker that
still answers afterwards. The evaluator's own, finer checks (codes, columns)
live in test_expression_hostile.py.
"""

from __future__ import annotations

import json
import time

import pytest

from gradviz.core.errors import InputError
from gradviz.core.runtime.jobs import snapshot_from_expression
from gradviz.core.runtime.options import BuildOptions

# (expression, variables, words the message must contain)
EXPRESSIONS = [
    ("().__class__.__mro__[1].__subclasses__()", [], "not allowed"),
    ("x.__\uff43lass__", ["x=1"], "plain ascii"),
    ("__import__('os').system('id')", [], "not allowed"),
    ("torch.load('a.pt')", [], "not a known function"),
    ("torch.save(x, 'f')", ["x=1"], "not a known function"),
    ("sigmoid.__globals__", [], "not allowed"),
    ("(lambda: 1)()", [], "not allowed"),
    ("[c for c in ()]", [], "not allowed"),
    ('f"{x}"', ["x=1"], "not allowed"),
    ("'{0.__class__}'.format(x)", ["x=1"], "not allowed"),
    ("1<<10**9", [], "not allowed"),
    ("(" * 300 + "x" + ")" * 300, ["x=1"], "deep"),
    ("x+" * 2500 + "x", ["x=1"], "long"),
    ("1" * 4301, [], "long"),
    ("ones(10**12)", [], "not a known function"),
    ("zeros(10**5, 10**5)", [], "not a known function"),
    ("5", [], "nothing to differentiate"),
    ("sin(3)", [], "nothing to differentiate"),
    ("x*v", ["x=2", "v=[1, 2, 3]"], "--reduce"),
    ("x + y", ["x=1"], "`y`"),
    ("sin(x, x)", ["x=1"], "sin"),
    ("sum(x, out=x)", ["x=1"], "out"),
    ("x=3", [], "not allowed"),
    ("x; import os", ["x=1"], "Write one expression"),
    ("x\x00", ["x=1"], "character"),
    ("x\u202e", ["x=1"], "character"),
    ("", [], "empty"),
    ("   ", [], "empty"),
]
ALSO_BAD_VARIABLES = [
    ("x", ["x=randn(10**7, 10**7)"], "elements"),
    ("x", ["x=[[1, 2], [3]]"], "ragged"),
    ("x", ["x=__import__('os')"], "x"),
]
# Evaluated, not refused: NaN and inf are shown, not crashes.
NON_FINITE = [("x/0", "Infinity"), ("log(x-x)", "-Infinity"), ("sqrt(-x)", "NaN"),
              ("9**9**9**9 * x", "Infinity")]


@pytest.mark.parametrize("text, variables, words", EXPRESSIONS + ALSO_BAD_VARIABLES)
def test_python_entry_point_raises_a_clear_input_error(text, variables, words):
    start = time.monotonic()
    with pytest.raises(InputError) as err:
        snapshot_from_expression(text, variables, options=BuildOptions(layout=False))
    assert time.monotonic() - start < 5
    assert words.lower() in err.value.format().lower(), err.value.format()


# Every case (a NUL cannot reach a program through argv at all).
CLI_CASES = [c for c in EXPRESSIONS if "\x00" not in c[0]] + ALSO_BAD_VARIABLES


@pytest.mark.parametrize("text, variables, words", CLI_CASES)
def test_cli_exits_2_with_one_clear_line(cli, tmp_path, text, variables, words):
    var_args = [a for v in variables for a in ("--var", v)]
    start = time.monotonic()
    done = cli("export", text, *var_args, "-o", str(tmp_path / "out.json"))
    assert time.monotonic() - start < 30
    assert done.returncode == 2, done.stderr
    assert done.stderr.startswith("gradviz: error: ") and "Traceback" not in done.stderr
    assert words.lower() in done.stderr.lower()
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("text, shown", NON_FINITE)
def test_nan_and_inf_are_shown_not_crashes(tmp_path, text, shown):
    snap = snapshot_from_expression(text, ["x=2.0"], options=BuildOptions(layout=False))
    assert shown in snap.to_json()


SCRIPTS = [
    ("while True:\n    pass\n", "2 s"),
    ("import os\nos._exit(1)\n", "exit"),
    ("x = [0] * 10**10\n", "memory"),
    ("import ctypes\nctypes.string_at(0)\n", "crash"),
    ("raise ValueError('my own bug')\n", "my own bug"),
    ("import torch\nx = torch.ones(2)\n", "output"),
]


@pytest.mark.parametrize("code, words", SCRIPTS)
def test_hostile_scripts_are_stopped_with_a_clear_message(cli, tmp_path, code, words):
    script = tmp_path / "user.py"
    script.write_text(code)
    out = tmp_path / "out.json"
    start = time.monotonic()
    done = cli("export", "--script", str(script), "--timeout", "2", "--max-memory", "2",
               "-o", str(out))
    assert time.monotonic() - start < 40
    assert done.returncode == 2, done.stderr
    assert words.lower() in done.stderr.lower(), done.stderr
    assert not out.exists()


def test_the_next_run_after_a_crash_succeeds(cli, cli_worker, tmp_path):
    """The session's one worker, a crash, then a good job: the worker was restarted."""
    script = tmp_path / "crash.py"
    script.write_text("import os\nos._exit(3)\n")
    before = cli_worker.pid
    crashed = cli("export", "--script", str(script), "-o", str(tmp_path / "crash.json"))
    assert crashed.returncode == 2 and "exit" in crashed.stderr.lower()
    out = tmp_path / "seed.json"
    done = cli("export", "5*x**3 + 2*x**2 + 4*x + 8", "--var", "x=2.0", "-o", str(out))
    assert done.returncode == 0, done.stderr
    assert cli_worker.pid != before
    assert json.loads(out.read_text())["variables"][0]["grad"] == 72
