"""Paths from the output to a node: the chain rule, checked against torch.autograd.grad."""

from __future__ import annotations

import math

import pytest
import torch

from gradviz.core.graph.paths import edge_chain, gradient_paths, path_text
from gradviz.core.runtime.jobs import snapshot_from_code, snapshot_from_expression
from gradviz.core.runtime.options import BuildOptions
from gradviz.core.snapshot import Snapshot

NO_LAYOUT = BuildOptions(layout=False)


def _build(text, variables):
    return snapshot_from_expression(text, variables, options=NO_LAYOUT)


def _grad(fn, *values):
    leaves = [torch.tensor(v, dtype=torch.float32, requires_grad=True) for v in values]
    return [g.tolist() for g in torch.autograd.grad(fn(*leaves), leaves)]


def test_seed_one_path_per_term():
    snap = _build("5*x**3 + 2*x**2 + 4*x + 8", ["x=2.0"])
    paths = gradient_paths(snap, snap.variable("x").node)
    assert paths.mode == "product" and paths.count == 3 and not paths.truncated
    # Each path is one term's derivative, computed by torch on the term alone.
    terms = [lambda x: 5 * x**3, lambda x: 2 * x**2, lambda x: 4 * x]
    expected = sorted(_grad(term, 2.0)[0] for term in terms)
    assert sorted(p.value for p in paths.paths) == pytest.approx(expected)
    assert paths.total == pytest.approx(72.0) == paths.gradient
    texts = {path_text(p) for p in paths.paths}
    assert texts == {"1 · 1 · 1 · 5 · 12 = 60", "1 · 1 · 1 · 2 · 4 = 8", "1 · 1 · 4 = 4"}


@pytest.mark.parametrize(("text", "variables", "fn"), [
    ("5*x**3 + 2*x**2 + 4*x + 8", {"x": 2.0}, lambda x: 5 * x**3 + 2 * x**2 + 4 * x + 8),
    ("x*x*x*x", {"x": 1.5}, lambda x: x * x * x * x),
    ("sin(x*y)", {"x": 1.5, "y": -2.0}, lambda x, y: torch.sin(x * y)),
    ("sigmoid(w*x + b)", {"w": 0.5, "x": 2.0, "b": -1.0},
     lambda w, x, b: torch.sigmoid(w * x + b)),
    ("x*y + x/y - exp(-x)", {"x": 0.7, "y": 3.0},
     lambda x, y: x * y + x / y - torch.exp(-x)),
])
def test_sum_over_paths_is_torchs_gradient(text, variables, fn):
    snap = _build(text, [f"{k}={v}" for k, v in variables.items()])
    grads = _grad(fn, *variables.values())
    for name, grad in zip(variables, grads):
        paths = gradient_paths(snap, snap.variable(name).node)
        assert paths.mode == "product"
        assert paths.total == pytest.approx(grad, rel=1e-5)
        assert sum(p.value for p in paths.paths) == pytest.approx(grad, rel=1e-5)
        assert paths.gradient == pytest.approx(grad, rel=1e-5)
        for path in paths.paths:
            assert math.prod(path.factors) == pytest.approx(path.value)
            assert len(path.factors) == len(path.edges) == len(path.nodes) - 1


def test_each_path_of_x_to_the_fourth_is_x_cubed():
    snap = _build("x*x*x*x", ["x=1.5"])
    paths = gradient_paths(snap, snap.variable("x").node)
    assert paths.count == 4
    assert [p.value for p in paths.paths] == pytest.approx([1.5**3] * 4)
    assert len({tuple(p.edges) for p in paths.paths}) == 4  # x·x: two edges, two paths


def test_single_paths_match_their_partial_derivatives():
    snap = _build("sin(x*y)", ["x=1.5", "y=-2.0"])
    (path,) = gradient_paths(snap, snap.variable("x").node).paths
    assert path.factors == pytest.approx([math.cos(-3.0), -2.0])
    snap = _build("sigmoid(w*x + b)", ["w=0.5", "x=2.0", "b=-1.0"])
    (path,) = gradient_paths(snap, snap.variable("w").node).paths
    s = 1 / (1 + math.exp(0.0))
    assert path.factors == pytest.approx([s * (1 - s), 1.0, 2.0])


def test_paths_to_an_inner_node_sum_to_its_incoming_gradient():
    snap = _build("sigmoid(w*x + b)", ["w=0.5", "x=2.0", "b=-1.0"])
    mul = next(n.id for n in snap.nodes if n.op == "MulBackward0")
    paths = gradient_paths(snap, mul)
    assert paths.count == 1 and paths.total == pytest.approx(0.25) == paths.gradient


def test_highlight_covers_exactly_the_paths():
    snap = _build("5*x**3 + 2*x**2 + 4*x + 8", ["x=2.0"])
    paths = gradient_paths(snap, snap.variable("x").node)
    assert sorted({i for p in paths.paths for i in p.edges}) == paths.edges
    assert set(paths.nodes) == {n for p in paths.paths for n in p.nodes}
    for path in paths.paths:
        for a, b, i in zip(path.nodes, path.nodes[1:], path.edges):
            assert (snap.edges[i].target, snap.edges[i].source) == (a, b)


@pytest.mark.parametrize(("text", "variables", "fn"), [
    ("sum(W @ v)", {"W": [[1.0, 2.0], [3.0, 4.0]], "v": [1.0, -1.0]},
     lambda W, v: (W @ v).sum()),
    ("sum(v*v + 3*v)", {"v": [1.0, 2.0]}, lambda v: (v * v + 3 * v).sum()),
])
def test_tensor_paths_show_what_their_last_edge_delivered(text, variables, fn):
    snap = _build(text, [f"{k}={v}" for k, v in variables.items()])
    grads = _grad(fn, *variables.values())
    for name, grad in zip(variables, grads):
        paths = gradient_paths(snap, snap.variable(name).node)
        assert paths.mode == "last_edge"
        assert torch.allclose(torch.tensor(paths.total), torch.tensor(grad))
        for path in paths.paths:
            step = next(s for s in snap.steps if s.node == path.nodes[-2])
            sent = [g.value for g in step.grad_out if g.target == path.nodes[-1]]
            assert path.value in sent


def test_exponentially_many_paths_are_counted_not_listed():
    code = ("import torch\nx = torch.tensor(1.0, requires_grad=True)\nh = x\n"
            "for _ in range(10):\n    h = h * h\noutput = h\n")
    snap = snapshot_from_code(code, "squares", options=NO_LAYOUT)
    (leaf,) = snap.variables
    paths = gradient_paths(snap, leaf.node)
    assert paths.count == 1024 and len(paths.paths) == 64 and paths.truncated
    assert paths.total == pytest.approx(1024.0) == paths.gradient  # d/dx x**1024 at 1


def test_edge_chain_upstream_times_local_is_sent():
    snap = _build("5*x**3 + 2*x**2 + 4*x + 8", ["x=2.0"])
    pow3 = next(s for s in snap.steps if s.op == "PowBackward0" and s.grad_in == [5.0])
    (chain,) = edge_chain(snap, pow3)
    assert (chain.upstream, chain.local, chain.sent) == (5.0, 12.0, 60.0)
    assert snap.edges[chain.edge].source == chain.target


def test_works_on_a_snapshot_read_back_from_json():
    snap = Snapshot.from_json(_build("x*x*x*x", ["x=2.0"]).to_json())
    assert gradient_paths(snap, snap.variable("x").node).total == pytest.approx(32.0)


def test_a_node_off_every_path_has_none():
    snap = _build("x*y", ["x=2.0", "y=3.0"])
    saved = next(n.id for n in snap.nodes if n.kind == "saved")
    paths = gradient_paths(snap, saved)
    assert paths.count == 0 and paths.paths == [] and paths.total is None


def _torch_path_count(root_fn, leaf) -> int:
    """Paths from ``root_fn`` to ``leaf``'s AccumulateGrad, counted on torch's own graph."""
    memo, stack = {}, [(root_fn, False)]
    while stack:  # the same count, written independently of core.paths
        fn, done = stack.pop()
        if fn is None or (not done and id(fn) in memo):
            continue
        if done:
            if hasattr(fn, "variable"):
                memo[id(fn)] = int(fn.variable is leaf)
            else:
                memo[id(fn)] = sum(memo.get(id(n), 0) for n, _ in fn.next_functions
                                   if n is not None)
            continue
        memo.setdefault(id(fn), None)
        stack.append((fn, True))
        stack.extend((n, False) for n, _ in fn.next_functions if n is not None
                     and id(n) not in memo)
    return memo[id(root_fn)]


def test_path_counts_match_torchs_graph_where_paths_merge_again():
    # Residual connections and attention's q, k, v: paths split and merge at every layer.
    from gradviz.core.graph.record import ForwardRecorder
    from gradviz.core.runtime.pipeline import build_snapshot

    torch.manual_seed(0)
    layer = torch.nn.TransformerEncoderLayer(d_model=16, nhead=2, dim_feedforward=32,
                                             dropout=0.0)
    model = torch.nn.TransformerEncoder(layer, num_layers=2, enable_nested_tensor=False)
    with ForwardRecorder() as rec:
        loss = model(torch.randn(3, 1, 16)).sum()
    params = dict(model.named_parameters())
    snap = build_snapshot(loss, params=params, values=rec.values, source="t",
                          options=BuildOptions(layout=False))
    for name in ("layers.0.linear1.bias", "layers.0.self_attn.in_proj_weight",
                 "layers.1.norm2.weight"):
        paths = gradient_paths(snap, snap.variable(name).node)
        assert paths.count == _torch_path_count(loss.grad_fn, params[name]) > 0, name
        grad = torch.autograd.grad(loss, params[name], retain_graph=True)[0]
        if isinstance(paths.total, dict):  # a big tensor's summary: one last edge
            assert paths.total["norm"] == pytest.approx(grad.norm().item(), rel=1e-4)
        elif paths.total is not None:
            assert torch.allclose(torch.tensor(paths.total), grad, atol=1e-5)


def test_a_scalar_graph_that_splits_and_merges():
    code = ("import torch\nx = torch.tensor(0.7, requires_grad=True)\n"
            "w = torch.tensor(1.3, requires_grad=True)\n"
            "a = x * w\nb = torch.sin(a)\nc = a * b\nd = c + a\noutput = d * b\n")
    snap = snapshot_from_code(code, "merge", options=NO_LAYOUT)
    x = torch.tensor(0.7, requires_grad=True)
    w = torch.tensor(1.3, requires_grad=True)
    a = x * w
    b = torch.sin(a)
    out = (a * b + a) * b
    gx, gw = torch.autograd.grad(out, [x, w], retain_graph=True)
    for value, leaf, grad in ((0.7, x, gx), (1.3, w, gw)):
        node = next(v.node for v in snap.variables if v.value == pytest.approx(value))
        paths = gradient_paths(snap, node)
        assert paths.mode == "product"
        # to a: d→c→a, d→c→b→a, d→a, b→a; then one edge a→x (or a→w)
        assert paths.count == _torch_path_count(out.grad_fn, leaf) == 4
        assert paths.total == pytest.approx(grad.item(), rel=1e-5)
        assert sum(p.value for p in paths.paths) == pytest.approx(grad.item(), rel=1e-5)
