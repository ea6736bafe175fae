"""One loader for the bundled ``resources/`` folder (icons, themes, fonts).

From a source checkout the folder is ``<repo>/resources``; in an installed
wheel it is ``gradviz/resources`` (hatch force-includes it there).
"""

from __future__ import annotations

import functools
from importlib import resources as importlib_resources
from pathlib import Path

from PySide6.QtGui import QIcon


@functools.lru_cache(maxsize=1)
def resources_root() -> Path:
    """The folder that holds ``icons/``, ``themes/`` and ``fonts/``."""
    installed = Path(str(importlib_resources.files("gradviz") / "resources"))
    if installed.is_dir():
        return installed
    checkout = Path(__file__).resolve().parents[3] / "resources"
    if checkout.is_dir():
        return checkout
    raise FileNotFoundError("gradviz resources folder not found (broken installation?)")


def resource_path(*parts: str) -> Path:
    """The path of a bundled resource, e.g. ``resource_path("icons", "fit.svg")``."""
    path = resources_root().joinpath(*parts)
    if not path.exists():
        raise FileNotFoundError(f"gradviz resource not found: {'/'.join(parts)}")
    return path


def read_text(*parts: str) -> str:
    """A bundled text resource (UTF-8)."""
    return resource_path(*parts).read_text(encoding="utf-8")


def list_resources(folder: str, suffix: str = "") -> list[str]:
    """Names of the bundled files in ``folder`` ending with ``suffix``, sorted."""
    return sorted(p.name for p in resource_path(folder).iterdir() if p.name.endswith(suffix))


def icon(name: str) -> QIcon:
    """A bundled SVG icon by name (``"fit"`` or ``"fit.svg"``)."""
    file = name if name.endswith(".svg") else f"{name}.svg"
    return QIcon(str(resource_path("icons", file)))
