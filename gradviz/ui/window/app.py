"""Start the desktop app: ``gradviz [EXPR | LESSON.gradviz.json] [--var ...] [--screenshot F]``.

The window shows first; the evaluation worker (which loads torch in its own
process) starts right after, so the window paints before torch loads anywhere.
With ``--screenshot`` the app builds the function, waits until it is built and
laid out, saves the whole window to a PNG and exits (0; 2 on bad input).
:func:`show_snapshot` opens a window on an already-built Snapshot (``gradviz.show``).
"""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import QEventLoop, QSize, Qt, QTimer
from PySide6.QtWidgets import QApplication

from ...core.errors import UsageError
from ...core.graph.formatting import format_number
from ...core.runtime.export_options import parse_step
from ...core.runtime.files import atomic_path
from ...core.runtime.request import AppConfig
from ..base.i18n import translate
from ..base.qt_messages import quiet_qt_noise
from ..base.settings import AppSettings
from .main_window import MainWindow

SCREENSHOT_SETTLE_MS = 150  # lets the view fit and repaint after the last change
START_ALLOWANCE_S = 120.0  # the worker's start-up (import torch) is not in --timeout


def application() -> QApplication:
    """The QApplication (created once)."""
    app = QApplication.instance()
    if app is None:
        quiet_qt_noise()
        app = QApplication([sys.argv[0] if sys.argv else "gradviz"])
        app.setApplicationName("gradviz")
        app.setApplicationDisplayName("gradviz")
        app.setOrganizationName("gradviz")
    return app


def parse_size(text: str | None) -> QSize | None:
    """``--size 1920x1080`` → QSize (UsageError when malformed or out of range)."""
    if text is None:
        return None
    width, sep, height = text.lower().partition("x")
    if not sep or not width.isdigit() or not height.isdigit():
        raise UsageError(f"--size must be WIDTHxHEIGHT in pixels, e.g. 1920x1080, not {text!r}")
    size = QSize(int(width), int(height))
    if not (320 <= size.width() <= 8192 and 240 <= size.height() <= 8192):
        raise UsageError("--size must be between 320x240 and 8192x8192")
    return size


def present(window: MainWindow, size: QSize | None, on: bool) -> None:
    """``--present`` and ``--size``: presentation mode (at ``size``), or a window of ``size``."""
    if on:
        window.presentation.enter(size)
    elif size is not None:
        window.resize(size)


def apply_step(window: MainWindow, step: int | str | None) -> None:
    """Move the replay to ``step`` (``"last"``: the end)."""
    if step == "last":
        window.player.last()
    elif step is not None:
        window.player.set_step(step)
    window.settle()


def install_language(app: QApplication, lang: str | None) -> str:
    """Install the UI's translations for ``lang`` (None: the system's); the language used.

    The single call site of :func:`gradviz.ui.base.i18n.install_translators`.
    """
    try:
        from ..base.i18n import install_translators
    except ImportError:  # pragma: no cover - before the catalog work lands
        return lang or "en"
    return install_translators(app, lang)


def run(config: AppConfig, worker=None) -> int:
    """Open the window (or take a screenshot); the process's exit code.

    ``worker``: an evaluation worker the caller started ahead (and closes).
    """
    step = parse_step(config.step)
    size = parse_size(config.size)
    app = application()
    settings = AppSettings()
    if config.reset_settings:
        settings.clear()
    language = install_language(app, config.language or settings.language())
    window = MainWindow(config, worker=worker, settings=settings, language=language)
    if config.screenshot:
        return screenshot(window, Path(config.screenshot), "last" if step is None else step,
                          size=size, presentation=config.present)
    if step is not None:  # the first build only: later builds start at step 0
        window.built.connect(lambda _snapshot: apply_step(window, step),
                             Qt.ConnectionType.SingleShotConnection)
    window.show()
    present(window, size, config.present)
    try:
        return app.exec()
    finally:
        window.runner.shutdown()


def wait_built(window: MainWindow, timeout_s: float) -> str | None:
    """Show ``window`` and wait for its first build; None when built, else the error."""
    outcome: dict[str, str | None] = {}
    loop = QEventLoop()

    def done(error: str | None) -> None:
        outcome.setdefault("error", error)
        loop.quit()

    window.built.connect(lambda _snapshot: done(None))
    window.build_failed.connect(done)
    QTimer.singleShot(int(timeout_s * 1000), lambda: done(
        translate("app", "the function was not built within {0} s").format(
            format_number(float(timeout_s)))))
    window.show()
    loop.exec()
    return outcome["error"]


def settle(ms: int = SCREENSHOT_SETTLE_MS) -> None:
    """Process events for ``ms`` milliseconds (layouts, fits and repaints happen)."""
    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    loop.exec()


def screenshot(window: MainWindow, path: Path, step: int | str = "last", *,
               size: QSize | None = None, presentation: bool = False) -> int:
    """Build, lay out, grab the whole window to ``path`` (PNG); 0, or 2 with a message.

    ``size``: the window's size; ``presentation``: in presentation mode."""
    try:
        fn = window.lessons.function
        if fn is not None and fn.code is not None:  # never run for a screenshot: show the code
            window.show()
            settle()
            save_png(window.grab(), path)
            return 0
        error = wait_built(window, window.config.request.timeout + START_ALLOWANCE_S)
        if error is not None:
            print(f"gradviz: error: {error}", file=sys.stderr)
            return 2
        present(window, size, presentation)
        settle()
        apply_step(window, step)
        settle()
        save_png(window.grab(), path)
        return 0
    finally:
        window.close()


def save_png(pixmap, path: Path) -> None:
    """Write ``pixmap`` so that ``path`` appears only complete (UsageError if it cannot)."""
    path = path.expanduser()
    if not path.parent.is_dir():
        raise UsageError(f"cannot write {str(path)!r}: no such folder")
    with atomic_path(path) as tmp:
        if not pixmap.save(str(tmp), "PNG"):
            raise UsageError(f"cannot write {str(path)!r}")


def show_snapshot(snapshot, theme: str | None = None) -> None:
    """Open a window on an already-built Snapshot and block until it is closed (plt.show()).

    No worker and no build: the window replays ``snapshot`` as it is. With a
    QApplication already running (Jupyter's Qt loop, an app embedding gradviz)
    a local event loop waits for the window instead of ``app.exec()``.
    """
    existing = QApplication.instance() is not None
    app = application()
    settings = AppSettings()
    language = install_language(app, settings.language())
    window = MainWindow(AppConfig(theme=theme), settings=settings, language=language,
                        snapshot=snapshot)
    loop = QEventLoop()
    window.closed.connect(loop.quit)
    window.show()
    try:
        if existing:
            loop.exec()
        else:
            app.exec()
    finally:
        window.runner.shutdown()
        window.deleteLater()
