"""gradviz: see PyTorch autograd, the grad_fn graph and the backward pass step by step.

``import gradviz`` is cheap: torch and Qt load on first use of the API
(:func:`show`, :func:`export`, :func:`record`, :func:`snapshot`, in
:mod:`gradviz.api`).
"""

from __future__ import annotations

from typing import Any

__version__ = "0.1.0"
__all__ = ["InputError", "export", "record", "show", "snapshot", "__version__"]


def __getattr__(name: str) -> Any:
    if name == "InputError":  # bad input to the API: a ValueError with one clear message
        from .core.errors import InputError

        return InputError
    if name in ("export", "record", "show", "snapshot"):
        from . import api

        return getattr(api, name)
    raise AttributeError(f"module 'gradviz' has no attribute {name!r}")
