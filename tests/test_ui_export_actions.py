"""File → Export image…, Export visible region…, Copy image: what the window shows."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QAction, QGuiApplication, QImage, QKeySequence
from PySide6.QtWidgets import QFileDialog
from snapshots import seed_snapshot

from gradviz.ui.window.main_window import MainWindow

pytestmark = pytest.mark.usefixtures("temp_settings")


@pytest.fixture
def window(qtbot):
    win = MainWindow(snapshot=seed_snapshot())
    qtbot.addWidget(win)
    win.resize(1200, 800)
    win.show()
    qtbot.waitUntil(lambda: win.graph.view.graph_scene() is not None, timeout=10_000)
    win.player.set_step(3)
    return win


def _menu_action(window, menu: str, text: str) -> QAction:
    """The entry ``text`` of the menu bar's ``menu``, as a user would pick it."""
    (top,) = [a for a in window.menuBar().actions() if a.text() == menu]
    (action,) = [a for a in top.menu().actions() if a.text() == text]
    return action


def _ask(monkeypatch, path):
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(path), ""))


@pytest.mark.parametrize("suffix, magic", [(".png", b"\x89PNG"), (".svg", b"<?xml"),
                                           (".pdf", b"%PDF"), (".gif", b"GIF8")])
def test_export_every_format_from_the_menu(window, tmp_path, monkeypatch, suffix, magic):
    target = tmp_path / f"graph{suffix}"
    _ask(monkeypatch, target)
    action = _menu_action(window, "&File", "&Export image…")
    assert action.shortcut() == QKeySequence("Ctrl+E")
    action.trigger()
    assert target.read_bytes().startswith(magic)
    assert [p.name for p in tmp_path.iterdir()] == [target.name]  # no temp file left


def test_visible_region_is_smaller_than_the_whole_graph(window, tmp_path, monkeypatch):
    whole, part = tmp_path / "whole.png", tmp_path / "part.png"
    _ask(monkeypatch, whole)
    window.exports.export_image()
    window.graph.view.zoom_by(4.0)
    _ask(monkeypatch, part)
    window.exports.export_image(visible_only=True)
    assert QImage(str(part)).height() < QImage(str(whole)).height()


def test_copy_image_puts_the_graph_on_the_clipboard(window):
    window.exports.copy_image()
    image = QGuiApplication.clipboard().image()
    assert not image.isNull() and image.width() > 100


def test_cancelled_dialog_writes_nothing(window, tmp_path, monkeypatch):
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: ("", ""))
    assert window.exports.export_image() is None
    assert list(tmp_path.iterdir()) == []


def test_the_caption_is_the_function_the_step_and_its_explanation(window):
    window.player.set_step(3)
    caption = window.exports._caption(window.graph.scene()).splitlines()
    assert caption[0] == "y = 5x³ + 2x² + 4x + 8"  # mathematics, not Python
    assert caption[1] == "Step 3 of 9: MulBackward0"
    assert caption[2].startswith("MulBackward0 (4·x)")
