"""A Snapshot's bulk encoded while Graphviz lays it out (snapshot_json.encode_ahead): the same
bytes as encoding it whole, only the very objects encoded then are reused, only by callers
that asked for it (gradviz.export, the worker's jobs)."""

from __future__ import annotations

import json
import math
import time

import pytest
from snapshots import seed_snapshot, transformer_loss, transformer_snapshot

import gradviz
from gradviz.core import snapshot_json
from gradviz.core.layout import snapshot_layout
from gradviz.core.runtime import pipeline
from gradviz.core.runtime.jobs import snapshot_from_expression
from gradviz.core.snapshot import Snapshot
from gradviz.core.snapshot_json import AHEAD_KEY, encode, encode_ahead, encoding_ahead


def non_finite_snapshot() -> Snapshot:
    snap = snapshot_from_expression("log(x - x) + sqrt(-x)", ["x=2.0"])
    snap.steps[0].grad_in = [[1.0, math.inf]]  # in a part encoded ahead
    snap.meta["probe"] = [-math.inf, math.nan]  # in one encoded after
    snap.nodes[0].label = "NaN"
    return snap


@pytest.mark.parametrize("make", [seed_snapshot, lambda: transformer_snapshot(2),
                                  non_finite_snapshot], ids=["seed", "transformer", "nan"])
@pytest.mark.parametrize("indent", [None, 2])
def test_parts_encoded_ahead_give_the_same_bytes(make, indent):
    snap = make()
    whole = encode(snap, indent)
    assert encode(snap, indent, encode_ahead(snap)) == whole
    json.loads(whole)  # strict JSON either way


def test_a_field_replaced_after_is_encoded_again():
    snap = seed_snapshot()
    ahead = encode_ahead(snap)
    snap.nodes = snap.nodes[:-1]  # a new list: its part no longer applies
    snap.steps = list(reversed(snap.steps))
    assert encode(snap, None, ahead) == encode(snap)


def test_only_a_fresh_write_uses_them_and_any_write_drops_them():
    snap = seed_snapshot()
    parts = encode_ahead(snap)
    parts["steps"] = (snap.steps, b'"sentinel"')  # to see which path was taken
    snap.derived[AHEAD_KEY] = dict(parts)
    assert b'"steps":"sentinel"' not in snap.to_json_bytes()  # not fresh: encoded again
    assert AHEAD_KEY not in snap.derived
    snap.derived[AHEAD_KEY] = dict(parts)
    assert b'"steps":"sentinel"' in snap.to_json_bytes(fresh=True)
    assert AHEAD_KEY not in snap.derived  # used once
    assert b"sentinel" not in snap.to_json_bytes(fresh=True)


@pytest.fixture
def slow_layout(monkeypatch):
    """Graphviz takes 0.3 s longer: the build is still waiting for it after the trace;
    graphs from 100 nodes are laid out beside the trace (as from PREDICTED_FROM, 500)."""
    real = pipeline.layout_dot
    monkeypatch.setattr(pipeline, "PREDICTED_FROM", 100)
    monkeypatch.setattr(snapshot_layout, "PREDICTED_FROM", 100)

    def slow(*args, **kwargs):
        time.sleep(0.3)
        return real(*args, **kwargs)

    monkeypatch.setattr(pipeline, "layout_dot", slow)


def test_a_build_encodes_ahead_only_when_asked_and_graphviz_is_still_running(slow_layout):
    big = transformer_snapshot(2)  # 176 nodes: laid out beside the trace
    assert len(big.nodes) >= pipeline.PREDICTED_FROM and AHEAD_KEY not in big.derived
    with encoding_ahead():
        asked = transformer_snapshot(2)
        small = seed_snapshot()  # laid out after the trace: nothing to wait for
    assert AHEAD_KEY in asked.derived and AHEAD_KEY not in small.derived
    assert set(asked.derived[AHEAD_KEY]) == set(snapshot_json.AHEAD_FIELDS)
    assert asked.to_json_bytes(fresh=True) == asked.to_json_bytes()


def test_an_export_writes_what_the_build_made(tmp_path, slow_layout, monkeypatch):
    used = []
    real = snapshot_json.encode
    monkeypatch.setattr(snapshot_json, "encode",
                        lambda snap, indent=None, ahead=None: used.append(bool(ahead))
                        or real(snap, indent, ahead))
    loss, model, _ = transformer_loss(2)
    out = gradviz.export(loss, tmp_path / "m.json", params=model)
    assert used == [True]
    written = Snapshot.from_json(out.read_bytes())
    again = gradviz.snapshot(loss, params=model)
    assert written.nodes == again.nodes and written.steps == again.steps
    assert written.edges == again.edges and written.variables == again.variables
