"""What an export writes and how, for every surface (``gradviz export``, ``gradviz.export``,
the window's File menu): the format a file's suffix names, the step, the options.

Torch-free and Qt-free. The writers live with what they draw: JSON and DOT
here, images and animations in ``ui/export/file_export.py``, the page in
``ui/export/page_export.py``; ``gradviz/export_file.py`` picks one by format.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import InputError
from ..lens.node_measures import check_colour_by

#: suffix → format; the one table of what gradviz can write.
FORMATS: dict[str, str] = {
    ".json": "json", ".dot": "dot", ".png": "image", ".svg": "image", ".pdf": "image",
    ".gif": "animation", ".html": "page",
}
SUFFIXES = tuple(FORMATS)
#: The formats that are pictures: a big graph's export folds them by default (see
#: :func:`export_fold`); JSON and DOT are data, the full graph unless asked.
PICTURES = ("image", "animation", "page")
DEFAULT_FRAME_MS = 900
# (low, high) of each numeric option: the same on every surface.
RANGES = {"scale": (1.0, 4.0), "frame_ms": (50, 10_000), "dpi": (36, 1200), "indent": (0, 8)}


def export_format(path: str | os.PathLike, allowed: tuple[str, ...] = SUFFIXES) -> str:
    """The format ``path``'s suffix names (``"image"`` for ``.png``); ``bad_suffix`` when it
    names none of ``allowed``."""
    suffix = Path(path).suffix.lower()
    if suffix not in allowed:
        raise InputError("bad_suffix", {"suffix": suffix or Path(path).name[:40],
                                        "suffixes": ", ".join(allowed)})
    return FORMATS[suffix]


def export_fold(fmt: str, fold: bool | None = None) -> bool:
    """Whether an export in ``fmt`` asks for a big graph's folded first picture
    (:func:`gradviz.core.layout.fold_layout.first_picture`, as the window opens it).

    ``fold`` (``--fold/--no-fold``, ``fold=``) decides when given; by default the
    pictures fold (a 7,000-node graph laid out whole is unreadable and slow) and the
    data (JSON, DOT) stays the full graph. Below the threshold nothing is folded.
    """
    return fmt in PICTURES if fold is None else bool(fold)


def parse_step(step: int | str | None, total: int | None = None) -> int | str | None:
    """``--step`` / ``step=``: ``"last"`` (or None) → ``total``; a number in 0..total.

    Without ``total`` (not built yet) only the form is checked: None, ``"last"`` or a
    number ≥ 0 comes back as it is. Anything else is an :class:`InputError`.
    """
    if step is None or step == "last":
        return step if total is None else total
    try:
        k = int(step)
    except (TypeError, ValueError):
        raise InputError("bad_step_text", {"step": str(step)[:40]}) from None
    if k < 0:
        raise InputError("bad_step_text", {"step": str(step)[:40]})
    if total is not None and k > total:
        raise InputError("bad_step", {"step": k, "total": total})
    return k


@dataclass(frozen=True)
class ExportOptions:
    """How to write an export; every surface builds one, and checks it the same way.

    ``step``: the replay state of an image, or where a page starts (None: the last
    step for an image, 0 for a page). ``scale``: PNG/GIF pixels per layout point
    (None: 2). ``caption``: True for the function, its step and explanation, or a
    text. ``paths``: highlight every path from the output to this variable.
    ``frames``: numbered PNGs into a folder instead of one file. ``title``,
    ``notes``, ``step_notes``: a lesson's texts on a page. ``colour_by``: images and
    animations tint the nodes by this measure, with the window's legend (None: as the
    window opens the graph, by order for a higher-order graph, else the kinds' colours).
    """

    step: int | str | None = None
    scale: float | None = None
    theme: str | None = "light"
    lang: str | None = None
    caption: bool | str = False
    transparent: bool = False
    smooth: bool = False
    frame_ms: int = DEFAULT_FRAME_MS
    dpi: float | None = None
    paths: str | None = None
    controls: bool = True
    indent: int | None = None
    frames: bool = False
    title: str = ""
    notes: str = ""
    step_notes: dict[int, str] = field(default_factory=dict)
    colour_by: str | None = None

    def __post_init__(self) -> None:
        parse_step(self.step)
        check_colour_by(self.colour_by)
        for name, (low, high) in RANGES.items():
            value = getattr(self, name)
            if value is not None and not low <= value <= high:
                raise InputError("bad_export_option", {
                    "option": name, "flag": name.replace("_", "-"), "low": low, "high": high})

    def image_step(self, total: int) -> int:
        """The step an image shows (default: the last)."""
        return parse_step(self.step, total)

    def page_step(self, total: int) -> int:
        """The step a page starts at (default: 0)."""
        return parse_step(0 if self.step is None else self.step, total)


def write_data(snapshot, out: Path, fmt: str, options: ExportOptions) -> None:
    """Write ``snapshot`` as ``json`` (the Snapshot) or ``dot`` (its graph) to ``out``."""
    from .files import write_atomically

    if fmt == "json":
        # which graph the file holds: "full", or a big graph's "folded"/"collapsed" picture
        snapshot.meta["graph_level"] = snapshot.meta.get("fold_level", "full")
        # fresh: parts encoded ahead exist only when this export's own build made them
        # (gradviz.export builds under encoding_ahead and writes right after)
        write_atomically(out, snapshot.to_json_bytes(indent=options.indent, fresh=True))
    else:
        from ..layout.snapshot_layout import snapshot_dot

        write_atomically(out, snapshot_dot(snapshot).encode("utf-8"))
