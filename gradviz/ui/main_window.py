"""The main window: editor and variables (left), graph (centre), gradients (right), replay.

The window owns the evaluation worker (started right after the window first
shows, so it paints before torch loads anywhere), one build task at a time,
and the :class:`~gradviz.ui.player.Player`. Views subscribe to the player;
:class:`SceneReplay` applies its states to the graph's items.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QActionGroup, QColor, QKeySequence, QPalette
from PySide6.QtWidgets import (
    QApplication,
    QDockWidget,
    QLabel,
    QMainWindow,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from .errors import ErrorReporter
from .explanation_bar import ExplanationBar
from .function_editor import FunctionEditor
from .gradients_panel import GradientsPanel
from .graph_panel import GraphPanel
from .player import Player
from .step_view import apply_step
from .tasks import STAGES, BuildRunner
from .themes import get_theme, theme_names
from .timeline import Timeline
from .variables_table import VariableRow, VariablesTable, names_in_expression

FRAME_MS = 320  # longest pause on each value of a leaf's accumulating .grad


@dataclass(frozen=True)
class Example:
    """A function of the Examples menu with its variables (name, value, requires_grad)."""

    title: str
    expression: str
    variables: tuple[tuple[str, str, bool], ...]


EXAMPLES = (
    Example("Seed: 5x³ + 2x² + 4x + 8", "5*x**3 + 2*x**2 + 4*x + 8", (("x", "2.0", True),)),
    Example("Neuron: sigmoid(w·x + b)", "sigmoid(w*x + b)",
            (("w", "0.5", True), ("x", "2.0", False), ("b", "-1.0", True))),
    Example("Product and exponential", "x*y + exp(x*y)", (("x", "1.0", True), ("y", "0.5", True))),
    Example("Power: x^y", "x**y", (("x", "2.0", True), ("y", "3.0", True))),
    Example("Dot product", "dot(v, w)", (("v", "[1.0, 2.0, 3.0]", True),
                                         ("w", "[4.0, 5.0, 6.0]", True))),
    Example("ReLU layer, summed", "sum(relu(W @ v + b))",
            (("W", "[[0.5, -1.0, 2.0], [1.0, 0.5, -0.5]]", True), ("v", "[1.0, 2.0, 3.0]", False),
             ("b", "[0.1, -0.2]", True))),
    Example("MSE of a linear model", "mse_loss(w*x + b, y)",
            (("w", "0.5", True), ("b", "0.0", True), ("x", "[1.0, 2.0, 3.0]", False),
             ("y", "[2.0, 4.0, 6.0]", False))),
    Example("Softmax cross-entropy", "cross_entropy(z, 0)", (("z", "[2.0, 1.0, 0.1]", True),)),
)


class SceneReplay(QObject):
    """Draws the player's current state on the scene (through :func:`apply_step`).

    At an AccumulateGrad step the leaf's badge passes through the running sums
    (4 → 12 → 72) on a short timer; any other step change ends that at once.
    """

    def __init__(self, player: Player, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.player = player
        self.scene = None
        self._leaf: str | None = None
        self._frames: list = []
        self._timer = QTimer(self)
        self._timer.timeout.connect(self._next_frame)

    def set_scene(self, scene) -> None:
        """Draw on ``scene`` from now on (None: nothing)."""
        self._timer.stop()
        self._frames = []
        self.scene = scene

    def apply(self) -> None:
        """Draw the player's current step; start the accumulation frames if any."""
        self._timer.stop()
        self._frames = []
        if self.scene is None or self.player.snapshot is None:
            return
        frames = self.player.frames()
        self._leaf = self._accumulating_leaf()
        if self._leaf is None or len(frames) < 2:
            apply_step(self.scene, self.player.state())
            return
        self._frames = list(frames)
        self._next_frame()
        self._timer.start(min(FRAME_MS, self.player.interval_ms // (len(frames) + 1)))

    def finish(self) -> None:
        """Jump to the end of a running accumulation (its last frame is the final .grad)."""
        if self._frames:
            self._frames = self._frames[-1:]
            self._next_frame()

    def is_animating(self) -> bool:
        """True while an accumulation's frames are being shown."""
        return bool(self._frames)

    def _accumulating_leaf(self) -> str | None:
        """The leaf node whose AccumulateGrad the current step ran, if any."""
        snapshot, state = self.player.snapshot, self.player.state()
        if state.active is None:
            return None
        name = snapshot.steps[state.active].variable
        nodes = [v.node for v in snapshot.variables if v.name == name]
        return nodes[0] if nodes and nodes[0] in self.scene.node_items else None

    def _next_frame(self) -> None:
        if self._frames and self.scene is not None:
            value = self._frames.pop(0)
            apply_step(self.scene, self.player.state(), {self._leaf: value})
        if not self._frames:
            self._timer.stop()


class MainWindow(QMainWindow):
    """gradviz's window. ``built(snapshot)`` / ``build_failed(message)`` report each build."""

    built = Signal(object)
    build_failed = Signal(str)

    def __init__(self, args=None, *, worker=None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        from ..cli import app_parser  # torch-free

        self.args = args if args is not None else app_parser().parse_args([])
        self.setWindowTitle(self.tr("gradviz"))
        self.errors = ErrorReporter(self)
        self.errors.install()
        self.player = Player(parent=self)
        self.replay = SceneReplay(self.player, self)
        self._theme = get_theme(self.args.theme)
        self._make_widgets()
        self._make_docks()
        self.runner = BuildRunner(self.args, worker, self)
        self._make_status_bar()
        self._make_menus()
        self._connect()
        self._load_args()
        self.set_theme(self._theme.name)
        self._shown = False
        self.resize(1360, 860)

    # -- construction ---------------------------------------------------------------------
    def _make_widgets(self) -> None:
        self.graph = GraphPanel(theme=self._theme)
        self.timeline = Timeline(self.player)
        self.explanation = ExplanationBar()
        central = QWidget()
        column = QVBoxLayout(central)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(0)
        column.addWidget(self.graph, 1)
        column.addWidget(self.timeline)
        column.addWidget(self.explanation)
        self.setCentralWidget(central)
        self.editor = FunctionEditor()
        self.variables = VariablesTable()
        self.build_button = QPushButton(self.tr("Build (Enter)"))
        self.gradients = GradientsPanel()

    def _make_docks(self) -> None:
        left = QWidget()
        column = QVBoxLayout(left)
        column.addWidget(self.editor)
        column.addWidget(QLabel(self.tr("Variables")))
        column.addWidget(self.variables)
        column.addWidget(self.build_button)
        column.addStretch(1)
        self._dock(self.tr("Function"), left, Qt.DockWidgetArea.LeftDockWidgetArea, 300)
        self._dock(self.tr("Gradients"), self.gradients,
                   Qt.DockWidgetArea.RightDockWidgetArea, 290)

    def _dock(self, title: str, widget: QWidget, area, width: int) -> QDockWidget:
        dock = QDockWidget(title, self)
        dock.setObjectName(f"{title}Dock")
        dock.setWidget(widget)
        dock.setFeatures(QDockWidget.DockWidgetFeature.DockWidgetMovable
                         | QDockWidget.DockWidgetFeature.DockWidgetFloatable)
        self.addDockWidget(area, dock)
        self.resizeDocks([dock], [width], Qt.Orientation.Horizontal)
        return dock

    def _make_status_bar(self) -> None:
        bar = self.statusBar()
        self.progress = QProgressBar()
        self.progress.setRange(0, STAGES)
        self.progress.setMaximumWidth(160)
        self.progress.setTextVisible(False)
        self.cancel_button = QPushButton(self.tr("Cancel"))
        self.cancel_button.clicked.connect(self.runner.cancel)
        self.engine_label, self.nodes_label, self.time_label = QLabel(), QLabel(), QLabel()
        for widget in (self.progress, self.cancel_button, self.engine_label, self.nodes_label,
                       self.time_label):
            bar.addPermanentWidget(widget)
        self._show_busy(False)

    def _show_busy(self, busy: bool) -> None:
        self.progress.setVisible(busy)
        self.cancel_button.setVisible(busy)
        if busy:
            self.progress.setValue(0)
            if self.player.snapshot is None:
                self.explanation.show_message(self.tr("Building the graph…"),
                                              self.tr("The first build also starts PyTorch "
                                                      "(a few seconds)."))

    def _make_menus(self) -> None:
        bar = self.menuBar()
        file_menu = bar.addMenu(self.tr("&File"))
        self._action(file_menu, self.tr("&Build"), self.build, "Ctrl+B")
        self._action(file_menu, self.tr("&Quit"), self.close, QKeySequence.StandardKey.Quit)
        examples = bar.addMenu(self.tr("&Examples"))
        for example in EXAMPLES:
            examples.addAction(self.tr(example.title),
                               lambda e=example: self.open_example(e))
        replay = bar.addMenu(self.tr("&Replay"))
        player = self.player
        for text, slot, key in ((self.tr("Play / pause"), player.toggle, "Space"),
                                (self.tr("Step forward"), player.next, "Right"),
                                (self.tr("Step back"), player.previous, "Left"),
                                (self.tr("First step"), player.first, "Home"),
                                (self.tr("Last step"), player.last, "End")):
            self._action(replay, text, slot, key)
        view = bar.addMenu(self.tr("&View"))
        self._action(view, self.tr("&Fit the graph"), lambda: self.graph.view.fit(True), "F")
        self._action(view, self.tr("Zoom &in"), self.graph.view.zoom_in, "Ctrl++")
        self._action(view, self.tr("Zoom &out"), self.graph.view.zoom_out, "Ctrl+-")
        themes = view.addMenu(self.tr("&Theme"))
        group = QActionGroup(self)
        for name in theme_names():
            action = themes.addAction(self.tr(get_theme(name).label))
            action.setCheckable(True)
            action.setChecked(name == self._theme.name)
            action.triggered.connect(lambda _=False, n=name: self.set_theme(n))
            group.addAction(action)

    def _action(self, menu, text: str, slot, key) -> QAction:
        action = menu.addAction(text)
        action.setShortcut(QKeySequence(key))
        action.triggered.connect(slot)
        return action

    def _connect(self) -> None:
        self.editor.submitted.connect(self.build)
        self.editor.text_edited.connect(self._on_text_edited)
        self.build_button.clicked.connect(self.build)
        self.gradients.leaf_activated.connect(self.graph.view.select_node)
        self.graph.view.node_clicked.connect(self._update_inspector)
        self.player.step_changed.connect(self._on_step_changed)
        runner = self.runner
        runner.started.connect(lambda: self._show_busy(True))
        runner.progress.connect(self._on_progress)
        runner.finished.connect(self._on_built)
        runner.failed.connect(self._on_build_failed)
        runner.crashed.connect(self.errors.report)
        runner.cancelled.connect(self._on_cancelled)

    def _load_args(self) -> None:
        """Editor and table from the command line (the seed when no function is given)."""
        from ..cli import SEED_EXPRESSION, SEED_VARIABLES

        args = self.args
        if args.script:
            self.editor.setEnabled(False)
            return
        expression = args.expression or SEED_EXPRESSION
        variables = args.var or ([] if args.expression else SEED_VARIABLES)
        rows = [_row(text, True) for text in variables]
        rows += [_row(text, False) for text in args.const]
        self.variables.set_rows(rows)
        self.editor.set_text(expression)

    # -- commands ---------------------------------------------------------------------------
    def open_example(self, example: Example) -> None:
        """Show an example's function and variables, and build it."""
        self.variables.set_rows([VariableRow(*v) for v in example.variables])
        self.editor.set_text(example.expression)
        self.build()

    def build(self) -> None:
        """Build what the editor and the table say (cancels a build in progress)."""
        text = self.editor.text()
        if not text:
            self.editor.set_error(self.tr("Type a function first, e.g. 5*x**3 + 2*x"))
            return
        self._on_text_edited(text)
        self.editor.clear_error()
        payload = self.runner.payload(text, self.variables.variables(),
                                      self.variables.constants())
        self.runner.start(payload)

    def set_theme(self, name: str) -> None:
        """Switch the graph and the panels to a bundled theme."""
        theme = self._theme = get_theme(name)
        self.graph.set_theme(theme)
        self.setPalette(theme_palette(theme))
        self.editor.set_dark(theme.color("background").lightness() < 128)
        self.explanation.set_font_scale(theme.font_scale)
        self.gradients.set_font_scale(theme.font_scale)

    def settle(self) -> None:
        """End running animations (accumulation frames): what a screenshot should show."""
        self.replay.finish()

    # -- slots --------------------------------------------------------------------------------
    def _on_text_edited(self, text: str) -> None:
        names = names_in_expression(text)
        if names is not None:
            self.variables.set_names(names)

    def _on_progress(self, done: int, total: int) -> None:
        self.progress.setValue(done)
        stages = (self.tr("Starting PyTorch…"), self.tr("Running the function and backward…"),
                  self.tr("Laying out the graph…"))
        if done < len(stages):
            self.statusBar().showMessage(stages[done])

    def _on_cancelled(self) -> None:
        self._show_busy(False)
        self.statusBar().showMessage(self.tr("Build cancelled"), 4000)

    def _on_built(self, snapshot, seconds: float) -> None:
        self._show_busy(False)
        self.statusBar().clearMessage()
        self.engine_label.setText(self.tr("layout: {0}").format(snapshot.layout.engine))
        self.nodes_label.setText(self.tr("{0} nodes, {1} steps").format(
            len(snapshot.nodes), len(snapshot.steps)))
        self.time_label.setText(self.tr("built in {0:.2f} s").format(seconds))
        self.editor.clear_error()
        scene = self.graph.set_snapshot(snapshot)
        self.replay.set_scene(scene)
        self.gradients.set_snapshot(snapshot)
        self.explanation.set_snapshot(snapshot)
        self.variables.set_shapes({v.name: v.shape for v in snapshot.variables})
        self.player.set_snapshot(snapshot)
        self.setWindowTitle(self.tr("gradviz — {0}").format(snapshot.source))
        self.built.emit(snapshot)

    def _on_build_failed(self, message: str, column) -> None:
        self._show_busy(False)
        self.statusBar().showMessage(self.tr("Build failed"), 4000)
        self.editor.set_error(message, column)
        self.build_failed.emit(message)

    def _on_step_changed(self, k: int) -> None:
        self.replay.apply()
        state = self.player.state()
        self.gradients.set_state(state)
        self.explanation.set_step(k)
        self._update_inspector()
        self._follow(state.active_node)

    def _update_inspector(self, *_args) -> None:
        inspector = self.graph.inspector
        if inspector.node_id is not None and self.player.snapshot is not None:
            inspector.set_gradient(self.player.state().node_grads.get(inspector.node_id))

    def _follow(self, node_id: str | None) -> None:
        """While playing, bring the active node into view if it is outside."""
        scene = self.graph.scene()
        if not self.player.playing or node_id is None or scene is None:
            return
        item = scene.node_items.get(node_id)
        view = self.graph.view
        if item is not None and not view.visible_scene_rect().contains(item.rect()):
            view.focus_node(node_id, zoom=view.zoom())

    # -- Qt events ------------------------------------------------------------------------------
    def showEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        """Start the worker (torch loads in the child) once the window has painted."""
        super().showEvent(event)
        if not self._shown:
            self._shown = True
            QTimer.singleShot(0, self._first_build)

    def _first_build(self) -> None:
        """Spawn the worker, then build what the command line (or the seed) says."""
        from ..cli import payload_from_args

        try:
            self.runner.start_worker()
        except Exception as exc:  # noqa: BLE001 - shown; the build then says what failed
            self.errors.report(exc)
        if self.args.script:
            self.runner.start(payload_from_args(self.args))
        else:
            self.build()

    def closeEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        """Stop the replay, the build and the worker; put the error hooks back."""
        self.player.pause()
        self.replay.set_scene(None)
        self.runner.shutdown()
        self.errors.uninstall()
        super().closeEvent(event)


def theme_palette(theme) -> QPalette:
    """The widgets' palette for a theme: panels in the theme's colours (dark stays dark)."""
    palette = QPalette(QApplication.style().standardPalette())
    if theme.color("background").lightness() >= 128:
        return palette
    roles = QPalette.ColorRole
    for role, key in ((roles.Window, "panel"), (roles.WindowText, "panel_text"),
                      (roles.Base, "background"), (roles.AlternateBase, "panel"),
                      (roles.Text, "panel_text"), (roles.Button, "panel"),
                      (roles.ButtonText, "panel_text"), (roles.ToolTipBase, "panel"),
                      (roles.ToolTipText, "panel_text"), (roles.PlaceholderText, "muted_text"),
                      (roles.Highlight, "accent"), (roles.BrightText, "text")):
        palette.setColor(role, theme.color(key))
    for role, factor in ((roles.Light, 160), (roles.Midlight, 130), (roles.Mid, 250),
                         (roles.Dark, 300), (roles.Shadow, 400)):
        palette.setColor(role, theme.color("muted_text").darker(factor))
    palette.setColor(roles.HighlightedText, QColor("#ffffff"))
    return palette


def _row(text: str, requires_grad: bool) -> VariableRow:
    name, _, value = text.partition("=")
    return VariableRow(name.strip(), value.strip() or "1.0", requires_grad)
