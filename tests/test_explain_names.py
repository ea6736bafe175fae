"""Every name an explanation shows is the user's own, or defined where it stands.

Placeholders of the rules (``a``, ``b``, ``x``, ``y``…) must never reach the
text: a student whose variables are called ``a`` and ``b`` would read them as
their own. Each explanation of every step is rendered for functions with
varied names, and each identifier in it must be one of the function's names,
an op class drawn in the graph, or the fixed notation below.
"""

from __future__ import annotations

import re

import pytest
import torch

from gradviz.core.explain.text import WORDS, render_explanation
from gradviz.core.runtime.jobs import snapshot_from_expression
from gradviz.core.runtime.options import BuildOptions
from tests.explain_cases import leaf, snapshot_of
from tests.snapshots import Cube

NOTATION = {
    "grad_out", "grad_in", "None", "dim", "min", "max", "sin", "cos", "tan", "tanh", "exp", "ln",
    "sign", "relu", "threshold", "softmax", "log_softmax", "sum", "mean", "onehot", "nll",
    "mse", "bce", "clamp", "maximum", "minimum", "logsumexp", "leaky_relu", "elu", "softplus",
    "gelu", "silu", "view", "reshape", "transpose", "permute", "expand", "sum_to", "squeeze",
    "unsqueeze", "gather", "scatter_add", "masked_fill", "where", "clone", "backward", "nan",
    "inf", "σ", "Φ", "φ", "μ",
} | {w for text in WORDS.values() for w in re.findall(r"[^\W\d]\w*", text)}
_IDENTIFIER = re.compile(r"(?<![\w.])[^\W\d]\w*")
_MARKS = str.maketrans("", "", "ᵀ⁰¹²³⁴⁵⁶⁷⁸⁹⁻ΣΠ√½")

TYPED = [
    ("sin(x*y)", ["x=1.5", "y=-2"]),  # (text, variables[, constants])
    ("(3*w)**2", ["w=2"]),
    ("sum(v + 1) * b", ["v=[1, 2]", "b=3"]),
    ("a*a*a*a", ["a=2"]),
    ("sum(softmax(z) * w1)", ["z=[1, 2, 3]", "w1=[1, 0, 0]"]),
    ("sum(mean(M, dim=-1))", ["M=[[1, 2], [3, 4]]"]),
    ("cross_entropy(logits, y)", ["logits=[[1, 2, 0.5], [0, 1, 3]]", "y=long([2, 0])"]),
    ("binary_cross_entropy(sigmoid(b1), t)", ["b1=[0.3, -1]", "t=[0, 1]"]),
    ("sum(where(x > 0, x, 0.1*x))", ["x=[1, -2, 3]"]),
    ("sum(leaky_relu(h, 0.1) + elu(h) + gelu(h) + silu(h) + softplus(h))", ["h=[0.5, -1]"]),
    ("sum(clamp(q, min=-1, max=1)) + prod(q) + logsumexp(q) + norm(q) + amax(q) + max(q)"
     " + min(q)", ["q=[0.5, -2, 1.5]"]),
    ("sum(log1p(p) + 1/p + p/3)", ["p=[0.5, 2]"]),
    ("sum(matmul(W, u)) + dot(u, u)", ["W=[[1, 2], [3, 4]]", "u=[0.5, -1]"]),
    ("mse_loss(yhat, target)", ["yhat=[1, 2]", "target=[1.5, 1]"]),
    ("5*x**3 + 2*x**2 + 4*x + 8", ["x=2"]),
    ("exp(c) * tanh(c) - sqrt(c) + abs(c) + cos(c) + tan(c) - 2", ["c=0.7"]),
    ("relu(k - 1) * sigmoid(k) / (k + 2)", ["k=3"]),
    ("sum(c - v) * sum(v + c) - s + 2 - sum(1 - v)", ["v=[1, 2]"], ["c=[3, 5]", "s=2"]),
    ("sum(log(r) + max(r, s1) + min(r, s1)) + mean(-r) - r1 ** r2 + 2 ** r1",
     ["r=[0.5, 2]", "s1=[1, 1]", "r1=1.5", "r2=2"]),
    ("sum(min(M, dim=0)) + sum(amin(M, 1)) + sum(M @ N) + sum(prod(M, 1)) + sum(sum(M, dim=0))",
     ["M=[[1, 2], [3, -4]]", "N=[[0.5, 1], [2, 1]]"]),
]


def _built():
    """Functions built in Python: (root, {name: tensor}) with views, indexing and layers."""
    a, b1, w = leaf(0.5, -1.2, 2.0), leaf(1.5, 0.4, 3.0), leaf(*[[1.0, 2.0], [3.0, -4.0]])
    y = b1.clone()
    y[0] = y[0] * 3
    torch.manual_seed(0)
    mlp = torch.nn.Sequential(torch.nn.Linear(2, 3), torch.nn.ReLU(), torch.nn.Linear(3, 1))
    mlp = mlp.double()
    index = torch.tensor([0, 2, 0])
    roots = {
        "views": ((a.view(3, 1).t().expand(2, 3) * w[:, :1]).sum() + a.unsqueeze(0).sum(),
                  {"a": a, "w": w}),
        "indexing": (a[index].sum() + w[1].sum() + w[:, 1:].sum()
                     + w.gather(1, torch.tensor([[0], [1]])).sum()
                     + a.masked_fill(a > 0, 0.0).sum(), {"a": a, "w": w, "index": index}),
        "in_place": (y.sum(), {"b1": b1}),
        "custom": (Cube.apply(a).sum() * 2, {"a": a}),
        "mlp": (mlp(w).sum(), {"w": w, **dict(mlp.named_parameters())}),
        "mlp_on_data": (mlp(w.detach()).sum(), dict(mlp.named_parameters())),  # x not named
        "batched": ((torch.bmm(w.expand(2, 2, 2), w.T.expand(2, 2, 2))).sum(), {"w": w}),
        "squeezes": (a.unsqueeze(0).squeeze().sum() + a.unsqueeze(0).squeeze(0).sum()
                     + a.unsqueeze(0).squeeze((0,)).sum()
                     + torch.ops.aten._unsafe_view(w, (4,)).sum(), {"a": a, "w": w}),
        "clamps": (torch.nn.functional.threshold(a, 0.1, 0.0).sum()
                   + torch.clamp_min(a, 0.1).sum() + torch.clamp_max(b1, 1.0).sum(),
                   {"a": a, "b1": b1}),
        "transpose": (w.transpose(0, 1).permute(1, 0).sum() * b1.max(0).values, {"w": w,
                                                                                 "b1": b1}),
    }
    return roots


def _strangers(text: str, names: set[str], ops: set[str]) -> set[str]:
    """Identifiers in ``text`` that are neither the user's, nor an op, nor notation."""
    known = names | NOTATION | ops | {op.removesuffix("Backward") for op in ops}
    found = set()
    for token in _IDENTIFIER.findall(text.translate(_MARKS)):
        if token.startswith("grad_") and token not in NOTATION:
            token = token[len("grad_"):]
        if token and token not in known:
            found.add(token)
    return found


def _check(snapshot, names: set[str]) -> list[str]:
    ops = {s.op for s in snapshot.steps}
    problems = []
    for step in snapshot.steps:
        expl = step.explanation
        assert expl is not None and "error" not in expl, (step.op, expl)
        text = render_explanation(expl)
        strangers = _strangers(text, names, ops)
        if strangers:
            problems.append(f"{sorted(strangers)} in {text!r}")
    return problems


@pytest.mark.parametrize("case", TYPED, ids=[case[0] for case in TYPED])
def test_typed_functions_explain_with_their_own_names(case):
    text, variables, constants = (*case, [])[:3]
    snapshot = snapshot_from_expression(text, variables, constants,
                                        options=BuildOptions(layout=False))
    names = {v.split("=")[0] for v in [*variables, *constants]}
    assert _check(snapshot, names) == []
    assert all(s.explanation["rule"] != "generic" for s in snapshot.steps)


BUILT = ["views", "indexing", "in_place", "custom", "mlp", "mlp_on_data", "batched", "squeezes",
         "clamps", "transpose"]


@pytest.mark.parametrize("case", BUILT)
def test_built_functions_explain_with_their_own_names(case):
    root, params = _built()[case]
    snapshot = snapshot_of(root, **params)
    names = {part for name in params for part in name.split(".")}
    assert _check(snapshot, names) == []
    assert all(s.explanation["rule"] != "generic" for s in snapshot.steps)


def test_these_functions_use_every_rule():
    from gradviz.core.explain.rules import RULES

    ops = set()
    for case in TYPED:
        text, variables, constants = (*case, [])[:3]
        snapshot = snapshot_from_expression(text, variables, constants,
                                            options=BuildOptions(layout=False))
        ops |= {s.op for s in snapshot.steps}
    for root, params in _built().values():
        ops |= {s.op for s in snapshot_of(root, **params).steps}
    assert set(RULES) <= ops, sorted(set(RULES) - ops)
    assert "CubeBackward" in ops  # and a custom Function


def test_the_checker_catches_a_placeholder():
    assert _strangers("MulBackward0 (x·y): grad_a = grad_out · b", {"x", "y"},
                      {"MulBackward0"}) == {"a", "b"}
    assert _strangers("SinBackward0 (sin(x·y)): grad_in = grad_out · cos(x·y)", {"x", "y"},
                      {"SinBackward0"}) == set()
