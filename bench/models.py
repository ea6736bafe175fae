"""The benchmark graphs: the seed, an MLP, a small CNN, transformer stacks, a deep chain.

Each builder runs the forward pass and returns a :class:`Model`: the output
the backward starts from, the named leaves, and (when ``record``) the
forward values a :class:`~gradviz.core.graph.record.ForwardRecorder` saw, as the
app records them. The builders mirror ``tests/snapshots.py`` (same seeds,
same sizes), so the graphs are the ones the tests and the bench README talk about.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import torch

from gradviz.core.graph.record import ForwardRecorder

SEED_SOURCE = "5*x**3 + 2*x**2 + 4*x + 8"


@dataclass
class Model:
    """A built forward pass, ready for make_dot and build_snapshot."""

    name: str
    output: torch.Tensor
    params: dict[str, torch.Tensor]
    values: dict[int, Any] = field(default_factory=dict)
    source: str = ""
    keep: Any = None  # the nn.Module, kept alive with its parameters
    forward_s: float = 0.0  # the forward pass alone (recorder included when recording)


def _recording(record: bool):
    return ForwardRecorder() if record else contextlib.nullcontext()


def seed(record: bool = True) -> Model:
    """y = 5x³ + 2x² + 4x + 8 at x = 2 (y = 64, x.grad = 72)."""
    x = torch.tensor(2.0, requires_grad=True)
    start = time.perf_counter()
    with _recording(record) as rec:
        y = 5 * x**3 + 2 * x**2 + 4 * x + 8
    took = time.perf_counter() - start
    return Model("seed", y, {"x": x}, rec.values if record else {}, SEED_SOURCE, forward_s=took)


def _module(name: str, model: torch.nn.Module, inp: torch.Tensor, record: bool) -> Model:
    """Run ``model(inp).sum()`` (under a recorder when ``record``)."""
    start = time.perf_counter()
    with _recording(record) as rec:
        loss = model(inp).sum()
    took = time.perf_counter() - start
    return Model(name, loss, dict(model.named_parameters()), rec.values if record else {},
                 name, keep=model, forward_s=took)


def mlp(record: bool = True, batch: int = 32, width: int = 128) -> Model:
    """Linear(64, w)–ReLU–Linear(w, w)–ReLU–Linear(w, 10) on a (batch, 64) input, summed."""
    torch.manual_seed(0)
    nn = torch.nn
    model = nn.Sequential(nn.Linear(64, width), nn.ReLU(), nn.Linear(width, width), nn.ReLU(),
                          nn.Linear(width, 10))
    return _module("MLP", model, torch.randn(batch, 64), record)


def cnn(record: bool = True, batch: int = 4, size: int = 32, channels: int = 8) -> Model:
    """Conv2d(3, c, 3)–ReLU–MaxPool2d(2)–Flatten–Linear(…, 10) on (batch, 3, size, size)."""
    torch.manual_seed(0)
    nn = torch.nn
    pooled = channels * ((size - 2) // 2) ** 2
    model = nn.Sequential(nn.Conv2d(3, channels, 3), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(),
                          nn.Linear(pooled, 10))
    return _module("CNN", model, torch.randn(batch, 3, size, size), record)


def transformer(layers: int, record: bool = True) -> Model:
    """``layers`` × TransformerEncoderLayer(d_model=64, nhead=4) on a (5, 1, 64) input.

    loss = output.sum(); seeded as ``tests/snapshots.py:transformer_snapshot``.
    """
    torch.manual_seed(0)
    layer = torch.nn.TransformerEncoderLayer(d_model=64, nhead=4, dim_feedforward=128,
                                             dropout=0.0)
    model = torch.nn.TransformerEncoder(layer, num_layers=layers, enable_nested_tensor=False)
    inp = torch.randn(5, 1, 64)
    start = time.perf_counter()
    with _recording(record) as rec:
        loss = model(inp).sum()
    took = time.perf_counter() - start
    return Model(f"transformer x{layers}", loss, dict(model.named_parameters()),
                 rec.values if record else {}, f"transformer x{layers}", keep=model,
                 forward_s=took)


def chain(ops: int = 5000, record: bool = True) -> Model:
    """``ops`` alternating ``y * 1.0001`` / ``sin(y)``: deeper than torchviz's recursion."""
    x = torch.tensor(0.5, requires_grad=True)
    y = x
    start = time.perf_counter()
    with _recording(record) as rec:
        for i in range(ops):
            y = torch.sin(y) if i % 2 else y * 1.0001
    took = time.perf_counter() - start
    return Model(f"chain {ops}", y, {"x": x}, rec.values if record else {}, f"chain {ops}",
                 forward_s=took)


@dataclass
class Case:
    """One row of the pipeline table: a graph and whether saved tensors are shown."""

    label: str
    build: Callable[[bool], Model]  # build(record) -> Model
    show_saved: bool
    deep: bool = False  # make_dot needs a big stack and recursion limit
    big: bool = False  # counts for the ≤ 1.15 ratio target (24 layers and the chain)


def cases(quick: bool = False) -> list[Case]:
    """The benchmark rows (``quick``: smaller graphs, for a smoke run)."""
    chain_ops = 1000 if quick else 5000
    rows = [Case("seed", seed, True), Case("MLP", mlp, True), Case("CNN", cnn, True)]
    for layers in (12,) if quick else (12, 24):
        for saved in (True, False):
            rows.append(Case(f"transformer x{layers}",
                             lambda record, n=layers: transformer(n, record), saved,
                             big=layers == 24))
    # With saved tensors shown, Graphviz needs minutes on the chain: hidden here.
    if not quick:  # the 1,000-op chain: first frame and jumps (issue 14)
        rows.append(Case("chain 1000", lambda record: chain(1000, record), False, deep=True))
    rows.append(Case(f"chain {chain_ops}", lambda record, n=chain_ops: chain(n, record), False,
                     deep=True, big=True))
    return rows
