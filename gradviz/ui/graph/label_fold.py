"""An edge label's geometry: narrower ways to write a long one (the placer tries them
where it fits nowhere on one line: a matrix row by row, lists broken after their
commas), the candidate rectangles beside its edge, best first, and the boxes and grid
cells the placer tests them with."""

from __future__ import annotations

import math
import re

from PySide6.QtCore import QRectF
from PySide6.QtGui import QPainterPath

FOLD_CHARS = (24, 12)  # line widths a long label is folded to, in characters
CELL = 40.0  # grid cell of the obstacle index, points
ALONG = tuple(0.5 + sign * k / 24 for k in range(11) for sign in ((1,) if k == 0 else (-1, 1)))
AWAY = (0.0, 6.0, 14.0, 24.0, 36.0)  # extra distance from the line, points: nearest first
FAR_REACH = 120.0  # last resort: free spots searched this far around the middle, points…
FAR_STEP = 10.0  # …on a grid this fine
GAP = 2.0  # points between a label and the line it belongs to


def label_foldings(text: str) -> list[str]:
    """Narrower ways to write a label, widest first: a matrix row by row, then lists
    broken after their commas (never inside a number), then at its first space."""
    out = []
    rows = re.sub(r"\]([,;]) \[", "]\\1\n[", text)  # "], [" (English), "]; [" (French)
    if rows != text:
        out.append(rows)
    for chars in FOLD_CHARS:
        lines = []
        for line in (out[0] if out else text).split("\n"):
            lines.extend(_wrap(line, chars))
        out.append("\n".join(lines))
    if " = " in text:  # a chain: "1 × 1.649" over "= 1.649"
        out.append(text.replace(" = ", "\n= "))
    if " " in text:
        out.append(text.replace(" ", "\n", 1))
    unique = []
    for folded in out:
        if folded != text and folded not in unique:
            unique.append(folded)
    return unique


def _wrap(line: str, chars: int) -> list[str]:
    """``line`` broken after ``, `` (or ``; ``) so that each piece has at most ``chars`` characters
    (where the pieces allow)."""
    lines, current = [], ""
    for piece in re.split(r"(?<=[,;]) ", line):
        if current and len(current) + 1 + len(piece) > chars:
            lines.append(current)
            current = piece
        else:
            current = f"{current} {piece}" if current else piece
    lines.append(current)
    return lines


def near_candidates(path: QPainterPath, width: float, height: float):
    """Label rectangles beside ``path``, best first: at each point along it, touching the
    line from either side of it (square to its direction), then right, left, above, below
    (then, as a last resort, :func:`far_candidates`)."""
    for away in AWAY:
        for t in ALONG:
            p = path.pointAtPercent(t)
            angle = math.radians(path.angleAtPercent(t))
            nx, ny = math.sin(angle), math.cos(angle)  # square to the direction (y down)
            reach = GAP + 1 + away + abs(nx) * width / 2 + abs(ny) * height / 2
            for side in (1, -1):
                cx, cy = p.x() + side * nx * reach, p.y() + side * ny * reach
                yield QRectF(cx - width / 2, cy - height / 2, width, height)
            x, y, gap = p.x(), p.y(), GAP + 1 + away
            yield QRectF(x + gap, y - height / 2, width, height)
            yield QRectF(x - gap - width, y - height / 2, width, height)
            yield QRectF(x - width / 2, y - gap - height, width, height)
            yield QRectF(x - width / 2, y + gap, width, height)


def far_candidates(path: QPainterPath, width: float, height: float):
    """Last resort: the rectangles on a grid around the middle, nearest first."""
    mid = path.pointAtPercent(0.5)
    for dx, dy in _FAR:
        cx, cy = mid.x() + dx * (1 + width / 200), mid.y() + dy
        yield QRectF(cx - width / 2, cy - height / 2, width, height)


def _far_offsets(reach: float = FAR_REACH, step: float = FAR_STEP) -> list[tuple[float, float]]:
    """Grid offsets around a point, nearest first (a wide label's reach grows sideways)."""
    count = int(reach // step)
    offsets = [(i * step, j * step) for i in range(-count, count + 1)
               for j in range(-count, count + 1) if i or j]
    return sorted(offsets, key=lambda o: (o[0] ** 2 + o[1] ** 2, o))


_FAR = _far_offsets()


def cells_of(left: float, top: float, right: float, bottom: float):
    """The obstacle grid's cells a box overlaps."""
    return ((cx, cy) for cx in range(int(left // CELL), int(right // CELL) + 1)
            for cy in range(int(top // CELL), int(bottom // CELL) + 1))


def cells_by_grid(rects) -> dict[tuple[int, int], list[tuple]]:
    """``(n, box)`` of the n-th rectangle in each grid cell it overlaps."""
    grid: dict[tuple[int, int], list[tuple]] = {}
    for n, rect in enumerate(rects):
        box = box_of(rect)
        for cell in cells_of(*box):
            grid.setdefault(cell, []).append((n, box))
    return grid


def box_of(rect: QRectF) -> tuple[float, float, float, float]:
    """``(left, top, right, bottom)`` of a rectangle of positive size."""
    x, y, w, h = rect.getRect()
    return x, y, x + w, y + h


def border_sides(rect: QRectF, width: float = 1.5) -> list[QRectF]:
    """A box's border as four thin rectangles."""
    x, y, w, h = rect.x(), rect.y(), rect.width(), rect.height()
    return [QRectF(x - width, y - width, w + 2 * width, 2 * width),
            QRectF(x - width, y + h - width, w + 2 * width, 2 * width),
            QRectF(x - width, y - width, 2 * width, h + 2 * width),
            QRectF(x + w - width, y - width, 2 * width, h + 2 * width)]
