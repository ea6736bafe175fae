"""PNG, SVG and PDF export of the seed graph, offscreen, with pixel checks."""

from __future__ import annotations

import os
import subprocess
import sys
import xml.etree.ElementTree as ET

import pytest
from PySide6.QtGui import QColor, QImage
from snapshots import seed_snapshot

from gradviz.ui.export.images import copy_image_to_clipboard, default_caption, export_image
from gradviz.ui.graph.scene import GraphScene

TOLERANCE = 12  # per channel


@pytest.fixture(scope="module")
def seed():
    return seed_snapshot()


def test_png_scale_2_is_twice_as_wide(qapp, seed, tmp_path):
    one = QImage(str(export_image(seed, tmp_path / "one.png", scale=1)))
    two = QImage(str(export_image(seed, tmp_path / "two.png", scale=2)))
    assert not one.isNull() and not two.isNull()
    assert abs(two.width() - 2 * one.width()) <= 1
    assert abs(two.height() - 2 * one.height()) <= 1


def test_png_shows_each_node_where_the_layout_puts_it(qapp, seed, tmp_path):
    scale = 2.0
    image = QImage(str(export_image(seed, tmp_path / "seed.png", scale=scale)))
    scene = GraphScene(seed)
    origin = scene.sceneRect().topLeft()
    for item in scene.node_items.values():
        rect = item.rect()
        x = (rect.left() + 4 - origin.x()) * scale  # inside the border, left of the text
        y = (rect.center().y() - origin.y()) * scale
        got, want = image.pixelColor(int(x), int(y)), item.fill_brush().color()
        diffs = [abs(got.red() - want.red()), abs(got.green() - want.green()),
                 abs(got.blue() - want.blue())]
        assert max(diffs) <= TOLERANCE, (item.node_id, got.name(), want.name())
    corner = image.pixelColor(1, 1)
    assert corner == QColor("#ffffff")


def test_dark_and_transparent_backgrounds(qapp, seed, tmp_path):
    dark = QImage(str(export_image(seed, tmp_path / "dark.png", theme="dark")))
    assert dark.pixelColor(1, 1).lightness() < 60
    clear = QImage(str(export_image(seed, tmp_path / "clear.png", transparent=True)))
    assert clear.pixelColor(1, 1).alpha() == 0


def test_caption_and_region(qapp, seed, tmp_path):
    plain = QImage(str(export_image(seed, tmp_path / "plain.png")))
    captioned = QImage(str(export_image(seed, tmp_path / "cap.png", caption=True)))
    assert captioned.height() > plain.height()
    assert default_caption(seed) == "y = 5x³ + 2x² + 4x + 8   at x = 2"  # mathematics
    part = QImage(str(export_image(seed, tmp_path / "part.png", scale=2,
                                   region=(0, 0, 100, 50))))
    assert (part.width(), part.height()) == (200, 100)


def test_svg_is_xml_with_the_labels_as_text(qapp, seed, tmp_path):
    path = export_image(seed, tmp_path / "seed.svg", caption="y = 5x³ + 2x² + 4x + 8")
    root = ET.parse(path).getroot()
    texts = " ".join("".join(el.itertext()) for el in root.iter() if el.tag.endswith("text"))
    for label in ("AccumulateGrad", "MulBackward0", "PowBackward0", "AddBackward0", "= 64"):
        assert label in texts
    assert "5x³" in texts


def test_pdf_starts_with_the_pdf_magic(qapp, seed, tmp_path):
    path = export_image(seed, tmp_path / "seed.pdf", caption=True)
    data = path.read_bytes()
    assert data.startswith(b"%PDF") and len(data) > 1000


def test_unknown_suffix_and_bad_scale(qapp, seed, tmp_path):
    with pytest.raises(ValueError):
        export_image(seed, tmp_path / "seed.bmp")
    with pytest.raises(ValueError):
        export_image(seed, tmp_path / "seed.png", scale=8)


def test_copy_to_clipboard(qapp, seed):
    scene = GraphScene(seed)
    image = copy_image_to_clipboard(scene, scale=1.0)
    assert image.width() == pytest.approx(scene.sceneRect().width(), abs=1)
    assert not qapp.clipboard().image().isNull()


def test_export_creates_its_own_offscreen_app(seed, tmp_path):
    (tmp_path / "seed.json").write_text(seed.to_json())
    code = (
        "import sys\n"
        "from gradviz.core.snapshot import Snapshot\n"
        "from gradviz.ui.export.images import export_image\n"
        f"s = Snapshot.from_json(open({str(tmp_path / 'seed.json')!r}).read())\n"
        f"export_image(s, {str(tmp_path / 'out.png')!r})\n"
        "print('torch' in sys.modules)\n"
    )
    env = {k: v for k, v in os.environ.items()
           if k not in ("QT_QPA_PLATFORM", "DISPLAY", "WAYLAND_DISPLAY")}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env,
                         timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "False"
    assert not QImage(str(tmp_path / "out.png")).isNull()
