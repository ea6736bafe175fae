"""Themes as small data: colours, line and font scales, read from ``resources/themes``.

``light`` keeps torchviz's colours; ``dark`` is for dim rooms; ``presentation``
is high-contrast with thicker lines and larger widget fonts for a classroom.
State colours come from the Okabe–Ito palette, safe for colour-blind viewers.
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass, field

from PySide6.QtGui import QColor

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
