"""Per-node numbers to colour the graph by (core.node_measures), checked against PyTorch:
the gradient each grad_fn received (a pre-hook sees it), each node's saved storages."""

from __future__ import annotations

import math

import pytest
import torch

from gradviz.core.graph.record import ForwardRecorder
from gradviz.core.lens.node_measures import ColorScale, available, color_scale, node_measure
from gradviz.core.runtime.options import BuildOptions
from gradviz.core.runtime.pipeline import build_snapshot


def mlp():
    torch.manual_seed(0)
    return torch.nn.Sequential(torch.nn.Linear(4, 8), torch.nn.Tanh(),
                               torch.nn.Linear(8, 3)), torch.randn(5, 4)


def transformer_layer():
    torch.manual_seed(0)
    return torch.nn.TransformerEncoderLayer(d_model=16, nhead=2, dim_feedforward=32,
                                            dropout=0.0), torch.randn(4, 1, 16)


def build(make):
    model, inp = make()
    params = dict(model.named_parameters())
    with ForwardRecorder() as rec:
        loss = model(inp).pow(2).mean()
    fns: dict[str, object] = {}
    snapshot = build_snapshot(loss, params=params, values=rec.values, source="m",
                              options=BuildOptions(layout=False),
                              on_capture=lambda g: fns.update(g.functions()))
    return snapshot, fns, loss, params


@pytest.mark.parametrize("make", [mlp, transformer_layer], ids=["mlp", "transformer-layer"])
def test_gradient_norm_is_what_each_grad_fn_received_in_torch(make):
    snapshot, fns, loss, params = build(make)
    received: dict[str, float] = {}
    handles = []
    for node_id, fn in fns.items():
        def hook(grad_outputs, node_id=node_id):
            received[node_id] = math.sqrt(sum(float(g.double().pow(2).sum())
                                              for g in grad_outputs if g is not None))
        handles.append(fn.register_prehook(hook))
    grads = torch.autograd.grad(loss, list(params.values()), retain_graph=True)
    for h in handles:
        h.remove()
    norms = node_measure(snapshot, "grad_norm")
    functions = {n.id for n in snapshot.nodes if n.kind == "function"}
    assert functions & set(received) and functions & set(received) <= set(norms)
    for node_id in functions & set(received):
        assert norms[node_id] == pytest.approx(received[node_id], rel=1e-4, abs=1e-7), node_id
    for name, g in zip(params, grads):  # leaves: their .grad
        assert norms[snapshot.variable(name).node] == pytest.approx(g.norm().item(), rel=1e-4)


@pytest.mark.parametrize("make", [mlp, transformer_layer], ids=["mlp", "transformer-layer"])
def test_saved_bytes_are_each_nodes_deduplicated_saved_storages(make):
    snapshot, fns, _loss, _params = build(make)
    measured = node_measure(snapshot, "saved_bytes")
    expected = {}
    for node_id, fn in fns.items():
        storages = {}
        for attr in dir(fn):
            if attr.startswith("_saved_"):
                value = getattr(fn, attr)
                for t in value if isinstance(value, (tuple, list)) else [value]:
                    if torch.is_tensor(t):
                        storages[t.untyped_storage().data_ptr()] = t.untyped_storage().nbytes()
        if storages:
            expected[node_id] = sum(storages.values())
    assert expected and measured == pytest.approx(expected)


def test_a_weight_saved_twice_by_one_node_counts_once():
    w = torch.randn(3, 3, requires_grad=True)
    y = (w * w).sum()  # MulBackward0 saves self and other: the same storage
    snapshot = build_snapshot(y, params={"w": w}, source="w*w", options=BuildOptions(layout=False))
    mul = next(n.id for n in snapshot.nodes if n.op == "MulBackward0")
    assert node_measure(snapshot, "saved_bytes")[mul] == 9 * 4


def test_value_norm_and_order():
    x = torch.tensor([3.0, 4.0], requires_grad=True)
    with ForwardRecorder() as rec:
        y = (x * 2).sum()
    snapshot = build_snapshot(y, params={"x": x}, values=rec.values, source="s",
                              options=BuildOptions(layout=False))
    values = node_measure(snapshot, "value_norm")
    assert values[snapshot.variable("x").node] == pytest.approx(5.0)
    mul = next(n.id for n in snapshot.nodes if n.op == "MulBackward0")
    assert values[mul] == pytest.approx(10.0)
    assert "order" not in available(snapshot) and "grad_norm" in available(snapshot)
    with pytest.raises(ValueError):
        node_measure(snapshot, "colour")


def test_scales():
    assert color_scale({}) is None
    linear = color_scale({"a": 1.0, "b": 3.0})
    assert linear == ColorScale(1.0, 3.0) and linear.position(2.0) == 0.5
    log = color_scale([0.0, 1e-3, 1.0, 10.0])
    assert not color_scale([1.0, 9.0]).log and color_scale([1.0, 11.0]).log
    assert log.log and log.low == 1e-3 and log.position(0.0) == 0.0
    assert log.position(1.0) == pytest.approx(0.75) and log.position(10.0) == 1.0
    assert ColorScale(2.0, 2.0).position(2.0) == 1.0
    assert color_scale([float("nan"), 1.0]).position(float("inf")) == 1.0
