"""Turn a structured explanation (see :mod:`gradviz.core.explain.steps`) into one line of text.

Pure Python (no torch) so the UI can import it. The text is math, op names and
the user's own names: each input reads as the user's variable, a number or
the sub-expression that computed it (``sin(x·y)``), never a placeholder, e.g.
``PowBackward0 (x³): grad_in = grad_out · 3·x² = 5 · 3·2² = 60``. The few
words (:data:`WORDS`) are English unless the caller passes translations.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from ..graph.formatting import format_compact, format_number
from .precedence import wrap

_PLACEHOLDER = re.compile(r"(\^)?\{([^{}]+)\}")
_SUPERSCRIPT = str.maketrans("0123456789-", "⁰¹²³⁴⁵⁶⁷⁸⁹⁻")
_NAME = re.compile(r"[A-Za-z0-9_.]+")
_DOUBLE_T = re.compile(r"\(([A-Za-z0-9_.]+)ᵀ\)ᵀ")

#: The words an explanation may contain, by key (``{#key}`` in a template).
WORDS: dict[str, str] = {
    "placed_at": "placed at",
    "added_at": "added at",
    "elsewhere": "0 elsewhere",
    "written_zero": "0 where the in-place write overwrote it",
    "at_written": "at the overwritten elements",
    "own_backward": "your own backward",
}


def add_values(a: Any, b: Any) -> Any:
    """Elementwise sum of two values (numbers or nested lists; None if unknown)."""
    if a is None or b is None or isinstance(a, dict) or isinstance(b, dict):
        return None
    if isinstance(a, list) and isinstance(b, list):
        if len(a) != len(b):
            return None
        return [add_values(x, y) for x, y in zip(a, b)]
    if isinstance(a, list):
        return [add_values(x, b) for x in a]
    if isinstance(b, list):
        return [add_values(a, y) for y in b]
    return a + b


def placeholders(template: str) -> list[str]:
    """The operand names a template refers to, in order (words excluded)."""
    return [m.group(2) for m in _PLACEHOLDER.finditer(template) if not m.group(2).startswith("#")]


def format_value(value: Any, bare: bool = False) -> str:
    """A value as it appears in a formula: negative numbers in parentheses unless ``bare``."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        text = format_number(_integer(value))
        return f"({text})" if text.startswith("-") and not bare else text
    if isinstance(value, str):
        return value
    return format_compact(value)


def _power(text: str) -> str:
    """An exponent: superscript digits for integers, else ``^(…)``."""
    if text == "1":
        return ""
    if re.fullmatch(r"-?\d+", text):
        return text.translate(_SUPERSCRIPT)
    return "^" + (text if re.fullmatch(r"[\w.]+", text) else f"({text})")


def _integer(value: Any) -> Any:
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return int(value)
    return value


def _fill(template: str, text_of, words: Mapping[str, str]) -> str:
    """Substitute every ``{name}`` with ``text_of(name)``, parenthesised where precedence needs
    it (``^{name}``: as an exponent), and every ``{#word}`` with its words."""

    def sub(match: re.Match) -> str:
        power, name = match.group(1), match.group(2)
        if name.startswith("#"):
            return words.get(name[1:], WORDS.get(name[1:], ""))
        text = text_of(name)
        if power:
            return _power(text)
        return wrap(text, template[:match.start()], template[match.end():])

    text = _PLACEHOLDER.sub(sub, template)
    return _DOUBLE_T.sub(r"\1", text).replace("ᵀᵀ", "")  # (Wᵀ)ᵀ is W


def _inline(value: Any) -> bool:
    """True for values short enough to write inside a formula (numbers, short vectors)."""
    if isinstance(value, list):
        text = format_compact(value)
        return "μ" not in text and len(text) < 40 and "\n" not in text
    return not isinstance(value, dict)


def _superscripts(text: str) -> str:
    """Literal integer powers in a template (``b^2``) as superscripts (``b²``)."""
    return re.sub(r"\^(\d+)(?![\d.])", lambda m: m.group(1).translate(_SUPERSCRIPT), text)


def _is_number(op: Mapping[str, Any]) -> bool:
    v = op.get("value")
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def _symbolic(labels: Mapping[str, str], values: Mapping[str, Mapping[str, Any]]):
    """How a placeholder reads in a formula: its label, else its value; never the rule's
    placeholder name while the rule supplied an operand for it."""

    def text_of(name: str) -> str:
        if name == "grad_out":
            return name
        if name in labels:
            return labels[name]
        op = values.get(name)
        if op is not None:  # a tensor the user did not name: its value (or its summary)
            return format_value(op["value"], bare=True)
        return name

    return text_of


def render_forward(template: str, labels: Mapping[str, str],
                   operands: Sequence[Mapping[str, Any]] = (),
                   words: Mapping[str, str] | None = None) -> str:
    """The forward expression with each input's label (or number, or placeholder name)."""
    values = {o["name"]: o for o in operands}
    return _superscripts(_fill(template, _symbolic(labels, values), words or {}))


def _with_output(expl: Mapping[str, Any], words: Mapping[str, str]) -> dict[str, str]:
    """The explanation's labels, with ``out`` read as the op's own forward expression."""
    labels = dict(expl.get("labels") or {})
    if expl.get("forward"):
        labels.setdefault("out", render_forward(expl["forward"], labels, expl["operands"], words))
    return labels


def render_result(expl: Mapping[str, Any], result: Mapping[str, Any], lhs: str,
                  words: Mapping[str, str] | None = None) -> str:
    """``lhs = symbolic = numeric = value`` for one gradient the node sent."""
    words = words or {}
    labels = _with_output(expl, words)
    values = {o["name"]: o for o in expl.get("operands", [])}
    formula = result.get("formula")
    parts = [lhs]
    if formula:
        def numeric(name: str) -> str:
            op = values.get(name)
            return format_value(op["value"], bare=True) if op is not None else labels.get(
                name, name)

        parts.append(_fill(formula, _symbolic(labels, values), words))
        names = placeholders(formula)
        # Σ[grad_out] alone: its numbers are the edge's own value, and Σ[[[1, 1]]] misreads
        lone_sum = formula.startswith("Σ[") and len(names) == 1
        if not lone_sum and all(_inline(values[n]["value"]) for n in names if n in values):
            parts.append(_fill(formula, numeric, words))
    parts.append(format_value(result.get("value"), bare=True))
    parts = [_superscripts(p) for p in parts]
    kept = [p for i, p in enumerate(parts) if i == 0 or p != parts[i - 1]]
    return " = ".join(kept)


def gradient_name(label: str | None) -> str:
    """``grad_x`` for a name, ``grad_(x·y)`` for a sub-expression."""
    if not label:
        return "grad_in"
    return f"grad_{label}" if _NAME.fullmatch(label) else f"grad_({label})"


def render_explanation(expl: Mapping[str, Any] | None,
                       words: Mapping[str, str] | None = None) -> str:
    """One line: ``Op (forward): grad_in = formula = numbers = result``.

    ``words`` translates :data:`WORDS` (the UI passes its language's).
    """
    if not expl:
        return ""
    words = words or {}
    if expl.get("rule") == "accumulate":
        return render_accumulation(expl)
    head = expl.get("op", "")
    if expl.get("forward"):
        head += f" ({_with_output(expl, words)['out']})"
    if expl.get("rule") == "custom":
        head += ", " + words.get("own_backward", WORDS["own_backward"])
    results = expl.get("results", [])
    if expl.get("rule") == "generic":
        grad = expl["operands"][0]["value"] if expl.get("operands") else None
        sent = ", ".join(format_compact(r.get("value")) or "—" for r in results)
        return f"{head}: grad_out = {format_compact(grad) or '—'} → grad_in = {sent or '—'}"
    labels = expl.get("labels") or {}
    many = len(results) > 1
    lines = [
        render_result(expl, r, gradient_name(labels.get(r["wrt"])) if many else "grad_in", words)
        for r in results
    ]
    return f"{head}: " + "; ".join(lines)


def render_accumulation(expl: Mapping[str, Any]) -> str:
    """``AccumulateGrad: x.grad = 4 + 8 + 60 = 72 (None → 4 → 12 → 72)``.

    ``.grad`` is None until its first contribution; a second backward adds to it.
    """
    name = expl.get("variable") or "?"
    running = expl.get("running") or []
    before = running[0] if running else None
    terms = [format_value(c["value"]) for c in expl.get("contributions", [])]
    if before is not None:
        terms.insert(0, format_value(before))
    total = format_value(expl.get("grad_after"), bare=True)
    line = f"{expl.get('op', 'AccumulateGrad')}: {name}.grad = "
    line += (" + ".join(terms) + " = " + total) if len(terms) > 1 else total
    # Summarised tensors cannot be added up here: show PyTorch's total only.
    if running and all(v is not None and _inline(v) for v in running[1:]):
        line += " (" + " → ".join("None" if v is None else format_compact(v)
                                  for v in running) + ")"
    return line
