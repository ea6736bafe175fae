"""Turn a structured explanation (see :mod:`gradviz.core.explain`) into one line of text.

Pure Python (no torch) so the UI can import it. The text is math and op names
only, e.g. ``PowBackward0 (x³): grad_in = grad_out · 3·x² = 5 · 3·2² = 60``;
the UI translates the few words around it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from .formatting import format_compact, format_number

_PLACEHOLDER = re.compile(r"(\^)?\{([^{}]+)\}")
_SUPERSCRIPT = str.maketrans("0123456789-", "⁰¹²³⁴⁵⁶⁷⁸⁹⁻")
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_BINARY = (" + ", " − ", " - ")


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
    """The operand names a template refers to, in order."""
    return [m.group(2) for m in _PLACEHOLDER.finditer(template)]


def format_value(value: Any, bare: bool = False) -> str:
    """A value as it appears in a formula: negative numbers in parentheses unless ``bare``."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        text = format_number(value)
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


def _fill(template: str, text_of) -> str:
    """Substitute every ``{name}`` (``^{name}``: as an exponent) with ``text_of(name, bare)``.

    ``bare`` is True where the value stands alone (an exponent, inside brackets),
    so a compound expression needs no parentheses there.
    """

    def sub(match: re.Match) -> str:
        power, name = match.group(1), match.group(2)
        before = template[match.start() - 1] if match.start() else ""
        after = template[match.end()] if match.end() < len(template) else ""
        bare = bool(power) or (before in "([" and after in ")],")
        text = text_of(name, bare)
        return _power(text) if power else text

    return _PLACEHOLDER.sub(sub, template)


def _wrap(label: str, template: str) -> str:
    """Parenthesise a compound label placed inside a product, power or function."""
    if template.startswith("{") and template.count("{") == 2 and any(
            op in template for op in _BINARY):
        return label  # a sum of two terms needs no parentheses
    compound = any(op in label for op in _BINARY) or label.startswith("−")
    return f"({label})" if compound else label


def render_forward(template: str, labels: Mapping[str, str],
                   operands: Sequence[Mapping[str, Any]] = ()) -> str:
    """The forward expression with each input's label (or number, or placeholder name)."""
    values = {o["name"]: o for o in operands}

    def text_of(name: str, bare: bool) -> str:
        op = values.get(name)
        if name not in labels and op is not None and (op.get("const") or _is_number(op)):
            return format_value(_integer(op["value"]), bare)
        label = labels.get(name, name)
        return label if bare else _wrap(label, template)

    return _fill(template, text_of)


def _inline(value: Any) -> bool:
    """True for values short enough to write inside a formula (numbers, short vectors)."""
    if isinstance(value, list):
        return all(isinstance(v, (int, float)) for v in value) and len(
            format_compact(value)) < 24 and "μ" not in format_compact(value)
    return not isinstance(value, dict)


def _superscripts(text: str) -> str:
    """Literal integer powers in a template (``b^2``) as superscripts (``b²``)."""
    return re.sub(r"\^(\d+)(?![\d.])", lambda m: m.group(1).translate(_SUPERSCRIPT), text)


def _is_number(op: Mapping[str, Any]) -> bool:
    v = op.get("value")
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def _symbol(name: str, labels: Mapping[str, str]) -> str:
    label = labels.get(name)
    return label if label and _NAME.fullmatch(label) else name


def render_result(expl: Mapping[str, Any], result: Mapping[str, Any], lhs: str) -> str:
    """``lhs = symbolic = numeric = value`` for one gradient the node sent."""
    labels = expl.get("labels") or {}
    values = {o["name"]: o for o in expl.get("operands", [])}
    formula = result.get("formula")
    parts = [lhs]
    if formula:
        def symbolic(name: str, bare: bool) -> str:
            op = values.get(name)
            if op is not None and op.get("const"):
                return format_value(_integer(op["value"]), bare)
            return _symbol(name, labels)

        def numeric(name: str, bare: bool) -> str:
            op = values.get(name)
            return format_value(_integer(op["value"]), bare) if op is not None else name

        parts.append(_fill(formula, symbolic))
        if all(_inline(values[n]["value"]) for n in placeholders(formula) if n in values):
            parts.append(_fill(formula, numeric))
    parts.append(format_value(result.get("value"), bare=True))
    parts = [_superscripts(p) for p in parts]
    kept = [p for i, p in enumerate(parts) if i == 0 or p != parts[i - 1]]
    return " = ".join(kept)


def render_explanation(expl: Mapping[str, Any] | None) -> str:
    """One line: ``Op (forward): grad_in = formula = numbers = result``."""
    if not expl:
        return ""
    if expl.get("rule") == "accumulate":
        return render_accumulation(expl)
    head = expl.get("op", "")
    if expl.get("forward"):
        head += f" ({render_forward(expl['forward'], expl.get('labels') or {}, expl['operands'])})"
    results = expl.get("results", [])
    if expl.get("rule") == "generic":
        grad = expl["operands"][0]["value"] if expl.get("operands") else None
        sent = ", ".join(format_compact(r.get("value")) or "—" for r in results)
        return f"{head}: grad_out = {format_compact(grad) or '—'} → grad_in = {sent or '—'}"
    labels = expl.get("labels") or {}
    many = len(results) > 1
    lines = [
        render_result(expl, r, f"grad_{_symbol(r['wrt'], labels)}" if many else "grad_in")
        for r in results
    ]
    return f"{head}: " + "; ".join(lines)


def render_accumulation(expl: Mapping[str, Any]) -> str:
    """``AccumulateGrad: x.grad = 0 + 4 + 8 + 60 = 72 (0 → 4 → 12 → 72)``."""
    name = expl.get("variable") or "?"
    running = expl.get("running") or []
    start = format_value(running[0]) if running else "0"
    terms = [format_value(c["value"]) for c in expl.get("contributions", [])]
    total = format_value(expl.get("grad_after"))
    sums = " + ".join([start] + terms)
    line = f"{expl.get('op', 'AccumulateGrad')}: {name}.grad = {sums} = {total}"
    # Summarised tensors cannot be added up here: show PyTorch's total only.
    if running and all(v is not None and _inline(v) for v in running):
        line += " (" + " → ".join(format_compact(v) for v in running) + ")"
    return line
