"""What the build controller may touch: the status bar, the explanation and a few
questions and commands, not the window.

:class:`BuildViews` is all :class:`~gradviz.ui.window.builds.BuildController` sees of the
window beside the :class:`~gradviz.ui.window.app_state.AppState` and the command line's
request: where progress and results are said, how to build what the editor
says, what is on screen, and how to clear the function when a lesson's code
waits to be trusted.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtWidgets import QStatusBar


@dataclass(frozen=True)
class BuildViews:
    """The widgets and commands the build controller uses."""

    status: QStatusBar  # progress, Cancel and the build's engine, size and time
    explanation: Any  # ExplanationBar: "Building the graph…" while nothing is shown
    report_error: Callable[[BaseException], None]  # the error dialog
    editor_enabled: Callable[[], bool]  # a typed function can be built from the editor
    build: Callable[[], None]  # build what the editor and the table say
    code_on_screen: Callable[[], str | None]  # the lesson code the window shows, if any
    has_snapshot: Callable[[], bool]  # a graph is shown
    clear_function: Callable[[], None]  # no graph, no function: code waits to be run

    @classmethod
    def of(cls, window) -> BuildViews:
        """The views of a :class:`~gradviz.ui.window.main_window.MainWindow` (built once, there)."""

        def code_on_screen() -> str | None:
            lessons = getattr(window, "lessons", None)
            fn = lessons.function if lessons is not None else None
            return fn.code if fn is not None else None

        def clear_function() -> None:
            window.replay.set_scene(None)
            window.graph.clear()
            window.gradients.set_snapshot(None)
            window.player.set_snapshot(None)
            window.variables.set_rows([])
            window.editor.set_text("")
            window.explanation.set_snapshot(None)

        return cls(status=window.statusBar(), explanation=window.explanation,
                   report_error=lambda exc: window.errors.report(exc),
                   editor_enabled=lambda: window.editor.isEnabled(), build=window.build,
                   code_on_screen=code_on_screen,
                   has_snapshot=lambda: window.player.snapshot is not None,
                   clear_function=clear_function)
