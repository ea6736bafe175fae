"""The fast replay shows exactly what the reference shows.

:class:`~gradviz.replay.timeline.Timeline` (states from deltas) against the
pure :func:`state_at` / :func:`forward_state_at` at every position; the scene
reached by playing, stepping back or jumping against a fresh scene given the
reference state (every item's state, texts, labels; the overview's groups and
pixels); and the work a step does stays small.
"""

from __future__ import annotations

import random

import pytest
from PySide6.QtGui import QImage, QPainter
from snapshots import chain_snapshot, seed_snapshot, transformer_snapshot

from gradviz.core.graph.forward import forward_order
from gradviz.replay.timeline import Timeline
from gradviz.ui.graph import step_view
from gradviz.ui.graph.overview import OverviewItem
from gradviz.ui.graph.scene import GraphScene
from gradviz.ui.graph.step_view import apply_step
from gradviz.ui.viewer.player import Player, forward_state_at, state_at
from gradviz.ui.viewer.view import GraphView


@pytest.fixture(scope="module")
def graphs():
    return {
        "seed": seed_snapshot(),
        "seed twice": seed_snapshot(runs=2),
        "transformer": transformer_snapshot(2),
        "transformer no saved": transformer_snapshot(2, show_saved=False),
        "chain": chain_snapshot(200, show_saved=False),
    }


def positions(total: int, seed: int = 0) -> list[int]:
    """Forward, backward, then random jumps (some by one, some far)."""
    rng = random.Random(seed)
    return [*range(total + 1), *range(total, -1, -1), *(rng.randrange(total + 1)
                                                        for _ in range(40))]


def test_timeline_states_equal_the_reference_everywhere(graphs):
    for name, snapshot in graphs.items():
        timeline = Timeline(snapshot)
        assert timeline._backward is None  # lazily made
        for k in positions(len(snapshot.steps)):
            assert timeline.state_at(k) == state_at(snapshot, k), (name, k)
        for k in positions(len(forward_order(snapshot))):
            assert timeline.forward_state_at(k) == forward_state_at(snapshot, k), (name, k)
        assert timeline._backward.rules.exact and timeline._forward.rules.exact, name
        assert timeline.state_at(-3) == state_at(snapshot, 0)  # clamped as the reference
        assert timeline.state_at(10**6) == state_at(snapshot, 10**6)


def test_a_timeline_state_lists_what_changed_since_the_one_before(graphs):
    snapshot = graphs["transformer"]
    timeline = Timeline(snapshot)
    before = timeline.state_at(40)
    after = timeline.state_at(41)
    base, nodes, edges = after.changes
    assert base == before.serial and after.serial != before.serial
    differ = {i for i in after.node_status if after.node_status[i] != before.node_status.get(i)}
    differ |= {i for i in after.node_grads if after.node_grads[i] is not before.node_grads.get(i)}
    assert differ <= nodes and len(nodes) < 10
    assert {i for i in after.edge_grads if i not in before.edge_grads} <= edges


def looks(scene: GraphScene) -> dict:
    """Everything apply_step sets, item by item."""
    out = {}
    for node_id, item in scene.node_items.items():
        out[node_id] = (item.state(), item.grad_text(), item.value_shown(), item.look_opacity())
    for index, item in scene.edge_items.items():
        out[index] = (item.state(), item.grad_label(), item.look_opacity())
    return out


def overview_groups(scene: GraphScene) -> dict:
    """Each emphasised item's group in the scene's overview (by node id / edge index)."""
    overview = scene._overview
    names = {id(item): key for key, item in [*scene.node_items.items(),
                                             *scene.edge_items.items()]}
    return {names[i]: key for i, key in overview._where.items()}


def placerless_scene(snapshot) -> GraphScene:
    """A scene whose labels go beside their edge's middle: looks() compares label texts;
    their spots are test_label_place.py's (placing them would dominate these tests)."""
    scene = GraphScene(snapshot)
    scene.label_placer = None
    return scene


def fresh_scene(snapshot, state) -> GraphScene:
    scene = placerless_scene(snapshot)
    scene.set_overview(True)
    apply_step(scene, state)
    return scene


@pytest.mark.parametrize("name", ["seed twice", "transformer", "chain"])
def test_playing_stepping_back_and_jumping_show_the_same_scene(qapp, graphs, name):
    snapshot = graphs[name]
    player = Player(snapshot)
    played = placerless_scene(snapshot)
    played.set_overview(True)
    total = player.count
    checks = {0, 1, 2, total // 2, total - 1, total}
    path = [*range(total + 1), *range(total, -1, -1), total, 1, total // 2, 3, 4, 2]
    for k in path:
        player.set_step(k)
        apply_step(played, player.state())
        if k in checks:
            reference = fresh_scene(snapshot, state_at(snapshot, k))
            assert looks(played) == looks(reference), (name, k)
            assert overview_groups(played) == overview_groups(reference), (name, k)
            again = OverviewItem(played)  # built from scratch from the emphasised items
            assert again._where == played._overview._where


def test_the_forward_replay_too(qapp, graphs):
    snapshot = graphs["transformer"]
    player = Player(snapshot)
    player.set_forward_replay(True)
    scene = GraphScene(snapshot)
    forward = player.forward_count
    for k in [*range(player.count + 1), forward + 3, 2, forward, player.count, 5, 0]:
        player.set_step(k)
        apply_step(scene, player.state())
        if k in (0, 2, 5, forward, forward + 3, player.count):
            state = (forward_state_at(snapshot, k) if k <= forward
                     else state_at(snapshot, k - forward))
            assert looks(scene) == looks(fresh_scene(snapshot, state)), k


def test_a_timeline_state_after_another_source_is_applied_in_full(qapp, graphs):
    snapshot = graphs["transformer"]
    scene = GraphScene(snapshot)
    apply_step(scene, state_at(snapshot, 40))  # a reference state: serial 0
    apply_step(scene, Timeline(snapshot).state_at(5))  # its first state: no base to trust
    assert looks(scene) == looks(fresh_scene(snapshot, state_at(snapshot, 5)))
    other = Timeline(snapshot)
    other.state_at(39)
    apply_step(scene, other.state_at(41))  # based on a state this scene never showed
    assert looks(scene) == looks(fresh_scene(snapshot, state_at(snapshot, 41)))


def test_accumulating_leaf_frames_are_undone_by_the_next_step(qapp, graphs):
    snapshot = graphs["seed"]
    scene = GraphScene(snapshot)
    k = next(i for i, s in enumerate(snapshot.steps) if s.variable) + 1
    leaf = snapshot.variable(snapshot.steps[k - 1].variable).node
    apply_step(scene, state_at(snapshot, k), {leaf: 4.0})
    assert scene.node_items[leaf].grad_text().endswith("4")
    apply_step(scene, state_at(snapshot, k - 1))
    assert looks(scene) == looks(fresh_scene(snapshot, state_at(snapshot, k - 1)))


def render(scene: GraphScene) -> QImage:
    view = GraphView(scene)
    view.resize(400, 300)
    view.fit()
    assert scene.overview_on()
    image = QImage(view.viewport().size(), QImage.Format.Format_ARGB32_Premultiplied)
    painter = QPainter(image)
    view.render(painter)
    painter.end()
    view.setScene(None)
    return image


def test_the_overview_draws_the_same_pixels_whatever_the_path(qapp, graphs):
    snapshot = graphs["transformer"]
    timeline = Timeline(snapshot)
    stepped = GraphScene(snapshot)
    stepped.set_overview(True)
    render(stepped)  # the groups' shapes are cached from here on
    middle = len(snapshot.steps) // 2
    for k in [*range(len(snapshot.steps) + 1), middle + 7, middle]:
        apply_step(stepped, timeline.state_at(k))
        if k % 17 == 0:
            render(stepped)
    stepped.select_node(snapshot.steps[3].node)
    jumped = fresh_scene(snapshot, state_at(snapshot, middle))
    jumped.select_node(snapshot.steps[3].node)
    assert render(stepped) == render(jumped)


def test_a_step_touches_few_items_and_formats_each_value_once(qapp, graphs, monkeypatch):
    snapshot = graphs["transformer"]
    scene = GraphScene(snapshot)
    timeline = Timeline(snapshot)
    apply_step(scene, timeline.state_at(30))
    touched, formatted = [], []  # the items a step looks at: node and edge items
    real_apply = step_view._apply_backward

    def apply(scene, applied, nodes, edges, *rest):
        touched.extend([*nodes.values(), *edges.values()])
        return real_apply(scene, applied, nodes, edges, *rest)

    monkeypatch.setattr(step_view, "_apply_backward", apply)
    real_format = step_view.format_block
    monkeypatch.setattr(step_view, "format_block",
                        lambda v: (formatted.append(v), real_format(v))[1])
    apply_step(scene, timeline.state_at(31))
    assert 0 < len(touched) < 20 and len(formatted) < 10
    touched.clear()
    apply_step(scene, timeline.state_at(30))  # back: the same few, texts already known
    assert 0 < len(touched) < 20
    formatted.clear()
    apply_step(scene, state_at(snapshot, 31))  # a reference state: diffed, same items
    assert 0 < len(touched) < 40 and len(formatted) < 10
    assert looks(scene) == looks(fresh_scene(snapshot, state_at(snapshot, 31)))
