"""Pause the cyclic garbage collector while many objects are made at once.

With torch and Qt loaded a full collection costs ~100 ms; building tens of
thousands of small objects (a graph model, parsed JSON, scene items) would
trigger several. Nothing made in these sections forms cycles worth
collecting right away.
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator


@contextlib.contextmanager
def paused_gc() -> Iterator[None]:
    """``with paused_gc():`` no automatic collection inside; restored after (nests safely)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
