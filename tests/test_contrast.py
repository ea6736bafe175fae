"""Readable in every state: every text colour ≥ 4.5:1 against what it is drawn on,
for each theme and replay state, computed from the colours the items paint with and
measured on rendered pixels."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QRectF
from PySide6.QtGui import QColor, QImage, QPainter
from snapshots import seed_snapshot

from gradviz.ui.base.themes import load_theme, theme_names
from gradviz.ui.graph.cluster_item import ClusterItem
from gradviz.ui.graph.item_base import STATES
from gradviz.ui.graph.palette import blend, contrast_ratio, label_colors, node_colors
from gradviz.ui.graph.scene import GraphScene
from gradviz.ui.graph.step_view import apply_step
from gradviz.ui.viewer.player import state_at

MIN_CONTRAST = 4.5


@pytest.mark.parametrize("name", theme_names())
def test_node_text_and_gradients_are_readable_in_every_state(name):
    theme = load_theme(name)
    for kind in [*theme.fills, "unknown"]:
        for state in STATES:
            fill, _border, text, grad = node_colors(theme, kind, state)
            assert contrast_ratio(text, fill) >= MIN_CONTRAST, (kind, state, "text")
            assert contrast_ratio(grad, fill) >= MIN_CONTRAST, (kind, state, "gradient")


@pytest.mark.parametrize("name", theme_names())
def test_labels_module_titles_and_panels_are_readable(name):
    theme = load_theme(name)
    background, text = label_colors(theme)
    assert contrast_ratio(text, background) >= MIN_CONTRAST  # edge gradient labels
    assert contrast_ratio(text, theme.color("background")) >= MIN_CONTRAST  # over the canvas
    for depth in range(6):  # module titles on their tinted boxes, however deep
        fill, ink = ClusterItem.colors(theme, depth)
        assert contrast_ratio(ink, fill) >= MIN_CONTRAST, depth
    assert contrast_ratio(theme.color("panel_text"), theme.color("panel")) >= MIN_CONTRAST
    assert contrast_ratio(theme.color("muted_text"), theme.color("background")) >= MIN_CONTRAST


def test_contrast_ratio_is_wcags():
    assert contrast_ratio(QColor("#000000"), QColor("#ffffff")) == pytest.approx(21.0)
    assert contrast_ratio(QColor("#777777"), QColor("#ffffff")) == pytest.approx(4.48, abs=0.01)
    assert blend(QColor("#000000"), QColor("#ffffff"), 0.25) == QColor(191, 191, 191)


def _render(scene: GraphScene) -> QImage:
    rect = scene.sceneRect()
    image = QImage(int(rect.width() * 3), int(rect.height() * 3), QImage.Format.Format_RGB32)
    painter = QPainter(image)
    scene.render(painter, QRectF(image.rect()), rect)
    painter.end()
    return image


def _darkest_and_fill(image: QImage, scene: GraphScene, item) -> tuple[QColor, QColor]:
    """The darkest pixel inside a node's box (its text) and the box's fill (a corner)."""
    box = item.rect().adjusted(3, 3, -3, -3).translated(-scene.sceneRect().topLeft())
    pixels = [image.pixelColor(int(x * 3), int(y * 3))
              for x in range(int(box.left()), int(box.right()))
              for y in range(int(box.top()), int(box.bottom()))]
    fill = image.pixelColor(int(box.left() * 3) + 1, int(box.top() * 3) + 1)
    return min(pixels, key=lambda c: c.lightness()), fill


@pytest.mark.parametrize("name", ["light", "presentation"])
def test_rendered_dimmed_nodes_keep_readable_text(qapp, name):
    """The seed at step 3: nodes not reached yet are faded, their text is not."""
    snapshot = seed_snapshot()
    scene = GraphScene(snapshot, name)
    apply_step(scene, state_at(snapshot, 3))
    image = _render(scene)
    dimmed = [i for i in scene.node_items.values() if i.state() == "dimmed"]
    assert len(dimmed) >= 5
    for item in dimmed:
        ink, fill = _darkest_and_fill(image, scene, item)
        assert fill != scene.theme.fill(item.node.kind)  # faded
        # antialiased glyphs never reach the full colour: a margin of 0.5
        assert contrast_ratio(ink, fill) >= MIN_CONTRAST - 0.5, item.node_id
