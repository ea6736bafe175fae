"""Colour nodes by a number (ui.colour_by): the View menu, tints from the Snapshot's numbers,
the legend, readable text on every tint; a gradient-flow bar highlights its nodes."""

from __future__ import annotations

import pytest
import torch
from PySide6.QtCore import QPoint, QRectF, Qt
from PySide6.QtGui import QColor, QImage, QPainter

import gradviz
from gradviz.cli_request import app_config
from gradviz.core.lens.node_measures import color_scale, node_measure
from gradviz.ui.base.themes import load_theme, theme_names
from gradviz.ui.graph.node_colors import (
    LEVELS,
    NONFINITE_HUE,
    ORDER_HUES,
    TintBook,
    ramp,
    tint_colors,
)
from gradviz.ui.graph.palette import contrast_ratio
from gradviz.ui.panels.flow_panel import ROW_H
from gradviz.ui.window.main_window import MainWindow

pytestmark = pytest.mark.usefixtures("temp_settings")


@pytest.mark.parametrize("name", theme_names())
def test_text_is_readable_on_every_tint(name):
    theme = load_theme(name)
    colors = [ramp(i / (LEVELS - 1)) for i in range(LEVELS)]
    colors += [QColor(h) for h in (*ORDER_HUES, NONFINITE_HUE)]
    for color in colors:
        fill, dim, text, grad, dim_text, dim_grad = tint_colors(theme, color)
        for ink, paper in ((text, fill), (grad, fill), (dim_text, dim), (dim_grad, dim)):
            assert contrast_ratio(ink, paper) >= 4.5, (color.name(), ink.name(), paper.name())
    book = TintBook(theme)  # the ramp's ends stay apart (seen, not only computed)
    low, high = book.at(0.0).fill.color(), book.at(1.0).fill.color()
    assert contrast_ratio(low, high) > 1.8
    orders = [book.order(o).fill.color().name() for o in range(3)]
    assert len(set(orders)) == 3 and book.order(5).fill.color().name() == orders[2]


@pytest.fixture(scope="module")
def mlp_snapshot():
    torch.manual_seed(0)
    model = torch.nn.Sequential(torch.nn.Linear(3, 4), torch.nn.Tanh(), torch.nn.Linear(4, 2))
    return gradviz.snapshot(model, torch.randn(2, 3), loss_fn=lambda o: o.pow(2).mean())


@pytest.fixture
def window(qtbot, mlp_snapshot):
    window = MainWindow(app_config([]), snapshot=mlp_snapshot)
    qtbot.addWidget(window)
    with qtbot.waitSignal(window.built, timeout=10_000):
        window.show()
    yield window
    window.close()


def painted_fill(item) -> QColor:
    """The colour painted at a box's top-left inside corner (clear of its text)."""
    rect = item.rect()
    image = QImage(int(rect.width()), int(rect.height()), QImage.Format.Format_RGB32)
    image.fill(QColor("#123456"))
    painter = QPainter(image)
    item.scene().render(painter, QRectF(image.rect()), rect)
    painter.end()
    return image.pixelColor(4, 4)


def test_the_view_menu_colours_nodes_by_gradient_norm(window, mlp_snapshot):
    actions = window.menu_actions
    assert not actions["colour:order"].isEnabled()  # no create_graph here
    actions["colour:grad_norm"].trigger()
    colouring = window.aids.colouring
    assert colouring.measure == "grad_norm" and actions["colour:grad_norm"].isChecked()
    norms = node_measure(mlp_snapshot, "grad_norm")
    scale = color_scale(norms)
    scene = window.graph.scene()
    book = TintBook(window.aids.colouring._theme)
    top = max(norms, key=norms.get)
    bottom = min(norms, key=norms.get)
    assert scene.node_items[top].tint().fill.color() == book.at(1.0).fill.color()
    assert scene.node_items[bottom].tint().fill.color() == book.at(0.0).fill.color()
    for node_id, item in scene.node_items.items():
        if node_id in norms:
            expected = book.at(scale.position(norms[node_id])).fill.color()
            assert item.tint().fill.color() == expected
            assert painted_fill(item) == expected
        else:
            assert item.tint() is None
    legend = colouring.legend
    assert legend.isVisible() and legend.texts()[0] == "Gradient norm"
    assert "not measured" in legend.texts()[-1]
    actions["colour:none"].trigger()
    assert not legend.isVisible()
    assert all(item.tint() is None for item in scene.node_items.values())


def test_saved_bytes_and_theme_switch_keep_the_colouring(window, mlp_snapshot):
    window.aids.colouring.set_measure("saved_bytes")
    saved = node_measure(mlp_snapshot, "saved_bytes")
    scene = window.graph.scene()
    assert {n for n, i in scene.node_items.items() if i.tint() is not None} == set(saved)
    light = scene.node_items[next(iter(saved))].tint().fill.color()
    window.set_theme("dark")
    dark = window.graph.scene().node_items[next(iter(saved))].tint()
    assert dark is not None and dark.fill.color() != light
    assert window.aids.colouring.legend.texts()[1].endswith("B")  # bytes, with their unit


def test_a_module_bar_highlights_the_modules_nodes(qtbot, window, mlp_snapshot):
    panel = window.flow
    panel.set_grouping(panel.MODULES)
    assert [r.label for r in panel.chart.rows] == ["0", "2"]
    panel.chart.resize(300, 200)
    qtbot.mouseClick(panel.chart, Qt.MouseButton.LeftButton, pos=QPoint(10, 2 + ROW_H // 2))
    inside = {n.id for n in mlp_snapshot.nodes if n.module == "0"}
    assert inside
    leaves = {mlp_snapshot.variable(p).node for p in ("0.weight", "0.bias")}
    assert window.graph.scene().selected_node() is None
    assert set(window.aids.marked_nodes()) == inside | leaves
    panel.set_grouping(panel.PARAMETERS)  # one parameter: selected, the module's marks gone
    qtbot.mouseClick(panel.chart, Qt.MouseButton.LeftButton, pos=QPoint(10, 2 + ROW_H // 2))
    assert window.graph.scene().selected_node() == mlp_snapshot.variable("0.weight").node
    assert window.aids.marked_nodes() == []  # the leaf wears the selection's look itself


def test_a_second_order_graph_is_coloured_by_order(qtbot):
    from gradviz.core.lens.higher_order import derivative_snapshot

    snapshot = derivative_snapshot("5*x**3 + 2*x**2 + 4*x + 8", ["x=2.0"])
    window = MainWindow(app_config([]), snapshot=snapshot)
    qtbot.addWidget(window)
    with qtbot.waitSignal(window.built, timeout=10_000):
        window.show()
    colouring = window.aids.colouring
    assert colouring.measure == "order" and window.menu_actions["colour:order"].isChecked()
    book = TintBook(colouring._theme)
    items = window.graph.scene().node_items
    for node_id, order in snapshot.meta["orders"].items():
        assert items[node_id].tint().fill.color() == book.order(order).fill.color()
    assert colouring.legend.texts()[:3] == ["Order of differentiation", "forward",
                                            "first backward"]
    window.close()


def test_tints_stay_seen_zoomed_out(window, mlp_snapshot):
    """Zoomed out (plain boxes, then the overview), a done node keeps its tint inside a frame
    of the state's colour."""
    from gradviz.ui.graph.items import tint_core

    window.aids.colouring.set_measure("grad_norm")
    window.player.last()
    scene = window.graph.scene()
    norms = node_measure(mlp_snapshot, "grad_norm")
    node_id = max(norms, key=norms.get)
    item = scene.node_items[node_id]
    assert item.state() == "done"
    for overview in (False, True):
        scene.set_overview(overview)
        rect = item.rect()
        image = QImage(int(rect.width() * 0.2) + 1, int(rect.height() * 0.2) + 1,
                       QImage.Format.Format_RGB32)
        painter = QPainter(image)
        scene.render(painter, QRectF(image.rect()), rect)
        painter.end()
        centre = image.pixelColor(image.width() // 2, image.height() // 2)
        edge = image.pixelColor(0, image.height() // 2)
        assert centre == item.tint().fill.color(), overview
        assert edge == scene.palette.edge_brushes["done"].color(), overview
    assert tint_core(rect).width() < rect.width()
    scene.set_overview(False)


def test_a_nan_gradient_has_its_own_colour(qtbot):
    from gradviz.core.runtime.jobs import snapshot_from_expression

    snapshot = snapshot_from_expression("sqrt(x)*x", ["x=0.0"])  # x.grad = 0·inf = NaN
    window = MainWindow(app_config([]), snapshot=snapshot)
    qtbot.addWidget(window)
    with qtbot.waitSignal(window.built, timeout=10_000):
        window.show()
    colouring = window.aids.colouring
    colouring.set_measure("grad_norm")
    x = snapshot.variable("x").node
    book = colouring._book  # the window's tints (compared by identity)
    assert window.graph.scene().node_items[x].tint() is book.nonfinite
    finite = [n for n, v in colouring.values.items() if v == v and abs(v) != float("inf")]
    assert finite and all(colouring.tint_of(n) is not book.nonfinite for n in finite)
    assert "NaN or ±Inf" in colouring.legend.texts()
    window.close()


def test_fitting_leaves_the_legend_strip_free(qtbot):
    from gradviz.core.lens.higher_order import derivative_snapshot

    snapshot = derivative_snapshot("5*x**3 + 2*x**2 + 4*x + 8", ["x=2.0"])  # tall and narrow
    window = MainWindow(app_config([]), snapshot=snapshot)
    qtbot.addWidget(window)
    with qtbot.waitSignal(window.built, timeout=10_000):
        window.show()
    view, legend = window.graph.view, window.aids.colouring.legend
    assert legend.isVisible()  # coloured by order
    view.fit()
    graph = view.viewport().mapTo(view, view.mapFromScene(
        window.graph.scene().graph_rect()).boundingRect().bottomRight())
    box = legend.geometry()
    assert graph.x() > box.left()  # the legend's corner is under the graph's width ...
    assert graph.y() <= box.top()  # ... so the graph ends above it
    window.aids.colouring.set_measure("none")
    assert view._fit_rect() == view.viewport().rect()
    window.close()


def test_colour_by_from_the_command_line(qtbot, mlp_snapshot):
    from gradviz.cli_args import COLOUR_BY
    from gradviz.ui.graph.colour_by import CHOICES

    assert COLOUR_BY == CHOICES
    window = MainWindow(app_config(["--color-by", "saved_bytes"]), snapshot=mlp_snapshot)
    qtbot.addWidget(window)
    with qtbot.waitSignal(window.built, timeout=10_000):
        window.show()
    saved = node_measure(mlp_snapshot, "saved_bytes")
    items = window.graph.scene().node_items
    assert {n for n, i in items.items() if i.tint() is not None} == set(saved)
    window.close()


def test_a_legend_refilled_while_shown_fits_its_new_contents(qtbot, window):
    """Switching measure (or a new drawing) refills the visible legend: it takes the size of
    its new texts at once, never the empty frame's (a 30×14 box after expanding a fold)."""
    colouring = window.aids.colouring
    colouring.set_measure("grad_norm")
    legend = colouring.legend
    assert legend.isVisible()
    colouring.set_measure("value_norm")  # refilled while visible
    title = next(label for label in legend._labels if label.text() == "Value norm")
    assert title.isVisible()
    assert legend.width() >= title.sizeHint().width()
    assert legend.size() == legend.sizeHint()
    colouring.set_scene(window.graph.scene())  # a new drawing, same measure
    assert legend.size() == legend.sizeHint() and legend.height() > 3 * title.sizeHint().height()
