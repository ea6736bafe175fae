"""Text from users and files, shown as written: never guessed rich text, never a resource.

Qt guesses rich text in labels, message boxes and tooltips (``Qt.AutoText``),
and rich text loads images: ``<img src="/dev/zero">`` in a lesson title made
the window allocate until it aborted. Every label, box and tooltip that can
show such text goes through here; lesson notes keep their Markdown in a
browser that loads no resource at all.
"""

from __future__ import annotations

import unicodedata

from PySide6.QtCore import Qt
from PySide6.QtGui import QImage, QTextDocument
from PySide6.QtGui import Qt as GuiQt
from PySide6.QtWidgets import QLabel, QMessageBox, QTextBrowser, QWidget

# Characters a reader cannot see, or that reorder what they see (bidi controls).
_HIDDEN_CATEGORIES = frozenset({"Cf", "Cc", "Co", "Cn", "Cs", "Zl", "Zp"})


def plain(*labels: QLabel) -> None:
    """Make ``labels`` show their text as written, whatever it looks like."""
    for label in labels:
        label.setTextFormat(Qt.TextFormat.PlainText)


def plain_label(text: str = "", *, wrap: bool = False) -> QLabel:
    """A label that shows ``text`` as written."""
    label = QLabel()
    plain(label)
    label.setWordWrap(wrap)
    label.setText(text)
    return label


def tip(text: str) -> str:
    """A tooltip that shows ``text`` as written (tooltips have no plain-text switch)."""
    return GuiQt.convertFromPlainText(text, GuiQt.WhiteSpaceMode.WhiteSpacePre)


def message_box(icon: QMessageBox.Icon, title: str, text: str,
                buttons: QMessageBox.StandardButton, parent: QWidget | None) -> QMessageBox:
    """A QMessageBox whose text (and informative text) is plain."""
    box = QMessageBox(icon, title, "", buttons, parent)
    box.setTextFormat(Qt.TextFormat.PlainText)
    box.setText(text)
    return box


class NoResourceBrowser(QTextBrowser):
    """A text browser for Markdown notes that never loads an image or a file."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)

    def loadResource(self, kind: int, name) -> object:
        """An empty image or text, whatever is asked (a notes file may name /dev/zero).

        Never None: Qt would then read the file itself.
        """
        if getattr(kind, "value", kind) == QTextDocument.ResourceType.ImageResource.value:
            return QImage()
        return ""


def hidden_characters(text: str) -> list[str]:
    """The invisible or direction-changing characters in ``text`` (tab and newline aside)."""
    return [ch for ch in text if ch not in "\n\t" and _hidden(ch)]


def show_hidden(text: str) -> str:
    """``text`` with each invisible or bidi character written as ``«U+202E»``."""
    return "".join(f"«U+{ord(ch):04X}»" if ch not in "\n\t" and _hidden(ch) else ch
                   for ch in text)


def _hidden(ch: str) -> bool:
    category = unicodedata.category(ch)
    return category in _HIDDEN_CATEGORIES or (category == "Zs" and ch != " ")
