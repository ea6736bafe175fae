"""The step explanation bar: what the current backward step computed, in one or two lines.

The math comes from core (:func:`~gradviz.core.explain_text.render_explanation`
on the step's structured explanation); the words around it are translated here.
A lesson's note for the step, if any, shows under it; with several backward
calls the title says which call the step belongs to.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QLabel, QVBoxLayout

from ..core.explain_text import render_explanation
from ..core.formatting import format_compact
from ..core.snapshot import BackwardStep, Snapshot
from .fonts import graph_font_family

BODY_PX = 15


class ExplanationBar(QFrame):
    """A title (``Step 3 of 9``) and the step's formula with its numbers."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("ExplanationBar")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.title = QLabel()
        self.title.setObjectName("ExplanationTitle")
        font = self.title.font()
        font.setBold(True)
        self.title.setFont(font)
        self.body = QLabel()
        self.body.setObjectName("ExplanationText")
        self.body.setWordWrap(True)
        self.body.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.note = QLabel()
        self.note.setObjectName("ExplanationNote")
        self.note.setWordWrap(True)
        self.note.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.note.hide()
        self.set_font_scale(1.0)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 6, 10, 6)
        layout.addWidget(self.title)
        layout.addWidget(self.body)
        layout.addWidget(self.note)
        self._snapshot: Snapshot | None = None
        self._notes: dict[int, str] = {}
        self.set_snapshot(None)

    def set_font_scale(self, scale: float) -> None:
        """Larger text for the presentation theme (1.0: the normal size)."""
        size = round(BODY_PX * scale)
        self.body.setStyleSheet(f'font-family: "{graph_font_family()}"; font-size: {size}px;')
        self.note.setStyleSheet(f"font-size: {size}px; font-style: italic;")

    def set_snapshot(self, snapshot: Snapshot | None,
                     step_notes: dict[int, str] | None = None) -> None:
        """Explain ``snapshot``'s replay (None: a hint to build a function), with a
        lesson's ``step_notes`` (step k → text) shown at their step."""
        self._snapshot = snapshot
        self._notes = dict(step_notes or {})
        if snapshot is None:
            self.show_message(self.tr("No function built yet"),
                              self.tr("Type a function on the left and press Enter."))
        else:
            self.set_step(0)

    def show_message(self, title: str, body: str) -> None:
        """Show a message instead of a step (e.g. while the first build runs)."""
        self.title.setText(title)
        self.body.setText(body)
        self.note.setText("")
        self.note.hide()

    def set_step(self, k: int) -> None:
        """Explain the state after the first ``k`` steps."""
        snapshot = self._snapshot
        if snapshot is None:
            return
        total = len(snapshot.steps)
        note = self._notes.get(k, "")
        self.note.setText(note)
        self.note.setVisible(bool(note))
        if k <= 0 or not total:
            self.title.setText(self.tr("Forward pass done"))
            self.body.setText(self._forward_text(snapshot, total))
            return
        step = snapshot.steps[min(k, total) - 1]
        if _runs(snapshot) > 1:
            self.title.setText(self.tr("Step {0} of {1} (backward call {2}): {3}").format(
                k, total, step.run + 1, step.op))
        else:
            self.title.setText(self.tr("Step {0} of {1}: {2}").format(k, total, step.op))
        text = render_explanation(step.explanation) or self._generic(step)
        if k >= total:
            text += "\n" + self._done_text(snapshot)
        self.body.setText(text)

    def text(self) -> str:
        """Title, body and note, as shown."""
        note = f"\n{self.note.text()}" if self.note.text() else ""
        return f"{self.title.text()}\n{self.body.text()}{note}"

    def _forward_text(self, snapshot: Snapshot, total: int) -> str:
        value = format_compact(snapshot.output.value)
        line = self.tr("output = {0}. ").format(value)
        if not total:
            return line + self.tr("Nothing requires a gradient: there is no backward pass.")
        runs = _runs(snapshot)
        if runs > 1:
            line += self.tr("backward is called {0} times without zeroing: each call adds "
                            "to .grad. ").format(runs)
        return line + self.tr("Press Space to play the backward pass ({0} steps), "
                              "or → to go one step at a time.").format(total)

    def _generic(self, step: BackwardStep) -> str:
        """What a step did, in numbers, when core has no formula for it."""
        grad_in = ", ".join(format_compact(g) or "—" for g in step.grad_in)
        if step.variable is not None:
            return self.tr("{0}: {1}.grad = {2}").format(
                step.op, step.variable, format_compact(step.grad_after))
        sent = ", ".join(format_compact(g.value) or "—" for g in step.grad_out)
        return self.tr("{0} receives {1} and sends {2}").format(step.op, grad_in, sent or "—")

    def _done_text(self, snapshot: Snapshot) -> str:
        grads = [f"{v.name}.grad = {format_compact(v.grad)}" for v in snapshot.variables
                 if v.requires_grad]
        if _runs(snapshot) > 1:
            return self.tr("Backward call {0} done: {1}").format(
                _runs(snapshot), ", ".join(grads) or "—")
        return self.tr("Backward pass done: {0}").format(", ".join(grads) or "—")


def _runs(snapshot: Snapshot) -> int:
    """How many backward calls the snapshot recorded."""
    return snapshot.steps[-1].run + 1 if snapshot.steps else 1
