"""Source ↔ graph both ways, and the chain-rule paths of a selected node, in the window's parts."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QTextCursor
from PySide6.QtTest import QTest

from gradviz.core.runtime.jobs import snapshot_from_expression
from gradviz.ui.panels.function_editor import FunctionEditor
from gradviz.ui.panels.paths_panel import PathsPanel
from gradviz.ui.panels.source_link import SourceLink
from gradviz.ui.viewer.graph_panel import GraphPanel

SEED = "5*x**3 + 2*x**2 + 4*x + 8"


@pytest.fixture(scope="module")
def seed():
    return snapshot_from_expression(SEED, ["x=2.0"])


@pytest.fixture
def linked(qtbot, seed):
    editor, graph, panel = FunctionEditor(), GraphPanel(seed), PathsPanel()
    for widget in (editor, graph, panel):
        qtbot.addWidget(widget)
    link = SourceLink(editor, graph.view, panel)
    editor.set_text(seed.source)
    link.set_scene(graph.scene())
    return editor, graph, panel, link


def _op_node(snapshot, op, expression):
    return next(n.id for n in snapshot.nodes if n.op == op and n.expression == expression)


def test_selecting_a_node_shades_what_it_computes(linked, seed):
    editor, graph, _, _ = linked
    graph.view.select_node(_op_node(seed, "MulBackward0", "5x³"), center=False)
    assert [SEED[a:b] for a, b in editor.linked_spans()] == ["5*x**3"]
    graph.view.select_node(seed.variable("x").node, center=False)
    assert [SEED[a:b] for a, b in editor.linked_spans()] == ["x", "x", "x"]
    graph.scene().select_node(None)
    assert editor.linked_spans() == []


def test_hovering_a_node_shades_it_then_the_selection_again(linked, seed, qtbot):
    editor, graph, _, _ = linked
    graph.resize(900, 700)
    graph.show()
    qtbot.waitExposed(graph)
    graph.activateWindow()  # earlier tests' windows may still hold the (offscreen) focus
    qtbot.waitUntil(graph.isActiveWindow)
    graph.view.select_node(seed.variable("x").node, center=False)
    mul = _op_node(seed, "MulBackward0", "4x")
    point = graph.view.mapFromScene(graph.scene().node_item(mul).rect().center())
    # QTest remembers buttons across tests (a drag test may end pressed): hover needs none
    QTest.mouseRelease(graph.view.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(1, 1))
    QTest.mouseMove(graph.view.viewport(), QPoint(1, 1))  # a real move, wherever it was
    QTest.mouseMove(graph.view.viewport(), point)
    qtbot.waitUntil(lambda: [SEED[a:b] for a, b in editor.linked_spans()] == ["4*x"])
    QTest.mouseMove(graph.view.viewport(), QPoint(2, 2))  # empty background
    qtbot.waitUntil(lambda: len(editor.linked_spans()) == 3)


def test_selecting_a_leaf_highlights_and_lists_its_paths(linked, seed):
    _, graph, panel, link = linked
    scene = graph.scene()
    x = seed.variable("x").node
    graph.view.select_node(x, center=False)
    functions = {n.id for n in seed.nodes if n.kind == "function"}
    on_paths = {n for n in link.marked_nodes()}
    # Every function node of the seed lies on a path to x; saved tensors do not.
    assert on_paths == functions | {seed.output.node}
    assert all(scene.node_item(n).role() == "path" for n in on_paths)
    assert scene.node_item(x).role() == "selected"
    saved = [n.id for n in seed.nodes if n.kind == "saved"]
    assert all(scene.node_item(n).role() != "path" for n in saved)
    next_edges = {i for i, e in enumerate(seed.edges) if e.kind in ("next", "output", "variable")}
    assert set(link.marked_edges()) == next_edges
    text = panel.text()
    assert "1 · 1 · 4 = 4" in text and "1 · 1 · 1 · 2 · 4 = 8" in text
    assert "1 · 1 · 1 · 5 · 12 = 60" in text and "4 + 8 + 60 = 72 = x.grad" in text
    graph.scene().select_node(None)
    assert link.marked_nodes() == [] and all(
        item.role() is None for item in scene.node_items.values())


def _select_text(editor, start, end):
    cursor = editor.box.textCursor()
    cursor.setPosition(start)
    cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
    editor.box.setTextCursor(cursor)


def test_selecting_part_of_the_expression_highlights_its_subgraph(linked, seed, qtbot):
    editor, graph, _, link = linked
    editor.show()
    editor.activateWindow()
    editor.box.setFocus()
    qtbot.waitUntil(editor.box.hasFocus)
    _select_text(editor, SEED.index("2*x**2"), SEED.index("2*x**2") + len("2*x**2"))
    by_id = {n.id: n for n in seed.nodes}
    marked = sorted((by_id[n].op or by_id[n].kind, by_id[n].expression)
                    for n in link.marked_nodes())
    assert marked == [("AccumulateGrad", "x"), ("MulBackward0", "2x²"),
                      ("PowBackward0", "x²"), ("leaf", "x")]
    scene = graph.scene()
    assert all(scene.node_item(n).role() == "path" for n in link.marked_nodes())
    mul, pow2 = _op_node(seed, "MulBackward0", "2x²"), _op_node(seed, "PowBackward0", "x²")
    between = [i for i, e in enumerate(seed.edges) if {e.source, e.target} == {mul, pow2}]
    assert set(between) <= set(link.marked_edges())
    # A click (caret) inside "x**3" picks the smallest sub-expression around it.
    _select_text(editor, 4, 4)
    assert [by_id[n].expression for n in link.marked_nodes()] == ["x³"]
    # Once the text differs from what was built, spans no longer match: nothing is linked.
    graph.view.select_node(seed.variable("x").node, center=False)
    assert editor.linked_spans()
    editor.box.insertPlainText(" ")
    assert link.marked_nodes() == [] and editor.linked_spans() == []


def test_a_caret_moved_by_code_links_nothing(linked, seed):
    editor, _, _, link = linked
    editor.box.clearFocus()
    _select_text(editor, 0, len(SEED))
    assert link.marked_nodes() == []


@pytest.mark.usefixtures("temp_settings")
@pytest.mark.parametrize(("lang", "sum_word", "note_start"), [
    ("en", "sum:", "One term per path from the output to x:"),
    ("fr", "somme\u00a0:", "Un terme par chemin de la sortie à x\u00a0:"),
])
def test_the_window_shows_paths_and_the_explanation_counts_them(qtbot, qapp, seed, lang,
                                                                sum_word, note_start):
    from gradviz.cli_request import app_config
    from gradviz.ui.base.i18n import install_translators
    from gradviz.ui.window.main_window import MainWindow

    install_translators(qapp, lang)
    try:
        window = MainWindow(app_config(["--lang", lang]), snapshot=seed)
        qtbot.addWidget(window)
        with qtbot.waitSignal(window.built, timeout=20_000):
            window.show()
        window.graph.view.select_node(seed.variable("x").node, center=False)
        text = window.paths_panel.text()
        assert f"{sum_word} 4 + 8 + 60 = 72 = x.grad" in text
        # Given a snapshot (gradviz.show), the editor holds its source: spans still shade it.
        assert [SEED[a:b] for a, b in window.editor.linked_spans()] == ["x", "x", "x"]
        window.player.set_step(len(seed.steps))
        body = window.explanation.text()
        assert note_start in body and "1 · 1 · 1 · 5 · 12 = 60" in body
        window.close()
    finally:
        install_translators(qapp, "en")


def test_the_edge_being_sent_reads_upstream_times_local(qtbot, seed):
    from gradviz.replay.state import state_at
    from gradviz.ui.graph.scene import GraphScene
    from gradviz.ui.graph.step_view import apply_step

    scene = GraphScene(seed)
    pow3 = _op_node(seed, "PowBackward0", "x³")
    k = next(s.index for s in seed.steps if s.node == pow3) + 1
    edge = next(i for i, e in enumerate(seed.edges) if e.kind == "next" and e.target == pow3)
    apply_step(scene, state_at(seed, k))
    assert scene.edge_item(edge).grad_label() == "5 × 12 = 60"
    apply_step(scene, state_at(seed, k + 1))  # no longer the active step: the value alone
    assert scene.edge_item(edge).grad_label() == "60"
    apply_step(scene, state_at(seed, k))  # jumping back gives the same picture
    assert scene.edge_item(edge).grad_label() == "5 × 12 = 60"


def test_an_export_can_show_the_paths_to_a_variable(qtbot, seed, tmp_path):
    from PySide6.QtGui import QImage

    from gradviz.core.errors import InputError
    from gradviz.ui.export.file_export import _show_paths, export_snapshot
    from gradviz.ui.graph.scene import GraphScene

    scene = GraphScene(seed)
    caption = _show_paths(scene, "x", "5*x**3 + 2*x**2 + 4*x + 8   at x = 2")
    assert caption.endswith("x.grad = 4 + 8 + 60 = 72 (one term per path)")
    functions = [n.id for n in seed.nodes if n.kind == "function"]
    assert all(scene.node_item(n).role() == "path" for n in functions)
    with pytest.raises(InputError, match="no variable `z` to show paths to") as info:
        _show_paths(GraphScene(seed), "z", None)
    assert info.value.code == "bad_paths"
    plain, marked = tmp_path / "plain.png", tmp_path / "paths.png"
    export_snapshot(seed, plain, step=0)
    export_snapshot(seed, marked, step=0, paths="x")
    a, b = QImage(str(plain)), QImage(str(marked))
    assert b.height() > a.height()  # the caption line
    assert a.copy(0, 0, a.width(), a.height()) != b.copy(0, 0, a.width(), a.height())


def test_a_function_box_reads_its_sub_expression_with_the_class_name_smaller(qtbot, seed):
    from gradviz.ui.graph.scene import GraphScene

    scene = GraphScene(seed)
    item = scene.node_item(_op_node(seed, "MulBackward0", "5x³"))
    sizes = {text: size for size, _, text, _ in item._layout_text()}
    assert sizes["MulBackward0"] < sizes["5x³"] == sizes["= 40"]
    assert "5x³" in scene.tooltip_text(item.node_id)
    leaf = scene.node_item(seed.variable("x").node)
    assert len({size for size, *_ in leaf._layout_text()}) == 1  # leaves unchanged


def test_the_panel_names_a_script_nodes_line(qtbot):
    from gradviz.core.runtime.jobs import snapshot_from_code
    from gradviz.core.runtime.options import BuildOptions

    code = ("import torch\nx = torch.tensor(2.0, requires_grad=True)\n"
            "h = x * 3\noutput = torch.sin(h)\n")
    snap = snapshot_from_code(code, "lesson", options=BuildOptions(layout=False))
    panel = PathsPanel()
    qtbot.addWidget(panel)
    mul = next(n.id for n in snap.nodes if n.op == "MulBackward0")
    from gradviz.core.graph.paths import gradient_paths

    panel.show_paths(snap, mul, gradient_paths(snap, mul), snap.node(mul).line)
    assert "(line 3)" in panel.title.text()


def test_a_lesson_codes_node_shades_the_line_that_made_it(qtbot):
    from PySide6.QtWidgets import QPlainTextEdit

    code = ("import torch\nx = torch.tensor(2.0, requires_grad=True)\n"
            "h = x * 3\noutput = torch.sin(h)\n")
    from gradviz.core.runtime.jobs import snapshot_from_code

    snap = snapshot_from_code(code, "lesson")
    editor, graph, view = FunctionEditor(), GraphPanel(snap), QPlainTextEdit(code)
    for widget in (editor, graph, view):
        qtbot.addWidget(widget)
    link = SourceLink(editor, graph.view, None, code_view=view)
    link.set_scene(graph.scene())
    mul = next(n.id for n in snap.nodes if n.op == "MulBackward0")
    graph.view.select_node(mul, center=False)
    (shade,) = view.extraSelections()
    assert shade.cursor.block().blockNumber() == 2 and shade.cursor.block().text() == "h = x * 3"
    graph.scene().select_node(None)
    assert view.extraSelections() == []
    view.setPlainText(code + "# edited\n")  # not the code that was built: no line
    graph.view.select_node(mul, center=False)
    assert view.extraSelections() == []
