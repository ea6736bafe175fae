"""Command line: ``gradviz`` opens the app; ``gradviz export`` writes files headless.

Exit codes: 0 done; 2 bad input (one clear line on stderr, no traceback,
nothing written); 1 an internal error (a traceback and a request to report
it); 3 ``export --check --strict`` found a gradient problem. Output files
appear only when complete (temp file, then rename).
"""

from __future__ import annotations

import argparse
import os
import sys
import traceback
from collections.abc import Sequence
from pathlib import Path

from .cli_args import app_parser, build_parser, parse_command
from .cli_request import check_lesson_arg, config_from_args, lesson_request, request_from_args
from .core.errors import Cancelled, EngineError, InputError, UsageError
from .core.runtime.export_options import ExportOptions, export_fold, export_format
from .core.runtime.options import SEED_EXPRESSION, SEED_VARIABLES

__all__ = ["main", "app_parser", "build_parser", "request_from_args", "UsageError",
           "SEED_EXPRESSION", "SEED_VARIABLES", "lesson_request"]

REPORT_HINT = "This is a bug in gradviz; please report it with the traceback above."


def build_from_args(args: argparse.Namespace, *, worker=None, fold: bool = False):
    """The laid-out Snapshot ``args`` ask for (see :func:`gradviz.core.runtime.job.run_build`).

    ``worker``: an already started :class:`EvaluationWorker` to use (left open);
    by default one is made for this build (its cap: ``--max-memory``). ``fold``: a big
    graph's folded first picture (``BuildRequest.fold``).
    """
    from dataclasses import replace

    from .cli_checks import check_function_args
    from .core.runtime.job import run_build

    request = replace(request_from_args(args), fold=fold)
    check_function_args(args)
    return run_build(request, worker=worker)


def run_export(args: argparse.Namespace, *, worker=None) -> int:
    """``gradviz export ...``: checks, build, write, one line on success (unless -q)."""
    _check_function(args)
    out, fmt = _output_path(args)
    options = export_options(args)
    fold = export_fold(fmt, args.fold)
    snapshot = build_from_args(args, worker=worker, fold=fold)
    if args.theme and args.theme != options.theme:  # a lesson's own theme (lesson_request)
        from dataclasses import replace

        options = replace(options, theme=args.theme)
    warning = snapshot.meta.get("layout_warning")
    if warning:
        print(f"gradviz: warning: {warning['message']}", file=sys.stderr)
    _say_saved_choice(snapshot)
    from .core.layout.fold_layout import fold_note

    note = fold_note(snapshot, "--no-fold")
    if note:
        print(note, file=sys.stderr)
    if fmt == "page" and getattr(args, "lesson", None):
        from dataclasses import replace

        from .html.lesson_texts import lesson_texts

        texts = lesson_texts(args.lesson, args.function, args.lang)
        options = replace(options, title=texts.title, notes=texts.notes,
                          step_notes=texts.step_notes)
    if fmt not in ("json", "dot", "page"):
        from .ui.base.i18n import install_translators
        from .ui.export.images import ensure_app

        install_translators(ensure_app(), args.lang)  # captions in the language asked for
    from .export_file import write_export

    written = write_export(snapshot, out, options)
    if args.frames:
        if not args.quiet:
            print(f"wrote {len(written)} frames into {out.with_suffix('')}{os.sep}")
        return _check(args, snapshot)
    if not args.quiet:
        from .cli_summary import summary

        print(f"wrote {out} ({summary(out, snapshot, args.step)})")
    return _check(args, snapshot)


def _check(args: argparse.Namespace, snapshot) -> int:
    """``--check``: print the diagnostics (exit 0); with ``--strict``, 3 on a problem."""
    if not (args.check or args.strict):
        return 0
    from .ui.export.problems_cli import print_check

    return print_check(snapshot, lang=args.lang, strict=args.strict)


def _check_function(args: argparse.Namespace) -> None:
    """Exactly one function to export; a lesson file given plainly counts as ``--lesson``."""
    if args.expression and args.expression.lower().endswith(".gradviz.json") \
            and not (args.lesson or args.script):
        args.lesson, args.expression = args.expression, None
    if args.expression is None and not (args.script or args.lesson or args.seed_example):
        raise UsageError("nothing to export: give a function (e.g. \"5*x**3 + 2*x\" --var "
                         "x=2.0), --script FILE.py, a lesson file, or --seed-example")
    if args.seed_example and (args.expression is not None or args.script or args.lesson):
        raise UsageError("--seed-example exports the course example: give no other function")


def _output_path(args: argparse.Namespace) -> tuple[Path, str]:
    """``-o``, and the format its suffix names (core.export_options: the same table as
    every surface); a clear error for bad values."""
    out = Path(args.output)
    if args.frames:
        if out.suffix.lower() not in ("", ".png"):
            raise UsageError("--frames writes PNGs into a folder: -o FOLDER")
        out = out.with_suffix(".png")
    fmt = export_format(out)
    from .cli_checks import check_output

    check_output(out, frames=args.frames)
    return out, fmt


def export_options(args: argparse.Namespace) -> ExportOptions:
    """The export's options from the command line (checked as on every surface)."""
    return ExportOptions(
        step=args.step, scale=args.scale, theme=args.theme, lang=args.lang,
        caption=args.caption, transparent=args.transparent, smooth=args.smooth,
        frame_ms=args.frame_ms, dpi=args.dpi, paths=args.paths,
        controls=not args.no_controls, indent=args.indent, frames=args.frames,
        colour_by=args.colour_by)


def _say_saved_choice(snapshot) -> None:
    """One line on stderr when the size rule hid saved tensors (core.saved_rule)."""
    from .core.lens.saved_rule import hidden_note

    note = hidden_note(snapshot.meta, "--saved")
    if note:
        print(note, file=sys.stderr)


def run_doctor(args: argparse.Namespace | None = None) -> int:
    """``gradviz doctor``: versions, layout engines, display."""
    from .doctor import report

    print(report(getattr(args, "layout_engine", None)))
    return 0


def run_app(args: argparse.Namespace) -> int:
    """``gradviz [EXPR] [--var ...]``: open the window.

    The evaluation worker is spawned first, before Qt is even imported: its
    ``import torch`` (the slow part) runs on the other core while the window
    is created and painted.
    """
    from .core.lens.node_measures import check_colour_by

    check_colour_by(args.colour_by)  # the same refusal as export's, before a window opens
    _check_display(args)
    from .cli_checks import check_function_args
    from .core.runtime.worker import EvaluationWorker  # torch-free on this side

    check_function_args(args)
    if args.screenshot:
        check_lesson_arg(args)
    config = config_from_args(args)
    worker = EvaluationWorker(timeout=config.request.timeout,
                              max_memory=config.request.memory_cap)
    worker.start()
    try:
        from .ui.window.app import run

        return run(config, worker=worker)
    finally:
        worker.close()


def _check_display(args: argparse.Namespace) -> None:
    """No screen: a screenshot runs offscreen; opening a window is a clear error, not a
    Qt abort ("could not load the Qt platform plugin")."""
    if not sys.platform.startswith("linux") or os.environ.get("QT_QPA_PLATFORM"):
        return
    if os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"):
        return
    if args.screenshot:
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
        return
    raise UsageError("no display to open the window on (neither DISPLAY nor WAYLAND_DISPLAY "
                     "is set). `gradviz export ... -o FILE` writes files without one, and "
                     "`--screenshot FILE.png` saves the window offscreen.")


def main(argv: Sequence[str] | None = None, *, worker=None) -> int:
    """Entry point of the ``gradviz`` command and of ``python -m gradviz``.

    ``worker``: an already started evaluation worker for ``export`` to use
    (a program running many commands, or the tests); left open.
    """
    command_line, argv = argv is None, list(sys.argv[1:] if argv is None else argv)
    from .core.runtime.reaper import make_undumpable

    make_undumpable()  # the worker's code cannot open this process's pipes via /proc
    try:
        try:
            command, args = parse_command(argv)
        except SystemExit as done:  # --help, --version, or argparse's usage error (2)
            return done.code if isinstance(done.code, int) else 0 if done.code is None else 2
        if command == "export":
            return _reaping(command_line, lambda: run_export(args, worker=worker))
        if command == "doctor":
            return run_doctor(args)
        return run_app(args)
    except (InputError, UsageError, EngineError) as err:
        text = err.format() if isinstance(err, (InputError, EngineError)) else str(err)
        print(f"gradviz: error: {text}", file=sys.stderr)
        return 2
    except Cancelled:
        print("gradviz: cancelled", file=sys.stderr)
        return 130
    except KeyboardInterrupt:
        return 130
    except Exception as err:
        from .core.runtime.worker import WorkerError

        if isinstance(err, WorkerError) and err.kind != "internal":
            print(f"gradviz: error: {_worker_message(err)}", file=sys.stderr)
            return 2
        traceback.print_exc()
        print(f"gradviz: internal error: {err}\n{REPORT_HINT}", file=sys.stderr)
        return 1


def _reaping(command_line: bool, run) -> int:
    """Run a headless command; as the real command line, no process it started outlives it
    (even one whose worker died: this process is their subreaper, see core.reaper).

    The process ends with the command: its cyclic garbage collector is off (each pass
    would walk the received Snapshot's objects again, ~30 ms each on a 3,000-op chain).
    """
    if not command_line:
        return run()
    import gc

    from .core.runtime.reaper import become_subreaper, kill_descendants

    gc.disable()
    become_subreaper()
    try:
        return run()
    finally:
        kill_descendants()


def _worker_message(err) -> str:
    tb = err.details.get("traceback") if err.kind == "script_error" else None
    return f"{err.message}\n{tb.rstrip()}" if tb else err.message
