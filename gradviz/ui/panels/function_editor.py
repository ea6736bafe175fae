"""The function editor: syntax colouring, an error underlined at its column, Enter builds.

One line by default; Shift+Enter adds a line for longer functions (they are
read as one line: a line break counts as a space, so error columns still point
at the right character). Enter or Ctrl+Enter emits :attr:`FunctionEditor.submitted`.
"""

from __future__ import annotations

import re

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QColor, QFont, QSyntaxHighlighter, QTextCharFormat, QTextCursor
from PySide6.QtWidgets import QLabel, QPlainTextEdit, QTextEdit, QVBoxLayout, QWidget

from ..base.fonts import graph_font_family
from ..base.plain import plain

try:  # the torch-free list of callable names
    from ...core.expr.function_names import CONSTANTS, FUNCTION_NAMES
except ImportError:  # pragma: no cover - older checkouts: colour "name(" as a call
    CONSTANTS, FUNCTION_NAMES = ("pi", "e"), ()

KNOWN_FUNCTIONS = frozenset(FUNCTION_NAMES)
_TOKEN = re.compile(
    r"(?P<number>\b\d+\.?\d*(?:[eE][-+]?\d+)?|\.\d+(?:[eE][-+]?\d+)?)"
    r"|(?P<name>[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*)(?P<call>\s*\()?"
)

COLOURS = {"number": "#1c7c54", "variable": "#0b4f9c", "function": "#8a2be2",
           "constant": "#b35900", "unknown": "#c0392b"}
DARK_COLOURS = {"number": "#7fd4a8", "variable": "#8cc4ff", "function": "#e0b0ff",
                "constant": "#f0b070", "unknown": "#ff7b6b"}
LINK_COLOURS = {False: "#ebb9d5", True: "#7a4463"}  # dark? -> background of a linked span
DEBOUNCE_MS = 250
MAX_LINES = 6


class FunctionHighlighter(QSyntaxHighlighter):
    """Colours numbers, variables, known functions and constants; underlines an error."""

    def __init__(self, document) -> None:
        super().__init__(document)
        self._formats: dict[str, QTextCharFormat] = {}
        self._error: tuple[int, int] | None = None  # document position, length
        self.set_colours(COLOURS)

    def set_colours(self, colours: dict[str, str]) -> None:
        """Use ``colours`` (kind → colour): :data:`COLOURS`, or :data:`DARK_COLOURS`."""
        self._colours = colours
        for kind, colour in colours.items():
            fmt = QTextCharFormat()
            fmt.setForeground(QColor(colour))
            if kind == "function":
                fmt.setFontWeight(QFont.Weight.Bold)
            self._formats[kind] = fmt
        self.rehighlight()

    def set_error_span(self, span: tuple[int, int] | None) -> None:
        """Underline ``(position, length)`` in the document (None clears)."""
        if span != self._error:
            self._error = span
            self.rehighlight()

    def highlightBlock(self, text: str) -> None:
        """Colour one line, then draw the error's wavy underline over it."""
        for match in _TOKEN.finditer(text):
            kind = self._kind(match)
            start, end = match.span("number") if kind == "number" else match.span("name")
            self.setFormat(start, end - start, self._formats[kind])
        if self._error is not None:
            self._underline(text)

    @staticmethod
    def _kind(match: re.Match) -> str:
        if match.group("number"):
            return "number"
        name = match.group("name")
        if match.group("call"):
            known = name in KNOWN_FUNCTIONS or not KNOWN_FUNCTIONS
            return "function" if known else "unknown"
        return "constant" if name in CONSTANTS else "variable"

    def _underline(self, text: str) -> None:
        position, length = self._error
        block_start = self.currentBlock().position()
        start = max(position - block_start, 0)
        end = min(position + length - block_start, len(text))
        if start >= len(text) and text and block_start <= position:
            start, end = len(text) - 1, len(text)  # at the end of the text: mark the last char
        for offset in range(start, end):
            fmt = self.format(offset)
            fmt.setUnderlineStyle(QTextCharFormat.UnderlineStyle.SpellCheckUnderline)
            fmt.setUnderlineColor(QColor(self._colours["unknown"]))
            self.setFormat(offset, 1, fmt)


class _TextBox(QPlainTextEdit):
    """The text area: Enter submits, Shift+Enter breaks the line."""

    submitted = Signal()

    def keyPressEvent(self, event) -> None:
        """Enter and Ctrl+Enter submit; Shift+Enter inserts a line break."""
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            if not event.modifiers() & Qt.KeyboardModifier.ShiftModifier:
                self.submitted.emit()
                return
        super().keyPressEvent(event)


class FunctionEditor(QWidget):
    """The function's text, coloured, with the last error under it."""

    submitted = Signal(str)  # the text, when the user presses Enter
    text_edited = Signal(str)  # the text, after typing pauses (debounced)
    span_selected = Signal(int, int)  # [start, end) of the selection (or caret) in text()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("FunctionEditor")
        self.box = _TextBox()
        self.box.setObjectName("FunctionText")
        self.box.setPlaceholderText(self.tr("Type a function, e.g. 5*x**3 + 2*x, then Enter"))
        self.box.setFont(QFont(graph_font_family(), 13))
        self.box.setTabChangesFocus(True)
        self.box.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        self.box.setToolTip(self.tr("Enter builds the graph; Shift+Enter adds a line"))
        self.highlighter = FunctionHighlighter(self.box.document())
        self.error_label = QLabel()
        plain(self.error_label)
        self.error_label.setObjectName("FunctionError")
        self.error_label.setWordWrap(True)
        self.error_label.setStyleSheet(f"color: {COLOURS['unknown']};")
        self.error_label.hide()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.box)
        layout.addWidget(self.error_label)
        self._last_text = ""
        self._debounce = QTimer(self, singleShot=True, interval=DEBOUNCE_MS)
        self._debounce.timeout.connect(lambda: self.text_edited.emit(self.text()))
        self.box.textChanged.connect(self._on_text_changed)
        self.box.submitted.connect(lambda: self.submitted.emit(self.text()))
        self._link_colour = QColor(LINK_COLOURS[False])
        self.box.cursorPositionChanged.connect(self._on_selection_changed)
        self.box.selectionChanged.connect(self._on_selection_changed)
        self._fit_height()

    def set_dark(self, dark: bool) -> None:
        """Colours that read well on a dark background (or a light one)."""
        colours = DARK_COLOURS if dark else COLOURS
        self.highlighter.set_colours(colours)
        self._link_colour = QColor(LINK_COLOURS[dark])
        self.error_label.setStyleSheet(f"color: {colours['unknown']};")

    def text(self) -> str:
        """The function on one line: line breaks become spaces (columns stay the same)."""
        return self.box.toPlainText().replace("\n", " ").strip()

    def set_text(self, text: str) -> None:
        """Replace the text (clears the error); emits ``text_edited`` at once."""
        self.box.setPlainText(text)
        self._debounce.stop()
        self.text_edited.emit(self.text())

    def set_error(self, message: str, column: int | None = None) -> None:
        """Show ``message`` under the text and underline the token at ``column``."""
        self.error_label.setText(message)
        self.error_label.show()
        self.highlighter.set_error_span(self._span_at(column) if column is not None else None)

    def clear_error(self) -> None:
        """Remove the message and the underline."""
        self.error_label.clear()
        self.error_label.hide()
        self.highlighter.set_error_span(None)

    def error_text(self) -> str:
        """The error message shown (empty if none)."""
        return self.error_label.text() if self.error_label.isVisibleTo(self) else ""

    def show_linked_spans(self, spans: list[tuple[int, int]]) -> None:
        """Shade ``[start, end)`` spans of :meth:`text` (what a graph node computes)."""
        offset = self._leading()
        length = len(self.box.toPlainText())
        selections = []
        for start, end in spans:
            selection = QTextEdit.ExtraSelection()
            selection.format.setBackground(self._link_colour)
            cursor = QTextCursor(self.box.document())
            cursor.setPosition(min(start + offset, length))
            cursor.setPosition(min(end + offset, length), QTextCursor.MoveMode.KeepAnchor)
            selection.cursor = cursor
            selections.append(selection)
        self.box.setExtraSelections(selections)

    def link_colour(self) -> QColor:
        """The background of linked spans (lighter or darker with the theme)."""
        return QColor(self._link_colour)

    def linked_spans(self) -> list[tuple[int, int]]:
        """The spans shaded by :meth:`show_linked_spans`, in :meth:`text` columns."""
        offset = self._leading()
        return [(s.cursor.selectionStart() - offset, s.cursor.selectionEnd() - offset)
                for s in self.box.extraSelections()]

    def _leading(self) -> int:
        """Characters before the text() starts (text() strips)."""
        text = self.box.toPlainText()
        return len(text) - len(text.lstrip())

    def _on_selection_changed(self) -> None:
        cursor = self.box.textCursor()
        offset = self._leading()
        start, end = cursor.selectionStart() - offset, cursor.selectionEnd() - offset
        self.span_selected.emit(max(start, 0), max(end, 0))

    def _span_at(self, column: int) -> tuple[int, int]:
        """The token that starts at ``column`` (at least one character)."""
        text = self.box.toPlainText()
        offset = len(text) - len(text.lstrip())  # text() strips: columns count from there
        position = column + offset
        match = _TOKEN.match(text, position)
        length = len(match.group(0).rstrip("( ")) if match and match.group(0) else 1
        return position, max(length, 1)

    def _on_text_changed(self) -> None:
        text = self.box.toPlainText()
        if text == self._last_text:  # re-highlighting also says the text changed
            return
        self._last_text = text
        self.highlighter.set_error_span(None)
        self._fit_height()
        self._debounce.start()

    def _fit_height(self) -> None:
        """As tall as its lines once wrapped (one to six), so a one-liner takes one line."""
        visual = self.box.document().documentLayout().documentSize().height()
        lines = max(1, min(MAX_LINES, round(visual) or 1))
        metrics = self.box.fontMetrics()
        margins = self.box.contentsMargins()
        frame = 2 * self.box.frameWidth() + margins.top() + margins.bottom()
        self.box.setFixedHeight(int(lines * metrics.lineSpacing() + frame + 10))

    def resizeEvent(self, event) -> None:
        """Re-wrapping may change the number of lines."""
        super().resizeEvent(event)
        self._fit_height()
