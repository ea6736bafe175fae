"""The graph's monospace font: bundled Liberation Mono, metric-compatible with Courier.

Graphviz measured every label with Courier metrics (advance 0.6 em), so the
boxes fit text drawn with any Courier-compatible face. Hinting is off so the
advance stays 0.6 em at every zoom and text never outgrows its box.
"""

from __future__ import annotations

import functools

from PySide6.QtGui import QFont, QFontDatabase, QFontMetricsF

from .resources import list_resources, resource_path

FALLBACK_FAMILY = "Courier New"
ADVANCE_EM = 0.6  # Courier's advance width, in em


@functools.lru_cache(maxsize=1)
def graph_font_family() -> str:
    """Register the bundled fonts once; the family name to draw labels with."""
    family = None
    for name in list_resources("fonts", ".ttf"):
        font_id = QFontDatabase.addApplicationFont(str(resource_path("fonts", name)))
        families = QFontDatabase.applicationFontFamilies(font_id) if font_id >= 0 else []
        family = family or (families[0] if families else None)
    return family or FALLBACK_FAMILY


@functools.lru_cache(maxsize=64)
def graph_font(pixel_size: int, bold: bool = False) -> QFont:
    """The label font at ``pixel_size`` scene units (layout points)."""
    font = QFont(graph_font_family())
    font.setPixelSize(max(1, pixel_size))
    font.setBold(bold)
    font.setHintingPreference(QFont.HintingPreference.PreferNoHinting)
    font.setKerning(False)
    font.setStyleStrategy(QFont.StyleStrategy.PreferAntialias)
    return font


@functools.lru_cache(maxsize=64)
def graph_metrics(pixel_size: int, bold: bool = False) -> QFontMetricsF:
    """Metrics of :func:`graph_font` (cached: measuring is not free)."""
    return QFontMetricsF(graph_font(pixel_size, bold))
