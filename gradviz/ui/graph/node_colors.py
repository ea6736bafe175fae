"""The colours of "colour nodes by": a sequential ramp for numbers, three hues for orders.

The ramp is viridis (perceptually uniform, colour-blind safe), laid at
:data:`STRENGTH` over the theme's background so it sits with the theme (pastel on
white, deep on dark). It is cut into :data:`LEVELS` steps, each with its brushes
and pens built once per theme. Text on a tinted box keeps the theme's colour where
that stays readable (≥ 4.5:1) and otherwise takes the first readable of the
theme's text, black and white: never unreadable, whatever the colour.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtGui import QBrush, QColor, QPen

from ..base.themes import Theme
from .palette import blend, contrast_ratio

VIRIDIS = ("#440154", "#414487", "#2a788e", "#22a884", "#7ad151", "#fde725")
ORDER_HUES = ("#56b4e9", "#cc79a7", "#009e73")  # Okabe–Ito: forward, 1st, 2nd backward
# (not orange: saved tensors are orange)
NONFINITE_HUE = "#d55e00"  # vermilion: a NaN or ±Inf number, off the ramp
STRENGTH = {False: 0.55, True: 0.75}  # how much of the colour shows (light, dark themes):
# pastel under black text on white, deep under light text on a dark background
LEVELS = 32
MIN_CONTRAST = 4.5


@dataclass(frozen=True)
class Tint:
    """A tinted box: its fill (and faded fill), and the text and gradient pens on each."""

    fill: QBrush
    dim_fill: QBrush
    text: QPen
    grad: QPen
    dim_text: QPen
    dim_grad: QPen


def ramp(t: float) -> QColor:
    """Viridis at ``t`` in [0, 1] (linear between its stops)."""
    t = min(1.0, max(0.0, t)) * (len(VIRIDIS) - 1)
    i = min(int(t), len(VIRIDIS) - 2)
    return blend(QColor(VIRIDIS[i + 1]), QColor(VIRIDIS[i]), t - i)


def readable(fill: QColor, *preferred: QColor) -> QColor:
    """The first of ``preferred``, black, white readable on ``fill`` (else the best)."""
    candidates = [*preferred, QColor("#000000"), QColor("#ffffff")]
    for color in candidates:
        if contrast_ratio(color, fill) >= MIN_CONTRAST:
            return color
    return max(candidates, key=lambda c: contrast_ratio(c, fill))


def tint_colors(theme: Theme, color: QColor) -> tuple[QColor, ...]:
    """``(fill, dimmed fill, text, gradient text, dimmed text, dimmed gradient text)`` for a
    box tinted ``color``."""
    background = theme.color("background")
    fill = blend(color, background, STRENGTH[theme.is_dark()])
    dim = blend(fill, background, theme.dim_opacity)
    text = readable(fill, theme.color("text"))
    grad = readable(fill, theme.color("grad_text"), text)
    dim_text = readable(dim, theme.color("muted_text"), theme.color("text"))
    dim_grad = readable(dim, theme.color("grad_text"), dim_text)
    return fill, dim, text, grad, dim_text, dim_grad


class TintBook:
    """Every tint of one theme: the ramp's levels and the order hues, built once."""

    def __init__(self, theme: Theme) -> None:
        self.theme = theme
        self.levels = [self._tint(ramp(i / (LEVELS - 1))) for i in range(LEVELS)]
        self.orders = [self._tint(QColor(hue)) for hue in ORDER_HUES]
        self.nonfinite = self._tint(QColor(NONFINITE_HUE))

    def _tint(self, color: QColor) -> Tint:
        fill, dim, *pens = tint_colors(self.theme, color)
        return Tint(QBrush(fill), QBrush(dim), *(QPen(c) for c in pens))

    def at(self, t: float) -> Tint:
        """The level nearest ``t`` in [0, 1]."""
        return self.levels[round(min(1.0, max(0.0, t)) * (LEVELS - 1))]

    def order(self, order: int) -> Tint:
        """The hue of an order (0 forward, 1 first backward, 2 and above second backward)."""
        return self.orders[min(max(order, 0), len(self.orders) - 1)]
