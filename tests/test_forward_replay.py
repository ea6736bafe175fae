"""The forward-pass replay: creation order, pure forward states, phase-aware positions."""

from __future__ import annotations

import pytest
from snapshots import seed_snapshot, transformer_snapshot

from gradviz.core.graph.forward import forward_inputs, forward_order, is_computed
from gradviz.ui.graph.scene import GraphScene
from gradviz.ui.graph.step_view import apply_step
from gradviz.ui.viewer.player import (
    ACTIVE,
    BACKWARD,
    DONE,
    FORWARD,
    PENDING,
    Player,
    forward_state_at,
    state_at,
)


@pytest.fixture(scope="module")
def seed():
    return seed_snapshot()


def values_in_order(snapshot):
    nodes = {n.id: n for n in snapshot.nodes}
    return [nodes[i].value for i in forward_order(snapshot)]


def assert_topological(snapshot):
    order = forward_order(snapshot)
    where = {node_id: i for i, node_id in enumerate(order)}
    computed = {n.id for n in snapshot.nodes if is_computed(n)}
    assert set(order) == computed and len(order) == len(computed)
    for edge in snapshot.edges:
        if edge.kind == "next" and edge.source in where and edge.target in where:
            assert where[edge.source] < where[edge.target], edge


def test_the_seed_is_computed_in_pytorchs_own_creation_order(seed):
    # 5*x**3 + 2*x**2 + 4*x + 8: x**3, 5*…, x**2, 2*…, +, 4*x, +, + 8
    assert values_in_order(seed) == [8.0, 40.0, 4.0, 8.0, 48.0, 8.0, 56.0, 64.0]
    assert_topological(seed)
    assert "AccumulateGrad" not in {n.op for n in seed.nodes if n.id in forward_order(seed)}


def test_a_transformer_order_is_topological():
    assert_topological(transformer_snapshot(layers=1, layout=False))


def test_forward_states_light_the_nodes_in_topological_order(seed):
    order = forward_order(seed)
    start = forward_state_at(seed, 0)
    assert start.phase == FORWARD and start.active_node is None and start.step == 0
    leaves = {n.id for n in seed.nodes if n.kind == "leaf"}
    assert all(start.node_status[i] == DONE for i in leaves)
    assert all(start.node_status[i] == PENDING for i in order)
    assert start.grads == {"x": None} and not start.node_grads and not start.edge_grads
    for k in range(1, len(order) + 1):
        state = forward_state_at(seed, k)
        active = order[k - 1]
        assert state.active_node == active and state.node_status[active] == ACTIVE
        assert [state.node_status[i] for i in order] == [DONE] * (k - 1) + [ACTIVE] + \
            [PENDING] * (len(order) - k)
        for source in forward_inputs(seed, active):  # every input exists already
            assert state.node_status[source] == DONE
        feeding = [i for i, e in enumerate(seed.edges)
                   if e.kind == "next" and e.target == active]
        assert feeding and all(state.edge_status[i] == ACTIVE for i in feeding)
    output = seed.output.node
    assert forward_state_at(seed, len(order) - 1).node_status[output] == PENDING
    assert forward_state_at(seed, len(order)).node_status[output] == ACTIVE
    assert forward_state_at(seed, 99) == forward_state_at(seed, len(order))  # clamped


def test_positions_are_deterministic_jump_or_step(qtbot, seed):
    stepping, jumping = Player(), Player()
    for player in (stepping, jumping):
        player.set_snapshot(seed)
        player.set_forward_replay(True)
    assert stepping.count == 8 + 9 and stepping.forward_count == 8
    seen = []
    for k in range(stepping.count + 1):
        stepping.set_step(k) if k == 0 else stepping.next()
        jumping.set_step(k)
        assert stepping.state() == jumping.state(), k
        fresh = Player()
        fresh.set_snapshot(seed)
        fresh.set_forward_replay(True)
        fresh.last()
        fresh.set_step(k)  # reached from the end, backwards
        assert fresh.state() == stepping.state(), k
        seen.append((stepping.phase, stepping.backward_step))
    assert seen[:9] == [(FORWARD, 0)] * 9
    assert seen[9:] == [(BACKWARD, k) for k in range(1, 10)]
    stepping.set_step(8 + 4)
    assert stepping.state() == state_at(seed, 4)
    stepping.set_step(3)
    assert stepping.state() == forward_state_at(seed, 3)


def test_turning_the_forward_replay_on_and_off_keeps_the_backward_step(qtbot, seed):
    player = Player()
    player.set_snapshot(seed)
    assert not player.forward_replay and player.count == 9 and player.phase == BACKWARD
    player.set_step(4)
    player.set_forward_replay(True)
    assert player.step == 8 + 4 and player.backward_step == 4
    player.set_step(2)  # inside the forward pass
    player.set_forward_replay(False)
    assert player.step == 0 and player.state() == state_at(seed, 0)
    player.set_forward_replay(True)
    assert player.step == 0 and player.phase == FORWARD
    player.play()
    assert player.playing and player.frames() == []
    player.pause()


def test_values_appear_as_the_forward_pass_computes_them(qapp, seed):
    scene = GraphScene(seed)
    order = forward_order(seed)
    apply_step(scene, forward_state_at(seed, 2))
    shown = {i for i, item in scene.node_items.items() if item.value_shown()}
    assert set(order[:2]) <= shown and not set(order[2:]) & shown
    assert scene.node_items[seed.variable("x").node].value_shown()
    assert scene.node_items[order[1]].state() == "active"
    assert scene.node_items[order[5]].state() == "dimmed"
    assert all(not item.grad_text() for item in scene.node_items.values())
    apply_step(scene, state_at(seed, 0))  # back to backward step 0: every value shown
    assert all(item.value_shown() for item in scene.node_items.values())
