"""English and French: every UI string is translatable, translated, compiled and loaded."""

from __future__ import annotations

import ast
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QLocale

from gradviz.core.errors import EngineError, InputError
from gradviz.core.runtime.worker import WorkerError
from gradviz.ui.base import i18n
from gradviz.ui.base.i18n import available_languages, current_language, install_translators
from gradviz.ui.base.messages import error_text

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))

import i18n_sources  # noqa: E402
import update_translations  # noqa: E402

# Qt calls whose string arguments people read: method name → positions (None: all).
TEXT_METHODS = {
    "setText": (0,), "setWindowTitle": (0,), "setToolTip": (0,), "setStatusTip": (0,),
    "setWhatsThis": (0,), "setPlaceholderText": (0,), "showMessage": (0,), "setTitle": (0,),
    "setLabelText": (0,), "setInformativeText": (0,), "setDetailedText": (0,),
    "setPlainText": (0,), "setHeaderLabels": (0,), "setHorizontalHeaderLabels": (0,),
    "setVerticalHeaderLabels": (0,), "addMenu": None, "addAction": None, "addTab": (1,),
    "insertTab": (2,), "setTabText": (1,), "setTabToolTip": (1,), "addItem": None,
    "addItems": (0,), "addRow": (0,), "setPrefix": (0,), "setSuffix": (0,),
    "setSpecialValueText": (0,), "setNameFilter": (0,), "information": (1, 2),
    "warning": (1, 2), "critical": (1, 2), "question": (1, 2), "about": (1, 2),
    "getOpenFileName": (1, 3), "getSaveFileName": (1, 3), "getExistingDirectory": (1,),
    "getText": (1, 2), "getItem": (1, 2),
}
TEXT_CLASSES = {
    "QLabel", "QPushButton", "QToolButton", "QCheckBox", "QRadioButton", "QGroupBox",
    "QAction", "QMenu", "QDockWidget", "QMessageBox", "QCommandLinkButton", "QWidgetAction",
}
TEXT_KEYWORDS = {"text", "toolTip", "statusTip", "placeholderText", "windowTitle", "title",
                 "whatsThis", "caption", "filter"}
ALLOWED = {"gradviz", "PyTorch"}  # names, not words
WORD = re.compile(r"[^\W\d_]{2,}")


def _untranslated(node: ast.AST, helpers: set[str]) -> list[str]:
    """String literals in ``node`` that reach the screen without a translation call."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, ast.JoinedStr):
        return [part.value for part in node.values if isinstance(part, ast.Constant)]
    if isinstance(node, ast.Call):
        func = node.func
        if isinstance(func, ast.Attribute) and func.attr == "format":  # "…".format(…)
            found = _untranslated(func.value, helpers)
            return found + [s for arg in node.args for s in _untranslated(arg, helpers)]
        return []  # tr(), translate(), helpers, error_text(), format_compact(), …
    children = {ast.BinOp: ("left", "right"), ast.IfExp: ("body", "orelse"),
                ast.BoolOp: ("values",), ast.List: ("elts",), ast.Tuple: ("elts",)}
    for kind, fields in children.items():
        if isinstance(node, kind):
            found = []
            for name in fields:
                value = getattr(node, name)
                for child in value if isinstance(value, list) else [value]:
                    found += _untranslated(child, helpers)
            return found
    return []


def _shown_arguments(call: ast.Call) -> list[ast.AST]:
    name = i18n_sources.call_name(call)
    shown = [kw.value for kw in call.keywords if kw.arg in TEXT_KEYWORDS]
    if name in TEXT_CLASSES:
        return shown + list(call.args)
    if name in TEXT_METHODS and isinstance(call.func, ast.Attribute):
        positions = TEXT_METHODS[name]
        return shown + [arg for i, arg in enumerate(call.args)
                        if positions is None or i in positions]
    return shown


def test_every_user_visible_string_is_wrapped_for_translation():
    problems = []
    for path in i18n_sources.ui_sources():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        helpers = set(i18n_sources.module_helpers(tree))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            for arg in _shown_arguments(node):
                for text in _untranslated(arg, helpers):
                    if WORD.search(text) and text.strip() not in ALLOWED:
                        problems.append(f"{path.name}:{node.lineno}: {text!r} is not in tr()")
    _, unreadable = i18n_sources.find_messages()
    assert not problems + unreadable, "\n".join(problems + unreadable)


def test_the_scan_catches_a_bare_string(tmp_path):
    code = ("class W:\n    def f(self):\n        self.label.setText('Hello there')\n"
            "        self.button = QPushButton(self.tr('Fine'))\n"
            "        self.setToolTip(f'{n} nodes')\n")
    tree = ast.parse(code)
    found = [text for node in ast.walk(tree) if isinstance(node, ast.Call)
             for arg in _shown_arguments(node) for text in _untranslated(arg, set())]
    assert "Hello there" in found and " nodes" in found and "Fine" not in found


def test_no_ui_module_defines_its_own_translation_helper():
    """One pattern that lupdate reads: translate("Context", "text") or self.tr("text")."""
    found = {}
    for path in i18n_sources.ui_sources():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        helpers = set(i18n_sources.module_helpers(tree))
        helpers |= {node.name for node in tree.body
                    if isinstance(node, ast.FunctionDef) and node.name == "_tr"}
        if helpers:
            found[path.name] = sorted(helpers)
    assert found == {}, f"use translate(\"Context\", \"text\") instead: {found}"


def test_the_helper_scan_sees_a_helper():
    code = ("def _say(text):\n    return QCoreApplication.translate('Ctx', text)\n")
    assert i18n_sources.module_helpers(ast.parse(code)) == {"_say": "Ctx"}


def _placeholders(text: str) -> list[str]:
    return sorted(re.findall(r"\{[^{}]*\}", text))


def test_french_catalog_has_every_string_of_the_code_translated():
    messages, _ = i18n_sources.find_messages()
    in_code = {msg.key for msg in messages}
    catalog = update_translations.read_catalog(i18n_sources.TS_FILE)
    assert in_code - set(catalog) == set(), "missing: run tools/update_translations.py"
    assert set(catalog) - in_code == set(), "stale: run tools/update_translations.py"
    assert update_translations.unfinished(i18n_sources.TS_FILE) == []
    for (context, source, _), (translation, _) in catalog.items():
        assert _placeholders(translation) == _placeholders(source), (context, source)
        assert source.count("&") == translation.count("&"), (context, source)  # mnemonics


def _qt_tools_present() -> bool:
    try:
        update_translations.qt_tool("pyside6-lupdate")
        update_translations.qt_tool("pyside6-lrelease")
    except SystemExit:
        return False
    return True


@pytest.mark.skipif(not _qt_tools_present(), reason="pyside6-lupdate/lrelease not installed")
def test_catalog_and_qm_are_what_the_tool_makes_now():
    # lupdate's own extraction agrees with the committed .ts; lrelease gives the committed .qm.
    assert update_translations.check() == []


def test_qm_is_compiled_from_the_ts(tmp_path):
    lrelease = Path(sys.executable).parent / "pyside6-lrelease"
    if not lrelease.exists() and not shutil.which("pyside6-lrelease"):
        pytest.skip("pyside6-lrelease not installed")
    update_translations.run_lrelease(i18n_sources.TS_FILE, tmp_path / "fresh.qm")
    assert (tmp_path / "fresh.qm").read_bytes() == i18n_sources.QM_FILE.read_bytes()


@pytest.fixture
def french(qapp):
    assert install_translators(qapp, "fr") == "fr"
    yield qapp
    install_translators(qapp, "en")


def test_french_translators_translate(french):
    tr = QCoreApplication.translate
    assert tr("ExplanationBar", "Forward pass done") == "Passe avant terminée"
    assert tr("ExplanationBar", "Step {0} of {1}: {2}").format(3, 9, "MulBackward0") == \
        "Pas 3 sur 9\u00a0: MulBackward0"
    assert tr("NodeInspector", "leaf tensor") == "tenseur feuille"
    assert tr("QPlatformTheme", "Cancel") == "Annuler"  # Qt's own catalog too
    assert current_language() == "fr"


def test_widgets_speak_french(french, qtbot):
    from gradviz.ui.panels.inspector import NodeInspector
    inspector = NodeInspector()
    qtbot.addWidget(inspector)
    assert "Aucun nœud sélectionné" in inspector.text()


def test_install_is_idempotent_and_switches_back(qapp):
    for _ in range(3):
        install_translators(qapp, "fr")
    assert len(i18n._installed) == 2
    assert install_translators(qapp, "en") == "en"
    assert i18n._installed == []
    assert QCoreApplication.translate("ExplanationBar", "Forward pass done") == \
        "Forward pass done"
    assert install_translators(qapp, "fr_CA") == "fr"
    assert install_translators(qapp, "de") == "en"  # no German catalog: English
    assert available_languages() == ["en", "fr"]


def test_language_follows_the_system(qapp, monkeypatch):
    for system, expected in (("fr_BE", "fr"), ("de_DE", "en"), ("en_US", "en")):
        locale = type("Locale", (QLocale,), {"system": staticmethod(lambda s=system: QLocale(s))})
        monkeypatch.setattr(i18n, "QLocale", locale)
        assert install_translators(qapp, None) == expected
    install_translators(qapp, "en")


def test_error_text_in_french(french):
    missing = InputError("missing_variables", {"names": ["y", "z"]})
    assert error_text(missing) == ("Il manque une valeur pour `y`, `z`\u00a0: donnez-en une "
                                   "à chacune.")
    shape = InputError("non_scalar_output", {"shape": [3]}).to_dict()
    assert error_text(shape).startswith("La sortie a la forme (3)")
    nothing = InputError("nothing_to_differentiate")
    assert "rien à dériver" in error_text(nothing)
    unknown = InputError("unknown_function_close", {"name": "sni", "suggestions": ["sin"]})
    assert error_text(unknown) == ("`sni` n'est pas une fonction connue. "
                                   "Vouliez-vous dire `sin`\u202f?")
    big = InputError("tensor_too_large", {"elements": 2_000_000, "limit": 1_000_000})
    assert "2\u202f000\u202f000" in error_text(big)
    assert "ligne 3, colonne 5" in error_text(InputError("script_syntax", {
        "path": "/tmp/a.py", "line": 3, "column": 4, "msg": "invalid syntax"}))
    assert error_text(WorkerError("timeout", "…", {"timeout": 30.0})) == \
        "Le calcul a duré plus de 30\u00a0s et a été arrêté."
    layout = EngineError("layout_failed", {"failures": [
        {"engine": "dot", "code": "engine_exit", "params": {"exitcode": 1, "detail": "boom"}}]})
    assert error_text(layout) == ("La mise en page du graphe (Graphviz) a échoué. "
                                  "dot\u00a0: code de sortie 1\u00a0: boom")


def test_error_text_in_french_leaves_out_the_english_note(french):
    ragged = InputError("ragged_list", {"note": "(this row has 1 element)", "variable": "w"})
    assert error_text(ragged) == ("`w`\u00a0: La liste est irrégulière\u00a0: toutes les "
                                  "lignes doivent avoir la même longueur.")


def test_error_text_falls_back_to_the_code_or_the_note(french):
    assert error_text(InputError("brand_new_code")) == "brand_new_code"
    assert error_text({"code": "brand_new", "message": "Something new went wrong."}) == \
        "Something new went wrong."
    broken = InputError("missing_variables", {})  # a param missing: "?", never a crash
    assert error_text(broken).startswith("Il manque une valeur pour\u202f?")


def test_error_text_in_english_is_cores_template_without_flags(qapp):
    install_translators(qapp, "en")
    error = InputError("missing_variables", {"names": ["y"]})
    assert error_text(error) == error.message == "No value for `y`: give each one a value."
    assert error_text(error.to_dict()) == error.message
    shape = InputError("non_scalar_output", {"shape": [3]})
    assert "--" not in error_text(shape) and "--reduce" in shape.format()
    timeout = WorkerError("timeout", "… (--timeout).", {"timeout": 30.0})
    assert error_text(timeout) == "The evaluation took longer than 30 s and was stopped."


def test_catalog_loads_from_an_installed_layout(tmp_path):
    site = tmp_path / "site"
    shutil.copytree(ROOT / "gradviz", site / "gradviz",
                    ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(ROOT / "resources", site / "gradviz" / "resources")
    code = ("from PySide6.QtCore import QCoreApplication as A\n"
            "from gradviz.ui.base.i18n import install_translators\n"
            "app = A([])\n"
            "assert install_translators(app, 'fr') == 'fr'\n"
            "print(A.translate('ExplanationBar', 'Forward pass done'))\n")
    out = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True,
                         text=True, env={"PYTHONPATH": str(site), "QT_QPA_PLATFORM": "offscreen",
                                         "PATH": "/usr/bin:/bin"}, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "Passe avant terminée"
