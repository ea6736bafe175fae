"""Higher-order graphs (core.higher_order): the derivative's own graph and its backward pass."""

from __future__ import annotations

import pytest
import torch

from gradviz.core.errors import InputError
from gradviz.core.lens.higher_order import derivative_snapshot
from gradviz.core.runtime.options import BuildOptions

OPTS = BuildOptions(layout=False)


def test_the_seeds_derivative_is_a_graph_whose_gradient_is_64():
    s = derivative_snapshot("5*x**3 + 2*x**2 + 4*x + 8", ["x=2.0"], options=OPTS)
    x = torch.tensor(2.0, requires_grad=True)
    (d,) = torch.autograd.grad(5 * x**3 + 2 * x**2 + 4 * x + 8, x, create_graph=True)
    (dd,) = torch.autograd.grad(d, x)
    assert s.output.value == d.item() == 15 * 4 + 4 * 2 + 4 == 72
    assert s.variable("x").grad == dd.item() == 30 * 2 + 4 == 64
    functions = {n.id for n in s.nodes if n.kind == "function"}
    assert set(s.meta["orders"]) == functions
    assert {s.node(n).op for n, o in s.meta["orders"].items() if o == 1} >= {"PowBackward0"}
    assert s.steps[-1].variable == "x"


def test_a_sigmoid_derivative_reuses_forward_nodes():
    s = derivative_snapshot("sigmoid(w*x)", ["w=0.5"], ["x=2.0"], options=OPTS)
    w = torch.tensor(0.5, requires_grad=True)
    (d,) = torch.autograd.grad(torch.sigmoid(w * 2.0), w, create_graph=True)
    (dd,) = torch.autograd.grad(d, w)
    assert s.output.value == pytest.approx(d.item())
    assert s.variable("w").grad == pytest.approx(dd.item())
    order0 = {s.node(n).op for n, o in s.meta["orders"].items() if o == 0}
    assert "SigmoidBackward0" in order0  # σ's output, saved by the first backward, is forward


def test_which_variable_must_be_said_when_several_need_a_gradient():
    with pytest.raises(InputError) as info:
        derivative_snapshot("x*y", ["x=1.0", "y=2.0"], options=OPTS)
    assert info.value.code == "bad_wrt"
    s = derivative_snapshot("x*y*y", ["x=1.0", "y=2.0"], wrt="y", options=OPTS)
    assert s.output.value == 4.0 and s.variable("y").grad == 2.0  # d/dy = 2xy; d²/dy² = 2x
    with pytest.raises(InputError) as info:
        derivative_snapshot("3*x", ["x=1.0"], options=OPTS)
    assert info.value.code == "constant_derivative"


def test_export_order_2(cli, tmp_path):
    """``--order 2`` through ``cli.main`` in-process (conftest's ``cli``: the session's worker)."""
    import json

    out = tmp_path / "d.json"
    done = cli("export", "5*x**3 + 2*x**2 + 4*x + 8", "--var", "x=2.0", "--order", "2",
               "-o", out)
    assert done.returncode == 0, done.stderr
    data = json.loads(out.read_text())
    assert data["output"]["value"] == 72 and data["variables"][0]["grad"] == 64
    assert data["meta"]["inputs"]["order"] == 2 and data["meta"]["orders"]
    script = tmp_path / "s.py"
    script.write_text("import torch\nx = torch.ones(1, requires_grad=True)\noutput = x.sum()\n")
    refused = cli("export", "--script", script, "--order", "2", "-o", out)
    assert refused.returncode == 2 and "--order 2" in refused.stderr


def test_the_second_derivative_example(tmp_path):
    from pathlib import Path

    from gradviz.core.lesson.files import function_request, load_lesson, save_lesson
    from gradviz.core.runtime.jobs import build_snapshot_job

    examples = Path(__file__).resolve().parents[1] / "resources" / "examples"
    path = examples / "15-second-derivative.gradviz.json"
    lesson = load_lesson(path)
    fn = lesson.functions[0]
    assert fn.order == 2
    s = build_snapshot_job(function_request(fn, allow_code=False))
    assert (s.output.value, s.variable("x").grad) == (72.0, 64.0)
    assert s.steps[-1].variable == "x" and "64" in fn.step_notes[len(s.steps)]
    save_lesson(lesson, tmp_path / "copy.gradviz.json")
    assert load_lesson(tmp_path / "copy.gradviz.json").functions[0].order == 2
