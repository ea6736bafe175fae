"""Whole values, names a student recognises and the edge cases of issue 10 (core, no Qt)."""

from __future__ import annotations

import re
import textwrap

import pytest
import torch

from gradviz.core.graph.capture import saved_attr_names
from gradviz.core.graph.formatting import (
    annotation_lines,
    decimal_for,
    format_block,
    format_compact,
    format_full,
    format_number,
)
from gradviz.core.graph.trace import BackwardError
from gradviz.core.graph.values import summarize
from gradviz.core.layout.snapshot_layout import node_annotations
from gradviz.core.runtime.jobs import snapshot_from_expression, snapshot_from_script
from gradviz.core.runtime.options import BuildOptions
from gradviz.core.runtime.pipeline import build_snapshot

NO_LAYOUT = BuildOptions(layout=False)


def _expr(text, variables, constants=()):
    return snapshot_from_expression(text, variables, constants, seed=0, options=NO_LAYOUT)


# -- whole values -------------------------------------------------------------------------
def test_small_values_are_whole_and_matrices_are_rows():
    grad = [0.23122388, 0.62853169, -0.85975564]
    assert format_compact(grad) == "[0.2312, 0.6285, -0.8598]"
    assert format_compact([[0, 1], [1, 0]]) == "[[0, 1], [1, 0]]"
    rows = format_block([[1.0, -1.0, 0.5, 2.0]] * 2 + [[0.0, 0.0, 0.0, 0.0]], width=20)
    assert rows == ["[[1, -1, 0.5, 2],", " [1, -1, 0.5, 2],", " [0,  0,   0, 0]]"]
    assert annotation_lines("grad ", [[1, 2], [3, 4]], width=8) == [
        "grad [[1, 2],", "      [3, 4]]"]
    wrapped = format_block([float(i) / 7 for i in range(16)], width=40)
    assert len(wrapped) > 1 and len({len(line) for line in wrapped}) == 1  # same width
    numbers = re.findall(r"-?\d+(?:\.\d+)?(?:e-?\d+)?", " ".join(wrapped))
    assert len(numbers) == 16  # every element, none cut
    assert format_full([[1, 2], [3, 4]]) == "[[1, 2],\n [3, 4]]"


def test_a_big_tensor_shows_its_range_never_a_bare_mean():
    t = torch.linspace(-1, 1, 64).reshape(16, 4)  # mean ≈ 0
    text = format_compact(summarize(t))
    assert "μ" not in text and "mean" not in text
    assert text.startswith("[16×4 min -1 max 1 norm ")
    assert text.endswith("[-1, -0.9683, -0.9365, -0.9048, -0.873, -0.8413, …]")
    assert format_block(summarize(t))[0].startswith("[16×4 min -1 max 1 norm ")



@pytest.mark.parametrize("dtype", [torch.float32, torch.float16, torch.float64, torch.int64])
def test_a_big_tensors_summary_holds_pytorchs_own_statistics(dtype):
    t = (torch.randn(7, 9, generator=torch.Generator().manual_seed(3)) * 50).to(dtype)
    d = t.double()
    s = summarize(t)
    assert (s["min"], s["max"], s["mean"], s["norm"]) == (
        d.min().item(), d.max().item(), d.mean().item(), d.norm().item())
    assert s["shape"] == [7, 9] and s["head"] == d.flatten()[:6].tolist()

def test_french_decimal_comma_everywhere_with_the_same_width():
    assert decimal_for("fr") == "," and decimal_for("en") == "."
    assert format_number(0.5, decimal=",") == "0,5"
    assert format_compact([0.5, -1.25], decimal=",") == "[0,5; -1,25]"
    for value in ([0.5, -1.25], [[0.125, 2], [3, 4.5]], summarize(torch.randn(5, 5))):
        english, french = format_block(value), format_block(value, decimal=",")
        assert [len(line) for line in english] == [len(line) for line in french]
        assert "." not in "".join(french)


def test_cross_entropy_gradient_is_in_the_nodes_layout_text():
    """Example 08: the lesson's gradient softmax(z) − one_hot(2), whole, as PyTorch gives it."""
    snap = _expr("cross_entropy(z, 2)", ["z=[1.0, 2.0, 0.5]"])
    z = torch.tensor([1.0, 2.0, 0.5], requires_grad=True)
    (expected,) = torch.autograd.grad(torch.nn.functional.cross_entropy(z, torch.tensor(2)), z)
    shown = GRADS_OF(snap, snap.variable("z").node)
    assert f"grad {format_compact(expected.tolist())}" in shown
    assert "0.2312, 0.6285, -0.8598" in shown


def test_relu_layer_weight_gradient_rows_are_in_the_nodes_layout_text():
    """Example 06: W.grad's rows (v, v and 0), each on its own line under W."""
    snap = _expr("sum(relu(W @ v + b))", ["W=randn(3, 4)", "b=[0.1, -0.2, -0.3]"],
                 ["v=[1.0, -1.0, 0.5, 2.0]"])
    torch.manual_seed(0)
    W = torch.randn(3, 4, requires_grad=True)
    b = torch.tensor([0.1, -0.2, -0.3], requires_grad=True)
    v = torch.tensor([1.0, -1.0, 0.5, 2.0])
    expected = torch.autograd.grad(torch.relu(W @ v + b).sum(), W)[0]
    lines = node_annotations(snap)[snap.variable("W").node]
    grad_block = lines[next(i for i, t in enumerate(lines) if t.startswith("grad ")):]
    assert [t.rstrip() for t in grad_block] == [
        t.rstrip() for t in annotation_lines("grad ", expected.tolist())]
    assert len(grad_block) == 3


def GRADS_OF(snap, node_id):
    return "\n".join(node_annotations(snap)[node_id])


# -- names --------------------------------------------------------------------------------
FUNCTIONS = [
    ("5*x**3 + 2*x**2 + 4*x + 8", ["x=2"], []),
    ("a*b + exp(a)", ["a=0.5", "b=-1.5"], []),
    ("sin(x*y)", ["x=1.5", "y=-2"], []),
    ("(3*w)**2 + b1", ["w=0.5", "b1=1"], []),
    ("sum(v + 1) * b", ["v=[1.0, 2.0]", "b=3"], []),
    ("x*x*x*x", ["x=1.5"], []),
    ("cross_entropy(z, 2)", ["z=[1.0, 2.0, 0.5]"], []),
    ("sum(relu(W @ v + b))", ["W=randn(3, 4)", "b=[0.1, -0.2, -0.3]"],
     ["v=[1.0, -1.0, 0.5, 2.0]"]),
    ("mse_loss(w * t, u)", ["w=[0.5, 2.0]"], ["t=[1.0, 2.0]", "u=[0.0, 1.0]"]),
    ("sigmoid(a*x + b)", ["a=0.5", "x=2", "b=-1"], []),
    ("sum(softmax(q, dim=0) * k)", ["q=[1.0, 2.0, 3.0]", "k=[0.5, 0.5, 1.0]"], []),
]
_ALLOWED_NAMES = {"y", "f", "out", "output", "loss", "saved", "view", "base", "constant"}


@pytest.mark.parametrize("text, variables, constants", FUNCTIONS,
                         ids=[f[0] for f in FUNCTIONS])
def test_labels_name_only_what_the_function_has(text, variables, constants):
    """No ``self``/``other``/``()``: every name in a tensor label is the user's, an op the
    function calls (its result), a literal, or the output's own name."""
    snap = _expr(text, variables, constants)
    x = torch.tensor(1.0, requires_grad=True)
    placeholder_names = {a.removeprefix("_saved_") for a in saved_attr_names((x * x).grad_fn)}
    placeholder_names |= {"self", "other", "result", "vec", "mat2", "target", "input",
                          "weight", "total_weight", "exponent"}
    user = set(re.findall(r"[A-Za-z_]\w*", text))
    for node in snap.nodes:
        assert "()" not in node.label and node.label.strip(), node
        if node.kind == "function":
            assert node.label == node.op
            continue
        if node.shape == []:
            assert "\n" not in node.label  # no shape line for a scalar
        for name in re.findall(r"[A-Za-z_]\w*", node.label):
            assert name not in placeholder_names - user, (text, node.label)
            assert name in user or name in _ALLOWED_NAMES or node.kind == "saved", \
                (text, node.label)
        if node.kind == "saved":
            first = node.label.split("\n")[0]
            assert (first.removesuffix(" (saved)") in user or first.endswith("(…)")
                    or re.fullmatch(r"-?[\d.]+(e-?\d+)?", first)), (text, first)


def test_output_names_follow_what_the_output_is():
    assert _expr("x*x", ["x=2"]).node(_expr("x*x", ["x=2"]).output.node).label == "y"
    loss = _expr("cross_entropy(z, 2)", ["z=[1.0, 2.0, 0.5]"])
    assert loss.node(loss.output.node).label == "loss"
    taken = _expr("x*y", ["x=2", "y=3"])  # the user's y is not the output
    assert taken.node(taken.output.node).label == "f"


def test_saved_literal_and_variable_names_and_attribute_table():
    snap = _expr("5*x**3", ["x=2"])
    saved = {n.label for n in snap.nodes if n.kind == "saved"}
    assert saved == {"5", "x (saved)"}
    mul = next(n for n in snap.nodes if n.op == "MulBackward0")
    assert mul.attrs["other"] == "5"
    pow_ = next(n for n in snap.nodes if n.op == "PowBackward0")
    assert pow_.attrs["self"] == "x (saved)"
    lines = node_annotations(snap)
    literal = next(n for n in snap.nodes if n.label == "5")
    assert literal.id not in lines  # the label is its value: no "= 5" line under it


def test_one_tensor_saved_twice_is_one_node_named_once():
    """x*x saves x as self and other: torchviz's last label won; here one name."""
    snap = _expr("x*x", ["x=3"])
    saved = [n for n in snap.nodes if n.kind == "saved"]
    assert [n.label for n in saved] == ["x (saved)"]
    mul = next(n for n in snap.nodes if n.op == "MulBackward0")
    assert mul.attrs["self"] == mul.attrs["other"] == "x (saved)"


# -- edge cases ---------------------------------------------------------------------------
def test_output_that_is_a_leaf_gets_pytorchs_gradient_one():
    snap = _expr("x", ["x=2"])
    x = torch.tensor(2.0, requires_grad=True)
    x.backward()
    assert [s.op for s in snap.steps] == ["AccumulateGrad"]
    assert snap.variable("x").grad == x.grad.item() == 1.0
    assert snap.output.node == snap.variable("x").node
    (seed,) = snap.steps[0].contributions  # backward() seeds the output, x itself, with 1
    assert (seed.source, seed.value) == (snap.output.node, x.grad.item())


def test_each_output_points_at_its_own_node():
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    a, b = (x * 2).sum(), (x * 3).sum()
    snap = build_snapshot([a, b], params={"x": x}, options=NO_LAYOUT)
    assert [o.node for o in snap.outputs] == [snap.outputs[0].node, snap.outputs[1].node]
    assert snap.outputs[0].node != snap.outputs[1].node
    assert [snap.node(o.node).value for o in snap.outputs] == [a.item(), b.item()]
    assert [snap.node(o.node).label for o in snap.outputs] == ["y1", "y2"]


def test_in_place_error_is_the_users_with_their_line(tmp_path):
    script = tmp_path / "inplace.py"
    script.write_text(textwrap.dedent("""\
        import torch
        x = torch.tensor([1.0, 2.0], requires_grad=True)
        y = x.sigmoid()
        y.mul_(2)
        output = y.sum()
    """))
    with pytest.raises(BackwardError) as info:
        snapshot_from_script(str(script), options=NO_LAYOUT)
    err = info.value
    assert "modified by an inplace operation" in err.message
    assert err.params["line"] == 3 and err.params["code"] == "y = x.sigmoid()"
    assert err.code == "backward_failed_at" and "line 3" in err.format()


def test_a_scripts_variables_name_its_leaves_saved_tensors_and_output(tmp_path):
    script = tmp_path / "named.py"
    script.write_text(textwrap.dedent("""\
        import torch
        w = torch.tensor([0.5, -1.0], requires_grad=True)
        inputs = torch.tensor([2.0, 3.0])
        loss = (w * inputs).sum()
        output = loss
    """))
    snap = snapshot_from_script(str(script), options=NO_LAYOUT)
    labels = {n.label for n in snap.nodes}
    assert {"w\n(2)", "inputs (saved)\n(2)", "loss"} <= labels
    assert [v.name for v in snap.variables] == ["w"]
    w = torch.tensor([0.5, -1.0], requires_grad=True)
    (w * torch.tensor([2.0, 3.0])).sum().backward()
    assert snap.variable("w").grad == w.grad.tolist()


def test_saved_dims_in_the_attribute_table_read_as_typed():
    from gradviz.core.graph.labels import fn_attrs

    M = torch.ones(2, 3, requires_grad=True)
    attrs = fn_attrs(M.sum(dim=-1).grad_fn)
    assert attrs["dim"] == "(-1,)", attrs
    assert fn_attrs(M.softmax(-1).grad_fn)["dim"] == "-1"
