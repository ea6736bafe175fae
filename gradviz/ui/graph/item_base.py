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
    scene = getattr(item, "graph_scene", None) or item.scene()  # out of it in overview
    if scene is not None and hasattr(scene, "items_look_changed"):
        scene.items_look_changed([item])
    else:
        item.update()


def check(value: str | None, allowed: tuple) -> None:
    """ValueError unless ``value`` is one of ``allowed``."""
    if value not in allowed:
        raise ValueError(f"{value!r} is not one of {allowed}")


class ReplayLook:
    """Replay state and exploration role, shared by node and edge items.

    Mixed into a ``QGraphicsItem`` whose ``_palette`` is the scene's shared,
    per-theme look, and whose ``paint`` draws the dimmed look itself (faded fill
    and lines, readable text: never the item's opacity, which would fade the
    text too). A state is one attribute: a replay step that changes a thousand
    items costs a thousand attribute writes and one notification
    (:meth:`set_state_quietly`, or the step view's own write of ``_state``, then
    ``GraphScene.items_look_changed``), not a thousand restylings.
    """

    _state = "idle"
    _role: str | None = None
    is_node = False  # NodeItem: True (cheaper than isinstance/hasattr on Qt wrappers)

    def state(self) -> str:
        """``idle``, ``dimmed``, ``active`` or ``done``."""
        return self._state

    def set_state(self, state: str) -> None:
        """Replay state: ``idle``, ``dimmed`` (faded), ``active`` (glows), ``done``."""
        if self.set_state_quietly(state):
            look_changed(self)

    def set_state_quietly(self, state: str) -> bool:
        """Set the state without repainting or telling the scene; True if it changed.

        For batches: the caller hands every changed item to
        ``GraphScene.items_look_changed`` once.
        """
        if state == self._state:
            return False
        check(state, STATES)
        self._state = state
        return True

    def look_opacity(self) -> float:
        """How far the look fades fill and lines: the theme's dimmed opacity, or 1."""
        return self._palette.theme.dim_opacity if self._state == "dimmed" else 1.0

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
