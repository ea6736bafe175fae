"""Pens and brushes of one theme, built once and shared by every item of a scene.

Items never build pens while painting: a theme switch rebuilds this palette
in place and repaints, so it costs the same for 10 nodes or 15,000.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor, QPen

from .themes import Theme

# Border widths (layout points, times the theme's line scale).
BORDER = {"idle": 1.0, "active": 3.0, "done": 2.0, "selected": 3.0, "input": 2.5,
          "consumer": 2.5, "path": 3.0}
EDGE = {"idle": 1.0, "active": 2.5, "done": 1.8, "selected": 2.5, "input": 2.2, "consumer": 2.2,
        "path": 3.0}
# "path" (paths to the selected node, the subgraph of a selected span) wears the selection's colour.
_COLOR_OF = {"active": "active", "done": "done", "selected": "selected", "input": "inputs",
             "consumer": "consumers", "path": "selected"}
_DASHES = {"solid": None, "dashed": [4.0, 2.5], "dotted": [1.0, 2.0]}


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
