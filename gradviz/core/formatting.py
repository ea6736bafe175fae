"""Short text for values, shared by the layout (to reserve room) and the UI.

Pure Python on purpose: the UI imports it without loading torch.
"""

from __future__ import annotations

import math
from typing import Any

VALUE_PREFIX = "= "
GRAD_PREFIX = "grad "
MAX_INLINE = 24


def format_number(v: float | int | bool) -> str:
    """A number the way a teacher writes it: ``72``, ``0.1192``, ``-1.5e-05``, ``nan``."""
    if isinstance(v, bool):
        return str(v)
    if isinstance(v, int):
        return str(v)
    if math.isnan(v):
        return "nan"
    if math.isinf(v):
        return "inf" if v > 0 else "-inf"
    text = f"{v:.4g}"
    return "0" if text == "-0" else text


def shape_of(value: Any) -> list[int]:
    """The shape of a value (number → [], nested list → its dims, summary → its shape)."""
    if isinstance(value, dict):
        return list(value.get("shape", []))
    shape = []
    while isinstance(value, list):
        shape.append(len(value))
        value = value[0] if value else None
    return shape


def format_shape(shape: list[int]) -> str:
    """``[3, 4]`` → ``3×4``; ``[]`` → ``scalar``."""
    return "×".join(str(d) for d in shape) if shape else "scalar"


def _flatten(value: Any) -> list:
    if not isinstance(value, list):
        return [value]
    out = []
    for item in value:
        out.extend(_flatten(item))
    return out


def format_compact(value: Any, max_chars: int = MAX_INLINE) -> str:
    """One short line: ``64``, ``[1, 2, 3]``, ``[3×4] μ=0.12``; empty for None."""
    if value is None:
        return ""
    if isinstance(value, (int, float, bool)):
        return format_number(value)
    if isinstance(value, dict):
        mean = value.get("mean")
        stat = f" μ={format_number(mean)}" if mean is not None else ""
        return f"[{format_shape(shape_of(value))}]{stat}"
    shape = shape_of(value)
    if len(shape) == 1:
        text = "[" + ", ".join(format_number(v) for v in value) + "]"
        if len(text) <= max_chars:
            return text
    flat = [v for v in _flatten(value) if isinstance(v, (int, float))]
    if not flat:
        return f"[{format_shape(shape)}]"
    mean = sum(float(v) for v in flat) / len(flat)
    return f"[{format_shape(shape)}] μ={format_number(mean)}"


def format_full(value: Any) -> str:
    """Every number of a small value, or the summary's fields, over several lines."""
    if value is None:
        return "—"
    if isinstance(value, dict):
        keys = ("shape", "dtype", "min", "max", "mean", "norm", "head")
        parts = []
        for key in keys:
            if key in value:
                field = value[key]
                if key == "shape":
                    text = format_shape(field)
                elif key == "head":
                    text = ", ".join(format_number(v) for v in field) + ", …"
                elif isinstance(field, (int, float)):
                    text = format_number(field)
                else:
                    text = str(field)
                parts.append(f"{key}: {text}")
        return "\n".join(parts)
    if isinstance(value, list):
        return _format_nested(value)
    return format_number(value)


def _format_nested(value: Any, indent: int = 0) -> str:
    if value and isinstance(value[0], list):
        inner = [_format_nested(v, indent + 1) for v in value]
        return "[" + (",\n" + " " * (indent + 1)).join(inner) + "]"
    return "[" + ", ".join(format_number(v) for v in value) + "]"
