"""Which sub-expression (or script line) made each node (gradviz.core.graph.origins)."""

from __future__ import annotations

import pytest
import torch

from gradviz.core.expr.expression import parse_expression
from gradviz.core.expr.variables import VariableSpec, build_variables
from gradviz.core.runtime.jobs import snapshot_from_code, snapshot_from_expression
from gradviz.core.runtime.options import BuildOptions
from gradviz.core.snapshot import Snapshot

NO_LAYOUT = BuildOptions(layout=False)


def _build(text, variables):
    return snapshot_from_expression(text, variables, options=NO_LAYOUT)


def _typed(snap, node):
    return [snap.source[a:b] for a, b in node.spans]


def _functions(snap):
    return [n for n in snap.nodes if n.kind == "function" and n.op != "AccumulateGrad"]


def test_seed_nodes_know_their_sub_expression():
    snap = _build("5*x**3 + 2*x**2 + 4*x + 8", ["x=2.0"])
    found = sorted((n.op, _typed(snap, n)[0], n.expression) for n in _functions(snap))
    assert found == [
        ("AddBackward0", "5*x**3 + 2*x**2", "5x³ + 2x²"),
        ("AddBackward0", "5*x**3 + 2*x**2 + 4*x", "5x³ + 2x² + 4x"),
        ("AddBackward0", "5*x**3 + 2*x**2 + 4*x + 8", "5x³ + 2x² + 4x + 8"),
        ("MulBackward0", "2*x**2", "2x²"),
        ("MulBackward0", "4*x", "4x"),
        ("MulBackward0", "5*x**3", "5x³"),
        ("PowBackward0", "x**2", "x²"),
        ("PowBackward0", "x**3", "x³"),
    ]
    leaf = snap.node(snap.variable("x").node)
    assert leaf.spans == [[2, 3], [11, 12], [20, 21]] and leaf.expression == "x"
    output = snap.node(snap.output.node)
    assert output.expression == "5x³ + 2x² + 4x + 8"


@pytest.mark.parametrize(("text", "variables"), [
    ("5*x**3 + 2*x**2 + 4*x + 8", ["x=2.0"]),
    ("x*x*x*x", ["x=1.5"]),
    ("sin(x*y)", ["x=1.5", "y=-2.0"]),
    ("sigmoid(w*x + b)", ["w=0.5", "x=2.0", "b=-1.0"]),
    ("  (3 * x)**2 - -x / ( y+1 )", ["x=1.5", "y=2.0"]),
    ("torch.exp(-x) * F.relu(y - 2*pi)", ["x=0.5", "y=8.0"]),
    ("mean(W @ v + c) ** 0.5", ["W=[[1.0, 2.0], [0.5, -1.0]]", "v=[1.0, 2.0]", "c=[3.0, 1.0]"]),
])
def test_each_node_span_recomputes_the_node_value(text, variables):
    # The typed text of a node's span, evaluated alone, gives that node's forward value:
    # a span one character off, or on the wrong node, cannot pass.
    snap = _build(text, variables)
    expr = parse_expression(text)
    env = build_variables([VariableSpec.parse(v) for v in variables], expr.variables)
    nodes = _functions(snap)
    assert nodes and all(n.spans and len(n.spans) == 1 for n in nodes)
    for node in nodes:
        (piece,) = _typed(snap, node)
        sub = parse_expression(piece)
        value = sub.evaluate({name: env[name] for name in sub.variables})
        assert torch.allclose(value.detach(), torch.tensor(node.value, dtype=value.dtype)), piece
        assert node.expression and "*" not in node.expression


def test_call_internal_nodes_belong_to_the_call():
    snap = _build("cross_entropy(z, 2) + y", ["z=[1.0, 2.0, 0.5]", "y=1.0"])
    by_op = {n.op: _typed(snap, n) for n in _functions(snap)}
    assert by_op["NllLossBackward0"] == ["cross_entropy(z, 2)"]
    assert by_op["LogSoftmaxBackward0"] == ["cross_entropy(z, 2)"]
    assert by_op["AddBackward0"] == ["cross_entropy(z, 2) + y"]


def test_accumulate_grad_takes_its_leaf_spans():
    snap = _build("w*x + w", ["w=0.5", "x=2.0"])
    acc = [n for n in snap.nodes if n.op == "AccumulateGrad"]
    assert sorted(tuple(map(tuple, n.spans)) for n in acc) == [((0, 1), (6, 7)), ((2, 3),)]


def test_origins_survive_json():
    snap = _build("sigmoid(w*x + b)", ["w=0.5", "x=2.0", "b=-1.0"])
    again = Snapshot.from_json(snap.to_json())
    assert [(n.spans, n.expression) for n in again.nodes] == [
        (n.spans, n.expression) for n in snap.nodes]


def test_a_variable_called_nan_stays_a_name_in_json():
    snap = _build("NaN*2", ["NaN=1.0"])
    again = Snapshot.from_json(snap.to_json())
    assert {n.expression for n in again.nodes} >= {"NaN", "NaN·2"}


def test_script_nodes_know_their_line():
    code = ("import torch\n"
            "x = torch.tensor(2.0, requires_grad=True)\n"
            "h = x * 3\n"
            "\n"
            "output = torch.sin(h) + x\n")
    snap = snapshot_from_code(code, "lesson", options=NO_LAYOUT)
    lines = {n.op: n.line for n in _functions(snap)}
    assert lines == {"MulBackward0": 3, "SinBackward0": 5, "AddBackward0": 5}
    assert all(n.spans is None for n in snap.nodes)
