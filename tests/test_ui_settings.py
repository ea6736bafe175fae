"""Settings: remembered between windows, checked when read, reset when damaged, never fatal."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QSettings

from gradviz.cli_request import app_config
from gradviz.ui.base.settings import AppSettings, open_qsettings
from gradviz.ui.base.themes import theme_names
from gradviz.ui.window.main_window import MainWindow


class IdleWorker:
    """A worker that is never needed: these windows are not shown."""

    def start(self) -> None:
        """Nothing to start."""

    def close(self) -> None:
        """Nothing to close."""


@pytest.fixture(autouse=True)
def settings_file(tmp_path, monkeypatch) -> Path:
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope,
                      str(tmp_path / "settings"))
    monkeypatch.setenv("GRADVIZ_TRUST_FILE", str(tmp_path / "trusted.json"))
    return Path(open_qsettings().fileName())


def window(qtbot, *argv: str) -> MainWindow:
    win = MainWindow(app_config(list(argv)), worker=IdleWorker())
    qtbot.addWidget(win)
    return win


def test_theme_speed_language_and_layout_are_remembered(qtbot, settings_file, tmp_path):
    first = window(qtbot)
    first.set_theme("dark")
    first.player.set_speed(2.0)
    first.settings.set_language("fr")
    first.settings.set_last_dir(str(tmp_path))
    first.close()
    assert settings_file.is_file()
    second = window(qtbot)
    assert second.theme_name() == "dark" and second.player.speed == 2.0
    assert second.settings.language() == "fr" and second.settings.last_dir() == str(tmp_path)
    assert second.settings.geometry() is not None
    assert second.settings.geometry("window_state") is not None
    assert second.menu_actions["theme:dark"].isChecked()
    second.close()
    assert window(qtbot, "--theme", "light").theme_name() == "light"  # the command line wins


@pytest.mark.parametrize("content", [
    b"\x00\x89PNG\r\n\x1a\n\xff\xfe garbage",  # Qt reads this as an empty file
    b"[General]\ntheme=dark\n[broken\nfoo",  # a format error
    b"\xff" * 64,
])
def test_a_damaged_settings_file_gives_defaults_and_a_notice(qtbot, settings_file, content):
    settings_file.parent.mkdir(parents=True, exist_ok=True)
    settings_file.write_bytes(content)
    win = window(qtbot)
    assert win.theme_name() == "light" and win.player.speed == 1.0
    assert "default settings" in win.statusBar().currentMessage()
    assert settings_file.with_name(settings_file.name + ".corrupt").read_bytes() == content
    win.set_theme("dark")
    win.close()
    assert AppSettings().theme(theme_names()) == "dark" and AppSettings().notice is None


def test_wrong_values_read_as_defaults(qtbot, settings_file):
    raw = open_qsettings()
    for key, value in (("theme", "purple"), ("speed", "fast"), ("language", "xx"),
                       ("geometry", "not bytes"), ("recent_files", 3), ("last_dir", "/nowhere")):
        raw.setValue(key, value)
    raw.sync()
    settings = AppSettings()
    assert settings.theme(theme_names()) is None and settings.speed() == 1.0
    assert settings.language() is None and settings.geometry() is None
    assert settings.recent_files() == [] and settings.last_dir() == ""
    win = window(qtbot)
    assert win.theme_name() == "light"
    win.close()


def test_reset_settings_clears_them(settings_file):
    settings = AppSettings()
    settings.set_theme("dark")
    settings.set_speed(4.0)
    settings.sync()
    settings.clear()
    fresh = AppSettings()
    assert fresh.theme(theme_names()) is None and fresh.speed() == 1.0


def test_screenshots_ignore_the_remembered_look(qtbot, settings_file, tmp_path):
    settings = AppSettings()
    settings.set_theme("dark")
    settings.sync()
    win = window(qtbot, "--screenshot", str(tmp_path / "x.png"))
    assert win.theme_name() == "light"
    win.close()
    assert AppSettings().geometry() is None  # nothing written either
