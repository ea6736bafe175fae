"""What torch.utils.checkpoint on a module would free (core.checkpoint_estimate), against a
measurement: the bytes the autograd graph holds for backward (every _saved_ tensor and a custom
Function's saved_tensors, each storage once, leaves left out: parameters stay alive anyway),
without and with the module wrapped in checkpoint(..., use_reentrant=True)."""

from __future__ import annotations

import warnings

import pytest
import torch
from torch.utils.checkpoint import checkpoint

from gradviz.core.graph.modules import ModuleScopes
from gradviz.core.graph.record import ForwardRecorder
from gradviz.core.lens.checkpoint_estimate import checkpoint_estimates, module_estimate
from gradviz.core.runtime.options import BuildOptions
from gradviz.core.runtime.pipeline import build_snapshot


def held_bytes(root: torch.Tensor) -> int:
    """Storages the graph behind ``root`` keeps for backward, once each, leaves excluded."""
    seen, todo, storages = set(), [root.grad_fn], {}
    while todo:
        fn = todo.pop()
        if fn is None or id(fn) in seen:
            continue
        seen.add(id(fn))
        todo.extend(f for f, _ in fn.next_functions)
        tensors = []
        for attr in dir(fn):
            if attr.startswith("_saved_"):
                value = getattr(fn, attr)
                tensors += value if isinstance(value, (tuple, list)) else [value]
        if type(fn).__name__ == "CheckpointFunctionBackward":
            tensors += list(fn.saved_tensors)
        for t in tensors:
            if torch.is_tensor(t):
                base = t._base if t._base is not None else t
                if not (base.is_leaf and base.requires_grad):
                    storages[t.untyped_storage().data_ptr()] = t.untyped_storage().nbytes()
    return sum(storages.values())


def loss_of(model, inp):
    return model(inp).pow(2).mean()


def measured_saving(model, inp, name: str) -> int:
    plain = held_bytes(loss_of(model, inp))
    sub = model.get_submodule(name)
    original = sub.forward
    sub.forward = lambda *args: checkpoint(original, *args, use_reentrant=True)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            checkpointed = held_bytes(loss_of(model, inp))
    finally:
        del sub.forward
    return plain - checkpointed


def snapshot_of(model, inp):
    with ForwardRecorder() as rec, ModuleScopes(model) as scopes:
        loss = loss_of(model, inp)
    return build_snapshot(loss, params=dict(model.named_parameters()), values=rec.values,
                          source="m", options=BuildOptions(layout=False), modules=scopes)


def mlp():
    torch.manual_seed(0)
    block = torch.nn.Sequential(torch.nn.Linear(4, 16), torch.nn.Tanh(), torch.nn.Linear(16, 16),
                                torch.nn.Sigmoid())
    model = torch.nn.Sequential(block, torch.nn.Linear(16, 8), torch.nn.ReLU(),
                                torch.nn.Linear(8, 3))
    return model, torch.randn(32, 4, requires_grad=True)


def transformer_layer():
    torch.manual_seed(0)
    layer = torch.nn.TransformerEncoderLayer(d_model=16, nhead=2, dim_feedforward=64,
                                             dropout=0.0)
    return layer, torch.randn(10, 2, 16, requires_grad=True)


CASES = [(mlp, ["0", "0.0", "0.1", "0.2", "1", "2"]),
         (transformer_layer, ["linear1", "linear2", "norm1", "norm2", "dropout"])]


@pytest.mark.parametrize("make, names", CASES, ids=["mlp", "transformer-layer"])
def test_estimate_equals_the_measured_drop(make, names):
    model, inp = make()
    snapshot = snapshot_of(model, inp)
    found = {e.module: e for e in checkpoint_estimates(snapshot)}
    nonzero = 0
    for name in names:
        if name not in found:  # a module whose nodes hold nothing (dropout at p=0)
            assert measured_saving(model, inp, name) == 0, name
            continue
        estimate = found[name]
        assert estimate.exact, name
        assert estimate.estimate == measured_saving(model, inp, name), name
        nonzero += estimate.estimate != 0
    assert nonzero >= 2  # the comparison is not between zeros only


def test_the_block_frees_its_activations_and_keeps_its_input():
    model, inp = mlp()
    snapshot = snapshot_of(model, inp)
    block = module_estimate(snapshot, "0")
    # tanh's output (32×16 float32) is saved inside and made inside: freed; sigmoid's output
    # is saved by the next Linear (outside) too: kept; the input x is a leaf: kept
    assert block.freed == 32 * 16 * 4
    assert block.saved_inside > block.freed
    assert block.newly_kept == 0
    linear = module_estimate(snapshot, "1")  # its input (sigmoid's output) is saved anyway
    assert linear.freed == 0 and linear.estimate == 0
