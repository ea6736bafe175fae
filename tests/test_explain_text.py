"""Explanations as read: the seed's lines word for word, accumulation, JSON, fallbacks."""

from __future__ import annotations

import pytest
import torch
import torch.nn.functional as F

from gradviz.core.explain.precedence import wrap
from gradviz.core.explain.text import render_explanation
from tests.explain_cases import leaf, snapshot_of, v
from tests.snapshots import seed_snapshot


def test_seed_explanations_render():
    snapshot = seed_snapshot(layout=False)
    texts = [render_explanation(s.explanation) for s in snapshot.steps]
    assert texts == [
        "AddBackward0 (5·x³ + 2·x² + 4·x + 8): grad_in = grad_out = 1",
        "AddBackward0 (5·x³ + 2·x² + 4·x): grad_(5·x³ + 2·x²) = grad_out = 1;"
        " grad_(4·x) = grad_out = 1",
        "MulBackward0 (4·x): grad_in = grad_out · 4 = 1 · 4 = 4",
        "AddBackward0 (5·x³ + 2·x²): grad_(5·x³) = grad_out = 1; grad_(2·x²) = grad_out = 1",
        "MulBackward0 (2·x²): grad_in = grad_out · 2 = 1 · 2 = 2",
        "PowBackward0 (x²): grad_in = grad_out · 2·x = 2 · 2·2 = 8",
        "MulBackward0 (5·x³): grad_in = grad_out · 5 = 1 · 5 = 5",
        "PowBackward0 (x³): grad_in = grad_out · 3·x² = 5 · 3·2² = 60",
        "AccumulateGrad: x.grad = 4 + 8 + 60 = 72 (None → 4 → 12 → 72)",
    ]
    acc = snapshot.steps[-1].explanation
    assert acc["running"] == [None, 4.0, 12.0, 72.0] and acc["grad_after"] == 72.0
    assert [c["step"] for c in acc["contributions"]] == [2, 5, 7]
    pow3 = snapshot.steps[7].explanation
    ops = {o["name"]: o["value"] for o in pow3["operands"]}
    assert ops == {"grad_out": 5.0, "x": 2.0, "n": 3, "n-1": 2}
    assert pow3["results"] == [{"input": 0, "wrt": "x", "target": "n8",
                                "formula": "{grad_out} · {n}·{x}^{n-1}", "value": 60.0}]
    assert ops["grad_out"] * ops["n"] * ops["x"] ** (ops["n"] - 1) == 60.0


def test_second_run_accumulates_onto_existing_grad():
    snapshot = seed_snapshot(layout=False, runs=2)
    acc = [s.explanation for s in snapshot.steps if s.op == "AccumulateGrad"]
    assert [a["running"] for a in acc] == [[None, 4, 12, 72], [72, 76, 84, 144]]
    assert render_explanation(acc[1]) == (
        "AccumulateGrad: x.grad = 72 + 4 + 8 + 60 = 144 (72 → 76 → 84 → 144)")


def test_same_input_twice_gets_both_gradients():
    x = leaf(3.0)
    snapshot = snapshot_of(x * x, x=x)
    expl = snapshot.steps[0].explanation
    assert [(r["input"], r["value"]) for r in expl["results"]] == [(0, 3.0), (1, 3.0)]
    assert render_explanation(expl) == (
        "MulBackward0 (x·x): grad_x = grad_out · x = 1 · 3 = 3; grad_x = grad_out · x = 1 · 3 = 3")
    assert snapshot.steps[1].explanation["running"] == [None, 3.0, 6.0]


def test_negative_numbers_one_minus_sign_and_bare_totals():
    a, b = leaf(1.0), leaf(2.0)
    snapshot = snapshot_of(a - b, a=a, b=b)
    texts = [render_explanation(s.explanation) for s in snapshot.steps]
    assert texts[0] == "SubBackward0 (a - b): grad_a = grad_out = 1; grad_b = -grad_out = -1"
    assert "AccumulateGrad: b.grad = -1 (None → -1)" in texts


def test_unknown_op_gets_generic_explanation():
    x = leaf(0.5, -1.2, 2.0)
    snapshot = snapshot_of(x.cumsum(0).sum(), x=x)
    step = next(s for s in snapshot.steps if s.op == "CumsumBackward0")
    expl = step.explanation
    assert expl["rule"] == "generic" and expl["operands"][0]["shape"] == [3]
    assert expl["results"][0]["shape"] == [3]
    assert expl["results"][0]["value"] == step.grad_out[0].value
    assert render_explanation(expl).startswith("CumsumBackward0: grad_out = ")


def test_cross_entropy_is_nll_after_log_softmax_and_names_the_target():
    logits = leaf(*[[0.5, -1.0, 2.0], [1.5, 0.25, -0.75]])
    target = torch.tensor([2, 1])
    snapshot = snapshot_of(F.cross_entropy(logits, target), logits=logits, target=target)
    assert [s.op for s in snapshot.steps] == ["NllLossBackward0", "LogSoftmaxBackward0",
                                              "AccumulateGrad"]
    nll, log_softmax, acc = (s.explanation for s in snapshot.steps)
    assert (nll["rule"], log_softmax["rule"]) == ("nll", "log_softmax")
    probs = logits.detach().softmax(1)
    expected = (probs - F.one_hot(target, 3)) / 2  # the classic softmax - onehot, over N
    torch.testing.assert_close(v(log_softmax["results"][0]["value"]), expected)
    torch.testing.assert_close(v(acc["grad_after"]), expected)
    ops = {o["name"]: o["value"] for o in nll["operands"]}
    assert ops["reduction"] == "mean" and ops["W"] == 2.0 and ops["t"] == [2, 1]
    text = render_explanation(nll)
    assert text.startswith("NllLossBackward0 (nll(log_softmax(logits, dim=1), target)): "
                           "grad_in = -grad_out · onehot(target) / 2"), text


def test_big_tensors_are_summarised():
    A = torch.randn(8, 8, dtype=torch.float64, requires_grad=True)
    snapshot = snapshot_of(A.sigmoid().sum(), A=A)
    expl = next(s for s in snapshot.steps if s.op == "SigmoidBackward0").explanation
    out = next(o for o in expl["operands"] if o["name"] == "out")["value"]
    assert isinstance(out, dict) and out["shape"] == [8, 8]
    assert "⊙ σ(A) ⊙ (1 - σ(A))" in render_explanation(expl)


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
    assert {"accumulate", "addmm", "add", "relu", "transpose", "view"} <= rules
    acc = next(e for e in expls if e["rule"] == "accumulate")
    assert "→" not in render_explanation(acc)  # summarised grads: no running sums to show


@pytest.mark.parametrize(("label", "before", "after", "shown"), [
    ("3·x", "", "^", "(3·x)"),  # (3·x)², not 3·x²
    ("x²", "", "^", "(x²)"),
    ("x + 1", "2·", "", "(x + 1)"),
    ("x + 1", "sin(", ")", "x + 1"),  # a function's parentheses are enough
    ("x + 1", "", "", "x + 1"),  # a whole total: no parentheses
    ("-2", "grad_out · ", "", "(-2)"),
    ("x - 1", "a - ", "", "(x - 1)"),
    ("-x", "a + ", "", "(-x)"),
    ("x·y", "a + ", "", "x·y"),
    ("a·b", "-", "", "(a·b)"),  # unary minus
    ("a·w", "Σ", "", "(a·w)"),
    ("softmax(v)", "Σ", "", "(softmax(v))"),
    ("x", "Σ", "", "x"),
    ("-1", "dim=", "", "-1"),
    ("x·y", "", " / 2", "x·y"),
    ("x·y", "1 / ", "", "(x·y)"),
    ("x > 0", "grad_out ⊙ ", "", "(x > 0)"),  # a condition as a 0/1 factor
    ("x > 0", "where(", ", a, b)", "x > 0"),
    ("x > 0", "1 + ", "", "(x > 0)"),
])
def test_parentheses_only_where_precedence_needs_them(label, before, after, shown):
    assert wrap(label, before, after) == shown


def test_the_input_of_a_power_is_parenthesised_in_the_text():
    x = leaf(2.0)
    snapshot = snapshot_of((3 * x) ** 2, x=x)
    assert render_explanation(snapshot.steps[0].explanation) == (
        "PowBackward0 ((3·x)²): grad_in = grad_out · 2·(3·x) = 1 · 2·6 = 12")


def test_example_08_reads_without_a_division_by_one():
    from gradviz.core.runtime.jobs import snapshot_from_expression
    from gradviz.core.runtime.options import BuildOptions

    snapshot = snapshot_from_expression("cross_entropy(z, 2)", ["z=[1.0, 2.0, 0.5]"],
                                        options=BuildOptions(layout=False))
    assert render_explanation(snapshot.steps[0].explanation) == (
        "NllLossBackward0 (nll(log_softmax(z, dim=0), 2)): grad_in = -grad_out · onehot(2)"
        " = -1 · onehot(2) = [0, 0, -1]")


def test_a_typed_condition_reads_as_typed():
    from gradviz.core.runtime.jobs import snapshot_from_expression
    from gradviz.core.runtime.options import BuildOptions

    snapshot = snapshot_from_expression("sum(where(x>0, x, 0.1*x)) + sum((x >= 1) * x)",
                                        ["x=[1, -2, 3]"], options=BuildOptions(layout=False))
    texts = [render_explanation(s.explanation) for s in snapshot.steps]
    assert ("WhereBackward0 (where(x > 0, x, 0.1·x)): grad_x = grad_out ⊙ (x > 0)"
            " = [1, 1, 1] ⊙ [1, 0, 1] = [1, 0, 1]; grad_(0.1·x) = grad_out ⊙ (1 - (x > 0))"
            " = [1, 1, 1] ⊙ (1 - [1, 0, 1]) = [0, 1, 0]") in texts, texts
    assert "MulBackward0 ((x ≥ 1)·x): grad_in = grad_out ⊙ (x ≥ 1) = [1, 1, 1] ⊙ [1, 0, 1]" \
        " = [1, 0, 1]" in texts, texts
