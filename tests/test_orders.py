"""create_graph=True from the API and scripts: the graph of a gradient, its nodes' order of
differentiation (core.orders), and its backward pass, checked against torch.autograd.grad."""

from __future__ import annotations

from collections import Counter

import pytest
import torch

import gradviz
from gradviz.core.lens.higher_order import derivative_snapshot
from gradviz.core.runtime.jobs import snapshot_from_script
from gradviz.core.runtime.options import BuildOptions

SEED = "5*x**3 + 2*x**2 + 4*x + 8"


def seed(x):
    return 5 * x**3 + 2 * x**2 + 4 * x + 8


def first_derivative(x):
    (d,) = torch.autograd.grad(seed(x), x, create_graph=True)
    return d


def op_orders(snapshot) -> Counter:
    return Counter((snapshot.node(n).op, o) for n, o in snapshot.meta["orders"].items())


def test_a_callable_with_create_graph_is_the_graph_of_its_derivative():
    x = torch.tensor(2.0, requires_grad=True)
    s = gradviz.snapshot(first_derivative, x=x, layout=False)
    xt = torch.tensor(2.0, requires_grad=True)
    d = first_derivative(xt)
    (dd,) = torch.autograd.grad(d, xt)
    assert s.output.value == d.item() == 15 * 4 + 4 * 2 + 4 == 72
    assert s.variable("x").grad == dd.item() == 30 * 2 + 4 == 64
    assert x.grad is None  # the user's tensor is left as it was
    orders = s.meta["orders"]
    assert set(orders) == {n.id for n in s.nodes if n.kind == "function"}
    assert set(orders.values()) == {0, 1}
    typed = derivative_snapshot(SEED, ["x=2.0"], options=BuildOptions(layout=False))
    assert op_orders(s) == op_orders(typed)  # the same nodes as --order 2, the same orders


def test_no_create_graph_no_orders():
    x = torch.tensor(2.0, requires_grad=True)
    s = gradviz.snapshot(seed, x=x, layout=False)
    assert "orders" not in s.meta


@pytest.mark.filterwarnings("ignore:Using backward\\(\\) with create_graph")  # torch's own
def test_backward_with_create_graph_inside_record():
    x = torch.tensor(2.0, requires_grad=True)
    with gradviz.record() as rec:
        seed(x).backward(create_graph=True)
    grad = x.grad
    x.grad = None  # break the cycle torch warns about; the graph of grad is kept
    s = rec.snapshot(grad, params={"x": x}, layout=False)
    assert s.output.value == 72 and s.variable("x").grad == 64
    assert 1 in s.meta["orders"].values() and 0 in s.meta["orders"].values()


def test_a_second_backward_of_a_first_backward_is_order_2():
    def second(x):
        (d2,) = torch.autograd.grad(first_derivative(x), x, create_graph=True)
        return d2

    x = torch.tensor(2.0, requires_grad=True)
    s = gradviz.snapshot(second, x=x, layout=False)
    assert s.output.value == 64  # 30x + 4 at 2
    assert s.variable("x").grad == 30  # d³/dx³
    # d²/dx² = 30x + 4 is built by the second backward from forward values (x): the first
    # backward's nodes need not be part of it; the nodes the second one made are order 2
    assert {0, 2} <= set(s.meta["orders"].values()) <= {0, 1, 2}


def test_a_script_gradient_penalty_has_orders(tmp_path):
    script = tmp_path / "penalty.py"
    script.write_text(
        "import torch\n"
        "torch.manual_seed(0)\n"
        "w = torch.randn(3, requires_grad=True)\n"
        "x = torch.randn(4, 3, requires_grad=True)\n"
        "y = torch.tanh(x @ w).sum()\n"
        "(g,) = torch.autograd.grad(y, x, create_graph=True)\n"
        "output = g.pow(2).sum()\n")
    s = snapshot_from_script(str(script), options=BuildOptions(layout=False))
    torch.manual_seed(0)
    w = torch.randn(3, requires_grad=True)
    x = torch.randn(4, 3, requires_grad=True)
    (g,) = torch.autograd.grad(torch.tanh(x @ w).sum(), x, create_graph=True)
    (gw,) = torch.autograd.grad(g.pow(2).sum(), w)
    assert s.variable("w").grad == pytest.approx(gw.tolist(), rel=1e-5)
    orders = s.meta["orders"]
    assert set(orders.values()) == {0, 1}
    penalty_ops = {s.node(n).op for n, o in orders.items() if o == 0}
    assert {"SumBackward0", "PowBackward0", "TanhBackward0"} <= penalty_ops
    assert "TanhBackwardBackward0" in {s.node(n).op for n, o in orders.items() if o == 1}
