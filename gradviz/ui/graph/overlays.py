"""Panels drawn over the graph's corners: the canvas legend and the big ``.grad`` card.

:class:`CanvasLegend` says what the colours, the ``grad`` lines and the edge
numbers mean, and that gradients flow against the arrows (hideable; on by
default in presentation mode). :class:`GradCard` shows each leaf's ``.grad``
in large type, for the back of a classroom, instead of the gradients table.
Both are children of the view widget (not of its viewport, whose children
scroll with the scene) and keep to their corner when it resizes.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QFont, QFontMetrics
from PySide6.QtWidgets import QFrame, QGridLayout, QLabel, QVBoxLayout, QWidget

from ..base.fonts import graph_font_family
from ..base.themes import Theme
from .flow import GradientFlow

LEGEND_PX = 12  # legend text, times the theme's font scale
CARD_PX = 17  # .grad card text, times the theme's font scale
CARD_ROWS = 4  # leaves listed on the card; more are counted ("+ 20 more")
CARD_SHARE = 0.36  # the card's widest line, as a share of the view's width
MARGIN = 10  # pixels from the view's corner
SWATCHES_PER_ROW = 3


class CornerPanel(QFrame):
    """A framed panel kept in one corner of ``view`` (``top_left``, ``top_right``,
    ``bottom_left``)."""

    def __init__(self, view: QWidget, corner: str) -> None:
        super().__init__(view)
        self.corner = corner
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self._follower = _ResizeFollower(self)
        view.installEventFilter(self._follower)

    def place(self) -> None:
        """Move into the corner (after a resize of the view or of the contents)."""
        self.adjustSize()
        parent = self.parentWidget()
        x = MARGIN if self.corner.endswith("left") else parent.width() - self.width() - MARGIN
        y = MARGIN if self.corner.startswith("top") else parent.height() - self.height() - MARGIN
        self.move(max(0, x), max(0, y))
        self.raise_()

    def apply_theme(self, theme: Theme) -> None:
        """Panel colours from ``theme`` (opaque: text never sits on graph lines)."""
        self.setStyleSheet(
            f"QFrame {{ background: {theme.panel}; border: 1px solid {theme.muted_text}; "
            f"border-radius: 4px; }} QLabel {{ border: none; color: {theme.panel_text}; "
            f"background: transparent; }}")


class _ResizeFollower(QObject):
    def __init__(self, panel: CornerPanel) -> None:
        super().__init__(panel)
        self.panel = panel

    def eventFilter(self, watched, event) -> bool:
        if event.type() == QEvent.Type.Resize and self.panel.isVisible():
            self.panel.place()
        return False


class CanvasLegend(CornerPanel):
    """Colour swatches and what ``grad`` and the edge numbers mean."""

    def __init__(self, view: QWidget) -> None:
        super().__init__(view, "top_left")
        self.setObjectName("CanvasLegend")
        self._grid = QGridLayout(self)
        self._grid.setContentsMargins(8, 6, 8, 6)
        self._grid.setHorizontalSpacing(8)
        self._grid.setVerticalSpacing(2)
        self._swatches: list[tuple[QLabel, str]] = []
        self._labels: list[QLabel] = []
        rows = [("active", self.tr("running now")), ("done", self.tr("done")),
                ("fill:leaf", self.tr("leaf: a tensor you gave")),
                ("fill:function", self.tr("function (grad_fn)")),
                ("fill:saved", self.tr("tensor saved for backward"))]
        for index, (key, text) in enumerate(rows):  # swatches three a row: a short panel
            swatch = QLabel()
            swatch.setFixedSize(18, 12)
            self._swatches.append((swatch, key))
            row, column = divmod(index, SWATCHES_PER_ROW)
            self._grid.addWidget(swatch, row, 2 * column)
            self._add_text(text, row, 2 * column + 1)
        notes = [self.tr("grad g: the gradient of the output with respect to the node"),
                 self.tr("numbers on edges: the gradient sent along them"),
                 self.tr("gradients flow against the arrows ⟵")]
        first = -(-len(rows) // SWATCHES_PER_ROW)
        for row, text in enumerate(notes, start=first):
            self._add_text(text, row, 0, span=2 * SWATCHES_PER_ROW)

    def _add_text(self, text: str, row: int, column: int, span: int = 1) -> None:
        label = QLabel(text)
        label.setTextFormat(Qt.TextFormat.PlainText)
        self._labels.append(label)
        self._grid.addWidget(label, row, column, 1, span)

    def texts(self) -> list[str]:
        """The legend's lines, as shown."""
        return [label.text() for label in self._labels]

    def apply_theme(self, theme: Theme) -> None:
        """Swatches in the theme's colours, text sized by its font scale."""
        super().apply_theme(theme)
        for swatch, key in self._swatches:
            color = theme.fill(key[5:]) if key.startswith("fill:") else theme.color(key)
            swatch.setStyleSheet(f"background: {color.name()}; border: 1px solid "
                                 f"{theme.node_border}; border-radius: 2px;")
        font = QFont(self.font())
        font.setPixelSize(round(LEGEND_PX * theme.font_scale))
        for label in self._labels:
            label.setFont(font)
        self._labels[-1].setStyleSheet("font-weight: bold;")
        if self.isVisible():
            self.place()


class GradCard(CornerPanel):
    """Each leaf's ``.grad`` in large type: ``x.grad = 72 = 4 + 8 + 60``."""

    def __init__(self, view: QWidget) -> None:
        super().__init__(view, "top_right")
        self.setObjectName("GradCard")
        self.title = QLabel(self.tr(".grad"))
        self.body = QLabel()
        self.body.setTextFormat(Qt.TextFormat.PlainText)
        column = QVBoxLayout(self)
        column.setContentsMargins(12, 8, 12, 8)
        column.addWidget(self.title)
        column.addWidget(self.body)
        self._px = CARD_PX

    def set_rows(self, rows: list[tuple[str, str]]) -> None:
        """``[(leaf name, its .grad text)]``: the first few shown, the rest counted."""
        metrics = QFontMetrics(self.body.font())
        width = max(200, int(self.parentWidget().width() * CARD_SHARE))
        lines = [metrics.elidedText(f"{name}.grad = {text}", Qt.TextElideMode.ElideMiddle, width)
                 for name, text in rows[:CARD_ROWS]]
        if len(rows) > CARD_ROWS:
            lines.append(self.tr("+ {0} more (Gradients panel)").format(len(rows) - CARD_ROWS))
        self.body.setText("\n".join(lines) or "—")
        if self.isVisible():
            self.place()

    def text(self) -> str:
        """The card's rows, as shown."""
        return self.body.text()

    def apply_theme(self, theme: Theme) -> None:
        """Large monospace numbers in the theme's gradient colour."""
        super().apply_theme(theme)
        font = QFont(graph_font_family())
        font.setPixelSize(round(CARD_PX * theme.font_scale))
        font.setBold(theme.bold_text)
        self.body.setFont(font)
        self.body.setStyleSheet(f"color: {theme.grad_text};")
        title = QFont(self.font())
        title.setPixelSize(round(CARD_PX * 0.8 * theme.font_scale))
        title.setBold(True)
        self.title.setFont(title)
        if self.isVisible():
            self.place()


class CanvasAids(QObject):
    """The window's canvas legend, gradient-flow markers and node colouring, kept in step
    with it."""

    legend_toggled = Signal(bool)

    def __init__(self, window) -> None:
        super().__init__(window)
        self.window = window
        self.legend = CanvasLegend(window.graph.view)
        self.legend.hide()
        self.flow = GradientFlow(self)
        from .colour_by import NodeColouring  # it imports this module's CornerPanel

        self.colouring = NodeColouring(window.graph.view)
        self._marked: list = []  # (item, role before) of the bar's nodes highlighted
        window.player.step_changed.connect(self._on_step_changed)

    def set_scene(self, scene) -> None:
        """A new drawing: markers on it from the player's next step change."""
        self.flow.set_scene(scene)
        self.colouring.set_scene(scene)
        self._marked = []

    def mark_nodes(self, node_ids: list[str]) -> None:
        """Highlight ``node_ids`` (a gradient-flow bar's nodes); the previous ones are cleared."""
        from ..panels.source_link import mark_items

        for item, before in self._marked:
            if item.role() == "path":
                item.set_role(before)
        scene = self.flow.scene
        if scene is None:
            self._marked = []
            return
        if len(node_ids) > 1:  # a module's: the selection's own paths would blur them
            scene.select_node(None)
        self._marked = mark_items(scene, node_ids, ())

    def marked_nodes(self) -> list[str]:
        """The nodes :meth:`mark_nodes` highlights now."""
        return [item.node_id for item, _ in self._marked if item.role() == "path"]

    def apply_theme(self, theme: Theme) -> None:
        """Recolour the legend (markers are rebuilt at the next step)."""
        self.legend.apply_theme(theme)
        self.colouring.apply_theme(theme)

    def set_legend_visible(self, visible: bool) -> None:
        """Show or hide the canvas legend."""
        self.legend.setVisible(visible)
        if visible:
            self.legend.place()
        self.legend_toggled.emit(visible)

    def toggle_legend(self) -> None:
        """Hide the legend if shown, show it otherwise (key L in presentation)."""
        self.set_legend_visible(not self.legend.isVisible())

    def _on_step_changed(self, _k: int) -> None:
        if self.window.player.snapshot is not None:
            self.flow.show_state(self.window.player.state(),
                                 animate=self.window.isVisible() and self.window.player.playing)
