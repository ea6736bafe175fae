"""Diagnostics (core.diagnostics): each one fires where PyTorch's own numbers prove it,
and stays silent where they do not."""

from __future__ import annotations

import math

import pytest
import torch

from gradviz.core.lens.diagnostics import Finding, diagnose, problems
from gradviz.core.runtime.jobs import snapshot_from_expression
from gradviz.core.runtime.options import BuildOptions
from gradviz.core.snapshot import Snapshot


def build(expr: str, variables: list[str], constants=(), **kw) -> Snapshot:
    return snapshot_from_expression(expr, variables, list(constants),
                                    options=BuildOptions(layout=False), **kw)


def codes(snapshot: Snapshot) -> list[str]:
    return [f.code for f in diagnose(snapshot)]


def only(snapshot: Snapshot, code: str) -> Finding:
    found = [f for f in diagnose(snapshot) if f.code == code]
    assert len(found) == 1, diagnose(snapshot)
    return found[0]


def grad(fn, *values, dtype=torch.float32):
    xs = [torch.tensor(v, dtype=dtype, requires_grad=True) for v in values]
    return torch.autograd.grad(fn(*xs), xs, allow_unused=True)


# -- NaN / Inf ----------------------------------------------------------------------------

def test_sqrt_at_zero_is_the_first_nan_and_its_cause():
    (g,) = grad(lambda x: torch.sqrt(x) * x, 0.0)
    assert math.isnan(g)  # PyTorch: 0 · 1/(2√0) = 0 · inf = nan
    s = build("sqrt(x)*x", ["x=0.0"])
    f = only(s, "nonfinite")
    assert f.severity == "error"
    assert s.steps[f.step].op == "SqrtBackward0" and f.node == s.steps[f.step].node
    assert all(not math.isnan(v) for st in s.steps[:f.step] for v in _grads(st))
    assert f.params["cause"] == "sqrt_zero" and f.params["kind"] == "nan"
    assert f.params["target"] == "x" and f.params["grad_in"] == 0.0


def _grads(step):
    return [g.value for g in step.grad_out if isinstance(g.value, float)]


def test_log_at_zero_starts_in_the_forward_pass():
    (g,) = grad(lambda x: torch.log(x) * x, 0.0)
    assert math.isnan(g)
    s = build("log(x)*x", ["x=0.0"])
    f = only(s, "nonfinite")
    # The first non-finite gradient is the product's (it sends log(0) = -inf to x) ...
    assert f.step == 0 and f.params["op"] == "MulBackward0" and f.params["kind"] == "inf"
    # ... but the cause is the log, whose forward value was already -inf.
    assert f.params["cause"] == "log_zero" and f.params["origin_op"] == "LogBackward0"
    assert s.node(f.params["origin"]).value == -math.inf


@pytest.mark.parametrize("expr, variables, cause, ref", [
    ("x/y", ["x=1.0", "y=0.0"], "div_zero", lambda x, y: x / y),
    ("exp(x)*0", ["x=100.0"], "exp_overflow", lambda x: torch.exp(x) * 0),
    ("x**0.5", ["x=0.0"], "pow_zero", lambda x: x**0.5),
    ("log(x)*x", ["x=-1.0"], "log_negative", lambda x: torch.log(x) * x),
])
def test_other_nonfinite_causes(expr, variables, cause, ref):
    values = [float(v.split("=")[1]) for v in variables]
    assert any(not math.isfinite(g) for g in grad(ref, *values))
    assert only(build(expr, variables), "nonfinite").params["cause"] == cause


def test_no_nan_no_finding():
    assert all(math.isfinite(g) for g in grad(lambda x: torch.sqrt(x) * x, 4.0))
    assert "nonfinite" not in codes(build("sqrt(x)*x", ["x=4.0"]))


# -- (nearly) zero gradients ------------------------------------------------------------

def test_saturated_sigmoid_derivative_is_pytorchs():
    (g,) = grad(torch.sigmoid, 20.0, dtype=torch.float64)
    f = only(build("sigmoid(x)", ["x=20.0"], dtype="float64"), "saturated")
    assert f.params["derivative"] == pytest.approx(g.item(), rel=1e-9)  # ≈ 2.06e-9
    assert f.params["z"] == 20.0 and f.params["count"] == f.params["total"] == 1


def test_saturated_sigmoid_in_float32_gives_exactly_zero():
    (g,) = grad(torch.sigmoid, 20.0)
    assert g.item() == 0.0  # σ rounds to 1 in float32: σ(1−σ) = 0
    s = build("sigmoid(x)", ["x=20.0"])
    assert only(s, "zero_grad").params == {"variable": "x", "stopped_by": "SigmoidBackward0"}


def test_saturated_tanh():
    (g,) = grad(torch.tanh, -8.0, dtype=torch.float64)
    f = only(build("tanh(x)", ["x=-8.0"], dtype="float64"), "saturated")
    assert f.params["derivative"] == pytest.approx(g.item(), rel=1e-9)


def test_a_working_sigmoid_is_not_saturated():
    (g,) = grad(torch.sigmoid, 0.5)
    assert g.item() > 0.2
    assert "saturated" not in codes(build("sigmoid(x)", ["x=0.5"]))


RELU_LAYER = "sum(relu(W @ v + b))"
V = ["v=[1.0, -1.0, 0.5, 2.0]"]


def _relu_grads(b):
    torch.manual_seed(0)
    W = torch.randn(3, 4).requires_grad_()
    bias = torch.tensor(b, requires_grad=True)
    v = torch.tensor([1.0, -1.0, 0.5, 2.0])
    return torch.autograd.grad(torch.relu(W @ v + bias).sum(), (W, bias))


def test_dead_relu_layer():
    gW, gb = _relu_grads([-5.0, -5.0, -5.0])
    assert not gW.any() and not gb.any()
    s = build(RELU_LAYER, ["W=randn(3, 4)", "b=[-5.0, -5.0, -5.0]"], V, seed=0)
    f = only(s, "dead_relu")
    assert f.params["total"] == 3 and f.params["max_input"] < 0
    stopped = {x.params["variable"]: x.params["stopped_by"] for x in diagnose(s)
               if x.code == "zero_grad"}
    assert stopped == {"W": "ReluBackward0", "b": "ReluBackward0"}


def test_a_relu_layer_with_one_unit_off_is_not_dead():
    gW, gb = _relu_grads([0.1, -0.2, -0.3])  # the bundled relu-layer example
    assert gb.tolist().count(0.0) == 1
    s = build(RELU_LAYER, ["W=randn(3, 4)", "b=[0.1, -0.2, -0.3]"], V, seed=0)
    assert not {"dead_relu", "zero_grad"} & set(codes(s))


def test_clamp_outside_its_range():
    (g,) = grad(lambda x: (torch.clamp(x, min=0, max=1) * 3).sum(), [2.0, -5.0])
    assert g.tolist() == [0.0, 0.0]
    f = only(build("sum(clamp(x, min=0, max=1)*3)", ["x=[2.0, -5.0]"]), "clamped")
    assert (f.params["min"], f.params["max"], f.params["total"]) == (0.0, 1.0, 2)
    s = build("sum(clamp(x, min=0, max=1)*3)", ["x=[0.5, 5.0]"])
    assert "clamped" not in codes(s) and "zero_grad" not in codes(s)


def test_max_routes_the_gradient_to_one_element():
    (g,) = grad(torch.max, [1.0, 3.0, 2.0])
    f = only(build("max(x)", ["x=[1.0, 3.0, 2.0]"]), "routed")
    assert f.severity == "info"
    assert (f.params["receiving"], f.params["total"]) == (int((g != 0).sum()), g.numel())
    assert "routed" not in codes(build("sum(x)", ["x=[1.0, 3.0, 2.0]"]))


def test_detached_leaf_is_unreached_and_says_why():
    x, w, v = (torch.tensor(a, requires_grad=True) for a in (1.0, 2.0, 3.0))
    assert torch.autograd.grad(x * w + (v * x).detach(), v, allow_unused=True) == (None,)
    s = build("x*w + detach(v*x)", ["x=1.0", "w=2.0", "v=3.0"])
    f = only(s, "unreached")
    assert f.params == {"variable": "v", "reason": "detached"}
    assert s.variable("v").grad is None
    assert "unreached" not in codes(build("x*w + detach(x*w)", ["x=1.0", "w=2.0"]))


# -- exploding, not checked, nothing at all ------------------------------------------------

def test_exploding_gradient_norm():
    (g,) = grad(lambda x: x * 8 * 8 * 8 * 8, 1.0)
    f = only(build("x*8*8*8*8", ["x=1.0"]), "exploding")
    assert f.params["norm"] == g.item() == 4096.0
    assert f.params["growth"] == 4096.0
    assert "exploding" not in codes(build("x*8*8*8", ["x=1.0"]))  # 512 < 1000


def test_the_seed_has_no_problem_but_says_what_was_not_checked():
    s = build("5*x**3 + 2*x**2 + 4*x + 8", ["x=2.0"])
    findings = diagnose(s)
    assert problems(findings) == []
    assert [f.code for f in findings] == ["not_checked"]
    assert dict(map(tuple, findings[0].params["ops"])) == {"AddBackward0": 3, "MulBackward0": 3}


def test_findings_survive_the_snapshot_json():
    s = build("sqrt(x)*x", ["x=0.0"])
    again = Snapshot.from_json(s.to_json())
    assert [f.to_dict() for f in diagnose(again)] == [f.to_dict() for f in diagnose(s)]


def test_big_tensors_are_judged_from_their_summary():
    # 20 elements: stored as a summary (min, max, mean, norm), not element by element
    values = [8.0 + i / 4 for i in range(20)]
    (g,) = grad(lambda x: torch.sigmoid(x).sum(), values, dtype=torch.float64)
    text = "x=[" + ", ".join(str(v) for v in values) + "]"
    f = only(build("sum(sigmoid(x))", [text], dtype="float64"), "saturated")
    assert (f.params["count"], f.params["z"]) == (20, 8.0)
    assert f.params["derivative"] == pytest.approx(g.max().item(), rel=1e-9)  # the largest
    spread = "x=[" + ", ".join(str(v - 12) for v in values) + "]"  # some near 0: unknown
    assert "saturated" not in codes(build("sum(sigmoid(x))", [spread]))
    (gc,) = grad(lambda x: torch.clamp(x, min=0, max=1).sum(), values)
    assert not gc.any()
    clamp = only(build("sum(clamp(x, min=0, max=1))", [text]), "clamped")
    assert (clamp.params["total"], clamp.params["value"]) == (20, 8.0)


def test_a_scripts_nan_names_the_line_that_computed_it():
    from gradviz.core.runtime.jobs import snapshot_from_code

    code = ("import torch\n"
            "x = torch.tensor(0.0, requires_grad=True)\n"
            "h = x * 2\n"
            "r = torch.sqrt(h)\n"  # line 4: the cause
            "output = r * h\n")
    (g,) = grad(lambda x: torch.sqrt(x * 2) * (x * 2), 0.0)
    assert math.isnan(g)
    s = snapshot_from_code(code, "nan demo", options=BuildOptions(layout=False))
    f = only(s, "nonfinite")
    assert (f.params["cause"], f.params["line"]) == ("sqrt_zero", 4)
    assert f.params["expression"] == "√(2·x)"  # core.origins' math text of the node
