"""Errors as codes: every code core raises has one English template in core and a French
translation in the catalog; the window translates codes, never the words of a message."""

from __future__ import annotations

import ast
import re
import sys
from pathlib import Path

from gradviz.core import error_messages
from gradviz.core.error_messages import CLI_HINTS, CONTEXT, MESSAGES
from gradviz.core.errors import InputError, render
from gradviz.core.runtime.worker_errors import WORKER_CODES

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))

import i18n_sources  # noqa: E402
import update_translations  # noqa: E402

# Calls whose first argument is an error code.
RAISERS = {"InputError", "ExpressionError", "VariableError", "LessonError", "BackwardError",
           "EngineError",
           "cls", "error", "fail", "lesson_error", "ArgumentProblem", "CallArgumentError"}


def _codes_in(node: ast.AST) -> set[str]:
    """A literal code, both codes of ``"a" if c else "b"``, the default of ``t.get(k, "a")``."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return {node.value}
    if isinstance(node, ast.IfExp):
        return _codes_in(node.body) | _codes_in(node.orelse)
    if isinstance(node, ast.Call) and node.args[1:]:
        return _codes_in(node.args[1])
    return set()  # a name or a path (lesson_format's own fail(path, ...)): not a literal


def codes_raised() -> dict[str, str]:
    """Every literal code given to an error in gradviz's sources → where."""
    found = {}
    for path in sorted((ROOT / "gradviz").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call) or not node.args:
                continue
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            if name in RAISERS:
                for code in _codes_in(node.args[0]):
                    found[code] = f"{path.relative_to(ROOT)}:{node.lineno}"
    return found


def test_every_code_raised_has_an_english_template():
    raised = codes_raised()
    assert len(raised) > 60  # the scan sees the raisers
    assert {c: w for c, w in raised.items() if c not in MESSAGES} == {}
    # codes chosen through a table
    from gradviz.core.expr.expression_tree import _FORBIDDEN_CODES

    assert set(WORKER_CODES.values()) | set(_FORBIDDEN_CODES.values()) <= set(MESSAGES)
    assert set(CLI_HINTS) <= set(MESSAGES)


def test_every_code_has_its_french_text():
    catalog = update_translations.read_catalog(i18n_sources.TS_FILE)
    for code, template in MESSAGES.items():
        translation, kind = catalog.get((CONTEXT, template, ""), ("", "missing"))
        assert translation and not kind, f"{code}: no French text"
        assert translation != template, code
        assert sorted(re.findall(r"\{\w+\}", translation)) == \
            sorted(re.findall(r"\{\w+\}", template)), code


def test_the_catalog_tool_reads_cores_templates():
    messages, problems = i18n_sources.find_messages([i18n_sources.CORE_MESSAGES])
    assert problems == []
    assert {m.source for m in messages} == set(MESSAGES.values())


def test_templates_name_no_flag_and_the_cli_adds_its_own():
    for code, template in MESSAGES.items():
        assert not re.search(r"(^|\s|\()--\w", template), code
    error = InputError("non_scalar_output", {"shape": [3]})
    assert "--reduce" not in error.message and "--reduce sum" in error.format()
    assert render("worker_timeout", {"timeout": 2.0}, cli=True).endswith("(--timeout).")


def test_every_template_fills_from_its_params():
    """Each template renders with params of the right names (no KeyError at the worst time)."""
    for code, template in MESSAGES.items():
        names = set(re.findall(r"\{(\w+)\}", template))
        params = {name: 1 for name in names}
        for name in names & {"names", "suggestions", "known", "shape"}:
            params[name] = [2, 3]
        text = render(code, params)
        assert "{" not in text.replace("{...}", ""), code


def test_no_ui_module_reads_the_words_of_a_message():
    """The window chooses text by code: no `"…" in message`, no message.startswith(…)."""
    found = []
    for path in i18n_sources.ui_sources():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Compare) and isinstance(node.left, ast.Constant) \
                    and isinstance(node.left.value, str) \
                    and any(isinstance(op, (ast.In, ast.NotIn)) for op in node.ops) \
                    and _about_an_error(node.comparators[0]):
                found.append(f"{path.name}:{node.lineno}")
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) \
                    and node.func.attr in ("startswith", "endswith", "removeprefix", "find",
                                           "partition", "rpartition") \
                    and _about_an_error(node.func.value):
                found.append(f"{path.name}:{node.lineno}")
    assert found == []


def test_the_scan_sees_substring_matching():
    code = ('if "randn(3)" in message:\n    pass\n'
            'if error.message.startswith("write"):\n    pass\n')
    tree = ast.parse(code)
    hits = [n for n in ast.walk(tree)
            if (isinstance(n, ast.Compare) and _about_an_error(n.comparators[0]))
            or (isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute)
                and _about_an_error(n.func.value))]
    assert len(hits) == 2


def _about_an_error(node: ast.AST) -> bool:
    words = {n.id for n in ast.walk(node) if isinstance(n, ast.Name)} | \
        {n.attr for n in ast.walk(node) if isinstance(n, ast.Attribute)}
    return any(re.search(r"message|err|exc|reason", w) for w in words)


def test_the_module_marks_its_templates_for_lupdate():
    assert error_messages.QT_TRANSLATE_NOOP("Errors", "x") == "x"
