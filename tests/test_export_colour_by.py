"""Headless exports coloured by a measure (``--colour-by``, ``colour_by=``): the pixels at a
node are the window's tint for it, the legend is the window's, an unknown measure is refused
with one coded error on every surface, a higher-order graph comes out coloured by order."""

from __future__ import annotations

import html
import math

import pytest
from PySide6.QtGui import QColor, QImage
from snapshots import seed_snapshot

import gradviz
from gradviz.cli_request import app_config
from gradviz.core.errors import InputError
from gradviz.core.lens.node_measures import COLOUR_CHOICES
from gradviz.core.runtime.export_options import ExportOptions
from gradviz.ui.base.themes import load_theme
from gradviz.ui.export.export_colouring import ExportColouring
from gradviz.ui.export.file_export import export_snapshot
from gradviz.ui.export.images import LEGEND_MARGIN, ensure_app
from gradviz.ui.graph.scene import GraphScene
from gradviz.ui.window.main_window import MainWindow

pytestmark = pytest.mark.usefixtures("temp_settings")

SEED = ["5*x**3 + 2*x**2 + 4*x + 8", "--var", "x=2.0"]
INSET = 4  # points inside a box's top-left corner: its fill, clear of border and text


@pytest.fixture(scope="module")
def seed():
    return seed_snapshot()


def open_window(qtbot, snapshot, *argv: str) -> MainWindow:
    window = MainWindow(app_config(list(argv)), snapshot=snapshot)
    qtbot.addWidget(window)
    with qtbot.waitSignal(window.built, timeout=10_000):
        window.show()
    return window


def window_tints(window) -> dict[str, QColor]:
    """The fill of every tinted box in the window's scene."""
    items = window.graph.scene().node_items
    return {n: i.tint().fill.color() for n, i in items.items() if i.tint() is not None}


def node_pixels(image: QImage, snapshot, theme: str, scale: float = 1.0) -> dict[str, QColor]:
    """The colour just inside each box's top-left corner in an exported PNG (the graph is
    centred on the page, drawn from the scene's rect)."""
    ensure_app()
    scene = GraphScene(snapshot, theme)
    source = scene.sceneRect()
    left = math.floor((image.width() / scale - source.width()) / 2)
    out = {}
    for node_id, item in scene.node_items.items():
        corner = item.mapToScene(item.rect().topLeft())
        x = (left + corner.x() - source.x() + INSET) * scale
        y = (corner.y() - source.y() + INSET) * scale
        out[node_id] = image.pixelColor(round(x), round(y))
    return out


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_the_png_shows_the_windows_tints_and_legend(qtbot, tmp_path, seed, theme):
    window = open_window(qtbot, seed, "--colour-by", "grad_norm", "--theme", theme)
    tints = window_tints(window)
    assert len(tints) >= 6 and len({c.name() for c in tints.values()}) >= 3  # a real ramp
    shown = window.aids.colouring.legend.texts()
    window.close()
    out = tmp_path / "seed.png"
    export_snapshot(seed, out, theme=theme, scale=1.0, colour_by="grad_norm")
    image = QImage(str(out))
    pixels = node_pixels(image, seed, theme)
    assert {n: pixels[n].name() for n in tints} == {n: c.name() for n, c in tints.items()}
    plain = tmp_path / "plain.png"
    export_snapshot(seed, plain, theme=theme, scale=1.0)
    untinted = node_pixels(QImage(str(plain)), seed, theme)
    assert sum(untinted[n] != c for n, c in tints.items()) >= len(tints) - 1
    # the window's legend, under the graph
    colours = ExportColouring(GraphScene(seed, theme), "grad_norm")
    legend = colours.legend
    assert legend is not None and legend.texts() == shown
    graph = GraphScene(seed, theme).sceneRect()
    assert image.height() == math.ceil(graph.height() + legend.height() + 2 * LEGEND_MARGIN)
    inside = image.pixelColor(LEGEND_MARGIN + 4, math.ceil(graph.height()) + LEGEND_MARGIN + 4)
    assert inside.name() == QColor(load_theme(theme).panel).name()  # the legend's panel
    assert QImage(str(plain)).height() == math.ceil(graph.height())  # no legend uncoloured
    colours.close()


def test_the_svg_carries_the_legend_text(qtbot, tmp_path, seed):
    window = open_window(qtbot, seed, "--color-by", "saved_bytes")
    texts = window.aids.colouring.legend.texts()
    window.close()
    assert texts[0] == "Saved bytes" and texts[1].endswith("B")
    out = tmp_path / "seed.svg"
    gradviz.export(seed_tensor(), out, color_by="saved_bytes")
    svg = out.read_text(encoding="utf-8")
    for text in texts:
        assert f">{html.escape(text, quote=False)}<" in svg or html.escape(text) in svg, text
    gradviz.export(seed_tensor(), out)
    assert texts[0] not in out.read_text(encoding="utf-8")


@pytest.mark.parametrize("bad", ["bogus", "Grad_norm", "gradient"])
def test_an_unknown_measure_is_refused_alike_everywhere(qtbot, tmp_path, cli, seed, bad):
    with pytest.raises(InputError) as info:
        ExportOptions(colour_by=bad)
    assert info.value.code == "bad_colour_by"
    expected = info.value.message
    assert bad in expected and all(c in expected for c in COLOUR_CHOICES)
    assert "--" not in expected  # the sentence names no flag: the CLI adds its own
    out = tmp_path / "graph.png"
    for run in (lambda: gradviz.export(seed_tensor(), out, colour_by=bad),
                lambda: gradviz.export(seed_tensor(), out, color_by=bad),
                lambda: export_snapshot(seed, out, colour_by=bad),
                lambda: export_snapshot(seed, tmp_path / "graph.gif", colour_by=bad)):
        with pytest.raises(InputError) as info:
            run()
        assert info.value.message == expected
    for argv in (["export", *SEED, "--colour-by", bad, "-o", out],
                 ["export", *SEED, "--color-by", bad, "-o", tmp_path / "graph.svg"],
                 ["--colour-by", bad, *SEED]):  # the window's own command line
        result = cli(*argv)
        assert result.returncode == 2, argv
        assert expected in result.stderr and "(--colour-by)" in result.stderr
    assert list(tmp_path.iterdir()) == []
    window = open_window(qtbot, seed)
    with pytest.raises(InputError) as info:
        window.aids.colouring.set_measure(bad)
    assert info.value.message == expected
    window.close()


def test_a_higher_order_graph_exports_coloured_by_order(qtbot, tmp_path):
    from gradviz.core.lens.higher_order import derivative_snapshot

    snapshot = derivative_snapshot("5*x**3 + 2*x**2 + 4*x + 8", ["x=2.0"])
    window = open_window(qtbot, snapshot)
    assert window.aids.colouring.measure == "order"  # how the window opens it
    tints = window_tints(window)
    window.close()
    assert set(tints) == set(snapshot.meta["orders"])
    out = tmp_path / "order.png"
    export_snapshot(snapshot, out, scale=1.0)  # no choice: as the window
    pixels = node_pixels(QImage(str(out)), snapshot, "light")
    assert {n: pixels[n].name() for n in tints} == {n: c.name() for n, c in tints.items()}
    assert len({c.name() for c in tints.values()}) == 2  # forward and first backward


def test_the_command_line_gif_carries_tints_and_legend(tmp_path, cli, seed):
    from PIL import Image

    out = tmp_path / "seed.gif"
    result = cli("export", *SEED, "--color-by", "grad_norm", "--scale", "1", "-o", out)
    assert result.returncode == 0, result.stderr
    plain = tmp_path / "plain.gif"
    assert cli("export", *SEED, "--scale", "1", "-o", plain).returncode == 0
    colours = ExportColouring(GraphScene(seed, "light"), "grad_norm")
    band = colours.legend.height() + 2 * LEGEND_MARGIN
    with Image.open(out) as gif, Image.open(plain) as bare:
        assert gif.n_frames == bare.n_frames and gif.size[0] == bare.size[0]
        assert gif.size[1] == bare.size[1] + band
        gif.seek(gif.n_frames - 1)
        frame = gif.convert("RGB")
    x_node = seed.variable("x").node
    page = QImage(frame.tobytes(), frame.width, frame.height, 3 * frame.width,
                  QImage.Format.Format_RGB888)
    colour = node_pixels(page, seed, "light")[x_node]
    expected = colours.colouring.tint_of(x_node).fill.color()
    assert max(abs(a - b) for a, b in zip(colour.getRgb(), expected.getRgb())) <= 3
    colours.close()


def seed_tensor():
    import torch

    x = torch.tensor(2.0, requires_grad=True)
    return 5 * x**3 + 2 * x**2 + 4 * x + 8


def test_the_windows_file_export_keeps_its_colouring(qtbot, tmp_path, seed):
    window = open_window(qtbot, seed, "--colour-by", "grad_norm")
    texts = window.aids.colouring.legend.texts()
    tints = window_tints(window)
    svg, gif = tmp_path / "window.svg", tmp_path / "window.gif"
    assert window.exports.write(svg) == svg and window.exports.write(gif) == gif
    window.aids.colouring.set_measure("none")
    bare = tmp_path / "bare.gif"
    assert window.exports.write(bare) == bare
    window.close()
    text = svg.read_text(encoding="utf-8")
    assert all(html.escape(t, quote=False) in text for t in texts)
    for name, colour in tints.items():  # the tints are in the vector file as fills
        assert f'fill="{colour.name()}"' in text, name
    from PIL import Image

    with Image.open(gif) as coloured, Image.open(bare) as plain:
        assert coloured.size[1] > plain.size[1]  # the legend's band


def test_frames_are_coloured_too(tmp_path, seed):
    from gradviz.ui.export.file_export import export_frames

    written = export_frames(seed, tmp_path / "frames", scale=1.0, colour_by="value_norm")
    colours = ExportColouring(GraphScene(seed, "light"), "value_norm")
    expected = {n: colours.colouring.tint_of(n).fill.color().name()
                for n in colours.colouring.values}
    colours.close()
    assert len(set(expected.values())) >= 3
    pixels = node_pixels(QImage(str(written[-1])), seed, "light")
    assert {n: pixels[n].name() for n in expected} == expected
