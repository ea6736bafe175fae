"""What the lesson controller may touch: its widgets and a few commands, not the window.

:class:`LessonViews` names the widgets a lesson fills (its panel, the function
editor, the variables table, the build button), where messages go (the status
bar, the dialogs' parent), the settings it reads and writes, and the window's
commands it calls (switch theme, build what the editor says, start a build,
show a code function waiting). The view options (runs, saved tensors, direction,
theme) are the :class:`~gradviz.ui.window.app_state.AppState`, passed beside it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtWidgets import QLabel, QPushButton, QStatusBar, QWidget


@dataclass(frozen=True)
class LessonViews:
    """The widgets and commands :class:`~gradviz.ui.window.lesson_ui.LessonController` uses."""

    parent: QWidget  # of the dialogs and message boxes
    panel: Any  # LessonPanel: the lesson's title, notes, functions and code
    editor: Any  # FunctionEditor
    variables: Any  # VariablesTable
    variables_label: QLabel
    build_button: QPushButton
    status: QStatusBar
    settings: Any  # AppSettings: recent files, last folder
    language: str  # the UI's language: a lesson's texts are shown in it
    set_theme: Callable[..., None]  # set_theme(name, remember=False)
    build: Callable[[], None]  # build what the editor and the table say
    start: Callable[[Any], None]  # start(BuildRequest): build it with the view options
    show_code_waiting: Callable[[], None]  # a code function is shown, not run

    @classmethod
    def of(cls, window) -> LessonViews:
        """The views of a :class:`~gradviz.ui.window.main_window.MainWindow` (built once, there)."""
        return cls(parent=window, panel=window.lesson_panel, editor=window.editor,
                   variables=window.variables, variables_label=window.variables_label,
                   build_button=window.build_button, status=window.statusBar(),
                   settings=window.settings, language=window.language,
                   set_theme=window.set_theme, build=window.build,
                   start=lambda request: window.builds.start(request),
                   show_code_waiting=lambda: window.builds.show_code_waiting())

    def function_widgets(self) -> tuple[QWidget, ...]:
        """The widgets of a typed function (hidden for a code function)."""
        return (self.editor, self.variables_label, self.variables, self.build_button)
