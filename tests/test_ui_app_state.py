"""The window's view state is one model; the View menu follows it without manual refreshes."""

from __future__ import annotations

import pytest
from snapshots import seed_snapshot

from gradviz.core.runtime.options import BuildOptions
from gradviz.ui.window.app_state import AppState

pytestmark = pytest.mark.usefixtures("temp_settings")


def test_changed_once_per_real_change(qapp):
    state = AppState(BuildOptions(runs=2, rankdir="LR", show_saved=False), "dark")
    assert (state.runs, state.rankdir, state.show_saved, state.saved_shown, state.theme) == (
        2, "LR", False, False, "dark")
    seen = []
    state.changed.connect(lambda: seen.append(1))
    state.update(runs=3, rankdir="TB")
    state.update(runs=3)  # no change: no signal
    state.theme = "dark"
    state.show_saved = True
    assert seen == [1, 1] and (state.runs, state.rankdir, state.show_saved) == (3, "TB", True)
    with pytest.raises(AttributeError):
        state.update(colour="red")


def test_the_view_menu_follows_the_state(qtbot):
    from gradviz.ui.window.main_window import MainWindow

    window = MainWindow(snapshot=seed_snapshot())
    qtbot.addWidget(window)
    actions = window.menu_actions
    assert actions["rankdir:TB"].isChecked() and not actions["rankdir:LR"].isChecked()
    window.state.rankdir = "LR"  # nobody calls sync_view_actions
    assert actions["rankdir:LR"].isChecked() and not actions["rankdir:TB"].isChecked()
    window.state.saved_shown = False
    assert not actions["show_saved"].isChecked()
    window.set_theme("dark", remember=False)
    assert window.state.theme == "dark" and actions["theme:dark"].isChecked()
