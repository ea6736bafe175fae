"""File → Export image…, Export visible region…, Copy image: the window's picture, as shown.

Stills are the scene as it is now (replay state, theme, collapsed modules,
"colour nodes by" with its legend); a ``.gif`` replays every step (coloured alike);
``.html``, ``.json`` and ``.dot`` are written too.
The format comes from the suffix through the same table as ``gradviz export``
(:mod:`gradviz.core.runtime.export_options`), and so does the refusal of any other.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QMessageBox

from ...core.errors import InputError
from ..base.i18n import translate
from ..base.messages import error_text
from ..base.plain import message_box

IMAGE_SCALE = 2.0  # crisp on slides and high-DPI screens


class ExportActions:
    """The window's export commands; they read the scene and never change it."""

    def __init__(self, window) -> None:
        self.window = window

    def _scene(self):
        scene = self.window.graph.view.graph_scene()
        if scene is None:
            self.window.statusBar().showMessage(
                translate("ExportActions", "Nothing to export yet: build a function."), 5000)
        return scene

    def export_image(self, visible_only: bool = False) -> Path | None:
        """Ask for a file and write the graph (or the part in view) to it."""
        scene = self._scene()
        if scene is None:
            return None
        settings = self.window.settings
        start = str(Path(settings.last_dir()) / "graph.png")
        path, _ = QFileDialog.getSaveFileName(
            self.window, translate("ExportActions", "Export the graph"), start,
            translate("ExportActions", "Images (*.png *.svg *.pdf);;Animation (*.gif);;"
                      "Interactive page (*.html);;Snapshot (*.json);;Graph (*.dot)"))
        if not path:
            return None
        target = Path(path)
        if not target.suffix:
            target = target.with_suffix(".png")
        region = self.window.graph.view.visible_scene_rect() if visible_only else None
        return self.write(target, region)

    def write(self, target: Path, region=None) -> Path | None:
        """Write ``target`` by its suffix; a message (not a crash) if it cannot be written."""
        scene = self._scene()
        if scene is None:
            return None
        from ...core.runtime.export_options import ExportOptions, export_format, write_data
        from ...core.runtime.files import atomic_path
        from .file_export import export_snapshot
        from .images import export_scene  # on first use: not at start-up

        try:
            fmt = export_format(target)
            if fmt == "page":
                return self.write_page(target)
            if fmt in ("json", "dot"):
                write_data(scene.snapshot, target, fmt, ExportOptions())
            elif fmt == "animation":
                colouring = self._colouring()
                export_snapshot(scene.snapshot, target, theme=scene.theme.name,
                                colour_by=colouring.measure if colouring else None)
            else:
                with atomic_path(target) as tmp:
                    export_scene(scene, tmp, scale=IMAGE_SCALE, region=region,
                                 caption=self._caption(scene), legend=self._legend())
        except (OSError, ValueError) as exc:
            reason = error_text(exc) if isinstance(exc, InputError) else str(exc)
            message_box(QMessageBox.Icon.Warning, translate("ExportActions", "Export failed"),
                        translate("ExportActions", "Could not write {0}: {1}").format(
                            target, reason),
                        QMessageBox.StandardButton.Ok, self.window).exec()
            return None
        self.window.settings.set_last_dir(str(target.parent))
        self.window.statusBar().showMessage(
            translate("ExportActions", "Exported {0}").format(target), 5000)
        return target

    def _colouring(self):
        """The window's "colour nodes by" (:class:`~gradviz.ui.graph.colour_by.NodeColouring`)."""
        return getattr(getattr(self.window, "aids", None), "colouring", None)

    def _legend(self):
        """Its legend when shown: a still draws it under the graph, as the window shows it."""
        colouring = self._colouring()
        return None if colouring is None or colouring.legend.isHidden() else colouring.legend

    def _caption(self, scene) -> str:
        """The function as mathematics, the step shown and its explanation (as on screen)."""
        player = self.window.player
        if player.snapshot is not scene.snapshot:
            from .images import default_caption  # on first use: not at start-up

            return default_caption(scene.snapshot)
        from .captions import CaptionWriter  # on first use: not at start-up

        writer = CaptionWriter(scene.snapshot)
        try:
            return writer.caption(player.state())
        finally:
            writer.close()

    def export_page(self) -> Path | None:
        """Ask for a file and write the interactive page (the window's theme, language and
        step; the open lesson's title and notes)."""
        scene = self._scene()
        if scene is None:
            return None
        start = str(Path(self.window.settings.last_dir()) / "graph.html")
        path, _ = QFileDialog.getSaveFileName(
            self.window, translate("ExportActions", "Export an interactive page"), start,
            translate("ExportActions", "Web page (*.html)"))
        return self.write_page(Path(path).with_suffix(".html")) if path else None

    def write_page(self, target: Path) -> Path | None:
        """Write the interactive page to ``target``; a message (not a crash) if it fails."""
        from .page_export import export_page

        window, scene = self.window, self._scene()
        if scene is None:
            return None
        lessons = window.lessons
        lesson = lessons.localized()
        fn = lesson.functions[lessons.index] if lesson is not None else None
        title = (f"{lesson.title} — {fn.title}" if fn.title else lesson.title) if lesson \
            else ""  # the page names the function itself (as mathematics, never a path)
        notes = "\n\n".join(t for t in (lesson.notes, fn.notes) if t) if lesson else ""
        try:
            export_page(scene.snapshot, target, theme=scene.theme.name, lang=window.language,
                        step=window.player.backward_step, title=title, notes=notes,
                        step_notes=lessons.step_notes(window.builds.request))
        except (OSError, ValueError) as exc:
            QMessageBox.warning(
                window, translate("ExportActions", "Export failed"),
                translate("ExportActions", "Could not write {0}: {1}").format(target, exc))
            return None
        window.settings.set_last_dir(str(target.parent))
        window.statusBar().showMessage(
            translate("ExportActions", "Exported {0}").format(target), 5000)
        return target

    def copy_image(self) -> None:
        """The graph as an image on the clipboard."""
        scene = self._scene()
        if scene is not None:
            from .images import copy_image_to_clipboard  # on first use: not at start-up

            copy_image_to_clipboard(scene)
            self.window.statusBar().showMessage(
                translate("ExportActions", "The graph is on the clipboard."), 5000)
