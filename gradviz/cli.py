"""Command line: ``gradviz`` opens the app; ``gradviz export`` writes files headless.

Exit codes: 0 done; 2 bad input (one clear line on stderr, no traceback,
nothing written); 1 an internal error (a traceback and a request to report
it). Output files appear only when complete (temp file, then rename).
"""

from __future__ import annotations

import argparse
import os
import sys
import traceback
from collections.abc import Sequence
from pathlib import Path

from . import __version__
from .core.errors import Cancelled, EngineError, InputError
from .core.files import write_atomically

SEED_EXPRESSION = "5*x**3 + 2*x**2 + 4*x + 8"
SEED_VARIABLES = ["x=2.0"]
DATA_SUFFIXES = (".json", ".dot")
IMAGE_SUFFIXES = (".png", ".svg", ".pdf")
ANIMATION_SUFFIXES = (".gif",)
REPORT_HINT = "This is a bug in gradviz; please report it with the traceback above."


class UsageError(Exception):
    """A command-line mistake: exit code 2."""


def _add_function_args(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("expression", nargs="?", help="the function, e.g. '5*x**3 + 2*x'")
    parser.add_argument("--var", action="append", default=[], metavar="NAME=VALUE",
                        help="a variable that needs a gradient (x=2.0, v=[1,2], W=randn(3,4))")
    parser.add_argument("--const", action="append", default=[], metavar="NAME=VALUE",
                        help="a variable without gradient")
    parser.add_argument("--script", metavar="FILE.py",
                        help="a Python file defining `output` (and `params`) or build()")
    parser.add_argument("--dtype", choices=("float32", "float64"), default="float32")
    parser.add_argument("--seed", type=int, help="seed for randn/rand values")
    parser.add_argument("--device", default="cpu",
                        help="where the tensors live: cpu (default), cuda, cuda:1")
    parser.add_argument("--reduce", choices=("sum", "mean"),
                        help="reduce a non-scalar output before backward")
    parser.add_argument("--runs", type=int, default=1,
                        help="backward calls (2 shows .grad accumulating)")
    parser.add_argument("--saved", action=argparse.BooleanOptionalAction, default=None,
                        help="show (--saved) or hide (--no-saved) saved tensors; default: "
                        "shown up to 1,500 backward nodes, hidden above")
    parser.add_argument("--layout-engine", choices=("graphviz-pure", "dot"),
                        help="Graphviz engine (default: graphviz-pure, or $GRADVIZ_LAYOUT_ENGINE)")
    parser.add_argument("--rankdir", choices=("TB", "LR", "BT", "RL"), default="TB")
    parser.add_argument("--timeout", type=float, default=10.0,
                        help="seconds the function may run (default 10)")
    parser.add_argument("--max-memory", type=float, default=4.0, metavar="GiB",
                        help="memory cap for the function, GiB (default 4)")
    parser.add_argument("--lang", choices=("en", "fr"), help="language of the text")
    parser.add_argument("--theme", choices=("light", "dark", "presentation"), default=None)


def build_parser() -> argparse.ArgumentParser:
    """The ``gradviz export`` parser."""
    parser = argparse.ArgumentParser(
        prog="gradviz export",
        description="Build the autograd graph of a function and write it to a file.",
    )
    _add_function_args(parser)
    parser.add_argument("-o", "--output", required=True, metavar="FILE",
                        help="by suffix: .json .dot .png .svg .pdf .gif")
    parser.add_argument("--step", default="last",
                        help="animation state for images: a step number, or 'last'")
    parser.add_argument("--scale", type=float, default=1.0, help="image scale, 1 to 4")
    parser.add_argument("--dpi", type=float, help="resolution written in PNGs; PDF resolution")
    parser.add_argument("--caption", action="store_true", help="write the function under it")
    parser.add_argument("--indent", type=int, metavar="N",
                        help="JSON: indent by N spaces (default: compact)")
    parser.add_argument("--transparent", action="store_true", help="PNG without background")
    parser.add_argument("--smooth", action="store_true",
                        help="GIF/frames: in-between frames (a leaf's .grad filling in)")
    parser.add_argument("--frame-ms", type=int, default=900, help="GIF frame duration, ms")
    parser.add_argument("--frames", action="store_true",
                        help="write numbered PNGs into a folder (-o FOLDER.png)")
    parser.add_argument("--lesson", metavar="FILE.gradviz.json",
                        help="export a function of a lesson file (see --function)")
    parser.add_argument("--function", type=int, default=1, metavar="N",
                        help="with --lesson: which of its functions (default 1)")
    parser.add_argument("--allow-code", action="store_true",
                        help="with --lesson: run its Python code (never done otherwise)")
    return parser


def app_parser() -> argparse.ArgumentParser:
    """The parser for ``gradviz [EXPR]`` (opens the window)."""
    parser = argparse.ArgumentParser(
        prog="gradviz",
        description="See PyTorch autograd: the grad_fn graph of a function and its backward "
        "pass, step by step. Subcommands: export, doctor.",
    )
    parser.add_argument("--version", action="version", version=f"gradviz {__version__}")
    _add_function_args(parser)
    parser.add_argument("--screenshot", metavar="FILE.png",
                        help="save a screenshot of the window and exit")
    parser.add_argument("--step", default=None, help="open at this step ('last' or a number)")
    parser.add_argument("--reset-settings", action="store_true")
    return parser


def lesson_payload(args: argparse.Namespace) -> dict:
    """The worker job for ``--lesson FILE [--function N] [--allow-code]``.

    Reading the lesson runs nothing; its code runs only with ``--allow-code``.
    """
    from .core.lesson import function_payload, load_lesson

    if args.expression or args.script:
        raise UsageError("give either an expression, --script or --lesson, not several")
    lesson = load_lesson(args.lesson)
    if not 1 <= args.function <= len(lesson.functions):
        raise UsageError(f"--function must be between 1 and {len(lesson.functions)} "
                         f"(this lesson has {len(lesson.functions)})")
    payload = function_payload(lesson.functions[args.function - 1], allow_code=args.allow_code,
                               view=lesson.view)
    if args.layout_engine:
        payload["options"]["engine"] = args.layout_engine
    if args.saved is not None:
        payload["options"]["show_saved"] = args.saved
    if args.theme is None and lesson.view.theme:
        args.theme = lesson.view.theme
    return payload


def payload_from_args(args: argparse.Namespace) -> dict:
    """The worker job for a function given on the command line."""
    if getattr(args, "lesson", None):
        return lesson_payload(args)
    options = {"show_saved": args.saved, "reduction": args.reduce, "runs": args.runs,
               "engine": args.layout_engine, "rankdir": args.rankdir}
    if args.runs < 1 or args.runs > 10:
        raise UsageError("--runs must be between 1 and 10")
    if args.script:
        if args.expression:
            raise UsageError("give either an expression or --script, not both")
        return {"script": os.path.abspath(args.script), "options": options}
    expression = args.expression
    variables = args.var
    if expression is None:
        expression, variables = SEED_EXPRESSION, args.var or SEED_VARIABLES
    return {"expression": expression, "variables": variables, "constants": args.const,
            "dtype": args.dtype, "seed": args.seed, "device": args.device, "options": options}


def build_from_args(args: argparse.Namespace, *, layout: bool = True):
    """Run the job in the evaluation worker, then lay the Snapshot out here."""
    from .core.options import JOB_TARGET, BuildOptions
    from .core.snapshot_layout import layout_snapshot
    from .core.worker import EvaluationWorker

    payload = payload_from_args(args)
    if args.timeout <= 0 or args.max_memory <= 0:
        raise UsageError("--timeout and --max-memory must be positive")
    # RLIMIT_AS caps address space, which CUDA's start-up reserves by the tens of GiB.
    on_cpu = getattr(args, "device", "cpu") == "cpu"
    max_memory = int(args.max_memory * 2**30) if on_cpu else None
    with EvaluationWorker(timeout=args.timeout, max_memory=max_memory) as worker:
        worker.start()
        snapshot = worker.run(JOB_TARGET, payload)
    if layout:
        options = BuildOptions.from_dict(payload["options"])
        snapshot.layout = layout_snapshot(snapshot, options)
    return snapshot


def run_export(argv: Sequence[str]) -> int:
    """``gradviz export ...``"""
    args = build_parser().parse_args(argv)
    out = Path(args.output)
    suffix = out.suffix.lower()
    known = DATA_SUFFIXES + IMAGE_SUFFIXES + ANIMATION_SUFFIXES
    if args.frames:
        suffix = ".png"
        if out.suffix.lower() not in ("", ".png"):
            raise UsageError("--frames writes PNGs into a folder: -o FOLDER")
        out = out.with_suffix(".png")
    if suffix not in known:
        raise UsageError(f"cannot write {out.name!r}: use one of {' '.join(known)}")
    if not 1.0 <= args.scale <= 4.0:
        raise UsageError("--scale must be between 1 and 4")
    if not 50 <= args.frame_ms <= 10_000:
        raise UsageError("--frame-ms must be between 50 and 10000")
    if args.dpi is not None and not 36 <= args.dpi <= 1200:
        raise UsageError("--dpi must be between 36 and 1200")
    if args.indent is not None and not 0 <= args.indent <= 8:
        raise UsageError("--indent must be between 0 and 8")
    snapshot = build_from_args(args)
    _say_saved_choice(snapshot)
    if suffix == ".json":
        write_atomically(out, snapshot.to_json_bytes(indent=args.indent))
    elif suffix == ".dot":
        from .core.snapshot_layout import snapshot_dot

        write_atomically(out, snapshot_dot(snapshot).encode("utf-8"))
    else:
        from .ui.file_export import export_frames, export_snapshot

        if args.frames:
            export_frames(snapshot, out.with_suffix(""), theme=args.theme, scale=args.scale,
                          caption=args.caption, smooth=args.smooth)
        else:
            export_snapshot(snapshot, out, step=args.step, theme=args.theme, scale=args.scale,
                            caption=args.caption, transparent=args.transparent,
                            smooth=args.smooth, frame_ms=args.frame_ms, dpi=args.dpi)
    return 0


def _say_saved_choice(snapshot) -> None:
    from .core.saved_rule import hidden_note

    note = hidden_note(snapshot.meta, "--saved")
    if note:
        print(note, file=sys.stderr)


def run_doctor() -> int:
    """``gradviz doctor``: versions, layout engines, display."""
    from .doctor import report

    print(report())
    return 0


def run_app(argv: Sequence[str]) -> int:
    """``gradviz [EXPR] [--var ...]``: open the window.

    The evaluation worker is spawned first, before Qt is even imported: its
    ``import torch`` (the slow part) runs on the other core while the window
    is created and painted.
    """
    args = app_parser().parse_args(argv)
    _check_display(args)
    from .core.worker import EvaluationWorker  # torch-free on this side

    on_cpu = getattr(args, "device", "cpu") == "cpu"
    worker = EvaluationWorker(timeout=args.timeout,
                              max_memory=int(args.max_memory * 2**30) if on_cpu else None)
    worker.start()
    try:
        from .ui.app import run

        return run(args, worker=worker)
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


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``gradviz`` command and of ``python -m gradviz``."""
    argv = list(sys.argv[1:] if argv is None else argv)
    try:
        if argv[:1] == ["export"]:
            return run_export(argv[1:])
        if argv[:1] == ["doctor"]:
            return run_doctor()
        return run_app(argv)
    except (InputError, UsageError, EngineError) as err:
        text = err.format() if isinstance(err, InputError) else str(err)
        print(f"gradviz: error: {text}", file=sys.stderr)
        return 2
    except Cancelled:
        print("gradviz: cancelled", file=sys.stderr)
        return 130
    except KeyboardInterrupt:
        return 130
    except Exception as err:  # noqa: BLE001 - the last resort: say it is ours
        from .core.worker import WorkerError

        if isinstance(err, WorkerError) and err.kind != "internal":
            print(f"gradviz: error: {_worker_message(err)}", file=sys.stderr)
            return 2
        traceback.print_exc()
        print(f"gradviz: internal error: {err}\n{REPORT_HINT}", file=sys.stderr)
        return 1


def _worker_message(err) -> str:
    tb = err.details.get("traceback") if err.kind == "script_error" else None
    return f"{err.message}\n{tb.rstrip()}" if tb else err.message
