"""Narrower ways to write a long edge label (the placer tries them where the label
fits nowhere on one line): a matrix row by row, lists broken after their commas."""

from __future__ import annotations

import re

FOLD_CHARS = (24, 12)  # line widths a long label is folded to, in characters


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
