"""The Gradient flow panel's chart as a file: PNG (pixels) or SVG (vector), as shown.

The chart widget (bars or lines) paints itself onto a QImage or a
QSvgGenerator over its panel's background colour, at its current size; the
file appears only complete (core.files.atomic_path).
"""

from __future__ import annotations

import math
import os
from pathlib import Path

from PySide6.QtCore import QPoint, QRect, QRectF, QSize
from PySide6.QtGui import QImage, QPainter, QRegion
from PySide6.QtSvg import QSvgGenerator
from PySide6.QtWidgets import QWidget

from ...core.errors import InputError
from ...core.runtime.files import atomic_path
from ..base.i18n import translate

CHART_SUFFIXES = (".png", ".svg")



def export_chart(widget: QWidget, path: str | os.PathLike, *, scale: float = 2.0,
                 title: str = "") -> Path:
    """Write ``widget``'s drawing to ``path`` (.png at ``scale`` × its size, or .svg)."""
    out = Path(path)
    suffix = out.suffix.lower()
    if suffix not in CHART_SUFFIXES:
        raise InputError("bad_suffix", {"suffix": suffix or out.name,
                                        "suffixes": ", ".join(CHART_SUFFIXES)})
    size = widget.size()
    content = getattr(widget, "content_height", None)  # bars: not the empty room under them
    if content is not None:
        size.setHeight(min(size.height(), content()))
    with atomic_path(out) as tmp:
        if suffix == ".png":
            image = QImage(QSize(math.ceil(size.width() * scale), math.ceil(size.height() * scale)),
                           QImage.Format.Format_ARGB32_Premultiplied)
            painter = QPainter(image)
            painter.scale(scale, scale)
            _paint(widget, painter, size)
            if not image.save(str(tmp), "PNG"):
                raise OSError(translate("FlowExport", "could not write {0}").format(out))
        else:
            generator = QSvgGenerator()
            generator.setFileName(str(tmp))
            generator.setSize(size)
            generator.setViewBox(QRectF(0, 0, size.width(), size.height()))
            generator.setTitle(title or "gradviz")
            about = translate("FlowExport", "gradient flow chart drawn by gradviz")
            generator.setDescription(about)
            painter = QPainter(generator)
            _paint(widget, painter, size)
    return out


def _paint(widget: QWidget, painter: QPainter, size: QSize) -> None:
    """The widget's top ``size`` over its background colour; the painter is ended here."""
    try:
        painter.fillRect(QRectF(0, 0, size.width(), size.height()),
                         widget.palette().window().color())
        widget.render(painter, QPoint(0, 0), QRegion(QRect(QPoint(0, 0), size)))
    finally:
        painter.end()
