"""What the lesson reader shares: its error, JSON objects read key by key, value names.

Split from :mod:`gradviz.core.lesson.format` (torch-free).
"""

from __future__ import annotations

import json
from typing import Any

from gradviz.core.errors import InputError

ABSENT = object()


class LessonError(InputError):
    """A lesson that cannot be opened, read, saved or run; ``code`` says why."""


def check_unicode(reader, value: Any, path: str) -> None:
    """No lone surrogate anywhere: JSON allows ``"\\ud800"``, Python code and files do not."""
    if isinstance(value, str):
        if any("\ud800" <= ch <= "\udfff" for ch in value):
            raise reader.fail(path or "the lesson", "valid Unicode text (a lone surrogate "
                              "like \\ud800 is not a character)")
    elif isinstance(value, list):
        for index, item in enumerate(value):
            check_unicode(reader, item, f"{path}[{index}]")
    elif isinstance(value, dict):
        for key, item in value.items():
            check_unicode(reader, key, path)
            check_unicode(reader, item, f"{path}.{key}" if path else str(key))


class JsonObject:
    """One JSON object being read: ``take`` its known keys, then ``rest`` are unknown."""

    def __init__(self, reader, data: dict, path: str) -> None:
        self.reader, self.data, self.path, self.used = reader, data, path, set()

    def take(self, key: str, check, default: Any = ABSENT, *, required: bool = False) -> Any:
        self.used.add(key)
        where = f"{self.path}.{key}" if self.path else key
        if key not in self.data:
            if required or default is ABSENT:
                raise self.reader.fail(where, "given: it is missing")
            return default
        return check(self.data[key], where)

    def skip(self, key: str) -> None:
        self.used.add(key)

    def rest(self) -> dict[str, Any]:
        extra = {key: value for key, value in self.data.items() if key not in self.used}
        self.reader.unknown += [f"{self.path}.{key}" if self.path else key for key in extra]
        return extra


def lesson_error(code: str, source: str, **params: Any) -> LessonError:
    """A LessonError whose params name the file (``path``) and the details."""
    return LessonError(code, {"path": source, **params})


def describe(value: Any) -> str:
    """How a message names a JSON value: ``the number 2``, ``a list``, ``null``."""
    if value is None or isinstance(value, bool):
        return json.dumps(value)
    if isinstance(value, (int, float)):
        return f"the number {value}"
    if isinstance(value, str):
        return "a text" if len(value) > 40 else f"the text {json.dumps(value)}"
    return "a list" if isinstance(value, list) else "an object"
