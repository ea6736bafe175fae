"""The UI language: gradviz's catalog and Qt's own, installed on the application.

English is the source language (no catalog needed); other languages load
``resources/i18n/gradviz_<lang>.qm`` and Qt's ``qtbase_<lang>.qm`` (standard
buttons, dialogs). Installing translators sends a ``LanguageChange`` event to
every widget; widgets that do not handle it show the new language once rebuilt.
"""

from __future__ import annotations

import re

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

from ...core.graph.formatting import decimal_for, set_decimal_separator
from .resources import list_resources, resource_path

#: The one way UI code translates outside a QObject: ``translate("Context", "text")``, the
#: context and the text written literally so that ``pyside6-lupdate`` finds them (inside
#: a QObject class, ``self.tr("text")``). Never wrap it in a module helper: lupdate
#: cannot see through one (``tests/test_i18n.py`` checks).
translate = QCoreApplication.translate

SOURCE_LANGUAGE = "en"
_CATALOG_PREFIX = "gradviz_"

_installed: list[QTranslator] = []  # kept alive here: Qt does not own installed translators
_current = SOURCE_LANGUAGE


def available_languages() -> list[str]:
    """Language codes the UI speaks: English first, then every bundled catalog."""
    found = [name.removeprefix(_CATALOG_PREFIX).removesuffix(".qm")
             for name in list_resources("i18n", ".qm") if name.startswith(_CATALOG_PREFIX)]
    return [SOURCE_LANGUAGE, *sorted(set(found) - {SOURCE_LANGUAGE})]


def system_language() -> str:
    """The system locale's language when the UI speaks it (``fr_CA`` → ``fr``), else English."""
    code = QLocale.system().name().split("_")[0].lower()
    return code if code in available_languages() else SOURCE_LANGUAGE


def normalize_language(lang: str | None) -> str:
    """``None``/``"system"`` → the system's; ``"fr_FR"``/``"FR"`` → ``"fr"``; unknown → English."""
    if lang is None or lang.strip().lower() in ("", "system", "auto"):
        return system_language()
    code = lang.strip().replace("-", "_").split("_")[0].lower()
    return code if code in available_languages() else SOURCE_LANGUAGE


def current_language() -> str:
    """The language last installed by :func:`install_translators` (``"en"`` before)."""
    return _current


_FR_THIN = re.compile(r"(?<=[^\s\u00a0\u202f])\s?([;!?])(?=\s|$)")
_FR_COLON = re.compile(r"(?<=[^\s\u00a0\u202f])\s?:(?=\s|$)")


def typeset(text: str, lang: str | None = None) -> str:
    """Text built from pieces (explanations) in the language's typography: in French a
    no-break space before ``:`` and a narrow one before ``; ! ?`` (``grad_in : …``)."""
    if (lang or _current) != "fr":
        return text
    return _FR_COLON.sub("\u00a0:", _FR_THIN.sub("\u202f\\1", text))


def install_translators(app: QCoreApplication, lang: str | None) -> str:
    """Speak ``lang`` (None: follow the system) in ``app``; returns the language used.

    Idempotent: the translators installed by a previous call are removed first,
    so switching back and forth never stacks catalogs. Numbers follow: a decimal
    comma in French (:func:`gradviz.core.graph.formatting.set_decimal_separator`).
    """
    language = _install(app, lang)
    set_decimal_separator(decimal_for(language))
    return language


def _install(app: QCoreApplication, lang: str | None) -> str:
    global _current
    wanted = normalize_language(lang)
    _remove_installed(app)
    _current = SOURCE_LANGUAGE
    if wanted == SOURCE_LANGUAGE:
        return _current
    ours = QTranslator()
    if not ours.load(str(resource_path("i18n", f"{_CATALOG_PREFIX}{wanted}.qm"))):
        return _current  # unreadable catalog: stay in English rather than half-translated
    translators = [ours]
    qt_own = QTranslator()
    qt_folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    if qt_own.load(f"qtbase_{wanted}", qt_folder):
        translators.append(qt_own)
    for translator in translators:
        app.installTranslator(translator)
    _installed.extend(translators)
    _current = wanted
    return _current


def _remove_installed(app: QCoreApplication) -> None:
    while _installed:
        translator = _installed.pop()
        try:
            app.removeTranslator(translator)
        except RuntimeError:  # installed on an application that is gone
            pass
