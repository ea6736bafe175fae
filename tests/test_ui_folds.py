"""Folded blocks in the window: the stack, the status line, expand one by double-click,
expand all from the menu, the replay's group steps, nothing lost on the way."""

from __future__ import annotations

import copy
import time

import pytest
import torch
from test_folding import _penalty, _stack
from test_ui_modules import LAYOUT_MS, double_click

import gradviz
from gradviz.cli_request import app_config
from gradviz.core.graph.folding import base_of, is_fold_id
from gradviz.core.layout.fold_layout import first_picture
from gradviz.ui.window.main_window import MainWindow

pytestmark = pytest.mark.usefixtures("temp_settings")


@pytest.fixture(scope="module")
def picture():
    model = _stack()
    inp = torch.randn(2, 3, requires_grad=True)
    base = gradviz.snapshot(model, inp, loss_fn=_penalty(inp), layout=False)
    return first_picture(base, fold_from=10, deadline=time.monotonic() + 60)


@pytest.fixture
def window(qtbot, picture):
    window = MainWindow(app_config([]), snapshot=picture)
    qtbot.addWidget(window)
    with qtbot.waitSignal(window.built, timeout=10_000):
        window.show()
    yield window
    window.close()


def _fold_item(window):
    return next(item for node_id, item in window.graph.scene().node_items.items()
                if is_fold_id(node_id))


def test_the_folded_picture_shows_a_stack_and_says_so(window, picture):
    item = _fold_item(window)
    assert item._stack > 0 and item.boundingRect().width() > item.rect().width() + item._stack
    assert "Layer ×" in item.node.label
    message = window.statusBar().currentMessage()
    assert "Layer ×" in message and f"{picture.meta['fold_nodes']:,}" in message


def test_double_click_expands_one_layer_and_the_menu_all(qtbot, window, picture):
    item = _fold_item(window)
    members = window.modules.fold_members(item.node_id)
    window.player.set_step(5)
    with qtbot.waitSignal(window.modules.shown, timeout=LAYOUT_MS):
        double_click(qtbot, window.graph.view, item.rect().center())
    ids = set(window.graph.scene().node_items)
    inner = {n.id for n in base_of(picture).nodes
             if n.module and n.module.startswith(members[0] + ".")}
    assert inner and inner <= ids
    assert window.player.step == 5  # the same replay, same step
    while any(is_fold_id(i) for i in window.graph.scene().node_items):  # the menu's "all"
        rest = next(i for i in window.graph.scene().node_items if is_fold_id(i))
        with qtbot.waitSignal(window.modules.shown, timeout=LAYOUT_MS):
            window.modules.expand_fold(rest, None)
    base = base_of(picture)
    assert set(window.graph.scene().node_items) == {n.id for n in base.nodes}
    with qtbot.waitSignal(window.modules.shown, timeout=LAYOUT_MS):
        window.modules.fold_all()
    assert set(window.graph.scene().node_items) == {n.id for n in picture.nodes}
    assert not window.modules.is_busy()  # the first picture was kept: no new layout
    assert window.graph.scene().snapshot is picture


def test_the_replay_crosses_a_folded_block_in_one_step(window, picture):
    player, steps = window.player, picture.steps
    fold = _fold_item(window).node_id
    k = next(i for i, s in enumerate(steps) if s.node == fold)
    player.set_step(k)
    player.next()
    assert player.step > k + 1 and all(s.node == fold for s in steps[k:player.step])
    assert player.state().active_node == fold
    player.previous()
    assert player.step == k


def test_the_status_line_says_which_level_opened(qapp, picture):
    from gradviz.core.graph.folding import base_of
    from gradviz.ui.viewer.folds_ui import fold_message

    assert "repeated layers folded (Layer ×" in fold_message(picture)
    assert fold_message(base_of(picture)) is None  # a graph laid out whole says nothing
    coarser = copy.copy(picture)
    coarser.meta = {**picture.meta, "fold_level": "collapsed"}
    assert "modules collapsed" in fold_message(coarser)


def test_an_expansion_past_its_budget_is_refused_and_the_folded_drawing_stays(qtbot, window,
                                                                              picture):
    fold = _fold_item(window).node_id
    window.modules.budget = 0.001  # no layout fits: as a 17,000-node "expand all" would not
    with qtbot.waitSignal(window.modules.failed, timeout=LAYOUT_MS):
        window.modules.expand_fold(fold, None)
    assert window.modules.expanded == frozenset()  # what is still drawn
    assert window.graph.scene().snapshot is picture
    assert "timed out" in window.statusBar().currentMessage()
    window.modules.budget = 30.0
    with qtbot.waitSignal(window.modules.shown, timeout=LAYOUT_MS):
        window.modules.expand_fold(fold, 1)  # the next one is laid out as usual
    assert len(window.graph.scene().node_items) > len(picture.nodes)
