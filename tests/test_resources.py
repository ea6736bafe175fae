"""Every bundled icon, theme and font loads, from a checkout and from an installed layout."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtGui import QFontDatabase

from gradviz.ui.base.fonts import graph_font_family
from gradviz.ui.base.resources import icon, list_resources, read_text, resource_path
from gradviz.ui.base.themes import load_theme, theme_names

ROOT = Path(__file__).resolve().parents[1]


def test_every_icon_loads(qapp):
    names = list_resources("icons", ".svg")
    assert {"fit", "zoom-in", "zoom-out", "go-up", "go-down", "close"} <= \
        {n.removesuffix(".svg") for n in names}
    for name in names:
        assert not icon(name).pixmap(24, 24).isNull(), name


def test_every_theme_loads(qapp):
    assert theme_names()[0] == "light"
    assert {"light", "dark", "presentation"} <= set(theme_names())
    for name in theme_names():
        theme = load_theme(name)
        assert theme.name == name
        assert set(theme.fills) >= {"function", "leaf", "saved", "output", "view_base"}
        for key in ("background", "text", "edge", "active", "done", "grad_text"):
            assert theme.color(key).isValid(), (name, key)
        sheet = theme.stylesheet()
        assert "@" not in sheet.replace("@name@", "")
    with pytest.raises(KeyError):
        load_theme("neon")
    assert load_theme("presentation").font_scale > 1 and load_theme("presentation").line_scale > 1


def test_every_font_loads_and_has_its_licence(qapp):
    assert graph_font_family() == "Liberation Mono"
    for name in list_resources("fonts", ".ttf"):
        font_id = QFontDatabase.addApplicationFont(str(resource_path("fonts", name)))
        assert font_id >= 0, name
    assert "SIL OPEN FONT LICENSE Version 1.1" in read_text("fonts", "OFL.txt")


def test_missing_resource_is_a_clear_error():
    with pytest.raises(FileNotFoundError, match="nope.svg"):
        resource_path("icons", "nope.svg")


def test_installed_layout_finds_gradviz_resources(tmp_path):
    # The wheel force-includes resources/ as gradviz/resources.
    site = tmp_path / "site"
    shutil.copytree(ROOT / "gradviz", site / "gradviz",
                    ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(ROOT / "resources", site / "gradviz" / "resources")
    code = (
        "from gradviz.ui.base.resources import resources_root, icon, list_resources\n"
        "from gradviz.ui.base.themes import load_theme, theme_names\n"
        "from PySide6.QtGui import QGuiApplication\n"
        "app = QGuiApplication([])\n"
        "print(resources_root())\n"
        "assert all(not icon(n).isNull() for n in list_resources('icons', '.svg'))\n"
        "assert all(load_theme(n) for n in theme_names())\n"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True,
                         text=True, env={"PYTHONPATH": str(site), "QT_QPA_PLATFORM": "offscreen",
                                         "PATH": "/usr/bin:/bin"}, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == str(site / "gradviz" / "resources")
