"""Which layout engines this machine has, for tests that need the system ``dot``.

The README's test command must pass with nothing but Python (no system
Graphviz): a test that needs ``dot`` skips with a reason when it is missing.
CI installs Graphviz and sets ``GRADVIZ_REQUIRE_DOT=1``, which turns that skip
into a failure, so both engines are still exercised there.
"""

from __future__ import annotations

import os

import pytest

from gradviz.core.layout import engines

REQUIRE_DOT = os.environ.get("GRADVIZ_REQUIRE_DOT") == "1"


def need_engine(name: str) -> str:
    """The engine's path; skip the test without it (fail under GRADVIZ_REQUIRE_DOT=1)."""
    path = engines.engine_path(name)
    if path is not None:
        return path
    reason = f"the layout engine {name!r} is not installed"
    if name == "dot" and not REQUIRE_DOT:
        pytest.skip(reason + " (apt-get install graphviz; CI sets GRADVIZ_REQUIRE_DOT=1)")
    pytest.fail(reason + (" and GRADVIZ_REQUIRE_DOT=1 requires it" if name == "dot" else
                          ": it installs with gradviz"))
