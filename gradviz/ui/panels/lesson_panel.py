"""The lesson's widgets: its title, notes, function selector and (read-only) code.

:class:`LessonPanel` only shows a lesson and reports choices; opening,
saving and running are decided by :class:`~gradviz.ui.window.lesson_ui.LessonController`.
:func:`confirm_code` and :func:`ask_unsaved` are the two questions it asks
(module functions, so tests can answer them).
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ...core.lesson.files import Lesson, LessonFunction
from ..base.fonts import graph_font_family
from ..base.i18n import translate
from ..base.plain import NoResourceBrowser, hidden_characters, message_box, plain_label, show_hidden

NOTES_MAX_PX = 170
CODE_MAX_PX = 220


def _code_view(code: str, *, wrap: bool = False) -> QPlainTextEdit:
    box = QPlainTextEdit(code)
    box.setObjectName("LessonCode")
    box.setReadOnly(True)
    box.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth if wrap
                        else QPlainTextEdit.LineWrapMode.NoWrap)
    box.setFont(QFont(graph_font_family(), 10))
    return box


class LessonPanel(QWidget):
    """Title, notes, function selector and code of the open lesson (hidden when none)."""

    function_chosen = Signal(int)  # index into the lesson's functions
    run_code_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("LessonPanel")
        self.title = plain_label(wrap=True)
        font = self.title.font()
        font.setBold(True)
        self.title.setFont(font)
        self.selector = QComboBox()
        self.selector.setToolTip(self.tr("The functions of this lesson"))
        self.notes = NoResourceBrowser()  # Markdown notes; never an image or a file
        self.notes.setOpenExternalLinks(True)
        self.notes.setMaximumHeight(NOTES_MAX_PX)
        self.code_label = QLabel(self.tr("Python code (not run until you choose to):"))
        self.code_label.setWordWrap(True)
        self.code = _code_view("")
        self.code.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)  # a narrow dock
        self.code.setMaximumHeight(CODE_MAX_PX)
        self.run_button = QPushButton(self.tr("Run code from this lesson…"))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 6)
        for widget in (self.title, self.selector, self.notes, self.code_label, self.code,
                       self.run_button):
            layout.addWidget(widget)
        self.selector.currentIndexChanged.connect(self._on_selected)
        self.run_button.clicked.connect(self.run_code_requested)
        self._filling = False
        self.show_lesson(None)

    def show_lesson(self, lesson: Lesson | None, index: int = 0) -> None:
        """Show ``lesson`` (already localized) at function ``index``; None hides the panel."""
        self.setVisible(lesson is not None)
        if lesson is None:
            return
        self.title.setText(lesson.title)
        self._filling = True
        self.selector.clear()
        for number, fn in enumerate(lesson.functions, 1):
            self.selector.addItem(fn.title or self.tr("Function {0}").format(number))
        self.selector.setCurrentIndex(index)
        self._filling = False
        self.selector.setVisible(len(lesson.functions) > 1)
        self.notes.setMarkdown(lesson.notes)
        self.notes.setVisible(bool(lesson.notes.strip()))
        self.show_function(lesson.functions[index])

    def show_function(self, fn: LessonFunction) -> None:
        """Show a function's code, if it is code (read-only: nothing runs from here)."""
        is_code = fn.code is not None
        for widget in (self.code_label, self.code, self.run_button):
            widget.setVisible(is_code)
        self.code.setPlainText(fn.code or "")

    def _on_selected(self, index: int) -> None:
        if not self._filling and index >= 0:
            self.function_chosen.emit(index)


class CodeConfirmDialog(QDialog):
    """Shows the whole code a lesson wants to run and asks whether to run it."""

    def __init__(self, title: str, code: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Run code from this lesson?"))
        self.resize(640, 460)
        warning = plain_label(self.tr(
            "“{0}” is Python code from a lesson file. It runs in a separate process, but it "
            "can read and change your files like any program. Run it only if you trust "
            "where the lesson comes from and you have read the code below.").format(
                show_hidden(title)), wrap=True)
        hidden = hidden_characters(code)
        self.hidden_warning = plain_label(self.tr(
            "Warning: this code contains {0} invisible or direction-changing characters "
            "(shown as «U+…»). They can make code look different from what runs.").format(
                len(hidden)), wrap=True)
        self.hidden_warning.setObjectName("HiddenCharactersWarning")
        bold = self.hidden_warning.font()
        bold.setBold(True)
        self.hidden_warning.setFont(bold)
        self.hidden_warning.setVisible(bool(hidden))
        self.code_view = _code_view(show_hidden(code), wrap=True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        run = buttons.addButton(self.tr("Run this code"), QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setDefault(True)
        run.setAutoDefault(False)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(warning)
        layout.addWidget(self.hidden_warning)
        layout.addWidget(self.code_view, 1)
        layout.addWidget(QLabel(self.tr("gradviz will remember this choice for exactly this "
                                        "code; changed code asks again.")))
        layout.addWidget(buttons)


def confirm_code(parent: QWidget, title: str, code: str) -> bool:
    """Ask the user to trust ``code`` (the full code is shown); True to run it."""
    return CodeConfirmDialog(title, code, parent).exec() == QDialog.DialogCode.Accepted


def ask_unsaved(parent: QWidget, name: str) -> QMessageBox.StandardButton:
    """Save, Discard or Cancel for a lesson with unsaved changes."""
    buttons = QMessageBox.StandardButton
    box = message_box(QMessageBox.Icon.Warning, translate("LessonPanel", "Unsaved changes"),
                      translate("LessonPanel", "The lesson “{0}” has unsaved changes.")
                      .format(name),
                      buttons.Save | buttons.Discard | buttons.Cancel, parent)
    box.setInformativeText(translate("LessonPanel", "Save them before going on?"))
    box.setDefaultButton(buttons.Save)
    return buttons(box.exec())
