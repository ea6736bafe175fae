"""Run a user's Python script that builds the function to show.

A script defines ``output`` (a tensor, or a tuple/list of tensors) and optionally
``params`` (a ``name -> tensor`` dict, or an ``nn.Module``), or a function
``build()`` that returns ``output`` or ``(output, params)``.

A trusted lesson snippet (:func:`run_code`) follows the same rules. Scripts
and snippets are user code: they run only inside the evaluation worker
(:mod:`gradviz.core.runtime.worker`), never in the GUI process.
"""

from __future__ import annotations

import contextlib
import linecache
import os
import sys
import tokenize
import traceback
from dataclasses import dataclass, field
from pathlib import Path

import torch

from gradviz.core.errors import InputError

#: ``__name__`` of the namespace a script runs in; it also marks the script's
#: frames in a traceback (see :func:`script_path_in_traceback`).
SCRIPT_RUN_NAME = "__gradviz_script__"


@dataclass
class ScriptResult:
    """What a script built: its output tensors, its named parameters, its path."""

    outputs: list[torch.Tensor]
    params: dict[str, torch.Tensor] = field(default_factory=dict)
    path: str = ""
    names: dict[str, torch.Tensor] = field(default_factory=dict)  # its top-level tensors


def run_script(
    path: str | os.PathLike, *, record: contextlib.AbstractContextManager | None = None
) -> ScriptResult:
    """Run the script at ``path`` and return what it built.

    ``record``, if given, is entered around the script's execution (and its
    ``build()`` call). Bad scripts raise :class:`InputError` (codes
    ``script_not_found``, ``script_unreadable``, ``script_syntax``,
    ``script_no_output``, ``script_bad_output``, ``script_bad_params``); an
    exception raised by the script's own code propagates unchanged.
    """
    script = Path(path).resolve()
    code = _compile(script)
    return _run(code, str(script), {"__file__": str(script)}, str(script.parent), record)


def run_code(
    code: str, name: str, *, record: contextlib.AbstractContextManager | None = None
) -> ScriptResult:
    """Run a trusted lesson snippet exactly as :func:`run_script` runs a file.

    ``name`` (the lesson function's title) names the snippet in tracebacks as
    ``<lesson: name>``; the same rules and error codes apply, and nothing is
    added to ``sys.path``. Only call it for code the user has trusted.
    """
    label = " ".join(str(name).split())[:80] or "code"
    filename = code_filename(name)
    # Registered with mtime None, so tracebacks show the snippet's lines.
    linecache.cache[filename] = (len(code), None, code.splitlines(keepends=True), filename)
    return _run(_compile_source(code, filename, label), filename, {}, None, record)


def code_filename(name: str) -> str:
    """The file name a lesson snippet called ``name`` runs under (in tracebacks, frames)."""
    label = " ".join(str(name).split())[:80] or "code"
    return f"<lesson: {label}>"


def _run(code, path: str, extra: dict, folder: str | None, record) -> ScriptResult:
    """Execute compiled user code in a fresh namespace; collect output and params."""
    namespace = {
        "__name__": SCRIPT_RUN_NAME,
        "__builtins__": __builtins__,
        "__cached__": None,
        "__loader__": None,
        "__package__": None,
        "__spec__": None,
        **extra,
    }
    with _script_environment(folder, path), record or contextlib.nullcontext():
        exec(code, namespace)
        built = _call_build(namespace)
    if built is None:
        if "output" not in namespace:
            raise InputError("script_no_output", {"path": path})
        built = (namespace["output"], namespace.get("params"))
    output, params = built
    return ScriptResult(_outputs(output), _params(params), path, _tensor_names(namespace))


def _tensor_names(namespace: dict) -> dict[str, torch.Tensor]:
    """The script's top-level tensors by name (to label the graph in the user's words);
    ``output`` last, so a tensor bound to ``loss`` and ``output`` is called ``loss``."""
    names = {k: v for k, v in namespace.items()
             if isinstance(v, torch.Tensor) and not k.startswith("_") and k != "output"}
    if isinstance(namespace.get("output"), torch.Tensor):
        names["output"] = namespace["output"]
    return names


def script_path_in_traceback(exc: BaseException) -> str | None:
    """The path of the user script that ``exc`` passed through, or None."""
    tb = exc.__traceback__
    while tb is not None:
        if tb.tb_frame.f_globals.get("__name__") == SCRIPT_RUN_NAME:
            return tb.tb_frame.f_code.co_filename
        tb = tb.tb_next
    return None


def user_traceback(exc: BaseException, path: str | os.PathLike) -> str:
    """``exc``'s traceback, keeping only frames of the user's code.

    User code is the script at ``path`` and the modules next to it; frames of
    gradviz, the standard library and installed packages (torch) are dropped.
    """
    folder = str(Path(path).resolve().parent) + os.sep
    linecache.checkcache()  # the user may have edited the file since the last run
    frames = [
        frame
        for frame in traceback.extract_tb(exc.__traceback__)
        if os.path.abspath(frame.filename).startswith(folder) and not _is_library(frame.filename)
    ]
    lines = ["Traceback (most recent call last):\n"]
    lines += traceback.format_list(frames)
    lines += traceback.format_exception_only(type(exc), exc)
    return "".join(lines)


def _is_library(filename: str) -> bool:
    """True for files of gradviz itself or of installed packages."""
    gradviz_dir = str(Path(__file__).resolve().parents[2]) + os.sep
    name = os.path.abspath(filename)
    return name.startswith(gradviz_dir) or f"{os.sep}site-packages{os.sep}" in name


def _compile(script: Path):
    """Read and compile the script, turning every failure into an InputError."""
    params = {"path": str(script)}
    try:
        data = script.read_bytes()
    except FileNotFoundError:
        raise InputError("script_not_found", params) from None
    except OSError as exc:
        reason = exc.strerror or str(exc)
        raise InputError("script_unreadable", {**params, "reason": reason}) from None
    try:
        encoding, _ = tokenize.detect_encoding(iter(data.splitlines(keepends=True)).__next__)
        source = data.decode(encoding)
    except (SyntaxError, UnicodeDecodeError, LookupError) as exc:
        raise InputError("script_not_utf8", {**params, "note": f"({exc})"}) from None
    return _compile_source(source, str(script), script.name)


def _compile_source(source: str, filename: str, shown: str):
    """Compile user code; a syntax error becomes ``script_syntax`` naming ``shown``."""
    try:
        return compile(source, filename, "exec", dont_inherit=True)
    except SyntaxError as exc:
        line, column = exc.lineno or 0, (exc.offset or 1) - 1
        raise InputError(
            "script_syntax",
            {"path": shown, "line": line, "column": column, "msg": exc.msg},
            text=(exc.text or "").rstrip("\n") or None,
            column=column,
        ) from None


@contextlib.contextmanager
def _script_environment(folder: str | None, argv0: str):
    """Run as ``python script.py`` would: its folder first on sys.path, argv = [script].

    Also restores the grad mode and default dtype, and forgets the modules the
    script imported from its folder, so an edited helper module is re-read on
    the next run in the same long-lived worker. A lesson snippet has no folder.
    No ``__pycache__`` is written into the user's folder: a helper edited within
    the same second to the same size would otherwise be read back from it, stale.
    """
    saved_path, saved_argv = list(sys.path), list(sys.argv)
    saved_modules, saved_no_pyc = set(sys.modules), sys.dont_write_bytecode
    grad_enabled, dtype = torch.is_grad_enabled(), torch.get_default_dtype()
    if folder is not None:
        sys.path.insert(0, folder)
    sys.argv = [argv0]
    sys.dont_write_bytecode = True
    try:
        yield
    finally:
        sys.path[:], sys.argv = saved_path, saved_argv
        sys.dont_write_bytecode = saved_no_pyc
        torch.set_grad_enabled(grad_enabled)
        torch.set_default_dtype(dtype)
        for name in set(sys.modules) - saved_modules:
            module_file = getattr(sys.modules[name], "__file__", None) or ""
            if folder is not None and os.path.abspath(module_file).startswith(folder + os.sep):
                del sys.modules[name]


def _call_build(namespace: dict) -> tuple | None:
    """Call the script's ``build()`` if it defines one: ``(output, params)`` or None."""
    build = namespace.get("build")
    if not callable(build):
        return None
    result = build()
    if (
        isinstance(result, tuple)
        and len(result) == 2
        and isinstance(result[1], (dict, torch.nn.Module))
    ):
        return result
    return result, namespace.get("params")


def _outputs(output: object) -> list[torch.Tensor]:
    """The output as a non-empty list of tensors that require grad."""
    items = list(output) if isinstance(output, (list, tuple)) else [output]
    if not items:
        raise InputError("script_empty_output")
    for item in items:
        if not isinstance(item, torch.Tensor):
            kind = type(item).__name__
            raise InputError("script_bad_output", {"type": kind})
        if not item.requires_grad:
            raise InputError("script_no_grad")
    return items


def _params(params: object) -> dict[str, torch.Tensor]:
    """The params as a ``name -> tensor`` dict (an nn.Module gives its named_parameters)."""
    if params is None:
        return {}
    if isinstance(params, torch.nn.Module):
        return dict(params.named_parameters())
    if isinstance(params, dict) and all(
        isinstance(k, str) and isinstance(v, torch.Tensor) for k, v in params.items()
    ):
        return dict(params)
    raise InputError("script_bad_params", {"type": type(params).__name__})
