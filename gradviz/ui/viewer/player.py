"""The replay model: which position of the replay is shown, playing or not, how fast.

:class:`Player` holds the current position and a timer; views subscribe to its
signals and ask :meth:`Player.state` what to draw. States are those of the pure
functions (:mod:`gradviz.replay.state`), so a position looks the same whether
reached by playing, stepping or jumping; the Player computes them incrementally
(:class:`~gradviz.replay.timeline.Timeline`: step k from the step shown before).

By default a position *k* is backward step *k* (0 = the forward pass is done).
With the forward replay on (:meth:`Player.set_forward_replay`), positions
0 … F walk the forward pass first (F: the number of computed nodes; 0 = only
the inputs, F = the output computed), then position F + k is backward step k.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal

from gradviz.core.graph.forward import forward_order
from gradviz.core.snapshot import Snapshot
from gradviz.replay.groups import next_stop, previous_stop
from gradviz.replay.state import (  # noqa: F401 - re-exported: the replay's public API
    ACTIVE,
    BACKWARD,
    DONE,
    FORWARD,
    PENDING,
    StepState,
    accumulation_frames,
    forward_state_at,
    state_at,
)
from gradviz.replay.timeline import Timeline


class Player(QObject):
    """Current position, playing flag, speed and loop of the replay.

    ``step`` and ``count`` are timeline positions: backward steps unless the
    forward replay is on (see the module's docstring); :attr:`phase` and
    :attr:`backward_step` say where a position falls.
    """

    step_changed = Signal(int)
    playing_changed = Signal(bool)
    speed_changed = Signal(float)
    snapshot_changed = Signal()  # a new Snapshot, or the forward replay turned on or off

    BASE_INTERVAL_MS = 900  # one step per 0.9 s at 1×
    MIN_SPEED, MAX_SPEED = 0.25, 4.0

    def __init__(self, snapshot: Snapshot | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._snapshot = snapshot
        self._step = 0
        self._speed = 1.0
        self._loop = False
        self._forward = False
        self._timer = QTimer(self)
        self._timer.timeout.connect(self._on_tick)
        self._timer.setInterval(self._interval())
        self._timeline = Timeline(snapshot) if snapshot is not None else None
        self._state: tuple[int, StepState] | None = None  # (position, its state), once asked

    # -- read-only state -------------------------------------------------
    @property
    def snapshot(self) -> Snapshot | None:
        """The Snapshot being replayed (None before one is set)."""
        return self._snapshot

    @property
    def step(self) -> int:
        """How many steps have run (0 … :attr:`count`)."""
        return self._step

    @property
    def count(self) -> int:
        """The last position: backward steps, plus the forward pass's nodes when it is replayed."""
        if self._snapshot is None:
            return 0
        return self.forward_count + len(self._snapshot.steps)

    @property
    def forward_replay(self) -> bool:
        """True when the timeline walks the forward pass before the backward steps."""
        return self._forward

    @property
    def forward_count(self) -> int:
        """The forward pass's last position (its computed nodes; 0 when not replayed)."""
        if not self._forward or self._snapshot is None:
            return 0
        return len(forward_order(self._snapshot))

    @property
    def phase(self) -> str:
        """``FORWARD`` or ``BACKWARD``: which pass the current position shows."""
        return FORWARD if self._forward and self._step <= self.forward_count else BACKWARD

    @property
    def backward_step(self) -> int:
        """The backward step shown (0 during the forward pass)."""
        return max(0, self._step - self.forward_count)

    @property
    def playing(self) -> bool:
        """True while the timer advances the replay."""
        return self._timer.isActive()

    @property
    def speed(self) -> float:
        """Playback speed, 0.25× to 4×."""
        return self._speed

    @property
    def loop(self) -> bool:
        """Whether playing wraps from the end back to the start."""
        return self._loop

    @property
    def interval_ms(self) -> int:
        """Milliseconds between two steps at the current speed."""
        return self._interval()

    def state(self) -> StepState:
        """What to draw now: :func:`state_at` of the current step (or :func:`forward_state_at`
        during the forward pass), derived from the state asked for before it."""
        if self._snapshot is None:
            return StepState(step=0, total=0)
        if self._state is None or self._state[0] != self._step:
            if self.phase == FORWARD:
                state = self._timeline.forward_state_at(self._step)
            else:
                state = self._timeline.state_at(self.backward_step)
            self._state = (self._step, state)
        return self._state[1]

    def frames(self) -> list[Any]:
        """:func:`accumulation_frames` at the current backward step (none while forward)."""
        if self._snapshot is None or self.phase == FORWARD:
            return []
        return accumulation_frames(self._snapshot, self.backward_step)

    # -- commands --------------------------------------------------------
    def set_snapshot(self, snapshot: Snapshot | None, step: int = 0) -> None:
        """Replay another Snapshot from position ``step`` (clamped; stops playing)."""
        self.pause()
        if snapshot is not self._snapshot or self._timeline is None:
            self._timeline = Timeline(snapshot) if snapshot is not None else None
        self._snapshot = snapshot
        self._state = None
        self._step = max(0, min(int(step), self.count))
        self.snapshot_changed.emit()
        self.step_changed.emit(self._step)

    def replace_snapshot(self, snapshot: Snapshot) -> None:
        """Another drawing of the same replay (e.g. modules collapsed: same steps): the
        backward step shown stays, and so does playing."""
        playing, old_forward = self.playing, self.forward_count
        position, backward = self._step, self.backward_step
        new_forward = len(forward_order(snapshot)) if self._forward else 0
        self.set_snapshot(snapshot, position if position < old_forward else new_forward + backward)
        if playing:
            self.play()

    def set_forward_replay(self, on: bool) -> None:
        """Walk the forward pass before the backward steps (or not); the backward step
        shown stays (from the forward pass, the replay starts again at 0)."""
        on = bool(on)
        if on == self._forward:
            return
        backward = self.backward_step if self.phase == BACKWARD else 0
        self._forward = on
        position = self.forward_count + backward if backward else 0
        self.set_snapshot(self._snapshot, position)

    def set_step(self, k: int) -> None:
        """Jump to step ``k``, clamped to 0 … :attr:`count`."""
        k = max(0, min(int(k), self.count))
        if k != self._step:
            self._step = k
            self.step_changed.emit(k)

    def next(self) -> None:
        """One step forward (stays at the end); a folded block's steps are one step."""
        base = self.forward_count
        if self._snapshot is not None and self._step >= base:
            self.set_step(base + next_stop(self._snapshot, self._step - base))
        else:
            self.set_step(self._step + 1)

    def previous(self) -> None:
        """One step back (stays at 0); a folded block's steps are one step."""
        base = self.forward_count
        if self._snapshot is not None and self._step > base:
            self.set_step(base + previous_stop(self._snapshot, self._step - base))
        else:
            self.set_step(self._step - 1)

    def first(self) -> None:
        """Back to the start (before backward; before the forward pass when it is replayed)."""
        self.set_step(0)

    def last(self) -> None:
        """To the end of backward."""
        self.set_step(self.count)

    def play(self) -> None:
        """Start advancing; from the end, start again at 0."""
        if self.playing or self.count == 0:
            return
        if self._step >= self.count:
            self.set_step(0)
        self._timer.start(self._interval())
        self.playing_changed.emit(True)

    def pause(self) -> None:
        """Stop advancing (the step stays)."""
        if self.playing:
            self._timer.stop()
            self.playing_changed.emit(False)

    def toggle(self) -> None:
        """Play if paused, pause if playing."""
        self.pause() if self.playing else self.play()

    def set_speed(self, speed: float) -> None:
        """Playback speed, clamped to 0.25×–4×."""
        speed = max(self.MIN_SPEED, min(float(speed), self.MAX_SPEED))
        if speed != self._speed:
            self._speed = speed
            self._timer.setInterval(self._interval())
            self.speed_changed.emit(speed)

    def set_loop(self, loop: bool) -> None:
        """Whether playing wraps around at the end."""
        self._loop = bool(loop)

    # -- internals -------------------------------------------------------
    def _interval(self) -> int:
        return max(1, round(self.BASE_INTERVAL_MS / self._speed))

    def _on_tick(self) -> None:
        if self._step >= self.count:
            if not self._loop:
                self.pause()
                return
            self.set_step(0)
            return
        self.next()
        if self._step >= self.count and not self._loop:
            self.pause()
