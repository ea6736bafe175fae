"""Gradient flow (core.gradient_flow): each parameter's numbers are p.grad's own."""

from __future__ import annotations

import math

import pytest
import torch

from gradviz.core.graph.record import ForwardRecorder
from gradviz.core.lens.gradient_flow import module_flow, parameter_flow
from gradviz.core.runtime.jobs import snapshot_from_expression
from gradviz.core.runtime.options import BuildOptions
from gradviz.core.runtime.pipeline import build_snapshot


def snapshot_and_grads(model, inp):
    params = dict(model.named_parameters())
    with ForwardRecorder() as rec:
        loss = model(inp).pow(2).mean()
    snapshot = build_snapshot(loss, params=params, values=rec.values, source="model",
                              options=BuildOptions(layout=False))
    grads = dict(zip(params, torch.autograd.grad(model(inp).pow(2).mean(), list(params.values()))))
    return snapshot, grads


def mlp():
    torch.manual_seed(0)
    model = torch.nn.Sequential(torch.nn.Linear(4, 8), torch.nn.ReLU(), torch.nn.Linear(8, 3))
    return model, torch.randn(5, 4)


def transformer_layer():
    torch.manual_seed(0)
    model = torch.nn.TransformerEncoderLayer(d_model=32, nhead=4, dim_feedforward=64,
                                             dropout=0.0)
    return model, torch.randn(6, 1, 32)


@pytest.mark.parametrize("make", [mlp, transformer_layer], ids=["mlp", "transformer-layer"])
def test_parameter_norms_and_max_are_pytorchs(make):
    snapshot, grads = snapshot_and_grads(*make())
    rows = {r.name: r for r in parameter_flow(snapshot)}
    assert set(rows) == set(grads)
    for name, g in grads.items():
        assert rows[name].norm == pytest.approx(g.norm().item(), rel=1e-5), name
        assert rows[name].max_abs == pytest.approx(g.abs().max().item(), rel=1e-6), name
        assert rows[name].count == g.numel()


@pytest.mark.parametrize("make", [mlp, transformer_layer], ids=["mlp", "transformer-layer"])
def test_module_norms_combine_their_parameters(make):
    snapshot, grads = snapshot_and_grads(*make())
    modules = {r.name: r for r in module_flow(parameter_flow(snapshot))}
    for module, row in modules.items():
        members = [g for name, g in grads.items() if name.rsplit(".", 1)[0] == module]
        assert members
        expected = math.sqrt(sum(g.norm().item() ** 2 for g in members))
        assert row.norm == pytest.approx(expected, rel=1e-5)
    assert set(modules) == {name.rsplit(".", 1)[0] for name in grads}


def test_small_gradients_have_mean_abs_and_zero_share():
    s = snapshot_from_expression("sum(relu(W @ v + b))", ["W=randn(3, 4)", "b=[0.1, -0.2, -0.3]"],
                                 ["v=[1.0, -1.0, 0.5, 2.0]"], seed=0,
                                 options=BuildOptions(layout=False))
    torch.manual_seed(0)
    W = torch.randn(3, 4).requires_grad_()
    b = torch.tensor([0.1, -0.2, -0.3], requires_grad=True)
    v = torch.tensor([1.0, -1.0, 0.5, 2.0])
    gW, gb = torch.autograd.grad(torch.relu(W @ v + b).sum(), (W, b))
    rows = {r.name: r for r in parameter_flow(s)}
    for name, g in (("W", gW), ("b", gb)):
        assert rows[name].mean_abs == pytest.approx(g.abs().mean().item())
        assert rows[name].zero_fraction == pytest.approx((g == 0).double().mean().item())
        assert rows[name].norm == pytest.approx(g.norm().item())
    assert rows["b"].zero_fraction == pytest.approx(1 / 3)
    (plain,) = module_flow(list(rows.values()))
    assert plain.name == "" and plain.count == 15


def test_big_gradients_say_unknown_rather_than_guess():
    snapshot, _ = snapshot_and_grads(*mlp())
    row = {r.name: r for r in parameter_flow(snapshot)}["0.weight"]  # 32 elements: a summary
    assert row.mean_abs is None and row.zero_fraction is None


def test_run_lines_are_each_runs_own_gradient_not_the_accumulated_grad():
    from gradviz.core.lens.gradient_flow import module_runs, run_flow

    torch.manual_seed(0)
    model = torch.nn.Sequential(torch.nn.Linear(3, 4), torch.nn.Tanh(), torch.nn.Linear(4, 1))
    inp = torch.randn(6, 3)
    params = dict(model.named_parameters())
    with ForwardRecorder() as rec:
        loss = model(inp).pow(2).mean()
    snapshot = build_snapshot(loss, params=params, values=rec.values, source="mlp",
                              options=BuildOptions(layout=False, runs=3))
    expected = {name: [] for name in params}
    for _ in range(3):  # torch: three backward calls, .grad not zeroed; each run's increment
        before = {n: (p.grad.clone() if p.grad is not None else 0) for n, p in params.items()}
        loss.backward(retain_graph=True)
        for n, p in params.items():
            expected[n].append((p.grad - before[n]).norm().item())
    lines = run_flow(snapshot)
    assert set(lines) == set(params)
    for name, line in lines.items():
        assert line == pytest.approx(expected[name], rel=1e-5)
    assert snapshot.variable("0.weight").grad is not None  # .grad is 3× a run's gradient
    per_module = module_runs(lines)
    assert list(per_module) == ["0", "2"]
    w, b = expected["0.weight"][1], expected["0.bias"][1]
    assert per_module["0"][1] == pytest.approx((w * w + b * b) ** 0.5, rel=1e-5)
