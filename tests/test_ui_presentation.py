"""Presentation at 1920×1080: the graph scaled to the screen, turned left to right when that
reads larger, node text ≥ 24 px, the explanation capped, the gradient flow drawn."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QSize, Qt
from snapshots import seed_snapshot, transformer_snapshot

from gradviz.cli_request import app_config
from gradviz.ui.export.titles import function_title
from gradviz.ui.graph.flow import FlowMarker
from gradviz.ui.window.main_window import MainWindow
from gradviz.ui.window.presentation_layout import READABLE_PX, better_direction

pytestmark = pytest.mark.usefixtures("temp_settings")
FULL_HD = QSize(1920, 1080)


def _window(qtbot, snapshot) -> MainWindow:
    window = MainWindow(app_config([]), snapshot=snapshot)
    qtbot.addWidget(window)
    with qtbot.waitSignal(window.built, timeout=20_000):
        window.show()
    return window


def test_the_seed_fills_a_1080p_screen_left_to_right_with_24px_text(qtbot):
    window = _window(qtbot, seed_snapshot())
    normal_px = window.graph.view.zoom() * 10
    window.presentation.enter(FULL_HD)
    qtbot.waitUntil(lambda: window.size() == FULL_HD)
    window.presentation._arrange()
    assert window.player.snapshot.meta["options"]["rankdir"] == "LR"  # turned: it reads larger
    px = window.presentation.node_text_px()
    assert px >= READABLE_PX and px > 1.5 * normal_px
    window.player.set_step(3)
    markers = window.aids.flow.markers
    assert len(markers) == 1 and isinstance(markers[0], FlowMarker)  # MulBackward0 → x's path
    window.presentation.leave()
    assert window.player.snapshot.meta["options"]["rankdir"] == "TB"  # the built layout again
    assert window.player.step == 3


def test_a_wide_graph_is_not_turned(qapp):
    snapshot = seed_snapshot()
    x0, y0, x1, y1 = snapshot.layout.bbox
    assert better_direction(snapshot, 400, 4000) is None  # a tall screen: top to bottom wins
    assert better_direction(snapshot, 1920, 900) is not None


def test_a_transformer_summary_stays_a_few_lines_and_scrolls(qtbot):
    window = _window(qtbot, transformer_snapshot(2))
    window.resize(1360, 860)
    window.player.last()
    bar = window.explanation
    qtbot.waitUntil(lambda: bar.more.isVisible())  # 24 parameters: more than fits
    line = bar._line_px
    assert bar.scroll.height() == 4 * line  # whole lines, never a half-cut one
    bar.more.click()
    assert bar.scroll.height() > 4 * line  # the rest, on demand
    bar.more.click()
    window.presentation.enter(FULL_HD)
    assert bar.scroll.height() == 3 * bar._line_px
    qtbot.keyClick(window.graph.view, Qt.Key.Key_M)  # the rest, by key
    assert bar.scroll.height() > 3 * bar._line_px
    qtbot.keyClick(window.graph.view, Qt.Key.Key_M)
    assert bar.scroll.height() == 3 * bar._line_px
    assert "+ " in window.presentation.card.text()  # the card counts what it does not list
    window.presentation.leave()


def test_titles_are_mathematics_and_never_a_path():
    snapshot = seed_snapshot()
    assert function_title(snapshot).startswith("y = 5")
    snapshot.meta["inputs"] = {"script": "/home/ann/course/mlp.py"}
    assert function_title(snapshot) == "mlp.py"
    snapshot.meta["inputs"] = {"code": "...", "name": "A tiny MLP"}
    assert function_title(snapshot) == "A tiny MLP"


def test_present_size_and_step_from_the_command_line(qapp, cli_worker, capsys, tmp_path):
    """The window's command line in-process (``app.run`` on the session's worker, English);
    test_ui_app's screenshot tests run the real command."""
    from PySide6.QtGui import QImage

    from gradviz.cli import main
    from gradviz.ui.window.app import run

    def screenshot(*argv) -> QImage:
        assert run(app_config(["--lang", "en", *map(str, argv)]), worker=cli_worker) == 0
        return QImage(str(argv[-1]))

    image = screenshot("--present", "--size", "1920x1080", "--step", "3", "--screenshot",
                       tmp_path / "slide.png")
    assert (image.width(), image.height()) == (1920, 1080)
    plain = screenshot("--size", "1920x1080", "--step", "3", "--screenshot",
                       tmp_path / "window.png")
    assert (plain.width(), plain.height()) == (1920, 1080)
    # no docks in presentation: where the window shows the function dock, the graph is
    from gradviz.ui.base.themes import load_theme
    from gradviz.ui.graph.palette import node_colors

    # x, at the far left, not reached yet at step 3: the presentation theme's faded leaf
    leaf = node_colors(load_theme("presentation"), "leaf", "dimmed")[0]
    assert _has_color_near(image, leaf, 300) and not _has_color_near(plain, leaf, 300)
    capsys.readouterr()
    bad = main(["--present", "--size", "big", "--screenshot", str(tmp_path / "x.png")])
    assert bad == 2 and "--size must be WIDTHxHEIGHT" in capsys.readouterr().err
    assert not (tmp_path / "x.png").exists()


def _has_color_near(image, color, width: int) -> bool:
    """True if some pixel in the left ``width`` pixels is ``color`` (±6 per channel)."""
    for x in range(0, width, 3):
        for y in range(0, image.height(), 3):
            pixel = image.pixelColor(x, y)
            if all(abs(a - b) <= 6 for a, b in zip(pixel.getRgb()[:3], color.getRgb()[:3])):
                return True
    return False


def test_flow_chevrons_point_from_the_consumer_back_to_its_input(qapp):
    from gradviz.replay.state import forward_state_at, state_at
    from gradviz.ui.graph.flow import GradientFlow
    from gradviz.ui.graph.scene import GraphScene
    from gradviz.ui.graph.step_view import apply_step

    snapshot = seed_snapshot()
    scene = GraphScene(snapshot)
    flow = GradientFlow()
    flow.set_scene(scene)
    for k in range(1, len(snapshot.steps) + 1):
        state = state_at(snapshot, k)
        apply_step(scene, state)
        flow.show_state(state)
        sent = [i for i, e in enumerate(snapshot.edges)
                if e.target == state.active_node and i in state.edge_grads and e.kind != "saved"]
        assert len(flow.markers) == len(sent), k
        for marker in flow.markers:
            start = marker.path.pointAtPercent(0)  # the input's end (torchviz: input → user)
            for t in marker.positions():
                tip, side, other = (marker.chevron(t)[i] for i in range(3))
                back = (side + other) / 2
                assert (tip - start).manhattanLength() < (back - start).manhattanLength()
    flow.show_state(forward_state_at(snapshot, 2))
    assert flow.markers == []


def test_the_legend_from_the_view_menu(qtbot):
    window = _window(qtbot, seed_snapshot())
    action = window.menu_actions["legend"]
    assert not window.aids.legend.isVisible() and not action.isChecked()
    action.trigger()
    assert window.aids.legend.isVisible() and action.isChecked()
    assert any("against the arrows" in text for text in window.aids.legend.texts())
    action.trigger()
    assert not window.aids.legend.isVisible()
