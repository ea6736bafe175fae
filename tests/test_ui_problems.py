"""The Problems panel (pytest-qt) and ``export --check``: a click jumps the replay to the step."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QEvent, QPoint, Qt
from PySide6.QtWidgets import QApplication
from snapshots import seed_snapshot

from gradviz.cli_request import app_config
from gradviz.core.runtime.jobs import snapshot_from_expression
from gradviz.core.runtime.options import BuildOptions
from gradviz.ui.base.i18n import install_translators
from gradviz.ui.panels.problems_panel import ProblemsPanel
from gradviz.ui.viewer.player import Player
from gradviz.ui.window.main_window import MainWindow


def build(expr, variables, **kw):
    return snapshot_from_expression(expr, variables, [], options=BuildOptions(layout=False), **kw)


@pytest.fixture(scope="module")
def nan_snapshot():
    return build("sqrt(x)*x", ["x=0.0"])


def click_row(qtbot, panel: ProblemsPanel, row: int) -> None:
    rect = panel.list.visualItemRect(panel.list.item(row))
    qtbot.mouseClick(panel.list.viewport(), Qt.MouseButton.LeftButton,
                     pos=QPoint(rect.center().x(), rect.center().y()))


def make_panel(qtbot, snapshot):
    player = Player()
    panel = ProblemsPanel(player)
    qtbot.addWidget(panel)
    panel.resize(400, 300)
    panel.show()
    player.set_snapshot(snapshot)
    return player, panel


def test_click_on_the_nan_jumps_to_its_step_and_selects_its_node(qtbot, nan_snapshot):
    player, panel = make_panel(qtbot, nan_snapshot)
    codes = [f.code for f in panel.findings]
    assert codes == ["nonfinite", "not_checked"]
    assert panel.summary.text() == "1 problem found. Click it to go to its step."
    assert panel.list.item(0).text().startswith("Step 2: SqrtBackward0 sends NaN to x")
    assert player.step == 0
    with qtbot.waitSignal(panel.node_activated) as signal:
        click_row(qtbot, panel, 0)
    sqrt_step = nan_snapshot.steps[1]
    assert sqrt_step.op == "SqrtBackward0"
    assert player.step == 2 and player.state().active_node == sqrt_step.node
    assert signal.args == [sqrt_step.node]
    click_row(qtbot, panel, 1)  # "not checked" has no step: the replay stays
    assert player.step == 2


def test_with_the_forward_replay_the_click_lands_on_the_backward_step(qtbot, nan_snapshot):
    player, panel = make_panel(qtbot, nan_snapshot)
    player.set_forward_replay(True)
    panel.activate(0)
    assert player.forward_count > 0
    assert player.backward_step == 2 and player.step == player.forward_count + 2


def test_the_seed_has_no_problem_and_says_what_was_not_checked(qtbot):
    player, panel = make_panel(qtbot, seed_snapshot(layout=False))
    assert [f.code for f in panel.findings] == ["not_checked"]
    assert panel.summary.text().startswith("No problem found by the rules")
    assert "AddBackward0 (×3)" in panel.list.item(0).text()


def test_a_new_snapshot_replaces_the_list(qtbot, nan_snapshot):
    player, panel = make_panel(qtbot, nan_snapshot)
    player.set_snapshot(build("sigmoid(x)", ["x=20.0"]))
    assert [f.code for f in panel.findings] == ["saturated", "zero_grad"]
    assert "σ'(z) = σ(1−σ) = 2.061e-09" in panel.list.item(0).text()
    player.set_snapshot(None)
    assert panel.list.count() == 0


def test_french(qtbot, nan_snapshot):
    app = QApplication.instance()
    player, panel = make_panel(qtbot, nan_snapshot)
    try:
        install_translators(app, "fr")
        QApplication.sendEvent(panel, QEvent(QEvent.Type.LanguageChange))
        text = panel.list.item(0).text()
        assert text.startswith("Pas 2\u00a0: SqrtBackward0 envoie NaN à x")
        assert "la dérivée 1/(2√x) y est infinie" in text
    finally:
        install_translators(app, "en")


@pytest.mark.usefixtures("temp_settings")
def test_the_window_has_a_problems_dock_that_drives_the_replay(qtbot):
    snapshot = snapshot_from_expression("sqrt(x)*x", ["x=0.0"], [])  # laid out
    window = MainWindow(app_config([]), snapshot=snapshot)
    qtbot.addWidget(window)
    with qtbot.waitSignal(window.built, timeout=10_000):
        window.show()
    try:
        dock = window.findChild(type(window.problems.parent()), "ProblemsDock")
        assert dock is not None and dock.isVisible()
        window.problems.activate(0)
        assert window.timeline.step_label.text() == "Step 2 / 3"
        assert window.explanation.title.text().startswith("Step 2 of 3: SqrtBackward0")
    finally:
        window.close()


def test_export_check_and_strict(tmp_path, cli):
    gradviz = cli  # the command line in this process, on the session's worker
    out = str(tmp_path / "nan.json")
    done = gradviz("export", "sqrt(x)*x", "--var", "x=0.0", "-o", out, "--check", "-q")
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("error: Step 2: SqrtBackward0 sends NaN to x")
    assert "Cause: SqrtBackward0 (sqrt(x)) at 0" in done.stdout  # the sub-expression typed
    strict = gradviz("export", "sqrt(x)*x", "--var", "x=0.0", "-o", out, "--check", "--strict",
                     "--lang", "fr", "-q")
    assert strict.returncode == 3, strict.stderr
    assert strict.stdout.startswith("erreur\u00a0: Pas 2\u00a0:")
    seed = gradviz("export", "5*x**3 + 2*x**2 + 4*x + 8", "--var", "x=2.0", "-o", out,
                   "--check", "--strict", "-q")
    assert seed.returncode == 0, seed.stderr
    assert seed.stdout.splitlines()[0] == "No problem found by the rules."
