"""The whole window with a real evaluation worker: type, build, replay, examples, errors.

One worker serves the module (its start-up imports torch); each test opens and
closes its own window inside the test, so the error hooks come and go with it.
Settings and trusted code live in a temporary folder (never the user's).
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import textwrap

import pytest
from leak_guard import module_worker
from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QImage

from gradviz.cli import SEED_EXPRESSION
from gradviz.cli_request import app_config
from gradviz.core.lesson.files import load_lesson
from gradviz.ui.window.examples import example_paths
from gradviz.ui.window.main_window import MainWindow

BUILD_MS = 60_000  # the first build waits for the worker to import torch


pytestmark = pytest.mark.usefixtures("temp_settings")  # settings, trust store: temporary


worker = module_worker(30.0)  # one evaluation worker for the module


@contextlib.contextmanager
def open_window(qtbot, worker, *argv: str, expect_errors: bool = False):
    """A shown window, its first build done; closed (and checked) at the end."""
    window = MainWindow(app_config(list(argv)), worker=worker)
    qtbot.addWidget(window)
    try:
        with qtbot.waitSignal(window.built, timeout=BUILD_MS):
            window.show()
        yield window
        if not expect_errors:
            assert window.errors.dialog is None, window.errors.dialog.details.toPlainText()
    finally:
        window.close()
    assert not window.runner.is_busy()


def build(qtbot, window: MainWindow):
    with qtbot.waitSignal(window.built, timeout=BUILD_MS) as signal:
        window.build()
    return signal.args[0]


def test_typed_seed_builds_on_enter_and_plays_to_72(qtbot, worker):
    with open_window(qtbot, worker, "x + 1", "--var", "x=2.0") as window:
        assert window.player.count == 2
        window.editor.box.clear()
        qtbot.keyClicks(window.editor.box, SEED_EXPRESSION)
        with qtbot.waitSignal(window.built, timeout=BUILD_MS) as signal:
            qtbot.keyClick(window.editor.box, Qt.Key.Key_Return)
        snapshot = signal.args[0]
        assert snapshot.source == SEED_EXPRESSION and snapshot.output.value == 64.0
        assert window.player.count == 9 and window.timeline.slider.maximum() == 9
        assert window.gradients.grad_text("x") == "—"
        window.player.set_speed(4.0)
        window.timeline.play_button.click()
        assert window.player.playing
        qtbot.waitUntil(lambda: window.player.step == 9 and not window.player.playing,
                        timeout=10_000)
        assert window.gradients.grad_text("x") == "72 = 4 + 8 + 60"
        window.settle()
        leaf = window.graph.scene().node_items[snapshot.variable("x").node]
        assert leaf.grad_text() == "grad 72"
        assert "x.grad = 72" in window.explanation.text()
        engine = window.builds.engine_label.text()
        assert "graphviz" in engine or "dot" in engine


def test_window_keys_step_the_replay(qtbot, worker):
    with open_window(qtbot, worker) as window:  # no arguments: the seed, built at once
        assert window.editor.text() == SEED_EXPRESSION and window.player.count == 9
        window.graph.view.setFocus()
        for key, step in ((Qt.Key.Key_Right, 1), (Qt.Key.Key_Right, 2), (Qt.Key.Key_End, 9),
                          (Qt.Key.Key_Left, 8), (Qt.Key.Key_Home, 0)):
            qtbot.keyClick(window, key)
            assert window.player.step == step
        qtbot.keyClick(window, Qt.Key.Key_Space)
        assert window.player.playing
        qtbot.keyClick(window, Qt.Key.Key_Space)
        assert not window.player.playing


def test_every_example_of_the_menu_opens_as_a_lesson_and_builds(qtbot, worker):
    with open_window(qtbot, worker) as window:
        menu = next(a.menu() for a in window.menuBar().actions() if "Examples" in a.text())
        actions = menu.actions()
        assert len(actions) == len(example_paths()) == 15
        assert actions[0].text() == "The seed: a polynomial and its gradient"
        for action, path in zip(actions, example_paths(), strict=True):
            fn = load_lesson(path).functions[0]
            if fn.code is not None:  # never run on opening: no build starts
                action.trigger()
                assert not window.runner.is_busy() and window.player.snapshot is None
                assert window.lesson_panel.run_button.isVisibleTo(window)
                continue
            with qtbot.waitSignal(window.built, timeout=BUILD_MS) as signal:
                action.trigger()
            snapshot = signal.args[0]
            assert snapshot.source == fn.expression, action.text()
            assert window.player.count > 0 and window.editor.error_text() == ""
            assert window.lessons.lesson.title == load_lesson(path).title
            names = {text.split("=")[0] for text in fn.variables + fn.constants}
            assert {v.name for v in snapshot.variables} == names
            if fn.expression.startswith("cross_entropy"):
                window.player.last()
                assert window.gradients.grad_text("z").startswith("[")


def test_example_titles_follow_the_ui_language(qtbot, worker):
    window = MainWindow(app_config(["x"]), worker=worker, language="fr")
    qtbot.addWidget(window)
    menu = next(a.menu() for a in window.menuBar().actions() if "Examples" in a.text())
    assert menu.actions()[0].text() == "Premier exemple\u00a0: un polynôme et son gradient"
    window.close()


def test_run_backward_again_doubles_the_grad_and_zero_grad_resets_it(qtbot, worker):
    with open_window(qtbot, worker) as window:  # the seed: x.grad = 72
        with qtbot.waitSignal(window.built, timeout=BUILD_MS) as signal:
            window.builds.run_backward_again()
        snapshot = signal.args[0]
        assert window.state.runs == 2 and window.player.count == 18
        window.player.last()
        window.settle()
        assert window.gradients.grad_text("x").startswith("144")
        assert "backward call 2" in window.explanation.text()
        assert "backward call 2 of 2" in window.timeline.step_label.text()
        leaf = window.graph.scene().node_items[snapshot.variable("x").node]
        assert leaf.grad_text() == "grad 144"
        with qtbot.waitSignal(window.built, timeout=BUILD_MS):
            window.builds.zero_grad()
        window.player.last()
        assert window.state.runs == 1 and window.gradients.grad_text("x").startswith("72")


def test_inspector_shows_the_gradient_of_the_current_step(qtbot, worker):
    with open_window(qtbot, worker) as window:
        scene = window.graph.scene()
        output = next(n.id for n in scene.snapshot.nodes if n.kind == "output")
        window.graph.inspect(output)
        assert window.graph.inspector._grad.toPlainText() == "not computed yet"
        window.player.set_step(1)
        assert window.graph.inspector._grad.toPlainText() == "1"


def test_show_snapshot_opens_a_window_and_returns_when_it_closes(qtbot):
    from snapshots import seed_snapshot

    from gradviz.ui.window import app as app_module

    snapshot = seed_snapshot()
    seen = {}

    def close_it():
        windows = [w for w in app_module.QApplication.topLevelWidgets()
                   if isinstance(w, MainWindow) and w.isVisible()]
        seen["count"] = windows[0].player.count if windows else None
        seen["title"] = windows[0].windowTitle() if windows else None
        for window in windows:
            window.close()

    QTimer.singleShot(500, close_it)
    app_module.show_snapshot(snapshot, theme="dark")  # blocks until closed
    assert seen == {"count": 9, "title": "gradviz — 5*x**3 + 2*x**2 + 4*x + 8"}


def test_bad_input_is_underlined_and_the_app_goes_on(qtbot, worker):
    with open_window(qtbot, worker, "x + 1", "--var", "x=2.0") as window:
        window.editor.set_text("5*x +* 2")
        with qtbot.waitSignal(window.build_failed, timeout=BUILD_MS):
            window.build()
        assert "syntax" in window.editor.error_text()
        assert window.editor.highlighter._error is not None
        assert window.player.count == 2  # the last good graph stays
        window.editor.set_text("x * 3")
        assert build(qtbot, window).output.value == 6.0
        assert window.editor.error_text() == ""


def test_cancel_stops_the_build(qtbot, worker):
    with open_window(qtbot, worker, "x + 1", "--var", "x=2.0") as window:
        window.editor.set_text("x * 5")
        with qtbot.waitSignal(window.runner.cancelled, timeout=5000):
            window.build()
            assert window.builds.cancel_button.isVisibleTo(window)
            window.builds.cancel_button.click()
        assert not window.runner.is_busy() and not window.builds.cancel_button.isVisibleTo(window)
        assert build(qtbot, window).output.value == 10.0  # the worker was restarted


@pytest.mark.qt_no_exception_capture
def test_a_raising_slot_shows_the_error_dialog_and_the_app_goes_on(qtbot, worker):
    with open_window(qtbot, worker, expect_errors=True) as window:
        def boom(_step):
            raise RuntimeError("injected failure")

        window.player.step_changed.connect(boom)
        window.timeline.forward_button.click()
        qtbot.waitUntil(lambda: window.errors.dialog is not None
                        and window.errors.dialog.isVisible(), timeout=5000)
        assert "injected failure" in window.errors.dialog.details.toPlainText()
        assert window.player.step == 1
        window.player.step_changed.disconnect(boom)
        window.timeline.forward_button.click()
        assert window.player.step == 2 and window.explanation.text().startswith("Step 2")


SCREENSHOT = textwrap.dedent("""
    import sys
    from gradviz.cli import main
    code = main(sys.argv[1:])
    print("torch loaded in the GUI process:", "torch" in sys.modules)
    sys.exit(code)
""")


def run_app(*argv: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    return subprocess.run([sys.executable, "-c", SCREENSHOT, *argv], capture_output=True,
                          text=True, timeout=180, env=env)


def test_screenshot_writes_a_png_of_the_window_and_never_loads_torch(tmp_path):
    out = tmp_path / "win.png"
    done = run_app("5*x**3 + 2*x**2 + 4*x + 8", "--var", "x=2", "--screenshot", str(out))
    assert done.returncode == 0, done.stderr
    assert "torch loaded in the GUI process: False" in done.stdout
    image = QImage(str(out))
    assert (image.width(), image.height()) == (1360, 860)
    assert [p.name for p in tmp_path.iterdir()] == ["win.png"]  # no temporary file left


def test_screenshot_of_bad_input_exits_2_with_one_clear_line(tmp_path):
    out = tmp_path / "win.png"
    done = run_app("5*x +* 2", "--var", "x=2", "--screenshot", str(out))
    assert done.returncode == 2, done.stderr
    assert "Syntax error" in done.stderr, done.stderr
    assert done.stderr.strip().splitlines()[-1].startswith("gradviz: error: Syntax error")
    assert "Traceback" not in done.stderr and not out.exists()


def test_saved_tensors_hidden_by_the_size_rule_are_said_in_the_status_bar(qtbot, worker):
    from types import SimpleNamespace

    with open_window(qtbot, worker) as window:
        builds = window.builds
        assert window.state.show_saved is None and window.menu_actions["show_saved"].isChecked()
        choice = {"shown": False, "auto": True, "limit": 1500, "backward_nodes": 1501}
        big = SimpleNamespace(nodes=[None] * 1501, steps=[], meta={"saved_tensors": choice},
                              layout=SimpleNamespace(engine="dot"))
        builds.show_built(big, 1.0)
        assert "hidden" in window.statusBar().currentMessage()
        assert not window.menu_actions["show_saved"].isChecked()
        assert not builds.lighter_button.isVisibleTo(window)
        with qtbot.waitSignal(window.built, timeout=BUILD_MS) as signal:
            window.menu_actions["show_saved"].trigger()  # the user's choice wins from now on
        assert window.state.show_saved is True
        assert signal.args[0].meta["saved_tensors"] == {"shown": True, "auto": False,
                                                        "limit": 1500}


def test_a_big_graph_offers_to_hide_saved_tensors(qtbot, worker):
    from types import SimpleNamespace

    with open_window(qtbot, worker) as window:
        builds = window.builds
        big = SimpleNamespace(nodes=[None] * 3001, steps=[], layout=SimpleNamespace(engine="dot"),
                              meta={})
        builds.show_built(big, 1.0)
        assert builds.lighter_button.isVisibleTo(window)
        assert "3001 nodes" in window.statusBar().currentMessage()
        messages = []
        window.statusBar().messageChanged.connect(messages.append)
        builds._slow.setInterval(1)  # a "slow" build: explained, with the lighter setting
        with qtbot.waitSignal(window.built, timeout=BUILD_MS) as signal:
            builds.lighter_button.click()
        assert not window.state.show_saved and not window.menu_actions["show_saved"].isChecked()
        assert not any(n.kind == "saved" for n in signal.args[0].nodes)
        assert not builds.lighter_button.isVisibleTo(window)
        window.editor.set_text("x * 7")
        window.state.show_saved = True
        with qtbot.waitSignal(window.built, timeout=BUILD_MS):
            window.build()
            qtbot.waitUntil(lambda: any("Still building" in m for m in messages), timeout=5000)


def test_a_missing_engine_is_said_in_the_status_bar(qtbot, monkeypatch):
    from gradviz.core.layout import engines
    from gradviz.core.runtime.worker import EvaluationWorker

    real = engines.engine_path("graphviz-pure")
    # the worker's child lays the graph out: its PATH finds graphviz-pure but no dot
    monkeypatch.setenv("PATH", os.path.dirname(real))
    assert engines.engine_path("dot") is None
    with EvaluationWorker(timeout=60) as own, \
            open_window(qtbot, own, "--layout-engine", "dot") as window:
        message = window.statusBar().currentMessage()
        assert window.builds.engine_label.text() == "layout: graphviz-pure"
        assert message == ("Layout engine dot not installed: laid out with graphviz-pure. To get "
                           "it: apt-get install graphviz, brew install graphviz, winget install "
                           "graphviz")
