"""The step explanation bar: what the current backward step computed, in one or two lines.

The math comes from core (:func:`~gradviz.core.explain_text.render_explanation`
on the step's structured explanation); the words around it are translated here.
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
        self.set_font_scale(1.0)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 6, 10, 6)
        layout.addWidget(self.title)
        layout.addWidget(self.body)
        self._snapshot: Snapshot | None = None
        self.set_snapshot(None)

    def set_font_scale(self, scale: float) -> None:
        """Larger text for the presentation theme (1.0: the normal size)."""
        size = round(BODY_PX * scale)
        self.body.setStyleSheet(f'font-family: "{graph_font_family()}"; font-size: {size}px;')

    def set_snapshot(self, snapshot: Snapshot | None) -> None:
        """Explain ``snapshot``'s replay (None: a hint to build a function)."""
        self._snapshot = snapshot
        if snapshot is None:
            self.show_message(self.tr("No function built yet"),
                              self.tr("Type a function on the left and press Enter."))
        else:
            self.set_step(0)

    def show_message(self, title: str, body: str) -> None:
        """Show a message instead of a step (e.g. while the first build runs)."""
        self.title.setText(title)
        self.body.setText(body)

    def set_step(self, k: int) -> None:
        """Explain the state after the first ``k`` steps."""
        snapshot = self._snapshot
        if snapshot is None:
            return
        total = len(snapshot.steps)
        if k <= 0 or not total:
            self.title.setText(self.tr("Forward pass done"))
            self.body.setText(self._forward_text(snapshot, total))
            return
        step = snapshot.steps[min(k, total) - 1]
        self.title.setText(self.tr("Step {0} of {1}: {2}").format(k, total, step.op))
        text = render_explanation(step.explanation) or self._generic(step)
        if k >= total:
            text += "\n" + self._done_text(snapshot)
        self.body.setText(text)

    def text(self) -> str:
        """Title and body, as shown."""
        return f"{self.title.text()}\n{self.body.text()}"

    def _forward_text(self, snapshot: Snapshot, total: int) -> str:
        value = format_compact(snapshot.output.value)
        line = self.tr("output = {0}. ").format(value)
        if not total:
            return line + self.tr("Nothing requires a gradient: there is no backward pass.")
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
        return self.tr("Backward pass done: {0}").format(", ".join(grads) or "—")
