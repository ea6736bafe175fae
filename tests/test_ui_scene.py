"""GraphScene and its items, built from real snapshots (offscreen Qt)."""

from __future__ import annotations

import subprocess
import sys

import pytest
from PySide6.QtCore import QPointF, QRectF
from PySide6.QtGui import QColor, QImage, QPainter
from snapshots import seed_snapshot, transformer_snapshot

from gradviz.core.graph.formatting import GRAD_PREFIX
from gradviz.ui.base.fonts import graph_font_family, graph_metrics
from gradviz.ui.base.themes import load_theme
from gradviz.ui.graph.items import TEXT_PAD, EdgeItem, NodeItem
from gradviz.ui.graph.palette import node_colors
from gradviz.ui.graph.scene import GraphScene

TORCHVIZ = {"function": "#d3d3d3", "leaf": "#add8e6", "saved": "#ffa500",
            "output": "#caff70", "view_base": "#a2cd5a"}


@pytest.fixture(scope="module")
def seed():
    return seed_snapshot()


@pytest.fixture
def scene(qapp, seed):
    return GraphScene(seed)


def test_ui_never_imports_torch():
    code = ("import sys; import gradviz.ui.graph.scene, gradviz.ui.viewer.view, "
            "gradviz.ui.export.images, "
            "gradviz.ui.viewer.graph_panel; print('torch' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    assert out.stdout.strip() == "False"


def test_void_calls_do_not_free_none():
    # PySide6 6.12.0 on Python 3.11 drops a reference to None per void call.
    code = ("import gradviz.ui; from PySide6.QtCore import QRectF; r = QRectF()\n"
            "for _ in range(200_000): r.setX(1.0)\nprint('alive')")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.stdout.strip() == "alive", out.stderr


def test_seed_draws_its_nodes_with_torchviz_colours(scene, seed):
    kinds = {}
    for item in scene.node_items.values():
        kinds.setdefault(item.node.kind, []).append(item)
        assert item.fill_brush().color() == QColor(TORCHVIZ[item.node.kind])
    assert len(kinds["function"]) == 9
    assert [i.node.variable for i in kinds["leaf"]] == ["x"]
    assert len(kinds["output"]) == 1
    assert len(kinds["saved"]) == 4
    assert len(scene.edge_items) == len(seed.edges)
    assert all(scene.sceneRect().contains(i.rect()) for i in scene.node_items.values())


def test_edges_saved_links_are_undirected_and_dashed(scene):
    for item in scene.all_edge_items():
        item.painter_path()
        if item.kind == "saved":
            assert not item.edge.directed and item._arrow is None
            assert item._style == "dashed"
        else:
            assert item._arrow is not None and item._arrow.count() == 3


def _lines_fit(scene: GraphScene) -> None:
    for item in scene.node_items.values():
        inner = item.box.width - 2 * TEXT_PAD
        for line in item.box.lines:
            for px in (3, 7, 10, 23, 40):  # zoom: text drawn at other pixel sizes
                width = graph_metrics(px).horizontalAdvance(line.text) * line.size / px
                assert width <= inner + 0.01, (item.node_id, line.text, px)


def test_text_never_overflows_its_box(scene):
    assert graph_font_family() == "Liberation Mono"
    _lines_fit(scene)


def test_text_fits_boxes_of_a_transformer(qapp):
    _lines_fit(GraphScene(transformer_snapshot(1)))


def test_gradient_slot_and_elision(scene):
    item = scene.node_item("n8")
    assert item.grad_text() == ""
    item.set_grad_text(GRAD_PREFIX + "72")
    texts = [t for _, _, t, grad in item._layout_text() if grad]
    assert texts == ["grad 72"]
    item.set_grad_text(GRAD_PREFIX + "1234567890" * 5)
    (text,) = [t for _, _, t, grad in item._layout_text() if grad]
    assert text.endswith("…")
    assert graph_metrics(10).horizontalAdvance(text) <= item.box.width - 2 * TEXT_PAD


def test_states_and_edge_labels(scene):
    node = scene.node_item("n1")
    for state in ("dimmed", "active", "done", "idle"):
        node.set_state(state)
        assert node.state() == state
    node.set_state("dimmed")
    assert node.opacity() == 1.0  # fill and border fade, never the text
    assert node.fill_brush().color() == node_colors(scene.theme, node.node.kind, "dimmed")[0]
    assert node.fill_brush().color() != scene.theme.fill(node.node.kind)
    with pytest.raises(ValueError):
        node.set_state("glowing")
    edge = scene.edge_between("n2", "n1")
    assert isinstance(edge, EdgeItem)
    before = edge.boundingRect()
    edge.set_grad_label("1")
    edge.set_state("active")
    assert edge.grad_label() == "1" and edge.boundingRect().contains(before)
    _render(scene, 2.0)  # every look paints without error


def test_theme_switch_recolours_everything(scene):
    dark = load_theme("dark")
    scene.set_theme("dark")
    for item in scene.node_items.values():
        assert item.fill_brush().color() == dark.fill(item.node.kind)
    assert scene.backgroundBrush().color() == dark.color("background")
    assert scene.palette.edge_pens[("idle", "solid", False)].color() == dark.color("edge")
    scene.set_theme("light")
    assert scene.node_item("n9").fill_brush().color() == QColor("#add8e6")


def test_highlight_inputs_and_consumers(scene):
    scene.select_node("n8")
    assert scene.node_item("n8").role() == "selected"
    assert scene.node_item("n9").role() == "input"
    assert {n for n in scene.node_items if scene.node_item(n).role() == "consumer"} == \
        {"n6", "n12", "n13"}
    assert sorted(scene.inputs_of("n6")) == ["n7", "n8"]  # the saved tensor is read by its function
    scene.select_node(None)
    assert all(item.role() is None for item in scene.node_items.values())


def test_find_and_tooltips(scene):
    assert scene.find_nodes("accumulate") == ["n8"]
    assert len(scene.find_nodes("MulBackward")) == 3
    assert scene.find_nodes("x") == ["n7", "n9"]  # x, and x where PowBackward0 saved it
    assert scene.find_nodes("  ") == []
    tip = scene.tooltip_text("n4")
    assert "MulBackward0" in tip and "40" in tip
    scene.node_item("n4").set_grad_text("grad 5")
    assert "5" in scene.tooltip_text("n4").splitlines()[-1]
    center = scene.node_item("n4").rect().center()
    assert scene.node_at(center).node_id == "n4"
    assert scene.node_at(QPointF(-50, -50)) is None


def _render(scene: GraphScene, scale: float) -> QImage:
    rect = scene.sceneRect()
    image = QImage(max(1, int(rect.width() * scale)), max(1, int(rect.height() * scale)),
                   QImage.Format.Format_ARGB32_Premultiplied)
    painter = QPainter(image)
    scene.render(painter, QRectF(image.rect()), rect)
    painter.end()
    return image


def test_zoomed_out_draws_plain_boxes_in_place(scene):
    image = _render(scene, 0.2)  # below the level of detail for text and borders
    rect = scene.sceneRect()
    for item in scene.node_items.values():
        c = item.rect().center() - rect.topLeft()
        pixel = image.pixelColor(int(c.x() * 0.2), int(c.y() * 0.2))
        expected = item.fill_brush().color()
        assert abs(pixel.red() - expected.red()) < 40, item.node_id
        assert abs(pixel.blue() - expected.blue()) < 40, item.node_id


def test_node_items_are_node_items(scene):
    assert all(isinstance(i, NodeItem) for i in scene.node_items.values())
