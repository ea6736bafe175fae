"""Step explanations of elementwise ops: every number is PyTorch's, and the formula,
computed here independently from the explanation's operands, reproduces it.

The explanations are the ones the pipeline made (no test computes its own), so
removing the explain call from :mod:`gradviz.core.runtime.pipeline` fails these tests.
"""

from __future__ import annotations

import math

import pytest
import torch
import torch.nn.functional as F

from gradviz.core.explain.text import render_explanation
from tests.explain_cases import (
    check_explanation,
    leaf,
    snapshot_of,
    step_of,
    unbroadcast,
    weighted_root,
)
from tests.snapshots import Cube


def _phi(x):
    return torch.exp(-x * x / 2) / math.sqrt(2 * math.pi)


def _Phi(x):
    return 0.5 * (1 + torch.erf(x / math.sqrt(2)))


# Each case: build(a, b) -> op output and the op's inputs (None for constants);
# the op's backward class; and the rule's formula computed here, independently,
# from the explanation's operands: check(o, g, shapes) -> {wrt: expected gradient}.
CASES = {
    "add": (lambda a, b: (a + b, [a, b]), "AddBackward0",
            lambda o, g, s: {"a": unbroadcast(g, s["a"]), "b": unbroadcast(g, s["b"])}),
    "add_alpha": (lambda a, b: (torch.add(a, b, alpha=3), [a, b]), "AddBackward0",
                  lambda o, g, s: {"a": g, "b": o["alpha"] * g}),
    "add_const": (lambda a, b: (a + 3, [a, None]), "AddBackward0", lambda o, g, s: {"a": g}),
    "sub": (lambda a, b: (a - b, [a, b]), "SubBackward0", lambda o, g, s: {"a": g, "b": -g}),
    "rsub": (lambda a, b: (3 - a, [a]), "RsubBackward1", lambda o, g, s: {"x": -g}),
    "mul": (lambda a, b: (a * b, [a, b]), "MulBackward0",
            lambda o, g, s: {"a": unbroadcast(g * o["b"], s["a"]),
                             "b": unbroadcast(g * o["a"], s["b"])}),
    "mul_const": (lambda a, b: (4 * a, [a, None]), "MulBackward0",
                  lambda o, g, s: {"a": g * o["b"]}),
    "div": (lambda a, b: (a / b, [a, b]), "DivBackward0",
            lambda o, g, s: {"a": g / o["b"], "b": -g * o["a"] / o["b"] ** 2}),
    "div_const": (lambda a, b: (a / 3, [a, None]), "DivBackward0",
                  lambda o, g, s: {"a": g / o["b"]}),
    "div_const_tensor": (lambda a, b: (a / b.detach(), [a, None]), "DivBackward0",
                         lambda o, g, s: {"a": g / o["b"]}),
    "neg": (lambda a, b: (-a, [a]), "NegBackward0", lambda o, g, s: {"x": -g}),
    "reciprocal": (lambda a, b: (b.reciprocal(), [b]), "ReciprocalBackward0",
                   lambda o, g, s: {"x": -g * o["out"] ** 2}),
    "clone": (lambda a, b: (a.clone(), [a]), "CloneBackward0", lambda o, g, s: {"x": g}),
    "pow": (lambda a, b: (a**3, [a]), "PowBackward0",
            lambda o, g, s: {"x": g * o["n"] * o["x"] ** (o["n"] - 1)}),
    "pow_half": (lambda a, b: (b**0.5, [b]), "PowBackward0",
                 lambda o, g, s: {"x": g * o["n"] * o["x"] ** o["n-1"]}),
    "pow_tensor": (lambda a, b: (b**a, [b, a]), "PowBackward1",
                   lambda o, g, s: {"x": g * o["p"] * o["x"] ** (o["p"] - 1),
                                    "p": g * o["out"] * torch.log(o["x"])}),
    "exp": (lambda a, b: (a.exp(), [a]), "ExpBackward0", lambda o, g, s: {"x": g * o["out"]}),
    "log": (lambda a, b: (b.log(), [b]), "LogBackward0", lambda o, g, s: {"x": g / o["x"]}),
    "log1p": (lambda a, b: (b.log1p(), [b]), "Log1PBackward0",
              lambda o, g, s: {"x": g / (1 + o["x"])}),
    "sin": (lambda a, b: (a.sin(), [a]), "SinBackward0",
            lambda o, g, s: {"x": g * torch.cos(o["x"])}),
    "cos": (lambda a, b: (a.cos(), [a]), "CosBackward0",
            lambda o, g, s: {"x": -g * torch.sin(o["x"])}),
    "tan": (lambda a, b: (a.tan(), [a]), "TanBackward0",
            lambda o, g, s: {"x": g * (1 + o["out"] ** 2)}),
    "tanh": (lambda a, b: (a.tanh(), [a]), "TanhBackward0",
             lambda o, g, s: {"x": g * (1 - o["out"] ** 2)}),
    "sigmoid": (lambda a, b: (a.sigmoid(), [a]), "SigmoidBackward0",
                lambda o, g, s: {"x": g * o["out"] * (1 - o["out"])}),
    "relu": (lambda a, b: (a.relu(), [a]), "ReluBackward0",
             lambda o, g, s: {"x": g * (o["out"] > 0)}),
    "threshold": (lambda a, b: (F.threshold(a, 0.1, 0.0), [a]), "ThresholdBackward0",
                  lambda o, g, s: {"x": g * (o["x"] > o["t"])}),
    "sqrt": (lambda a, b: (b.sqrt(), [b]), "SqrtBackward0",
             lambda o, g, s: {"x": g / (2 * o["out"])}),
    "abs": (lambda a, b: (a.abs(), [a]), "AbsBackward0",
            lambda o, g, s: {"x": g * torch.sign(o["x"])}),
    "clamp": (lambda a, b: (a.clamp(-0.6, 1.0), [a]), "ClampBackward1",
              lambda o, g, s: {"x": g * ((o["lo"] <= o["x"]) & (o["x"] <= o["hi"]))}),
    "clamp_min": (lambda a, b: (a.clamp(min=0.6), [a]), "ClampBackward1",
                  lambda o, g, s: {"x": g * (o["lo"] <= o["x"])}),
    "clamp_min_fn": (lambda a, b: (torch.clamp_min(a, 0.6), [a]), "ClampMinBackward0",
                     lambda o, g, s: {"x": g * (o["lo"] <= o["x"])}),
    "clamp_max_fn": (lambda a, b: (torch.clamp_max(a, 0.6), [a]), "ClampMaxBackward0",
                     lambda o, g, s: {"x": g * (o["x"] <= o["hi"])}),
    "pow_base": (lambda a, b: (2 ** a, [a]), "PowBackward2",
                 lambda o, g, s: {"p": g * o["out"] * torch.log(o["c"])}),
    "minimum": (lambda a, b: (torch.minimum(a, b), [a, b]), "MinimumBackward0",
                lambda o, g, s: {"a": g * ((o["a"] < o["b"]) + 0.5 * (o["a"] == o["b"])),
                                 "b": g * ((o["b"] < o["a"]) + 0.5 * (o["a"] == o["b"]))}),
    "leaky_relu": (lambda a, b: (F.leaky_relu(a, 0.1), [a]), "LeakyReluBackward0",
                   lambda o, g, s: {"x": g * ((o["x"] > 0) + o["s"] * (o["x"] <= 0))}),
    "elu": (lambda a, b: (F.elu(a, 0.5), [a]), "EluBackward0",
            lambda o, g, s: {"x": g * ((o["x"] > 0) + (o["x"] <= 0) * o["α"] * o["x"].exp())}),
    "softplus": (lambda a, b: (F.softplus(a, beta=2.0), [a]), "SoftplusBackward0",
                 lambda o, g, s: {"x": g * torch.sigmoid(o["β"] * o["x"])}),
    "gelu": (lambda a, b: (F.gelu(a), [a]), "GeluBackward0",
             lambda o, g, s: {"x": g * (_Phi(o["x"]) + o["x"] * _phi(o["x"]))}),
    "silu": (lambda a, b: (F.silu(a), [a]), "SiluBackward0",
             lambda o, g, s: {"x": g * torch.sigmoid(o["x"]) * (
                 1 + o["x"] * (1 - torch.sigmoid(o["x"])))}),
    "maximum": (lambda a, b: (torch.maximum(a, b), [a, b]), "MaximumBackward0",
                lambda o, g, s: {"a": g * ((o["a"] > o["b"]) + 0.5 * (o["a"] == o["b"])),
                                 "b": g * ((o["b"] > o["a"]) + 0.5 * (o["a"] == o["b"]))}),
    "where": (lambda a, b: (torch.where(a > 0, a, b), [a, b]), "WhereBackward0",
              lambda o, g, s: {"a": g * o["cond"], "b": g * (1 - o["cond"])}),
    "masked_fill": (lambda a, b: (a.masked_fill(a > 0, 0.0), [a]), "MaskedFillBackward0",
                    lambda o, g, s: {"x": g * (1 - o["mask"])}),
    "custom": (lambda a, b: (Cube.apply(a), [a]), "CubeBackward",
               lambda o, g, s: {"in0": g * 3 * _leaf_value["a"] ** 2}),
    "sum": (lambda a, b: (a.sum(), [a]), "SumBackward0",
            lambda o, g, s: {"x": g.expand(s["x"])}),
    "mean": (lambda a, b: (a.mean(), [a]), "MeanBackward0",
             lambda o, g, s: {"x": g.expand(s["x"]) / o["N"]}),
}
_leaf_value: dict = {}  # the custom Function's input, for its independent formula

# Scalar operands, then small tensors (b stays positive for log, sqrt and powers; the
# maximum case has a tie in the tensors).
SCALARS = ((0.7,), (1.6,))
TENSORS = ((0.5, -1.2, 2.0), (1.5, 0.4, 2.0))


@pytest.mark.parametrize("values", [SCALARS, TENSORS], ids=["scalar", "tensor"])
@pytest.mark.parametrize("case", sorted(CASES))
def test_rule_numbers_are_pytorchs(case, values):
    make, op, check = CASES[case]
    a, b = leaf(*values[0]), leaf(*values[1])
    _leaf_value["a"] = a.detach()
    y, inputs = make(a, b)
    root = weighted_root(y)
    snapshot = snapshot_of(root, a=a, b=b)
    step = step_of(snapshot, op)
    expl = check_explanation(step, inputs, root, check)
    text = render_explanation(expl)
    assert text.startswith(step.op)
    assert "−" not in text  # one minus sign: ASCII, as numbers print
    for result in expl["results"]:
        if isinstance(result["value"], float):
            assert f"{result['value']:.4g}".replace("-0", "0") in text.replace("(", "")


def test_custom_function_says_it_is_the_users_backward():
    a = leaf(2.0)
    snapshot = snapshot_of(Cube.apply(a) * 5, a=a)
    expl = step_of(snapshot, "CubeBackward").explanation
    assert expl["rule"] == "custom"
    assert render_explanation(expl) == (
        "CubeBackward (Cube(a)), your own backward: grad_in = Cube.backward(grad_out)"
        " = Cube.backward(5) = 60")
    french = {"own_backward": "votre propre backward"}
    assert "votre propre backward" in render_explanation(expl, french)
