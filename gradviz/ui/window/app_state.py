"""The window's view state as one small model that menus and helpers follow.

:class:`AppState` holds what the next build and the drawing use: backward calls
(``runs``), saved tensors (asked for and shown), the graph's direction and the
theme. Helpers change it through its setters; whoever shows it (the View menu's
check marks) subscribes to ``changed`` instead of being refreshed by hand
(napari's ``dims.events``: views observe, models decide). Qt only for the signal.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QObject, Signal

from ...core.runtime.options import BuildOptions

FIELDS = ("runs", "show_saved", "saved_shown", "rankdir", "theme")


class AppState(QObject):
    """Runs, saved tensors, direction and theme; ``changed()`` after any real change."""

    changed = Signal()

    def __init__(self, options: BuildOptions, theme: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._values: dict[str, Any] = {
            "runs": options.runs,
            "show_saved": options.show_saved,  # None: by the graph's size (core.saved_rule)
            "saved_shown": options.show_saved is not False,  # what the last build did
            "rankdir": options.rankdir,
            "theme": theme,
        }

    def update(self, **values: Any) -> None:
        """Set several fields at once; one ``changed()`` if any of them changed."""
        unknown = set(values) - set(FIELDS)
        if unknown:
            raise AttributeError(f"AppState has no {', '.join(sorted(unknown))}")
        changed = {k: v for k, v in values.items() if self._values[k] != v}
        if changed:
            self._values.update(changed)
            self.changed.emit()

    @property
    def runs(self) -> int:
        """Backward calls the next build makes (2: .grad accumulates)."""
        return self._values["runs"]

    @runs.setter
    def runs(self, value: int) -> None:
        self.update(runs=value)

    @property
    def show_saved(self) -> bool | None:
        """Saved tensors asked for: True, False, or None (by the graph's size)."""
        return self._values["show_saved"]

    @show_saved.setter
    def show_saved(self, value: bool | None) -> None:
        self.update(show_saved=value)

    @property
    def saved_shown(self) -> bool:
        """Whether the graph on screen shows saved tensors."""
        return self._values["saved_shown"]

    @saved_shown.setter
    def saved_shown(self, value: bool) -> None:
        self.update(saved_shown=value)

    @property
    def rankdir(self) -> str:
        """The graph's direction: TB, LR, BT or RL."""
        return self._values["rankdir"]

    @rankdir.setter
    def rankdir(self, value: str) -> None:
        self.update(rankdir=value)

    @property
    def theme(self) -> str:
        """The name of the theme shown."""
        return self._values["theme"]

    @theme.setter
    def theme(self, value: str) -> None:
        self.update(theme=value)
