"""Snapshots of a few standard functions, built with real PyTorch, for tests."""

from __future__ import annotations

import torch

from gradviz.core.graph.record import ForwardRecorder
from gradviz.core.runtime.pipeline import BuildOptions, build_snapshot
from gradviz.core.snapshot import Snapshot

SEED_SOURCE = "5*x**3 + 2*x**2 + 4*x + 8"


class Cube(torch.autograd.Function):
    """A custom autograd Function (x³ with its own backward) that saves its input."""

    @staticmethod
    def forward(ctx, t):
        ctx.save_for_backward(t)
        return t**3

    @staticmethod
    def backward(ctx, grad):
        (t,) = ctx.saved_tensors
        return grad * 3 * t**2


def seed_snapshot(**options) -> Snapshot:
    """The seed lesson: y = 5x³ + 2x² + 4x + 8 at x = 2 (y = 64, x.grad = 72)."""
    x = torch.tensor(2.0, requires_grad=True)
    with ForwardRecorder() as rec:
        y = 5 * x**3 + 2 * x**2 + 4 * x + 8
    return build_snapshot(y, params={"x": x}, values=rec.values, source=SEED_SOURCE,
                          options=BuildOptions(**options))


def neuron_snapshot(**options) -> Snapshot:
    """sigmoid(w*x + b) with w=0.5, x=2, b=-1."""
    w = torch.tensor(0.5, requires_grad=True)
    x = torch.tensor(2.0, requires_grad=True)
    b = torch.tensor(-1.0, requires_grad=True)
    with ForwardRecorder() as rec:
        y = torch.sigmoid(w * x + b)
    return build_snapshot(y, params={"w": w, "x": x, "b": b}, values=rec.values,
                          source="sigmoid(w*x + b)", options=BuildOptions(**options))


def transformer_loss(layers: int = 2) -> tuple[torch.Tensor, torch.nn.Module, dict]:
    """A stack of nn.TransformerEncoderLayer(d_model=64, nhead=4): (loss = output.sum(), the
    model, the forward values recorded)."""
    torch.manual_seed(0)
    layer = torch.nn.TransformerEncoderLayer(d_model=64, nhead=4, dim_feedforward=128,
                                             dropout=0.0)
    model = torch.nn.TransformerEncoder(layer, num_layers=layers, enable_nested_tensor=False)
    inp = torch.randn(5, 1, 64)
    with ForwardRecorder() as rec:
        loss = model(inp).sum()
    return loss, model, rec.values


def transformer_snapshot(layers: int = 2, **options) -> Snapshot:
    """:func:`transformer_loss`'s graph, built."""
    loss, model, values = transformer_loss(layers)
    return build_snapshot(loss, params=dict(model.named_parameters()), values=values,
                          source=f"transformer x{layers}", options=BuildOptions(**options))


def chain_snapshot(ops: int = 5000, **options) -> Snapshot:
    """A chain of ``ops`` elementwise ops (deeper than torchviz's recursion allows)."""
    x = torch.tensor(0.5, requires_grad=True)
    y = x
    with ForwardRecorder() as rec:
        for i in range(ops):
            y = torch.sin(y) if i % 2 else y * 1.0001
    return build_snapshot(y, params={"x": x}, values=rec.values, source=f"chain {ops}",
                          options=BuildOptions(**options))
