"""The bundled diagnosis examples: PyTorch's numbers, the diagnosis, and the step notes that
point at it, in English and French."""

from __future__ import annotations

import math
from pathlib import Path

import pytest
import torch

from gradviz.core.lens.diagnostics import diagnose
from gradviz.core.lesson.files import load_lesson
from tests.test_examples import build as build_example

EXAMPLES = Path(__file__).resolve().parents[1] / "resources" / "examples"


def build(name: str):
    return build_example(EXAMPLES / f"{name}.gradviz.json")


def leaves(snapshot):
    return {v.name: torch.tensor(v.value, requires_grad=v.requires_grad)
            for v in snapshot.variables}


def test_nan_sqrt_example():
    lesson, s = build("11-nan-sqrt")
    x = leaves(s)["x"]
    (g,) = torch.autograd.grad(torch.sqrt(x) * x, x)
    assert math.isnan(g) and math.isnan(s.variable("x").grad)
    (f,) = [f for f in diagnose(s) if f.severity == "error"]
    assert (f.code, f.step + 1, f.params["cause"]) == ("nonfinite", 2, "sqrt_zero")
    assert "NaN" in lesson.functions[0].step_notes[f.step + 1]


def test_saturated_sigmoid_example():
    lesson, s = build("12-saturated-sigmoid")
    env = leaves(s)
    w, b = env["w"], env["b"]
    out = torch.sigmoid(w * env["x"] + b)
    assert torch.autograd.grad(out, (w, b)) == (0.0, 0.0)  # float32: σ(20) rounds to 1
    assert (s.variable("w").grad, s.variable("b").grad) == (0.0, 0.0)
    found = diagnose(s)
    (sat,) = [f for f in found if f.code == "saturated"]
    z = torch.tensor(20.0, dtype=torch.float64, requires_grad=True)
    (exact,) = torch.autograd.grad(torch.sigmoid(z), z)
    assert sat.params["z"] == 20.0 and sat.params["derivative"] == pytest.approx(exact.item())
    assert {f.params["variable"] for f in found if f.code == "zero_grad"} == {"w", "b"}
    assert sat.step + 1 in lesson.functions[0].step_notes


def test_dead_relu_example():
    lesson, s = build("13-dead-relu-layer")
    env = leaves(s)
    out = torch.relu(env["W"] @ env["v"] + env["b"]).sum()
    gW, gb = torch.autograd.grad(out, (env["W"], env["b"]))
    assert not gW.any() and not gb.any()
    (dead,) = [f for f in diagnose(s) if f.code == "dead_relu"]
    assert dead.params["total"] == 3 and dead.params["max_input"] < 0
    assert "dead" in lesson.functions[0].step_notes[dead.step + 1]


def test_detached_branch_example():
    _, s = build("14-detached-branch")
    env = leaves(s)
    x, w, v = env["x"], env["w"], env["v"]
    gx, gw, gv = torch.autograd.grad(x * w + (v * x).detach(), (x, w, v), allow_unused=True)
    assert gv is None and s.variable("v").grad is None
    assert s.variable("x").grad == gx.item() == 2.0
    (f,) = [f for f in diagnose(s) if f.code == "unreached"]
    assert f.params == {"variable": "v", "reason": "detached"}


@pytest.mark.parametrize("name", ["11-nan-sqrt", "12-saturated-sigmoid", "13-dead-relu-layer",
                                  "14-detached-branch"])
def test_french_notes_use_french_typography(name):
    french = load_lesson(EXAMPLES / f"{name}.gradviz.json").localized("fr")
    text = "\n".join([french.title, french.notes, *french.functions[0].step_notes.values()])
    assert " :" not in text and " ;" not in text
    assert "\u00a0:" in text
