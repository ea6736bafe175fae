"""Animated camera moves for the graph view (after xdot.py's ZoomToAnimation).

A move interpolates the view's centre linearly and its zoom in log space;
when the target is far away the zoom first dips so that both ends are in
sight, then comes back in, which keeps the viewer oriented.
"""

from __future__ import annotations

import math

from PySide6.QtCore import QEasingCurve, QObject, QPointF, QVariantAnimation, Signal

DURATION_MS = 450


class CameraAnimation(QObject):
    """Moves a :class:`~gradviz.ui.viewer.view.GraphView`'s camera to a centre and zoom."""

    finished = Signal()

    def __init__(self, view, parent: QObject | None = None) -> None:
        super().__init__(parent or view)
        self._view = view
        self._anim = QVariantAnimation(self)
        self._anim.setStartValue(0.0)
        self._anim.setEndValue(1.0)
        self._anim.setEasingCurve(QEasingCurve.Type.InOutCubic)
        self._anim.valueChanged.connect(self._on_value)
        self._anim.finished.connect(self.finished)
        self._start = (QPointF(), 1.0)
        self._end = (QPointF(), 1.0)
        self._dip = 1.0

    def is_running(self) -> bool:
        """True while a move is under way."""
        return self._anim.state() == QVariantAnimation.State.Running

    def stop(self) -> None:
        """Stop where the camera is now."""
        self._anim.stop()

    def move_to(self, center: QPointF, zoom: float, duration_ms: int = DURATION_MS) -> None:
        """Glide to ``center`` (scene point) at ``zoom``; ``duration_ms=0`` jumps."""
        self._anim.stop()
        view = self._view
        start = (view.scene_center(), view.zoom())
        self._start, self._end = start, (QPointF(center), zoom)
        self._dip = self._dip_zoom(start, self._end)
        if duration_ms <= 0:
            self._on_value(1.0)
            self.finished.emit()
            return
        self._anim.setDuration(duration_ms)
        self._anim.start()

    def _dip_zoom(self, start, end) -> float:
        """The zoom at mid-flight: low enough to see both ends of a long move."""
        (c0, z0), (c1, z1) = start, end
        viewport = self._view.viewport().rect()
        distance = math.hypot(c1.x() - c0.x(), c1.y() - c0.y())
        if distance == 0:
            return math.sqrt(z0 * z1)
        both = 0.9 * min(viewport.width(), viewport.height()) / distance
        return min(z0, z1, max(both, min(z0, z1) / 4))

    def _on_value(self, t: float) -> None:
        (c0, z0), (c1, z1) = self._start, self._end
        zm = self._dip
        log_zoom = ((1 - t) ** 2 * math.log(z0) + 2 * t * (1 - t) * math.log(zm)
                    + t * t * math.log(z1))
        center = QPointF(c0.x() + (c1.x() - c0.x()) * t, c0.y() + (c1.y() - c0.y()) * t)
        self._view.set_camera(center, math.exp(log_zoom))
