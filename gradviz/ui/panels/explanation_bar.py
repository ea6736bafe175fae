"""The step explanation bar: what the current backward step computed, in one or two lines.

The math comes from core (:func:`~gradviz.core.explain.text.render_explanation`
on the step's structured explanation); the words around it are translated here.
A lesson's note for the step, if any, shows under it; with several backward
calls the title says which call the step belongs to. During a forward replay
it says which node is computed, from which inputs, and its value.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QScrollArea,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from gradviz.replay.state import FORWARD

from ...core.explain.text import render_explanation
from ...core.graph.formatting import format_compact
from ...core.snapshot import BackwardStep, Snapshot
from ..base.fonts import graph_font_family
from ..base.i18n import typeset
from ..base.plain import plain
from .explanation_forward import backward_runs, forward_intro, show_forward
from .paths_panel import paths_note

BODY_PX = 15
TITLE_PX = 13
DEFAULT_LINES = 4  # the bar never grows past this many lines: long text scrolls


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
        plain(self.title, self.body, self.note)
        self._body_px = BODY_PX
        self._line_px = round(BODY_PX * 1.2)  # measured by set_font_scale
        self._max_lines = DEFAULT_LINES
        self._expanded = False
        self.more = QToolButton()
        self.more.setObjectName("ExplanationMore")
        self.more.setAutoRaise(True)
        self.more.clicked.connect(self.toggle_more)
        self.more.hide()
        self.scroll = _capped_scroll(self.body, self.note)
        self.scroll.widget().installEventFilter(self)  # new text: measured again
        self.set_font_scale(1.0)
        header = QHBoxLayout()
        header.setContentsMargins(0, 0, 0, 0)
        header.addWidget(self.title, 1)
        header.addWidget(self.more)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 6, 10, 6)
        layout.addLayout(header)
        layout.addWidget(self.scroll)
        self._snapshot: Snapshot | None = None
        self._notes: dict[int, str] = {}
        self.set_snapshot(None)

    # -- display: at most a few lines, the rest on demand ---------------------------------
    def set_max_lines(self, lines: int | None) -> None:
        """Show at most ``lines`` lines of explanation (None: the normal cap); the rest
        scrolls, and the "More" button shows it all."""
        self._max_lines = lines or DEFAULT_LINES
        self._expanded = False
        self._update_cap()

    def toggle_more(self) -> None:
        """Show the whole explanation, or only its first lines again (M in presentation)."""
        self._expanded = not self._expanded
        self._update_cap()

    def _update_cap(self) -> None:
        """The text's height: its own, up to the cap (or up to half the window, expanded)."""
        width = max(self.scroll.viewport().width(), 200)
        content = self.scroll.widget()
        needed = content.heightForWidth(width) if content.hasHeightForWidth() else \
            content.sizeHint().height()
        line = self._line_px
        cap = self._max_lines * line
        if self._expanded:
            top = self.window()
            cap = max(cap, (top.height() if top is not None else 600) // 2)
        self.scroll.setFixedHeight(max(line, min(needed, cap)))
        overflow = needed > self._max_lines * line
        self.more.setVisible(overflow)
        self.more.setText(self.tr("Less ▴") if self._expanded else self.tr("More ▾"))

    def eventFilter(self, watched, event) -> bool:
        """The text changed (its layout asks for room): the cap follows."""
        if event.type() == QEvent.Type.LayoutRequest:
            self._update_cap()
        return False

    def resizeEvent(self, event) -> None:
        """Re-measure the wrapped text at the new width."""
        super().resizeEvent(event)
        self._update_cap()

    def set_font_scale(self, scale: float) -> None:
        """Larger text for the presentation theme (1.0: the normal size)."""
        size = round(BODY_PX * scale)
        self._body_px = size
        font = QFont(graph_font_family())
        font.setPixelSize(size)
        self.body.setFont(font)  # as the style sheet says: measured before it applies
        self._line_px = _line_height(font)
        note = QFont(self.note.font())
        note.setPixelSize(size)
        self.note.setFont(note)
        self.more.setStyleSheet(f"font-size: {round(TITLE_PX * scale)}px;")
        self.title.setStyleSheet(f"font-size: {round(TITLE_PX * scale)}px; font-weight: bold;")
        self.body.setStyleSheet(f'font-family: "{graph_font_family()}"; font-size: {size}px;')
        self.note.setStyleSheet(f"font-size: {size}px; font-style: italic;")
        self._update_cap()

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
        plain(self.title, self.body, self.note)

    def show_state(self, state) -> None:
        """Explain a replay state (:class:`~gradviz.replay.state.StepState`): a node of
        the forward pass, or backward step ``state.step``."""
        if state.phase == FORWARD:
            show_forward(self, state)
        else:
            self.set_step(state.step)

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
            self.body.setText(typeset(forward_intro(snapshot, total)))
            return
        step = snapshot.steps[min(k, total) - 1]
        if backward_runs(snapshot) > 1:
            self.title.setText(self.tr("Step {0} of {1} (backward call {2}): {3}").format(
                k, total, step.run + 1, step.op))
        else:
            self.title.setText(self.tr("Step {0} of {1}: {2}").format(k, total, step.op))
        text = render_explanation(step.explanation, self._words()) or self._generic(step)
        note = paths_note(snapshot, step)  # x.grad = 4 + 8 + 60: one term per path
        text += f"\n{note}" if note else ""
        if k >= total:
            text += "\n" + self._done_text(snapshot)
        self.body.setText(typeset(text))

    def text(self) -> str:
        """Title, body and note, as shown."""
        note = f"\n{self.note.text()}" if self.note.text() else ""
        return f"{self.title.text()}\n{self.body.text()}{note}"

    def _words(self) -> dict[str, str]:
        """The few words of core's explanations (:data:`~gradviz.core.explain.text.WORDS`)."""
        return {
            "placed_at": self.tr("placed at"),
            "added_at": self.tr("added at"),
            "elsewhere": self.tr("0 elsewhere"),
            "written_zero": self.tr("0 where the in-place write overwrote it"),
            "at_written": self.tr("at the overwritten elements"),
            "own_backward": self.tr("your own backward"),
        }

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
        if backward_runs(snapshot) > 1:
            return self.tr("Backward call {0} done: {1}").format(
                backward_runs(snapshot), ", ".join(grads) or "—")
        return self.tr("Backward pass done: {0}").format(", ".join(grads) or "—")


def _line_height(font: QFont, lines: int = 8) -> int:
    """The height one line of wrapped text takes in a label with ``font`` (measured)."""
    probe = QLabel("\n".join("x" * lines))
    probe.setFont(font)
    return round(probe.sizeHint().height() / lines)


def _capped_scroll(*labels: QLabel) -> QScrollArea:
    """The labels in a frameless vertical scroll area (its height is set by the bar)."""
    content = QWidget()
    column = QVBoxLayout(content)
    column.setContentsMargins(0, 0, 0, 0)
    for label in labels:
        column.addWidget(label)
    scroll = QScrollArea()
    scroll.setObjectName("ExplanationScroll")
    scroll.setWidget(content)
    scroll.setWidgetResizable(True)
    scroll.setFrameShape(QFrame.Shape.NoFrame)
    scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    return scroll
