"""The page from the command line, from gradviz.export() and from the window's File menu."""

from __future__ import annotations

import json
import re

import pytest
import torch
from PySide6.QtWidgets import QFileDialog
from snapshots import seed_snapshot

import gradviz

SEED = "5*x**3 + 2*x**2 + 4*x + 8"


def _data(page: str) -> dict:
    return json.loads(re.search(r'id="gradviz-data">(.*?)</script>', page, re.S).group(1))


def test_export_a_lesson_page_in_french_with_its_notes(cli, tmp_path):
    from gradviz.ui.base.resources import resource_path

    lesson = resource_path("examples", "01-seed-polynomial.gradviz.json")
    out = tmp_path / "lesson.html"
    done = cli("export", "--lesson", str(lesson), "--lang", "fr", "--step", "3", "-o", str(out))
    assert done.returncode == 0, done.stderr
    page = out.read_text(encoding="utf-8")
    data = _data(page)
    assert data["start"] == 3 and data["steps"][3][0].startswith("Pas 3 sur 9")
    assert data["steps"][3][2].startswith("4·x envoie d(4x)/dx = 4 à x")  # the step note
    title = "Premier exemple\u00a0: un polynôme et son gradient — y = 5x³ + 2x² + 4x + 8"
    assert f"<h1>{title}</h1>" in page
    assert '<p class="note">y = 5x³ + 2x² + 4x + 8 en x = 2.' in page  # its notes, as text
    assert list(tmp_path.iterdir()) == [out]


def test_a_lesson_title_with_a_script_shows_as_text(cli, tmp_path):
    lesson = tmp_path / "evil.gradviz.json"
    lesson.write_text(json.dumps({
        "schema": "gradviz.lesson/1", "title": "<script>alert(1)</script>",
        "notes": "</style><img src=x>",
        "functions": [{"expression": "x*x", "variables": ["x=3.0"],
                       "step_notes": {"1": "<script>alert(2)</script>"}}]}))
    out = tmp_path / "evil.html"
    done = cli("export", "--lesson", str(lesson), "-o", str(out))
    assert done.returncode == 0, done.stderr
    page = out.read_text(encoding="utf-8")
    assert "<script>alert" not in page and "<img" not in page
    assert "<h1>&lt;script&gt;alert(1)&lt;/script&gt;</h1>" in page
    assert _data(page)["steps"][1][2] == "<script>alert(2)</script>"


def test_bad_start_step_is_a_clear_error_and_writes_nothing(cli, tmp_path):
    out = tmp_path / "seed.html"
    done = cli("export", SEED, "--var", "x=2.0", "--step", "12", "-o", str(out))
    assert done.returncode == 2 and "Step 12 does not exist" in done.stderr
    assert "(--step)" in done.stderr
    assert not out.exists()


def test_still_page_from_the_command_line(cli, tmp_path):
    out = tmp_path / "still.html"
    done = cli("export", SEED, "--var", "x=2.0", "--step", "last", "--no-controls",
               "--theme", "dark", "-o", str(out))
    assert done.returncode == 0, done.stderr
    page = out.read_text(encoding="utf-8")
    assert '<div id="page" class="still">' in page
    assert "background: #1e1f22" in page  # the dark theme's graph background
    assert _data(page)["controls"] is False and _data(page)["start"] == 9


def test_python_api_writes_the_page(qapp, tmp_path):
    x = torch.tensor(2.0, requires_grad=True)
    y = 5 * x**3 + 2 * x**2 + 4 * x + 8
    out = gradviz.export(y, tmp_path / "seed.html", params={"x": x}, lang="fr")
    data = _data(out.read_text(encoding="utf-8"))
    assert data["start"] == 0 and data["strings"]["step_of"] == "Pas {0} sur {1}"
    assert x.grad is None  # the user's tensor is left as it was


@pytest.mark.usefixtures("temp_settings")
def test_the_window_exports_the_page_at_its_step(qtbot, tmp_path, monkeypatch):
    from gradviz.ui.window.main_window import MainWindow

    win = MainWindow(snapshot=seed_snapshot())
    qtbot.addWidget(win)
    win.show()
    qtbot.waitUntil(lambda: win.graph.view.graph_scene() is not None, timeout=10_000)
    win.player.set_step(4)
    target = tmp_path / "graph.html"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    title_before = win.explanation.title.text()
    assert win.exports.export_page() == target
    data = _data(target.read_text(encoding="utf-8"))
    assert data["start"] == 4 and data["steps"][4][0] == "Step 4 of 9: AddBackward0"
    assert win.explanation.title.text() == title_before  # the window is left as it was
    assert [p.name for p in tmp_path.iterdir() if p.suffix == ".html"] == ["graph.html"]


def test_the_page_names_the_function_as_mathematics_never_a_path(cli, tmp_path):
    script = tmp_path / "model_script.py"
    script.write_text("import torch\nx = torch.tensor(2.0, requires_grad=True)\n"
                      "output = x * x\nparams = {'x': x}\n", encoding="utf-8")
    page = tmp_path / "s.html"
    assert cli("export", "--script", script, "-o", page, "-q").returncode == 0
    text = page.read_text(encoding="utf-8")
    assert "model_script.py" in text and str(tmp_path) not in text
    seed = tmp_path / "seed.html"
    assert cli("export", "--seed-example", "-o", seed, "-q").returncode == 0
    assert "y = 5x³ + 2x² + 4x + 8" in seed.read_text(encoding="utf-8")
