"""The Examples menu: the lesson files bundled in ``resources/examples`` (the seed first).

Each entry is a lesson (``*.gradviz.json``); its title is shown in the UI's
language (:meth:`Lesson.localized`). Picking one opens it as a lesson.
"""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from pathlib import Path

from PySide6.QtWidgets import QMenu

from ...core.lesson.files import LESSON_SUFFIX, Lesson, LessonError, load_lesson
from ..base.resources import list_resources, resource_path


@functools.lru_cache(maxsize=1)
def example_paths() -> tuple[Path, ...]:
    """The bundled example lessons, in file-name order (``01-seed…`` first)."""
    return tuple(resource_path("examples", name)
                 for name in list_resources("examples", LESSON_SUFFIX))


def example_lessons() -> list[tuple[Path, Lesson]]:
    """Each bundled example with its lesson (one that fails to load is left out, and said)."""
    found = []
    for path in example_paths():
        try:
            found.append((path, load_lesson(path)))
        except LessonError as exc:  # a broken installation: the others still work
            print(f"gradviz: example skipped: {exc}", file=sys.stderr)
    return found


def fill_examples_menu(menu: QMenu, language: str,
                       open_example: Callable[[Path], None]) -> None:
    """Fill ``menu`` with one action per example, titled in ``language``."""
    menu.clear()
    for path, lesson in example_lessons():
        title = lesson.localized(language).title
        action = menu.addAction(title)
        action.setData(str(path))
        action.triggered.connect(lambda _=False, p=path: open_example(p))
