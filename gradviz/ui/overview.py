"""The zoomed-out picture of a whole graph, drawn by one item in a few batched calls.

Below :data:`OVERVIEW_ZOOM` a view switches its scene to overview mode: the
node and edge items are hidden and this item draws every box (one
``drawRects`` per fill colour) and every edge (one path per line style), then
the few items that are emphasised (replay state, highlight) on top. One paint
call instead of one per item keeps a 15,000-node graph smooth.
"""

from __future__ import annotations

from collections import defaultdict

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QPainterPath
from PySide6.QtWidgets import QGraphicsItem

from .palette import emphasis

OVERVIEW_ZOOM = 0.3  # screen pixels per point below which the overview is drawn


class OverviewItem(QGraphicsItem):
    """Every node and edge of a GraphScene, drawn at once (see the module doc)."""

    def __init__(self, scene) -> None:
        super().__init__()
        self._graph = scene
        self._bounds = QRectF(scene.sceneRect())
        self._rects: dict[str, list[QRectF]] | None = None
        self._paths: dict[str, QPainterPath] | None = None
        self.setZValue(-1.0)

    def boundingRect(self) -> QRectF:  # noqa: N802 (Qt's name)
        return self._bounds

    def _build(self) -> None:
        """Group boxes by kind and join edges by line style (once, on first paint)."""
        rects: dict[str, list[QRectF]] = defaultdict(list)
        for item in self._graph.node_items.values():
            rects[item.node.kind].append(item.rect())
        paths: dict[str, QPainterPath] = defaultdict(QPainterPath)
        for item in self._graph.all_edge_items():
            path = paths[item.line_style()]
            pts = item.edge.points
            path.moveTo(QPointF(*pts[0]))
            for i in range(1, len(pts) - 2, 3):
                path.cubicTo(QPointF(*pts[i]), QPointF(*pts[i + 1]), QPointF(*pts[i + 2]))
        self._rects, self._paths = dict(rects), dict(paths)

    def paint(self, painter, option, widget=None) -> None:
        """Edges as hairlines, boxes as plain fills, emphasised items on top."""
        if self._rects is None:
            self._build()
        palette = self._graph.palette
        painter.setBrush(Qt.BrushStyle.NoBrush)
        for style, path in self._paths.items():
            painter.setPen(palette.edge_pens[("idle", style, True)])
            painter.drawPath(path)
        painter.setPen(Qt.PenStyle.NoPen)
        for kind, rects in self._rects.items():
            painter.setBrush(palette.fill(kind))
            painter.drawRects(rects)
        self._paint_emphasised(painter, palette)

    def _paint_emphasised(self, painter, palette) -> None:
        for item in self._graph.emphasised_items():
            look = emphasis(item.state(), item.role())
            painter.setOpacity(palette.theme.dim_opacity if item.state() == "dimmed" else 1.0)
            if hasattr(item, "node"):
                painter.setPen(Qt.PenStyle.NoPen)
                brush = item.fill_brush() if look == "idle" else palette.edge_brushes[look]
                painter.fillRect(item.rect(), brush)
            else:
                painter.setPen(palette.edge_pens[(look, item.line_style(), True)])
                painter.setBrush(Qt.BrushStyle.NoBrush)
                painter.drawPath(item.painter_path())
        painter.setOpacity(1.0)
