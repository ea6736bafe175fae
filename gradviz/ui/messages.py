"""Error sentences in the UI's language, from the data that core returns.

Core raises :class:`~gradviz.core.errors.InputError` with a stable ``code`` and
``params`` (plus an English ``message`` for the CLI). :func:`error_text` turns
that into a sentence through the catalog. In English the core's own message is
returned: it was written for people and often says more (Python's or PyTorch's
own words, a function's signature) than ``params`` carry. Unknown codes fall
back to that English message too.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from pathlib import PurePath
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QLocale

from ..core.errors import EngineError, InputError
from ..core.formatting import format_shape
from ..core.worker import WorkerError
from .i18n import SOURCE_LANGUAGE, current_language


def _tr(text: str) -> str:
    return QCoreApplication.translate("Messages", text)


# One sentence per code whose params say everything; the named fields come from _fields().
_TEMPLATES = {
    "too_long": QT_TRANSLATE_NOOP(
        "Messages", "The text is {length} characters long; at most {limit} are allowed."),
    "empty": QT_TRANSLATE_NOOP("Messages", "The text is empty: type an expression, like 3*x**2."),
    "bad_character": QT_TRANSLATE_NOOP(
        "Messages", "The character {char} is not allowed: write names, numbers and operators "
        "in plain ASCII (no accents, no invisible characters)."),
    "too_many_nodes": QT_TRANSLATE_NOOP(
        "Messages", "The expression has more than {limit} parts: make it shorter."),
    "missing_variables": QT_TRANSLATE_NOOP(
        "Messages", "No value for {names}: give each one a value in the variables table."),
    "duplicate_variable": QT_TRANSLATE_NOOP(
        "Messages", "The variable {name} is given twice."),
    "bad_name": QT_TRANSLATE_NOOP(
        "Messages", "{name} is not a valid variable name: use letters, digits and _, like x "
        "or w_1, and not the name of a function or a Python keyword."),
    "bad_dtype": QT_TRANSLATE_NOOP(
        "Messages", "The dtype must be float32 or float64, not {dtype}."),
    "ragged_list": QT_TRANSLATE_NOOP(
        "Messages", "The list is ragged: every row must have the same length."),
    "torch_error": QT_TRANSLATE_NOOP(
        "Messages", "PyTorch refused {function}: {torch_message}"),
    "nothing_to_differentiate": QT_TRANSLATE_NOOP(
        "Messages", "The function depends on no variable that requires a gradient, so there "
        "is nothing to differentiate. Use a variable (e.g. x) in it."),
    "non_scalar_output": QT_TRANSLATE_NOOP(
        "Messages", "The output has shape {shape}, but backward() starts from a single "
        "number. Reduce it first, e.g. wrap the function in sum(...) or mean(...)."),
    "bad_reduction": QT_TRANSLATE_NOOP(
        "Messages", "Unknown reduction {reduction}: use sum or mean."),
    "script_no_output": QT_TRANSLATE_NOOP(
        "Messages", "The script {path} defines no output: end it with output = <tensor>, or "
        "define build() that returns the output."),
    "script_not_found": QT_TRANSLATE_NOOP("Messages", "No such script: {path}"),
    "script_no_grad": QT_TRANSLATE_NOOP(
        "Messages", "The script's output does not require a gradient: build it from a tensor "
        "created with requires_grad=True (or from a model's parameters), outside "
        "torch.no_grad()."),
    "script_bad_params": QT_TRANSLATE_NOOP(
        "Messages", "The script's params must be a dict of name → tensor, or an nn.Module, "
        "not {type}."),
    "lesson_not_found": QT_TRANSLATE_NOOP("Messages", "No such lesson file: {path}"),
    "lesson_not_utf8": QT_TRANSLATE_NOOP(
        "Messages", "The lesson {path} is not UTF-8 text (line {line}): save it as UTF-8."),
    "lesson_too_large": QT_TRANSLATE_NOOP(
        "Messages", "The lesson {path} is too large: a lesson is at most {limit_mb} MB."),
    "lesson_truncated": QT_TRANSLATE_NOOP(
        "Messages", "The lesson {path} looks cut off (an interrupted save or copy?)."),
    "lesson_wrong_version": QT_TRANSLATE_NOOP(
        "Messages", "{path} is not a lesson this version of gradviz can read (format {found}; "
        "this gradviz reads {expected}). A newer gradviz may open it."),
    "lesson_invalid": QT_TRANSLATE_NOOP(
        "Messages", "The lesson {path} is invalid: the field {field} has a wrong value."),
    "lesson_code_not_trusted": QT_TRANSLATE_NOOP(
        "Messages", "{title} in this lesson is Python code: gradviz runs a lesson's code only "
        "once you trust it. Read it, then choose \"Run code from this lesson\"."),
    "bad_device": QT_TRANSLATE_NOOP("Messages", "Cannot use the device {device} here."),
    "bad_step": QT_TRANSLATE_NOOP(
        "Messages", "Step {step} does not exist: this function has steps 0 to {total}."),
    "bad_suffix": QT_TRANSLATE_NOOP(
        "Messages", "Cannot write a {suffix} file: use .png, .svg, .pdf or .gif."),
}


def error_text(error: BaseException | Mapping[str, Any]) -> str:
    """A sentence for ``error`` in the current UI language.

    ``error`` is an :class:`InputError`, its ``to_dict()``, a
    :class:`~gradviz.core.worker.WorkerError`, an :class:`EngineError`, or any
    other exception (its ``str``).
    """
    if isinstance(error, WorkerError):
        return _worker_text(error)
    if isinstance(error, EngineError):
        if current_language() == SOURCE_LANGUAGE:
            return str(error)
        return _tr("The graph layout (Graphviz) failed: {0}").format(error)
    if isinstance(error, InputError):
        data: Mapping[str, Any] = error.to_dict()
    elif isinstance(error, Mapping):
        data = error
    else:
        return str(error)
    message = str(data.get("message") or "")
    if current_language() == SOURCE_LANGUAGE:
        return message
    code, params = str(data.get("code") or ""), dict(data.get("params") or {})
    try:
        if code in _VARIANTS:
            return _VARIANTS[code](params, message)
        if code in _TEMPLATES:
            return _tr(_TEMPLATES[code]).format(**_fields(params))
    except (KeyError, IndexError, TypeError, ValueError):  # params not as expected
        pass
    return message


def shape_text(shape: list[int]) -> str:
    """A tensor's shape as the UI shows it: ``3×4``, or the word for a 0-d tensor."""
    return format_shape(shape) if shape else _tr("scalar")


def _worker_text(error: WorkerError) -> str:
    if current_language() == SOURCE_LANGUAGE:
        return error.message
    details = error.details
    if error.kind == "timeout":
        seconds = _number(details.get("timeout", 0))
        return _tr("The evaluation took longer than {0} s and was stopped.").format(seconds)
    if error.kind == "memory":
        return _tr("The evaluation needed too much memory and was stopped.")
    if error.kind == "crash":
        return _tr("The evaluation process crashed ({0}); it was restarted.").format(
            details.get("signal") or details.get("exitcode"))
    if error.kind == "invalid":
        return _tr("The function's process sent something invalid; it was stopped and "
                   "restarted.")
    if error.kind == "script_error":
        return _tr("The script raised an error: {0}").format(error.message)
    return _tr("Internal error in the evaluation process: {0}").format(error.message)


def _fields(params: Mapping[str, Any]) -> dict[str, str]:
    """Params as shown in a sentence: names in backticks, file names, localized numbers."""
    fields = {key: _number(value) if isinstance(value, (int, float)) else str(value)
              for key, value in params.items() if not isinstance(value, bool)}
    for key in ("name", "function", "dtype", "reduction", "device", "title", "field", "type"):
        if key in params:
            fields[key] = f"`{params[key]}`"
    if "names" in params:
        fields["names"] = ", ".join(f"`{name}`" for name in params["names"])
    if "path" in params:
        fields["path"] = PurePath(str(params["path"])).name or str(params["path"])
    if "shape" in params:
        fields["shape"] = "(" + ", ".join(str(d) for d in params["shape"]) + ")"
    if "limit" in params and "size" in params:
        fields["limit_mb"] = _number(params["limit"] // 2**20)
    return fields


def _number(value: int | float) -> str:
    locale = QLocale(current_language())
    if isinstance(value, int):
        return locale.toString(value)
    return locale.toString(value, "g", 6)


def _syntax(params: dict, message: str) -> str:
    if message.startswith("write a variable as"):
        return _tr("Write a variable as name=value, like x=2.0.")
    detail = message.removeprefix("syntax error: ")
    if detail == message:
        return _tr("Syntax error.")
    return _tr("Syntax error (Python says: {0}).").format(detail)


def _forbidden(params: dict, message: str) -> str:
    if params.get("syntax") == "^":
        return _tr("The operator ^ is not allowed: for a power, write x**2.")
    if "randn(3)" in message:  # a variable's value, not an expression
        return _tr("This is not a value: write a number like 2.0, a list like [1, 2, 3] or a "
                   "constructor like randn(3).")
    if message.startswith("assignment"):
        return _tr("Assignment (=) is not allowed: give values in the variables table.")
    return _tr("This is not allowed in an expression. Allowed: numbers, variables, pi, e, "
               "+ - * / ** @, parentheses, and calls like sin(x).")


def _unknown_name(params: dict, message: str) -> str:
    name = f"`{params['name']}`"
    if "is a function" in message:
        return _tr("{0} is a function: call it, like {1}(x).").format(name, params["name"])
    if "is not a value" in message:
        return _tr("{0} is not a value: write a number like 2.0, a list like [1, 2, 3] or a "
                   "constructor like randn(3).").format(name)
    return _tr("{0} cannot be used as a variable here: it is a reserved name.").format(name)


def _unknown_function(params: dict, message: str) -> str:
    name = f"`{params['name']}`"
    if "constructor" in message:
        text = _tr("{0} is not a known constructor (like randn, zeros, ones or arange).")
    else:
        text = _tr("{0} is not a known function.")
    text = text.format(name)
    suggestions = params.get("suggestions") or []
    if suggestions:
        text += " " + _tr("Did you mean {0}?").format(
            _tr(" or ").join(f"`{s}`" for s in suggestions))
    return text


def _wrong_arguments(params: dict, message: str) -> str:
    if "keyword_name" in params:
        return _tr("{0}= is given twice.").format(params["keyword_name"])
    signature = message.rpartition(": ")[2]  # code, the same in every language
    if "function" in params and re.fullmatch(r"[\w.]+\(.*\)", signature):
        return _tr("Wrong arguments for {0}; it is called as {1}.").format(
            f"`{params['function']}`", signature)
    if "function" in params:
        return _tr("Wrong arguments for {0}.").format(f"`{params['function']}`")
    return _tr("Wrong arguments: {0}").format(message)


def _bad_keyword(params: dict, message: str) -> str:
    if params.get("keyword_name") == "out":
        return _tr("out= is not allowed: each call makes a new tensor.")
    name = params["keyword_name"]
    for kind, text in ((" integer ", QT_TRANSLATE_NOOP("Messages", "an integer like 0 or -1")),
                       (" True or False ", QT_TRANSLATE_NOOP("Messages", "True or False")),
                       (" number ", QT_TRANSLATE_NOOP("Messages", "a number like 0.5"))):
        if f"must be {kind.strip()}" in message or f"must be a{kind}" in message \
                or f"must be an{kind}" in message:
            return _tr("{0}= must be {1}, written as it is.").format(name, _tr(text))
    return _tr("{0}= is not a keyword of this function.").format(name)


def _too_large(params: dict, message: str) -> str:
    if "elements" not in params:
        return _tr("This number is too large for a size.")
    return _tr("The tensor would have {0} elements; at most {1} are allowed.").format(
        _number(params["elements"]), _number(params["limit"]))


def _too_deep(params: dict, message: str) -> str:
    if "limit" in params:
        return _tr("The expression is nested too deeply (at most {0} levels).").format(
            _number(params["limit"]))
    return _tr("The expression is nested too deeply.")


def _number_too_long(params: dict, message: str) -> str:
    if "limit" in params:
        return _tr("A number is too long (at most {0} digits).").format(_number(params["limit"]))
    return _tr("A number is too long.")


def _unreadable(params: dict, message: str) -> str:
    fields = _fields(params)
    if params.get("reason") == "encoding":
        return _tr("Cannot read {0}: it is not UTF-8 text.").format(fields["path"])
    if params.get("reason"):
        return _tr("Cannot read {0}: {1}").format(fields["path"], params["reason"])
    return _tr("Cannot read {0}: it is not a regular file.").format(fields["path"])


def _bad_output(params: dict, message: str) -> str:
    if "type" in params:
        return _tr("The script's output must be a tensor (or a tuple or list of tensors), "
                   "not {0}.").format(params["type"])
    return _tr("The script's output is empty.")


def _script_syntax(params: dict, message: str) -> str:
    fields = _fields(params)  # the column is 0-based, as Python's SyntaxError.offset - 1
    return _tr("Syntax error in {0}, line {1}, column {2}: {3}").format(
        fields["path"], fields["line"], _number(params["column"] + 1), params["msg"])


def _wrong_version(params: dict, message: str) -> str:
    if not isinstance(params.get("found"), str):
        return _tr("{0} is not a gradviz lesson.").format(_fields(params)["path"])
    return _tr(_TEMPLATES["lesson_wrong_version"]).format(**_fields(params))


def _malformed(params: dict, message: str) -> str:
    fields = _fields(params)
    if "line" in params:
        return _tr("The lesson {0} is not valid JSON (line {1}, column {2}: {3}).").format(
            fields["path"], fields["line"], fields["column"], params.get("msg", ""))
    return _tr("The lesson {0} is not valid JSON.").format(fields["path"])


_VARIANTS: dict[str, Callable[[dict, str], str]] = {
    "syntax_error": _syntax,
    "forbidden_syntax": _forbidden,
    "unknown_name": _unknown_name,
    "unknown_function": _unknown_function,
    "wrong_arguments": _wrong_arguments,
    "bad_keyword": _bad_keyword,
    "tensor_too_large": _too_large,
    "too_deep": _too_deep,
    "number_too_long": _number_too_long,
    "script_unreadable": _unreadable,
    "lesson_unreadable": _unreadable,
    "script_bad_output": _bad_output,
    "script_syntax": _script_syntax,
    "lesson_malformed": _malformed,
    "lesson_wrong_version": _wrong_version,
}
