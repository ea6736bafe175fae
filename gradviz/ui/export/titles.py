"""How a function is named on screen and on slides: as mathematics, never as a file path.

``5*x**3 + 2*x**2 + 4*x + 8`` → ``y = 5x³ + 2x² + 4x + 8``; a script is named by
its file's name (``mlp.py``), a lesson's code by its title, a model given to the
Python API by what the API called it (``Sequential``).
"""

from __future__ import annotations

import ast
import ntpath
import posixpath

from ...core.expr.math_text import math_equation
from ...core.snapshot import Snapshot


def function_title(snapshot: Snapshot | None, output_name: str = "y") -> str:
    """The function of ``snapshot`` for a title or a caption (``""`` for None)."""
    if snapshot is None:
        return ""
    inputs = snapshot.meta.get("inputs") or {}
    source = snapshot.source or ""
    if "script" in inputs:
        return _file_name(inputs["script"] or source)
    if "code" in inputs:
        return str(inputs.get("name") or "").strip() or _file_name(source)
    if "expression" in inputs or _is_expression(source):
        return math_equation(inputs.get("expression", source), output_name)
    return _file_name(source)


def _is_expression(source: str) -> bool:
    try:
        ast.parse(source.strip(), mode="eval")
    except (SyntaxError, ValueError):
        return False
    return bool(source.strip())


def _file_name(text: str) -> str:
    """``/home/ann/course/mlp.py`` → ``mlp.py`` (any other text unchanged)."""
    if "/" in text or "\\" in text:
        return posixpath.basename(ntpath.basename(text)) or text
    return text
