"""Static export of a graph: PNG (raster), SVG and PDF (vector, text kept as text).

Works without a window: :func:`ensure_app` creates an offscreen Qt application
when none exists, so the CLI and the Python API share this code with the GUI.
"""

from __future__ import annotations

import math
import os
import sys
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QMarginsF, QPoint, QRectF, QSize, QSizeF, Qt
from PySide6.QtGui import QBrush, QGuiApplication, QImage, QPageSize, QPainter, QPdfWriter
from PySide6.QtSvg import QSvgGenerator
from PySide6.QtWidgets import QApplication, QWidget

from ...core.graph.formatting import format_compact
from ...core.snapshot import Snapshot
from ..base.fonts import graph_font, graph_metrics
from ..base.i18n import translate
from ..base.qt_messages import quiet_qt_noise
from ..base.themes import Theme
from ..graph.scene import GraphScene
from .titles import function_title

FORMATS = (".png", ".svg", ".pdf")
MAX_SIDE = 32000  # pixels: beyond this QImage and most viewers give up
MAX_PIXELS = 120_000_000
CAPTION_PX = 12  # caption text size, points (times the theme's font scale)
MAX_CAPTION_VARS = 6
MAX_VARIABLE_CHARS = 24  # "x = 2" fits a caption; a tensor's summary does not
CAPTION_MIN_WIDTH = 420.0  # points: a caption wraps within the graph's width, or this
LEGEND_MARGIN = 10  # points around a "colour nodes by" legend under the graph (the window's)
_APP = None  # the application export created, kept alive


def ensure_app() -> QCoreApplication:
    """The running Qt application, or a new one (offscreen when there is no display)."""
    global _APP
    app = QCoreApplication.instance()
    if app is None:
        no_display = sys.platform.startswith("linux") and not (
            os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))
        if no_display and "QT_QPA_PLATFORM" not in os.environ:
            os.environ["QT_QPA_PLATFORM"] = "offscreen"
        quiet_qt_noise()
        app = _APP = QApplication([sys.argv[0] if sys.argv and sys.argv[0] else "gradviz"])
    elif not isinstance(app, QApplication):
        raise RuntimeError("gradviz export needs a QApplication, not a QCoreApplication")
    return app


def default_caption(snapshot: Snapshot) -> str:
    """The function as mathematics and its variables, e.g. ``y = 5x³ + 2x² + 4x + 8   at
    x = 2``; a script or a model by its name alone (never a path, never a list of means)."""
    title = function_title(snapshot)
    shown = [f"{v.name} = {format_compact(v.value)}" for v in snapshot.variables]
    if not shown or len(shown) > MAX_CAPTION_VARS or any(len(t) > MAX_VARIABLE_CHARS
                                                         for t in shown):
        return title
    return translate("Export", "{function}   at {variables}").format(
        function=title, variables=", ".join(shown))


def export_image(snapshot: Snapshot, path, *, scale: float = 1.0, dpi: float | None = None,
                 theme: Theme | str = "light", transparent: bool = False,
                 caption: str | bool | None = None, region=None) -> Path:
    """Write the snapshot's graph to ``path`` (.png, .svg or .pdf, by suffix).

    ``scale`` multiplies the PNG's pixel size (1 pixel per layout point at 1);
    ``dpi`` is the resolution written in the PNG and used for the PDF;
    ``caption`` is text drawn under the graph (True: the function and variables);
    ``region`` is the part of the graph to draw (QRectF or ``(x, y, w, h)`` in points).
    """
    ensure_app()
    scene = GraphScene(snapshot, theme)
    if caption is True:
        caption = default_caption(snapshot)
    return export_scene(scene, path, scale=scale, dpi=dpi, transparent=transparent,
                        caption=caption or None, region=region)


def export_scene(scene: GraphScene, path, *, scale: float = 1.0, dpi: float | None = None,
                 transparent: bool = False, caption: str | None = None, region=None,
                 legend: QWidget | None = None) -> Path:
    """Write a (possibly animated) scene as it is now; see :func:`export_image`.

    ``legend``: a widget drawn under the graph, left, above the caption (the "colour
    nodes by" legend, :mod:`gradviz.ui.export.export_colouring`); its text stays text in SVG/PDF.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in FORMATS:
        raise ValueError(translate("Export", "cannot export to {0!r}: use .png, .svg or .pdf")
                         .format(suffix))
    if not 1.0 <= scale <= 4.0 and suffix == ".png":
        raise ValueError(translate("Export", "scale must be between 1 and 4"))
    source = _source_rect(scene, region)
    scene.set_overview(False)  # exports are drawn in full detail
    writer = {".png": _write_png, ".svg": _write_svg, ".pdf": _write_pdf}[suffix]
    brush = scene.backgroundBrush()
    if transparent:
        scene.setBackgroundBrush(QBrush(Qt.BrushStyle.NoBrush))
    try:
        writer(scene, path, _Extras(source, caption, legend), scale=scale, dpi=dpi)
    finally:
        scene.setBackgroundBrush(brush)
    return path


def _source_rect(scene: GraphScene, region) -> QRectF:
    if region is None:
        return scene.sceneRect()
    return QRectF(region) if isinstance(region, QRectF) else QRectF(*region)


_CAPTION_FLAGS = Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop | \
    Qt.TextFlag.TextWordWrap


def _caption_font(scene: GraphScene):
    return graph_font(round(CAPTION_PX * scene.theme.font_scale), scene.theme.bold_text)


def _caption_band(scene: GraphScene, caption: str, width: float) -> QRectF:
    """Where the wrapped caption goes under the graph (its own height, padded)."""
    pad = _caption_font(scene).pixelSize()
    metrics = graph_metrics(_caption_font(scene).pixelSize(), scene.theme.bold_text)
    text = metrics.boundingRect(QRectF(0, 0, width - 2 * pad, 1e6), _CAPTION_FLAGS, caption)
    return QRectF(pad, pad * 0.6, width - 2 * pad, text.height() + pad * 0.6)


class _Extras:
    """What a page holds besides the graph: the part of the scene drawn, the caption, the
    legend under the graph (its height, with margins: :attr:`legend_height`)."""

    def __init__(self, source: QRectF, caption: str | None, legend: QWidget | None) -> None:
        self.source, self.caption, self.legend = source, caption, legend
        if legend is not None:
            legend.adjustSize()
        self.legend_height = 0 if legend is None else legend.height() + 2 * LEGEND_MARGIN
        self.legend_width = 0 if legend is None else legend.width() + 2 * LEGEND_MARGIN


def _page_size(scene: GraphScene, page: _Extras) -> QSizeF:
    """The graph, with room under it for the legend and the caption wrapped to the page."""
    source, caption = page.source, page.caption
    width = max(source.width(), page.legend_width)
    height = source.height() + page.legend_height
    if not caption:
        return QSizeF(width, height)
    width = max(width, CAPTION_MIN_WIDTH)
    band = _caption_band(scene, caption, width)
    return QSizeF(width, height + band.bottom() + band.top())


def _paint(painter: QPainter, scene: GraphScene, extras: _Extras) -> None:
    """Draw the graph, its legend and its caption in page points (the painter is already
    scaled)."""
    source, caption = extras.source, extras.caption
    painter.setRenderHints(QPainter.RenderHint.Antialiasing
                           | QPainter.RenderHint.TextAntialiasing
                           | QPainter.RenderHint.SmoothPixmapTransform)
    page = _page_size(scene, extras)
    background = scene.backgroundBrush()
    if background.style() != Qt.BrushStyle.NoBrush:
        painter.fillRect(QRectF(0, 0, page.width(), page.height()), background)
    left = math.floor((page.width() - source.width()) / 2)  # whole points: no half pixels
    target = QRectF(left, 0, source.width(), source.height())
    scene.render(painter, target, source, Qt.AspectRatioMode.IgnoreAspectRatio)
    if extras.legend is not None:
        painter.save()
        painter.translate(LEGEND_MARGIN, source.height() + LEGEND_MARGIN)
        extras.legend.render(painter, QPoint(0, 0))
        painter.restore()
    if caption:
        painter.setFont(_caption_font(scene))
        painter.setPen(scene.theme.color("text"))
        band = _caption_band(scene, caption, page.width()).translated(
            0, source.height() + extras.legend_height)
        painter.drawText(band, _CAPTION_FLAGS, caption)


def _write_png(scene, path, extras, *, scale, dpi) -> None:
    page = _page_size(scene, extras)
    scale = min(scale, MAX_SIDE / max(page.width(), page.height()),
                math.sqrt(MAX_PIXELS / max(1.0, page.width() * page.height())))
    size = QSize(math.ceil(page.width() * scale), math.ceil(page.height() * scale))
    image = QImage(size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    per_metre = (dpi or 72.0 * scale) / 0.0254
    image.setDotsPerMeterX(round(per_metre))
    image.setDotsPerMeterY(round(per_metre))
    painter = QPainter(image)
    painter.scale(scale, scale)
    _paint(painter, scene, extras)
    painter.end()
    if not image.save(str(path), "PNG"):
        raise OSError(translate("Export", "could not write {0}").format(path))


def _write_svg(scene, path, extras, *, scale, dpi) -> None:
    page = _page_size(scene, extras)
    generator = QSvgGenerator()
    generator.setFileName(str(path))
    generator.setSize(QSize(math.ceil(page.width()), math.ceil(page.height())))
    generator.setViewBox(QRectF(0, 0, page.width(), page.height()))
    generator.setResolution(72)
    generator.setTitle(scene.snapshot.source)
    generator.setDescription(translate("Export", "autograd graph drawn by gradviz"))
    painter = QPainter(generator)
    _paint(painter, scene, extras)
    painter.end()


def _write_pdf(scene, path, extras, *, scale, dpi) -> None:
    page = _page_size(scene, extras)
    writer = QPdfWriter(str(path))
    writer.setPageSize(QPageSize(page, QPageSize.Unit.Point, "graph"))
    writer.setPageMargins(QMarginsF(0, 0, 0, 0))
    writer.setResolution(round(dpi or 300))
    writer.setTitle(scene.snapshot.source)
    writer.setCreator("gradviz")
    painter = QPainter(writer)
    points = writer.resolution() / 72.0
    painter.scale(points, points)
    _paint(painter, scene, extras)
    painter.end()


def copy_image_to_clipboard(scene: GraphScene, scale: float = 2.0) -> QImage:
    """Put the whole graph on the clipboard as an image; returns the image."""
    source = scene.sceneRect()
    scale = min(scale, MAX_SIDE / max(source.width(), source.height()))
    size = QSize(math.ceil(source.width() * scale), math.ceil(source.height() * scale))
    image = QImage(size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    overview = scene.overview_on()
    scene.set_overview(False)  # the image is drawn in full detail
    painter = QPainter(image)
    painter.scale(scale, scale)
    _paint(painter, scene, _Extras(source, None, None))
    painter.end()
    scene.set_overview(overview)
    QGuiApplication.clipboard().setImage(image)
    return image
