"""The Gradient flow panel: bars per parameter or module (the gradient's norm), or per node
or module (the bytes its saved tensors keep alive for the backward pass); lines of each
run's gradient norm over several backward runs; the chart saved as PNG or SVG.

A view of the :class:`~gradviz.ui.viewer.player.Player`'s Snapshot (the numbers come
from :mod:`gradviz.core.lens.gradient_flow` and :mod:`gradviz.core.lens.saved_memory`);
clicking a bar shows its numbers and asks the graph to select its node
(``node_activated``) or, for a module, to highlight all of its nodes (``nodes_activated``).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMenu,
    QScrollArea,
    QStackedWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from ...core.graph.formatting import format_shape
from ...core.lens.checkpoint_estimate import checkpoint_estimates
from ...core.lens.gradient_flow import FlowRow, module_flow, module_runs, parameter_flow, run_flow
from ...core.lens.saved_memory_report import memory_report
from .flow_chart import NAME_W, ROW_H, VALUE_W, ZERO_COLOUR, ChartRow, FlowChart
from .flow_lines import FlowLines
from .problems_text import localized_number

__all__ = ["NAME_W", "ROW_H", "VALUE_W", "ZERO_COLOUR", "ChartRow", "FlowChart",
           "GradientFlowPanel", "bytes_text"]


class GradientFlowPanel(QWidget):
    """A bar chart of gradient norms (per parameter or module) or of saved-tensor bytes (per
    node or module), and the clicked bar's numbers."""

    node_activated = Signal(str)
    nodes_activated = Signal(list)  # every node of the clicked bar (a module's: all of them)
    PARAMETERS, MODULES, SAVED_NODES, SAVED_MODULES, RUNS, MODULE_RUNS, CHECKPOINT = range(7)
    MAX_NODES = 40  # the biggest savers listed

    def __init__(self, player, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("GradientFlowPanel")
        self._player = player
        self._params: list[FlowRow] = []
        self.grouping = QComboBox()
        self.chart = FlowChart()
        self.lines = FlowLines()
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setWidget(self.chart)
        self.stack = QStackedWidget()
        self.stack.addWidget(scroll)
        self.stack.addWidget(self.lines)
        self.export_button = QToolButton()
        self.export_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.export_button.setMenu(QMenu(self.export_button))
        top = QHBoxLayout()
        top.addWidget(self.grouping, 1)
        top.addWidget(self.export_button)
        self.details = QLabel()
        self.details.setWordWrap(True)
        self.details.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(top)
        for widget, stretch in ((self.stack, 1), (self.details, 0)):
            layout.addWidget(widget, stretch)
        self._retranslate()
        self.grouping.currentIndexChanged.connect(self._show_rows)
        self.chart.row_clicked.connect(self._on_row_clicked)
        player.snapshot_changed.connect(self._on_snapshot_changed)
        self._on_snapshot_changed()

    def set_grouping(self, index: int) -> None:
        """Show one of PARAMETERS, MODULES, SAVED_NODES, SAVED_MODULES, RUNS, MODULE_RUNS,
        CHECKPOINT."""
        self.grouping.setCurrentIndex(index)

    def _retranslate(self) -> None:
        index = max(0, self.grouping.currentIndex())
        self.grouping.blockSignals(True)
        self.grouping.clear()
        self.grouping.addItems([self.tr("Gradient norm per parameter"),
                                self.tr("Gradient norm per module"),
                                self.tr("Saved tensors: bytes per node"),
                                self.tr("Saved tensors: bytes per module"),
                                self.tr("Gradient norm per run (lines)"),
                                self.tr("Gradient norm per module and run (lines)"),
                                self.tr("Saved tensors: what checkpointing each module "
                                        "would free")])
        self.grouping.setCurrentIndex(index)
        self.grouping.blockSignals(False)
        self.lines.x_title = self.tr("backward run")
        self.export_button.setText(self.tr("Export"))
        self.export_button.setToolTip(self.tr("Save this chart as a PNG or SVG file"))
        menu = self.export_button.menu()
        menu.clear()
        menu.addAction(self.tr("Export chart as PNG…"), lambda: self._export_dialog(".png"))
        menu.addAction(self.tr("Export chart as SVG…"), lambda: self._export_dialog(".svg"))

    def _on_snapshot_changed(self) -> None:
        snapshot = self._player.snapshot
        self._params = parameter_flow(snapshot) if snapshot is not None else []
        self._show_rows()

    def _show_rows(self) -> None:
        mode = self.grouping.currentIndex()
        self.stack.setCurrentIndex(1 if mode in (self.RUNS, self.MODULE_RUNS) else 0)
        if mode in (self.RUNS, self.MODULE_RUNS):
            self._show_runs(mode == self.MODULE_RUNS)
            return
        if mode == self.CHECKPOINT:
            rows = self._checkpoint_rows()
            empty = self.tr("No module, or no saved-tensor measurement.")
        elif mode in (self.SAVED_NODES, self.SAVED_MODULES):
            rows = self._memory_rows(mode == self.SAVED_MODULES)
            empty = self.tr("This Snapshot has no saved-tensor measurement.")
        else:
            by_module = mode == self.MODULES
            flow = module_flow(self._params) if by_module else self._params
            rows = [ChartRow(r.name or self.tr("(no module)"), r.norm,
                             "?" if r.norm is None else localized_number(r.norm),
                             r.nodes + (self._module_nodes(r.module) if by_module else []),
                             self.flow_text(r)) for r in flow]
            empty = self.tr("No parameter received a gradient.")
        self.chart.set_rows(rows)
        self.details.setText(self.tr("Click a bar for its numbers.") if rows else empty)

    def _show_runs(self, by_module: bool) -> None:
        snapshot = self._player.snapshot
        lines = run_flow(snapshot) if snapshot is not None else {}
        self.lines.set_lines(module_runs(lines) if by_module else lines)
        runs = len(next(iter(lines.values()), []))
        if not lines:
            self.details.setText(self.tr("No parameter received a gradient."))
        elif runs < 2:
            self.details.setText(self.tr("One backward run: build with --runs N (or Replay ▸ "
                                         "Run backward again) to see lines."))
        else:
            self.details.setText(self.tr("Each run's own gradient (not the accumulated .grad), "
                                         "over {0} backward runs.").format(runs))

    def current_chart(self) -> QWidget:
        """The chart shown: the bars or the lines."""
        return self.lines if self.stack.currentIndex() == 1 else self.chart

    def export_chart(self, path) -> Path:
        """Write the chart shown to ``path`` (.png or .svg)."""
        from ..export.flow_export import export_chart  # on first use: not at start-up

        return export_chart(self.current_chart(), path, title=self.grouping.currentText())

    def _export_dialog(self, suffix: str) -> None:
        kind = self.tr("PNG image (*.png)") if suffix == ".png" else self.tr("SVG image (*.svg)")
        path, _ = QFileDialog.getSaveFileName(self, self.tr("Export chart"),
                                              "gradient-flow" + suffix, kind)
        if path:
            self.export_chart(path if path.lower().endswith(suffix) else path + suffix)

    def _checkpoint_rows(self) -> list[ChartRow]:
        snapshot = self._player.snapshot
        estimates = checkpoint_estimates(snapshot) if snapshot is not None else []
        rows = []
        for e in sorted(estimates, key=lambda e: -e.estimate):
            if e.estimate >= 0:
                text = ("~" if not e.exact else "") + bytes_text(e.estimate)
            else:
                text = self.tr("costs {0}").format(bytes_text(-e.estimate))
            details = self.tr("{0}: checkpointing it would free {1} of the {2} its nodes save "
                              "for backward, and keep {3} of inputs nothing else saves: "
                              "{4} in all.").format(e.module, bytes_text(e.freed),
                                                    bytes_text(e.saved_inside),
                                                    bytes_text(e.newly_kept), text)
            rows.append(ChartRow(e.module, max(0, e.estimate), text,
                                 self._module_nodes(e.module), details))
        return rows

    def _memory_rows(self, by_module: bool) -> list[ChartRow]:
        snapshot = self._player.snapshot
        report = memory_report(snapshot) if snapshot is not None else None
        if report is None:
            return []
        total = self.tr("{0} in all, each storage counted once").format(bytes_text(report.total))
        if by_module:
            items = sorted(report.per_module.items(), key=lambda kv: -kv[1])
            return [ChartRow(m or self.tr("(no module)"), b, bytes_text(b), self._module_nodes(m),
                             f"{m or self.tr('(no module)')}: {bytes_text(b)} ({total})")
                    for m, b in items]
        rows = []
        for node_id, size in report.biggest_of(self.MAX_NODES):
            node = snapshot.node(node_id)
            label = f"{node.module}: {node.op}" if node.module else f"{node.op} ({node_id})"
            saved = snapshot.meta["saved_memory"]["nodes"].get(node_id, [])
            listed = ", ".join(f"{e['name']} {format_shape(e['shape'])} {e['dtype']}"
                               for e in saved)
            rows.append(ChartRow(label, size, bytes_text(size), [node_id],
                                 f"{label}: {bytes_text(size)}: {listed} ({total})"))
        return rows

    def _on_row_clicked(self, index: int) -> None:
        row = self.chart.rows[index]
        self.details.setText(row.details)
        if len(row.nodes) == 1:
            self.node_activated.emit(row.nodes[0])
        self.nodes_activated.emit(list(row.nodes))

    def _module_nodes(self, module: str) -> list[str]:
        """The nodes made inside ``module`` (none for the nodes outside every module)."""
        snapshot = self._player.snapshot
        if not module or snapshot is None:
            return []
        inside = module + "."
        return [n.id for n in snapshot.nodes
                if n.module and (n.module == module or n.module.startswith(inside))]

    def flow_text(self, row: FlowRow) -> str:
        """``name: norm 1.2, max |g| 0.5, mean |g| 0.1, zeros 33 %`` (? where unknown)."""
        def num(value):
            return "?" if value is None else localized_number(value)

        share = row.zero_fraction
        zeros = "?" if share is None else localized_number(round(100 * share, 1))
        return self.tr("{0}: norm {1}, max |g| {2}, mean |g| {3}, zeros {4} % "
                       "({5} elements)").format(row.name or self.tr("(no module)"),
                                                num(row.norm), num(row.max_abs),
                                                num(row.mean_abs), zeros, row.count)

    def changeEvent(self, event) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
            self._show_rows()
        super().changeEvent(event)


def bytes_text(size: float) -> str:
    """``512 B``, ``50.4 kB``, ``3.43 MB`` (powers of 1000), in the language's digits."""
    for unit, scale in (("GB", 1e9), ("MB", 1e6), ("kB", 1e3)):
        if size >= scale:
            return f"{localized_number(round(size / scale, 2))}\u00a0{unit}"
    return f"{localized_number(int(size))}\u00a0B"
