"""Work-arounds for defects of the Qt binding, applied once when ``gradviz.ui`` loads.

PySide6 6.12.0 on Python < 3.12 returns ``None`` from void C++ methods without
taking a reference to it, so every ``rect.setX(...)``, ``painter.drawRect(...)``
drops ``None``'s reference count by one; after a few thousand calls Python
aborts with "deallocating None". Python 3.12 made ``None`` immortal, which is
why the defect hides there. When the leak is detected, ``None`` is given the
same treatment by hand: a reference count too large to ever reach zero.
The real fix is a binding without the defect (6.11.x, or a later 6.12).
"""

from __future__ import annotations

import ctypes
import sys

from PySide6.QtCore import QRectF

_PINNED = 1 << 40


def none_refcount_leaks() -> bool:
    """True when void binding calls drop a reference to ``None`` (the 6.12.0 defect)."""
    rect = QRectF()
    before = sys.getrefcount(None)
    for _ in range(16):
        rect.setX(0.0)
    return sys.getrefcount(None) < before - 8


def pin_none() -> bool:
    """Make ``None`` effectively immortal if the binding leaks it; True if applied."""
    if sys.version_info >= (3, 12) or not none_refcount_leaks():
        return False
    if sys.getrefcount(None) < _PINNED // 2:
        ctypes.c_ssize_t.from_address(id(None)).value += _PINNED
    return True


NONE_PINNED = pin_none()
