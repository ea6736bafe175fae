"""Lesson files (``*.gradviz.json``): open, check, save; never run (torch-free).

A lesson is a JSON object with ``"schema": "gradviz.lesson/1"``, a ``title``,
optional ``notes``, ``language`` (of its own texts, default ``en``), ``view``
settings, ``translations`` and a non-empty list of ``functions``, each an
``expression`` (with ``variables``/``constants`` as ``"name=value"`` texts) or
Python ``code``. Step notes are keyed by the player's step k ("after k
backward steps"; "0" = forward done). Long texts (``notes``, ``code``) may be
written as a list of lines. Unknown keys are kept, listed in
:attr:`Lesson.unknown_keys` and written back, so a newer file still opens.
Opening never runs code: :func:`function_request` refuses ``code`` unless the
caller says the user trusts it (:mod:`gradviz.core.lesson.trust`). The fields and
their checks live in :mod:`gradviz.core.lesson.format`.
"""

from __future__ import annotations

import json
import os
import stat
from dataclasses import MISSING, fields
from pathlib import Path
from typing import Any

from gradviz.core.lesson.format import (
    LESSON_SCHEMA,
    Lesson,
    LessonError,
    LessonFunction,
    Translation,
    ViewSettings,
    describe,
    lesson_error,
    read_lesson,
)
from gradviz.core.runtime.files import write_atomically
from gradviz.core.runtime.options import BuildOptions
from gradviz.core.runtime.request import BuildRequest, Expression, LessonCode

__all__ = [
    "LESSON_SCHEMA", "LESSON_SUFFIX", "MAX_LESSON_BYTES", "Lesson", "LessonError",
    "LessonFunction", "Translation", "ViewSettings", "function_request", "lesson_to_json",
    "load_lesson", "parse_lesson", "save_lesson", "write_atomically",
]

LESSON_SUFFIX = ".gradviz.json"
MAX_LESSON_BYTES = 2 * 1024 * 1024


def load_lesson(path: str | os.PathLike) -> Lesson:
    """Read and check the lesson at ``path``; raises :class:`LessonError`. Runs nothing."""
    name = str(path)
    try:
        info = os.stat(path)
        if stat.S_ISDIR(info.st_mode):
            raise lesson_error("lesson_not_a_file", name, note="(It is a folder.)")
        if not stat.S_ISREG(info.st_mode):
            raise lesson_error("lesson_not_a_file", name)
        _check_size(info.st_size, name)
        with open(path, "rb") as handle:
            data = handle.read(MAX_LESSON_BYTES + 1)
    except (FileNotFoundError, NotADirectoryError):
        raise lesson_error("lesson_not_found", name) from None
    except OSError as exc:
        reason = exc.strerror or str(exc)
        raise lesson_error("lesson_unreadable", name, reason=reason) from None
    _check_size(len(data), name)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise lesson_error("lesson_not_utf8", name, line=line,
                           note=f"(byte 0x{data[exc.start]:02x})") from None
    lesson = parse_lesson(text, source=name)
    lesson.source = name
    return lesson


def parse_lesson(text: str, *, source: str = "<lesson>") -> Lesson:
    """Check a lesson's JSON text and return it; ``source`` names it in errors."""
    data = _decode(text, source)
    _check_schema(data, source)
    return read_lesson(data, source)


def _check_size(size: int, name: str) -> None:
    if size > MAX_LESSON_BYTES:
        raise lesson_error("lesson_too_large", name, size=size, limit=MAX_LESSON_BYTES,
                           note=f"(It is {size / 2**20:.1f} MB.)")


def _decode(text: str, source: str) -> Any:
    if not text.strip():
        raise lesson_error("lesson_truncated", source, note="(It is empty.)")
    try:
        return json.loads(text, object_pairs_hook=_unique_keys, parse_constant=_no_constant)
    except json.JSONDecodeError as exc:
        params = {"line": exc.lineno, "col": exc.colno, "msg": exc.msg}
        if exc.pos >= len(text.rstrip()) or exc.msg.startswith("Unterminated string"):
            raise lesson_error("lesson_truncated", source, **params,
                               note=f"({exc.msg} at line {exc.lineno})") from None
        raise lesson_error("lesson_malformed", source, **params) from None
    except (ValueError, RecursionError) as exc:
        message = str(exc) if not isinstance(exc, RecursionError) else "nested too deeply"
        raise lesson_error("lesson_not_json", source, note=f"({message})") from None


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict:
    data = dict(pairs)
    if len(data) < len(pairs):
        seen: set[str] = set()
        twice = next(key for key, _ in pairs if key in seen or seen.add(key))
        raise ValueError(f'the key "{twice}" appears twice in one object')
    return data


def _no_constant(name: str) -> None:
    raise ValueError(f"{name} is not a JSON number")


def _check_schema(data: Any, source: str) -> None:
    found = data.get("schema") if isinstance(data, dict) else None
    if found == LESSON_SCHEMA:
        return
    if not isinstance(data, dict):
        raise lesson_error("lesson_not_a_lesson", source,
                           note=f"(It holds {describe(data)}, not an object.)")
    if not (isinstance(found, str) and found.startswith("gradviz.lesson/")):
        note = 'It has no "schema" field.' if found is None else \
            f"Its schema is {json.dumps(found)[:60]}."
        raise lesson_error("lesson_not_a_lesson", source, note=note)
    raise lesson_error("lesson_wrong_version", source, found=found, expected=LESSON_SCHEMA)


def lesson_to_json(lesson: Lesson) -> str:
    """The lesson as JSON text (defaults left out, unknown keys written back)."""
    data = {"schema": LESSON_SCHEMA, **_plain(lesson)}
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def save_lesson(lesson: Lesson, path: str | os.PathLike) -> None:
    """Write the lesson atomically; the previous version is kept as ``path + ".bak"``.

    What is written is read back first, so a lesson this gradviz cannot open
    is never saved (:class:`LessonError`).
    """
    name = str(path)
    text = lesson_to_json(lesson)
    parse_lesson(text, source=name)
    data = text.encode("utf-8")
    _check_size(len(data), name)
    write_atomically(Path(os.path.realpath(path)), data, backup=True)


def function_request(fn: LessonFunction, *, allow_code: bool,
                     view: ViewSettings | None = None) -> BuildRequest:
    """The :class:`~gradviz.core.runtime.request.BuildRequest` of ``fn`` (its dtype, seed, runs
    and reduction; ``view`` adds the lesson's graph settings).

    Code runs only with ``allow_code=True``, which the caller passes once the user
    trusts it.
    """
    options = BuildOptions(runs=fn.runs, reduction=fn.reduce)
    for key in ("show_saved", "show_attrs", "rankdir"):
        if view is not None and getattr(view, key) is not None:
            setattr(options, key, getattr(view, key))
    if fn.code is None:
        source = Expression(fn.expression, tuple(fn.variables), tuple(fn.constants), fn.order)
        return BuildRequest(source, dtype=fn.dtype, seed=fn.seed, options=options)
    if not allow_code:
        raise LessonError("lesson_code_not_trusted", {"title": fn.title or "code"})
    return BuildRequest(LessonCode(fn.code, fn.title or "lesson code"), options=options)


def _plain(obj: Any) -> dict[str, Any]:
    """A dataclass as JSON data: fields equal to their default are left out."""
    data: dict[str, Any] = {}
    for spec in fields(obj):
        value = getattr(obj, spec.name)
        if spec.name in ("extra", "unknown_keys", "source") or value == _default(spec):
            continue
        if spec.name == "step_notes":
            value = {str(step): value[step] for step in sorted(value)}
        elif spec.name in ("notes", "code") and "\n" in value:
            value = value.split("\n")  # a list of lines reads better; joined back exactly
        elif isinstance(value, list):
            value = [_plain(item) if hasattr(item, "extra") else item for item in value]
        elif hasattr(value, "extra"):
            value = _plain(value)
        elif spec.name == "translations":
            value = {language: _plain(text) for language, text in value.items()}
        data[spec.name] = value
    return {**data, **{key: v for key, v in obj.extra.items() if key not in data}}


def _default(spec) -> Any:
    if spec.default_factory is not MISSING:
        return spec.default_factory()
    return spec.default
