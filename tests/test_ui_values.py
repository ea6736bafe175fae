"""Whole values and names as the window and the exports draw them (offscreen Qt)."""

from __future__ import annotations

import re

import pytest
import torch

from gradviz.core.graph.formatting import format_block, format_compact, set_decimal_separator
from gradviz.core.runtime.jobs import snapshot_from_expression
from gradviz.ui.base.i18n import install_translators
from gradviz.ui.export.images import default_caption
from gradviz.ui.graph.scene import GraphScene
from gradviz.ui.graph.step_view import apply_step
from gradviz.ui.panels.gradients_panel import GradientsPanel
from gradviz.ui.panels.inspector import NodeInspector
from gradviz.ui.viewer.player import state_at

RELU = ("sum(relu(W @ v + b))", ["W=randn(3, 4)", "b=[0.1, -0.2, -0.3]"],
        ["v=[1.0, -1.0, 0.5, 2.0]"])
CROSS_ENTROPY = ("cross_entropy(z, 2)", ["z=[1.0, 2.0, 0.5]"], [])


@pytest.fixture(autouse=True)
def english_numbers():
    yield
    set_decimal_separator(".")


def _snapshot(spec):
    text, variables, constants = spec
    return snapshot_from_expression(text, variables, constants, seed=0)


def _relu_grads():
    torch.manual_seed(0)
    W = torch.randn(3, 4, requires_grad=True)
    b = torch.tensor([0.1, -0.2, -0.3], requires_grad=True)
    torch.relu(W @ torch.tensor([1.0, -1.0, 0.5, 2.0]) + b).sum().backward()
    return W.grad.tolist(), b.grad.tolist()


def _last(scene):
    apply_step(scene, state_at(scene.snapshot, len(scene.snapshot.steps)))


def _drawn(item):
    return [text for _, _, text, _ in item._layout_text()]


def test_weight_gradient_rows_fill_the_nodes_reserved_lines(qapp):
    snap = _snapshot(RELU)
    scene = GraphScene(snap)
    _last(scene)
    w_grad, _ = _relu_grads()
    item = scene.node_item(snap.variable("W").node)
    rows = format_block(w_grad)
    assert item.grad_text().split("\n") == [f"grad {rows[0]}"] + [f"     {r}" for r in rows[1:]]
    drawn = _drawn(item)
    for row in rows:
        assert any(row.strip() in text for text in drawn), row  # drawn, none elided
    _, grad_slot = item._slots()
    assert len(grad_slot) == len(rows)  # the layout reserved one line per row
    box = item.rect()
    widest = max(len(line.text) for line in item.box.lines)
    assert box.width() >= widest * 6.0 - 0.5  # the box fits its widest line


def test_cross_entropy_gradient_whole_on_the_edge_and_in_the_panel(qapp, qtbot):
    snap = _snapshot(CROSS_ENTROPY)
    z = torch.tensor([1.0, 2.0, 0.5], requires_grad=True)
    torch.nn.functional.cross_entropy(z, torch.tensor(2)).backward()
    expected = format_compact(z.grad.tolist())
    scene = GraphScene(snap)
    _last(scene)
    labels = [e.grad_label() for e in scene.edge_items.values()]
    assert expected in labels
    panel = GradientsPanel()
    qtbot.addWidget(panel)
    panel.set_snapshot(snap)
    panel.set_state(state_at(snap, len(snap.steps)))
    assert panel.grad_text("z") == expected


def test_french_decimal_comma_in_nodes_panel_and_inspector(qapp, qtbot):
    snap = _snapshot(CROSS_ENTROPY)
    install_translators(qapp, "fr")
    try:
        scene = GraphScene(snap)
        _last(scene)
        z_item = scene.node_item(snap.variable("z").node)
        assert z_item.grad_text() == "grad [0,2312; 0,6285; -0,8598]"
        assert "= [1; 2; 0,5]" in _drawn(z_item)
        panel = GradientsPanel()
        qtbot.addWidget(panel)
        panel.set_snapshot(snap)
        panel.set_state(state_at(snap, len(snap.steps)))
        assert panel.grad_text("z") == "[0,2312; 0,6285; -0,8598]"
        inspector = NodeInspector()
        qtbot.addWidget(inspector)
        inspector.show_node(snap, snap.variable("z").node)
        assert "0,2312" in inspector.text() and "0.2312" not in inspector.text()
        assert "en z = [1; 2; 0,5]" in default_caption(snap)
    finally:
        install_translators(qapp, "en")
    assert format_compact(0.5) == "0.5"


def test_inspector_shows_a_matrix_gradient_whole_in_rows_and_saved_names(qapp, qtbot):
    snap = _snapshot(RELU)
    w_grad, _ = _relu_grads()
    inspector = NodeInspector()
    qtbot.addWidget(inspector)
    inspector.show_node(snap, snap.variable("W").node)
    assert "\n".join(format_block(w_grad, width=1)).replace(" ", "") in \
        inspector.text().replace(" ", "")
    mv = next(n for n in snap.nodes if n.op == "MvBackward0")
    inspector.show_node(snap, mv.id)
    assert "vec = v (saved)" in inspector.text()
    assert "v (saved) = [1, -1, 0.5, 2]" in inspector.text()


@pytest.mark.parametrize("spec", [RELU, CROSS_ENTROPY, ("a*b + exp(a)", ["a=1", "b=2"], [])])
def test_no_placeholder_name_in_node_text_or_caption(qapp, spec):
    """What the window draws and the caption: no ``self``/``other``/``()``/``leaf0``."""
    snap = _snapshot(spec)
    scene = GraphScene(snap)
    _last(scene)
    user = set(re.findall(r"[A-Za-z_]\w*", spec[0]))
    banned = {"self", "other", "vec", "mat2", "result", "target", "total_weight"} - user
    texts = [default_caption(snap)]
    for item in scene.node_items.values():
        texts += _drawn(item)
    for text in texts:
        assert "()" not in text, text
        assert not re.search(r"\bleaf\d", text), text
        assert not banned & set(re.findall(r"[A-Za-z_]\w*", text)), text


def test_a_function_node_under_its_expression_shows_its_class_name_smaller(qapp):
    """The composition ``paths`` uses: sub-expression first, class name smaller under it."""
    from gradviz.core.graph.labels import function_label
    from gradviz.core.layout.snapshot_layout import layout_snapshot

    snap = _snapshot(("5*x**3", ["x=2"], []))
    mul = next(n for n in snap.nodes if n.op == "MulBackward0")
    mul.label = function_label(mul.op, "5·x³")
    snap.layout = layout_snapshot(snap)
    item = GraphScene(snap).node_item(mul.id)
    sizes = {text: size for size, _, text, _ in item._layout_text()}
    assert item.box.label_lines == 2
    assert sizes["MulBackward0"] < sizes["5·x³"]
    assert "= 40" in sizes  # its value line stays under the label


def test_a_saved_literal_is_drawn_in_the_displays_decimal_separator(qapp):
    snap = _snapshot(("0.5*x", ["x=2"], []))
    literal = next(n for n in snap.nodes if n.kind == "saved")
    assert literal.label == "0.5"
    install_translators(qapp, "fr")
    try:
        assert _drawn(GraphScene(snap).node_item(literal.id)) == ["0,5"]
    finally:
        install_translators(qapp, "en")
    assert _drawn(GraphScene(snap).node_item(literal.id)) == ["0.5"]
