"""Refresh the French catalog from the UI sources, then compile it.

    python tools/update_translations.py          # update gradviz_fr.ts, write gradviz_fr.qm
    python tools/update_translations.py --check  # exit 1 if the catalog is not complete

Runs ``pyside6-lupdate`` over ``gradviz/ui/*.py`` and ``gradviz/core/error_messages.py``
(core's error templates, context "Errors"; plus a generated file that
spells out the calls to module helpers like ``_tr("…")``, which lupdate cannot
follow) into ``resources/i18n/gradviz_fr.ts``: new strings appear as
"unfinished", strings gone from the code are dropped, existing translations are
kept. Translate the new ones (Qt Linguist: ``pyside6-linguist``, or any text
editor), then run the tool again: ``pyside6-lrelease`` writes the ``.qm`` that
the app loads.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from i18n_sources import (
    QM_FILE,
    TS_FILE,
    Message,
    catalog_sources,
    find_messages,
)


def qt_tool(name: str) -> str:
    """The path of ``pyside6-lupdate`` / ``pyside6-lrelease`` (beside this Python first)."""
    beside = Path(sys.executable).parent / name
    found = str(beside) if beside.exists() else shutil.which(name)
    if not found:
        raise SystemExit(f"{name} not found: install PySide6 (it ships the Qt tools)")
    return found


def write_helper_stub(messages: list[Message], folder: Path) -> Path:
    """A Python file with one ``QCoreApplication.translate(ctx, text)`` per helper call."""
    lines = ["from PySide6.QtCore import QCoreApplication", ""]
    for msg in messages:
        if msg.helper:
            context = json.dumps(msg.context, ensure_ascii=False)
            text = json.dumps(msg.source, ensure_ascii=False)
            lines.append(f"QCoreApplication.translate({context}, {text})")
    stub = folder / "helper_calls.py"
    stub.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return stub


def run_lupdate(ts_file: Path) -> None:
    """Update ``ts_file`` in place from the current UI sources."""
    messages, problems = find_messages()
    if problems:
        raise SystemExit("\n".join(problems))
    with tempfile.TemporaryDirectory() as tmp:
        stub = write_helper_stub(messages, Path(tmp))
        command = [qt_tool("pyside6-lupdate"), *map(str, catalog_sources()), str(stub),
                   "-ts", str(ts_file), "-source-language", "en", "-target-language", "fr",
                   "-locations", "none", "-no-obsolete", "-silent"]
        subprocess.run(command, check=True)


def run_lrelease(ts_file: Path, qm_file: Path) -> None:
    """Compile ``ts_file`` to ``qm_file``."""
    command = [qt_tool("pyside6-lrelease"), str(ts_file), "-qm", str(qm_file), "-silent"]
    subprocess.run(command, check=True)


def read_catalog(ts_file: Path) -> dict[tuple[str, str, str], tuple[str, str]]:
    """``(context, source, comment) → (translation, type)``; type ``""`` means finished."""
    entries = {}
    for context in ET.parse(ts_file).getroot().iter("context"):
        name = context.findtext("name") or ""
        for message in context.iter("message"):
            translation = message.find("translation")
            key = (name, message.findtext("source") or "", message.findtext("comment") or "")
            entries[key] = (translation.text or "", translation.get("type", ""))
    return entries


def unfinished(ts_file: Path) -> list[tuple[str, str, str]]:
    """Keys of the catalog's entries still waiting for a translation."""
    return [key for key, (text, kind) in read_catalog(ts_file).items() if kind or not text]


def check() -> list[str]:
    """Problems that stop the catalog from being complete and compiled (empty: all good)."""
    problems = []
    with tempfile.TemporaryDirectory() as tmp:
        fresh = Path(tmp) / TS_FILE.name
        shutil.copy(TS_FILE, fresh)
        run_lupdate(fresh)
        if read_catalog(fresh) != read_catalog(TS_FILE):
            problems.append(f"{TS_FILE.name} is out of date: run tools/update_translations.py")
        problems += [f"untranslated: [{c}] {s!r}" for c, s, _ in unfinished(fresh)]
        qm = Path(tmp) / QM_FILE.name
        run_lrelease(TS_FILE, qm)
        if not QM_FILE.exists() or qm.read_bytes() != QM_FILE.read_bytes():
            problems.append(f"{QM_FILE.name} is out of date: run tools/update_translations.py")
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true",
                        help="change nothing; exit 1 if the catalog is stale or incomplete")
    args = parser.parse_args(argv)
    if args.check:
        problems = check()
        print("\n".join(problems) or "The French catalog is complete and compiled.")
        return 1 if problems else 0
    run_lupdate(TS_FILE)
    run_lrelease(TS_FILE, QM_FILE)
    todo = unfinished(TS_FILE)
    total = len(read_catalog(TS_FILE))
    print(f"{TS_FILE.name}: {total} strings, {len(todo)} to translate")
    for context, source, _ in todo:
        print(f"  [{context}] {source}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
