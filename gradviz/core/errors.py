"""Errors that core raises for bad user input.

Core returns data, not sentences: each error carries a stable ``code`` and its
``params``; the English sentence comes from :mod:`gradviz.core.error_messages`,
and the window translates the same template through Qt's catalog.
"""

from __future__ import annotations

from .error_messages import render


class InputError(ValueError):
    """Bad user input: the CLI exits with code 2 and prints :meth:`format`.

    ``code`` names the sentence (:data:`gradviz.core.error_messages.MESSAGES`),
    ``params`` fill it; ``message`` is that sentence in English.
    """

    def __init__(
        self,
        code: str,
        params: dict | None = None,
        *,
        text: str | None = None,
        column: int | None = None,
    ) -> None:
        self.code = code
        self.params = dict(params or {})
        self.message = render(code, self.params)
        super().__init__(self.message)
        self.text = text
        self.column = column  # 0-based column in ``text`` where the problem is

    def format(self) -> str:
        """The command line's text: the message (with its flag advice) and under the
        offending text a caret at the column."""
        message = render(self.code, self.params, cli=True)
        if self.text is None or self.column is None or "\n" in self.text:
            return message
        shown = self.text if len(self.text) <= 120 else self.text[:117] + "..."
        if self.column >= len(shown):
            return message
        return f"{message}\n  {shown}\n  {' ' * self.column}^"

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
