"""Errors that core raises for bad user input.

Core returns data, not sentences: each error carries a stable ``code`` and its
``params`` so the UI can translate it, plus an English ``message`` for the CLI.
"""

from __future__ import annotations


class InputError(ValueError):
    """Bad user input: the CLI exits with code 2 and prints :meth:`format`."""

    def __init__(
        self,
        message: str,
        *,
        code: str = "invalid_input",
        params: dict | None = None,
        text: str | None = None,
        column: int | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.code = code
        self.params = dict(params or {})
        self.text = text
        self.column = column  # 0-based column in ``text`` where the problem is

    def format(self) -> str:
        """The message, and under the offending text a caret at the column."""
        if self.text is None or self.column is None or "\n" in self.text:
            return self.message
        shown = self.text if len(self.text) <= 120 else self.text[:117] + "..."
        if self.column >= len(shown):
            return self.message
        return f"{self.message}\n  {shown}\n  {' ' * self.column}^"

    def to_dict(self) -> dict:
        """Plain-data form, to cross the worker's process boundary."""
        return {
            "code": self.code,
            "message": self.message,
            "params": self.params,
            "text": self.text,
            "column": self.column,
        }


class EngineError(RuntimeError):
    """The layout engine is missing, failed or timed out; the message names the fix."""


class Cancelled(Exception):
    """The caller's ``should_cancel()`` returned true."""


class UsageError(Exception):
    """A mistake in how gradviz was asked (a flag, a file name): exit code 2, one line."""
