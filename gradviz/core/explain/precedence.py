"""Parentheses where precedence needs them, and only there.

A label (``x``, ``3·x``, ``x + 1``, ``-2``) is placed into a template between
two pieces of text; :func:`wrap` looks at what surrounds it and at the label's
loosest top-level operator: ``(3·x)²`` and ``2·(x + 1)`` but ``sin(x + 1)``
and ``x + 1`` on its own.
"""

from __future__ import annotations

ATOM, POWER, PRODUCT, NEGATIVE, SUM, COMPARISON = range(6)
_COMPARISONS = (" > ", " < ", " ≥ ", " ≤ ", " = ", " ≠ ", " >= ", " <= ", " == ", " != ")
_SUMS = (" + ", " - ", " − ")
_PRODUCTS = ("·", "⊙", "/", "⊗", " @ ")
_POSTFIX = "ᵀ⁰¹²³⁴⁵⁶⁷⁸⁹⁻^"
_PREFIX = ("Σ", "Π", "√")


def _top_level(text: str) -> str:
    """``text`` with everything inside brackets (and norm bars ``‖…‖``) blanked out."""
    depth, norm, out = 0, False, []
    for ch in text:
        if ch == "‖":
            norm = not norm
            out.append(" ")
        elif ch in "([{":
            depth += 1
            out.append(" ")
        elif ch in ")]}":
            depth -= 1
            out.append(" ")
        else:
            out.append(ch if depth == 0 and not norm else " ")
    return "".join(out)


def kind(text: str) -> int:
    """How loosely ``text`` binds: ATOM (a name, number, call) up to SUM."""
    top = _top_level(text)
    if any(op in top for op in _COMPARISONS):
        return COMPARISON
    if any(op in top for op in _SUMS):
        return SUM
    stripped = text.lstrip()
    if stripped[:1] in ("-", "−"):
        return NEGATIVE
    if any(op in top for op in _PRODUCTS) or stripped.startswith(_PREFIX):
        return PRODUCT
    if any(ch in top for ch in _POSTFIX):
        return POWER
    return ATOM


def wrap(text: str, before: str, after: str) -> str:
    """``text`` placed between ``before`` and ``after``, in parentheses if it needs them."""
    k = kind(text)
    left, right = before.rstrip(" "), after.lstrip(" ")
    if left.endswith(_PREFIX) and k == ATOM and len(text) > 1 and not text.isdigit():
        return f"({text})"  # Σ(softmax(v)), Σ(w1), but Σx
    if k == ATOM:
        return text
    prev, nxt = left[-1:] or "^", right[:1] or "$"  # never an empty string: "" in "ab"
    raw_prev, raw_next = before[-1:] or "^", after[:1] or "$"
    if raw_prev in "([,=^" and raw_next in ")],=$" or raw_prev == "_":
        return text  # alone, or the whole of a bracket or argument
    if nxt in _POSTFIX and nxt != "^" or right.startswith("^"):
        needs = k >= POWER  # the base of a power or transpose
    elif left.endswith(_PREFIX):
        needs = k >= PRODUCT  # Σ(a·w): a sum's argument
    elif prev == "/":
        needs = k >= PRODUCT  # a denominator
    elif prev in "-−" and left[-2:-1] != " ":
        needs = k >= PRODUCT  # -x: unary minus
    elif prev in "·⊙⊗" or nxt in "·⊙⊗/":
        needs = k >= NEGATIVE
    elif left.endswith(" -") or left.endswith(" −"):
        needs = k >= NEGATIVE  # a - (b + c), a - (-b)
    elif prev == "+" or nxt in "+-−":
        needs = k in (NEGATIVE, COMPARISON)  # a + (-b)
    else:
        needs = k >= NEGATIVE
    return f"({text})" if needs else text
