"""The window's panels one by one, on a seed Snapshot built here (no worker process)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication, QTextCharFormat
from snapshots import seed_snapshot

from gradviz.ui.base.errors import ErrorReporter
from gradviz.ui.graph.scene import GraphScene
from gradviz.ui.panels.explanation_bar import ExplanationBar
from gradviz.ui.panels.function_editor import FunctionEditor
from gradviz.ui.panels.gradients_panel import GradientsPanel, grad_sum_text
from gradviz.ui.panels.variables_table import VariableRow, VariablesTable, names_in_expression
from gradviz.ui.viewer.player import Player, state_at
from gradviz.ui.viewer.timeline import Timeline
from gradviz.ui.window.main_window import SceneReplay


@pytest.fixture(scope="module")
def seed():
    return seed_snapshot()


@pytest.mark.parametrize("text, names", [
    ("5*x**3 + 2*x**2 + 4*x + 8", ["x"]),
    ("sigmoid(w*x + b)", ["w", "x", "b"]),
    ("F.relu(W @ v) + pi * e * torch.sin(y)", ["W", "v", "y"]),
    ("softmax(z, dim=0)", ["z"]),
    ("x*y +\n exp(x*y)", ["x", "y"]),
    ("5*x +* 2", None),
])
def test_names_in_expression(text, names):
    assert names_in_expression(text) == names


def test_variables_table_fills_from_names_and_remembers_values(qtbot):
    table = VariablesTable()
    qtbot.addWidget(table)
    table.set_rows([VariableRow("x", "2.0"), VariableRow("c", "[1, 2]", False)])
    table.set_names(["x", "y"])
    assert [(r.name, r.value, r.requires_grad) for r in table.rows()] == [
        ("x", "2.0", True), ("y", "1.0", True)]
    table.set_names(["c", "x"])  # c comes back as it was
    assert table.variables() == ["x=2.0"]
    assert table.constants() == ["c=[1, 2]"]
    table.set_shapes({"x": [], "c": [2]})
    assert table.item(0, 2).text() == "2" and table.item(1, 2).text() == "scalar"


def test_grad_sum_text_shows_the_contributions(seed):
    contributions = seed.steps[-1].contributions
    assert grad_sum_text(72.0, contributions) == "72 = 4 + 8 + 60"
    assert grad_sum_text(None, contributions[:2], complete=False, expected=3) == "4 + 8 + …"
    assert grad_sum_text(None, contributions, complete=False, expected=3) == "4 + 8 + 60 = …"
    assert grad_sum_text(144.0, contributions, 72.0) == "144 = 72 + 4 + 8 + 60"
    assert grad_sum_text(None, contributions[:1], complete=False, expected=1) == "4 …"
    assert grad_sum_text(None, []) == ""


def test_gradients_panel_follows_the_replay(qtbot, seed):
    panel = GradientsPanel()
    qtbot.addWidget(panel)
    panel.set_snapshot(seed)
    shown = []
    for k in range(len(seed.steps) + 1):
        panel.set_state(state_at(seed, k))
        shown.append(panel.grad_text("x"))
    assert shown[0] == "—"
    assert shown[3] == "4 + …"  # more gradients are on their way
    assert shown[8] == "4 + 8 + 60 = …"  # all arrived; AccumulateGrad adds them next
    assert shown[9] == "72 = 4 + 8 + 60"
    with qtbot.waitSignal(panel.leaf_activated) as signal:
        panel.itemClicked.emit(panel.topLevelItem(0), 0)
    assert signal.args == [seed.variable("x").node]


def test_explanation_bar_explains_each_step(qtbot, seed):
    bar = ExplanationBar()
    qtbot.addWidget(bar)
    assert "No function" in bar.text()
    bar.set_snapshot(seed)
    assert "output = 64" in bar.text() and "9 steps" in bar.text()
    bar.set_step(9)
    assert "Step 9 of 9: AccumulateGrad" in bar.text()
    assert "72" in bar.text() and "Backward pass done: x.grad = 72" in bar.text()


def test_timeline_drives_the_player(qtbot, seed):
    player = Player()
    timeline = Timeline(player)
    qtbot.addWidget(timeline)
    assert not timeline.isEnabled()
    player.set_snapshot(seed)
    assert timeline.isEnabled() and timeline.slider.maximum() == 9
    timeline.forward_button.click()
    timeline.forward_button.click()
    assert player.step == 2 and timeline.step_label.text() == "Step 2 / 9"
    timeline.last_button.click()
    assert timeline.slider.value() == 9 and not timeline.forward_button.isEnabled()
    timeline.slider.setValue(4)
    assert player.step == 4
    timeline.speed_box.setCurrentIndex(timeline.speed_box.count() - 1)
    assert player.speed == 4.0
    timeline.play_button.click()
    assert player.playing
    timeline.play_button.click()
    assert not player.playing


def test_function_editor_enter_builds_and_shift_enter_breaks_the_line(qtbot):
    editor = FunctionEditor()
    qtbot.addWidget(editor)
    qtbot.keyClicks(editor.box, "x*y")
    qtbot.keyClick(editor.box, Qt.Key.Key_Return, Qt.KeyboardModifier.ShiftModifier)
    qtbot.keyClicks(editor.box, "+ 1")
    assert editor.box.toPlainText() == "x*y\n+ 1"
    with qtbot.waitSignal(editor.submitted) as signal:
        qtbot.keyClick(editor.box, Qt.Key.Key_Return)
    assert signal.args == ["x*y + 1"]  # read as one line, columns unchanged
    with qtbot.waitSignal(editor.submitted):
        qtbot.keyClick(editor.box, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)


def test_function_editor_underlines_the_error_column(qtbot):
    editor = FunctionEditor()
    qtbot.addWidget(editor)
    editor.set_text("5*x + foo(x)")
    editor.set_error("unknown function 'foo'", 6)
    assert editor.error_text() == "unknown function 'foo'"
    assert editor.highlighter._error == (6, 3)
    block = editor.box.document().firstBlock()
    styles = {r.start: r.format.underlineStyle() for r in block.layout().formats()}
    assert styles[6] == QTextCharFormat.UnderlineStyle.SpellCheckUnderline
    qtbot.keyClicks(editor.box, " ")  # typing clears the underline
    assert editor.highlighter._error is None


def test_error_reporter_shows_a_copyable_dialog(qtbot):
    reporter = ErrorReporter()
    try:
        raise RuntimeError("boom")
    except RuntimeError as exc:
        reporter.report(exc)
    dialog = reporter.dialog
    qtbot.addWidget(dialog)
    assert dialog.isVisible() and not dialog.isModal()
    assert "RuntimeError: boom" in dialog.summary.text()
    assert "Traceback" in dialog.details.toPlainText()
    dialog.copy_button.click()
    assert "boom" in QGuiApplication.clipboard().text()


def test_scene_replay_walks_the_leaf_badge_through_partial_sums(qtbot, seed):
    player = Player(seed)
    scene = GraphScene(seed)
    replay = SceneReplay(player)
    replay.set_scene(scene)
    leaf = scene.node_items[seed.variable("x").node]
    seen = []
    player.step_changed.connect(lambda _k: replay.apply())
    player.set_step(9)
    accumulate = scene.node_items[player.state().active_node]
    seen.append(leaf.grad_text())
    assert accumulate.grad_text() == leaf.grad_text()  # never ahead of its leaf
    qtbot.waitUntil(lambda: not replay.is_animating(), timeout=3000)
    seen.append(leaf.grad_text())
    assert seen == ["grad 4", "grad 72"] and accumulate.grad_text() == "grad 72"
    player.set_step(8)  # jumping back: no frames, the state of step 8
    assert leaf.grad_text() == "" and not replay.is_animating()
    player.set_step(9)
    replay.finish()
    assert leaf.grad_text() == "grad 72"


def test_parse_step_reads_last_or_a_number():
    from gradviz.core.errors import InputError
    from gradviz.core.runtime.export_options import parse_step

    assert parse_step(None) is None and parse_step("last") == "last" and parse_step("3") == 3
    for bad in ("-1", "two"):
        with pytest.raises(InputError, match="step"):
            parse_step(bad)
