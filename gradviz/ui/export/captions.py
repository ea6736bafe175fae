"""Captions for slides and animations: the function as mathematics, the step, its explanation.

The words are the window's own: the step title and explanation come from an
offscreen :class:`~gradviz.ui.panels.explanation_bar.ExplanationBar` (same text,
same translation), the counter from the timeline's ``Step 3 / 9``. A caption
never shows a file path (:func:`~gradviz.ui.export.titles.function_title`).
"""

from __future__ import annotations

from ...core.snapshot import Snapshot
from ...replay.state import FORWARD, StepState
from ..base.i18n import translate
from ..panels.explanation_bar import ExplanationBar
from .titles import function_title


class CaptionWriter:
    """Caption text for the states of one Snapshot (keeps one offscreen explanation bar)."""

    def __init__(self, snapshot: Snapshot) -> None:
        self.snapshot = snapshot
        self._bar = ExplanationBar()
        self._bar.set_snapshot(snapshot)

    def counter(self, state: StepState) -> str:
        """``Step 3 / 9`` (translated)."""
        return translate("Timeline", "Step {0} / {1}").format(state.step, len(self.snapshot.steps))

    def explanation(self, state: StepState) -> tuple[str, str]:
        """The step's title and its explanation, as the window's bar shows them."""
        self._bar.show_state(state)
        return self._bar.title.text(), self._bar.body.text()

    def caption(self, state: StepState, *, formula: bool = True, counter: bool = False,
                first_line_only: bool = False) -> str:
        """Lines for a still or a frame: the function, the step title, the explanation."""
        title, body = self.explanation(state)
        if first_line_only:
            body = body.split("\n", 1)[0]
        lines = [function_title(self.snapshot)] if formula else []
        if counter:  # "Step 3 / 9 · MulBackward0": the bar's title says the counter again
            steps = self.snapshot.steps
            k = state.step
            title = steps[k - 1].op if 0 < k <= len(steps) and state.phase != FORWARD else title
            title = f"{self.counter(state)} · {title}"
        lines.append(title)
        if body:
            lines.append(body)
        return "\n".join(line for line in lines if line)

    def close(self) -> None:
        """Free the offscreen bar."""
        self._bar.deleteLater()


