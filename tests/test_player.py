"""The replay model: deterministic states, stepping, playing, looping, accumulation frames."""

from __future__ import annotations

import pytest

from gradviz.core.snapshot import Snapshot
from gradviz.ui.viewer.player import Player, accumulation_frames, state_at
from tests.snapshots import neuron_snapshot, seed_snapshot


@pytest.fixture(scope="module")
def seed() -> Snapshot:
    return seed_snapshot(layout=False)


@pytest.fixture(scope="module")
def seed_twice() -> Snapshot:
    return seed_snapshot(layout=False, runs=2)


@pytest.fixture
def player(qtbot, seed):
    p = Player()
    p.set_snapshot(seed)
    yield p
    p.pause()


def grad_at(snapshot, name, k):
    """x.grad after the first k steps, straight from the Snapshot's steps."""
    grad = None
    for step in snapshot.steps[:k]:
        if step.variable == name:
            grad = step.grad_after
    return grad


def test_stepping_through_the_seed_shows_the_snapshots_grads(player, seed):
    assert player.count == 9 and player.step == 0
    assert player.state().grads == {"x": None}
    for k in range(1, 10):
        player.next()
        state = player.state()
        assert state.step == k and state.active == k - 1
        assert state.active_node == seed.steps[k - 1].node
        assert state.grads["x"] == grad_at(seed, "x", k)
    assert player.state().grads == {"x": 72.0}
    player.next()  # stays at the end
    assert player.step == 9


def test_node_states_and_gradients(seed):
    start = state_at(seed, 0)
    assert set(start.node_status.values()) == {"pending"} and not start.edge_grads
    mid = state_at(seed, 8)  # the x³ step has just run; AccumulateGrad is next
    assert mid.node_status["n6"] == "active" and mid.node_status["n4"] == "done"
    assert mid.node_status["n8"] == "pending" and mid.node_status["n9"] == "pending"
    assert mid.node_status["n7"] == "active"  # the saved x of x³ follows its function
    assert mid.node_grads["n6"] == 5.0 and mid.node_grads["n0"] == 1.0
    assert mid.node_grads["n12"] == 2.0 and "n8" not in mid.node_grads
    assert mid.contributions["x"] == [c for c in seed.steps[8].contributions]
    assert [c.value for c in state_at(seed, 3).contributions["x"]] == [4.0]
    end = state_at(seed, 9)
    assert end.node_grads["n9"] == 72.0 and end.node_status["n9"] == "active"
    assert set(end.node_status.values()) <= {"done", "active"}


def test_edge_labels_follow_grad_out(seed):
    end = state_at(seed, 9)
    labels = {(seed.edges[i].source, seed.edges[i].target): v for i, v in end.edge_grads.items()}
    assert labels[("n8", "n6")] == 60.0 and labels[("n8", "n12")] == 8.0
    assert labels[("n8", "n13")] == 4.0 and labels[("n6", "n4")] == 5.0
    assert labels[("n1", "n0")] == 1.0  # the output edge carries the seed gradient
    for index in end.edge_grads:
        assert seed.edges[index].kind in ("next", "output")


def test_duplicate_edges_each_get_their_gradient():
    import torch

    from gradviz.core.runtime.pipeline import BuildOptions, build_snapshot

    x = torch.tensor(3.0, requires_grad=True)
    w = torch.tensor(2.0, requires_grad=True)
    snapshot = build_snapshot(x * x * w, params={"x": x, "w": w},
                              options=BuildOptions(layout=False))
    end = state_at(snapshot, len(snapshot.steps))
    square = next(s for s in snapshot.steps if len(s.grad_out) == 2
                  and s.grad_out[0].target == s.grad_out[1].target)
    both = [i for i, e in enumerate(snapshot.edges)
            if e.kind == "next" and e.target == square.node]
    assert len(both) == 2 and sorted(end.edge_grads[i] for i in both) == [6.0, 6.0]
    assert end.grads == {"x": 12.0, "w": 9.0}


def test_accumulation_frames_pass_through_the_running_sums(player, seed):
    assert [accumulation_frames(seed, k) for k in range(9)] == [[]] * 9
    player.last()
    assert player.frames() == [4.0, 12.0, 72.0]


def test_set_step_equals_stepping(seed_twice):
    player = Player(seed_twice)
    stepped = []
    for _ in range(player.count + 1):
        stepped.append(player.state())
        player.next()
    for k in reversed(range(player.count + 1)):
        player.set_step(k)
        assert player.state() == stepped[k] == state_at(seed_twice, k)


def test_two_runs_show_grad_72_then_144(seed_twice):
    k_first = next(i for i, s in enumerate(seed_twice.steps) if s.variable) + 1
    assert state_at(seed_twice, k_first).grads["x"] == 72.0
    restart = state_at(seed_twice, k_first + 1)  # first step of run 2
    assert restart.run == 1 and restart.grads["x"] == 72.0
    assert restart.node_status["n8"] == "pending"  # a new run: nodes pending again
    assert restart.contributions["x"] == []
    assert state_at(seed_twice, len(seed_twice.steps)).grads["x"] == 144.0
    assert accumulation_frames(seed_twice, len(seed_twice.steps)) == [76.0, 84.0, 144.0]


def test_clamping(player, qtbot):
    with qtbot.waitSignal(player.step_changed) as blocker:
        player.set_step(100)
    assert blocker.args == [9] and player.step == 9
    player.set_step(-5)
    assert player.step == 0
    player.previous()
    assert player.step == 0
    player.set_speed(100)
    assert player.speed == 4.0
    player.set_speed(0.01)
    assert player.speed == 0.25 and player.interval_ms == 3600


def test_signals_only_on_change(player, qtbot):
    with qtbot.assertNotEmitted(player.step_changed):
        player.set_step(0)
    with qtbot.waitSignal(player.speed_changed) as blocker:
        player.set_speed(2)
    assert blocker.args == [2.0] and player.interval_ms == 450


def test_play_reaches_the_end_and_stops(player, qtbot):
    player.BASE_INTERVAL_MS = 20
    player.set_speed(4)
    seen = []
    player.step_changed.connect(seen.append)
    with qtbot.waitSignal(player.playing_changed, timeout=5000) as started:
        player.play()
    assert started.args == [True]
    with qtbot.waitSignal(player.playing_changed, timeout=5000) as stopped:
        pass
    assert stopped.args == [False] and player.step == 9 and not player.playing
    assert seen == list(range(1, 10))
    with qtbot.waitSignal(player.step_changed, timeout=1000) as rewound:
        player.play()  # from the end, play starts again at 0
    assert rewound.args == [0]
    player.pause()


def test_loop_wraps(player, qtbot):
    player.BASE_INTERVAL_MS = 10
    player.set_loop(True)
    player.set_step(8)
    seen = []
    player.step_changed.connect(seen.append)
    player.toggle()
    qtbot.waitUntil(lambda: len(seen) >= 3, timeout=5000)
    assert seen[:3] == [9, 0, 1] and player.playing
    player.toggle()
    assert not player.playing


def test_set_snapshot_resets(player, qtbot):
    player.last()
    with qtbot.waitSignals([player.snapshot_changed, player.step_changed]):
        player.set_snapshot(neuron_snapshot(layout=False))
    assert player.step == 0 and player.count == 6
    assert set(player.state().grads) == {"w", "x", "b"}
    player.set_snapshot(None)
    assert player.count == 0 and player.state().total == 0
    player.play()
    assert not player.playing
