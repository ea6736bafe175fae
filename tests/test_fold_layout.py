"""The first picture of a big graph (core.fold_layout): folded, or coarser within its budget."""

import time

import torch
from test_folding import _penalty, _stack

import gradviz
from gradviz.core.errors import Cancelled
from gradviz.core.layout import fold_layout
from gradviz.core.layout.fold_layout import base_of, first_picture


def _base():
    model = _stack()
    inp = torch.randn(2, 3, requires_grad=True)
    return gradviz.snapshot(model, inp, loss_fn=_penalty(inp), layout=False)


def test_a_small_graph_is_laid_out_whole():
    base = _base()
    picture = first_picture(base)
    assert picture is base and picture.layout is not None
    assert set(picture.layout.nodes) == {n.id for n in base.nodes}
    assert "fold_level" not in picture.meta


def test_above_the_threshold_the_folded_graph_is_laid_out_and_keeps_its_base():
    base = _base()
    picture = first_picture(base, fold_from=10, deadline=time.monotonic() + 60)
    assert picture.meta["fold_level"] == "folded" and picture.meta["fold_nodes"] == len(base.nodes)
    assert base_of(picture) is base and base.layout is None
    assert len(picture.nodes) < len(base.nodes)
    assert set(picture.layout.nodes) == {n.id for n in picture.nodes}
    assert any(node_id.startswith("f:") for node_id in picture.layout.nodes)
    # whole layers only: layers.0 (its input differs, so not in the block) is one node too
    assert not any(n.module and n.module.startswith("layers.") for n in picture.nodes)
    assert "f:layers.0..layers.0" in picture.meta["folds"]


def test_a_layout_past_its_budget_falls_back_to_collapsed_modules(monkeypatch):
    real = fold_layout.layout_snapshot

    def slow_when_folded(snapshot, opts, should_cancel=None):
        if snapshot.meta.get("folds"):  # an engine that would run for minutes
            while not should_cancel():
                time.sleep(0.01)
            raise Cancelled()
        return real(snapshot, opts, should_cancel=should_cancel)

    monkeypatch.setattr(fold_layout, "layout_snapshot", slow_when_folded)
    base = _base()
    start = time.monotonic()
    picture = first_picture(base, fold_from=10, deadline=start + 6)
    assert time.monotonic() - start < 6
    assert picture.meta["fold_level"] == "collapsed"
    assert picture.meta["fold_fallbacks"] == [{"level": "folded", "error": "budget"}]
    assert {n.id for n in picture.nodes} >= {"m:layers", "m:head"}
    assert base_of(picture) is base
