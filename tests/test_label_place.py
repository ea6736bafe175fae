"""Edge labels placed where they cover no other edge, arrowhead, node or module-box border
(and never their own line), at every step, on the seed, example 03 and an MLP."""

from __future__ import annotations

import pytest
import torch
from PySide6.QtCore import QRectF
from PySide6.QtGui import QPainterPath, QPainterPathStroker
from snapshots import seed_snapshot

import gradviz
from gradviz.core.runtime.jobs import snapshot_from_expression
from gradviz.core.runtime.options import BuildOptions
from gradviz.ui.graph.scene import GraphScene
from gradviz.ui.graph.step_view import apply_step
from gradviz.ui.viewer.player import state_at


def _example_03():
    return snapshot_from_expression("x*y + exp(x*y)", ["x=1.0", "y=0.5"],
                                    options=BuildOptions())


def _mlp():
    torch.manual_seed(0)
    model = torch.nn.Sequential(torch.nn.Linear(3, 4), torch.nn.ReLU(), torch.nn.Linear(4, 1))
    return gradviz.snapshot(model, torch.randn(2, 3), loss_fn=lambda o: o.sum())


BUILDERS = {"seed": seed_snapshot, "example 03": _example_03, "MLP": _mlp}


def _line(path: QPainterPath) -> QPainterPath:
    """The drawn line's area, 1 point wide (measured here, not by the placer)."""
    stroker = QPainterPathStroker()
    stroker.setWidth(1.0)
    return stroker.createStroke(path)


def _problems(scene: GraphScene) -> list[str]:
    found = []
    edges = scene.all_edge_items()
    lines = {id(e): _line(e.painter_path()) for e in edges}
    for edge in edges:
        rect = edge.label_rect()
        if rect is None:
            continue
        inner = rect.adjusted(0.5, 0.5, -0.5, -0.5)
        if not scene.sceneRect().contains(rect):
            found.append(f"label {edge.grad_label()!r} off the picture")
        for node in scene.node_items.values():
            if node.rect().intersects(inner):
                found.append(f"label {edge.grad_label()!r} on node {node.node_id}")
        for other in edges:
            if lines[id(other)].intersects(inner):
                whose = "its own" if other is edge else "another"
                found.append(f"label {edge.grad_label()!r} on {whose} edge")
        for box in scene.cluster_items:
            outline = QPainterPath()
            outline.addRect(box.rect())
            if _line(outline).intersects(inner):
                found.append(f"label {edge.grad_label()!r} on the border of {box.box.name}")
    return found


@pytest.mark.parametrize("name", list(BUILDERS))
@pytest.mark.parametrize("theme", ["light", "presentation"])
def test_labels_cover_no_edge_node_or_box_border_at_any_step(qapp, name, theme):
    snapshot = BUILDERS[name]()
    scene = GraphScene(snapshot, theme)
    labelled = 0
    for k in range(len(snapshot.steps) + 1):
        apply_step(scene, state_at(snapshot, k))
        assert _problems(scene) == [], (name, k)
        labelled = max(labelled, sum(e.label_rect() is not None for e in scene.all_edge_items()))
    assert labelled >= 5  # the test saw labels


def test_a_label_sits_beside_its_edge(qapp):
    snapshot = seed_snapshot()
    scene = GraphScene(snapshot)
    apply_step(scene, state_at(snapshot, len(snapshot.steps)))
    for edge in scene.all_edge_items():
        rect = edge.label_rect()
        if rect is not None:  # near its own line: within a few points of it
            near = rect.adjusted(-6, -6, 6, 6)
            assert _line(edge.painter_path()).intersects(near), edge.grad_label()


def test_the_placer_avoids_what_a_label_in_the_middle_would_cover(qapp):
    snapshot = seed_snapshot()
    scene = GraphScene(snapshot)
    placer = scene.label_placer
    edge = scene.edge_between(*_crossed_edge(scene))
    middle = edge.painter_path().pointAtPercent(0.5)
    on_line = QRectF(middle.x() - 5, middle.y() - 5, 10, 10)
    assert placer.collisions(on_line, edge) >= 1  # straddling its own line counts
    rect, hits = placer.place(edge, 10, 10)
    assert hits == 0 and placer.collisions(rect, edge) == 0


def _crossed_edge(scene: GraphScene) -> tuple[str, str]:
    edge = next(e for e in scene.snapshot.edges if e.kind == "next")
    return edge.source, edge.target


@pytest.mark.parametrize("name", list(BUILDERS))
def test_labels_never_cover_each_other_and_stay_put_however_the_step_is_reached(qapp, name):
    snapshot = BUILDERS[name]()
    played, jumped = GraphScene(snapshot), GraphScene(snapshot)
    last = len(snapshot.steps)
    for k in range(last + 1):
        apply_step(played, state_at(snapshot, k))
        rects = [e.label_rect() for e in played.all_edge_items() if e.label_rect() is not None]
        for i, a in enumerate(rects):
            assert not any(a.intersects(b) for b in rects[i + 1:]), (name, k)
    apply_step(jumped, state_at(snapshot, last))
    spots = {i: e.label_rect() for i, e in played.edge_items.items()}
    assert spots == {i: e.label_rect() for i, e in jumped.edge_items.items()}


def test_long_labels_fold_by_rows_then_after_separators_in_both_languages():
    from gradviz.ui.graph.label_place import label_foldings

    english = label_foldings("[[1.5, 2], [3, 4]]")
    assert english[0] == "[[1.5, 2],\n[3, 4]]"
    french = label_foldings("[[1,5; 2]; [3; 4]]")
    assert french[0] == "[[1,5; 2];\n[3; 4]]"  # never inside "1,5"
    assert all("1,\n5" not in f for f in french)
    assert label_foldings("1") == []


@pytest.mark.parametrize("big", [False, True])
def test_a_label_shown_again_changes_no_geometry_and_stays_inside_its_bounds(
        qapp, monkeypatch, big):
    from gradviz.ui.graph import label_place
    from gradviz.ui.graph.edge_item import EdgeItem

    if big:  # a big graph's plain spots (right of the middle, kept per edge)
        monkeypatch.setattr(label_place, "BIG_SCENE", 5)
    snapshot = _mlp()
    scene = GraphScene(snapshot)
    last = len(snapshot.steps)
    for k in range(last + 1):
        apply_step(scene, state_at(snapshot, k))
    changes = []
    original = EdgeItem.prepareGeometryChange
    monkeypatch.setattr(EdgeItem, "prepareGeometryChange",
                        lambda self: (changes.append(self), original(self))[1])
    for k in (1, last, 0, last):  # far jumps: most labels go and come back
        apply_step(scene, state_at(snapshot, k))
        for edge in scene.all_edge_items():
            rect = edge.label_rect()
            assert rect is None or edge.boundingRect().contains(rect), (k, edge.grad_label())
    assert changes == []  # each label's room was kept: the scene re-indexes nothing
    middle = scene.all_edge_items()[0].painter_path().pointAtPercent(0.5)
    spot = scene.all_edge_items()[0].label_rect()
    assert spot is not None and (abs(spot.left() - middle.x() - 4) < 1e-6) == big
