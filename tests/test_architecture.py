"""Standing rules (docs/architecture.md): core never imports Qt; the UI never runs autograd."""

import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1] / "gradviz"
QT = ("PySide6", "PyQt5", "PyQt6", "qtpy", "shiboken6")


def _imports(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


def test_core_sources_do_not_import_qt():
    offenders = {p.name: _imports(p) & set(QT) for p in (ROOT / "core").rglob("*.py")}
    assert {k: v for k, v in offenders.items() if v} == {}


def test_importing_all_of_core_loads_no_qt():
    modules = sorted(_module_name(p) for p in (ROOT / "core").rglob("*.py"))
    code = ("import sys, importlib\n"
            f"for m in {modules!r}: importlib.import_module(m)\n"
            f"print(sorted(m for m in sys.modules if m.split('.')[0] in {QT!r}))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"


def test_ui_never_imports_torch():
    offenders = {p.name for p in (ROOT / "ui").rglob("*.py") if "torch" in _imports(p)}
    assert offenders == set()


def test_snapshot_and_layout_modules_are_torch_free():
    """The GUI reads and lays out Snapshots without loading torch (it starts faster)."""
    code = ("import sys\n"
            "import gradviz.core.snapshot, gradviz.core.layout.snapshot_layout\n"
            "import gradviz.core.graph.formatting\n"
            "import gradviz.core.lens.diagnostics, gradviz.core.lens.gradient_flow\n"
            "import gradviz.core.lens.saved_memory_report\n"
            "print('torch' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=120)
    assert done.stdout.strip() == "False", done.stderr


def test_torch_free_function_names_match_the_evaluator():
    from gradviz.core.expr.expression import FUNCTION_NAMES
    from gradviz.core.expr.function_names import FUNCTION_NAMES as LISTED

    assert tuple(LISTED) == tuple(FUNCTION_NAMES)


def _module_name(path: Path) -> str:
    """``gradviz/ui/graph/scene.py`` → ``gradviz.ui.graph.scene``."""
    parts = list(path.relative_to(ROOT.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _resolved_imports(path: Path) -> set[str]:
    """Every gradviz module a file imports, relative imports resolved from its place."""
    package = _module_name(path).split(".")
    if path.stem != "__init__":
        package = package[:-1]
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(a.name for a in node.names if a.name.startswith("gradviz"))
        elif isinstance(node, ast.ImportFrom) and node.level == 0:
            if node.module and node.module.startswith("gradviz"):
                names.update(f"{node.module}.{a.name}" for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = ".".join(package[: len(package) - node.level + 1] + [node.module or ""])
            names.update(f"{base.rstrip('.')}.{a.name}" for a in node.names)
    return names


def _gradviz_imports(path: Path, package: str = "") -> set[str]:
    """The gradviz rooms (``core``, ``ui``, ``cli``, ...) a module imports."""
    return {n.split(".")[1] for n in _resolved_imports(path) if n.count(".") >= 1}


def test_replay_is_qt_free_and_below_the_views():
    """gradviz/replay is read by the window and the exporters: it imports no Qt, ui, cli or api."""
    forbidden = set(QT) | {"ui", "cli", "api"}
    offenders = {p.name: _gradviz_imports(p, "replay") & forbidden
                 for p in (ROOT / "replay").rglob("*.py")}
    assert {k: v for k, v in offenders.items() if v} == {}
    code = ("import sys, importlib\n"
            "for m in ('state', 'rules', 'timeline'):\n"
            "    importlib.import_module('gradviz.replay.' + m)\n"
            f"print(sorted(m for m in sys.modules if m.split('.')[0] in {QT!r}"
            " or m.startswith(('gradviz.ui', 'gradviz.cli', 'gradviz.api'))))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"


def test_the_page_writer_is_qt_free():
    """gradviz/html writes the interactive page from plain data: importing it loads no Qt."""
    offenders = {p.name: _imports(p) & set(QT) for p in (ROOT / "html").rglob("*.py")}
    assert {k: v for k, v in offenders.items() if v} == {}
    modules = sorted(f"gradviz.html.{p.stem}" for p in (ROOT / "html").glob("*.py"))
    code = ("import sys, importlib\n"
            f"for m in {modules!r}: importlib.import_module(m)\n"
            f"print(sorted(m for m in sys.modules if m.split('.')[0] in {QT!r}"
            " or m.startswith('gradviz.ui')))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"


def test_nothing_below_the_entry_points_imports_them():
    """core, replay, html and ui never import the command line (cli.py, its parsers, checks
    and request builder) or the Python API: those are entry points above them
    (docs/architecture.md, "The rooms"); the window gets an AppConfig, not argv."""
    entry_points = {"cli", "cli_args", "cli_checks", "cli_request", "cli_summary", "api"}
    offenders = {}
    for package in ("core", "replay", "html", "ui"):
        for path in (ROOT / package).rglob("*.py"):
            hits = _gradviz_imports(path, package) & entry_points
            if hits:
                offenders[f"{package}/{path.name}"] = hits
    assert offenders == {}



def test_rooms_are_small():
    """Issue 13: no package holds more than 15 modules (docs/architecture.md lists them)."""
    crowded = {str(d.relative_to(ROOT.parent)): n for d in [ROOT, *ROOT.rglob("*")]
               if d.is_dir() and (d / "__init__.py").exists()
               and (n := len([p for p in d.glob("*.py") if p.stem != "__init__"])) > 15}
    assert crowded == {}


def test_files_are_short():
    """Issue 13: no source file is over 300 lines (split by what the parts do)."""
    long_files = {str(p.relative_to(ROOT.parent)): n for p in ROOT.rglob("*.py")
                  if (n := len(p.read_text(encoding="utf-8").splitlines())) > 300}
    assert long_files == {}
