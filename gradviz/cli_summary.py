"""The one line ``gradviz export`` prints on success: what was written, and its size.

``wrote seed.png (802×1280, step 9/9)``, ``wrote seed.gif (10 frames, 802×1280)``,
``wrote seed.json (15 nodes, 9 steps)``, ``wrote seed.html (a page starting at step 0/9)``.
"""

from __future__ import annotations

import re
from pathlib import Path

from .core.snapshot import Snapshot

_SVG_SIZE = re.compile(r'<svg[^>]*?\swidth="([\d.]+)[a-z]*"[^>]*?\sheight="([\d.]+)[a-z]*"', re.S)


def summary(out: Path, snapshot: Snapshot, step: int | str | None = "last") -> str:
    """What is in ``out`` (just written from ``snapshot``), for the success line."""
    suffix = out.suffix.lower()
    total = len(snapshot.steps)
    if suffix in (".json", ".dot"):
        return f"{len(snapshot.nodes)} nodes, {total} steps"
    if suffix == ".gif":
        from PIL import Image

        with Image.open(out) as image:
            return f"{getattr(image, 'n_frames', 1)} frames, {image.width}×{image.height}"
    from .core.runtime.export_options import parse_step

    if suffix == ".html":
        return f"a page starting at step {0 if step is None else parse_step(step, total)}/{total}"
    at = f"step {parse_step(step, total)}/{total}"
    if suffix == ".png":
        from PIL import Image

        with Image.open(out) as image:
            return f"{image.width}×{image.height}, {at}"
    if suffix == ".svg":
        found = _SVG_SIZE.search(out.read_text(encoding="utf-8", errors="replace")[:4000])
        if found:
            return f"{round(float(found.group(1)))}×{round(float(found.group(2)))}, {at}"
    return at
