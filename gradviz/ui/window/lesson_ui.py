"""The open lesson: open, save, save as, recent files, unsaved changes, trusted code.

:class:`LessonController` keeps the lesson as read from its file (texts in
the file's own language) and puts the window's current state into it on
save: the function text and variables of the current function, and the view
settings (theme, saved tensors, direction). Notes, step notes, translations
and unknown keys are kept as they were.

A function with Python ``code`` is never run on opening: the panel shows it,
and :meth:`LessonController.run_code` runs it after :func:`confirm_code`
(remembered per SHA-256 of the code in a :class:`~gradviz.core.lesson.trust.TrustStore`).
"""

from __future__ import annotations

import os
from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import QObject, QStandardPaths, Signal
from PySide6.QtWidgets import QFileDialog, QMessageBox

from ...core.lesson.files import (
    LESSON_SUFFIX,
    Lesson,
    LessonError,
    LessonFunction,
    ViewSettings,
    function_request,
    load_lesson,
    save_lesson,
)
from ...core.lesson.trust import TRUST_FILE_ENV, TrustStore
from ...core.runtime.request import BuildRequest, Expression, LessonCode
from ..base.i18n import translate
from ..base.plain import message_box
from ..panels import lesson_panel
from ..panels.variables_table import VariableRow
from .app_state import AppState
from .lesson_views import LessonViews

try:  # the UI's translated error sentences (gradviz.ui.base.messages)
    from ..base.messages import error_text
except ImportError:  # pragma: no cover - before the catalog work lands
    def error_text(error: BaseException) -> str:
        return getattr(error, "message", None) or str(error)


def trust_store() -> TrustStore:
    """``$GRADVIZ_TRUST_FILE``, else ``trusted.json`` in Qt's AppDataLocation."""
    override = os.environ.get(TRUST_FILE_ENV)
    if override:
        return TrustStore(Path(override).expanduser())
    folder = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.AppDataLocation)
    return TrustStore(Path(folder) / "trusted.json")


def row_from_text(text: str, requires_grad: bool) -> VariableRow:
    """A variables-table row from ``"name=value"`` (a lesson's or the command line's)."""
    name, _, value = text.partition("=")
    return VariableRow(name.strip(), value.strip() or "1.0", requires_grad)


def is_lesson_path(path: str) -> bool:
    """True for a ``*.gradviz.json`` file name."""
    return path.lower().endswith(LESSON_SUFFIX)


def dropped_lesson(event) -> str | None:
    """The first ``.gradviz.json`` file of a drag-and-drop event, if any."""
    urls = event.mimeData().urls() if event.mimeData().hasUrls() else []
    paths = [url.toLocalFile() for url in urls if url.isLocalFile()]
    return next((p for p in paths if is_lesson_path(p)), None)


class LessonController(QObject):
    """Opens and saves lessons; asks before losing unsaved changes.

    It reads and sets the widgets of its :class:`LessonViews` (editor, variables
    table, lesson panel) and the view options of the :class:`AppState`; it never
    sees the rest of the window.
    """

    changed = Signal()  # a lesson was opened, saved or closed: titles and menus follow

    def __init__(self, views: LessonViews, state: AppState, trust: TrustStore | None = None,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.views, self.state = views, state
        self.trust = trust or trust_store()
        self.lesson: Lesson | None = None  # as in its file, with edits of other functions
        self.path: Path | None = None  # None: a bundled example or never saved
        self.index = 0
        self.message_box: QMessageBox | None = None  # the last error shown
        self._baseline: Lesson | None = None
        views.panel.function_chosen.connect(self.choose_function)
        views.panel.run_code_requested.connect(self.run_code)

    # -- state --------------------------------------------------------------------------------
    @property
    def function(self) -> LessonFunction | None:
        """The current function as in the file (None without a lesson)."""
        return self.lesson.functions[self.index] if self.lesson is not None else None

    def localized(self) -> Lesson | None:
        """The lesson with its texts in the UI's language."""
        return self.lesson.localized(self.views.language) if self.lesson else None

    def current(self) -> Lesson:
        """The lesson as Save writes it: the window's state put into the open lesson."""
        base = self.lesson or Lesson(title=translate("LessonController", "Untitled lesson"),
                                     functions=[LessonFunction()])
        fn = base.functions[self.index]
        views, state = self.views, self.state
        if fn.code is None:
            fn = replace(fn, expression=views.editor.text(),
                         variables=views.variables.variables(),
                         constants=views.variables.constants())
        view = replace(base.view, theme=state.theme, show_saved=state.show_saved,
                       rankdir=state.rankdir)
        functions = list(base.functions)
        functions[self.index] = fn
        title = base.title if self.lesson else (fn.expression or base.title)
        return replace(base, title=title, view=view, functions=functions)

    def is_modified(self) -> bool:
        """True if a lesson file is open and the window differs from what was read or saved."""
        return self.path is not None and self.current() != self._baseline

    def name(self) -> str:
        """The file name, or the lesson's title for an example."""
        if self.path is not None:
            return self.path.name
        lesson = self.localized()
        return lesson.title if lesson is not None else ""

    # -- opening ------------------------------------------------------------------------------
    def open_dialog(self) -> None:
        """File → Open: choose a lesson file."""
        path, _ = QFileDialog.getOpenFileName(
            self.views.parent, translate("LessonController", "Open a lesson"),
            self.views.settings.last_dir(),
            translate("LessonController", "gradviz lessons (*.gradviz.json);;All files (*)"))
        if path:
            self.open_path(path)

    def open_path(self, path: str | os.PathLike, *, example: bool = False) -> bool:
        """Open a lesson file (asks about unsaved changes first); False if it was not opened.

        A file that cannot be opened leaves the window as it was, with a message.
        """
        if not self.maybe_save():
            return False
        try:
            lesson = load_lesson(path)
        except LessonError as exc:
            self._show_error(translate("LessonController", "This lesson cannot be opened"),
                             error_text(exc))
            return False
        self.path = None if example else Path(path).resolve()
        if not example:
            self.views.settings.add_recent_file(str(self.path))
            self.views.settings.set_last_dir(str(self.path.parent))
        self.lesson, self.index = lesson, 0
        self._show_current()
        return True

    def choose_function(self, index: int) -> None:
        """Switch to another function of the lesson (edits of this one are kept)."""
        if self.lesson is None or index == self.index:
            return
        self.lesson = self.current()
        self.index = index
        self._show_current(keep_baseline=True)

    def _show_current(self, *, keep_baseline: bool = False) -> None:
        lesson = self.localized()
        self.views.panel.show_lesson(lesson, self.index)
        self._show_function(lesson.functions[self.index], self.lesson.view)
        if not keep_baseline:
            self._baseline = self.current()
        self.changed.emit()

    def _show_function(self, fn: LessonFunction, view: ViewSettings) -> None:
        """Put a function and the lesson's view settings in the window; build unless code."""
        views, state = self.views, self.state
        if view.theme is not None:
            views.set_theme(view.theme, remember=False)
        state.update(show_saved=state.show_saved if view.show_saved is None else view.show_saved,
                     rankdir=view.rankdir or state.rankdir, runs=fn.runs)
        views.editor.setEnabled(fn.code is None)
        for widget in views.function_widgets():  # code brings its own tensors
            widget.setVisible(fn.code is None)
        if fn.code is not None:
            views.show_code_waiting()
            return
        rows = [row_from_text(text, True) for text in fn.variables]
        views.variables.set_rows(rows + [row_from_text(t, False) for t in fn.constants])
        views.editor.set_text(fn.expression)
        views.build()

    def close_lesson(self) -> None:
        """Forget the open lesson (the window keeps its function)."""
        self.lesson, self.path, self._baseline, self.index = None, None, None, 0
        self.views.panel.show_lesson(None)
        self.views.editor.setEnabled(True)
        for widget in self.views.function_widgets():
            widget.setVisible(True)
        self.changed.emit()

    # -- saving -------------------------------------------------------------------------------
    def save(self) -> bool:
        """File → Save (Save As for an example or an untitled lesson); True if saved."""
        return self.save_as() if self.path is None else self._write(self.path)

    def save_as(self) -> bool:
        """File → Save As: choose where; True if saved."""
        start = str(self.path) if self.path else self.views.settings.last_dir()
        path, _ = QFileDialog.getSaveFileName(
            self.views.parent, translate("LessonController", "Save the lesson"), start,
            translate("LessonController", "gradviz lessons (*.gradviz.json)"))
        if not path:
            return False
        if not is_lesson_path(path):
            path = path.removesuffix(".json") + LESSON_SUFFIX
        return self._write(Path(path))

    def _write(self, path: Path) -> bool:
        lesson = self.current()
        try:
            save_lesson(lesson, path)
        except (LessonError, OSError) as exc:
            text = error_text(exc) if isinstance(exc, LessonError) else f"{path}: {exc.strerror}"
            self._show_error(translate("LessonController", "The lesson was not saved"), text)
            return False
        self.lesson, self.path, self._baseline = lesson, path.resolve(), lesson
        self.views.settings.add_recent_file(str(self.path))
        self.views.settings.set_last_dir(str(self.path.parent))
        self.views.status.showMessage(
            translate("LessonController", "Saved {0}").format(self.path.name), 4000)
        self.changed.emit()
        return True

    def maybe_save(self) -> bool:
        """Before closing or opening another: Save / Discard / Cancel if modified."""
        if not self.is_modified():
            return True
        answer = lesson_panel.ask_unsaved(self.views.parent, self.name())
        if answer == QMessageBox.StandardButton.Save:
            return self.save()
        return answer == QMessageBox.StandardButton.Discard

    # -- code ---------------------------------------------------------------------------------
    def run_code(self) -> None:
        """"Run code from this lesson": confirm (unless trusted), remember, build."""
        fn = self.function
        if fn is None or fn.code is None:
            return
        title = self.localized().functions[self.index].title or self.name()
        if not self.trust.is_trusted(fn.code):
            if not lesson_panel.confirm_code(self.views.parent, title, fn.code):
                return
            try:
                self.trust.trust(fn.code, name=title)
            except OSError as exc:
                self.views.status.showMessage(
                    translate("LessonController", "Running the code once: the choice could not "
                              "be remembered ({0})").format(exc.strerror or exc), 8000)
        request = function_request(fn, allow_code=True, view=self.current().view)
        self.views.start(request)

    def step_notes(self, request: BuildRequest | None) -> dict[int, str]:
        """The current function's step notes, if ``request`` built exactly that function."""
        fn = self.function
        if fn is None or request is None:
            return {}
        source = request.source
        if fn.code is not None:
            same = isinstance(source, LessonCode) and source.code == fn.code
        else:
            same = isinstance(source, Expression) and (
                source.text == fn.expression and list(source.variables) == fn.variables
                and list(source.constants) == fn.constants)
        if not same or request.options.runs != fn.runs:
            return {}
        return self.localized().functions[self.index].step_notes

    def _show_error(self, title: str, text: str) -> None:
        """A non-modal message box (the window stays usable and unchanged)."""
        if self.message_box is not None:
            self.message_box.close()
        box = message_box(QMessageBox.Icon.Warning, title, text, QMessageBox.StandardButton.Ok,
                          self.views.parent)
        box.setModal(False)
        box.show()
        self.message_box = box
        self.views.status.showMessage(title, 8000)
