"""Import torchviz safely on every Python gradviz supports.

torchviz 0.0.3 does ``from distutils.version import LooseVersion``; Python
3.12 removed ``distutils``. setuptools ships a ``distutils`` shim (a declared
dependency on 3.12+); if even that is missing, a minimal stand-in module with
``LooseVersion`` is installed before the import, so the import never depends
on luck.
"""

from __future__ import annotations

import importlib
import re
import sys
import types
import warnings
from functools import lru_cache
from typing import Any


class _LooseVersion:
    """Just enough of ``distutils.version.LooseVersion`` for torchviz's check."""

    def __init__(self, text: str) -> None:
        self.parts = [int(p) if p.isdigit() else p for p in re.findall(r"\d+|[a-z]+", str(text))]

    def _key(self) -> list:
        return [(0, p) if isinstance(p, int) else (1, p) for p in self.parts]

    def __lt__(self, other: _LooseVersion) -> bool:
        return self._key() < other._key()


def _install_distutils_shim() -> None:
    try:
        importlib.import_module("distutils.version")
        return
    except ImportError:
        pass
    distutils = types.ModuleType("distutils")
    version = types.ModuleType("distutils.version")
    version.LooseVersion = _LooseVersion  # type: ignore[attr-defined]
    distutils.version = version  # type: ignore[attr-defined]
    sys.modules.setdefault("distutils", distutils)
    sys.modules["distutils.version"] = version


@lru_cache(maxsize=1)
def torchviz_dot() -> types.ModuleType:
    """The ``torchviz.dot`` module, imported with the distutils guard."""
    _install_distutils_shim()
    return importlib.import_module("torchviz.dot")


def make_dot(*args: Any, **kwargs: Any) -> Any:
    """``torchviz.make_dot`` itself (for comparisons and benchmarks)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)  # its LooseVersion check
        return torchviz_dot().make_dot(*args, **kwargs)
