"""Presentation sizing: how large node text is on screen, and whether the graph reads
larger laid out left to right.

A tall, narrow graph (the seed: seven ranks of one to three boxes) shrinks to
fit a wide projector screen; laid out left to right it fills it. The choice is
made by measuring both fits, not by guessing from the node count.
"""

from __future__ import annotations

import copy
from collections import Counter

from ...core.layout.snapshot_layout import layout_snapshot
from ...core.runtime.options import BuildOptions
from ...core.snapshot import Snapshot

READABLE_PX = 24  # node text from the back of a classroom, on a 1080p projector
MAX_RELAYOUT_NODES = 400  # beyond this a second Graphviz run is not worth the wait
MARGIN = 12.0  # the scene's margin around the layout (points)


def node_font_size(scene) -> float:
    """The size (layout points) of most node labels' text (Graphviz's fontsize)."""
    sizes = Counter(item.box.lines[0].size for item in scene.node_items.values()
                    if item.box.lines)
    return sizes.most_common(1)[0][0] if sizes else 10.0


def readable_zoom(scene, px: float = READABLE_PX) -> float:
    """The view scale at which node text is ``px`` pixels tall."""
    return px / node_font_size(scene)


def fit_scale(snapshot: Snapshot, width: float, height: float) -> float:
    """The scale at which ``snapshot``'s layout fits ``width`` × ``height`` pixels."""
    x0, y0, x1, y1 = snapshot.layout.bbox
    return min(width / (x1 - x0 + 2 * MARGIN), height / (y1 - y0 + 2 * MARGIN))


def better_direction(snapshot: Snapshot, width: int, height: int) -> Snapshot | None:
    """``snapshot`` laid out left to right, if that fits ``width`` × ``height`` pixels
    larger than its top-to-bottom layout; None otherwise (or when not worth trying)."""
    if snapshot.layout is None or width <= 0 or height <= 0:
        return None
    options = dict(snapshot.meta.get("options") or {})
    if options.get("rankdir", "TB") != "TB" or len(snapshot.nodes) > MAX_RELAYOUT_NODES:
        return None
    x0, y0, x1, y1 = snapshot.layout.bbox
    if (y1 - y0) / max(x1 - x0, 1.0) <= height / width:
        return None  # already wider than the screen: top to bottom fits best
    options["rankdir"] = "LR"
    turned = copy.copy(snapshot)
    turned.meta = {**snapshot.meta, "options": options}
    turned.layout = layout_snapshot(turned, BuildOptions.from_dict(options))
    if fit_scale(turned, width, height) <= fit_scale(snapshot, width, height):
        return None
    return turned
