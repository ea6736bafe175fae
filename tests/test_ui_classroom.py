"""The classroom: presentation mode by keys alone, help (F1), About, the forward replay.

Presentation runs on a real window with a worker, keys sent to whatever has
the focus (the function editor first). Set ``GRADVIZ_TEST_SHOTS`` to a folder
to keep the screenshots of presentation mode for a look.
"""

from __future__ import annotations

import importlib.metadata
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import QApplication, QDockWidget
from snapshots import seed_snapshot
from test_ui_app import open_window, worker  # noqa: F401 (fixtures)

from gradviz.cli_request import app_config
from gradviz.ui.window.main_window import MainWindow

pytestmark = pytest.mark.usefixtures("temp_settings")  # settings, trust store: temporary

Key = Qt.Key


def docks(window) -> dict[str, bool]:
    return {d.objectName(): d.isVisible() for d in window.findChildren(QDockWidget)}


def press(qtbot, key, widget=None) -> None:
    """A key sent where the keyboard would send it: the focused widget."""
    qtbot.keyClick(widget or QApplication.focusWidget(), key)


def save_shot(window, name: str) -> None:
    folder = os.environ.get("GRADVIZ_TEST_SHOTS")
    if folder:
        window.grab().save(str(Path(folder) / name))


def test_presentation_mode_by_keys_alone_from_the_function_editor(qtbot, worker):  # noqa: F811
    with open_window(qtbot, worker) as window:
        editor = window.editor.box
        editor.setFocus()
        qtbot.waitUntil(editor.hasFocus)
        before = (window.windowState(), window.geometry(), window.theme_name(), docks(window),
                  window.menuBar().isVisible(), window.statusBar().isVisible())
        text, counter = window.editor.text(), window.presentation.counter
        press(qtbot, Key.Key_F5)
        assert window.presentation.active and window.isFullScreen()
        assert window.theme_name() == "presentation" and counter.isVisible()
        # no docks: the .grad card instead of the gradients table
        assert docks(window) == {"FunctionDock": False, "GradientsDock": False, "PathsDock": False,
                                 "ProblemsDock": False, "FlowDock": False}
        assert window.presentation.card.isVisible() and window.aids.legend.isVisible()
        assert not window.menuBar().isVisible() and window.explanation.isVisible()
        label = counter.counter
        label.ensurePolished()  # the style sheet's font is the label's once polished
        assert label.text() == "Step 0 / 9" and label.font().pixelSize() == 44
        assert label.font().bold() and QFontMetrics(label.font()).height() >= 44
        assert label.height() >= QFontMetrics(label.font()).height()
        steps = ((Key.Key_Right, 1), (Key.Key_Right, 2), (Key.Key_End, 9), (Key.Key_Left, 8),
                 (Key.Key_Home, 0), (Key.Key_PageDown, 1), (Key.Key_PageUp, 0))
        for i, (key, step) in enumerate(steps):
            press(qtbot, key, editor if i % 2 else None)  # even the editor cannot eat them
            assert window.player.step == step
            assert counter.counter.text() == f"Step {step} / 9"
        press(qtbot, Key.Key_End)
        assert window.presentation.card.text() == f"x.grad = {window.gradients.grad_text('x')}"
        assert "72" in window.presentation.card.text()
        press(qtbot, Key.Key_L)
        assert not window.aids.legend.isVisible()
        press(qtbot, Key.Key_L, editor)
        assert window.aids.legend.isVisible()
        press(qtbot, Key.Key_Home)
        save_shot(window, "presentation.png")
        press(qtbot, Key.Key_Space)
        assert window.player.playing
        press(qtbot, Key.Key_Space, editor)
        assert not window.player.playing
        view = window.graph.view
        zoom = view.zoom()
        press(qtbot, Key.Key_Plus)
        assert view.zoom() > zoom
        press(qtbot, Key.Key_Minus, editor)
        press(qtbot, Key.Key_Minus)
        assert view.zoom() < zoom
        press(qtbot, Key.Key_F)
        qtbot.waitUntil(lambda: abs(view.zoom() - view.fit_zoom()) < 1e-6, timeout=3000)
        assert window.editor.text() == text  # nothing was typed into the function
        press(qtbot, Key.Key_Escape, editor)
        assert not window.presentation.active and not counter.isVisible()
        assert not window.presentation.card.isVisible() and not window.aids.legend.isVisible()
        after = (window.windowState(), window.geometry(), window.theme_name(), docks(window),
                 window.menuBar().isVisible(), window.statusBar().isVisible())
        assert after == before
        assert editor.hasFocus()
        press(qtbot, Key.Key_Right, window.graph.view)  # the window's own keys again
        assert window.player.step == 1


def test_f1_lists_the_shortcuts_and_esc_closes_it_inside_presentation(qtbot):
    window = make_window(qtbot)
    window.graph.view.setFocus()
    press(qtbot, Key.Key_F1, window.graph.view)
    dialog = window.help.dialog
    assert dialog is not None and dialog.isVisible()
    text = dialog.text()
    for words in ("Space", "Home / End", "F5", "Esc", "Play / pause the replay"):
        assert words in text
    dialog.close()
    window.presentation.enter()
    press(qtbot, Key.Key_F1, window.graph.view)
    dialog = window.help.dialog
    assert dialog.isVisible() and window.presentation.active
    qtbot.keyClick(dialog.browser, Key.Key_Escape)  # the dialog's own Esc: closes it
    assert not dialog.isVisible() and window.presentation.active
    window.presentation.leave()


def test_how_to_read_the_graph_explains_colours_arrows_and_the_sum(qtbot):
    window = make_window(qtbot)
    menu_action(window, "&How to read this graph").trigger()
    text = window.help.dialog.text()
    for words in ("grey", "light blue", "orange", "green", "thistle", "against the arrows",
                  "chain rule", "4 + 8 + 60 = 72"):
        assert words in text


def test_about_lists_the_versions_without_importing_torch(tmp_path):
    code = textwrap.dedent(f"""
        import sys
        from PySide6.QtCore import QSettings
        from gradviz.ui.window.app import application
        from gradviz.ui.window.main_window import MainWindow
        from gradviz.ui.base.settings import AppSettings
        app = application()
        settings = AppSettings(QSettings({str(tmp_path / "s.ini")!r}, QSettings.Format.IniFormat))
        window = MainWindow(settings=settings)
        print(window.help.show_about().text())
        window.runner.shutdown()
        print("torch loaded:", "torch" in sys.modules)
    """)
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          env=env, timeout=120)
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert "torch loaded: False" in out
    for name in ("gradviz", "torch"):
        assert importlib.metadata.version(name) in out
    from PySide6 import __version__ as pyside
    from PySide6.QtCore import qVersion
    assert qVersion() in out and pyside in out and "Layout engine" in out
    assert "graphviz-pure" in out or "dot" in out


def make_window(qtbot) -> MainWindow:
    """A shown window on the seed, built here (no worker); settings in a temporary folder."""
    window = MainWindow(app_config([]), snapshot=seed_snapshot())
    qtbot.addWidget(window)
    with qtbot.waitSignal(window.built, timeout=10_000):
        window.show()
    return window


def menu_action(window, text: str):
    """The action with this text, in any of the window's menus."""
    for entry in window.menuBar().actions():
        for action in entry.menu().actions():
            if action.text() == text:
                return action
    raise KeyError(text)


def test_forward_replay_from_the_replay_menu(qtbot):
    window = make_window(qtbot)
    toggle = menu_action(window, "Replay the &forward pass first")
    toggle.trigger()
    assert toggle.isChecked() and window.player.forward_replay
    assert window.player.count == 17 and window.timeline.slider.maximum() == 17
    assert window.timeline.step_label.text() == "Forward 0 / 8"
    assert window.explanation.title.text() == "Forward pass: the inputs"
    scene = window.graph.scene()
    assert scene.node_items[window.player.snapshot.variable("x").node].value_shown()
    window.player.next()
    assert "PowBackward0 computes 8 from x = 2" in window.explanation.text()
    window.player.set_step(8)
    assert "The forward pass is done: output = 64" in window.explanation.text()
    window.player.next()
    assert window.timeline.step_label.text() == "Step 1 / 9"
    assert window.explanation.title.text().startswith("Step 1 of 9")
    assert all(item.value_shown() for item in scene.node_items.values())
    toggle.trigger()
    assert window.player.step == 1 and window.player.count == 9
