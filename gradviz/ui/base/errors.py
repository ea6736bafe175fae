"""Unexpected exceptions never kill the app: they reach a non-modal, copyable dialog.

:class:`ErrorReporter` replaces ``sys.excepthook`` (exceptions raised in Qt
slots and virtual methods end there) and ``threading.excepthook``. The hook
only emits a signal; the dialog is shown in the GUI thread, so an exception in
a background thread is reported safely too.
"""

from __future__ import annotations

import sys
import threading
import traceback

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from .plain import plain


class ErrorDialog(QDialog):
    """A non-modal dialog: one clear line, the details below, and "Copy details"."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("ErrorDialog")
        self.setWindowTitle(self.tr("gradviz: something went wrong"))
        self.setModal(False)
        self.setWindowModality(Qt.WindowModality.NonModal)
        self.resize(560, 320)
        self.summary = QLabel()
        plain(self.summary)
        self.summary.setWordWrap(True)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.details = QPlainTextEdit()
        self.details.setReadOnly(True)
        self.details.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.copy_button = QPushButton(self.tr("Copy details"))
        buttons.addButton(self.copy_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.copy_button.clicked.connect(self.copy_details)
        buttons.rejected.connect(self.close)
        hint = QLabel(self.tr("The app keeps running. If this looks like a bug in gradviz, "
                              "please report it with the details."))
        hint.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.details, 1)
        layout.addWidget(hint)
        layout.addWidget(buttons)

    def show_error(self, summary: str, details: str) -> None:
        """Show ``summary``; append ``details`` (several errors stack up until closed)."""
        if not self.isVisible():
            self.details.clear()
        self.summary.setText(summary)
        if self.details.toPlainText():
            self.details.appendPlainText("\n" + "-" * 60 + "\n")
        self.details.appendPlainText(details)
        self.show()
        self.raise_()

    def copy_details(self) -> None:
        """Put the summary and the details on the clipboard."""
        text = f"{self.summary.text()}\n\n{self.details.toPlainText()}"
        QGuiApplication.clipboard().setText(text)


class ErrorReporter(QObject):
    """Routes uncaught exceptions (any thread) to an :class:`ErrorDialog`."""

    reported = Signal(str, str)  # summary, details

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._window = parent
        self._dialog: ErrorDialog | None = None
        self._previous = None
        self._previous_thread = None
        self.reported.connect(self._show)

    @property
    def dialog(self) -> ErrorDialog | None:
        """The dialog, once an error was reported."""
        return self._dialog

    def install(self) -> None:
        """Become ``sys.excepthook`` and ``threading.excepthook`` (idempotent)."""
        if self._previous is None:
            self._previous, sys.excepthook = sys.excepthook, self._excepthook
            self._previous_thread, threading.excepthook = threading.excepthook, self._thread_hook

    def uninstall(self) -> None:
        """Put the previous hooks back, if ours are still in place."""
        if self._previous is not None:
            if sys.excepthook == self._excepthook:
                sys.excepthook = self._previous
            if threading.excepthook == self._thread_hook:
                threading.excepthook = self._previous_thread
            self._previous = self._previous_thread = None

    def report(self, exc: BaseException) -> None:
        """Report a caught exception as if it had been uncaught."""
        self._excepthook(type(exc), exc, exc.__traceback__)

    def _excepthook(self, exc_type, exc, tb) -> None:
        if issubclass(exc_type, KeyboardInterrupt) and self._previous is not None:
            self._previous(exc_type, exc, tb)
            return
        details = "".join(traceback.format_exception(exc_type, exc, tb))
        remote = getattr(exc, "details", None)  # a WorkerError: the child's own traceback
        if isinstance(remote, dict) and remote.get("traceback"):
            details += "\nIn the worker process:\n" + remote["traceback"]
        print(details, file=sys.stderr, end="")  # also where a developer looks
        summary = self.tr("Unexpected error: {0}: {1}").format(exc_type.__name__, exc)
        self.reported.emit(summary, details)

    def _thread_hook(self, args) -> None:
        if args.exc_type is SystemExit:
            return
        self._excepthook(args.exc_type, args.exc_value, args.exc_traceback)

    def _show(self, summary: str, details: str) -> None:
        if self._dialog is None:
            self._dialog = ErrorDialog(self._window)
        self._dialog.show_error(summary, details)
