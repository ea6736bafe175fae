"""The replay model: which backward step is shown, playing or not, how fast.

:class:`Player` holds the current step and a timer; views subscribe to its
signals and ask :func:`state_at` what to draw. The state is a pure function of
``(snapshot, k)``, so step *k* looks the same whether reached by playing,
stepping or jumping.

Step *k* means: the first *k* steps of ``snapshot.steps`` have run (0 = the
forward pass is done and nothing has propagated; ``len(steps)`` = backward
finished). With several backward runs, node and edge states describe the
current run (a node executed in an earlier run is pending again), while each
leaf's ``.grad`` keeps what earlier runs accumulated, as PyTorch's does.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal

from gradviz.core.explain_text import add_values
from gradviz.core.snapshot import Contribution, Snapshot

PENDING, ACTIVE, DONE = "pending", "active", "done"


@dataclass
class StepState:
    """Everything a view draws at one step of the replay (plain data)."""

    step: int  # k: how many steps have run
    total: int  # len(snapshot.steps)
    run: int = 0  # the backward call the last executed step belongs to
    active: int | None = None  # index of the step just executed (k − 1), None at k = 0
    active_node: str | None = None
    node_status: dict[str, str] = field(default_factory=dict)  # node id -> pending/active/done
    node_grads: dict[str, Any] = field(default_factory=dict)  # node id -> gradient it shows
    edge_grads: dict[int, Any] = field(default_factory=dict)  # edge index -> gradient sent
    grads: dict[str, Any] = field(default_factory=dict)  # variable -> .grad so far
    contributions: dict[str, list[Contribution]] = field(default_factory=dict)  # this run's


def state_at(snapshot: Snapshot, k: int) -> StepState:
    """The replay's state after the first ``k`` steps (``k`` is clamped)."""
    steps = snapshot.steps
    k = max(0, min(k, len(steps)))
    state = StepState(step=k, total=len(steps))
    if k:
        state.active, state.active_node = k - 1, steps[k - 1].node
        state.run = steps[k - 1].run
    executed = [s for s in steps[:k] if s.run == state.run]
    edges = _edges_by_consumer(snapshot)
    for step in executed:
        state.node_status[step.node] = DONE
        state.node_grads[step.node] = _incoming(step)
        for index, value in _sent_edges(step, edges):
            state.edge_grads[index] = value
    if state.active_node is not None:
        state.node_status[state.active_node] = ACTIVE
    _tensor_nodes(snapshot, state)
    _leaf_grads(snapshot, state, steps[:k])
    return state


def accumulation_frames(snapshot: Snapshot, k: int) -> list[Any]:
    """The values a leaf's .grad badge passes through at step ``k`` (seed: 4, 12, 72).

    Empty unless the step just executed (``k − 1``) is an AccumulateGrad.
    """
    if not 0 < k <= len(snapshot.steps):
        return []
    step = snapshot.steps[k - 1]
    if step.variable is None:
        return []
    running = step.grad_before if step.grad_before is not None else 0
    frames = []
    for contribution in step.contributions:
        running = add_values(running, contribution.value)
        if running is None:  # a summarised tensor: only PyTorch's total is known
            return [step.grad_after]
        frames.append(running)
    if frames:
        frames[-1] = step.grad_after  # PyTorch's own sum (float rounding may differ)
    return frames or [step.grad_after]


def _incoming(step) -> Any:
    """The gradient arriving at a node (one output: its value; several: the list)."""
    return step.grad_in[0] if len(step.grad_in) == 1 else list(step.grad_in)


def _edges_by_consumer(snapshot: Snapshot) -> dict[str, list[tuple[str, int]]]:
    """Consumer node -> [(input node, edge index)] of its "next" edges, by input_nr."""
    cache = snapshot.__dict__.get("_player_edges")
    if cache is None:
        cache = {}
        ordered = sorted(
            (e.input_nr if e.input_nr is not None else 0, i, e)
            for i, e in enumerate(snapshot.edges) if e.kind == "next"
        )
        for _, index, edge in ordered:
            cache.setdefault(edge.target, []).append((edge.source, index))
        snapshot.__dict__["_player_edges"] = cache
    return cache


def _sent_edges(step, edges: dict[str, list[tuple[str, int]]]):
    """(edge index, value) for each gradient the step sent (duplicate inputs matched in order)."""
    free = list(edges.get(step.node, []))
    for out in step.grad_out:
        for position, (source, index) in enumerate(free):
            if source == out.target:
                del free[position]
                yield index, out.value
                break


def _tensor_nodes(snapshot: Snapshot, state: StepState) -> None:
    """Leaves follow their AccumulateGrad, saved tensors their function, outputs their root."""
    status = state.node_status
    for index, edge in enumerate(snapshot.edges):
        if edge.kind == "output" and edge.source in status:
            status[edge.target] = DONE
            state.node_grads[edge.target] = state.node_grads[edge.source]
            state.edge_grads[index] = state.node_grads[edge.source]
        elif edge.kind == "variable" and edge.target in status:
            status[edge.source] = status[edge.target]
    for node in snapshot.nodes:
        if node.kind == "saved" and node.saved_of in status:
            status[node.id] = status[node.saved_of]
        status.setdefault(node.id, PENDING)


def _leaf_grads(snapshot: Snapshot, state: StepState, done: list) -> None:
    """Each variable's .grad so far, and the contributions of the current run so far."""
    first: dict[str, Any] = {}
    for step in snapshot.steps:
        if step.variable is not None:
            first.setdefault(step.variable, step.grad_before)
    for var in snapshot.variables:
        state.grads[var.name] = first.get(var.name)
    for step in done:
        if step.variable is not None:
            state.grads[step.variable] = step.grad_after
    for var in snapshot.variables:
        state.contributions[var.name] = []
    run_steps = [s for s in snapshot.steps if s.run == state.run and s.variable is not None]
    for step in run_steps:
        state.contributions[step.variable] = [
            c for c in step.contributions if c.step < state.step
        ]
    for var in snapshot.variables:
        if var.node is not None and state.grads.get(var.name) is not None:
            state.node_grads[var.node] = state.grads[var.name]


class Player(QObject):
    """Current step, playing flag, speed and loop of the backward replay."""

    step_changed = Signal(int)
    playing_changed = Signal(bool)
    speed_changed = Signal(float)
    snapshot_changed = Signal()

    BASE_INTERVAL_MS = 900  # one step per 0.9 s at 1×
    MIN_SPEED, MAX_SPEED = 0.25, 4.0

    def __init__(self, snapshot: Snapshot | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._snapshot = snapshot
        self._step = 0
        self._speed = 1.0
        self._loop = False
        self._timer = QTimer(self)
        self._timer.timeout.connect(self._on_tick)
        self._timer.setInterval(self._interval())
        self._states: dict[int, StepState] = {}

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
        """The number of backward steps (the last value :attr:`step` takes)."""
        return len(self._snapshot.steps) if self._snapshot is not None else 0

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
        """What to draw now (:func:`state_at` of the current step, cached)."""
        if self._snapshot is None:
            return StepState(step=0, total=0)
        if self._step not in self._states:
            self._states[self._step] = state_at(self._snapshot, self._step)
        return self._states[self._step]

    def frames(self) -> list[Any]:
        """:func:`accumulation_frames` at the current step."""
        return accumulation_frames(self._snapshot, self._step) if self._snapshot else []

    # -- commands --------------------------------------------------------
    def set_snapshot(self, snapshot: Snapshot | None) -> None:
        """Replay another Snapshot from step 0 (stops playing)."""
        self.pause()
        self._snapshot = snapshot
        self._states.clear()
        self._step = 0
        self.snapshot_changed.emit()
        self.step_changed.emit(0)

    def set_step(self, k: int) -> None:
        """Jump to step ``k``, clamped to 0 … :attr:`count`."""
        k = max(0, min(int(k), self.count))
        if k != self._step:
            self._step = k
            self.step_changed.emit(k)

    def next(self) -> None:
        """One step forward (stays at the end)."""
        self.set_step(self._step + 1)

    def previous(self) -> None:
        """One step back (stays at 0)."""
        self.set_step(self._step - 1)

    def first(self) -> None:
        """Back to the state before backward."""
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
