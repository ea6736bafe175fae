"""What node and edge items share: replay states, highlight roles, level-of-detail limits."""

from __future__ import annotations

from PySide6.QtWidgets import QGraphicsItem

STATES = ("idle", "dimmed", "active", "done")
ROLES = (None, "selected", "input", "consumer", "path")  # path: on a chain-rule path
LOD_PLAIN = 0.3  # below: boxes without border, edges without arrowheads
MIN_TEXT_PX = 5.0  # below this on-screen size text is unreadable noise: skipped
MARGIN = 6.0  # room around the box for the glow and thick borders


def look_changed(item: QGraphicsItem) -> None:
    """Repaint ``item`` and tell its scene (the overview draws emphasised items on top)."""
    item.update()
    scene = item.scene()
    if scene is not None and hasattr(scene, "item_look_changed"):
        scene.item_look_changed(item)


def check(value: str | None, allowed: tuple) -> None:
    """ValueError unless ``value`` is one of ``allowed``."""
    if value not in allowed:
        raise ValueError(f"{value!r} is not one of {allowed}")


class ReplayLook:
    """Replay state and exploration role, shared by node and edge items.

    Mixed into a ``QGraphicsItem`` whose ``_palette`` gives the dimmed opacity.
    """

    _state = "idle"
    _role: str | None = None

    def state(self) -> str:
        """``idle``, ``dimmed``, ``active`` or ``done``."""
        return self._state

    def set_state(self, state: str) -> None:
        """Replay state: ``idle``, ``dimmed`` (faded), ``active`` (glows), ``done``."""
        check(state, STATES)
        if state != self._state:
            self._state = state
            self.setOpacity(self._palette.theme.dim_opacity if state == "dimmed" else 1.0)
            look_changed(self)

    def role(self) -> str | None:
        """Exploration highlight: ``selected``, ``input``, ``consumer`` or None."""
        return self._role

    def set_role(self, role: str | None) -> None:
        """Highlight as the selected node, an input or consumer of it, or on a path
        to it / in the part of the expression selected (``path``); None: none."""
        check(role, ROLES)
        if role != self._role:
            self._role = role
            look_changed(self)
