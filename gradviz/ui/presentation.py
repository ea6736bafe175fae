"""Presentation mode: full screen, high contrast, a big step counter, driven by keys alone.

:class:`PresentationMode` switches the window to the presentation theme, full
screen, with only the graph, the timeline, the explanation and the gradients
dock; a :class:`StepCounter` across the top says ``Step 3 / 9`` in letters
big enough for the back of a room. While it is on, an application event
filter takes the replay keys (Space, ←/→, PageUp/PageDown for clickers,
Home/End, F, +/−, F1, Esc/F5) whatever widget has the focus, so no widget
(e.g. the function editor) can swallow them. Leaving restores the window's
state, geometry, docks, theme, bars and focus exactly.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QApplication, QDockWidget, QHBoxLayout, QLabel, QWidget

from .plain import plain
from .timeline import position_text

PRESENTATION_THEME = "presentation"
COUNTER_PX = 44  # the step counter: readable from the back of a classroom
TITLE_PX = 26
GRADIENTS_WIDTH = 420  # the gradients dock in presentation (its font is 1.6× larger)…
GRADIENTS_SHARE = 30  # …but at most this percentage of the screen's width
_BLOCKING_MODIFIERS = (Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier
                       | Qt.KeyboardModifier.MetaModifier)


class StepCounter(QWidget):
    """The function on the left, ``Step 3 / 9`` (or ``Forward 2 / 8``) big on the right."""

    def __init__(self, player, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("StepCounter")
        self.player = player
        self.title = QLabel()
        self.title.setObjectName("PresentationTitle")
        self.counter = QLabel()
        plain(self.title, self.counter)
        self.counter.setObjectName("PresentationCounter")
        self.counter.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        row = QHBoxLayout(self)
        row.setContentsMargins(16, 6, 16, 6)
        row.addWidget(self.title, 1)
        row.addWidget(self.counter)
        self.setStyleSheet(
            f"QWidget#StepCounter {{ background: #ffffff; }}"
            f"QLabel#PresentationTitle {{ color: #000000; font-size: {TITLE_PX}px; }}"
            f"QLabel#PresentationCounter {{ color: #000000; font-size: {COUNTER_PX}px; "
            f"font-weight: bold; }}")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        player.step_changed.connect(self.refresh)
        player.snapshot_changed.connect(self.refresh)
        self.refresh()

    def refresh(self) -> None:
        """Follow the player: where the replay is, and which function it shows."""
        snapshot = self.player.snapshot
        self.title.setText(snapshot.source if snapshot is not None else "")
        self.counter.setText(position_text(self.player) if snapshot is not None else "")


@dataclass
class _SavedWindow:
    """What presentation mode changes, as it was before."""

    state: Qt.WindowState
    geometry: object  # QByteArray (saveGeometry: the normal geometry of a maximized window too)
    rect: object  # QRect: exactly where it was (restoreGeometry keeps windows on the screen)
    docks: object  # QByteArray
    theme: str
    menu_bar: bool
    status_bar: bool
    inspector: bool
    find_bar: bool
    focus: QWidget | None


class PresentationMode(QObject):
    """Enters and leaves presentation mode on a :class:`~gradviz.ui.main_window.MainWindow`."""

    toggled = Signal(bool)

    def __init__(self, window) -> None:
        super().__init__(window)
        self.window = window
        self._saved: _SavedWindow | None = None
        self.counter = StepCounter(window.player)
        self.counter.hide()
        window.centralWidget().layout().insertWidget(0, self.counter)
        player, view = window.player, window.graph.view
        keys = Qt.Key
        self._keys = {
            keys.Key_Space: player.toggle, keys.Key_Right: player.next,
            keys.Key_PageDown: player.next, keys.Key_Left: player.previous,
            keys.Key_PageUp: player.previous, keys.Key_Home: player.first,
            keys.Key_End: player.last, keys.Key_F: lambda: view.fit(True),
            keys.Key_Plus: view.zoom_in, keys.Key_Equal: view.zoom_in,
            keys.Key_Minus: view.zoom_out, keys.Key_Underscore: view.zoom_out,
            keys.Key_Escape: self.leave, keys.Key_F5: self.leave,
            keys.Key_F1: lambda: window.help.show_shortcuts(),
        }

    @property
    def active(self) -> bool:
        """True while the window is in presentation mode."""
        return self._saved is not None

    def toggle(self) -> None:
        """Enter, or leave."""
        self.leave() if self.active else self.enter()

    def enter(self) -> None:
        """Full screen, presentation theme, gradients and explanation only, keys taken."""
        if self.active:
            return
        window = self.window
        self._saved = _SavedWindow(
            state=window.windowState(), geometry=window.saveGeometry(), rect=window.geometry(),
            docks=window.saveState(), theme=window.theme_name(),
            menu_bar=window.menuBar().isVisible(), status_bar=window.statusBar().isVisible(),
            inspector=window.graph.inspector.isVisible(),
            find_bar=window.graph.find_bar.isVisible(), focus=QApplication.focusWidget())
        window.set_theme(PRESENTATION_THEME, remember=False)
        for dock in window.findChildren(QDockWidget):
            dock.setFloating(False)
            dock.setVisible(dock.objectName() == "GradientsDock")
        for widget in (window.menuBar(), window.statusBar(), window.graph.inspector,
                       window.graph.find_bar):
            widget.hide()
        self.counter.refresh()
        self.counter.show()
        window.showFullScreen()
        self._size_gradients()
        QTimer.singleShot(0, self._size_gradients)  # again once the window manager resized it
        window.graph.view.setFocus(Qt.FocusReason.OtherFocusReason)
        QApplication.instance().installEventFilter(self)
        self.toggled.emit(True)

    def _size_gradients(self) -> None:
        """The gradients dock wide enough for its larger text, the graph fitted."""
        window = self.window
        if not self.active:
            return
        for dock in window.findChildren(QDockWidget):
            if dock.isVisible():
                width = min(GRADIENTS_WIDTH, window.width() * GRADIENTS_SHARE // 100)
                window.resizeDocks([dock], [width], Qt.Orientation.Horizontal)
        window.graph.view.fit()

    def leave(self) -> None:
        """Back to exactly the window as it was: state, geometry, docks, theme, bars, focus."""
        saved, self._saved = self._saved, None
        if saved is None:
            return
        QApplication.instance().removeEventFilter(self)
        window = self.window
        self.counter.hide()
        window.setWindowState(saved.state)
        window.restoreGeometry(saved.geometry)
        if not saved.state & (Qt.WindowState.WindowMaximized | Qt.WindowState.WindowFullScreen):
            window.setGeometry(saved.rect)
        window.restoreState(saved.docks)
        window.set_theme(saved.theme, remember=False)
        window.menuBar().setVisible(saved.menu_bar)
        window.statusBar().setVisible(saved.status_bar)
        window.graph.inspector.setVisible(saved.inspector)
        window.graph.find_bar.setVisible(saved.find_bar)
        _refocus(saved.focus)
        self.toggled.emit(False)

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 (Qt's name)
        """Take the presentation keys from whatever widget of the window has the focus."""
        kind = event.type()
        if kind not in (QEvent.Type.KeyPress, QEvent.Type.ShortcutOverride):
            return False
        if not isinstance(watched, QWidget) or watched.window() is not self.window:
            return False  # a dialog (the shortcuts list) keeps its own keys: Esc closes it
        command = self._command(event)
        if command is None:
            return False
        event.accept()  # a ShortcutOverride accepted: no menu shortcut fires twice
        if kind == QEvent.Type.KeyPress and (not event.isAutoRepeat()
                                             or event.key() not in _TOGGLES):
            command()  # holding → steps on; holding Space or Esc must not flicker
        return True

    def _command(self, event):
        if event.modifiers() & _BLOCKING_MODIFIERS:
            return None  # Ctrl+Q and friends keep working
        arrows = (Qt.Key.Key_Left, Qt.Key.Key_Right, Qt.Key.Key_Up, Qt.Key.Key_Down)
        if event.key() in arrows and event.modifiers() & Qt.KeyboardModifier.ShiftModifier:
            return None  # Shift+arrows pan the view
        return self._keys.get(event.key())


_TOGGLES = (Qt.Key.Key_Space, Qt.Key.Key_Escape, Qt.Key.Key_F5, Qt.Key.Key_F1)


def _refocus(widget: QWidget | None) -> None:
    """Give the focus back to ``widget`` if it still exists and can take it."""
    try:
        if widget is not None and widget.isVisible() and widget.isEnabled():
            widget.setFocus(Qt.FocusReason.OtherFocusReason)
    except RuntimeError:  # deleted meanwhile
        pass
