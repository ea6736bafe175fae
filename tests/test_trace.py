"""The backward trace: engine order, per-edge gradients, every number equal to PyTorch's."""

import pytest
import torch
from snapshots import Cube

from gradviz.core.errors import InputError
from gradviz.core.graph.values import summarize
from gradviz.core.runtime.pipeline import BuildOptions, build_snapshot

NO_LAYOUT = BuildOptions(layout=False)


def _check_against_autograd(output, params, **kwargs):
    """Every variable's grad in the Snapshot equals torch.autograd.grad's."""
    names = [n for n, t in params.items() if t.requires_grad]
    expected = torch.autograd.grad(output, [params[n] for n in names], retain_graph=True)
    kwargs.setdefault("options", NO_LAYOUT)
    snap = build_snapshot(output, params=params, **kwargs)
    for name, grad in zip(names, expected):
        assert_value_close(snap.variable(name).grad, summarize(grad))
    return snap


def assert_value_close(actual, expected):
    """Values (numbers, nested lists, summary dicts) equal within float32 noise."""
    if isinstance(expected, dict):
        assert actual["shape"] == expected["shape"] and actual["dtype"] == expected["dtype"]
        for key in ("min", "max", "mean", "norm", "head"):
            assert actual[key] == pytest.approx(expected[key], rel=1e-5, abs=1e-6), key
    elif isinstance(expected, list):
        assert len(actual) == len(expected)
        for a, e in zip(actual, expected):
            assert_value_close(a, e)
    else:
        assert actual == pytest.approx(expected, rel=1e-6, abs=1e-6)


def test_seed_steps_in_engine_order():
    x = torch.tensor(2.0, requires_grad=True)
    y = 5 * x**3 + 2 * x**2 + 4 * x + 8
    snap = _check_against_autograd(y, {"x": x})
    assert snap.output.value == 64.0
    assert snap.variable("x").grad == 72.0
    ops = [s.op for s in snap.steps]
    assert ops == ["AddBackward0", "AddBackward0", "MulBackward0", "AddBackward0",
                   "MulBackward0", "PowBackward0", "MulBackward0", "PowBackward0",
                   "AccumulateGrad"]
    acc = snap.steps[-1]
    assert acc.variable == "x"
    assert [c.value for c in acc.contributions] == [4.0, 8.0, 60.0]
    assert acc.grad_after == 72.0 and acc.grad_in == [72.0]
    # each contribution is what its sender put on the edge, sent before the leaf ran
    for c in acc.contributions:
        sender = snap.steps[c.step]
        assert sender.node == c.source
        assert [g.value for g in sender.grad_out if g.target == acc.node] == [c.value]


def test_engine_order_matches_a_plain_hooked_backward():
    """The order is the engine's: compare with hooks registered independently."""
    x = torch.tensor(2.0, requires_grad=True)
    y = torch.sin(x) * torch.exp(x) + x**2
    order = []
    seen, stack = set(), [y.grad_fn]
    handles = []
    while stack:
        fn = stack.pop()
        if fn is None or fn in seen:
            continue
        seen.add(fn)
        handles.append(fn.register_prehook(lambda g, fn=fn: order.append(type(fn).__name__)))
        stack.extend(f for f, _ in fn.next_functions)
    y.backward(retain_graph=True)
    for h in handles:
        h.remove()
    x.grad = None
    snap = _check_against_autograd(y, {"x": x})
    assert [s.op for s in snap.steps] == order


def test_sigmoid_neuron():
    w, x, b = (torch.tensor(v, requires_grad=True) for v in (0.5, 2.0, -1.0))
    _check_against_autograd(torch.sigmoid(w * x + b), {"w": w, "x": x, "b": b})


def test_mlp_with_named_parameters():
    torch.manual_seed(0)
    model = torch.nn.Sequential(torch.nn.Linear(3, 8), torch.nn.ReLU(), torch.nn.Linear(8, 2))
    loss = torch.nn.functional.cross_entropy(model(torch.randn(4, 3)), torch.tensor([0, 1, 1, 0]))
    snap = _check_against_autograd(loss, dict(model.named_parameters()))
    assert [v.name for v in snap.variables] == ["0.weight", "0.bias", "2.weight", "2.bias"]
    assert all(p.grad is None for p in model.parameters())  # the user's model is untouched


def test_custom_autograd_function():
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    snap = _check_against_autograd(Cube.apply(x).sum(), {"x": x})
    assert snap.variable("x").grad == [3.0, 12.0]


def test_view_and_in_place():
    x = torch.tensor([1.0, -2.0, 3.0, 4.0], requires_grad=True)
    y = (x * 2).view(2, 2)
    y.mul_(3)
    y[0].relu_()
    _check_against_autograd(y.sum(), {"x": x})


def test_chain_of_5000_ops():
    x = torch.tensor(0.5, requires_grad=True)
    y = x
    for i in range(5000):
        y = torch.sin(y) if i % 2 else y * 1.0001
    snap = _check_against_autograd(y, {"x": x}, options=BuildOptions(layout=False,
                                                                    show_saved=False))
    assert len(snap.steps) == 5001


def test_hooks_are_removed_and_user_grad_restored():
    x = torch.tensor(2.0, requires_grad=True)
    previous = torch.tensor(10.0)
    x.grad = previous
    y = x * x
    build_snapshot(y, params={"x": x}, options=NO_LAYOUT)
    assert x.grad is previous and previous.item() == 10.0
    y.backward()  # a stale hook would fire here; the user's own backward works as usual
    assert x.grad.item() == 14.0


def test_keep_grad_accumulates_onto_existing():
    x = torch.tensor(2.0, requires_grad=True)
    x.grad = torch.tensor(1.0)
    snap = build_snapshot(x * x, params={"x": x}, options=NO_LAYOUT, keep_grad=True)
    assert snap.steps[-1].grad_before == 1.0 and snap.steps[-1].grad_after == 5.0
    assert x.grad.item() == 5.0


def test_two_runs_show_accumulation():
    x = torch.tensor(2.0, requires_grad=True)
    y = 5 * x**3 + 2 * x**2 + 4 * x + 8
    snap = build_snapshot(y, params={"x": x}, options=BuildOptions(layout=False, runs=2))
    acc = [s for s in snap.steps if s.op == "AccumulateGrad"]
    assert [(s.run, s.grad_before, s.grad_after) for s in acc] == [(0, None, 72.0),
                                                                   (1, 72.0, 144.0)]
    assert snap.variable("x").grad == 144.0 and x.grad is None


def test_non_scalar_output_needs_a_choice():
    x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
    with pytest.raises(InputError) as err:
        build_snapshot(x * 2, params={"x": x}, options=NO_LAYOUT)
    assert err.value.code == "non_scalar_output" and "--reduce sum" in err.value.format()
    assert "--" not in err.value.message  # the window's text names no flag
    snap = build_snapshot(x * 2, params={"x": x}, options=BuildOptions(layout=False,
                                                                      reduction="mean"))
    assert snap.output.reduction == "mean"
    assert snap.variable("x").grad == pytest.approx([2 / 3] * 3)
    snap = build_snapshot(x * 2, params={"x": x}, options=NO_LAYOUT,
                          gradients=[torch.tensor([1.0, 0.0, -1.0])])
    assert snap.variable("x").grad == [2.0, 0.0, -2.0]


def test_nothing_to_differentiate():
    with pytest.raises(InputError) as err:
        build_snapshot(torch.tensor(3.0) * 2, options=NO_LAYOUT)
    assert err.value.code == "nothing_to_differentiate"
