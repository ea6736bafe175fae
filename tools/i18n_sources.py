"""Find the translatable strings in gradviz's UI sources, as Qt's runtime will look them up.

``pyside6-lupdate`` reads ``self.tr("…")``, ``QCoreApplication.translate("Ctx", "…")``
and ``QT_TRANSLATE_NOOP("Ctx", "…")``, but not a module's own helper such as
``def _tr(text): return QCoreApplication.translate("Export", text)``. This
module reads all of them with :mod:`ast`, so the catalog tool can hand the
helper calls to lupdate, and the tests can check the catalog without lupdate.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
UI_FOLDER = ROOT / "gradviz" / "ui"
# Core's error templates (context "Errors"), marked with a local QT_TRANSLATE_NOOP.
CORE_MESSAGES = ROOT / "gradviz" / "core" / "error_messages.py"
TS_FILE = ROOT / "resources" / "i18n" / "gradviz_fr.ts"
QM_FILE = ROOT / "resources" / "i18n" / "gradviz_fr.qm"


@dataclass(frozen=True)
class Message:
    """One translatable string: Qt's lookup key (context, source, disambiguation) and where."""

    context: str
    source: str
    comment: str
    path: Path
    line: int
    helper: bool  # found through a module helper (lupdate cannot see it)

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.context, self.source, self.comment)


def ui_sources() -> list[Path]:
    """Every Python file of the UI package, sorted."""
    return sorted(UI_FOLDER.rglob("*.py"))


def catalog_sources() -> list[Path]:
    """Every file whose strings go into the catalog: the UI and core's error templates."""
    return [*ui_sources(), CORE_MESSAGES]


def literal(node: ast.AST | None) -> str | None:
    """The value of a string literal (implicit concatenation included), else None."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    return None


def call_name(node: ast.Call) -> str:
    """``tr`` for ``self.tr(...)``, ``translate`` for ``QCoreApplication.translate(...)``."""
    func = node.func
    if isinstance(func, ast.Attribute):
        return func.attr
    return func.id if isinstance(func, ast.Name) else ""


def module_helpers(tree: ast.Module) -> dict[str, str]:
    """Module functions ``name(text)`` that return ``translate("Ctx", text)``: name → Ctx."""
    helpers = {}
    for node in tree.body:
        if not isinstance(node, ast.FunctionDef) or not node.args.args:
            continue
        param = node.args.args[0].arg
        for inner in ast.walk(node):
            if isinstance(inner, ast.Call) and call_name(inner) == "translate" \
                    and len(inner.args) >= 2 and literal(inner.args[0]) is not None \
                    and isinstance(inner.args[1], ast.Name) and inner.args[1].id == param:
                helpers[node.name] = literal(inner.args[0])
    return helpers


class _Finder(ast.NodeVisitor):
    def __init__(self, path: Path, helpers: dict[str, str]) -> None:
        self.path, self.helpers = path, helpers
        self.classes: list[str] = []
        self.found: list[Message] = []
        self.problems: list[str] = []  # tr() calls whose text lupdate cannot read

    def visit_ClassDef(self, node: ast.ClassDef) -> None:
        self.classes.append(node.name)
        self.generic_visit(node)
        self.classes.pop()

    def visit_Call(self, node: ast.Call) -> None:
        name = call_name(node)
        args = node.args
        if name in ("tr", "QT_TR_NOOP") and self.classes and args:
            self._add(self.classes[-1], args[0], args[1] if len(args) > 1 else None, node)
        elif name in ("translate", "QT_TRANSLATE_NOOP") and len(args) >= 2 \
                and literal(args[0]) is not None:
            self._add(literal(args[0]), args[1], args[2] if len(args) > 2 else None, node)
        elif isinstance(node.func, ast.Name) and name in self.helpers and args:
            self._add(self.helpers[name], args[0], None, node, helper=True)
        self.generic_visit(node)

    def _add(self, context, text_node, comment_node, call, helper=False) -> None:
        text = literal(text_node)
        if text is None:
            if isinstance(text_node, (ast.JoinedStr, ast.BinOp)):
                self.problems.append(f"{self.path.name}:{call.lineno}: the text given to "
                                     "tr() must be a plain literal (no f-string or +)")
            return
        comment = literal(comment_node) or ""
        self.found.append(Message(context, text, comment, self.path, call.lineno, helper))


def find_messages(paths: list[Path] | None = None) -> tuple[list[Message], list[str]]:
    """All translatable strings in ``paths`` (default: :func:`catalog_sources`), and any
    unreadable tr() calls."""
    messages: list[Message] = []
    problems: list[str] = []
    for path in paths or catalog_sources():
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        finder = _Finder(path, module_helpers(tree))
        finder.visit(tree)
        messages += finder.found
        problems += finder.problems
    return messages, problems
