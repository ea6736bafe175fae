"""Lessons in the window: open, edit, save, reopen; step notes; trusted code; bad files.

One worker serves the module; settings and the trust store live in a
temporary folder. Dialogs are answered by patching the module functions that
ask (``lesson_panel.confirm_code`` / ``ask_unsaved``).
"""

from __future__ import annotations

import contextlib
import json
import shutil
import textwrap

import pytest
from leak_guard import module_worker
from PySide6.QtCore import QMimeData, QPoint, Qt, QUrl
from PySide6.QtGui import QDropEvent
from PySide6.QtWidgets import QMessageBox
from test_ui_app import open_window as app_window

from gradviz.cli_request import app_config
from gradviz.core.lesson.files import load_lesson
from gradviz.core.lesson.trust import TrustStore
from gradviz.ui.panels import lesson_panel
from gradviz.ui.window.examples import example_paths
from gradviz.ui.window.main_window import MainWindow

BUILD_MS = 60_000
SEED = example_paths()[0]


pytestmark = pytest.mark.usefixtures("temp_settings")  # settings, trust store: temporary


worker = module_worker(30.0)  # one evaluation worker for the module


@contextlib.contextmanager
def open_window(qtbot, worker, *argv: str):
    """test_ui_app's window (message boxes allowed); its lesson never asks at tear-down."""
    with app_window(qtbot, worker, *argv, expect_errors=True) as window:
        try:
            yield window
        finally:
            window.lessons._baseline = window.lessons.current()  # never ask while tearing down


def open_lesson(qtbot, window, path):
    with qtbot.waitSignal(window.built, timeout=BUILD_MS) as signal:
        assert window.lessons.open_path(path)
    return signal.args[0]


def test_open_edit_save_and_reopen_gives_the_same_state(qtbot, worker, tmp_path):
    path = tmp_path / "seed.gradviz.json"
    shutil.copy(SEED, path)
    original = load_lesson(path)
    with open_window(qtbot, worker, "x * 2", "--var", "x=1.0") as window:
        open_lesson(qtbot, window, path)
        assert window.editor.text() == original.functions[0].expression
        assert not window.lessons.is_modified()
        window.editor.set_text("5*x**3 + 2*y")  # a new row: y = 1.0
        window.set_theme("dark")
        with qtbot.waitSignal(window.built, timeout=BUILD_MS):
            window.builds.set_show_saved(False)
        assert window.lessons.is_modified()
        assert window.lessons.save()
        assert not window.lessons.is_modified()
    saved = load_lesson(path)
    assert (tmp_path / "seed.gradviz.json.bak").is_file()
    fn = saved.functions[0]
    assert fn.expression == "5*x**3 + 2*y" and fn.variables == ["x=2.0", "y=1.0"]
    assert (saved.view.theme, saved.view.show_saved, saved.view.rankdir) == ("dark", False, "TB")
    assert saved.notes == original.notes and fn.step_notes == original.functions[0].step_notes
    assert saved.translations == original.translations
    with open_window(qtbot, worker, str(path)) as window:
        assert window.editor.text() == "5*x**3 + 2*y"
        assert window.variables.variables() == ["x=2.0", "y=1.0"]
        assert window.theme_name() == "dark" and not window.state.show_saved
        assert window.lessons.current() == saved
        assert str(path) in window.settings.recent_files()
        assert [a.text() for a in window.recent_menu.actions()] == ["seed.gradviz.json"]


def test_step_notes_show_in_the_explanation_bar_at_their_step(qtbot, worker):
    with open_window(qtbot, worker) as window:
        with qtbot.waitSignal(window.built, timeout=BUILD_MS):
            window.lessons.open_path(SEED, example=True)
        window.player.set_step(3)
        assert "Received by x so far: 4" in window.explanation.text()
        window.player.set_step(4)
        assert not window.explanation.note.text()
        assert window.windowTitle() == "gradviz — The seed: a polynomial and its gradient"


CODE = textwrap.dedent("""\
    import pathlib
    import torch
    pathlib.Path({marker!r}).write_text("ran")
    x = torch.tensor(2.0, requires_grad=True)
    output = 3 * x ** 2
    params = {{"x": x}}
""")


def code_lesson(path, marker, extra: str = "") -> None:
    code = CODE.format(marker=str(marker)) + extra
    lesson = {"schema": "gradviz.lesson/1", "title": "Code lesson",
              "functions": [{"title": "3x² from code", "code": code.splitlines()}]}
    path.write_text(json.dumps(lesson), encoding="utf-8")


def test_lesson_code_runs_only_once_confirmed_and_trust_is_remembered(
        qtbot, worker, tmp_path, monkeypatch):
    path, marker = tmp_path / "code.gradviz.json", tmp_path / "marker.txt"
    code_lesson(path, marker)
    asked = []
    answer = {"run": False}

    def confirm(_parent, title, code):
        asked.append((title, code))
        return answer["run"]

    monkeypatch.setattr(lesson_panel, "confirm_code", confirm)
    with open_window(qtbot, worker) as window:
        assert window.lessons.open_path(path)
        assert not window.runner.is_busy() and window.player.snapshot is None
        assert window.lesson_panel.code.toPlainText() == load_lesson(path).functions[0].code
        assert window.lesson_panel.code.isReadOnly()
        assert not window.editor.isEnabled()
        window.lesson_panel.run_button.click()  # declined: nothing runs
        assert len(asked) == 1 and "pathlib.Path" in asked[0][1]
        qtbot.wait(300)
        assert not marker.exists() and not window.runner.is_busy()
        answer["run"] = True
        with qtbot.waitSignal(window.built, timeout=BUILD_MS) as signal:
            window.lesson_panel.run_button.click()
        assert marker.read_text() == "ran" and len(asked) == 2
        assert signal.args[0].output.value == 12.0
        assert TrustStore(tmp_path / "trusted.json").is_trusted(asked[1][1])
        marker.unlink()
        window.lessons.close_lesson()
        assert window.lessons.open_path(path)  # reopened: still not run on opening
        qtbot.wait(300)
        assert not marker.exists()
        with qtbot.waitSignal(window.built, timeout=BUILD_MS):
            window.lesson_panel.run_button.click()
        assert len(asked) == 2 and marker.exists()  # trusted: not asked again
        code_lesson(path, marker, extra="y = 1\n")  # changed code asks again
        assert window.lessons.open_path(path)
        answer["run"] = False
        window.lesson_panel.run_button.click()
        assert len(asked) == 3


BAD_FILES = {
    "truncated": b'{"schema": "gradviz.lesson/1", "title": "x", "functions": [',
    "malformed": b'{"schema": "gradviz.lesson/1", "title": "x",, }',
    "wrong version": b'{"schema": "gradviz.lesson/9", "title": "x", "functions": []}',
    "not UTF-8": b'{"schema": "gradviz.lesson/1", "title": "\xff\xfe"}',
    "too large": b" " * (2 * 1024 * 1024 + 10),
    "invalid": b'{"schema": "gradviz.lesson/1", "title": "x", "functions": [{"runs": 99}]}',
}


def test_a_bad_lesson_file_leaves_the_window_as_it_was_with_a_message(qtbot, worker, tmp_path):
    with open_window(qtbot, worker) as window:
        before = (window.editor.text(), window.variables.variables(), window.player.snapshot,
                  window.windowTitle(), window.theme_name())
        for name, data in BAD_FILES.items():
            path = tmp_path / f"{name.replace(' ', '-')}.gradviz.json"
            path.write_bytes(data)
            assert not window.lessons.open_path(path), name
            box = window.lessons.message_box
            assert box is not None and box.isVisible() and not box.isModal(), name
            assert path.name in box.text() or "MB" in box.text(), (name, box.text())
            after = (window.editor.text(), window.variables.variables(),
                     window.player.snapshot, window.windowTitle(), window.theme_name())
            assert after == before and window.lessons.lesson is None, name
            assert not window.runner.is_busy()
        box.close()


def test_unsaved_changes_ask_before_closing_or_opening_another(qtbot, worker, tmp_path,
                                                               monkeypatch):
    path = tmp_path / "seed.gradviz.json"
    shutil.copy(SEED, path)
    answers = []
    monkeypatch.setattr(lesson_panel, "ask_unsaved", lambda _w, name: answers.pop(0))
    buttons = QMessageBox.StandardButton
    window = MainWindow(app_config([str(path)]), worker=worker)
    qtbot.addWidget(window)
    with qtbot.waitSignal(window.built, timeout=BUILD_MS):
        window.show()
    window.editor.set_text("x * 3")
    answers.append(buttons.Cancel)
    assert not window.lessons.open_path(SEED, example=True) and window.lessons.path == path
    answers.append(buttons.Cancel)
    window.close()
    assert window.isVisible() and not answers
    answers.append(buttons.Save)
    window.close()
    assert not window.isVisible()
    assert load_lesson(path).functions[0].expression == "x * 3"


def test_dropping_a_lesson_file_opens_it(qtbot, worker, tmp_path):
    path = tmp_path / "dropped.gradviz.json"
    shutil.copy(example_paths()[8], path)  # gradient accumulation, runs = 2
    with open_window(qtbot, worker) as window:
        mime = QMimeData()
        mime.setUrls([QUrl.fromLocalFile(str(path))])
        event = QDropEvent(QPoint(10, 10), Qt.DropAction.CopyAction, mime,
                           Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
        with qtbot.waitSignal(window.built, timeout=BUILD_MS) as signal:
            window.dropEvent(event)
        assert window.lessons.path == path.resolve() and window.state.runs == 2
        assert signal.args[0].source == "3*x**2"
