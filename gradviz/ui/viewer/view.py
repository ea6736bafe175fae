"""The graph view: zoom (wheel to cursor, pinch, +/−), pan (drag, Shift+arrows), fit, camera moves.

Plain ←/→ are left to the window: they step the replay.

It only shows a :class:`~gradviz.ui.graph.scene.GraphScene` and reports clicks;
what a click means (the inspector) is decided by whoever listens.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QPainter, QTransform
from PySide6.QtWidgets import QGraphicsView

from ...core.graph.collapse import module_path
from ...core.graph.folding import is_fold_id
from .camera import CameraAnimation
from .view_input import ViewInput

if TYPE_CHECKING:  # the scene loads with the first graph, not at start-up
    from ..graph.scene import GraphScene

MAX_ZOOM = 8.0
ZOOM_STEP = 1.25  # one +/− key press
FOCUS_ZOOM = 1.5  # zoom-to-node target (times the theme's font scale)
CLICK_SLOP = 4  # pixels a press may move and still be a click


class GraphView(ViewInput, QGraphicsView):
    """Shows a GraphScene; emits ``node_clicked(id)`` when a node is clicked."""

    node_clicked = Signal(str)
    zoom_changed = Signal(float)
    collapse_requested = Signal(str)  # a module box was double-clicked: its path
    expand_requested = Signal(str)  # a collapsed module's node was double-clicked: its path
    # (a folded block's node: its id); a folded block's context menu: (its id, global position)
    fold_menu_requested = Signal(str, object)
    node_hovered = Signal(object)  # the node under the mouse changed: its id, or None

    def __init__(self, scene: GraphScene | None = None, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("GraphView")
        self.setRenderHints(QPainter.RenderHint.Antialiasing
                            | QPainter.RenderHint.TextAntialiasing
                            | QPainter.RenderHint.SmoothPixmapTransform)
        # Items set every pen, brush and font they use and keep a margin for
        # antialiasing, so Qt need not save painter state or pad rects per item.
        self.setOptimizationFlags(QGraphicsView.OptimizationFlag.DontSavePainterState
                                  | QGraphicsView.OptimizationFlag.DontAdjustForAntialiasing)
        self.setViewportUpdateMode(QGraphicsView.ViewportUpdateMode.SmartViewportUpdate)
        self.setTransformationAnchor(QGraphicsView.ViewportAnchor.NoAnchor)
        self.setResizeAnchor(QGraphicsView.ViewportAnchor.AnchorViewCenter)
        self.setDragMode(QGraphicsView.DragMode.ScrollHandDrag)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.viewport().grabGesture(Qt.GestureType.PinchGesture)
        self.camera = CameraAnimation(self)
        self._auto_fit = True
        self._fit_top = 0  # pixels at the top a fit leaves free (panels over the canvas)
        self._press: tuple[QPointF, str | None] | None = None
        self._hovered: str | None = None
        self.viewport().setMouseTracking(True)
        if scene is not None:
            self.set_graph_scene(scene)

    # -- scene ------------------------------------------------------------------------
    def graph_scene(self) -> GraphScene | None:
        """The GraphScene shown (None before one is set)."""
        scene = self.scene()
        if scene is None:
            return None
        from ..graph.scene import GraphScene  # loads with the first graph
        return scene if isinstance(scene, GraphScene) else None

    def set_graph_scene(self, scene: GraphScene) -> None:
        """Show ``scene`` and fit it (the view refits on resize until the user moves)."""
        self.camera.stop()
        self.setScene(scene)
        self._auto_fit = True
        self.fit()

    # -- camera -----------------------------------------------------------------------
    def zoom(self) -> float:
        """Screen pixels per layout point."""
        return self.transform().m11()

    def scene_center(self) -> QPointF:
        """The scene point at the viewport's centre."""
        return self.mapToScene(self.viewport().rect().center())

    def min_zoom(self) -> float:
        """Half the fit zoom: enough to see the whole graph with room around it."""
        return min(self.fit_zoom() / 2, 1.0)

    def set_fit_top(self, pixels: int) -> None:
        """Leave ``pixels`` free at the top when fitting (panels drawn over the canvas)."""
        self._fit_top = max(0, pixels)
        if self._auto_fit:
            self.fit()

    def set_fit_bottom(self, pixels: int) -> None:
        """Leave ``pixels`` free at the bottom when fitting (the colour legend)."""
        self._fit_bottom = max(0, pixels)
        if self._auto_fit:
            self.fit()

    def _fit_rect(self):
        rect = self.viewport().rect()
        bottom = min(getattr(self, "_fit_bottom", 0), rect.height() // 3)
        return rect.adjusted(0, min(self._fit_top, rect.height() // 2), 0, -bottom)

    def fit_zoom(self) -> float:
        """The zoom at which the whole graph fits the viewport (below any panels)."""
        scene = self.graph_scene()
        rect = self._fit_rect()
        if scene is None or rect.isEmpty():
            return 1.0
        graph = scene.sceneRect()
        return min(rect.width() / graph.width(), rect.height() / graph.height())

    def set_camera(self, center: QPointF, zoom: float) -> None:
        """Centre on a scene point at a zoom (clamped); no animation."""
        zoom = max(self.min_zoom(), min(MAX_ZOOM, zoom))
        self._open_scroll_range(zoom)
        self.setTransform(QTransform.fromScale(zoom, zoom))
        self.centerOn(center)
        scene = self.graph_scene()
        if scene is not None:
            from ..graph.overview import OVERVIEW_ZOOM
            scene.set_overview(zoom < OVERVIEW_ZOOM)
        self.zoom_changed.emit(zoom)

    def _open_scroll_range(self, zoom: float) -> None:
        """Let the camera centre any point of the graph, even near its edges."""
        scene = self.graph_scene()
        if scene is None:
            return
        rect = self.viewport().rect()
        dx, dy = rect.width() / zoom, rect.height() / zoom
        self.setSceneRect(scene.sceneRect().adjusted(-dx, -dy, dx, dy))

    def fit(self, animated: bool = False) -> None:
        """Show the whole graph."""
        scene = self.graph_scene()
        if scene is None:
            return
        self._auto_fit = True
        zoom = self.fit_zoom()
        shift = QPointF(self._fit_rect().center() - self.viewport().rect().center()) / zoom
        center = scene.sceneRect().center() - shift  # the graph in the middle of the free part
        if animated:
            self.camera.move_to(center, zoom)
        else:
            self.camera.stop()
            self.set_camera(center, zoom)

    def zoom_by(self, factor: float, anchor: QPointF | None = None) -> None:
        """Zoom by ``factor`` keeping the scene point under ``anchor`` (viewport px) still."""
        self._auto_fit = False
        self.camera.stop()
        old = self.zoom()
        new = max(self.min_zoom(), min(MAX_ZOOM, old * factor))
        view_center = QPointF(self.viewport().rect().center())
        anchor = view_center if anchor is None else anchor
        fixed = self.mapToScene(anchor.toPoint())
        offset = (view_center - anchor) / new
        self.set_camera(fixed + offset, new)

    def zoom_in(self) -> None:
        """One step closer (the + key)."""
        self.zoom_by(ZOOM_STEP)

    def zoom_out(self) -> None:
        """One step back (the − key)."""
        self.zoom_by(1 / ZOOM_STEP)

    def pan_by(self, dx: float, dy: float) -> None:
        """Move the camera by a fraction of the viewport (arrow keys)."""
        self._auto_fit = False
        rect = self.viewport().rect()
        center = self.scene_center()
        step = QPointF(dx * rect.width(), dy * rect.height()) / self.zoom()
        self.set_camera(center + step, self.zoom())

    def focus_node(self, node_id: str, *, animated: bool = True, zoom: float | None = None) -> None:
        """Camera move to a node: centred, readable (never zooms out below the fit)."""
        scene = self.graph_scene()
        if scene is None or node_id not in scene.node_items:
            return
        self._auto_fit = False
        target = zoom or max(self.zoom(), FOCUS_ZOOM * scene.theme.font_scale)
        center = scene.node_item(node_id).rect().center()
        self.camera.move_to(center, target, duration_ms=0 if not animated else 450)

    def select_node(self, node_id: str, *, center: bool = True, animated: bool = True) -> None:
        """Select a node (highlighting its inputs and consumers) and centre it."""
        scene = self.graph_scene()
        if scene is None or node_id not in scene.node_items:
            return
        scene.select_node(node_id)
        if center:
            self.focus_node(node_id, animated=animated)

    # -- events -----------------------------------------------------------------------
    def resizeEvent(self, event) -> None:
        """Keep the graph fitted until the user has zoomed or panned."""
        super().resizeEvent(event)
        if self._auto_fit:
            self.fit()

    def mousePressEvent(self, event) -> None:
        """Remember which node a press started on (a click, unless it drags)."""
        node = self._node_at(event.position())
        self._press = (event.position(), node)
        if node is None:
            self._auto_fit = False  # a drag pans
        super().mousePressEvent(event)

    def mouseReleaseEvent(self, event) -> None:
        """Emit ``node_clicked`` for a press and release on the same node."""
        super().mouseReleaseEvent(event)
        press, self._press = self._press, None
        if press is None or event.button() != Qt.MouseButton.LeftButton:
            return
        moved = (event.position() - press[0]).manhattanLength()
        node = self._node_at(event.position())
        if node != press[1] or moved > CLICK_SLOP:
            return  # a drag: it panned
        scene = self.graph_scene()
        scene.select_node(node)
        if node is not None:
            self.node_clicked.emit(node)

    def mouseMoveEvent(self, event) -> None:
        """Emit ``node_hovered`` when the node under the mouse changes."""
        super().mouseMoveEvent(event)
        self._set_hovered(self._node_at(event.position()) if event.buttons() ==
                          Qt.MouseButton.NoButton else self._hovered)

    def leaveEvent(self, event) -> None:
        """The mouse left the view: nothing is hovered."""
        super().leaveEvent(event)
        self._set_hovered(None)

    def _set_hovered(self, node_id: str | None) -> None:
        if node_id != self._hovered:
            self._hovered = node_id
            self.node_hovered.emit(node_id)

    def mouseDoubleClickEvent(self, event) -> None:
        """Double-click a module box to collapse it, a collapsed module's node to expand it."""
        scene = self.graph_scene()
        if scene is not None and event.button() == Qt.MouseButton.LeftButton:
            pos = self.mapToScene(event.position().toPoint())
            node = scene.node_at(pos)
            path = module_path(node.node_id) if node is not None else None
            if node is not None and is_fold_id(node.node_id):
                path = node.node_id
            if path is not None:
                self.expand_requested.emit(path)
                event.accept()
                return
            box = scene.cluster_at(pos)
            if box is not None:
                self.collapse_requested.emit(box.box.name)
                event.accept()
                return
        super().mouseDoubleClickEvent(event)

    def contextMenuEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        """A folded block's menu (expand one, all; fold again) is its listener's."""
        node_id = self._node_at(QPointF(event.pos()))
        if node_id is not None and is_fold_id(node_id):
            self.fold_menu_requested.emit(node_id, event.globalPos())
            event.accept()
            return
        super().contextMenuEvent(event)

    def _node_at(self, pos: QPointF) -> str | None:
        scene = self.graph_scene()
        if scene is None:
            return None
        item = scene.node_at(self.mapToScene(pos.toPoint()))
        return item.node_id if item is not None else None

    def visible_scene_rect(self) -> QRectF:
        """The part of the scene the viewport shows."""
        return self.mapToScene(self.viewport().rect()).boundingRect()
