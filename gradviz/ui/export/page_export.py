"""The interactive HTML page, recorded from the window's own replay code, offscreen.

Each backward step is applied to a real :class:`GraphScene` with
:func:`~gradviz.ui.graph.step_view.apply_step` (states from the Qt-free
:class:`~gradviz.replay.timeline.Timeline`), explained by a real
:class:`ExplanationBar`, summed by a real :class:`GradientsPanel`; what the
items and widgets then show is read back and kept as per-step changes
(:class:`~gradviz.html.page.PageData`). So the page shows what the window shows,
in the language asked for, and its script applies changes without evaluating
any rule. :mod:`gradviz.html.page` writes the file.
"""

from __future__ import annotations

import dataclasses
import os
from collections import defaultdict
from pathlib import Path

from PySide6.QtCore import QObject

from gradviz.html.page import PageData, render_page
from gradviz.replay.timeline import Timeline

from ...core.graph.formatting import format_compact
from ...core.runtime.export_options import parse_step
from ...core.runtime.files import write_atomically
from ...core.snapshot import Snapshot
from ..base.i18n import current_language, install_translators, normalize_language
from ..base.themes import get_theme
from ..graph.scene import GraphScene
from ..graph.step_view import apply_step
from ..panels.explanation_bar import ExplanationBar
from ..panels.gradients_panel import GradientsPanel
from ..panels.inspector import NodeInspector
from .images import ensure_app
from .titles import function_title


class PageWords(QObject):
    """The page's own words (buttons, headings), translated like the window's."""

    def words(self) -> dict[str, str]:
        """Key → translated text; ``step_of`` and ``now`` take ``{0}``, ``{1}``."""
        return {
            "step_of": self.tr("Step {0} of {1}"), "first": self.tr("First step (Home)"),
            "prev": self.tr("Previous step (←)"), "play": self.tr("Play (Space)"),
            "pause": self.tr("Pause (Space)"), "play_label": self.tr("Play"),
            "pause_label": self.tr("Pause"), "next": self.tr("Next step (→)"),
            "last": self.tr("Last step (End)"), "zoom_in": self.tr("Zoom in (+)"),
            "zoom_out": self.tr("Zoom out (−)"), "fit": self.tr("Fit the graph (F)"),
            "gradients": self.tr("Gradients"), "node": self.tr("Node"),
            "click": self.tr("Hover over or click a node to see its value, gradient and "
                             "attributes."),
            "now": self.tr("Shown at this step: {0}"),
            "leaf": self.tr("leaf"), "value": self.tr("value"), "grad": self.tr(".grad"),
        }


class _Recorder:
    """Reads the items and widgets back after each step; keeps what changed."""

    def __init__(self, snapshot: Snapshot, theme: str) -> None:
        self.snapshot = snapshot
        self.scene = GraphScene(snapshot, theme)
        self.index = {node.id: i for i, node in enumerate(snapshot.nodes)}
        self.incident: dict[str, set[int]] = defaultdict(set)
        for i, edge in enumerate(snapshot.edges):
            self.incident[edge.source].add(i)
            self.incident[edge.target].add(i)
        self.panel = GradientsPanel()
        self.panel.set_snapshot(snapshot)
        self.names = [var.name for var in snapshot.variables]
        self.cells: dict[str, str] = {}
        self.grads: dict = {}
        self.counts: dict[str, int] = {}

    def cells_of(self, state, last) -> dict[str, str]:
        """The cells that the step from ``last`` to ``state`` may change, read back."""
        scene, out = self.scene, {}
        if (last is None or state.changes is None or state.changes[0] != last.serial
                or (last.step > 0) != (state.step > 0)):  # the first step dims every item
            nodes, edges = set(scene.node_items), set(scene.edge_items)
        else:
            nodes = set(state.changes[1]) | {last.active_node, state.active_node} - {None}
            edges = set(state.changes[2])
            for node_id in nodes:
                edges |= self.incident.get(node_id, set())
        for node_id in nodes:
            item = scene.node_items.get(node_id)
            if item is not None:
                i = self.index[node_id]
                out[f"n{i}"], out[f"g{i}"] = item.state(), item.grad_text()
        for index in edges:
            item = scene.edge_items.get(index)
            if item is not None:
                out[f"e{index}"], out[f"l{index}"] = item.state(), item.grad_label()
        for j, name in enumerate(self.names):
            if last is None or self._grad_may_change(state, last, name):
                out[f"v{j}"] = self.panel.grad_cell_text(state, name)
        return out

    def _grad_may_change(self, state, last, name: str) -> bool:
        step = self.snapshot.steps[state.step - 1] if state.step else None
        return (state.run != last.run or (step is not None and step.variable == name)
                or state.grads.get(name) is not self.grads.get(name)
                or len(state.contributions.get(name, ())) != self.counts.get(name, 0))

    def remember(self, state) -> None:
        """Copies of what a timeline cursor may change in place once it moves on."""
        self.grads = dict(state.grads)
        self.counts = {name: len(parts) for name, parts in state.contributions.items()}

    def diff(self, cells: dict[str, str]) -> list[list[str]]:
        """The cells whose value differs from the last step's; remembered for the next."""
        changed = [[key, value] for key, value in cells.items() if self.cells.get(key) != value]
        self.cells.update(cells)
        return changed


def record_page(snapshot: Snapshot, *, theme: str | None = None, lang: str | None = None,
                step: int | str = 0, controls: bool = True, title: str = "", notes: str = "",
                step_notes: dict[int, str] | None = None) -> PageData:
    """Every step of ``snapshot``'s backward pass as the window shows it, in ``lang``."""
    app = ensure_app()
    before = current_language()
    wanted = before if lang is None else normalize_language(lang)
    if wanted != before:
        install_translators(app, wanted)
    try:
        return _record(snapshot, theme or "light", wanted, parse_step(
            step, len(snapshot.steps)), controls, title or function_title(snapshot), notes,
            step_notes or {})
    finally:
        if wanted != before:
            install_translators(app, before)


def _record(snapshot, theme, lang, start, controls, title, notes, step_notes) -> PageData:
    recorder = _Recorder(snapshot, theme)
    bar = ExplanationBar()
    bar.set_snapshot(snapshot, step_notes)
    timeline, last, steps, changes = Timeline(snapshot), None, [], []
    start_cells: dict[str, str] = {}
    for k in range(len(snapshot.steps) + 1):
        state = timeline.state_at(k)
        apply_step(recorder.scene, state)
        cells = recorder.cells_of(state, last)
        recorder.remember(state)
        frame = recorder.diff(cells)
        if k:
            changes.append(frame)
        else:
            start_cells = dict(cells)
        last = state
        bar.set_step(k)
        steps.append([bar.title.text(), bar.body.text(), bar.note.text()])
    return PageData(
        snapshot=snapshot, theme=_theme_fields(theme), lang=lang, strings=PageWords().words(),
        steps=steps, start_cells=start_cells, changes=changes,
        variables=[[v.name, format_compact(v.value)] for v in snapshot.variables],
        node_info=_node_info(snapshot), title=title, notes=notes, start=start,
        controls=controls)


def _theme_fields(name: str) -> dict:
    """The theme's colours and scales as plain data (what resources/themes holds)."""
    theme = get_theme(name)
    return {f.name: getattr(theme, f.name) for f in dataclasses.fields(theme)
            if not f.name.startswith("_")}


def _node_info(snapshot: Snapshot) -> list[str]:
    """Per node, what the window's inspector shows for it, as text."""
    inspector = NodeInspector()
    out = []
    for node in snapshot.nodes:
        inspector.show_node(snapshot, node.id)
        lines = []
        for heading, text in inspector.fields():
            if text:
                lines.append(f"{heading}: {text}" if heading and "\n" not in text
                             else f"{heading}:\n{text}" if heading else text)
        out.append("\n".join(lines))
    inspector.deleteLater()
    return out


def export_page(snapshot: Snapshot, path: str | os.PathLike, **options) -> Path:
    """Write the interactive page of ``snapshot`` to ``path`` (options: :func:`record_page`)."""
    out = Path(path)
    write_atomically(out, render_page(record_page(snapshot, **options)).encode("utf-8"))
    return out


def page_html(snapshot: Snapshot, **options) -> str:
    """The interactive page of ``snapshot`` as a string (options: :func:`record_page`)."""
    return render_page(record_page(snapshot, **options))
