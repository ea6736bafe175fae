"""Help: the keyboard shortcuts (F1), "How to read this graph", and About with versions.

Each is a small dialog of rich text; Esc closes it. The About box reads
versions without importing torch (the GUI never does): torch's comes from its
installed metadata, the layout engine's from the engine itself.
"""

from __future__ import annotations

import html
import sys

from PySide6 import __version__ as pyside_version
from PySide6.QtCore import QObject, Qt, qVersion
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QTextBrowser, QVBoxLayout, QWidget

from ...core.errors import EngineError
from ..base.themes import get_theme

BODY_PX = 15


def package_version(name: str) -> str | None:
    """An installed distribution's version from its metadata (never imports it)."""
    from importlib import metadata  # on first use: ~15 ms off the window's start-up

    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return None


def layout_engine(requested: str | None = None) -> tuple[str, str | None] | None:
    """The layout engine a build would use first, and its version line (None: none found)."""
    from ...core.layout.engines import engine_path, engine_version, preferred_engines

    try:
        names = preferred_engines(requested)
    except EngineError:
        names = preferred_engines(None)
    for name in names:
        if engine_path(name) is not None:
            return name, engine_version(name)
    return None


class HelpDialog(QDialog):
    """A titled page of rich text with a Close button; larger in the presentation theme."""

    def __init__(self, title: str, body_html: str, font_scale: float = 1.0,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.browser = QTextBrowser()
        self.browser.setOpenExternalLinks(True)
        self.browser.setStyleSheet(f"font-size: {round(BODY_PX * font_scale)}px;")
        self.browser.setHtml(body_html)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.browser)
        layout.addWidget(buttons)
        room = self.screen().availableGeometry()
        self.resize(min(round(620 * font_scale), room.width() * 9 // 10),
                    min(round(560 * font_scale), room.height() * 9 // 10))

    def text(self) -> str:
        """The page as plain text (tests, accessibility)."""
        return self.browser.toPlainText()


class HelpController(QObject):
    """Opens the help dialogs (one of each at a time) over ``parent``, in the state's theme;
    ``engine`` is the layout engine asked for (About names the one that runs)."""

    def __init__(self, parent: QWidget, state, engine: str | None = None) -> None:
        super().__init__(parent)
        self.parent_widget, self.state, self.engine = parent, state, engine
        self.dialog: HelpDialog | None = None  # the last one opened

    def _open(self, title: str, body: str) -> HelpDialog:
        if self.dialog is not None:
            self.dialog.close()
        theme = get_theme(self.state.theme)
        dialog = HelpDialog(title, body, theme.font_scale, self.parent_widget)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.destroyed.connect(lambda *_: self._forget(dialog))
        self.dialog = dialog
        dialog.show()
        dialog.raise_()
        dialog.activateWindow()
        return dialog

    def _forget(self, dialog) -> None:
        if self.dialog is dialog:
            self.dialog = None

    def show_shortcuts(self) -> HelpDialog:
        """The keyboard shortcuts (F1)."""
        rows = [
            (self.tr("Space"), self.tr("Play / pause the replay")),
            (self.tr("→ / ←"), self.tr("One step forward / back")),
            (self.tr("Page Down / Page Up"),
             self.tr("One step forward / back (presentation clickers)")),
            (self.tr("Home / End"), self.tr("First / last step")),
            (self.tr("F"), self.tr("Fit the whole graph")),
            (self.tr("+ / −"), self.tr("Zoom in / out (the mouse wheel too)")),
            (self.tr("Shift + arrows"), self.tr("Move around the graph")),
            (self.tr("Ctrl+F"), self.tr("Find a node by name")),
            (self.tr("F5"), self.tr("Presentation mode: full screen, large text (Esc leaves)")),
            (self.tr("Esc"), self.tr("Leave presentation mode")),
            (self.tr("Z"), self.tr("Presentation: zoom to readable text on the active node")),
            (self.tr("L / Ctrl+L"), self.tr("Show or hide the legend (L in presentation)")),
            (self.tr("M"), self.tr("Presentation: the whole explanation, or its first lines")),
            (self.tr("Enter"), self.tr("Build the function typed in the editor")),
            (self.tr("Shift+Enter"), self.tr("A new line in the editor")),
            (self.tr("Ctrl+R / Ctrl+Shift+R"), self.tr("Run backward again / zero the gradients")),
            (self.tr("Ctrl+O / Ctrl+S"), self.tr("Open / save a lesson")),
            (self.tr("Double-click a module box"),
             self.tr("Collapse the module into one node (double-click that node to expand it)")),
            (self.tr("F1"), self.tr("This list")),
        ]
        cells = "".join(f"<tr><td><b>{html.escape(k)}</b>&nbsp;&nbsp;</td>"
                        f"<td>{html.escape(v)}</td></tr>" for k, v in rows)
        title = self.tr("Keyboard shortcuts")
        return self._open(title, f"<table cellpadding='4'>{cells}</table>")

    def show_reading_guide(self) -> HelpDialog:
        """How to read the graph: colours, arrows, steps, ``grad``, accumulation."""
        theme = get_theme(self.state.theme)
        swatches = [
            ("function", self.tr("grey: a backward function (one operation of the forward "
                                 "pass, e.g. MulBackward0 for a *)")),
            ("leaf", self.tr("light blue: a leaf, a tensor you created with "
                             "requires_grad=True (x, w, b)")),
            ("saved", self.tr("orange: a tensor saved during the forward pass, which the "
                              "backward function needs")),
            ("output", self.tr("green: the output, where the backward pass starts")),
            ("module", self.tr("thistle boxes: the nodes made by one nn.Module call "
                               "(double-click a box to collapse it)")),
        ]
        items = "".join(
            f"<tr><td><span style='background:{theme.fills.get(kind, '#d3d3d3')}; "
            f"border:1px solid #000'>&nbsp;&nbsp;&nbsp;&nbsp;&nbsp;</span>&nbsp;</td>"
            f"<td>{html.escape(text)}</td></tr>" for kind, text in swatches)
        paragraphs = [
            self.tr("Arrows point from the inputs to the nodes that use them, as the forward "
                    "pass computed them. The gradient flows against the arrows: from the "
                    "output back to the leaves."),
            self.tr("One step of the replay runs one node of the backward pass, in the order "
                    "PyTorch's engine runs them: the node receives the gradient of the output "
                    "with respect to its result, multiplies it by its local derivative (the "
                    "chain rule) and sends one gradient along each input arrow. The bar under "
                    "the graph writes the step's numbers."),
            self.tr("“grad” under a node is the gradient that has reached it so far; under a "
                    "leaf it is the leaf's .grad. A number on an arrow is the gradient sent "
                    "along it."),
            self.tr("Why is x.grad a sum? In y = 5x³ + 2x² + 4x + 8, x is used three times, "
                    "so three gradients reach it: 4 (from 4x), 8 (from 2x², 4x at x = 2) and "
                    "60 (from 5x³, 15x² at x = 2). AccumulateGrad adds them: x.grad = 4 + 8 + "
                    "60 = 72, the derivative 15x² + 4x + 4 at x = 2."),
        ]
        colours = html.escape(self.tr("Colours"))
        body = (f"<h3>{colours}</h3><table cellpadding='3'>{items}</table>"
                + "".join(f"<p>{html.escape(p)}</p>" for p in paragraphs))
        return self._open(self.tr("How to read this graph"), body)

    def versions(self) -> list[tuple[str, str]]:
        """(component, version) for About: gradviz, PyTorch, Qt, PySide6, Python, layout."""
        missing = self.tr("not installed")
        engine = layout_engine(self.engine)
        unknown = self.tr("version unknown")
        engine_text = f"{engine[0]} ({engine[1] or unknown})" if engine else self.tr("none found")
        return [("gradviz", package_version("gradviz") or missing),
                ("PyTorch", package_version("torch") or missing),
                ("Qt", qVersion()), ("PySide6", pyside_version),
                ("Python", "{}.{}.{}".format(*sys.version_info[:3])),
                (self.tr("Layout engine"), engine_text)]

    def show_about(self) -> HelpDialog:
        """About gradviz, with the versions of what it runs on."""
        rows = "".join(f"<tr><td><b>{html.escape(name)}</b>&nbsp;&nbsp;</td>"
                       f"<td>{html.escape(value)}</td></tr>" for name, value in self.versions())
        intro = self.tr("gradviz draws PyTorch's autograd graph and replays the backward "
                        "pass step by step.")
        body = f"<h3>gradviz</h3><p>{html.escape(intro)}</p><table cellpadding='3'>{rows}</table>"
        return self._open(self.tr("About gradviz"), body)
