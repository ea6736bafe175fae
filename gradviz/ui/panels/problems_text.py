"""Diagnostics as sentences in the UI's language, from core's findings.

:func:`gradviz.core.lens.diagnostics.diagnose` returns data (a code, a step, numbers);
this module is the one place that words them, through Qt's catalog (context
``Problems``), for the Problems panel and for ``gradviz export --check`` alike.
Steps are numbered as the replay shows them (``Step 3 of 9``: index + 1).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QLocale

from ...core.graph.formatting import format_number
from ...core.lens.diagnostics import Finding
from ..base.i18n import current_language, translate

_HEADS = {
    "nonfinite": QT_TRANSLATE_NOOP(
        "Problems", "Step {step}: {op} sends {kind} to {target}, the first NaN/Inf gradient "
        "of the backward pass."),
    "sigmoid": QT_TRANSLATE_NOOP(
        "Problems", "Step {step}: saturated sigmoid{expression}: at z = {z}, "
        "σ'(z) = σ(1−σ) = {derivative}, so almost no gradient passes (saturated elements: "
        "{count} of {total})."),
    "tanh": QT_TRANSLATE_NOOP(
        "Problems", "Step {step}: saturated tanh{expression}: at z = {z}, "
        "tanh'(z) = 1 − tanh² = {derivative}, so almost no gradient passes (saturated elements: "
        "{count} of {total})."),
    "dead_relu": QT_TRANSLATE_NOOP(
        "Problems", "Step {step}: dead ReLU{expression}: all {total} inputs are ≤ 0 (the "
        "largest is {max_input}), so it passes no gradient at all."),
    "clamped": QT_TRANSLATE_NOOP(
        "Problems", "Step {step}: {op}{expression}: all {total} inputs lie outside "
        "[{min}, {max}] (e.g. {value}), so the gradient it passes is 0."),
    "routed": QT_TRANSLATE_NOOP(
        "Problems", "Step {step}: {op} sends the gradient to at most {receiving} of its "
        "{total} input elements; the others get 0 (that is how max, min and indexing work)."),
    "zero_grad": QT_TRANSLATE_NOOP(
        "Problems", "{variable}.grad is exactly 0: its gradient stops at step {step} "
        "({stopped_by})."),
    "zero_grad_unknown": QT_TRANSLATE_NOOP("Problems", "{variable}.grad is exactly 0."),
    "exploding": QT_TRANSLATE_NOOP(
        "Problems", "Step {step}: the gradient {op} sends to {target} has norm {norm}, "
        "{growth} times the output's gradient ({seed_norm}): past the threshold of {ratio} "
        "times."),
    "not_checked": QT_TRANSLATE_NOOP(
        "Problems", "Not checked: no rule looks inside {ops}. Their gradients were checked for "
        "NaN/Inf and growth, but not for why they would become 0."),
}

_CAUSES = {
    "sqrt_zero": QT_TRANSLATE_NOOP(
        "Problems", "Cause: {origin_op}{expression} at 0: the derivative 1/(2√x) is "
        "infinite there, and {grad_in} × inf = {kind}."),
    "sqrt_negative": QT_TRANSLATE_NOOP(
        "Problems", "Cause: {origin_op}{expression} of a negative number ({value}): "
        "the result is NaN."),
    "log_zero": QT_TRANSLATE_NOOP(
        "Problems", "Cause: {origin_op}{expression} at 0: log(0) = −inf and the derivative "
        "1/x is infinite there."),
    "log_negative": QT_TRANSLATE_NOOP(
        "Problems", "Cause: {origin_op}{expression} of a negative number ({value}): "
        "the result is NaN."),
    "div_zero": QT_TRANSLATE_NOOP(
        "Problems", "Cause: {origin_op}{expression}, a division by 0: the derivative of "
        "x/y contains 1/y, infinite at y = 0."),
    "exp_overflow": QT_TRANSLATE_NOOP(
        "Problems", "Cause: {origin_op}{expression} overflows at {value}: the result is too "
        "large for the tensor's type and becomes inf."),
    "pow_zero": QT_TRANSLATE_NOOP(
        "Problems", "Cause: {origin_op}{expression} at 0 with the exponent {exponent} < 1: "
        "the derivative p·x^(p−1) is infinite there."),
    "forward": QT_TRANSLATE_NOOP(
        "Problems", "Cause: a value of the forward pass was already NaN or inf ({origin_op}); "
        "no rule says why."),
    "arrived": QT_TRANSLATE_NOOP(
        "Problems", "Cause: the gradient backward() starts from is already {kind}."),
    "unknown": QT_TRANSLATE_NOOP(
        "Problems", "Cause: not checked: no rule says why {op} does this."),
}

_UNREACHED = {
    "detached": QT_TRANSLATE_NOOP(
        "Problems", "{variable}.grad stays None: {variable} is used only inside detach(), "
        "which cuts it out of the graph."),
    "unused": QT_TRANSLATE_NOOP(
        "Problems", "{variable}.grad stays None: the function does not use {variable}."),
    "integer": QT_TRANSLATE_NOOP(
        "Problems", "{variable}.grad stays None: its type is an integer or boolean type, "
        "which carries no gradient."),
    "unknown": QT_TRANSLATE_NOOP(
        "Problems", "{variable}.grad stays None: the graph from the output does not reach it "
        "(a detach(), torch.no_grad() or an integer or boolean step cuts it)."),
}

_SEVERITIES = {
    "error": QT_TRANSLATE_NOOP("Problems", "error"),
    "warning": QT_TRANSLATE_NOOP("Problems", "warning"),
    "info": QT_TRANSLATE_NOOP("Problems", "note"),
}


def finding_text(finding: Finding) -> str:
    """One finding as one or two sentences in the current language (and its code's line)."""
    text = _finding_text(finding)
    if finding.params.get("line") is not None:
        text += " " + translate("Problems", "Forward pass: line {line} of the code.").format(
            line=finding.params["line"])
    return text


def _finding_text(finding: Finding) -> str:
    fields = _fields(finding)
    code, params = finding.code, finding.params
    if code == "nonfinite":
        cause = _CAUSES.get(params.get("cause"), _CAUSES["unknown"])
        head = translate("Problems", _HEADS[code]).format(**fields)
        return head + " " + translate("Problems", cause).format(**fields)
    if code == "saturated":
        key = "sigmoid" if params.get("op") == "SigmoidBackward0" else "tanh"
        return translate("Problems", _HEADS[key]).format(**fields)
    if code == "unreached":
        reason = _UNREACHED.get(params.get("reason"), _UNREACHED["unknown"])
        return translate("Problems", reason).format(**fields)
    if code == "zero_grad" and not params.get("stopped_by"):
        return translate("Problems", _HEADS["zero_grad_unknown"]).format(**fields)
    return translate("Problems", _HEADS[code]).format(**fields)


def severity_text(severity: str) -> str:
    """``error``, ``warning`` or ``note`` in the current language."""
    return translate("Problems", _SEVERITIES.get(severity, severity))


def check_report(findings: list[Finding]) -> str:
    """What ``export --check`` prints: one line per finding, or that none was found."""
    if not findings:
        return translate("Problems", "No problem found, and every op was checked.")
    line = translate("Problems", "{severity}: {text}")
    lines = [line.format(severity=severity_text(f.severity), text=finding_text(f))
             for f in findings]
    if not any(f.severity != "info" for f in findings):
        lines.insert(0, translate("Problems", "No problem found by the rules."))
    return "\n".join(lines)


def _fields(finding: Finding) -> dict[str, str]:
    """Every param as text (numbers in the language's way), plus the replay's step number."""
    fields: dict[str, str] = {k: _value(v) for k, v in finding.params.items()}
    fields["step"] = str(finding.step + 1) if finding.step is not None else "?"
    for key in ("z", "value", "max_input", "min", "max", "stopped_by", "exponent"):
        fields.setdefault(key, "?")
    expression = finding.params.get("expression")
    fields["expression"] = f" ({expression})" if expression else ""
    fields["kind"] = {"nan": "NaN", "inf": "inf"}.get(finding.params.get("kind"), "?")
    if "ops" in finding.params:
        fields["ops"] = ", ".join(f"{op} (×{count})" if count > 1 else op
                                  for op, count in finding.params["ops"])
    if "growth" in finding.params:
        fields["growth"] = localized_number(round(finding.params["growth"], 1))
    return fields


def _value(value: Any) -> str:
    if value is None:
        return "?"
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return localized_number(value)
    if isinstance(value, Mapping):
        return "…"
    return str(value)


def localized_number(value: float) -> str:
    """format_number, with the current language's decimal separator."""
    text = format_number(value)
    point = QLocale(current_language()).decimalPoint()
    return text.replace(".", point) if point != "." else text
