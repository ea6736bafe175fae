"""The window's builds: their options (backward calls, saved tensors, direction) and status.

:class:`BuildController` owns the :class:`~gradviz.ui.window.tasks.BuildRunner`, the
options every build gets, and the status bar's widgets. "Run backward again"
adds a backward call (``.grad`` accumulates: 72 → 144 on the seed); "Zero
grad" goes back to one. A build that takes long, or a graph with thousands of
nodes while saved tensors are shown, is said in words with the lighter
setting one click away ("Hide saved tensors"), instead of a silent wait.
"""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import QObject, QTimer
from PySide6.QtWidgets import QLabel, QProgressBar, QPushButton

from ...core.graph.formatting import format_fixed
from ...core.lesson.format import MAX_RUNS
from ...core.runtime.job import STAGES
from ...core.runtime.request import BuildRequest, Expression, LessonCode, Script
from .app_state import AppState
from .build_views import BuildViews
from .tasks import BuildRunner

BIG_GRAPH_NODES = 3000  # with saved tensors shown, Graphviz slows down sharply past this
SLOW_BUILD_MS = 4000  # a build still running after this long is explained


class BuildController(QObject):
    """Starts builds with the state's options; shows progress, Cancel, "Hide saved
    tensors", and the engine, size and time of each build in the status bar.

    It sees its :class:`BuildViews`, the :class:`AppState` (runs, saved tensors,
    direction: the menus follow it) and ``base``, the command line's request (its
    limits and engine), never the rest of the window.
    """

    def __init__(self, views: BuildViews, state: AppState, base: BuildRequest, worker=None,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.views, self.state, self.base = views, state, base
        self.runner = BuildRunner(self.base, worker, self)
        self.request: BuildRequest | None = None  # the last build's (or the first, until ready)
        self.ready = False  # the worker was started: builds may run
        self._make_status_bar()
        self._slow = QTimer(self, singleShot=True, interval=SLOW_BUILD_MS)
        self._slow.timeout.connect(self._on_slow)
        self.cancel_button.clicked.connect(self.runner.cancel)
        self.lighter_button.clicked.connect(lambda: self.set_show_saved(False))
        self.runner.started.connect(lambda: self._show_busy(True))
        self.runner.progress.connect(self._on_progress)
        self.runner.failed.connect(self._on_failed)
        self.runner.cancelled.connect(self._on_cancelled)
        self.runner.finished.connect(lambda *_: self._show_busy(False))
        self._show_busy(False)
        self.lighter_button.hide()

    # -- commands -----------------------------------------------------------------------------
    def start(self, request: BuildRequest) -> None:
        """Build ``request`` with the state's runs, saved tensors and direction, and the
        command line's limits and engine."""
        request = replace(request, timeout=self.base.timeout,
                          max_memory_gib=self.base.max_memory_gib)
        state = self.state
        self.request = request.with_options(runs=state.runs, show_saved=state.show_saved,
                                            rankdir=state.rankdir,
                                            engine=self.base.options.engine)
        if self.ready:
            self.runner.start(self.request)

    def first_build(self, given=None) -> None:
        """Show the ``given`` Snapshot, or spawn the worker and build what was asked."""
        if given is not None:  # shown as if just built (gradviz.show)
            self.runner.finished.emit(given, 0.0)
            return
        try:
            self.runner.start_worker()
        except Exception as exc:  # noqa: BLE001 - shown; the build then says what failed
            self.views.report_error(exc)
        self.ready = True
        if isinstance(self.base.source, Script):
            self.start(self.base)
        elif self.request is not None:
            self.start(self.request)
        elif self.views.editor_enabled():
            self.views.build()

    def rebuild(self) -> None:
        """Build the last function again (after a change of runs or view settings)."""
        source = self.request.source if self.request is not None else None
        if source is not None and not isinstance(source, Expression):
            if isinstance(source, LessonCode) and self.views.code_on_screen() != source.code:
                return  # another lesson's code: never run under this lesson's panel
            self.start(self.request)  # a script or trusted lesson code
        elif self.views.editor_enabled():
            self.views.build()

    def run_backward_again(self) -> None:
        """One more backward call on the same graph: .grad accumulates (72 → 144)."""
        self.state.runs = min(self.state.runs + 1, MAX_RUNS)
        self.rebuild()

    def zero_grad(self) -> None:
        """Back to one backward call, as after ``optimizer.zero_grad()``."""
        self.state.runs = 1
        self.rebuild()

    def toggle_saved(self) -> None:
        """View → Show saved tensors: the opposite of what the graph shows now."""
        self.set_show_saved(not self.state.saved_shown)

    def set_show_saved(self, show: bool) -> None:
        """Show or hide saved tensors (hiding makes big graphs much lighter); rebuilds."""
        if show != self.state.show_saved:
            self.state.show_saved = show
            self.rebuild()

    def set_rankdir(self, rankdir: str) -> None:
        """The graph's direction (TB, LR, BT, RL); rebuilds."""
        if rankdir != self.state.rankdir:
            self.state.rankdir = rankdir
            self.rebuild()

    # -- status bar ---------------------------------------------------------------------------
    def _make_status_bar(self) -> None:
        bar = self.views.status
        self.progress = QProgressBar()
        self.progress.setRange(0, STAGES)
        self.progress.setMaximumWidth(160)
        self.progress.setTextVisible(False)
        self.cancel_button = QPushButton(self.tr("Cancel"))
        self.lighter_button = QPushButton(self.tr("Hide saved tensors"))
        self.lighter_button.setToolTip(self.tr("Saved tensors make big graphs much slower to "
                                               "lay out; hide them to build faster"))
        self.engine_label, self.nodes_label, self.time_label = QLabel(), QLabel(), QLabel()
        for widget in (self.progress, self.cancel_button, self.lighter_button,
                       self.engine_label, self.nodes_label, self.time_label):
            bar.addPermanentWidget(widget)

    def _show_busy(self, busy: bool) -> None:
        self.progress.setVisible(busy)
        self.cancel_button.setVisible(busy)
        if not busy:
            self._slow.stop()
            return
        self.lighter_button.hide()
        self.progress.setValue(0)
        self._slow.start()
        if not self.views.has_snapshot():
            self.views.explanation.show_message(
                self.tr("Building the graph…"),
                self.tr("The first build also starts PyTorch (a few seconds)."))

    def _on_progress(self, done: int, total: int) -> None:
        self.progress.setValue(done)
        stages = (self.tr("Starting PyTorch…"), self.tr("Running the function and backward…"),
                  self.tr("Laying out the graph…"))
        if done < len(stages):
            self.views.status.showMessage(stages[done])

    def _on_slow(self) -> None:
        """Still building: say what is happening and offer the lighter setting."""
        if not self.runner.is_busy():
            return
        text = self.tr("Still building: big graphs take a while to lay out. "
                       "Cancel stops it.")
        if self.state.show_saved is True:
            text = self.tr("Still building: big graphs take a while to lay out, and saved "
                           "tensors add many nodes. Hide them to build much faster, "
                           "or Cancel.")
            self.lighter_button.show()
        self.views.status.showMessage(text)

    def _on_cancelled(self) -> None:
        self._show_busy(False)
        self.views.status.showMessage(self.tr("Build cancelled"), 4000)

    def _on_failed(self, _message: str, _column) -> None:
        self._show_busy(False)
        self.views.status.showMessage(self.tr("Build failed"), 4000)

    def show_built(self, snapshot, seconds: float) -> None:
        """Engine, size and time of a finished build; a hint if the graph is big."""
        bar = self.views.status
        bar.clearMessage()
        self.engine_label.setText(self.tr("layout: {0}").format(snapshot.layout.engine))
        self.nodes_label.setText(self.tr("{0} nodes, {1} steps").format(
            len(snapshot.nodes), len(snapshot.steps)))
        self.time_label.setText(self.tr("built in {0} s").format(format_fixed(seconds, 2))
                                if seconds else "")
        choice = getattr(snapshot, "meta", {}).get("saved_tensors") or {}
        self.state.saved_shown = choice.get("shown", self.state.show_saved is not False)
        big = self.state.saved_shown and len(snapshot.nodes) > BIG_GRAPH_NODES
        self.lighter_button.setVisible(big)
        if choice.get("auto") and not self.state.saved_shown:
            bar.showMessage(self.tr("Saved tensors hidden: the graph has over {0} backward "
                                    "nodes. View → Show saved tensors shows them.")
                            .format(choice.get("limit")))
        if big:
            bar.showMessage(self.tr("A big graph ({0} nodes, saved tensors included): hide "
                                    "saved tensors for a lighter, faster graph.")
                            .format(len(snapshot.nodes)))
        warning = snapshot.meta.get("layout_warning")
        if warning:  # the engine asked for was not the one used: say so, and how to get it
            text = (self.tr("Layout engine {0} not installed: laid out with {1}. To get it: {2}")
                    if warning["reason"] == "is not installed" else
                    self.tr("Layout engine {0} failed: laid out with {1}."))
            bar.showMessage(text.format(warning["requested"], warning["used"],
                                        warning["install"]))

    def show_code_waiting(self) -> None:
        """A lesson's code function is shown, not run: clear the graph and say what to do."""
        self.runner.cancel()
        self.request = None  # a rebuild must not run the previous function's code
        self.views.clear_function()
        self.views.explanation.show_message(
            self.tr("This function is Python code"),
            self.tr("gradviz does not run a lesson's code when it opens. Read it on the left, "
                    "then choose “Run code from this lesson…” to build its graph."))
