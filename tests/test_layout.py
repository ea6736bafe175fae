"""Layout: both engines, fallback, failures that never hang, determinism."""

import os
import stat
import time

import pytest
from engines_here import need_engine
from snapshots import seed_snapshot

from gradviz.core.errors import Cancelled, EngineError
from gradviz.core.layout import engines
from gradviz.core.layout.snapshot_layout import layout_snapshot


@pytest.mark.parametrize("engine", engines.ENGINES)
def test_seed_layout_with_each_engine(engine):
    """graphviz-pure always (it installs with gradviz); dot where Graphviz is (always on CI)."""
    need_engine(engine)
    snap = seed_snapshot(engine=engine)
    layout = snap.layout
    assert layout.engine == engine
    assert "layout_warning" not in snap.meta
    assert set(layout.nodes) == {n.id for n in snap.nodes}
    x0, y0, x1, y1 = layout.bbox
    for node_id, box in layout.nodes.items():
        assert x0 <= box.x - box.width / 2 + 0.01 and box.x + box.width / 2 <= x1 + 0.01
        assert y0 <= box.y - box.height / 2 + 0.01 and box.y + box.height / 2 <= y1 + 0.01
        # Courier 10pt is 6 pt per character: the box fits its longest line
        widest = max(len(line.text) for line in box.lines)
        assert box.width >= widest * 6.0 - 0.5, node_id
    # the output is at the bottom (y grows downwards), the leaf above it
    out = layout.nodes[snap.output.node]
    leaf = layout.nodes[snap.variable("x").node]
    assert out.y > leaf.y
    # every model edge is laid out once, arrowheads only on directed edges
    assert sorted(p.index for p in layout.edges) == list(range(len(snap.edges)))
    for path in layout.edges:
        edge = snap.edges[path.index]
        assert (path.source, path.target) == (edge.source, edge.target)
        assert (path.arrow is not None) == (edge.kind != "saved")
        assert len(path.points) % 3 == 1


def test_value_and_grad_lines_are_reserved():
    snap = seed_snapshot()
    box = snap.layout.nodes[snap.variable("x").node]
    assert [line.text for line in box.lines] == ["x", "= 2", "grad 72"]  # no shape: a scalar
    assert box.label_lines == 1


def test_same_function_same_layout():
    a, b = seed_snapshot(), seed_snapshot()
    assert a.layout == b.layout


def test_duplicate_edges_are_matched_in_order():
    import torch

    from gradviz.core.runtime.pipeline import build_snapshot

    x = torch.tensor(3.0, requires_grad=True)
    snap = build_snapshot(x * x, params={"x": x})
    assert sorted(p.index for p in snap.layout.edges) == list(range(len(snap.edges)))
    # x * x: two model edges x → MulBackward0, its next_functions 0 and 1
    model = [i for i, e in enumerate(snap.edges) if e.kind == "next"]
    pair = (snap.edges[model[0]].source, snap.edges[model[0]].target)
    assert [(snap.edges[i].source, snap.edges[i].target) for i in model] == [pair, pair]
    assert [snap.edges[i].input_nr for i in model] == [0, 1]
    # Graphviz lists the laid-out duplicates in the DOT's order: the first is model edge 0
    laid = [p.index for p in snap.layout.edges if (p.source, p.target) == pair]
    assert laid == model


def test_match_edges_pairs_the_nth_duplicate_with_the_nth_model_edge():
    from gradviz.core.layout.graph_layout import match_edges
    from gradviz.core.snapshot import EdgePath, GraphEdge, GraphLayout

    model = [GraphEdge("a", "b", "next", 0), GraphEdge("c", "b", "next", 0),
             GraphEdge("a", "b", "next", 1)]
    # as parse_layout leaves them: index = -1 - (rank among the same pair), any order
    paths = [EdgePath("a", "b", -2, []), EdgePath("c", "b", -1, []), EdgePath("a", "b", -1, [])]
    match_edges(GraphLayout("dot", [0, 0, 1, 1], edges=paths), model)
    assert [p.index for p in paths] == [2, 1, 0]


def _fake_engine(tmp_path, name, body):
    path = tmp_path / name
    path.write_text("#!/bin/sh\n" + body + "\n")
    path.chmod(path.stat().st_mode | stat.S_IEXEC)
    return str(path)


def test_fallback_when_the_chosen_engine_crashes(tmp_path, monkeypatch):
    broken = _fake_engine(tmp_path, "dot", "echo 'Error: boom' >&2; exit 3")
    real = engines.engine_path("graphviz-pure")
    monkeypatch.setattr(engines, "engine_path",
                        lambda name: broken if name == "dot" else real)
    snap = seed_snapshot(engine="dot")
    assert snap.layout.engine == "graphviz-pure"
    warning = snap.meta["layout_warning"]
    assert (warning["requested"], warning["used"], warning["reason"]) == (
        "dot", "graphviz-pure", "failed")


def test_a_missing_engine_falls_back_with_a_warning_in_meta(monkeypatch):
    real = engines.engine_path("graphviz-pure")
    monkeypatch.setattr(engines, "engine_path", lambda name: real if name != "dot" else None)
    snap = seed_snapshot(engine="dot")
    assert snap.layout.engine == "graphviz-pure"
    assert snap.meta["layout_warning"]["message"] == (
        "the layout engine dot is not installed: laid out with graphviz-pure instead (to get "
        "dot: apt-get install graphviz, brew install graphviz, winget install graphviz)")
    # the default engine, found: nothing to say
    assert "layout_warning" not in seed_snapshot().meta


def test_no_engine_is_a_clear_error(monkeypatch):
    monkeypatch.setattr(engines, "engine_path", lambda name: None)
    with pytest.raises(EngineError) as err:
        seed_snapshot()
    assert "pip install graphviz-pure" in str(err.value)
    assert "apt-get install graphviz" in str(err.value)


def test_engine_that_hangs_times_out(tmp_path, monkeypatch):
    hang = _fake_engine(tmp_path, "graphviz-pure", "exec sleep 60")
    monkeypatch.setattr(engines, "engine_path", lambda name: hang)
    snap = seed_snapshot(layout=False)
    start = time.monotonic()
    with pytest.raises(EngineError) as err:
        layout_snapshot(snap, _options(timeout=1.0))
    assert time.monotonic() - start < 10
    assert "timed out" in str(err.value)


def test_cancel_kills_the_engine(tmp_path, monkeypatch):
    pid_file = tmp_path / "pid"
    hang = _fake_engine(tmp_path, "graphviz-pure", f"echo $$ > {pid_file}; exec sleep 60")
    monkeypatch.setattr(engines, "engine_path", lambda name: hang)
    snap = seed_snapshot(layout=False)
    start = time.monotonic()
    with pytest.raises(Cancelled):
        layout_snapshot(snap, _options(), should_cancel=lambda: time.monotonic() - start > 0.5)
    pid = int(pid_file.read_text())
    with pytest.raises(ProcessLookupError):
        os.kill(pid, 0)


def test_unknown_engine_name():
    with pytest.raises(EngineError, match="choose one of"):
        engines.preferred_engines("neato")


def _options(**kwargs):
    from gradviz.core.runtime.options import BuildOptions

    return BuildOptions(**kwargs)


def test_big_graph_layout_runs_beside_the_trace_and_matches_the_late_path():
    """From PREDICTED_FROM nodes on, Graphviz starts right after capture; same picture."""
    from snapshots import chain_snapshot

    from gradviz.core.layout.snapshot_layout import PREDICTED_FROM

    snap = chain_snapshot(PREDICTED_FROM, show_saved=False)
    assert snap.meta["timings"].get("layout_overlapped") is True
    assert layout_snapshot(snap, _options(show_saved=False)) == snap.layout
    # the gradient slot is reserved on every node that shows a gradient
    leaf = snap.layout.nodes[snap.variable("x").node]
    slot = [line.text for line in leaf.lines[leaf.label_lines:]]
    value = [t for t in slot if not t.startswith("grad ")][: len(slot) // 2]
    assert slot[len(value)].startswith("grad ")  # under the value, as many lines as it
    assert len(slot) == 2 * len(value)


def test_failed_trace_stops_the_early_layout(monkeypatch):
    import threading

    from snapshots import chain_snapshot

    import gradviz.core.runtime.pipeline as pipeline
    from gradviz.core.layout.snapshot_layout import PREDICTED_FROM

    def broken(*args, **kwargs):
        raise RuntimeError("trace failed")

    monkeypatch.setattr(pipeline, "trace_backward", broken)
    with pytest.raises(RuntimeError, match="trace failed"):
        chain_snapshot(PREDICTED_FROM, show_saved=False)
    assert not [t for t in threading.enumerate() if t.name == "gradviz-layout"]


@pytest.mark.parametrize("overlapped", [True, False])
def test_trace_leaves_graphvizs_core_to_it_and_restores_torchs_threads(overlapped):
    """Beside an early layout the backward runs with one torch thread less; after, as before."""
    import torch

    from gradviz.core.layout.snapshot_layout import PREDICTED_FROM
    from gradviz.core.runtime.pipeline import build_snapshot

    seen = []

    class Probe(torch.autograd.Function):
        @staticmethod
        def forward(ctx, t):
            return t * 1.0

        @staticmethod
        def backward(ctx, grad):
            seen.append(torch.get_num_threads())
            return grad

    before = torch.get_num_threads()
    torch.set_num_threads(2)
    try:
        x = torch.tensor(0.5, requires_grad=True)
        y = Probe.apply(x)
        for _ in range(PREDICTED_FROM if overlapped else 3):
            y = y * 1.0001
        snap = build_snapshot(y, params={"x": x}, options=_options(show_saved=False))
        assert snap.meta["timings"].get("layout_overlapped", False) is overlapped
        assert seen and set(seen) == {1 if overlapped else 2}
        assert torch.get_num_threads() == 2
    finally:
        torch.set_num_threads(before)



@pytest.mark.parametrize("pos", [
    "e,10.5,20 1,2 3.25,4 5,6 7,-8",  # Graphviz's usual edge: arrow tip, then the spline
    "1,2 3,4 5,6 7,8",  # dir=none: no arrow tip
    "s,0,1 1,2 3,4 5,6 7,8",  # a start point: read by the regexes
    "e,1e+03,-2.5e-01 1,2  3,4 5,6 7,8",
    "",
])
def test_edge_spline_fast_path_reads_as_the_regex_path(pos):
    from gradviz.core.layout.graph_layout import _spline, _spline_parsed

    tip, points = _spline(pos, 100.0)
    assert (tip, points) == _spline_parsed(pos, 100.0)
    if pos:
        assert points[0] == [1.0, 98.0] and len(points) == 4  # y flipped: 100 - y
    if pos.startswith("e,"):
        assert tip == [float(pos[2:pos.index(",", 2)]), 100.0 - float(pos.split()[0].split(",")[2])]
