"""Saved-tensor memory (core.saved_memory): the bytes the grad_fns' ``_saved_*`` tensors keep
alive, each storage once, measured independently here by walking the autograd graph."""

from __future__ import annotations

import pytest
import torch

from gradviz.core.graph.record import ForwardRecorder
from gradviz.core.lens.saved_memory_report import memory_report
from gradviz.core.runtime.options import BuildOptions
from gradviz.core.runtime.pipeline import build_snapshot
from gradviz.core.snapshot import Snapshot


def independent_saved_bytes(root: torch.Tensor) -> int:
    """Walk next_functions from root.grad_fn; sum every saved tensor's storage, once each."""
    seen_fns, todo, storages = set(), [root.grad_fn], {}
    while todo:
        fn = todo.pop()
        if fn is None or id(fn) in seen_fns:
            continue
        seen_fns.add(id(fn))
        todo.extend(next_fn for next_fn, _ in fn.next_functions)
        for attr in dir(fn):
            if not attr.startswith("_saved_"):
                continue
            value = getattr(fn, attr)
            for t in value if isinstance(value, (tuple, list)) else [value]:
                if torch.is_tensor(t):
                    s = t.untyped_storage()
                    storages[s.data_ptr()] = s.nbytes()
    return sum(storages.values())


def build(model, inp):
    with ForwardRecorder() as rec:
        loss = model(inp).pow(2).mean()
    expected = independent_saved_bytes(loss)
    snapshot = build_snapshot(loss, params=dict(model.named_parameters()), values=rec.values,
                              source="model", options=BuildOptions(layout=False))
    return snapshot, expected


def mlp():
    torch.manual_seed(0)
    return torch.nn.Sequential(torch.nn.Linear(4, 8), torch.nn.ReLU(),
                               torch.nn.Linear(8, 3)), torch.randn(5, 4)


def transformer_layer():
    torch.manual_seed(0)
    return torch.nn.TransformerEncoderLayer(d_model=32, nhead=4, dim_feedforward=64,
                                            dropout=0.0), torch.randn(6, 1, 32)


@pytest.mark.parametrize("make", [mlp, transformer_layer], ids=["mlp", "transformer-layer"])
def test_total_is_the_deduplicated_sum_of_saved_storages(make):
    snapshot, expected = build(*make())
    report = memory_report(snapshot)
    assert report.total == expected > 0
    assert sum(report.per_node.values()) == report.total
    assert sum(report.per_module.values()) == report.total
    assert report.biggest[0][1] == max(report.per_node.values())


def test_mlp_by_hand():
    model, inp = mlp()
    snapshot, _ = build(model, inp)
    # Saved storages (float32, 4 bytes): the input 5×4 (for the first weight's gradient; the
    # first weight itself is not saved: the input needs no gradient), ReLU's result 5×8 (also
    # the second matmul's mat1: the same storage, counted once), the second weight 8×3 (its
    # .t() shares the weight's storage) and pow's base 5×3. Biases are never saved.
    elements = 5 * 4 + 5 * 8 + 8 * 3 + 5 * 3
    shared = [e["storage"] for es in snapshot.meta["saved_memory"]["nodes"].values()
              for e in es if e["shape"] == [5, 8]]
    assert len(shared) == 2 and len(set(shared)) == 1
    assert memory_report(snapshot).total == 4 * elements


def test_a_storage_shared_by_two_nodes_counts_once():
    x = torch.ones(1000, requires_grad=True)
    with ForwardRecorder() as rec:
        y = (x * x).sum() + (x * 3).sum()  # x saved by the first product (twice) only
    snapshot = build_snapshot(y, params={"x": x}, values=rec.values,
                              options=BuildOptions(layout=False))
    entries = [e for es in snapshot.meta["saved_memory"]["nodes"].values() for e in es]
    assert len([e for e in entries if e["bytes"] == 4000]) >= 2
    # 4000 bytes of x once, plus the literal 3 that x * 3 saves (an 8-byte int64 scalar)
    assert memory_report(snapshot).total == 4000 + 8 == independent_saved_bytes(y)


def test_the_measurement_survives_json():
    snapshot, expected = build(*mlp())
    again = Snapshot.from_json(snapshot.to_json())
    assert memory_report(again).total == expected
