"""The text of every number gradviz shows: one place, shared by the layout, the UI,
the explanations and the exports.

Small values (at most 16 elements, kept whole by :mod:`gradviz.core.graph.values`)
are always shown whole, matrices as rows; bigger ones as their shape, min,
max, norm and first elements, never as a bare mean.

The decimal separator follows the display language: ``format_number(0.5)``
is ``0.5`` in English and ``0,5`` in French. Lists then separate their
elements with ``"; "`` instead of ``", "`` (``[0,5; 1]``), which has the same
width, so a layout made in one language fits the text of the other. The
separator is a parameter of every function; left out, it is the one
:func:`set_decimal_separator` chose for this thread (``"."`` by default), so
code that formats without knowing the language (explanations) follows the UI.

Pure Python on purpose: the UI imports it without loading torch.
"""

from __future__ import annotations

import contextvars
import math
from typing import Any

VALUE_PREFIX = "= "
GRAD_PREFIX = "grad "
MAX_INLINE = 24  # kept for callers that pass it; whole values are no longer cut to it
BLOCK_WIDTH = 40  # a value wider than this on one line is shown over several lines
ELLIPSIS = "…"

_DECIMAL: contextvars.ContextVar[str] = contextvars.ContextVar("gradviz_decimal", default=".")


def decimal_for(language: str | None) -> str:
    """The decimal separator of a display language: ``","`` for French, else ``"."``."""
    return "," if (language or "").lower().startswith("fr") else "."


def set_decimal_separator(decimal: str) -> None:
    """Choose the separator used when a caller passes none (``"."`` or ``","``)."""
    if decimal not in (".", ","):
        raise ValueError(f"decimal separator must be '.' or ',', not {decimal!r}")
    _DECIMAL.set(decimal)


def decimal_separator() -> str:
    """The separator used when a caller passes none."""
    return _DECIMAL.get()


def _decimal(decimal: str | None) -> str:
    return decimal if decimal is not None else _DECIMAL.get()


def _sep(decimal: str) -> str:
    return "; " if decimal == "," else ", "


def format_number(v: float | int | bool, decimal: str | None = None) -> str:
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
    if text == "-0":
        return "0"
    return text.replace(".", ",") if _decimal(decimal) == "," else text


def format_fixed(v: float, digits: int, decimal: str | None = None) -> str:
    """A measurement with ``digits`` decimals: ``7.11`` (``7,11`` in French)."""
    text = f"{v:.{digits}f}"
    return text.replace(".", ",") if _decimal(decimal) == "," else text


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


def _element(v: Any, decimal: str) -> str:
    return format_number(v, decimal) if isinstance(v, (int, float)) else str(v)


def _nested(value: Any, decimal: str) -> str:
    """A nested list on one line: ``[[0, 1], [1, 0]]``."""
    if isinstance(value, list):
        return "[" + _sep(decimal).join(_nested(v, decimal) for v in value) + "]"
    return _element(value, decimal)


def _summary_stats(value: dict, decimal: str) -> str:
    """``4×5 min -1.2 max 3.4 norm 5.6`` (whatever the summary holds)."""
    parts = [format_shape(shape_of(value))]
    for key in ("min", "max", "norm"):
        field = value.get(key)
        if isinstance(field, (int, float)):
            parts.append(f"{key} {format_number(field, decimal)}")
    if len(parts) == 1 and value.get("dtype"):
        parts.append(str(value["dtype"]))
    return " ".join(parts)


def _summary_head(value: dict, decimal: str) -> str:
    head = value.get("head")
    if not head:
        return ""
    return "[" + _sep(decimal).join(_element(v, decimal) for v in head) + _sep(decimal) + \
        ELLIPSIS + "]"


def format_compact(value: Any, max_chars: int = MAX_INLINE, decimal: str | None = None) -> str:
    """One line: ``64``, ``[0.2312, 0.6285, -0.8597]``, ``[[0, 1], [1, 0]]``, or for a
    big tensor ``[64×3] min -1.2 max 3.4 norm 5.6 [0.1, …]``; empty for None.

    Whole values are never cut (``max_chars`` is kept for compatibility).
    """
    if value is None:
        return ""
    dec = _decimal(decimal)
    if isinstance(value, dict):
        head = _summary_head(value, dec)
        return f"[{_summary_stats(value, dec)}]" + (f" {head}" if head else "")
    return _nested(value, dec)


def format_block(value: Any, width: int = BLOCK_WIDTH, decimal: str | None = None) -> list[str]:
    """A value over as few lines of about ``width`` characters as it needs, all lines
    the same length (so centred lines stay aligned): a matrix one row per line with
    aligned columns, a long vector wrapped, a big tensor as stats then first elements.
    """
    if value is None:
        return []
    dec = _decimal(decimal)
    if isinstance(value, dict):
        lines = [f"[{_summary_stats(value, dec)}]", _summary_head(value, dec)]
        return _same_width([line for line in lines if line])
    one = _nested(value, dec)
    if len(one) <= width or not isinstance(value, list):
        return [one]
    if _is_matrix(value):
        return _same_width(_rows(value, dec))
    if value and isinstance(value[0], list):
        return [one]  # 3-D and more (at most 16 elements): one line, whole
    return _same_width(_wrapped([_element(v, dec) for v in value], width, dec))


def _rows(value: list, decimal: str) -> list[str]:
    """One line per row of a matrix, columns aligned: ``[[1, 0],`` / `` [0, 1]]``."""
    cells = [[_element(v, decimal) for v in row] for row in value]
    widths = [max(len(row[i]) for row in cells if i < len(row))
              for i in range(max(len(r) for r in cells))]
    sep = _sep(decimal)
    texts = ["[" + sep.join(c.rjust(widths[i]) for i, c in enumerate(row)) + "]"
             for row in cells]
    last = len(texts) - 1
    return [("[" if i == 0 else " ") + t + ("]" if i == last else sep.rstrip())
            for i, t in enumerate(texts)]


def _is_matrix(value: Any) -> bool:
    """A non-empty list of lists of numbers (a 2-D value)."""
    return bool(value) and all(
        isinstance(row, list) and row and not any(isinstance(v, list) for v in row)
        for row in value)


def _wrapped(items: list[str], width: int, decimal: str) -> list[str]:
    sep = _sep(decimal)
    lines, current = [], "["
    for i, item in enumerate(items):
        piece = item + ("]" if i == len(items) - 1 else sep.rstrip())
        if len(current) > 1 and len(current) + 1 + len(piece) > width:
            lines.append(current)
            current = " " + piece
        else:
            current += ("" if len(current) <= 1 else " ") + piece
    lines.append(current)
    return lines


def _same_width(lines: list[str]) -> list[str]:
    width = max((len(line) for line in lines), default=0)
    return [line.ljust(width) for line in lines]


def annotation_lines(prefix: str, value: Any, width: int = BLOCK_WIDTH,
                     decimal: str | None = None) -> list[str]:
    """``prefix`` + :func:`format_block` lines, continuations indented under the first."""
    block = format_block(value, width, decimal)
    if not block:
        return []
    pad = " " * len(prefix)
    return [prefix + block[0], *(pad + line for line in block[1:])]


def format_full(value: Any, decimal: str | None = None) -> str:
    """Every number of a small value, or the summary's fields, over several lines."""
    if value is None:
        return "—"
    dec = _decimal(decimal)
    if isinstance(value, dict):
        parts = []
        for key in ("shape", "dtype", "min", "max", "mean", "norm", "head"):
            if key not in value:
                continue
            field = value[key]
            if key == "shape":
                text = format_shape(field)
            elif key == "head":
                text = _sep(dec).join(_element(v, dec) for v in field) + _sep(dec) + ELLIPSIS
            elif isinstance(field, (int, float)):
                text = format_number(field, dec)
            else:
                text = str(field)
            parts.append(f"{key}: {text}")
        return "\n".join(parts)
    if isinstance(value, list):
        if _is_matrix(value):
            return "\n".join(_rows(value, dec))
        return _nested(value, dec)
    return format_number(value, dec)
