"""A lesson's words for the page: its title, notes and one function's step notes. Qt-free."""

from __future__ import annotations

from dataclasses import dataclass, field

from gradviz.core.lesson.files import load_lesson


@dataclass
class LessonTexts:
    """What a page exported from a lesson shows besides the graph."""

    title: str = ""
    notes: str = ""
    step_notes: dict[int, str] = field(default_factory=dict)


def lesson_texts(path: str, function: int, lang: str | None) -> LessonTexts:
    """Title (``Lesson — Function``), notes and step notes of function ``function`` (from 1),
    in ``lang`` where the lesson has a translation. Reading a lesson runs nothing."""
    lesson = load_lesson(path)
    if lang:
        lesson = lesson.localized(lang)
    fn = lesson.functions[function - 1]
    title = f"{lesson.title} — {fn.title}" if fn.title else lesson.title
    notes = "\n\n".join(text for text in (lesson.notes, fn.notes) if text)
    return LessonTexts(title=title, notes=notes, step_notes=dict(fn.step_notes))
