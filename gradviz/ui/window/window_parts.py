"""The main window's widgets: the graph column in the centre and the docks around it.

:func:`make_widgets` builds them on a :class:`~gradviz.ui.window.main_window.MainWindow`
and sets them as its attributes (``graph``, ``timeline``, ``explanation``, ``editor``,
``variables``, ``gradients``, ``paths_panel``, ``problems``, ``flow``, …). Their strings
keep the window's translation context ("MainWindow").
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QPushButton, QVBoxLayout, QWidget

from ..base.i18n import translate
from ..base.themes import VisibleIndicatorStyle
from ..panels.explanation_bar import ExplanationBar
from ..panels.flow_panel import GradientFlowPanel
from ..panels.function_editor import FunctionEditor
from ..panels.gradients_panel import GradientsPanel
from ..panels.lesson_panel import LessonPanel
from ..panels.paths_panel import PathsPanel
from ..panels.problems_panel import ProblemsPanel
from ..panels.source_link import SourceLink
from ..panels.variables_table import VariablesTable
from ..viewer.graph_panel import GraphPanel
from ..viewer.timeline import Timeline
from . import menus

RIGHT = Qt.DockWidgetArea.RightDockWidgetArea


def make_widgets(window) -> None:
    """Graph, timeline and explanation in the centre; function (left); gradients, and
    paths / problems / gradient flow as tabs (right, paths in front)."""
    _make_centre(window)
    left = _make_function_column(window)
    menus.add_dock(window, "FunctionDock", translate("MainWindow", "Function"), left,
                   Qt.DockWidgetArea.LeftDockWidgetArea, 300)
    window.gradients = GradientsPanel()
    menus.add_dock(window, "GradientsDock", translate("MainWindow", "Gradients"),
                   window.gradients, RIGHT, 290)
    window.paths_panel = PathsPanel()
    paths = menus.add_dock(window, "PathsDock", translate("MainWindow", "Paths"),
                           window.paths_panel, RIGHT, 290)
    window.source_link = SourceLink(window.editor, window.graph.view, window.paths_panel,
                                    window, code_view=window.lesson_panel.code)
    window.problems = ProblemsPanel(window.player)
    window.flow = GradientFlowPanel(window.player)
    for name, title, panel in (
            ("ProblemsDock", translate("MainWindow", "Problems"), window.problems),
            ("FlowDock", translate("MainWindow", "Gradient flow"), window.flow)):
        window.tabifyDockWidget(paths, menus.add_dock(window, name, title, panel, RIGHT, 290))
    paths.raise_()


def _make_centre(window) -> None:
    window.graph = GraphPanel()
    window.graph.set_gradient_source(lambda node: window.player.state().node_grads.get(node))
    window.timeline = Timeline(window.player)
    window.explanation = ExplanationBar()
    central = QWidget()
    column = QVBoxLayout(central)
    column.setContentsMargins(0, 0, 0, 0)
    column.setSpacing(0)
    for widget, stretch in ((window.graph, 1), (window.timeline, 0), (window.explanation, 0)):
        column.addWidget(widget, stretch)
    window.setCentralWidget(central)


def _make_function_column(window) -> QWidget:
    window.lesson_panel = LessonPanel()
    window.editor = FunctionEditor()
    window.variables = VariablesTable()
    window._indicator_style = VisibleIndicatorStyle()  # kept: setStyle does not own it
    window.variables.setStyle(window._indicator_style)
    window.build_button = QPushButton(translate("MainWindow", "Build (Enter)"))
    window.variables_label = QLabel(translate("MainWindow", "Variables"))
    left = QWidget()
    column = QVBoxLayout(left)
    for widget in (window.lesson_panel, window.editor, window.variables_label,
                   window.variables, window.build_button):
        column.addWidget(widget)
    column.addStretch(1)
    return left
