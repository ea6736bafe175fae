"""The explanation bar shows core's explanations with their words in the UI's language."""

from __future__ import annotations

import pytest

from gradviz.ui.base.i18n import install_translators
from gradviz.ui.panels.explanation_bar import ExplanationBar
from tests.explain_cases import leaf, snapshot_of
from tests.snapshots import Cube


def _snapshot():
    a = leaf(0.5, -1.2, 2.0)
    return snapshot_of((Cube.apply(a)[1:] * 2).sum(), a=a)


@pytest.mark.parametrize(("lang", "words"), [
    ("en", ("your own backward", "placed at Cube(a)[1:]", "0 elsewhere")),
    ("fr", ("votre propre backward", "placé en Cube(a)[1:]", "0 ailleurs")),
])
def test_explanation_words_follow_the_language(qapp, qtbot, lang, words):
    snapshot = _snapshot()
    ops = [s.op for s in snapshot.steps]
    assert install_translators(qapp, lang) == lang
    try:
        bar = ExplanationBar()
        qtbot.addWidget(bar)
        bar.set_snapshot(snapshot)
        bar.set_step(ops.index("CubeBackward") + 1)
        assert words[0] in bar.text() and "Cube.backward(grad_out)" in bar.text()
        bar.set_step(ops.index("SliceBackward0") + 1)
        assert words[1] in bar.text() and words[2] in bar.text(), bar.text()
    finally:
        install_translators(qapp, "en")


def test_the_bar_translates_every_word_core_uses(qtbot):
    from gradviz.core.explain.text import WORDS

    bar = ExplanationBar()
    qtbot.addWidget(bar)
    assert bar._words() == WORDS  # in English, the bar's words are core's


def test_french_explanations_keep_french_spacing(qapp, qtbot):
    from tests.explain_cases import leaf as make_leaf

    x = make_leaf(2.0)
    snapshot = snapshot_of(4 * x * x, x=x)
    assert install_translators(qapp, "fr") == "fr"
    try:
        bar = ExplanationBar()
        qtbot.addWidget(bar)
        bar.set_snapshot(snapshot)
        bar.set_step(1)
        body = bar.body.text()
        assert "\u00a0: grad_" in body and "): grad" not in body, body
    finally:
        install_translators(qapp, "en")
    bar.set_step(1)
    assert "): grad" in bar.body.text()  # English keeps its own spacing
