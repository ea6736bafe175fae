"""Far jumps keep what they cache honest: a jump shows exactly what stepping shows (labels'
spots and items' bounds included), and a theme switch re-places and restyles every item.

The replay's fast path keeps texts per value, label spots per edge item (until the theme
changes) and overview places per item, and regroups the overview in one pass when most
items change; these tests compare it with fresh scenes given the reference state.
"""

from __future__ import annotations

import pytest
from snapshots import chain_snapshot, transformer_snapshot

from gradviz.replay.state import state_at
from gradviz.replay.timeline import Timeline
from gradviz.ui.graph import label_place
from gradviz.ui.graph.scene import GraphScene
from gradviz.ui.graph.step_view import apply_step


@pytest.fixture(scope="module")
def graphs():
    return {"transformer": transformer_snapshot(2), "chain": chain_snapshot(60, show_saved=False)}


def shown(scene: GraphScene) -> dict:
    """Every item's look, texts, label spot and bounds; the overview's groups."""
    out = {}
    for node_id, item in scene.node_items.items():
        out[node_id] = (item.state(), item.grad_text(), item.value_shown(),
                        item.boundingRect().getRect())
    for index, item in scene.edge_items.items():
        rect = item.label_rect()
        out[index] = (item.state(), item.grad_label(), rect and rect.getRect(),
                      item.boundingRect().contains(rect) if rect is not None else None)
    if scene._overview is not None:
        names = {id(item): key for key, item in [*scene.node_items.items(),
                                                 *scene.edge_items.items()]}
        out["overview"] = {names[i]: key for i, key in scene._overview._where.items()}
    return out


def fresh(snapshot, k: int, theme: str = "light", overview: bool = True) -> GraphScene:
    scene = GraphScene(snapshot, theme)
    scene.set_overview(overview)
    apply_step(scene, state_at(snapshot, k))
    return scene


@pytest.mark.parametrize("big", [False, True])
@pytest.mark.parametrize("name", ["transformer", "chain"])
def test_a_jump_shows_what_stepping_shows(qapp, graphs, monkeypatch, name, big):
    if big:  # a big graph's spots: right of the middle, kept per edge item
        monkeypatch.setattr(label_place, "BIG_SCENE", 5)
    snapshot = graphs[name]
    last = len(snapshot.steps)
    stepped, jumped = GraphScene(snapshot), GraphScene(snapshot)
    stepped.set_overview(True)
    jumped.set_overview(True)
    steps, jumps = Timeline(snapshot), Timeline(snapshot)
    for k in range(last + 1):
        apply_step(stepped, steps.state_at(k))
    for k in (0, 1, last, 1, last // 2, last):  # the bench's jumps, and back
        apply_step(jumped, jumps.state_at(k))
        reference = shown(fresh(snapshot, k))
        assert shown(jumped) == reference, (name, k)
    assert shown(stepped) == shown(jumped)
    for k in range(last, -1, -1):  # stepping back from a jump
        apply_step(jumped, jumps.state_at(k))
    assert shown(jumped) == shown(fresh(snapshot, 0))


@pytest.mark.parametrize("big", [False, True])
def test_a_theme_switch_replaces_every_kept_label_and_restyles_every_item(
        qapp, graphs, monkeypatch, big):
    if big:
        monkeypatch.setattr(label_place, "BIG_SCENE", 5)
    snapshot = graphs["transformer"]
    last = len(snapshot.steps)
    scene = GraphScene(snapshot, "light")
    timeline = Timeline(snapshot)
    for k in (1, last, 1, last):  # every label shown twice: its spot kept
        apply_step(scene, timeline.state_at(k))
    light = shown(scene)
    scene.set_theme("presentation")  # larger labels: every spot is placed again
    switched = shown(scene)
    assert switched == shown(fresh(snapshot, last, "presentation", overview=False))
    assert switched != light
    for k in (1, last):  # the light spots are not brought back by the next jump
        apply_step(scene, timeline.state_at(k))
    assert shown(scene) == switched
    palette = scene.palette
    assert all(item._palette is palette for item in
               [*scene.node_items.values(), *scene.all_edge_items()])
    assert palette.theme.name == "presentation"


def test_only_spots_that_hold_at_every_step_are_kept(qapp, graphs, monkeypatch):
    """A label planned with the last step (or any label of a big graph) keeps its spot; one
    placed clear of the labels shown at one step (the active edge's chain) is placed anew."""
    snapshot = graphs["chain"]
    scene = GraphScene(snapshot)
    apply_step(scene, state_at(snapshot, len(snapshot.steps)))
    edge = next(e for e in scene.edge_items.values() if e.grad_label())
    placer = scene.label_placer
    assert placer.lasting(edge, edge.grad_label())
    assert edge._spots == {edge.grad_label(): (edge.label_rect(), edge.grad_label())}
    assert not placer.lasting(edge, "1 × 5 = 5")
    edge.set_grad_label("1 × 5 = 5")
    assert "1 × 5 = 5" not in edge._spots
    monkeypatch.setattr(placer, "_big", True)
    assert placer.lasting(edge, "1 × 5 = 5")


def test_labels_are_planned_when_idle_not_in_the_first_frame(qapp, graphs, monkeypatch):
    """Once the event loop has run (the scene shown, or restyled), step 1 only looks the
    labels up: planning them (~70 ms on a small MLP) stays out of the first frame."""
    snapshot = graphs["transformer"]
    scene = GraphScene(snapshot)
    qapp.processEvents()
    planned = dict(scene.label_placer._planned or {})
    assert planned  # planned by the idle call, before any step

    def no_planning():
        raise AssertionError("labels planned during a replay frame")

    monkeypatch.setattr(scene.label_placer, "_plan", no_planning)
    apply_step(scene, state_at(snapshot, len(snapshot.steps)))
    monkeypatch.undo()
    scene.set_theme("dark")
    qapp.processEvents()
    monkeypatch.setattr(scene.label_placer, "_plan", no_planning)
    apply_step(scene, state_at(snapshot, 1))
    apply_step(scene, state_at(snapshot, len(snapshot.steps)))
    reference = fresh(snapshot, len(snapshot.steps), "dark", overview=False)
    assert shown(scene) == shown(reference)
