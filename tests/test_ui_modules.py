"""Module boxes in the window: double-click to collapse, double-click to expand, the View menu.

The window shows a small MLP's Snapshot built here (no worker); each collapse
is laid out again in a thread, and the replay keeps its step.
"""

from __future__ import annotations

import pytest
import torch
from PySide6.QtCore import QPointF, Qt

import gradviz
from gradviz.cli_request import app_config
from gradviz.core.graph.collapse import module_node_id
from gradviz.ui.window.main_window import MainWindow

pytestmark = pytest.mark.usefixtures("temp_settings")  # settings, trust store: temporary

LAYOUT_MS = 20_000


@pytest.fixture(scope="module")
def mlp_snapshot():
    torch.manual_seed(0)
    model = torch.nn.Sequential(torch.nn.Linear(3, 4), torch.nn.ReLU(), torch.nn.Linear(4, 1))
    return gradviz.snapshot(model, torch.randn(2, 3), loss_fn=lambda o: o.pow(2).mean())


@pytest.fixture
def window(qtbot, mlp_snapshot):
    window = MainWindow(app_config([]), snapshot=mlp_snapshot)
    qtbot.addWidget(window)
    with qtbot.waitSignal(window.built, timeout=10_000):
        window.show()
    yield window
    window.close()


def double_click(qtbot, view, scene_point: QPointF) -> None:
    """A real double-click on the view's viewport at a scene point."""
    view.set_camera(view.scene_center(), view.zoom())
    pos = view.mapFromScene(scene_point)
    assert view.viewport().rect().contains(pos)
    qtbot.mouseDClick(view.viewport(), Qt.MouseButton.LeftButton, pos=pos)


def box_corner(window, path: str) -> QPointF:
    """A point inside module ``path``'s box, beside its label (not on a node)."""
    box = next(c for c in window.graph.scene().cluster_items if c.box.name == path)
    return box.rect().topLeft() + QPointF(3, 3)


def test_double_click_collapses_a_module_and_expands_it_again(qtbot, window, mlp_snapshot):
    view = window.graph.view
    full = len(window.graph.scene().node_items)
    window.player.set_step(4)
    active = window.player.state().active_node
    with qtbot.waitSignal(window.modules.shown, timeout=LAYOUT_MS):
        double_click(qtbot, view, box_corner(window, "0"))
    scene = window.graph.scene()
    box = module_node_id("0")
    assert box in scene.node_items and len(scene.node_items) < full
    assert window.modules.collapsed == {"0"}
    assert window.player.step == 4 and window.player.count == len(mlp_snapshot.steps)
    assert window.player.snapshot.steps[3].op == mlp_snapshot.steps[3].op
    for _ in range(window.player.count - 4):  # the replay still works to the end
        window.player.next()
        assert window.player.state().active_node in scene.node_items
    assert scene.node_items[box].state() in ("done", "active")
    assert "Backward pass done" in window.explanation.text()
    window.player.set_step(4)
    with qtbot.waitSignal(window.modules.shown, timeout=LAYOUT_MS):
        double_click(qtbot, view, scene.node_items[box].rect().center())
    scene = window.graph.scene()
    assert len(scene.node_items) == full and box not in scene.node_items
    assert window.player.step == 4 and window.player.state().active_node == active
    window.player.next()
    assert window.player.step == 5


def test_collapse_all_and_expand_all_from_the_view_menu(qtbot, window):
    full = len(window.graph.scene().node_items)
    actions = window.menu_actions
    view_menu = next(a.menu() for a in window.menuBar().actions() if a.text() == "&View")
    view_menu.aboutToShow.emit()  # the View menu syncs its entries on opening
    assert actions["collapse_all"].isEnabled() and not actions["expand_all"].isEnabled()
    with qtbot.waitSignal(window.modules.shown, timeout=LAYOUT_MS):
        actions["collapse_all"].trigger()
    modules = [n for n in window.graph.scene().snapshot.nodes if n.kind == "module"]
    assert {n.id for n in modules} == {module_node_id(p) for p in ("0", "1", "2")}
    assert not actions["collapse_all"].isEnabled() and actions["expand_all"].isEnabled()
    window.player.last()
    assert window.gradients.grad_text("0.bias") != "—"  # every gradient is still there
    with qtbot.waitSignal(window.modules.shown, timeout=LAYOUT_MS):
        actions["expand_all"].trigger()
    assert len(window.graph.scene().node_items) == full
    assert window.player.step == window.player.count


def test_double_click_on_plain_background_or_a_plain_node_changes_nothing(qtbot, window):
    view, scene = window.graph.view, window.graph.scene()
    loss = next(n for n in scene.snapshot.nodes if n.op == "MeanBackward0")  # in no module
    with qtbot.assertNotEmitted(window.modules.shown, wait=200):
        double_click(qtbot, view, scene.node_items[loss.id].rect().center())
    assert window.graph.scene() is scene and not window.modules.collapsed


def test_a_collapsed_snapshot_keeps_no_cache_of_the_full_one(mlp_snapshot):
    from gradviz.core.graph.collapse import collapse_modules
    from gradviz.ui.viewer.player import state_at

    state_at(mlp_snapshot, 3)  # caches the full graph's edges on the Snapshot
    assert mlp_snapshot.derived and mlp_snapshot.statements
    small = collapse_modules(mlp_snapshot, ["0"])
    assert small.statements is None and small.derived == {}
    edges = {i for i, e in enumerate(small.edges) if e.kind == "next"}
    assert set(state_at(small, len(small.steps)).edge_grads) <= edges | {
        i for i, e in enumerate(small.edges) if e.kind == "output"}
