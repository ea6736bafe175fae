"""``gradviz doctor``: what gradviz finds on this machine."""

from __future__ import annotations

import os
import platform
import sys
from importlib import metadata

from . import __version__
from .core.layout import engines
from .core.runtime import reaper


def _version(dist: str) -> str:
    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:
        return "not installed"


def report(requested_engine: str | None = None) -> str:
    """A plain-text report: versions, layout engines found (which one a build would try
    first: ``requested_engine``, else $GRADVIZ_LAYOUT_ENGINE, else the default), display."""
    lines = [
        f"gradviz        {__version__}",
        f"python         {platform.python_version()} ({sys.executable})",
        f"torch          {_version('torch')}",
        f"torchviz       {_version('torchviz')}",
        f"PySide6        {_version('PySide6-Essentials')}",
        "layout engines:",
    ]
    preferred = engines.preferred_engines(requested_engine)[0]
    for name in engines.ENGINES:
        path = engines.engine_path(name)
        version = engines.engine_version(name) if path else None
        mark = " (used first)" if name == preferred else ""
        lines.append(
            f"  {name:<13}{mark}: {path or 'not found'}" + (f"  [{version}]" if version else "")
        )
    lines.append(f"job processes  {reaper.mechanism()}")
    display = os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")
    qpa = os.environ.get("QT_QPA_PLATFORM")
    lines.append(
        f"display        {display or 'none'}" + (f" (QT_QPA_PLATFORM={qpa})" if qpa else "")
    )
    if not display and qpa != "offscreen":
        lines.append("               no display: the window cannot open; `gradviz export` works")
    return "\n".join(lines)
