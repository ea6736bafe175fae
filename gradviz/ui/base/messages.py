"""Error sentences in the UI's language, from the codes and params that core returns.

Core's :data:`~gradviz.core.error_messages.MESSAGES` holds one English template
per error code; :func:`error_text` looks the same template up in Qt's catalog
(context ``"Errors"``) and fills it with the params, shown the window's way
(localized numbers, a file's name rather than its path). The window adds its
own advice where the command line would name a flag; nothing here reads the
words of an English message.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import PurePath
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QLocale

from ...core.error_messages import CONTEXT, MESSAGES
from ...core.errors import EngineError, InputError, fields
from ...core.graph.formatting import format_shape
from ...core.runtime.worker import WorkerError
from ...core.runtime.worker_errors import WORKER_CODES
from .i18n import SOURCE_LANGUAGE, current_language, translate, typeset

# What the window says where the command line names a flag (core's CLI_HINTS).
_GUI_HINTS = {
    "lesson_code_not_trusted": QT_TRANSLATE_NOOP(
        "Messages", "Then choose \"Run code from this lesson\"."),
}


def error_text(error: BaseException | Mapping[str, Any]) -> str:
    """A sentence for ``error`` in the current UI language.

    ``error`` is an :class:`InputError`, its ``to_dict()``, a
    :class:`~gradviz.core.runtime.worker.WorkerError`, an :class:`EngineError`, or any
    other exception (its ``str``).
    """
    if isinstance(error, WorkerError):
        params = {**error.details, "message": error.message}
        code = error.details.get("code") or WORKER_CODES.get(error.kind, "worker_internal")
        return sentence(str(code), params)
    if isinstance(error, (InputError, EngineError)):
        return sentence(error.code, error.params)
    if isinstance(error, Mapping):
        code, params = str(error.get("code") or ""), dict(error.get("params") or {})
        if code in MESSAGES:
            return sentence(code, params)
        return str(error.get("message") or code)
    return str(error)


def sentence(code: str, params: Mapping[str, Any]) -> str:
    """Core's template for ``code`` in the UI's language, filled with ``params``.

    English adds the params' ``note`` (English detail that core gives after the
    sentence); the window's own advice follows where it has some.
    """
    if code not in MESSAGES:
        return str(params.get("note") or code)
    shown = fields(params, number=_number, path=_file_name, nested=sentence)
    text = translate(CONTEXT, MESSAGES[code]).format_map(shown)
    if params.get("variable"):  # an error in one variable's value
        text = f"`{params['variable']}`: {text}"
    english = current_language() == SOURCE_LANGUAGE
    if english and params.get("note"):
        text = f"{text} {params['note']}"
    if code in _GUI_HINTS:
        text = f"{text} {translate('Messages', _GUI_HINTS[code])}"
    return text if english else typeset(text)


def shape_text(shape: list[int]) -> str:
    """A tensor's shape as the UI shows it: ``3×4``, or the word for a 0-d tensor."""
    return format_shape(shape) if shape else translate("Messages", "scalar")


def _file_name(path: str) -> str:
    return PurePath(path).name or path


def _number(value: int | float) -> str:
    locale = QLocale(current_language())
    if isinstance(value, int):
        return locale.toString(value)
    return locale.toString(value, "g", 6)
