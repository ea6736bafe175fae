"""The graph view's zoom and pan inputs: the wheel, pinch gestures and the keyboard.

Mixed into :class:`~gradviz.ui.viewer.view.GraphView` (before ``QGraphicsView``), whose
``zoom_by``, ``zoom_in``/``zoom_out``, ``fit``, ``set_camera`` and ``pan_by`` they call.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QPointF, Qt

WHEEL_BASE = 1.0015  # zoom factor per 1/8° of wheel rotation
PAN_FRACTION = 0.15  # one arrow key press, as a fraction of the viewport

__all__ = ["PAN_FRACTION", "WHEEL_BASE", "ViewInput"]


class ViewInput:
    """Wheel to cursor, pinch, +/−, F, 0 and Shift+arrows; plain ←/→ go to the window."""

    def wheelEvent(self, event) -> None:
        """Zoom towards the cursor."""
        delta = event.angleDelta().y() or event.pixelDelta().y()
        if delta:
            self.zoom_by(WHEEL_BASE ** delta, event.position())
        event.accept()

    def viewportEvent(self, event) -> bool:
        """Pinch: touch gestures and trackpad native zoom gestures."""
        if event.type() == QEvent.Type.Gesture:
            pinch = event.gesture(Qt.GestureType.PinchGesture)
            if pinch is not None:
                anchor = self.viewport().mapFromGlobal(pinch.centerPoint().toPoint())
                self.zoom_by(pinch.scaleFactor(), QPointF(anchor))
                return True
        if event.type() == QEvent.Type.NativeGesture and \
                event.gestureType() == Qt.NativeGestureType.ZoomNativeGesture:
            self.zoom_by(1.0 + event.value(), event.position())
            return True
        return super().viewportEvent(event)

    def keyPressEvent(self, event) -> None:
        """+/− zoom, F fit, 0 actual size, Shift+arrows pan (plain arrows step the replay)."""
        key = event.key()
        shifted = event.modifiers() & Qt.KeyboardModifier.ShiftModifier
        pans = {Qt.Key.Key_Left: (-PAN_FRACTION, 0), Qt.Key.Key_Right: (PAN_FRACTION, 0),
                Qt.Key.Key_Up: (0, -PAN_FRACTION), Qt.Key.Key_Down: (0, PAN_FRACTION)}
        if key in (Qt.Key.Key_Plus, Qt.Key.Key_Equal):
            self.zoom_in()
        elif key in (Qt.Key.Key_Minus, Qt.Key.Key_Underscore):
            self.zoom_out()
        elif key == Qt.Key.Key_F:
            self.fit(animated=True)
        elif key == Qt.Key.Key_0:
            self.set_camera(self.scene_center(), 1.0)
        elif key in pans and shifted:
            self.pan_by(*pans[key])
        elif key in pans:
            event.ignore()  # for the window: ←/→ step the replay
        else:
            super().keyPressEvent(event)
