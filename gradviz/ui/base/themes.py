"""Themes as small data: colours, line and font scales, read from ``resources/themes``.

``light`` keeps torchviz's colours; ``dark`` is for dim rooms; ``presentation``
is high-contrast with thicker lines and larger widget fonts for a classroom.
State colours come from the Okabe–Ito palette, safe for colour-blind viewers.
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass, field

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication, QProxyStyle, QStyle

from .fonts import graph_font_family
from .resources import list_resources, read_text

DEFAULT_THEME = "light"
_QCOLOR_KEYS = ("background", "text", "muted_text", "node_border", "edge", "grad_text", "active",
                "done", "selected", "inputs", "consumers", "label_background", "panel",
                "panel_text", "accent")


@dataclass(frozen=True)
class Theme:
    """Colours (``#rrggbb`` / ``#rrggbbaa``) and scales of one look."""

    name: str
    label: str
    background: str
    text: str
    muted_text: str
    node_border: str
    fills: dict[str, str]
    edge: str
    grad_text: str
    active: str
    done: str
    selected: str
    inputs: str
    consumers: str
    label_background: str
    panel: str
    panel_text: str
    accent: str
    dim_opacity: float = 0.3
    line_scale: float = 1.0
    font_scale: float = 1.0
    bold_text: bool = False
    _colors: dict = field(default_factory=dict, compare=False, repr=False)

    def color(self, key: str) -> QColor:
        """A theme colour as a QColor (cached), e.g. ``theme.color("active")``."""
        found = self._colors.get(key)
        if found is None:
            found = self._colors[key] = _qcolor(getattr(self, key))
        return found

    def fill(self, kind: str) -> QColor:
        """The fill colour of a node of this kind (functions' grey for unknown kinds)."""
        key = "fill:" + kind
        found = self._colors.get(key)
        if found is None:
            text = self.fills.get(kind, self.fills["function"])
            found = self._colors[key] = _qcolor(text)
        return found

    def stylesheet(self) -> str:
        """The widgets' QSS, ``resources/themes/widgets.qss`` filled with this theme."""
        values = {key: _css(getattr(self, key)) for key in _QCOLOR_KEYS}
        values["font_px"] = str(round(13 * self.font_scale))
        values["title_px"] = str(round(16 * self.font_scale))
        values["mono"] = graph_font_family()
        text = read_text("themes", "widgets.qss")
        for key, value in values.items():
            text = text.replace(f"@{key}@", value)
        return text

    def is_dark(self) -> bool:
        """True for a dark background (panels, editor colours and palette follow)."""
        return self.color("background").lightness() < 128

    def qpalette(self) -> QPalette:
        """The widgets' palette: the style's own for light themes, the theme's panels for dark."""
        palette = QPalette(QApplication.style().standardPalette())
        if not self.is_dark():
            return palette
        roles = QPalette.ColorRole
        for role, key in ((roles.Window, "panel"), (roles.WindowText, "panel_text"),
                          (roles.Base, "background"), (roles.AlternateBase, "panel"),
                          (roles.Text, "panel_text"), (roles.Button, "panel"),
                          (roles.ButtonText, "panel_text"), (roles.ToolTipBase, "panel"),
                          (roles.ToolTipText, "panel_text"), (roles.PlaceholderText, "muted_text"),
                          (roles.Highlight, "accent"), (roles.BrightText, "text")):
            palette.setColor(role, self.color(key))
        for role, factor in ((roles.Light, 160), (roles.Midlight, 130), (roles.Mid, 250),
                             (roles.Dark, 300), (roles.Shadow, 400)):
            palette.setColor(role, self.color("muted_text").darker(factor))
        palette.setColor(roles.HighlightedText, QColor("#ffffff"))
        return palette


class VisibleIndicatorStyle(QProxyStyle):
    """The application's style, with a frame drawn around check boxes (in tables too).

    Fusion draws an unchecked box's frame in the window colour darkened, which
    vanishes on a dark panel; this frame uses the palette's placeholder text
    colour, readable on light and dark themes alike.
    """

    _INDICATORS = (QStyle.PrimitiveElement.PE_IndicatorCheckBox,
                   QStyle.PrimitiveElement.PE_IndicatorItemViewItemCheck)

    def drawPrimitive(self, element, option, painter, widget=None) -> None:
        """Draw as the base style does, then frame check boxes."""
        super().drawPrimitive(element, option, painter, widget)
        if element in self._INDICATORS:
            painter.save()
            painter.setPen(option.palette.color(QPalette.ColorRole.PlaceholderText))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRect(option.rect.adjusted(0, 0, -1, -1))
            painter.restore()


def _qcolor(text: str) -> QColor:
    """``#rrggbbaa`` (CSS order) or any name QColor knows."""
    if text.startswith("#") and len(text) == 9:
        color = QColor(text[:7])
        color.setAlpha(int(text[7:], 16))
        return color
    return QColor(text)


def _css(text: str) -> str:
    if text.startswith("#") and len(text) == 9:
        c = _qcolor(text)
        return f"rgba({c.red()}, {c.green()}, {c.blue()}, {c.alpha()})"
    return text


def theme_names() -> list[str]:
    """Names of the bundled themes (``light`` first)."""
    names = [n.removesuffix(".json") for n in list_resources("themes", ".json")]
    return sorted(names, key=lambda n: (n != DEFAULT_THEME, n))


@functools.lru_cache(maxsize=16)
def load_theme(name: str) -> Theme:
    """The bundled theme called ``name`` (KeyError if there is none)."""
    if name not in theme_names():
        raise KeyError(f"unknown theme {name!r}; known: {', '.join(theme_names())}")
    data = json.loads(read_text("themes", f"{name}.json"))
    return Theme(**data)


def get_theme(theme: Theme | str | None) -> Theme:
    """A Theme from a Theme, a bundled theme's name, or None (the default)."""
    if isinstance(theme, Theme):
        return theme
    return load_theme(theme or DEFAULT_THEME)
