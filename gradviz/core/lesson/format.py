"""The lesson format, ``gradviz.lesson/1``: its dataclasses and its field checks (torch-free).

:mod:`gradviz.core.lesson.files` reads and writes the files; this module says what
a valid lesson is, naming each bad field by its path (``functions[1].seed``).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field, replace
from typing import Any

from gradviz.core.lesson.json_values import (
    ABSENT,
    JsonObject,
    LessonError,
    check_unicode,
    describe,
    lesson_error,
)

LESSON_SCHEMA = "gradviz.lesson/1"
MAX_RUNS = 10
THEMES, RANKDIRS = ("light", "dark", "presentation"), ("TB", "LR", "BT", "RL")
DTYPES, REDUCTIONS = ("float32", "float64"), ("sum", "mean")
_LANGUAGE = re.compile(r"[a-z]{2,3}([_-][A-Za-z0-9]{2,8})*\Z")
_VARIABLE = re.compile(r"\s*[A-Za-z_][A-Za-z0-9_]*\s*=\s*\S")


@dataclass
class Translation:
    """A lesson's or function's texts in another language; unset parts fall back."""

    title: str | None = None
    notes: str | None = None
    step_notes: dict[int, str] = field(default_factory=dict)  # functions only
    extra: dict[str, Any] = field(default_factory=dict)  # unknown keys, written back


@dataclass
class LessonFunction:
    """One function of a lesson: a typed ``expression`` or trusted-only Python ``code``."""

    title: str = ""
    expression: str | None = None
    code: str | None = None
    variables: list[str] = field(default_factory=list)  # "x=2.0": leaves with gradient
    constants: list[str] = field(default_factory=list)  # "t=[1, 2]": no gradient
    dtype: str = "float32"
    seed: int | None = None
    reduce: str | None = None  # "sum" | "mean" for a non-scalar output
    runs: int = 1  # backward calls: 2 shows .grad accumulating
    order: int = 1  # 2: the graph of df/dx and its own backward pass (expressions only)
    notes: str = ""
    step_notes: dict[int, str] = field(default_factory=dict)  # player step k -> text
    translations: dict[str, Translation] = field(default_factory=dict)
    extra: dict[str, Any] = field(default_factory=dict)  # unknown keys, written back


@dataclass
class ViewSettings:
    """How the lesson wants to be shown; None leaves the viewer's own setting."""

    theme: str | None = None  # light | dark | presentation
    show_saved: bool | None = None
    show_attrs: bool | None = None
    rankdir: str | None = None  # TB | LR | BT | RL
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass(kw_only=True)
class Lesson:
    """A lesson file's content (plain data; fields in the order they are written)."""

    title: str
    language: str = "en"  # the language of title, notes and step notes
    notes: str = ""
    view: ViewSettings = field(default_factory=ViewSettings)
    functions: list[LessonFunction]
    translations: dict[str, Translation] = field(default_factory=dict)
    extra: dict[str, Any] = field(default_factory=dict)
    unknown_keys: list[str] = field(default_factory=list, compare=False)  # their paths
    source: str | None = field(default=None, compare=False)  # the file it was read from

    @property
    def languages(self) -> list[str]:
        """The lesson's own language, then those it has translations for."""
        return [self.language] + [lang for lang in self.translations if lang != self.language]

    def localized(self, language: str) -> Lesson:
        """A copy with texts in ``language`` (``fr_FR`` also finds ``fr``) where translated.

        A step note missing from a translation keeps the lesson's own text.
        """
        tag = next((t for t in (language, re.split("[_-]", language)[0])
                    if t in self.translations), None)
        if tag is None or tag == self.language:
            return replace(self)
        functions = [_localize(fn, fn.translations.get(tag)) for fn in self.functions]
        own = self.translations[tag]
        return replace(self, title=own.title or self.title, notes=own.notes or self.notes,
                       language=tag, functions=functions)


def _localize(fn: LessonFunction, text: Translation | None) -> LessonFunction:
    if text is None:
        return replace(fn)
    return replace(fn, title=text.title or fn.title, notes=text.notes or fn.notes,
                   step_notes={**fn.step_notes, **text.step_notes})


def read_lesson(data: dict, source: str) -> Lesson:
    """Check decoded lesson JSON (schema already checked) field by field."""
    reader = _Reader(source)
    check_unicode(reader, data, "")
    obj = reader.object(data, "")
    lesson = Lesson(
        title=obj.take("title", reader.text, required=True),
        notes=obj.take("notes", reader.lines, ""),
        language=obj.take("language", reader.language, "en"),
        view=obj.take("view", reader.view, None) or ViewSettings(),
        functions=obj.take("functions", reader.functions, required=True),
        translations=obj.take("translations", reader.translations, {}),
    )
    obj.skip("schema")
    lesson.extra, lesson.unknown_keys = obj.rest(), reader.unknown
    return lesson


class _Reader:
    """Checks JSON values against the format, naming each by its path (``functions[1].seed``)."""

    def __init__(self, source: str) -> None:
        self.source, self.unknown = source, []

    def fail(self, path: str, wanted: str, value: Any = ABSENT) -> LessonError:
        found = "" if value is ABSENT else f", not {describe(value)}"
        return lesson_error("lesson_invalid", self.source, field=path,
                            note=f"It must be {wanted}{found}.")

    def object(self, value: Any, path: str) -> JsonObject:
        if not isinstance(value, dict):
            raise self.fail(path or "the lesson", "an object {...}", value)
        return JsonObject(self, value, path)

    def text(self, value: Any, path: str) -> str:
        if not isinstance(value, str) or not value.strip():
            raise self.fail(path, "a non-empty text", value)
        return value

    def lines(self, value: Any, path: str) -> str:
        if isinstance(value, list) and all(isinstance(line, str) for line in value):
            return "\n".join(value)
        if not isinstance(value, str):
            raise self.fail(path, "a text or a list of lines", value)
        return value

    def choice(self, *choices: str | bool | None):
        names = [json.dumps(choice) for choice in choices]
        wanted = f"{', '.join(names[:-1])} or {names[-1]}"

        def check(value: Any, path: str) -> Any:
            if value in choices and type(value) in {type(choice) for choice in choices}:
                return value
            raise self.fail(path, wanted, value)
        return check

    def language(self, value: Any, path: str) -> str:
        if not isinstance(value, str) or not _LANGUAGE.match(value):
            raise self.fail(path, 'a language code like "en" or "fr"', value)
        return value

    def integer(self, low: int, high: int, *, null: bool = False):
        def check(value: Any, path: str) -> int | None:
            if value is None and null:
                return None
            if type(value) is not int or not low <= value <= high:
                raise self.fail(path, f"a whole number from {low} to {high}", value)
            return value
        return check

    def names(self, value: Any, path: str) -> list[str]:
        if not isinstance(value, list):
            raise self.fail(path, 'a list of texts like "x=2.0"', value)
        for index, item in enumerate(value):
            if not isinstance(item, str) or not _VARIABLE.match(item):
                raise self.fail(f"{path}[{index}]", 'a text like "x=2.0" (name=value)', item)
        return list(value)

    def step_notes(self, value: Any, path: str) -> dict[int, str]:
        notes = self.object(value, path)
        for key in notes.data:
            if not key.isdigit() or not key.isascii():
                raise self.fail(f"{path}.{key}", "keyed by a step number like \"3\"")
        return {int(key): notes.take(key, self.lines) for key in notes.data}

    def translations(self, value: Any, path: str, *, steps: bool = False
                     ) -> dict[str, Translation]:
        result = {}
        for language, item in self.object(value, path).data.items():
            where = f"{path}.{language}"
            self.language(language, where)
            text = self.object(item, where)
            result[language] = Translation(
                title=text.take("title", self.text, None),
                notes=text.take("notes", self.lines, None),
                step_notes=text.take("step_notes", self.step_notes, {}) if steps else {},
            )
            result[language].extra = text.rest()
        return result

    def function_translations(self, value: Any, path: str) -> dict[str, Translation]:
        return self.translations(value, path, steps=True)

    def view(self, value: Any, path: str) -> ViewSettings:
        obj = self.object(value, path)
        view = ViewSettings(
            theme=obj.take("theme", self.choice(*THEMES, None), None),
            show_saved=obj.take("show_saved", self.choice(True, False, None), None),
            show_attrs=obj.take("show_attrs", self.choice(True, False, None), None),
            rankdir=obj.take("rankdir", self.choice(*RANKDIRS, None), None),
        )
        view.extra = obj.rest()
        return view

    def functions(self, value: Any, path: str) -> list[LessonFunction]:
        if not isinstance(value, list):
            raise self.fail(path, "a list of functions", value)
        if not value:
            raise self.fail(path, "a list of at least one function, not an empty list")
        return [self.function(item, f"{path}[{index}]") for index, item in enumerate(value)]

    def function(self, value: Any, path: str) -> LessonFunction:
        obj = self.object(value, path)
        if ("expression" in obj.data) == ("code" in obj.data):
            raise self.fail(path, 'an object with either "expression" or "code" (one of them)')
        if "code" in obj.data:
            for key in ("variables", "constants", "dtype", "seed", "order"):
                if key in obj.data:
                    raise self.fail(f"{path}.{key}", "absent: code makes its own tensors")
        fn = LessonFunction(
            title=obj.take("title", self.lines, ""),
            expression=obj.take("expression", self.text, None),
            code=obj.take("code", lambda v, p: self.text(self.lines(v, p), p), None),
            variables=obj.take("variables", self.names, []),
            constants=obj.take("constants", self.names, []),
            dtype=obj.take("dtype", self.choice(*DTYPES), "float32"),
            seed=obj.take("seed", self.integer(0, 2**63 - 1, null=True), None),
            reduce=obj.take("reduce", self.choice(*REDUCTIONS, None), None),
            runs=obj.take("runs", self.integer(1, MAX_RUNS), 1),
            order=obj.take("order", self.integer(1, 2), 1),
            notes=obj.take("notes", self.lines, ""),
            step_notes=obj.take("step_notes", self.step_notes, {}),
            translations=obj.take("translations", self.function_translations, {}),
        )
        fn.extra = obj.rest()
        return fn
