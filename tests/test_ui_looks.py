"""Replay looks painted from the shared palette: dimmed items fade, and only they do."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPointF
from PySide6.QtGui import QColor
from snapshots import seed_snapshot

from gradviz.replay.timeline import Timeline
from gradviz.ui.graph.scene import GraphScene
from gradviz.ui.graph.step_view import apply_step
from gradviz.ui.viewer.view import GraphView


@pytest.fixture
def view(qapp, qtbot):
    scene = GraphScene(seed_snapshot())
    view = GraphView(scene)
    qtbot.addWidget(view)
    view.resize(900, 1400)
    view.show()
    qapp.processEvents()
    view.fit()
    qapp.processEvents()
    assert not scene.overview_on()
    return view


def _fill_pixel(view, item) -> QColor:
    rect = item.rect()
    corner = view.mapFromScene(QPointF(rect.left() + 2.5, rect.top() + 2.5))
    return view.viewport().grab().toImage().pixelColor(corner)


def test_dimmed_nodes_fade_and_the_others_keep_their_colour(view):
    scene = view.scene()
    items = sorted(scene.node_items.values(), key=lambda i: (i.rect().y(), i.rect().x()))
    for n, item in enumerate(items):  # alternate, so a fade leaking to the next item shows
        item.set_state("dimmed" if n % 2 else "done")
    view.viewport().repaint()
    for n, item in enumerate(items):
        fill = item.fill_brush().color()
        pixel = _fill_pixel(view, item)
        if n % 2:  # the fill fades towards the background (the text does not: contrast test)
            base = QColor(scene.theme.fill(item.node.kind))  # the undimmed fill
            assert pixel == fill != base and pixel.lightness() > base.lightness(), item.node_id
        else:
            assert pixel == fill, item.node_id


def test_a_replay_step_repaints_every_changed_item_at_once(view, qapp):
    scene = view.scene()
    timeline = Timeline(scene.snapshot)
    apply_step(scene, timeline.state_at(0))
    qapp.processEvents()
    leaf = scene.node_items[scene.snapshot.variable("x").node]
    idle = _fill_pixel(view, leaf)
    apply_step(scene, timeline.state_at(1))  # every item dims but the output's path
    qapp.processEvents()
    assert leaf.state() == "dimmed" and _fill_pixel(view, leaf) != idle
    apply_step(scene, timeline.state_at(0))
    qapp.processEvents()
    assert leaf.state() == "idle" and _fill_pixel(view, leaf) == idle
    assert not scene.emphasised_items()


def test_the_overview_takes_the_items_out_of_the_scene_and_puts_them_back(qapp):
    """Zoomed out, one item draws the graph: node and edge items leave the scene (Qt walks
    hidden items at every paint), still tell it their state changes, and come back as left."""
    scene = GraphScene(seed_snapshot())
    nodes, edges = list(scene.node_items.values()), scene.all_edge_items()
    scene.set_overview(True)
    assert all(item.scene() is None for item in (*nodes, *edges))
    assert len(scene.items()) < len(nodes)  # the overview and the module boxes
    nodes[0].set_state("active")  # the replay goes on while zoomed out
    assert nodes[0] in scene.emphasised_items()
    scene.set_overview(False)
    assert all(item.scene() is scene for item in (*nodes, *edges))
    assert nodes[0].state() == "active" and scene.node_at(nodes[0].rect().center()) is nodes[0]
