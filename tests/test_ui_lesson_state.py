"""Rebuilds use the lesson on screen (another lesson's code never runs); bad values leave
the window as it was."""

from __future__ import annotations

import json

import pytest
from leak_guard import module_worker
from test_ui_lessons import BUILD_MS, open_window

from gradviz.ui.panels import lesson_panel

pytestmark = pytest.mark.usefixtures("temp_settings")

worker = module_worker(30.0)

CODE = """import pathlib
import torch
pathlib.Path({marker!r}).open("a").write("{name} ")
x = torch.tensor({value}, requires_grad=True)
output = 3 * x * x
params = {{"x": x}}"""


def write_lesson(path, marker, name: str, value: float) -> None:
    code = CODE.format(marker=str(marker), name=name, value=value)
    lesson = {"schema": "gradviz.lesson/1", "title": f"Lesson {name}",
              "functions": [{"title": name, "code": code.splitlines()}]}
    path.write_text(json.dumps(lesson), encoding="utf-8")


def test_rebuilds_after_switching_lessons_never_run_the_previous_code(
        qtbot, worker, tmp_path, monkeypatch):
    marker = tmp_path / "ran.txt"
    first, second = tmp_path / "a.gradviz.json", tmp_path / "b.gradviz.json"
    write_lesson(first, marker, "A", 2.0)
    write_lesson(second, marker, "B", 5.0)
    asked = []
    monkeypatch.setattr(lesson_panel, "confirm_code",
                        lambda _parent, title, code: asked.append(title) or title == "A")
    with open_window(qtbot, worker) as window:
        assert window.lessons.open_path(first)
        with qtbot.waitSignal(window.built, timeout=BUILD_MS) as signal:
            window.lessons.run_code()
        assert signal.args[0].output.value == 12.0 and marker.read_text() == "A "
        with qtbot.waitSignal(window.built, timeout=BUILD_MS):
            window.builds.run_backward_again()  # lesson A on screen: A's code again
        assert marker.read_text() == "A A "
        assert window.lessons.open_path(second)  # B: not trusted, not confirmed
        builds = window.builds
        builds.run_backward_again()
        builds.set_show_saved(not window.state.show_saved)
        builds.set_rankdir("LR" if window.state.rankdir != "LR" else "TB")
        builds.zero_grad()
        qtbot.wait(1500)
        assert not window.runner.is_busy() and window.player.snapshot is None
        assert marker.read_text() == "A A " and asked == ["A"]
        window.lessons.run_code()  # declined: still nothing
        qtbot.wait(500)
        assert marker.read_text() == "A A " and asked == ["A", "B"]


@pytest.mark.parametrize("value, words", [("zeros(0, 2**62, 2**62)", "cannot make this value"),
                                          ("arange(0, 1, 5e-324)", "too many elements")])
def test_a_bad_value_in_the_window_is_a_message_and_the_graph_stays(qtbot, worker, value,
                                                                      words):
    from gradviz.ui.window.lesson_ui import row_from_text

    with open_window(qtbot, worker, "x*x", "--var", "x=2") as window:
        before = window.player.snapshot
        window.variables.set_rows([row_from_text(f"x={value}", True)])
        with qtbot.waitSignal(window.build_failed, timeout=BUILD_MS) as signal:
            window.build()
        assert words in signal.args[0]
        assert window.errors.dialog is None  # no "something went wrong" dialog
        assert window.player.snapshot is before and before.output.value == 4.0
