"""Qt's own messages, minus the one that is only noise for gradviz's users.

Qt's offscreen platform (screenshots, exports, headless runs) prints "This
plugin does not support propagateSizeHints()" whenever a window is shown: a
missing feature of the plugin, harmless, and nothing a user can act on. Every
other message goes where it went before.
"""

from __future__ import annotations

import sys

from PySide6.QtCore import QtMsgType, qInstallMessageHandler

NOISE = ("does not support propagateSizeHints()",)
_installed = False


def quiet_qt_noise() -> None:
    """Install the filter once (before the QApplication, so its first messages pass it)."""
    global _installed
    if _installed:
        return
    _installed = True
    previous = None

    def handler(mode: QtMsgType, context, message: str) -> None:
        if any(noise in message for noise in NOISE):
            return
        if previous is not None:
            previous(mode, context, message)
        else:
            print(message, file=sys.stderr)

    previous = qInstallMessageHandler(handler)
