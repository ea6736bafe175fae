"""Errors that core raises for bad user input or a failed layout, as codes and params.

Core returns data, not sentences: each error carries a stable ``code`` and its
``params``; the English sentence comes from :mod:`gradviz.core.error_messages`,
and the window translates the same template through Qt's catalog.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from .error_messages import CLI_HINTS, MESSAGES


class CodedError(Exception):
    """An error as data: ``code`` names its sentence
    (:data:`gradviz.core.error_messages.MESSAGES`), ``params`` fill it, ``message`` is
    that sentence in English."""

    def __init__(self, code: str, params: dict | None = None) -> None:
        self.code = code
        self.params = dict(params or {})
        self.message = render(code, self.params)
        super().__init__(self.message)

    def format(self) -> str:
        """The command line's text: the message with its flag advice."""
        return render(self.code, self.params, cli=True)


class InputError(CodedError, ValueError):
    """Bad user input: the CLI exits with code 2 and prints :meth:`format`."""

    def __init__(
        self,
        code: str,
        params: dict | None = None,
        *,
        text: str | None = None,
        column: int | None = None,
    ) -> None:
        super().__init__(code, params)
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


class EngineError(CodedError, RuntimeError):
    """The layout engine is missing, failed or timed out; the message names the fix.

    ``layout_failed`` carries ``failures``: each engine tried, with its own code and
    params (``{"engine": ..., "code": ..., "params": {...}}``)."""


class Cancelled(Exception):
    """The caller's ``should_cancel()`` returned true."""


class UsageError(Exception):
    """A mistake in how gradviz was asked (a flag, a file name): exit code 2, one line."""


_BACKTICKED = ("name", "function", "dtype", "reduction", "device", "title", "field",
               "construct")


def _number(value: int | float) -> str:
    return f"{value:,}" if isinstance(value, int) else f"{value:g}"


class _Shown(dict):
    """Params ready for ``str.format_map``; one a template needs but lacks shows as ``?``."""

    def __missing__(self, key: str) -> str:
        return "?"


def fields(params: Mapping[str, Any], *, number: Callable[[int | float], str] = _number,
           path: Callable[[str], str] = str,
           nested: Callable[[str, Mapping], str] | None = None) -> dict[str, str]:
    """Params as a sentence shows them: names in backticks, lists joined, numbers by
    ``number``, nested errors (``failures``) by ``nested`` (default: :func:`render`); a
    missing one shows as ``?``: an error message never fails."""
    shown = _Shown({key: number(value) if isinstance(value, (int, float)) else str(value)
             for key, value in params.items() if not isinstance(value, bool)})
    for key in _BACKTICKED:
        if key in params:
            shown[key] = f"`{params[key]}`"
    for key in ("names", "suggestions", "known"):
        if key in params and isinstance(params[key], (list, tuple)):
            shown[key] = ", ".join(f"`{item}`" for item in params[key])
    if "path" in params:
        shown["path"] = path(str(params["path"]))
    if "shape" in params:
        shown["shape"] = "(" + ", ".join(str(d) for d in params["shape"]) + ")"
    if "limit" in params and "size" in params:
        shown["limit_mb"] = number(params["limit"] // 2**20)
    if "column" in params and "line" in params:  # 0-based in params, 1-based for people
        shown["column"] = number(params["column"] + 1)
    if isinstance(params.get("failures"), list):
        say = nested or render
        shown["failures"] = "; ".join(
            f"{f.get('engine')}: {say(str(f.get('code')), f.get('params') or {})}"
            for f in params["failures"] if isinstance(f, Mapping))
    return shown


def render(code: str, params: Mapping[str, Any] | None = None, *, cli: bool = False) -> str:
    """The English sentence for ``code`` (``cli``: with the command line's advice)."""
    params = dict(params or {})
    template = MESSAGES.get(code)
    if template is None:
        return str(params.get("note") or code)
    text = template.format_map(fields(params))
    if params.get("variable"):  # an error in one variable's value
        text = f"`{params['variable']}`: {text}"
    if params.get("note"):
        text = f"{text} {params['note']}"
    hint = CLI_HINTS.get(code) if cli else None
    return f"{text} {hint.format_map(fields(params))}" if hint else text
