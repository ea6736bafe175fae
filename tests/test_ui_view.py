"""GraphView, GraphPanel (view + find bar + inspector) with pytest-qt, offscreen."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QEvent, QPoint, QPointF, Qt
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QApplication
from snapshots import seed_snapshot

from gradviz.ui.viewer.graph_panel import GraphPanel


@pytest.fixture(scope="module")
def seed():
    return seed_snapshot()


@pytest.fixture
def panel(qtbot, seed):
    widget = GraphPanel(seed)
    qtbot.addWidget(widget)
    widget.resize(900, 700)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def _view_pos(view, node_id):
    item = view.graph_scene().node_item(node_id)
    return view.mapFromScene(item.rect().center())


def test_fit_shows_the_whole_graph(panel):
    view = panel.view
    visible = view.visible_scene_rect()
    for item in view.graph_scene().node_items.values():
        assert visible.contains(item.rect()), item.node_id
    view.zoom_by(3.0)
    view.fit()
    assert view.zoom() == pytest.approx(view.fit_zoom())


def test_click_opens_the_inspector(panel, qtbot):
    view = panel.view
    with qtbot.waitSignal(view.node_clicked, timeout=2000) as signal:
        qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=_view_pos(view, "n4"))
    assert signal.args == ["n4"]
    assert view.graph_scene().selected_node() == "n4"
    assert panel.inspector.isVisible()
    text = panel.inspector.text()
    assert "MulBackward0" in text and "40" in text  # op and value
    assert "other" in text and "5" in text  # its saved tensor
    assert panel.inspector._grad.toPlainText() == "1"  # the gradient it received


def test_inspector_on_the_leaf(panel, qtbot):
    view = panel.view
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=_view_pos(view, "n9"))
    assert panel.inspector.node_id == "n9"
    assert panel.inspector._grad.toPlainText() == "72"


def test_find_selects_and_centres_the_node(panel, qtbot):
    view = panel.view
    view.zoom_by(4.0)  # so the camera has to move
    panel.find_bar.open()
    with qtbot.waitSignal(view.camera.finished, timeout=3000):
        panel.find_bar.field.setText("accumulate")
    scene = view.graph_scene()
    assert scene.selected_node() == "n8"
    assert view.visible_scene_rect().contains(scene.node_item("n8").rect())
    assert panel.inspector.node_id == "n8"
    assert panel.find_bar.status.text() == "1 of 1"


def test_find_next_and_previous_wrap(panel, qtbot):
    bar = panel.find_bar
    matches = bar.search("MulBackward")
    assert len(matches) == 3
    bar.next()
    bar.next()
    assert bar.status.text() == "3 of 3"
    bar.next()
    assert bar.status.text() == "1 of 3"
    bar.previous()
    assert bar.status.text() == "3 of 3"
    assert bar.search("no such node") == []
    assert bar.status.text() == "no match"


def test_ctrl_f_opens_the_find_bar(panel, qtbot):
    panel.activateWindow()
    panel.view.setFocus()
    qtbot.keyClick(panel.view, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert panel.find_bar.isVisible()
    qtbot.keyClick(panel.find_bar.field, Qt.Key.Key_Escape)
    assert not panel.find_bar.isVisible()


def test_keyboard_zoom_pan_and_fit(panel, qtbot):
    view = panel.view
    start = view.zoom()
    qtbot.keyClick(view, Qt.Key.Key_Plus)
    assert view.zoom() == pytest.approx(start * 1.25)
    qtbot.keyClick(view, Qt.Key.Key_Minus)
    assert view.zoom() == pytest.approx(start)
    view.zoom_by(3.0)
    before = view.scene_center()
    qtbot.keyClick(view, Qt.Key.Key_Right)  # plain ←/→ belong to the replay
    assert view.scene_center() == before
    qtbot.keyClick(view, Qt.Key.Key_Right, Qt.KeyboardModifier.ShiftModifier)
    assert view.scene_center().x() > before.x()
    with qtbot.waitSignal(view.camera.finished, timeout=3000):
        qtbot.keyClick(view, Qt.Key.Key_F)
    assert view.zoom() == pytest.approx(view.fit_zoom())


def test_wheel_zoom_keeps_the_point_under_the_cursor(panel):
    view = panel.view
    anchor = QPointF(_view_pos(view, "n9"))
    fixed = view.mapToScene(anchor.toPoint())
    view.zoom_by(2.0, anchor)
    after = view.mapToScene(anchor.toPoint())
    assert abs(after.x() - fixed.x()) < 2 and abs(after.y() - fixed.y()) < 2


def test_zoom_to_node_camera_move(panel, qtbot):
    view = panel.view
    with qtbot.waitSignal(view.camera.finished, timeout=3000):
        view.focus_node("n0", zoom=2.0)
    assert view.zoom() == pytest.approx(2.0)
    center = view.graph_scene().node_item("n0").rect().center()
    assert (view.scene_center() - center).manhattanLength() < 2


def test_drag_pans_without_clicking(panel, qtbot):
    view = panel.view
    view.set_camera(QPointF(-60, -60), 3.0)  # the top-left corner shows empty space
    clicks = []
    view.node_clicked.connect(clicks.append)
    before = view.scene_center()
    empty = QPoint(20, 20)
    assert view.graph_scene().node_at(view.mapToScene(empty)) is None
    qtbot.mousePress(view.viewport(), Qt.MouseButton.LeftButton, pos=empty)
    for point in (QPointF(60, 80), QPointF(120, 160)):  # QTest moves carry no buttons
        move = QMouseEvent(QEvent.Type.MouseMove, point, view.viewport().mapToGlobal(point),
                           Qt.MouseButton.NoButton, Qt.MouseButton.LeftButton,
                           Qt.KeyboardModifier.NoModifier)
        QApplication.sendEvent(view.viewport(), move)
    qtbot.mouseRelease(view.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(120, 160))
    assert clicks == []
    assert view.scene_center() != before


def test_panel_theme_switch(panel):
    panel.set_theme("presentation")
    scene = panel.scene()
    assert scene.theme.name == "presentation"
    assert "font-size: 21px" in panel.styleSheet()


def test_zoomed_out_overview_still_clicks_and_shows_states(panel, qtbot):
    view = panel.view
    panel.resize(160, 160)  # the fit zoom drops below the overview threshold
    qtbot.waitUntil(lambda: view.graph_scene().overview_on(), timeout=2000)
    scene = view.graph_scene()
    scene.node_item("n1").set_state("active")
    scene.edge_between("n2", "n1").set_state("done")
    assert {id(i) for i in scene.emphasised_items()} >= {id(scene.node_item("n1"))}
    view.viewport().grab()  # paints the overview with emphasised items on top
    with qtbot.waitSignal(view.node_clicked, timeout=2000) as signal:
        qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=_view_pos(view, "n8"))
    assert signal.args == ["n8"]
    view.set_camera(view.scene_center(), 2.0)
    assert not scene.overview_on()
