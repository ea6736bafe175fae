"""The main window: editor and variables (left), graph (centre), gradients (right), replay.

The window owns the evaluation worker (started right after the window first
shows, so it paints before torch loads anywhere), one build at a time, the
:class:`~gradviz.ui.viewer.player.Player` and the open lesson
(:class:`~gradviz.ui.window.lesson_ui.LessonController`). Views subscribe to the
player; :class:`~gradviz.ui.viewer.replay.SceneReplay` draws its states on the graph.
Menus live in :mod:`gradviz.ui.window.menus`, settings in :mod:`gradviz.ui.base.settings`.
"""

from __future__ import annotations

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import QMainWindow, QWidget

from ...core.graph.formatting import format_compact
from ...core.runtime.request import AppConfig, Expression, Script
from ..base.errors import ErrorReporter
from ..base.i18n import current_language
from ..base.settings import AppSettings
from ..base.themes import get_theme, theme_names
from ..export.export_actions import ExportActions
from ..graph.overlays import CanvasAids
from ..panels.variables_table import VariableRow, names_in_expression
from ..viewer.folds_ui import fold_message, show_fold_menu
from ..viewer.modules_ui import ModuleCollapser
from ..viewer.player import Player
from ..viewer.replay import SceneReplay, follow_active_node
from . import menus
from .app_state import AppState
from .build_views import BuildViews
from .builds import BuildController
from .help import HelpController
from .lesson_ui import LessonController, dropped_lesson, row_from_text
from .lesson_views import LessonViews
from .presentation import PresentationMode
from .window_parts import make_widgets

__all__ = ["MainWindow", "SceneReplay"]


class MainWindow(QMainWindow):
    """gradviz's window. ``built(snapshot)`` / ``build_failed(message)`` report each build.

    ``snapshot``: show this already-built Snapshot instead of building (the
    Python API's ``gradviz.show``); no worker is started then.
    """

    built = Signal(object)
    build_failed = Signal(str)
    closed = Signal()  # the window closed (its close was not cancelled)

    def __init__(self, config: AppConfig | None = None, *, worker=None,
                 settings: AppSettings | None = None, language: str | None = None,
                 snapshot=None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.config = config if config is not None else AppConfig()
        self.settings = settings if settings is not None else AppSettings()
        self.language = language or self.config.language or current_language()
        self._given = snapshot
        self._remember = self.config.remember
        self.errors = ErrorReporter(self)
        self.errors.install()
        self.player = Player(parent=self)
        self.replay = SceneReplay(self.player, self)
        self._shown = False
        self._theme = get_theme(self._initial_theme())
        self.state = AppState(self.config.request.options, self._theme.name, self)
        make_widgets(self)
        self.builds = BuildController(BuildViews.of(self), self.state, self.config.request,
                                      worker, parent=self)
        self.lessons = LessonController(LessonViews.of(self), self.state, parent=self)
        self.modules = ModuleCollapser(self)  # module boxes collapsed into single nodes
        self.help = HelpController(self, self.state, self.config.request.options.engine)
        self.exports = ExportActions(self)
        self.aids = CanvasAids(self)  # the canvas legend, the gradient flow markers
        if self.config.colour_by:
            self.aids.colouring.set_measure(self.config.colour_by)
        self.presentation = PresentationMode(self)
        menus.make_menus(self)
        self._connect()
        self.set_theme(self._theme.name, remember=False)
        self.setAcceptDrops(True)
        self.resize(1360, 860)
        self._restore_settings()
        self._load_args()

    # -- construction ---------------------------------------------------------------------
    def _connect(self) -> None:
        self.editor.submitted.connect(self.build)
        self.editor.text_edited.connect(self._on_text_edited)
        self.build_button.clicked.connect(self.build)
        self.gradients.leaf_activated.connect(self.graph.view.select_node)
        self.problems.node_activated.connect(self.graph.view.select_node)
        self.flow.node_activated.connect(self.graph.view.select_node)
        self.flow.nodes_activated.connect(self.aids.mark_nodes)
        self.player.step_changed.connect(self._on_step_changed)
        self.graph.view.collapse_requested.connect(self.modules.collapse)
        self.graph.view.expand_requested.connect(self.modules.expand)
        self.graph.view.fold_menu_requested.connect(
            lambda node, pos: show_fold_menu(self, node, pos))
        self.modules.shown.connect(self._on_modules_shown)
        self.modules.failed.connect(self._on_modules_failed)
        runner = self.builds.runner
        runner.finished.connect(self._on_built)
        runner.failed.connect(self._on_build_failed)
        runner.crashed.connect(self.errors.report)
        self.lessons.changed.connect(self._update_title)

    @property
    def runner(self):
        """The :class:`~gradviz.ui.window.tasks.BuildRunner` (owns the worker)."""
        return self.builds.runner

    def _initial_theme(self) -> str:
        stored = self.settings.theme(theme_names()) if self._remember else None
        return self.config.theme or stored or get_theme(None).name

    def _restore_settings(self) -> None:
        if self.settings.notice:
            self.statusBar().showMessage(self.settings.notice, 15000)
        if not self._remember:
            return
        self.player.set_speed(self.settings.speed())
        self.player.speed_changed.connect(self.settings.set_speed)
        for key, restore in (("geometry", self.restoreGeometry),
                             ("window_state", self.restoreState)):
            saved = self.settings.geometry(key)
            if saved is not None:
                restore(saved)

    def _load_args(self) -> None:
        """Editor and table from the configuration: a lesson file, a function, or a script."""
        source = self.config.request.source
        if self._given is not None or isinstance(source, Script):
            self.editor.set_text(self._given.source if self._given is not None else "")
            given = self._given.variables if self._given is not None else []
            # the source is a name ("Sequential", a path), not a function to parse for names
            self.variables.set_rows([VariableRow(v.name, format_compact(v.value), v.requires_grad)
                                     for v in given])
            for widget in (self.editor, self.variables, self.build_button):
                widget.setEnabled(False)
            return
        if self.config.lesson and self.lessons.open_path(self.config.lesson):
            return
        if isinstance(source, Expression):
            rows = [row_from_text(text, True) for text in source.variables]
            rows += [row_from_text(text, False) for text in source.constants]
            self.variables.set_rows(rows)
            self.editor.set_text(source.text)

    # -- commands ---------------------------------------------------------------------------
    def build(self) -> None:
        """Build what the editor and the table say (cancels a build in progress)."""
        fn = self.lessons.function
        if fn is not None and fn.code is not None:
            self.lessons.run_code()
            return
        text = self.editor.text()
        if not text:
            self.editor.set_error(self.tr("Type a function first, e.g. 5*x**3 + 2*x"))
            return
        self._on_text_edited(text)
        self.editor.clear_error()
        if fn is not None:  # the lesson's dtype, seed, reduction and view, as export has them
            from ...core.lesson.files import function_request

            lesson = self.lessons.current()
            request = function_request(lesson.functions[self.lessons.index], allow_code=False,
                                       view=lesson.view)
        else:
            request = self.config.request.with_function(text, self.variables.variables(),
                                                        self.variables.constants())
        self.builds.start(request)

    def set_theme(self, name: str, *, remember: bool = True) -> None:
        """Switch the graph and the panels to a bundled theme."""
        theme = self._theme = get_theme(name)
        self.graph.set_theme(theme)
        self.setPalette(theme.qpalette())
        self.editor.set_dark(theme.is_dark())
        self.explanation.set_font_scale(theme.font_scale)
        self.gradients.set_font_scale(theme.font_scale)
        self.aids.apply_theme(theme)
        self.paths_panel.set_font_scale(theme.font_scale)
        self.state.theme = theme.name
        if remember and self._remember:
            self.settings.set_theme(theme.name)

    def theme_name(self) -> str:
        """The name of the theme shown."""
        return self._theme.name

    def settle(self) -> None:
        """End running animations (accumulation frames): what a screenshot should show."""
        self.replay.finish()

    # -- lessons ------------------------------------------------------------------------------
    def _update_title(self) -> None:
        name = self.lessons.name()
        self.setWindowTitle(self.tr("gradviz — {0}").format(name) if name else self.tr("gradviz"))
        menus.fill_recent_menu(self)

    # -- slots --------------------------------------------------------------------------------
    def _on_text_edited(self, text: str) -> None:
        names = names_in_expression(text)
        if names is not None:
            self.variables.set_names(names)

    def _on_built(self, snapshot, seconds: float = 0.0) -> None:
        self.builds.show_built(snapshot, seconds)
        self.editor.clear_error()
        self.modules.set_base(snapshot)
        self._show(snapshot)
        folded = fold_message(snapshot)  # a big graph's first picture: folded, said so
        if folded:
            self.statusBar().showMessage(folded)
        self.variables.set_shapes({v.name: v.shape for v in snapshot.variables})
        self.player.set_snapshot(snapshot)
        if self.lessons.lesson is None:
            self.setWindowTitle(self.tr("gradviz — {0}").format(snapshot.source))
        self.built.emit(snapshot)

    def _show(self, snapshot) -> None:
        """Draw ``snapshot`` and explain it (the player is set by the caller)."""
        self.replay.set_scene(self.graph.set_snapshot(snapshot))
        self.aids.set_scene(self.replay.scene)
        self.source_link.set_scene(self.graph.scene())
        self.gradients.set_snapshot(snapshot)
        self.explanation.set_snapshot(snapshot, self.lessons.step_notes(self.builds.request))

    def show_relaid(self, snapshot) -> None:
        """The same function laid out anew (another direction): same replay, same step."""
        self._on_modules_shown(snapshot)

    def _on_modules_shown(self, snapshot) -> None:
        """Modules collapsed or expanded: the same replay on the new drawing, same step."""
        if "fold_level" not in snapshot.meta:
            self.statusBar().clearMessage()  # "opened folded" is no longer what is shown
        self._show(snapshot)
        self.player.replace_snapshot(snapshot)

    def _on_modules_failed(self, error) -> None:
        self.statusBar().showMessage(self.tr("Could not lay out the collapsed graph: {0}")
                                     .format(error), 8000)

    def _on_build_failed(self, message: str, column) -> None:
        self.editor.set_error(message, column)
        self.build_failed.emit(message)

    def _on_step_changed(self, k: int) -> None:
        self.replay.apply()
        self.gradients.set_state(self.player.state())
        self.explanation.show_state(self.player.state())
        self.graph.refresh_inspector()
        follow_active_node(self.graph.view, self.player)

    # -- Qt events ------------------------------------------------------------------------------
    def showEvent(self, event) -> None:
        """Start the worker (torch loads in the child) once the window has painted."""
        super().showEvent(event)
        if not self._shown:
            self._shown = True
            QTimer.singleShot(0, lambda: self.builds.first_build(self._given))

    def closeEvent(self, event) -> None:
        """Ask about unsaved changes; stop the replay, the build and the worker."""
        if not self.lessons.maybe_save():
            event.ignore()
            return
        self.presentation.leave()  # the window state to remember is the normal one
        self.modules.shutdown()
        if self._remember:
            self.settings.set_geometry(self.saveGeometry(), self.saveState())
            self.settings.sync()
        self.player.pause()
        self.replay.set_scene(None)
        self.runner.shutdown()
        self.errors.uninstall()
        super().closeEvent(event)
        self.closed.emit()

    def dragEnterEvent(self, event) -> None:
        """Accept a dragged ``.gradviz.json`` file."""
        if dropped_lesson(event) is not None:
            event.acceptProposedAction()

    def dropEvent(self, event) -> None:
        """Open a dropped lesson file."""
        path = dropped_lesson(event)
        if path is not None:
            event.acceptProposedAction()
            QTimer.singleShot(0, lambda: self.lessons.open_path(path))
