"""The main window's menus and docks: File, Examples, Replay, View, Help.

Built once by :func:`make_menus`; the checkable View entries follow the
window's state through :func:`sync_view_actions`. Every action calls a
window or lesson command: menus decide nothing themselves.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import QDockWidget, QMenu, QWidget

from ..base.i18n import translate
from ..base.plain import tip
from ..base.settings import LANGUAGES
from ..base.themes import get_theme, theme_names
from .examples import fill_examples_menu

LANGUAGE_NAMES = {"en": "English", "fr": "Français"}  # each in its own language


def add_dock(window, name: str, title: str, widget: QWidget, area, width: int) -> QDockWidget:
    """A movable, floatable dock; ``name`` (not translated) keys its saved state."""
    dock = QDockWidget(title, window)
    dock.setObjectName(name)
    dock.setWidget(widget)
    dock.setFeatures(QDockWidget.DockWidgetFeature.DockWidgetMovable
                     | QDockWidget.DockWidgetFeature.DockWidgetFloatable)
    window.addDockWidget(area, dock)
    window.resizeDocks([dock], [width], Qt.Orientation.Horizontal)
    return dock


def _action(menu: QMenu, text: str, slot, key=None) -> QAction:
    action = menu.addAction(text)
    if key is not None:
        action.setShortcut(QKeySequence(key))
    action.triggered.connect(lambda _=False: slot())
    return action


def make_menus(window) -> None:
    """File, Examples, Replay, View and Help menus on ``window``'s menu bar."""
    window.menu_actions = {}
    bar = window.menuBar()
    _file_menu(window, bar.addMenu(translate("MainWindow", "&File")))
    examples = bar.addMenu(translate("MainWindow", "&Examples"))
    fill_examples_menu(examples, window.language,
                       lambda path: window.lessons.open_path(path, example=True))
    _replay_menu(window, bar.addMenu(translate("MainWindow", "&Replay")))
    view_menu = bar.addMenu(translate("MainWindow", "&View"))
    _view_menu(window, view_menu)
    view_menu.aboutToShow.connect(lambda: sync_view_actions(window))
    _help_menu(window, bar.addMenu(translate("MainWindow", "&Help")))
    for changed in (window.state.changed, window.modules.shown, window.modules.failed):
        changed.connect(lambda *_: sync_view_actions(window))  # the menus follow the state
    window.presentation.toggled.connect(lambda _on: sync_view_actions(window))
    sync_view_actions(window)


def _file_menu(window, menu: QMenu) -> None:
    keys = QKeySequence.StandardKey
    lessons = window.lessons
    _action(menu, translate("MainWindow", "&Open lesson…"), lessons.open_dialog, keys.Open)
    window.recent_menu = menu.addMenu(translate("MainWindow", "Open &recent"))
    fill_recent_menu(window)
    _action(menu, translate("MainWindow", "&Save lesson"), lessons.save, keys.Save)
    _action(menu, translate("MainWindow", "Save lesson &as…"), lessons.save_as, "Ctrl+Shift+S")
    menu.addSeparator()
    exports = window.exports
    _action(menu, translate("MainWindow", "&Export image…"), exports.export_image, "Ctrl+E")
    _action(menu, translate("MainWindow", "Export &visible region…"),
            lambda: exports.export_image(True))
    _action(menu, translate("MainWindow", "Export interactive &page…"), exports.export_page)
    _action(menu, translate("MainWindow", "&Copy image"), exports.copy_image, "Ctrl+Shift+C")
    menu.addSeparator()
    _action(menu, translate("MainWindow", "&Build"), window.build, "Ctrl+B")
    menu.addSeparator()
    _action(menu, translate("MainWindow", "&Quit"), window.close, keys.Quit)


def fill_recent_menu(window) -> None:
    """The recently opened lessons, newest first."""
    menu = window.recent_menu
    menu.clear()
    files = window.settings.recent_files()
    for path in files:
        action = menu.addAction(Path(path).name)
        action.setToolTip(tip(path))
        action.triggered.connect(lambda _=False, p=path: window.lessons.open_path(p))
    menu.setEnabled(bool(files))


def _replay_menu(window, menu: QMenu) -> None:
    player = window.player
    for text, slot, key in ((translate("MainWindow", "Play / pause"), player.toggle, "Space"),
                            (translate("MainWindow", "Step forward"), player.next, "Right"),
                            (translate("MainWindow", "Step back"), player.previous, "Left"),
                            (translate("MainWindow", "First step"), player.first, "Home"),
                            (translate("MainWindow", "Last step"), player.last, "End")):
        _action(menu, text, slot, key)
    forward = _action(menu, translate("MainWindow", "Replay the &forward pass first"),
                      lambda: player.set_forward_replay(not player.forward_replay))
    forward.setCheckable(True)
    forward.setToolTip(translate("MainWindow", "Before the backward steps, light up each node in "
                                 "the order the forward pass computed it, with its value"))
    window.menu_actions["forward"] = forward
    menu.addSeparator()
    builds = window.builds
    again = _action(menu, translate("MainWindow", "Run backward &again"),
                    builds.run_backward_again, "Ctrl+R")
    again.setToolTip(translate("MainWindow",
                               "Call backward once more without zeroing: .grad adds up"))
    zero = _action(menu, translate("MainWindow", "&Zero grad"), builds.zero_grad, "Ctrl+Shift+R")
    zero.setToolTip(translate("MainWindow", "Zero the gradients, as optimizer.zero_grad() does: "
                              "one backward call"))


def _view_menu(window, menu: QMenu) -> None:
    view, builds = window.graph.view, window.builds
    presentation = _action(menu, translate("MainWindow", "&Presentation mode"),
                           window.presentation.toggle, "F5")
    presentation.setCheckable(True)
    presentation.setToolTip(translate("MainWindow",
                                      "Full screen, large text, keys only (Esc leaves)"))
    window.menu_actions["presentation"] = presentation
    legend = _action(menu, translate("MainWindow", "Show the &legend"),
                     window.aids.toggle_legend, "Ctrl+L")
    legend.setCheckable(True)
    legend.setToolTip(translate("MainWindow", "What the colours, grad and the edge numbers mean "
                                "(L in presentation mode)"))
    window.menu_actions["legend"] = legend
    window.aids.legend_toggled.connect(legend.setChecked)
    menu.addSeparator()
    _action(menu, translate("MainWindow", "&Fit the graph"), lambda: view.fit(True), "F")
    _action(menu, translate("MainWindow", "Zoom &in"), view.zoom_in, "Ctrl++")
    _action(menu, translate("MainWindow", "Zoom &out"), view.zoom_out, "Ctrl+-")
    menu.addSeparator()
    saved = _action(menu, translate("MainWindow", "Show &saved tensors"),
                    builds.toggle_saved)
    saved.setCheckable(True)
    window.menu_actions["show_saved"] = saved
    modules = window.modules
    window.menu_actions["collapse_all"] = _action(
        menu, translate("MainWindow", "&Collapse all modules"), modules.collapse_all)
    window.menu_actions["expand_all"] = _action(
        menu, translate("MainWindow", "&Expand all modules"), modules.expand_all)
    _colour_menu(window, menu.addMenu(translate("MainWindow", "C&olour nodes by")))
    directions = menu.addMenu(translate("MainWindow", "&Direction"))
    for rankdir, text in (("TB", translate("MainWindow", "Top to bottom")),
                          ("LR", translate("MainWindow", "Left to right")),
                          ("BT", translate("MainWindow", "Bottom to top")),
                          ("RL", translate("MainWindow", "Right to left"))):
        _choice(window, directions, f"rankdir:{rankdir}", text,
                lambda r=rankdir: builds.set_rankdir(r))
    themes = menu.addMenu(translate("MainWindow", "&Theme"))
    for name in theme_names():
        _choice(window, themes, f"theme:{name}", translate("MainWindow", get_theme(name).label),
                lambda n=name: window.set_theme(n))
    languages = menu.addMenu(translate("MainWindow", "&Language"))
    for lang in (None, *LANGUAGES):
        text = LANGUAGE_NAMES.get(lang, translate("MainWindow", "System language"))
        _choice(window, languages, f"language:{lang}", text,
                lambda lang=lang: _set_language(window, lang))


def _colour_menu(window, menu: QMenu) -> None:
    from ..graph.colour_by import CHOICES, choice_names

    colouring, names = window.aids.colouring, choice_names()
    for measure in CHOICES:
        _choice(window, menu, f"colour:{measure}", names[measure],
                lambda m=measure: colouring.set_measure(m))
    colouring.changed.connect(lambda _m: sync_view_actions(window))


def _help_menu(window, menu: QMenu) -> None:
    help_ = window.help
    _action(menu, translate("MainWindow", "&Keyboard shortcuts"), help_.show_shortcuts, "F1")
    _action(menu, translate("MainWindow", "&How to read this graph"), help_.show_reading_guide)
    menu.addSeparator()
    _action(menu, translate("MainWindow", "&About gradviz"), help_.show_about)


def _choice(window, menu: QMenu, key: str, text: str, slot) -> None:
    """A checkable action, exclusive within ``menu``."""
    group = menu.findChild(QActionGroup) or QActionGroup(menu)
    action = _action(menu, text, slot)
    action.setCheckable(True)
    group.addAction(action)
    window.menu_actions[key] = action


def _set_language(window, lang: str | None) -> None:
    window.settings.set_language(lang)
    sync_view_actions(window)
    window.statusBar().showMessage(
        translate("MainWindow", "The language changes the next time gradviz starts."), 8000)


def sync_view_actions(window) -> None:
    """Check the View entries that match the window's state."""
    actions = getattr(window, "menu_actions", None)
    if not actions:
        return
    state = window.state
    actions["show_saved"].setChecked(state.saved_shown)
    actions["forward"].setChecked(window.player.forward_replay)
    actions["presentation"].setChecked(window.presentation.active)
    modules = window.modules
    actions["collapse_all"].setEnabled(bool(modules.modules())
                                       and modules.collapsed != set(modules.modules()))
    actions["expand_all"].setEnabled(bool(modules.collapsed))
    checked = {f"rankdir:{state.rankdir}", f"theme:{state.theme}",
               f"language:{window.settings.language()}",
               f"colour:{window.aids.colouring.measure}"}
    measured = window.aids.colouring.choices()
    for key, action in actions.items():
        if key.startswith("colour:"):
            action.setEnabled(key[7:] in measured)
    for key, action in actions.items():
        if ":" in key:
            action.setChecked(key in checked)
