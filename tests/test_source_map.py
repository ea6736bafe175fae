"""Spans of the expression → nodes (core.expr.source_map), and the node's expression line."""

from __future__ import annotations

import pytest

from gradviz.core.expr.source_map import expression_line, node_spans, nodes_in_span
from gradviz.core.layout.snapshot_layout import node_annotations
from gradviz.core.runtime.jobs import snapshot_from_expression
from gradviz.core.runtime.options import BuildOptions

SEED = "5*x**3 + 2*x**2 + 4*x + 8"


@pytest.fixture(scope="module")
def seed():
    return snapshot_from_expression(SEED, ["x=2.0"], options=BuildOptions(layout=False))


def _names(snapshot, ids):
    by_id = {n.id: n for n in snapshot.nodes}
    return sorted(f"{by_id[i].op or by_id[i].kind}:{by_id[i].expression}" for i in ids)


def test_a_selection_picks_the_nodes_inside_it(seed):
    start = SEED.index("4*x")
    assert _names(seed, nodes_in_span(seed, start, start + 3)) == [
        "AccumulateGrad:x", "MulBackward0:4x", "leaf:x"]
    assert _names(seed, nodes_in_span(seed, 0, len(SEED))) == _names(
        seed, [n.id for n in seed.nodes if n.spans])


def test_a_caret_or_half_a_token_picks_the_smallest_around(seed):
    assert _names(seed, nodes_in_span(seed, 4, 4)) == ["PowBackward0:x³"]
    assert _names(seed, nodes_in_span(seed, 1, 1)) == ["MulBackward0:5x³"]
    assert _names(seed, nodes_in_span(seed, 3, 5)) == ["PowBackward0:x³"]  # "**"
    assert nodes_in_span(seed, 100, 120) == []


def test_node_spans(seed):
    x = seed.variable("x").node
    assert [SEED[a:b] for a, b in node_spans(seed, x)] == ["x", "x", "x"]
    assert node_spans(seed, "no such node") == []


def test_function_boxes_show_their_sub_expression_over_the_value(seed):
    lines = node_annotations(seed)
    by_expression = {n.expression: lines[n.id] for n in seed.nodes
                     if n.kind == "function" and n.op != "AccumulateGrad"}
    assert by_expression["5x³"][:2] == ["5x³", "= 40"]
    assert by_expression["x²"][:2] == ["x²", "= 4"]
    leaf = seed.node(seed.variable("x").node)
    assert expression_line(leaf) is None and lines[leaf.id][0] == "= 2"


def test_a_long_sub_expression_is_cut_on_the_node():
    snap = snapshot_from_expression("a*b + b*c + c*d + d*k + k*f + f*g", [
        f"{n}=1.0" for n in "abcdkfg"], options=BuildOptions(layout=False))
    root = snap.node(next(e.source for e in snap.edges if e.kind == "output"))
    assert root.expression == "a·b + b·c + c·d + d·k + k·f + f·g"
    assert expression_line(root) == "a·b + b·c + c·d + d·k + k·f…"
