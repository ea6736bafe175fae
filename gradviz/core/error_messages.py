"""The sentence of every user-facing error code: one English template per code.

Core raises :class:`~gradviz.core.errors.InputError` (or ``EngineError``) with a
``code`` and ``params``; its English ``message`` is
:func:`gradviz.core.errors.render` of the template here.
The window translates the same template through Qt's catalog (context
``"Errors"``): ``tools/update_translations.py`` hands this file to
``pyside6-lupdate``, which reads the ``QT_TRANSLATE_NOOP`` marks below (a
local no-op: core imports no Qt). A template never names a command-line flag:
the CLI adds its own advice from :data:`CLI_HINTS`, the window its own.

Params are plain data (they cross the worker's process boundary) and never
English prose, except ``note``: a further English explanation, shown after the
sentence by English surfaces only.
"""

from __future__ import annotations

CONTEXT = "Errors"


def QT_TRANSLATE_NOOP(context: str, text: str) -> str:
    """Mark ``text`` for the catalog; returns it unchanged."""
    return text


MESSAGES: dict[str, str] = {
    # typed text (expressions and values)
    "not_text": QT_TRANSLATE_NOOP("Errors", "The input must be text."),
    "too_long": QT_TRANSLATE_NOOP(
        "Errors", "The text is {length} characters long; at most {limit} are allowed."),
    "empty": QT_TRANSLATE_NOOP("Errors", "The text is empty: type an expression, like 3*x**2."),
    "bad_character": QT_TRANSLATE_NOOP(
        "Errors", "The character {char} is not allowed: write names, numbers and operators in "
        "plain ASCII (no accents, no invisible characters)."),
    "too_deep": QT_TRANSLATE_NOOP(
        "Errors", "The expression is nested too deeply (at most {limit} levels)."),
    "too_complex": QT_TRANSLATE_NOOP("Errors", "The text is too complex to read."),
    "too_many_nodes": QT_TRANSLATE_NOOP(
        "Errors", "The expression has more than {limit} parts: make it shorter."),
    "number_too_long": QT_TRANSLATE_NOOP(
        "Errors", "A number is too long (at most {limit} digits)."),
    "syntax_error": QT_TRANSLATE_NOOP("Errors", "Syntax error (Python says: {detail})."),
    "variable_syntax": QT_TRANSLATE_NOOP(
        "Errors", "Write a variable as name=value, like x=2.0."),
    "one_expression": QT_TRANSLATE_NOOP(
        "Errors", "Write one expression: {construct} is a statement."),
    "assignment": QT_TRANSLATE_NOOP(
        "Errors", "Assignment (=) is not allowed: give values in the variables table."),
    "caret_operator": QT_TRANSLATE_NOOP(
        "Errors", "The operator ^ is not allowed: for a power, write x**2."),
    "forbidden_syntax": QT_TRANSLATE_NOOP(
        "Errors", "{construct} is not allowed in an expression. Allowed: numbers, variables, "
        "pi, e, + - * / ** @, comparisons like x > 0, parentheses, and calls like sin(x)."),
    "forbidden_attribute": QT_TRANSLATE_NOOP(
        "Errors", "{construct}: attribute access is not allowed (only function names take the "
        "prefix torch. or F.)."),
    "chained_comparison": QT_TRANSLATE_NOOP(
        "Errors", "{construct}: chained comparisons are not allowed: write one comparison, "
        "like x > 0."),
    "forbidden_list": QT_TRANSLATE_NOOP(
        "Errors", "{construct}: lists and tuples are not allowed in an expression: vectors and "
        "matrices come from variables, like x = [1, 2, 3]."),
    "bool_literal": QT_TRANSLATE_NOOP(
        "Errors", "{construct} is only allowed as a keyword value, like keepdim=True."),
    "prefix_only": QT_TRANSLATE_NOOP(
        "Errors", "{name} is only allowed as a prefix of a function, like torch.sin(x)."),
    "not_a_value": QT_TRANSLATE_NOOP(
        "Errors", "{construct} is not a value: write a number like 2.0, a list like [1, 2, 3] "
        "or a constructor like randn(3)."),
    "function_not_called": QT_TRANSLATE_NOOP(
        "Errors", "{name} is a function: call it, like {call}(x)."),
    "reserved_name": QT_TRANSLATE_NOOP(
        "Errors", "{name} cannot be used as a variable here: it is a reserved name."),
    "unknown_function": QT_TRANSLATE_NOOP("Errors", "{name} is not a known function."),
    "unknown_function_close": QT_TRANSLATE_NOOP(
        "Errors", "{name} is not a known function. Did you mean {suggestions}?"),
    "unknown_constructor": QT_TRANSLATE_NOOP(
        "Errors", "{name} is not a known constructor (known: {known})."),
    "unknown_constructor_close": QT_TRANSLATE_NOOP(
        "Errors", "{name} is not a known constructor. Did you mean {suggestions}?"),
    "wrong_arguments": QT_TRANSLATE_NOOP(
        "Errors", "Wrong arguments for {function}; it is called as {signature}."),
    "keyword_twice": QT_TRANSLATE_NOOP("Errors", "{keyword}= is given twice."),
    "out_keyword": QT_TRANSLATE_NOOP(
        "Errors", "out= is not allowed: each call makes a new tensor."),
    "unknown_keyword": QT_TRANSLATE_NOOP(
        "Errors", "{keyword}= is not a keyword of {function}; it is called as {signature}."),
    "keyword_integer": QT_TRANSLATE_NOOP(
        "Errors", "{keyword}= must be an integer like 0 or -1, written as it is."),
    "keyword_boolean": QT_TRANSLATE_NOOP(
        "Errors", "{keyword}= must be True or False, written as it is."),
    "keyword_number": QT_TRANSLATE_NOOP(
        "Errors", "{keyword}= must be a number like 0.5, written as it is."),
    "tensor_too_large": QT_TRANSLATE_NOOP(
        "Errors", "The tensor would have {elements} elements; at most {limit} are allowed."),
    "too_many_elements": QT_TRANSLATE_NOOP(
        "Errors", "{function}: the expression makes more than {limit} tensor elements in all."),
    "number_too_large": QT_TRANSLATE_NOOP("Errors", "The number {number} is too large here."),
    "size_too_large": QT_TRANSLATE_NOOP("Errors", "This number is too large for a size."),
    "range_too_large": QT_TRANSLATE_NOOP("Errors", "This range has too many elements."),
    "dim_with_two_tensors": QT_TRANSLATE_NOOP(
        "Errors", "{function}: dim= and keepdim= need a single tensor argument."),
    "keepdim_needs_dim": QT_TRANSLATE_NOOP("Errors", "{function}: keepdim= needs dim=."),
    "where_condition": QT_TRANSLATE_NOOP(
        "Errors", "{function}: the condition must be a comparison like x > 0, not a {dtype} "
        "tensor."),
    "class_index_target": QT_TRANSLATE_NOOP(
        "Errors", "{function}: the target holds class indices, which must be integers: give it "
        "as a variable like y=long([2, 0]) (a float target must be class probabilities, "
        "shaped like the input {shape})."),
    "probability_target": QT_TRANSLATE_NOOP(
        "Errors", "{function}: the target holds probabilities (floats between 0 and 1), not "
        "integers."),
    "torch_error": QT_TRANSLATE_NOOP("Errors", "PyTorch refused {function}: {torch_message}"),
    "bad_value": QT_TRANSLATE_NOOP(
        "Errors", "PyTorch cannot make this value: {torch_message}"),
    # variables
    "missing_variables": QT_TRANSLATE_NOOP(
        "Errors", "No value for {names}: give each one a value."),
    "duplicate_variable": QT_TRANSLATE_NOOP("Errors", "The variable {name} is given twice."),
    "bad_name": QT_TRANSLATE_NOOP(
        "Errors", "{name} is not a valid variable name: use letters, digits and _, like x or "
        "w_1, and not the name of a function or a Python keyword."),
    "bad_dtype": QT_TRANSLATE_NOOP("Errors", "The dtype must be float32 or float64, not {dtype}."),
    "ragged_list": QT_TRANSLATE_NOOP(
        "Errors", "The list is ragged: every row must have the same length."),
    "list_element": QT_TRANSLATE_NOOP(
        "Errors", "List elements must be numbers like 1, -2.5 or 1e-3."),
    # the backward pass and its outputs
    "backward_failed": QT_TRANSLATE_NOOP(
        "Errors", "PyTorch's backward pass failed while running {op}: {torch_message}"),
    "backward_failed_at": QT_TRANSLATE_NOOP(
        "Errors", "PyTorch's backward pass failed while running {op}: {torch_message}\n"
        "The node was created at {path}, line {line}: {code}"),
    "nothing_to_differentiate": QT_TRANSLATE_NOOP(
        "Errors", "The function depends on no variable that requires a gradient, so there is "
        "nothing to differentiate. Use a variable (e.g. x) in it."),
    "non_scalar_output": QT_TRANSLATE_NOOP(
        "Errors", "The output has shape {shape}, but backward() starts from a single number. "
        "Reduce it first (sum or mean), or wrap the function in sum(...)."),
    "bad_reduction": QT_TRANSLATE_NOOP(
        "Errors", "Unknown reduction {reduction}: use sum or mean."),
    "bad_runs": QT_TRANSLATE_NOOP(
        "Errors", "runs (the number of backward calls) must be a whole number from 1 to "
        "{limit}."),
    "no_output": QT_TRANSLATE_NOOP(
        "Errors", "There is no output to show: give at least one tensor."),
    "not_a_tensor": QT_TRANSLATE_NOOP(
        "Errors", "The output must be a tensor (or a list of tensors), not {type}."),
    "nested_tensor": QT_TRANSLATE_NOOP(
        "Errors", "Nested tensors are not supported: give a plain tensor."),
    "complex_output": QT_TRANSLATE_NOOP(
        "Errors", "The output is complex ({dtype}): backward() starts from a real number; take "
        ".real, .abs() or a real loss of it."),
    "bad_params": QT_TRANSLATE_NOOP("Errors", "params must map names to tensors, not {type}."),
    "bad_device": QT_TRANSLATE_NOOP(
        "Errors", "Cannot use the device {device} here: {torch_message}"),
    "bad_wrt": QT_TRANSLATE_NOOP(
        "Errors", "Say which variable to differentiate by (one of {names})."),
    "constant_derivative": QT_TRANSLATE_NOOP(
        "Errors", "d/d{variable_name} of this function is a constant: it has no graph."),
    # scripts
    "script_not_found": QT_TRANSLATE_NOOP("Errors", "No such script: {path}"),
    "script_unreadable": QT_TRANSLATE_NOOP("Errors", "Cannot read {path}: {reason}"),
    "script_not_utf8": QT_TRANSLATE_NOOP("Errors", "Cannot read {path}: it is not UTF-8 text."),
    "script_syntax": QT_TRANSLATE_NOOP(
        "Errors", "Syntax error in {path}, line {line}, column {column}: {msg}"),
    "script_no_output": QT_TRANSLATE_NOOP(
        "Errors", "The script {path} defines no output: end it with output = <tensor>, or "
        "define build() that returns the output."),
    "script_empty_output": QT_TRANSLATE_NOOP("Errors", "The script's output is empty."),
    "script_bad_output": QT_TRANSLATE_NOOP(
        "Errors", "The script's output must be a tensor (or a tuple or list of tensors), "
        "not {type}."),
    "script_no_grad": QT_TRANSLATE_NOOP(
        "Errors", "The script's output does not require a gradient: build it from a tensor "
        "created with requires_grad=True (or from a model's parameters), outside "
        "torch.no_grad()."),
    "script_bad_params": QT_TRANSLATE_NOOP(
        "Errors", "The script's params must be a dict of name → tensor, or an nn.Module, "
        "not {type}."),
    # lessons
    "lesson_not_found": QT_TRANSLATE_NOOP("Errors", "No such lesson file: {path}"),
    "lesson_unreadable": QT_TRANSLATE_NOOP("Errors", "Cannot read the lesson {path}: {reason}"),
    "lesson_not_a_file": QT_TRANSLATE_NOOP("Errors", "{path} is not a lesson file."),
    "lesson_not_utf8": QT_TRANSLATE_NOOP(
        "Errors", "The lesson {path} is not UTF-8 text (line {line}): save it as UTF-8."),
    "lesson_too_large": QT_TRANSLATE_NOOP(
        "Errors", "The lesson {path} is too large: a lesson is at most {limit_mb} MB."),
    "lesson_truncated": QT_TRANSLATE_NOOP(
        "Errors", "The lesson {path} looks cut off (an interrupted save or copy?)."),
    "lesson_malformed": QT_TRANSLATE_NOOP(
        "Errors", "The lesson {path} is not valid JSON (line {line}, column {col}: {msg})."),
    "lesson_not_json": QT_TRANSLATE_NOOP("Errors", "The lesson {path} is not valid JSON."),
    "lesson_not_a_lesson": QT_TRANSLATE_NOOP("Errors", "{path} is not a gradviz lesson."),
    "lesson_wrong_version": QT_TRANSLATE_NOOP(
        "Errors", "{path} is not a lesson this version of gradviz can read (format {found}; "
        "this gradviz reads {expected}). A newer gradviz may open it."),
    "lesson_invalid": QT_TRANSLATE_NOOP(
        "Errors", "The lesson {path} is invalid: the field {field} has a wrong value."),
    "lesson_code_not_trusted": QT_TRANSLATE_NOOP(
        "Errors", "{title} in this lesson is Python code: gradviz runs a lesson's code only "
        "once you trust it. Read it first."),
    # the layout engine (EngineError)
    "engine_unknown": QT_TRANSLATE_NOOP(
        "Errors", "Unknown layout engine {engine}: choose one of {engines}."),
    "engine_missing": QT_TRANSLATE_NOOP("Errors", "not found (to get it: {install})"),
    "engine_timeout": QT_TRANSLATE_NOOP(
        "Errors", "timed out after {timeout} s (try hiding saved tensors)"),
    "engine_exit": QT_TRANSLATE_NOOP("Errors", "exit code {exitcode}: {detail}"),
    "layout_failed": QT_TRANSLATE_NOOP(
        "Errors", "The graph layout (Graphviz) failed. {failures}"),
    # the evaluation worker (WorkerError kinds: worker_errors.WORKER_CODES)
    "worker_timeout": QT_TRANSLATE_NOOP(
        "Errors", "The evaluation took longer than {timeout} s and was stopped."),
    "worker_start_timeout": QT_TRANSLATE_NOOP(
        "Errors", "The worker process did not start within {timeout} s."),
    "worker_memory": QT_TRANSLATE_NOOP(
        "Errors", "The evaluation needed too much memory and was stopped."),
    "worker_crash": QT_TRANSLATE_NOOP(
        "Errors", "The evaluation process crashed; it was restarted."),
    "worker_start_crash": QT_TRANSLATE_NOOP("Errors", "The evaluation process could not start."),
    "worker_invalid": QT_TRANSLATE_NOOP(
        "Errors", "The function's process sent something invalid; it was stopped and "
        "restarted."),
    "script_error": QT_TRANSLATE_NOOP("Errors", "The script raised an error: {message}"),
    "worker_internal": QT_TRANSLATE_NOOP(
        "Errors", "Internal error in the evaluation process: {message}"),
    # exports
    "bad_step": QT_TRANSLATE_NOOP(
        "Errors", "Step {step} does not exist: this function has steps 0 to {total}."),
    "bad_step_text": QT_TRANSLATE_NOOP(
        "Errors", "The step must be a step number or last, not {step}."),
    "bad_suffix": QT_TRANSLATE_NOOP(
        "Errors", "Cannot write a {suffix} file: use {suffixes}."),
    "bad_paths": QT_TRANSLATE_NOOP(
        "Errors", "There is no variable {name} to show paths to (variables: {names})."),
    "bad_export_option": QT_TRANSLATE_NOOP(
        "Errors", "The export's {option} must be between {low} and {high}."),
}

#: Advice only the command line gives: its flags (the window names its own controls).
CLI_HINTS: dict[str, str] = {
    "non_scalar_output": "On the command line: --reduce sum or --reduce mean.",
    "lesson_code_not_trusted": "Then pass --allow-code, or use \"Run code from this lesson\" "
                               "in the app.",
    "bad_step": "(--step)",
    "bad_step_text": "(--step)",
    "bad_export_option": "(--{flag})",
    "bad_paths": "(--paths)",
    "worker_timeout": "If it is only slow, raise the limit (--timeout).",
    "engine_unknown": "(--layout-engine)",
}
