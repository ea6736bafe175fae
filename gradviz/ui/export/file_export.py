"""Headless exports of a Snapshot at any replay step: PNG/SVG/PDF stills, GIF, frames.

Same drawing code as the window: a :class:`GraphScene` with
:func:`~gradviz.ui.graph.step_view.apply_step` applied, rendered by
:mod:`gradviz.ui.export.images`. Files appear only complete (temp file, then rename).
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from gradviz.replay.groups import stops
from gradviz.replay.timeline import Timeline

from ...core.errors import InputError
from ...core.runtime.export_options import DEFAULT_FRAME_MS, FORMATS, export_format, parse_step
from ...core.runtime.files import atomic_path
from ...core.snapshot import Snapshot
from ..graph.scene import GraphScene
from ..graph.step_view import apply_step
from ..viewer.player import accumulation_frames, state_at
from .captions import CaptionWriter
from .export_colouring import ExportColouring
from .images import ensure_app, export_scene

DEFAULT_SCALE = 2.0  # PNGs and GIFs at 2× (144 dpi): sharp on slides unless told otherwise
# Formats written here (core.export_options.FORMATS): stills and animations.
DRAWN_SUFFIXES = tuple(s for s, f in FORMATS.items() if f in ("image", "animation"))


def export_snapshot(snapshot: Snapshot, path: str | os.PathLike, *, step: int | str = "last",
                    theme: str | None = "light", scale: float | None = None,
                    caption: bool | str = False, transparent: bool = False,
                    smooth: bool = False, frame_ms: int = DEFAULT_FRAME_MS,
                    dpi: float | None = None, paths: str | None = None,
                    colour_by: str | None = None) -> Path:
    """Write ``snapshot`` to ``path`` by suffix: a still at ``step``, or a .gif of all steps.

    ``scale``: PNG/GIF pixels per layout point (default 2). ``caption=True``: the
    function as mathematics, the step's title and its explanation (a GIF's frames
    always carry their step counter and explanation line). ``paths`` (a variable's
    name or a node id) highlights every path from the output to it, and a caption
    says its gradient is one term per path. ``colour_by`` (a measure of
    :data:`~gradviz.core.lens.node_measures.COLOUR_CHOICES`) tints the nodes and draws the
    legend as the window's View ▸ Colour nodes by does (None: as the window opens it).
    """
    out = Path(path)
    fmt = export_format(out, DRAWN_SUFFIXES)
    scale = DEFAULT_SCALE if scale is None else scale
    k = parse_step(step, len(snapshot.steps))
    ensure_app()
    scene = GraphScene(snapshot, theme or "light")
    colours = ExportColouring(scene, colour_by)
    if fmt == "animation":
        _write_gif(scene, out, scale=scale, caption=caption, smooth=smooth, frame_ms=frame_ms,
                   legend=colours.legend)
        colours.close()
        return out
    state = state_at(snapshot, k)
    apply_step(scene, state)
    text = _still_caption(snapshot, state) if caption is True else (caption or None)
    if paths:
        text = _show_paths(scene, paths, text if caption else None)
    with atomic_path(out) as tmp:
        export_scene(scene, tmp, scale=scale, transparent=transparent, caption=text, dpi=dpi,
                     legend=colours.legend)
    colours.close()
    return out


def _show_paths(scene: GraphScene, name: str, caption: str | None) -> str | None:
    """Highlight the paths to the variable (or node) ``name``; the caption gains their sum."""
    from ..panels.paths_panel import paths_caption
    from ..panels.source_link import mark_paths

    snapshot = scene.snapshot
    node_id = next((v.node for v in snapshot.variables if v.name == name), None)
    if node_id is None and any(n.id == name for n in snapshot.nodes):
        node_id = name
    if node_id is None:
        raise InputError("bad_paths", {"name": name,
                                       "names": [v.name for v in snapshot.variables]})
    found, _ = mark_paths(scene, node_id)
    line = paths_caption(snapshot, node_id, found)
    return "   ".join(filter(None, (caption, line))) or None


def export_frames(snapshot: Snapshot, folder: str | os.PathLike, *, theme: str | None = "light",
                  scale: float | None = None, caption: bool | str = False,
                  smooth: bool = False, colour_by: str | None = None) -> list[Path]:
    """Numbered PNGs, one per replay state (``frame_000.png`` is step 0; a folded block's
    run of steps is one frame, as the window's replay crosses it), each with its
    step counter and explanation line (and ``colour_by``'s tints and legend); frames left
    in the folder by an earlier, longer export are removed."""
    target = Path(folder)
    target.mkdir(parents=True, exist_ok=True)
    ensure_app()
    scene = GraphScene(snapshot, theme or "light")
    colours = ExportColouring(scene, colour_by)
    writer = CaptionWriter(snapshot)
    written = []
    try:
        for index, (_, state) in enumerate(_frames(scene, smooth)):
            path = target / f"frame_{index:03d}.png"
            with atomic_path(path) as tmp:
                export_scene(scene, tmp, scale=DEFAULT_SCALE if scale is None else scale,
                             caption=_frame_caption(writer, state, caption),
                             legend=colours.legend)
            written.append(path)
    finally:
        writer.close()
        colours.close()
    for stale in target.glob("frame_[0-9][0-9][0-9].png"):  # an earlier, longer run's
        if int(stale.stem[6:]) >= len(written):
            stale.unlink()
    return written


def _still_caption(snapshot: Snapshot, state) -> str:
    writer = CaptionWriter(snapshot)
    try:
        return writer.caption(state)
    finally:
        writer.close()


def _frame_caption(writer: CaptionWriter, state, caption: bool | str) -> str:
    """A frame's caption: ``Step 3 / 9 · title`` and the explanation's first line, under
    the function (``caption=True``) or a given text."""
    text = writer.caption(state, formula=caption is True, counter=True, first_line_only=True)
    return f"{caption}\n{text}" if isinstance(caption, str) and caption else text


def _frames(scene: GraphScene, smooth: bool) -> Iterator[tuple[bool, Any]]:
    """Apply each replay state in turn; yields ``(in_between, state)`` after each.

    A folded block (``DecoderLayer ×31``) is crossed in one frame, as the window's
    replay does (:mod:`gradviz.replay.groups`): a frame per step would be thousands;
    the counters keep the full graph's numbering (``Step 212 / 6566``).

    With ``smooth``, an AccumulateGrad step first shows the leaf's partial sums,
    on the leaf and on its AccumulateGrad alike (the sum is being made: neither
    shows the total before the other).
    """
    snapshot = scene.snapshot
    timeline = Timeline(snapshot)  # step k from step k - 1: small deltas, not a rebuild
    for k in stops(snapshot):
        state = timeline.state_at(k)
        if smooth and k:
            node = _leaf_node(snapshot, k)
            for value in accumulation_frames(snapshot, k)[:-1]:
                partial = {n: value for n in (node, state.active_node) if n}
                apply_step(scene, state, partial or None)
                yield True, state
        apply_step(scene, state)
        yield False, state


def _leaf_node(snapshot: Snapshot, k: int) -> str | None:
    name = snapshot.steps[k - 1].variable
    for var in snapshot.variables:
        if var.name == name:
            return var.node
    return None


def _write_gif(scene: GraphScene, out: Path, *, scale: float, caption: bool | str,
               smooth: bool, frame_ms: int, legend=None) -> None:
    from PIL import Image

    images: list[Any] = []
    durations: list[int] = []
    writer = CaptionWriter(scene.snapshot)
    with tempfile.TemporaryDirectory(prefix="gradviz-gif-") as tmpdir:
        for index, (partial, state) in enumerate(_frames(scene, smooth)):
            png = Path(tmpdir) / f"{index}.png"
            export_scene(scene, png, scale=scale, caption=_frame_caption(writer, state, caption),
                         legend=legend)
            with Image.open(png) as frame:
                images.append(frame.convert("RGB"))
            durations.append(frame_ms // 3 if partial else frame_ms)
    writer.close()
    durations[-1] = max(durations[-1], 2 * frame_ms)  # linger on the finished backward
    images = [frame.quantize(colors=255, dither=0) for frame in _same_size(images)]
    with atomic_path(out) as tmp:
        images[0].save(tmp, format="GIF", save_all=True, append_images=images[1:],
                       duration=durations, loop=0, disposal=1, optimize=False)


def _same_size(images: list[Any]) -> list[Any]:
    """Frames whose captions wrap to different heights, padded to the tallest (a GIF's
    frames share one size); the padding is the frame's own background."""
    from PIL import Image

    width = max(image.width for image in images)
    height = max(image.height for image in images)
    out = []
    for image in images:
        if image.size == (width, height):
            out.append(image)
            continue
        canvas = Image.new("RGB", (width, height), image.getpixel((0, 0)))
        canvas.paste(image, (0, 0))
        out.append(canvas)
    return out
