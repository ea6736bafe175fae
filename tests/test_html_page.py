"""The interactive page (gradviz.html, recorded by ui.export): data, safety, text.

The page's script only applies recorded changes, so the data is checked here in
Python: replaying the changes from step 0 gives, at every step, what the window's
own items show for the reference state ``state_at(snapshot, k)``.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re

import pytest
from snapshots import neuron_snapshot, seed_snapshot, transformer_snapshot

from gradviz.core.errors import InputError
from gradviz.html.page import decimal_comma, render_page
from gradviz.replay.state import state_at
from gradviz.ui.export.page_export import page_html, record_page
from gradviz.ui.graph.scene import GraphScene
from gradviz.ui.graph.step_view import apply_step
from gradviz.ui.panels.explanation_bar import ExplanationBar
from gradviz.ui.panels.gradients_panel import GradientsPanel


@pytest.fixture(scope="module")
def seed():
    return seed_snapshot()


def _data(html: str) -> dict:
    block = re.search(r'<script type="application/json" id="gradviz-data">(.*?)</script>',
                      html, re.S).group(1)
    return json.loads(block)


def _replayed(data: dict, k: int) -> dict:
    cells = dict(data["cells"])
    for frame in data["changes"][:k]:
        cells.update(dict(frame))
    return cells


def _window_cells(snapshot, k: int) -> dict:
    """What the window's items show at step k, jumping there from a fresh scene.

    The scene places labels as a scene without a placer does (beside the middle):
    their texts are compared here, their spots in test_label_place.py."""
    scene = GraphScene(snapshot)
    scene.label_placer = None  # a fresh placer would place every label at each step
    apply_step(scene, state_at(snapshot, k))
    index = {node.id: i for i, node in enumerate(snapshot.nodes)}
    cells = {}
    for node_id, item in scene.node_items.items():
        cells[f"n{index[node_id]}"], cells[f"g{index[node_id]}"] = item.state(), item.grad_text()
    for i, item in scene.edge_items.items():
        cells[f"e{i}"], cells[f"l{i}"] = item.state(), item.grad_label()
    return cells


@pytest.mark.parametrize("make", [seed_snapshot, neuron_snapshot,
                                  lambda: transformer_snapshot(1)])
def test_the_changes_replay_what_the_window_shows_at_every_step(qapp, make):
    snapshot = make()
    data = _data(page_html(snapshot))
    assert data["total"] == len(snapshot.steps) == len(data["changes"])
    panel, bar = GradientsPanel(), ExplanationBar()
    panel.set_snapshot(snapshot)
    bar.set_snapshot(snapshot)
    for k in range(len(snapshot.steps) + 1):
        replayed = _replayed(data, k)
        window = _window_cells(snapshot, k)
        panel.set_state(state_at(snapshot, k))
        window.update({f"v{j}": panel.grad_text(v.name) for j, v in enumerate(snapshot.variables)})
        assert {key: replayed[key] for key in window} == window, f"step {k}"
        bar.set_step(k)
        assert data["steps"][k] == [bar.title.text(), bar.body.text(), ""]


def test_the_seed_page_ends_at_x_grad_72_with_its_parts(qapp, seed):
    data = _data(page_html(seed))
    assert data["total"] == 9
    assert _replayed(data, 9)["v0"] == "72 = 4 + 8 + 60"
    assert _replayed(data, 0)["v0"] == "—"
    title, body, _note = data["steps"][9]
    assert title == "Step 9 of 9: AccumulateGrad"
    assert "x.grad = 72" in body
    assert data["steps"][0][0] == "Forward pass done"
    active = [k for k in range(1, 10) if "active" in dict(data["changes"][k - 1]).values()]
    assert active == list(range(1, 10))  # a node lights up at every step


def test_the_page_is_self_contained_and_its_policy_allows_only_its_own_code(qapp, seed):
    html = page_html(seed)
    assert not re.search(r"(src|href)\s*=", html, re.I)  # nothing to load
    assert "http://" not in html.replace('xmlns="http://www.w3.org/2000/svg"', "")
    assert "https://" not in html
    csp = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', html).group(1)
    assert csp.startswith("default-src 'none';")
    script = re.search(r"<script>(.*?)</script>", html, re.S).group(1)
    style = re.search(r"<style>(.*?)</style>", html, re.S).group(1)
    for text in (script, style):
        digest = base64.b64encode(hashlib.sha256(text.encode()).digest()).decode()
        assert f"'sha256-{digest}'" in csp
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert not re.search(r"\son[a-z]+\s*=", html)  # no inline event handler
    assert "eval(" not in script and "innerHTML" not in script and "Function(" not in script


def test_every_text_is_escaped(qapp, seed):
    evil = '</script><script>alert(1)</script><b onclick="x()">'
    html = page_html(seed, title=evil, notes=evil, step_notes={2: evil})
    assert "<script>alert(1)" not in html and "<b onclick" not in html
    assert "&lt;/script&gt;&lt;script&gt;alert(1)" in html  # shown as text
    block = re.search(r'id="gradviz-data">(.*?)</script>', html, re.S).group(1)
    assert "<" not in block and ">" not in block
    assert _data(html)["steps"][2][2] == evil  # the note itself arrives unchanged


def test_french_page_words_and_decimal_commas(qapp, seed):
    data = _data(page_html(seed, lang="fr"))
    assert data["strings"]["step_of"].format(8, 9) == "Pas 8 sur 9"
    assert data["steps"][9][0].startswith("Pas 9 sur 9")
    neuron = page_html(neuron_snapshot(), lang="fr")
    values = [v for _name, v in record_page(neuron_snapshot()).variables]
    assert values == ["0.5", "2", "-1"]
    assert "<td>0,5</td>" in neuron and "<td>0.5</td>" not in neuron


def test_decimal_comma_touches_numbers_only():
    assert decimal_comma("x.grad = 0.5 + 1.25") == "x.grad = 0,5 + 1,25"
    assert decimal_comma("[1.5, 2, -0.25]") == "[1,5\u202f; 2\u202f; -0,25]"
    assert decimal_comma("[1, 2, 3]") == "[1, 2, 3]"
    assert decimal_comma("layers.0.linear1 at 1.5e-05") == "layers.0.linear1 at 1,5e-05"


def test_start_step_and_still_mode(qapp, seed):
    html = page_html(seed, step="last", controls=False)
    data = _data(html)
    assert data["start"] == 9 and data["controls"] is False
    assert '<div id="page" class="still">' in html
    assert "Step 9 of 9: AccumulateGrad" in html  # the start step's explanation, server-side
    with pytest.raises(InputError, match="Step 12 does not exist") as info:
        record_page(seed, step=12)
    assert info.value.code == "bad_step"


def test_a_long_chain_is_stored_as_small_differences(qapp):
    import torch

    from gradviz.core.runtime.options import BuildOptions
    from gradviz.core.runtime.pipeline import build_snapshot

    x = torch.tensor(0.5, requires_grad=True)
    y = x
    for _ in range(1000):
        y = y * 1.001
    snapshot = build_snapshot(y, params={"x": x}, source="chain",
                              options=BuildOptions(show_saved=False))
    html = render_page(record_page(snapshot))
    data = _data(html)
    assert len(snapshot.nodes) > 1000
    first, *rest = data["changes"]  # the first step dims every node not reached yet
    assert len(first) > 1000
    assert max(len(frame) for frame in rest) <= 12  # then a step changes a few cells
    assert len(html) < 3_000_000
