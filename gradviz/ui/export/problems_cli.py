"""``gradviz export … --check``: the diagnostics printed in the language asked for.

The sentences come from the same catalog as the window's Problems panel
(:mod:`gradviz.ui.panels.problems_text`), so only Qt's core module is loaded: no
window, no display.
"""

from __future__ import annotations

import sys
from typing import TextIO

from PySide6.QtCore import QCoreApplication

from ...core.lens.diagnostics import diagnose, problems
from ...core.snapshot import Snapshot
from ..base.i18n import install_translators
from ..panels.problems_text import check_report

#: Exit code of ``--check --strict`` when a problem (an error or a warning) is found.
STRICT_EXIT = 3


def print_check(snapshot: Snapshot, *, lang: str | None = None, strict: bool = False,
                out: TextIO | None = None) -> int:
    """Print every finding on ``snapshot``; the exit code (3 with ``strict`` and a problem)."""
    app = QCoreApplication.instance() or QCoreApplication([])
    install_translators(app, lang or "en")
    findings = diagnose(snapshot)
    print(check_report(findings), file=out or sys.stdout)
    return STRICT_EXIT if strict and problems(findings) else 0
