"""The graph's side of the replay: draws the player's state on the scene, follows the active node.

:class:`SceneReplay` is the one place the window's scene meets the
:class:`~gradviz.ui.viewer.player.Player`: at an AccumulateGrad step it walks the
leaf's badge through its partial sums (seed: 4 → 12 → 72).
"""

from __future__ import annotations

from PySide6.QtCore import QObject, QTimer

from ..graph.step_view import apply_step
from .player import Player

FRAME_MS = 320  # longest pause on each value of a leaf's accumulating .grad


class SceneReplay(QObject):
    """Draws the player's current state on the scene (through :func:`apply_step`).

    At an AccumulateGrad step the leaf's badge passes through the running sums
    (4 → 12 → 72) on a short timer; any other step change ends that at once.
    """

    def __init__(self, player: Player, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.player = player
        self.scene = None
        self._leaf: str | None = None
        self._frames: list = []
        self._timer = QTimer(self)
        self._timer.timeout.connect(self._next_frame)

    def set_scene(self, scene) -> None:
        """Draw on ``scene`` from now on (None: nothing)."""
        self._timer.stop()
        self._frames = []
        self.scene = scene

    def apply(self) -> None:
        """Draw the player's current step; start the accumulation frames if any."""
        self._timer.stop()
        self._frames = []
        if self.scene is None or self.player.snapshot is None:
            return
        frames = self.player.frames()
        self._leaf = self._accumulating_leaf()
        if self._leaf is None or len(frames) < 2:
            apply_step(self.scene, self.player.state())
            return
        self._frames = list(frames)
        self._next_frame()
        self._timer.start(min(FRAME_MS, self.player.interval_ms // (len(frames) + 1)))

    def finish(self) -> None:
        """Jump to the end of a running accumulation (its last frame is the final .grad)."""
        if self._frames:
            self._frames = self._frames[-1:]
            self._next_frame()

    def is_animating(self) -> bool:
        """True while an accumulation's frames are being shown."""
        return bool(self._frames)

    def _accumulating_leaf(self) -> str | None:
        """The leaf node whose AccumulateGrad the current step ran, if any."""
        snapshot, state = self.player.snapshot, self.player.state()
        if state.active is None:
            return None
        name = snapshot.steps[state.active].variable
        nodes = [v.node for v in snapshot.variables if v.name == name]
        return nodes[0] if nodes and nodes[0] in self.scene.node_items else None

    def _next_frame(self) -> None:
        if self._frames and self.scene is not None:
            value, state = self._frames.pop(0), self.player.state()
            # the leaf and its AccumulateGrad show the same running sum: neither is ahead
            apply_step(self.scene, state, {self._leaf: value, state.active_node: value})
        if not self._frames:
            self._timer.stop()


def follow_active_node(view, player: Player) -> None:
    """While playing, bring the active node into ``view`` if it is outside."""
    scene = view.graph_scene()
    node_id = player.state().active_node
    if not player.playing or node_id is None or scene is None:
        return
    item = scene.node_items.get(node_id)
    if item is not None and not view.visible_scene_rect().contains(item.rect()):
        view.focus_node(node_id, zoom=view.zoom())
