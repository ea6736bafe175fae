"""Presentation mode: full screen, high contrast, a big step counter, driven by keys alone.

:class:`PresentationMode` switches the window to the presentation theme, full
screen, with only the graph (scaled to the screen, laid out left to right when
that makes it larger), the timeline and the explanation (large, at most three
lines, the rest on demand). A :class:`StepCounter` across the top shows the
function as mathematics and ``Step 3 / 9`` in letters big enough for the back
of a room; a :class:`~gradviz.ui.graph.overlays.GradCard` shows each leaf's
``.grad`` in large type instead of the gradients table, and the canvas legend
is shown. While it is on, an application event
filter takes the replay keys (Space, ←/→, PageUp/PageDown for clickers,
Home/End, F, +/−, F1, Esc/F5) whatever widget has the focus, so no widget
(e.g. the function editor) can swallow them. Leaving restores the window's
state, geometry, docks, theme, bars and focus exactly.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QEvent, QObject, QSize, Qt, QTimer, Signal
from PySide6.QtWidgets import QApplication, QDockWidget, QHBoxLayout, QLabel, QWidget

from ..base.plain import plain
from ..base.themes import get_theme
from ..export.titles import function_title
from ..graph.overlays import GradCard
from ..viewer.timeline import position_text

PRESENTATION_THEME = "presentation"
COUNTER_PX = 44  # the step counter: readable from the back of a classroom
TITLE_PX = 34  # the function, as mathematics
EXPLANATION_LINES = 3  # the explanation's height in presentation; the rest on demand
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
        self.title.setText(function_title(snapshot))
        self.counter.setText(position_text(self.player) if snapshot is not None else "")


@dataclass
class _SavedWindow:
    """What presentation mode changes, as it was before."""

    state: Qt.WindowState
    geometry: object  # QByteArray (saveGeometry: the normal geometry of a maximized window too)
    rect: object  # QRect: exactly where it was (restoreGeometry keeps windows on the screen)
    docks: object  # QByteArray
    theme: str
    legend: bool
    snapshot: object  # the Snapshot shown (a left-to-right layout replaces it while on)
    menu_bar: bool
    status_bar: bool
    inspector: bool
    find_bar: bool
    focus: QWidget | None


class PresentationMode(QObject):
    """Enters and leaves presentation mode on the main window."""

    toggled = Signal(bool)

    def __init__(self, window) -> None:
        super().__init__(window)
        self.window = window
        self._saved: _SavedWindow | None = None
        self.counter = StepCounter(window.player)
        self.counter.hide()
        window.centralWidget().layout().insertWidget(0, self.counter)
        player, view = window.player, window.graph.view
        self.card = GradCard(view)
        self.card.hide()
        self._swapped = None  # the left-to-right Snapshot shown instead of the built one
        window.built.connect(self._on_built)
        keys = Qt.Key
        self._keys = {
            keys.Key_Space: player.toggle, keys.Key_Right: player.next,
            keys.Key_PageDown: player.next, keys.Key_Left: player.previous,
            keys.Key_PageUp: player.previous, keys.Key_Home: player.first,
            keys.Key_End: player.last, keys.Key_F: lambda: view.fit(True),
            keys.Key_Plus: view.zoom_in, keys.Key_Equal: view.zoom_in,
            keys.Key_Minus: view.zoom_out, keys.Key_Underscore: view.zoom_out,
            keys.Key_Z: self.zoom_readable, keys.Key_L: window.aids.toggle_legend,
            keys.Key_M: window.explanation.toggle_more,
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

    def enter(self, size: QSize | None = None) -> None:
        """Full screen (or ``size``, for screenshots), presentation theme, the graph
        scaled to the screen, the .grad card and the legend, keys taken."""
        if self.active:
            return
        window = self.window
        self._saved = _SavedWindow(
            state=window.windowState(), geometry=window.saveGeometry(), rect=window.geometry(),
            docks=window.saveState(), theme=window.theme_name(),
            legend=window.aids.legend.isVisible(), snapshot=window.player.snapshot,
            menu_bar=window.menuBar().isVisible(), status_bar=window.statusBar().isVisible(),
            inspector=window.graph.inspector.isVisible(),
            find_bar=window.graph.find_bar.isVisible(), focus=QApplication.focusWidget())
        window.set_theme(PRESENTATION_THEME, remember=False)
        for dock in window.findChildren(QDockWidget):
            dock.setFloating(False)
            dock.setVisible(False)  # the .grad card replaces the gradients table
        for widget in (window.menuBar(), window.statusBar(), window.graph.inspector,
                       window.graph.find_bar):
            widget.hide()
        window.explanation.set_max_lines(EXPLANATION_LINES)
        self.counter.refresh()
        self.counter.show()
        self.card.apply_theme(get_theme(PRESENTATION_THEME))
        self.card.show()
        self._refresh_card()
        window.aids.set_legend_visible(True)
        if size is not None:
            window.resize(size)
        else:
            window.showFullScreen()
        self._arrange()
        QTimer.singleShot(0, self._arrange)  # again once the window manager resized it
        window.graph.view.setFocus(Qt.FocusReason.OtherFocusReason)
        # connected now, after the window's own handler: the gradients panel is up to date
        window.player.step_changed.connect(self._on_step_changed)
        QApplication.instance().installEventFilter(self)
        self.toggled.emit(True)

    def _arrange(self) -> None:
        """Left to right if that shows the graph larger on this screen; fitted."""
        window = self.window
        if not self.active:
            return
        QApplication.instance().sendPostedEvents()  # layouts settle: the view's real size
        snapshot, view = window.player.snapshot, window.graph.view
        if snapshot is not None and self._swapped is None and not window.modules.collapsed:
            from .presentation_layout import better_direction  # on first use

            viewport = view.viewport().size()
            turned = better_direction(snapshot, viewport.width(), viewport.height())
            if turned is not None:
                self._swapped = turned
                window.show_relaid(turned)
        self.card.place()
        window.aids.legend.place()
        panels = [w for w in (self.card, window.aids.legend) if w.isVisible()]
        view.set_fit_top(max((w.geometry().bottom() for w in panels), default=0))
        view.fit()

    def zoom_readable(self) -> None:
        """Zoom until node text is readable from the back (big graphs), on the active node."""
        view, player = self.window.graph.view, self.window.player
        scene = view.graph_scene()
        if scene is None:
            return
        node = player.state().active_node if player.snapshot is not None else None
        item = scene.node_items.get(node) if node else None
        center = item.rect().center() if item is not None else view.scene_center()
        from .presentation_layout import readable_zoom  # on first use

        view.camera.move_to(center, max(view.zoom(), readable_zoom(scene)))

    def node_text_px(self) -> float:
        """The pixel size of node text on screen now (layout font size × view scale)."""
        view = self.window.graph.view
        scene = view.graph_scene()
        from .presentation_layout import node_font_size  # on first use

        return node_font_size(scene) * view.zoom() if scene is not None else 0.0

    def _on_built(self, _snapshot) -> None:
        if self.active:  # a new function: its own direction, fitted
            self._swapped = None
            self._arrange()

    def _refresh_card(self) -> None:
        panel = self.window.gradients
        self.card.set_rows(panel.rows_text())

    def _on_step_changed(self, _k: int) -> None:
        if not self.active:
            return
        self._refresh_card()
        view, player = self.window.graph.view, self.window.player
        node = player.state().active_node
        scene = view.graph_scene()
        if node is None or scene is None or node not in scene.node_items:
            return
        if not view.visible_scene_rect().contains(scene.node_items[node].rect()):
            view.focus_node(node, zoom=view.zoom())  # zoomed in: the active node stays in view

    def leave(self) -> None:
        """Back to exactly the window as it was: state, geometry, docks, theme, bars, focus."""
        saved, self._saved = self._saved, None
        if saved is None:
            return
        QApplication.instance().removeEventFilter(self)
        window = self.window
        window.player.step_changed.disconnect(self._on_step_changed)
        self.counter.hide()
        self.card.hide()
        window.graph.view.set_fit_top(0)
        window.explanation.set_max_lines(None)
        if self._swapped is not None:
            self._swapped = None
            if saved.snapshot is not None and window.player.snapshot is not None:
                window.show_relaid(saved.snapshot)
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
        window.aids.set_legend_visible(saved.legend)
        _refocus(saved.focus)
        self.toggled.emit(False)

    def eventFilter(self, watched, event) -> bool:
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
