"""Pens and brushes of one theme, built once and shared by every item of a scene.

Items never build pens while painting: a theme switch rebuilds this palette
in place and repaints, so it costs the same for 10 nodes or 15,000.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor, QPen

from ..base.themes import Theme

# Border widths (layout points, times the theme's line scale).
BORDER = {"idle": 1.0, "active": 3.0, "done": 2.0, "selected": 3.0, "input": 2.5,
          "consumer": 2.5, "path": 3.0}
EDGE = {"idle": 1.0, "active": 2.5, "done": 1.8, "selected": 2.5, "input": 2.2, "consumer": 2.2,
        "path": 3.0}
# "path" (paths to the selected node, the subgraph of a selected span) wears the selection's colour.
_COLOR_OF = {"active": "active", "done": "done", "selected": "selected", "input": "inputs",
             "consumer": "consumers", "path": "selected"}
_DASHES = {"solid": None, "dashed": [4.0, 2.5], "dotted": [1.0, 2.0]}


def blend(color: QColor, background: QColor, amount: float) -> QColor:
    """``color`` laid at opacity ``amount`` over ``background`` (an opaque result)."""
    mix = [round(c * amount + b * (1.0 - amount)) for c, b in
           zip(color.getRgb()[:3], background.getRgb()[:3], strict=True)]
    return QColor(*mix)


def node_colors(theme: Theme, kind: str, state: str) -> tuple[QColor, QColor, QColor, QColor]:
    """``(fill, border, text, gradient text)`` of a node of ``kind`` in a replay ``state``.

    A dimmed node (not reached yet) fades its fill and border towards the
    background, never its text: the text turns to the theme's muted colour,
    which stays readable (≥ 4.5:1) on the faded fill. The single source of the
    colours painted and of the contrast test.
    """
    fill, border = theme.fill(kind), theme.color("node_border")
    text, grad = theme.color("text"), theme.color("grad_text")
    if state == "dimmed":
        background = theme.color("background")
        fill = blend(fill, background, theme.dim_opacity)
        border = blend(border, background, theme.dim_opacity)
        text = theme.color("muted_text")
    return fill, border, text, grad


def label_colors(theme: Theme) -> tuple[QColor, QColor]:
    """``(background, text)`` of an edge's gradient label (laid over the canvas)."""
    return blend(theme.color("label_background"), theme.color("background"),
                 theme.color("label_background").alphaF()), theme.color("grad_text")


def emphasis(state: str, role: str | None) -> str:
    """Which look wins when a node is both in a replay state and highlighted."""
    if state == "active":
        return "active"
    if role is not None:
        return role
    return "done" if state == "done" else "idle"


class Palette:
    """Every pen and brush the graph items need, for one theme."""

    def __init__(self, theme: Theme) -> None:
        self.set_theme(theme)

    def set_theme(self, theme: Theme) -> None:
        """Rebuild everything for ``theme`` (in place: items keep their reference)."""
        self.theme = theme
        self.bold = theme.bold_text
        scale = theme.line_scale
        self.background = QColor(theme.color("background"))
        self.fills = {kind: QBrush(theme.fill(kind)) for kind in theme.fills}
        self.default_fill = self.fills["function"]
        self.text_pen = QPen(theme.color("text"))
        self.grad_pen = QPen(theme.color("grad_text"))
        self.label_brush = QBrush(theme.color("label_background"))
        self.dim_text_pen = QPen(theme.color("muted_text"))
        self.dim_fills = {kind: QBrush(node_colors(theme, kind, "dimmed")[0])
                          for kind in theme.fills}
        background = theme.color("background")
        self.dim_node_pen = QPen(blend(theme.color("node_border"), background, theme.dim_opacity),
                                 BORDER["idle"] * scale)
        self.dim_edge_pens = {}
        for style, dashes in _DASHES.items():
            for cosmetic in (False, True):
                pen = QPen(blend(theme.color("edge"), background, theme.dim_opacity),
                           0.0 if cosmetic else EDGE["idle"] * scale)
                pen.setCosmetic(cosmetic)
                if dashes:
                    pen.setDashPattern(dashes)
                self.dim_edge_pens[(style, cosmetic)] = pen
        self.node_pens = {key: self._pen(key, "node_border", w * scale)
                          for key, w in BORDER.items()}
        glow = QColor(theme.color("active"))
        glow.setAlpha(80)
        self.glow_pen = QPen(glow, 8.0 * scale, Qt.PenStyle.SolidLine)
        self.glow_pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
        self.edge_pens: dict[tuple[str, str, bool], QPen] = {}
        self.edge_brushes = {}
        for key, width in EDGE.items():
            color = theme.color(_COLOR_OF.get(key, "edge"))
            self.edge_brushes[key] = QBrush(color)
            for style, dashes in _DASHES.items():
                for cosmetic in (False, True):
                    pen = QPen(color, 0.0 if cosmetic else width * scale)
                    pen.setCosmetic(cosmetic)
                    if dashes:
                        pen.setDashPattern(dashes)
                    self.edge_pens[(key, style, cosmetic)] = pen

    def _pen(self, key: str, idle_color: str, width: float) -> QPen:
        color = self.theme.color(_COLOR_OF.get(key, idle_color))
        pen = QPen(color, width)
        pen.setJoinStyle(Qt.PenJoinStyle.MiterJoin)
        return pen

    def fill(self, kind: str) -> QBrush:
        """The fill brush of a node kind."""
        return self.fills.get(kind, self.default_fill)

    def dim_fill(self, kind: str) -> QBrush:
        """The faded fill brush of a node kind (a node not reached yet)."""
        return self.dim_fills.get(kind, self.dim_fills["function"])


def contrast_ratio(a: QColor, b: QColor) -> float:
    """WCAG 2 contrast ratio of two opaque colours (1 to 21; text needs ≥ 4.5)."""

    def luminance(color: QColor) -> float:
        channels = [c / 255 for c in color.getRgb()[:3]]
        linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)
