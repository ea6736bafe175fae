"""The user's settings (QSettings, organization and application "gradviz").

Theme, language, replay speed, last folder, recent lessons, window geometry
and dock layout. Every value is checked when read: a wrong type or an unknown
choice reads as the default. A settings file that cannot be read or is not a
settings file at all (binary garbage, a format error) is set aside as
``<file>.corrupt`` and the defaults are used; :attr:`AppSettings.notice` then
says so, for the window's status bar. Nothing here ever raises.
"""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings

from .i18n import translate

ORGANIZATION = APPLICATION = "gradviz"
LANGUAGES = ("en", "fr")
RECENT_MAX = 8
SPEED_RANGE = (0.25, 4.0)
KEYS = ("theme", "language", "speed", "last_dir", "recent_files", "geometry", "window_state")


def open_qsettings() -> QSettings:
    """gradviz's QSettings in the default format (tests point it at a temp folder)."""
    return QSettings(QSettings.defaultFormat(), QSettings.Scope.UserScope,
                     ORGANIZATION, APPLICATION)


def _file_is_damaged(settings: QSettings) -> bool:
    """True if Qt reported an error or the file is not text (Qt reads garbage as empty)."""
    if settings.status() != QSettings.Status.NoError:
        return True
    path = Path(settings.fileName())
    if settings.format() == QSettings.Format.NativeFormat and os.name != "posix":
        return False  # the registry or a plist: Qt's status is all there is
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return False
    except OSError:
        return True
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return True
    return b"\0" in data


class AppSettings:
    """Checked access to gradviz's settings; ``notice`` is set when they had to be reset."""

    def __init__(self, settings: QSettings | None = None) -> None:
        self.qsettings = settings if settings is not None else open_qsettings()
        self.notice: str | None = None
        try:
            damaged = _file_is_damaged(self.qsettings)
        except Exception:
            damaged = True
        if damaged:
            self._set_aside()
            self.notice = translate("AppSettings", "The settings file could not be read; "
                                    "gradviz started with the default settings.")

    def _set_aside(self) -> None:
        """Move the damaged file to ``<file>.corrupt`` and start from an empty one."""
        name = self.qsettings.fileName()
        try:
            if Path(name).is_file():
                os.replace(name, name + ".corrupt")
        except OSError:
            pass
        fresh = QSettings(name, self.qsettings.format())
        fresh.clear()
        self.qsettings = fresh

    def clear(self) -> None:
        """Forget every setting (``--reset-settings``)."""
        self.qsettings.clear()
        self.sync()

    def sync(self) -> None:
        """Write pending changes (errors are ignored: settings are a convenience)."""
        self.qsettings.sync()

    # -- typed values ----------------------------------------------------------------------
    def _get(self, key: str):
        try:
            return self.qsettings.value(key)
        except Exception:
            return None

    def _set(self, key: str, value) -> None:
        if value is None:
            self.qsettings.remove(key)
        else:
            self.qsettings.setValue(key, value)

    def theme(self, names: list[str]) -> str | None:
        """The theme last chosen, if it is one of ``names``."""
        value = self._get("theme")
        return value if isinstance(value, str) and value in names else None

    def set_theme(self, name: str) -> None:
        """Remember the chosen theme."""
        self._set("theme", name)

    def language(self) -> str | None:
        """The chosen UI language (None: follow the system)."""
        value = self._get("language")
        return value if value in LANGUAGES else None

    def set_language(self, language: str | None) -> None:
        """Remember the UI language (None: follow the system)."""
        self._set("language", language)

    def speed(self) -> float:
        """The replay speed (1.0 by default)."""
        try:
            speed = float(self._get("speed"))
        except (TypeError, ValueError):
            return 1.0
        low, high = SPEED_RANGE
        return speed if low <= speed <= high else 1.0

    def set_speed(self, speed: float) -> None:
        """Remember the replay speed."""
        self._set("speed", float(speed))

    def last_dir(self) -> str:
        """The folder of the last opened or saved lesson ("" if none or gone)."""
        value = self._get("last_dir")
        return value if isinstance(value, str) and os.path.isdir(value) else ""

    def set_last_dir(self, folder: str) -> None:
        """Remember the folder of a lesson just opened or saved."""
        self._set("last_dir", folder)

    def recent_files(self) -> list[str]:
        """Recently opened lessons, newest first (missing files left out)."""
        value = self._get("recent_files")
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list):
            return []
        return [p for p in value if isinstance(p, str) and os.path.isfile(p)][:RECENT_MAX]

    def add_recent_file(self, path: str) -> None:
        """Put ``path`` first in the recent files."""
        path = os.path.abspath(path)
        files = [path] + [p for p in self.recent_files() if p != path]
        self._set("recent_files", files[:RECENT_MAX])

    def geometry(self, key: str = "geometry") -> QByteArray | None:
        """Saved window geometry (``key="window_state"``: the docks), if any."""
        value = self._get(key)
        return value if isinstance(value, QByteArray) and not value.isEmpty() else None

    def set_geometry(self, geometry: QByteArray, state: QByteArray) -> None:
        """Remember the window's geometry and its docks."""
        self._set("geometry", geometry)
        self._set("window_state", state)
