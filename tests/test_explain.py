"""Step explanations: every number they state is PyTorch's, and the formulas reproduce it."""

from __future__ import annotations

import pytest
import torch
import torch.nn.functional as F

from gradviz.core import pipeline
from gradviz.core.explain import explain_steps
from gradviz.core.explain_text import render_explanation
from tests.snapshots import seed_snapshot

T = torch.tensor


@pytest.fixture(autouse=True)
def explained(monkeypatch):
    """Replicate the pipeline hook: explain the steps right after the trace."""
    trace = pipeline.trace_backward

    def trace_and_explain(roots, graph, **kwargs):
        steps = trace(roots, graph, **kwargs)
        if not any(s.explanation for s in steps):  # the hook is not in the pipeline yet
            explain_steps(steps, graph)
        return steps

    monkeypatch.setattr(pipeline, "trace_backward", trace_and_explain)


def leaf(*values):
    """A float64 leaf (a number gives a 0-d tensor)."""
    return torch.tensor(values[0] if len(values) == 1 else list(values), dtype=torch.float64,
                        requires_grad=True)


def v(x):
    """An explanation value as a float64 tensor."""
    return torch.as_tensor(x, dtype=torch.float64)


def unbroadcast(t, shape):
    """Sum ``t`` down to ``shape`` (what autograd does for broadcast inputs)."""
    return t.sum_to_size(shape) if list(t.shape) != list(shape) else t


# Each case: build(leaves) -> op output and the op's inputs (None for constants);
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
    "neg": (lambda a, b: (-a, [a]), "NegBackward0", lambda o, g, s: {"x": -g}),
    "pow": (lambda a, b: (a**3, [a]), "PowBackward0",
            lambda o, g, s: {"x": g * o["n"] * o["x"] ** (o["n"] - 1)}),
    "pow_half": (lambda a, b: (b**0.5, [b]), "PowBackward0",
                 lambda o, g, s: {"x": g * o["n"] * o["x"] ** o["n−1"]}),
    "pow_tensor": (lambda a, b: (b**a, [b, a]), "PowBackward1",
                   lambda o, g, s: {"x": g * o["p"] * o["x"] ** (o["p"] - 1),
                                    "p": g * o["r"] * torch.log(o["x"])}),
    "exp": (lambda a, b: (a.exp(), [a]), "ExpBackward0", lambda o, g, s: {"x": g * o["y"]}),
    "log": (lambda a, b: (b.log(), [b]), "LogBackward0", lambda o, g, s: {"x": g / o["x"]}),
    "sin": (lambda a, b: (a.sin(), [a]), "SinBackward0",
            lambda o, g, s: {"x": g * torch.cos(o["x"])}),
    "cos": (lambda a, b: (a.cos(), [a]), "CosBackward0",
            lambda o, g, s: {"x": -g * torch.sin(o["x"])}),
    "tan": (lambda a, b: (a.tan(), [a]), "TanBackward0",
            lambda o, g, s: {"x": g * (1 + o["y"] ** 2)}),
    "tanh": (lambda a, b: (a.tanh(), [a]), "TanhBackward0",
             lambda o, g, s: {"x": g * (1 - o["y"] ** 2)}),
    "sigmoid": (lambda a, b: (a.sigmoid(), [a]), "SigmoidBackward0",
                lambda o, g, s: {"x": g * o["y"] * (1 - o["y"])}),
    "relu": (lambda a, b: (a.relu(), [a]), "ReluBackward0",
             lambda o, g, s: {"x": g * (o["y"] > 0)}),
    "threshold": (lambda a, b: (F.threshold(a, 0.1, 0.0), [a]), "ThresholdBackward0",
                  lambda o, g, s: {"x": g * (o["x"] > o["t"])}),
    "sqrt": (lambda a, b: (b.sqrt(), [b]), "SqrtBackward0",
             lambda o, g, s: {"x": g / (2 * o["y"])}),
    "abs": (lambda a, b: (a.abs(), [a]), "AbsBackward0",
            lambda o, g, s: {"x": g * torch.sign(o["x"])}),
    "sum": (lambda a, b: (a.sum(), [a]), "SumBackward0",
            lambda o, g, s: {"x": g.expand(s["x"])}),
    "mean": (lambda a, b: (a.mean(), [a]), "MeanBackward0",
             lambda o, g, s: {"x": g.expand(s["x"]) / o["N"]}),
}

# Scalar operands, then small tensors (b stays positive for log, sqrt and powers).
SCALARS = ((0.7,), (1.6,))
TENSORS = ((0.5, -1.2, 2.0), (1.5, 0.4, 3.0))


def build(case, values, upstream=True):
    """Leaves a, b; the op's output y; the root (y·c summed: a non-trivial grad_out)."""
    make, op, check = CASES[case]
    a, b = leaf(*values[0]), leaf(*values[1])
    y, inputs = make(a, b)
    c = torch.linspace(0.5, 2.0, y.numel(), dtype=torch.float64).reshape(y.shape)
    root = (y * c).sum() if upstream else y
    return a, b, y, inputs, root


def step_of(snapshot, op):
    """The last step running ``op`` (the upstream ``(y·c).sum()`` runs before the op)."""
    steps = [s for s in snapshot.steps if s.op == op]
    assert steps, f"no {op} step in {[s.op for s in snapshot.steps]}"
    return steps[-1]


def check_explanation(step, inputs, root, check):
    """Results are PyTorch's gradients, and the formula reproduces each of them."""
    expl = step.explanation
    assert expl["op"] == step.op
    grads = torch.autograd.grad(root, [t for t in inputs if t is not None], retain_graph=True)
    grads = iter(grads)
    expected = {}
    for index, t in enumerate(inputs):
        if t is not None:
            expected[index] = next(grads)
    ops = {o["name"]: v(o["value"]) for o in expl["operands"] if not isinstance(o["value"], str)}
    shapes = {r["wrt"]: list(v(r["value"]).shape) for r in expl["results"]}
    formula = check(ops, ops["grad_out"], shapes)
    assert sorted(r["input"] for r in expl["results"]) == sorted(expected)
    assert [r["value"] for r in expl["results"]] == [g.value for g in step.grad_out]
    for result in expl["results"]:
        torch.testing.assert_close(v(result["value"]), expected[result["input"]])
        torch.testing.assert_close(v(result["value"]), formula[result["wrt"]].to(torch.float64))
        assert result["formula"]
    return expl


@pytest.mark.parametrize("values", [SCALARS, TENSORS], ids=["scalar", "tensor"])
@pytest.mark.parametrize("case", sorted(CASES))
def test_rule_numbers_are_pytorchs(case, values):
    a, b, y, inputs, root = build(case, values)
    snapshot = pipeline.build_snapshot(root, params={"a": a, "b": b},
                                       options=pipeline.BuildOptions(layout=False))
    step = step_of(snapshot, CASES[case][1])
    expl = check_explanation(step, inputs, root, CASES[case][2])
    assert expl["rule"] != "generic"
    text = render_explanation(expl)
    assert text.startswith(step.op)
    for result in expl["results"]:
        if isinstance(result["value"], float):
            assert f"{result['value']:.4g}".replace("-0", "0") in text.replace("(", "")


def _onehot(t, classes):
    return F.one_hot(t.long(), classes).to(torch.float64)


# Ops that need particular shapes: build() -> (op output, op inputs, leaves).
def _mats():
    return leaf(*[[0.5, -1.0, 2.0], [1.5, 0.25, -0.75]]), leaf(*[[1.0, 2.0], [-1.0, 0.5],
                                                                  [0.25, 3.0]])


SHAPED = {
    "mm": (lambda A, B: (A @ B, [A, B]), _mats, "MmBackward0",
           lambda o, g, s: {"A": g @ o["B"].T, "B": o["A"].T @ g}),
    "dot": (lambda a, b: (a @ b, [a, b]), lambda: (leaf(*TENSORS[0]), leaf(*TENSORS[1])),
            "DotBackward0", lambda o, g, s: {"a": g * o["b"], "b": g * o["a"]}),
    "mv": (lambda A, x: (A @ x, [A, x]), lambda: (_mats()[0], leaf(*TENSORS[1])),
           "MvBackward0", lambda o, g, s: {"A": torch.outer(g, o["v"]), "v": o["A"].T @ g}),
    "softmax": (lambda a, b: (a.softmax(0), [a]), lambda: (leaf(*TENSORS[0]), leaf(1.0)),
                "SoftmaxBackward0",
                lambda o, g, s: {"x": o["y"] * (g - (g * o["y"]).sum(0, keepdim=True))}),
    "log_softmax": (lambda A, b: (A.log_softmax(1), [A]), lambda: (_mats()[0], leaf(1.0)),
                    "LogSoftmaxBackward0",
                    lambda o, g, s: {"x": g - o["y"].exp() * g.sum(1, keepdim=True)}),
    "mse": (lambda a, b: (F.mse_loss(a, b), [a, b]), lambda: (leaf(*TENSORS[0]),
                                                              leaf(*TENSORS[1])),
            "MseLossBackward0", lambda o, g, s: {"ŷ": 2 * (o["ŷ"] - o["y"]) * g / o["N"],
                                                 "y": -2 * (o["ŷ"] - o["y"]) * g / o["N"]}),
    "mse_sum": (lambda a, b: (F.mse_loss(a, b.detach(), reduction="sum"), [a, None]),
                lambda: (leaf(*TENSORS[0]), leaf(*TENSORS[1])), "MseLossBackward0",
                lambda o, g, s: {"ŷ": 2 * (o["ŷ"] - o["y"]) * g}),
    "nll": (lambda A, t: (F.nll_loss(A, t), [A]),
            lambda: (leaf(*[[-0.5, -1.5, -2.0], [-1.0, -0.7, -3.0]]), T([2, 0])),
            "NllLossBackward0", lambda o, g, s: {"z": -g * _onehot(o["t"], 3) / o["W"]}),
    "sum_dim": (lambda A, b: (A.sum(0), [A]), lambda: (_mats()[0], leaf(1.0)), "SumBackward1",
                lambda o, g, s: {"x": g.unsqueeze(0).expand(s["x"])}),
    "mean_dim": (lambda A, b: (A.mean(1), [A]), lambda: (_mats()[0], leaf(1.0)),
                 "MeanBackward1", lambda o, g, s: {"x": g.unsqueeze(1).expand(s["x"]) / o["N"]}),
    "add_broadcast": (lambda A, b: (A + b, [A, b]), lambda: (_mats()[0], leaf(*TENSORS[1])),
                      "AddBackward0", lambda o, g, s: {"a": g, "b": g.sum(0)}),
    "mul_broadcast": (lambda A, b: (A * b, [A, b]), lambda: (_mats()[0], leaf(*TENSORS[1])),
                      "MulBackward0", lambda o, g, s: {"a": g * o["b"], "b": (g * o["a"]).sum(0)}),
}


@pytest.mark.parametrize("case", sorted(SHAPED))
def test_shaped_rule_numbers_are_pytorchs(case):
    make, leaves, op, check = SHAPED[case]
    a, b = leaves()
    y, inputs = make(a, b)
    c = torch.linspace(0.5, 2.0, y.numel(), dtype=torch.float64).reshape(y.shape)
    root = (y * c).sum()
    params = {"a": a} | ({"b": b} if b.requires_grad else {})
    snapshot = pipeline.build_snapshot(root, params=params,
                                       options=pipeline.BuildOptions(layout=False))
    expl = check_explanation(step_of(snapshot, op), inputs, root, check)
    text = render_explanation(expl)
    assert text.startswith(op) and "⊙" not in text.split(":")[0]
    formulas = {r["wrt"]: r["formula"] for r in expl["results"]}
    if case == "mul_broadcast":  # a product of tensors is elementwise: ⊙, never ·
        assert formulas["a"] == "{grad_out} ⊙ {b}" and "grad_out ⊙ b" in text
    if case in ("add_broadcast", "mul_broadcast"):  # b was broadcast over A's rows: summed back
        assert formulas["b"].startswith("Σ[") and not formulas["a"].startswith("Σ[")
        assert "grad_b = Σ[grad_out" in text


def test_cross_entropy_is_nll_after_log_softmax():
    logits = leaf(*[[0.5, -1.0, 2.0], [1.5, 0.25, -0.75]])
    target = T([2, 1])
    loss = F.cross_entropy(logits, target)
    snapshot = pipeline.build_snapshot(loss, params={"logits": logits},
                                       options=pipeline.BuildOptions(layout=False))
    assert [s.op for s in snapshot.steps] == ["NllLossBackward0", "LogSoftmaxBackward0",
                                              "AccumulateGrad"]
    nll, log_softmax, acc = (s.explanation for s in snapshot.steps)
    assert (nll["rule"], log_softmax["rule"]) == ("nll", "log_softmax")
    probs = logits.detach().softmax(1)
    expected = (probs - F.one_hot(target, 3)) / 2  # the classic softmax − onehot, over N
    torch.testing.assert_close(v(log_softmax["results"][0]["value"]), expected)
    torch.testing.assert_close(v(acc["grad_after"]), expected)
    ops = {o["name"]: o["value"] for o in nll["operands"]}
    assert ops["reduction"] == "mean" and ops["W"] == 2.0 and ops["t"] == [2, 1]


def test_seed_explanations_render():
    snapshot = seed_snapshot(layout=False)
    texts = [render_explanation(s.explanation) for s in snapshot.steps]
    assert texts == [
        "AddBackward0 (5·x³ + 2·x² + 4·x + 8): grad_in = grad_out = 1",
        "AddBackward0 (5·x³ + 2·x² + 4·x): grad_a = grad_out = 1; grad_b = grad_out = 1",
        "MulBackward0 (4·x): grad_in = grad_out · 4 = 1 · 4 = 4",
        "AddBackward0 (5·x³ + 2·x²): grad_a = grad_out = 1; grad_b = grad_out = 1",
        "MulBackward0 (2·x²): grad_in = grad_out · 2 = 1 · 2 = 2",
        "PowBackward0 (x²): grad_in = grad_out · 2·x = 2 · 2·2 = 8",
        "MulBackward0 (5·x³): grad_in = grad_out · 5 = 1 · 5 = 5",
        "PowBackward0 (x³): grad_in = grad_out · 3·x² = 5 · 3·2² = 60",
        "AccumulateGrad: x.grad = 0 + 4 + 8 + 60 = 72 (0 → 4 → 12 → 72)",
    ]
    acc = snapshot.steps[-1].explanation
    assert acc["running"] == [0, 4.0, 12.0, 72.0] and acc["grad_after"] == 72.0
    assert [c["step"] for c in acc["contributions"]] == [2, 5, 7]
    pow3 = snapshot.steps[7].explanation
    ops = {o["name"]: o["value"] for o in pow3["operands"]}
    assert ops == {"grad_out": 5.0, "x": 2.0, "n": 3, "n−1": 2}
    assert pow3["results"] == [{"input": 0, "wrt": "x", "target": "n8",
                                "formula": "{grad_out} · {n}·{x}^{n−1}", "value": 60.0}]
    assert ops["grad_out"] * ops["n"] * ops["x"] ** (ops["n"] - 1) == 60.0


def test_second_run_accumulates_onto_existing_grad():
    snapshot = seed_snapshot(layout=False, runs=2)
    acc = [s.explanation for s in snapshot.steps if s.op == "AccumulateGrad"]
    assert [a["running"] for a in acc] == [[0, 4, 12, 72], [72, 76, 84, 144]]
    assert render_explanation(acc[1]).endswith("= 144 (72 → 76 → 84 → 144)")


def test_same_input_twice_gets_both_gradients():
    x = leaf(3.0)
    root = x * x
    snapshot = pipeline.build_snapshot(root, params={"x": x},
                                       options=pipeline.BuildOptions(layout=False))
    expl = snapshot.steps[0].explanation
    assert [(r["input"], r["value"]) for r in expl["results"]] == [(0, 3.0), (1, 3.0)]
    assert render_explanation(expl) == (
        "MulBackward0 (x·x): grad_x = grad_out · x = 1 · 3 = 3; grad_x = grad_out · x = 1 · 3 = 3")
    assert snapshot.steps[1].explanation["running"] == [0, 3.0, 6.0]


def test_unknown_op_gets_generic_explanation():
    x = leaf(*TENSORS[0])
    root = x.reshape(3, 1).t().sum()
    snapshot = pipeline.build_snapshot(root, params={"x": x},
                                       options=pipeline.BuildOptions(layout=False))
    step = next(s for s in snapshot.steps if s.op == "TBackward0")
    expl = step.explanation
    assert expl["rule"] == "generic" and expl["operands"][0]["shape"] == [1, 3]
    assert expl["results"][0]["shape"] == [3, 1]
    assert expl["results"][0]["value"] == step.grad_out[0].value
    assert render_explanation(expl).startswith("TBackward0: grad_out = ")


def test_big_tensors_are_summarised():
    A = torch.randn(8, 8, dtype=torch.float64, requires_grad=True)
    root = (A.sigmoid()).sum()
    snapshot = pipeline.build_snapshot(root, params={"A": A},
                                       options=pipeline.BuildOptions(layout=False))
    expl = next(s for s in snapshot.steps if s.op == "SigmoidBackward0").explanation
    y = next(o for o in expl["operands"] if o["name"] == "y")["value"]
    assert isinstance(y, dict) and y["shape"] == [8, 8]
    assert "⊙" in render_explanation(expl)


def test_explanations_survive_json():
    snapshot = seed_snapshot(layout=False)
    again = type(snapshot).from_json(snapshot.to_json())
    assert [s.explanation for s in again.steps] == [s.explanation for s in snapshot.steps]


def test_big_model_explains_every_step_without_errors():
    from tests.snapshots import transformer_snapshot

    snapshot = transformer_snapshot(layers=1, layout=False)
    expls = [s.explanation for s in snapshot.steps]
    assert all(e is not None and "error" not in e for e in expls)
    rules = {e["rule"] for e in expls}
    assert {"accumulate", "generic", "add", "relu"} <= rules
    acc = next(e for e in expls if e["rule"] == "accumulate")
    assert "→" not in render_explanation(acc)  # summarised grads: no running sums to show
