"""Colour nodes by a number: gradient norm, value norm, saved bytes, or order of differentiation.

:class:`NodeColouring` reads the numbers from the Snapshot
(:mod:`gradviz.core.lens.node_measures`), tints each measured node of the scene
(:mod:`gradviz.ui.graph.node_colors`) and keeps a small :class:`ColourLegend` in the
view's bottom-left corner: the ramp with its lowest and highest numbers, or the
order hues. Nodes without the number keep their usual colour.
"""

from __future__ import annotations

import math

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QGridLayout, QLabel, QWidget

from ...core.lens.node_measures import (
    COLOUR_CHOICES,
    ColorScale,
    available,
    check_colour_by,
    color_scale,
    node_measure,
)
from ..base.i18n import translate
from ..base.themes import Theme
from ..panels.flow_panel import bytes_text
from ..panels.problems_text import localized_number
from .node_colors import TintBook
from .overlays import LEGEND_PX, MARGIN, CornerPanel

NONE = "none"
CHOICES = COLOUR_CHOICES  # none first, then core's measures
RAMP_STOPS = 8  # colours in the legend's bar


def choice_names() -> dict[str, str]:
    """Each choice's name, in the display language (menu entries, legend titles)."""
    return {NONE: translate("NodeColouring", "Kind (no measure)"),
            "grad_norm": translate("NodeColouring", "Gradient norm"),
            "value_norm": translate("NodeColouring", "Value norm"),
            "saved_bytes": translate("NodeColouring", "Saved bytes"),
            "order": translate("NodeColouring", "Order of differentiation")}


def order_names() -> list[str]:
    """The order hues' names: 0, 1, 2."""
    return [translate("NodeColouring", "forward"), translate("NodeColouring", "first backward"),
            translate("NodeColouring", "second backward")]


def number_text(measure: str, value: float) -> str:
    """A legend number: bytes in B/kB/MB, norms in the language's digits."""
    return bytes_text(value) if measure == "saved_bytes" else localized_number(value)


class ColourLegend(CornerPanel):
    """The colour scale: a title, a ramp between its two numbers, or the order swatches."""

    def __init__(self, view: QWidget) -> None:
        super().__init__(view, "bottom_left")
        self.setObjectName("ColourLegend")
        self._grid = QGridLayout(self)
        self._grid.setContentsMargins(8, 6, 8, 6)
        self._grid.setHorizontalSpacing(6)
        self._grid.setVerticalSpacing(2)
        self._labels: list[QLabel] = []
        self._px = LEGEND_PX

    def texts(self) -> list[str]:
        """The legend's texts, as shown."""
        return [label.text() for label in self._labels]

    def show_scale(self, title: str, low: str, high: str, note: str, tints: list) -> None:
        """A ramp from ``low`` to ``high`` (``tints``: its colours, low first)."""
        self._clear()
        self._text(title, 0, 0, 3, bold=True)
        self._text(low, 1, 0)
        bar = QLabel()
        bar.setFixedSize(140, 12)
        stops = ", ".join(f"stop:{i / (len(tints) - 1):.3f} {t.fill.color().name()}"
                          for i, t in enumerate(tints))
        bar.setStyleSheet("background: qlineargradient(x1:0, y1:0, x2:1, y2:0, "
                          f"{stops}); border: 1px solid gray;")
        self._add(bar, 1, 1)
        self._text(high, 1, 2)
        self._text(note, 2, 0, 3)
        self.place()

    def show_swatches(self, title: str, rows: list[tuple[str, object]], note: str) -> None:
        """One swatch per ``(name, tint)``."""
        self._clear()
        self._text(title, 0, 0, 3, bold=True)
        for name, tint in rows:
            self.add_swatch(name, tint)
        self._text(note, self._grid.rowCount(), 0, 3)
        self.place()

    def add_swatch(self, name: str, tint) -> None:
        """One more line under the scale: a swatch and its meaning."""
        row = self._grid.rowCount()
        swatch = QLabel()
        swatch.setFixedSize(18, 12)
        swatch.setStyleSheet(f"background: {tint.fill.color().name()}; border: 1px solid gray;")
        self._add(swatch, row, 0)
        self._text(name, row, 1, 2)
        self.place()

    def set_font_scale(self, scale: float) -> None:
        """Text size: the canvas legend's, times the theme's font scale."""
        self._px = round(LEGEND_PX * scale)

    def _text(self, text: str, row: int, column: int, span: int = 1, bold: bool = False) -> None:
        label = QLabel(text)
        label.setTextFormat(Qt.TextFormat.PlainText)
        font = QFont(self.font())
        font.setPixelSize(self._px)
        font.setBold(bold)
        label.setFont(font)
        self._labels.append(label)
        self._add(label, row, column, span)

    def _add(self, widget: QWidget, row: int, column: int, span: int = 1) -> None:
        """Into the grid, shown now: a layout shows a widget added to a visible panel only
        later, and until then sizes the panel without it (an empty frame)."""
        self._grid.addWidget(widget, row, column, 1, span)
        widget.show()

    def _clear(self) -> None:
        while self._grid.count():
            widget = self._grid.takeAt(0).widget()
            if widget is not None:
                widget.deleteLater()
        self._labels = []


class NodeColouring(QObject):
    """Which number colours the nodes, applied to the scene shown; the legend with it."""

    changed = Signal(str)  # the measure, or the choices (a new drawing)

    def __init__(self, view: QWidget, theme: Theme | None = None) -> None:
        super().__init__(view)
        self.measure = NONE
        self._auto = False  # "order" was chosen by set_scene, not by the user
        self.scene = None
        self.legend = ColourLegend(view)
        self.legend.hide()
        self._view = view
        self._book: TintBook | None = None
        self._theme = theme
        self.values: dict[str, float] = {}
        self.scale: ColorScale | None = None
        self._choices: tuple | None = None  # (snapshot, its choices)

    def choices(self) -> list[str]:
        """The choices the scene's Snapshot has numbers for (``none`` first)."""
        if self.scene is None:
            return [NONE]
        cached = self._choices
        if cached is None or cached[0] is not self.scene.snapshot:  # once per Snapshot
            cached = self._choices = (self.scene.snapshot,
                                      [NONE, *available(self.scene.snapshot)])
        return list(cached[1])

    def set_measure(self, measure: str) -> None:
        """Colour by ``measure`` (one of :data:`CHOICES`; ``none``: the kinds' colours)."""
        check_colour_by(str(measure))  # an InputError, as on every surface
        self.measure, self._auto = measure, False
        self.apply()
        self.changed.emit(measure)

    def set_scene(self, scene) -> None:
        """A new drawing: colour it by the same measure (``changed``: its choices may differ).

        A higher-order graph (``create_graph=True``, ``--order 2``) is coloured by order
        unless another measure was chosen; the next graph without orders drops it again.
        """
        self.scene = scene
        has_orders = scene is not None and bool(node_measure(scene.snapshot, "order"))
        if has_orders and self.measure == NONE:
            self.measure, self._auto = "order", True
        elif self._auto and not has_orders:
            self.measure, self._auto = NONE, False
        self.apply()
        self.changed.emit(self.measure)

    def apply_theme(self, theme: Theme) -> None:
        """The tints and the legend in ``theme``'s colours."""
        self._theme, self._book = theme, None
        self.legend.apply_theme(theme)
        self.legend.set_font_scale(theme.font_scale)
        self.apply()

    def apply(self) -> None:
        """Tint the scene's nodes (or untint them) and refresh the legend."""
        scene = self.scene
        self.values, self.scale = {}, None
        if scene is not None and self.measure != NONE:
            self.values = node_measure(scene.snapshot, self.measure)
        if scene is not None and self._book is None:
            self._book = TintBook(self._theme or scene.theme)
        if self.measure not in (NONE, "order"):
            self.scale = color_scale(self.values)
        for node_id, item in (scene.node_items.items() if scene is not None else ()):
            item.set_tint(self.tint_of(node_id))
        if scene is not None:  # the overview (zoomed out) regroups its tints
            scene.tint_serial = getattr(scene, "tint_serial", 0) + 1
            scene.update()
        self._show_legend()

    def tint_of(self, node_id: str):
        """The tint of a node, or None (not coloured, or no number for it)."""
        value = self.values.get(node_id)
        if value is None or self._book is None:
            return None
        if self.measure == "order":
            return self._book.order(int(value))
        if not math.isfinite(value):
            return self._book.nonfinite
        return self._book.at(self.scale.position(value)) if self.scale is not None else None

    def _show_legend(self) -> None:
        if not self.values or self._book is None or (self.measure != "order"
                                                     and self.scale is None):
            self.legend.hide()
            self._keep_clear(0)
            return
        title = choice_names()[self.measure]
        if self.measure == "order":
            present = sorted({int(v) for v in self.values.values()} | {0, 1})
            note = translate("NodeColouring", "The replay is the next backward pass.")
            self.legend.show_swatches(title, [(order_names()[min(o, 2)], self._book.order(o))
                                              for o in present], note)
        else:
            scale = self.scale
            steps = [self._book.at(i / (RAMP_STOPS - 1)) for i in range(RAMP_STOPS)]
            note = (translate("NodeColouring", "log scale; uncoloured: not measured") if scale.log
                    else translate("NodeColouring", "linear scale; uncoloured: not measured"))
            self.legend.show_scale(title, number_text(self.measure, scale.low),
                                   number_text(self.measure, scale.high), note, steps)
            if any(not math.isfinite(v) for v in self.values.values()):
                nonfinite = translate("NodeColouring", "NaN or ±Inf")
                self.legend.add_swatch(nonfinite, self._book.nonfinite)
        self.legend.show()
        self.legend.place()
        self._keep_clear(self.legend.height() + 2 * MARGIN)

    def _keep_clear(self, pixels: int) -> None:
        """Fitting the graph leaves the legend's strip free (the view may be a plain widget)."""
        fit_bottom = getattr(self._view, "set_fit_bottom", None)
        if fit_bottom is not None:
            fit_bottom(pixels)


__all__ = ["CHOICES", "NONE", "ColourLegend", "NodeColouring", "choice_names"]
