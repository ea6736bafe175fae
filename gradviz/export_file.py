"""Write a built Snapshot to a file in the format its suffix names: the one writer of
``gradviz export`` and ``gradviz.export()``.

The format comes from :func:`gradviz.core.runtime.export_options.export_format`, the
options from :class:`~gradviz.core.runtime.export_options.ExportOptions`; Qt is loaded
only for what Qt draws (images, animations, the page), never for JSON or DOT.
"""

from __future__ import annotations

from pathlib import Path

from .core.runtime.export_options import ExportOptions, export_format, write_data
from .core.snapshot import Snapshot


def write_export(snapshot: Snapshot, out: Path, options: ExportOptions) -> list[Path]:
    """Write ``snapshot`` to ``out`` (``options.frames``: numbered PNGs into the folder
    ``out`` without its suffix); the files written."""
    fmt = "image" if options.frames else export_format(out)
    if fmt in ("json", "dot"):
        write_data(snapshot, out, fmt, options)
        return [out]
    if fmt == "page":
        from .ui.export.page_export import export_page

        export_page(snapshot, out, theme=options.theme, lang=options.lang or "en",
                    step=options.page_step(len(snapshot.steps)), controls=options.controls,
                    title=options.title, notes=options.notes, step_notes=options.step_notes)
        return [out]
    from .ui.export.file_export import export_frames, export_snapshot

    if options.frames:
        return export_frames(snapshot, out.with_suffix(""), theme=options.theme,
                             scale=options.scale, caption=options.caption, smooth=options.smooth,
                             colour_by=options.colour_by)
    export_snapshot(snapshot, out, step=options.image_step(len(snapshot.steps)),
                    theme=options.theme, scale=options.scale, caption=options.caption,
                    transparent=options.transparent, smooth=options.smooth,
                    frame_ms=options.frame_ms, dpi=options.dpi, paths=options.paths,
                    colour_by=options.colour_by)
    return [out]
