"""Shared test set-up: Qt runs offscreen; no display is ever needed."""

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from leak_guard import no_leaked_workers  # noqa: E402, F401  (autouse: no worker left running)
