"""The command line's parsers: ``gradviz [EXPR | LESSON]``, ``gradviz export``, ``gradviz doctor``.

Global options (:func:`add_global_args`) are accepted before and after the
subcommand (``gradviz --theme dark export …`` = ``gradviz export … --theme
dark``; the later one wins). Every parser has ``--help`` and rejects unknown
options (exit 2). To add an option: put it in the function that builds the
parser it belongs to (a function's options, export's, the window's, or the
global ones).
"""

from __future__ import annotations

import argparse
from collections.abc import Callable, Sequence

from . import __version__

EXPRESSION_HELP = ("the function, e.g. '5*x**3 + 2*x', or a lesson file (NAME.gradviz.json, "
                   "saved from the app or one of its Examples)")
EPILOG = """\
subcommands (each has --help):
  export     write the graph to a file (JSON, DOT, PNG, SVG, PDF, GIF) without a window
  doctor     versions, layout engines, display

examples:
  gradviz "sigmoid(w*x + b)" --var w=0.5 --var b=-1 --const x=2
  gradviz lesson.gradviz.json
  gradviz export "5*x**3 + 2*x**2 + 4*x + 8" --var x=2.0 -o seed.png
  gradviz --theme dark export lesson.gradviz.json --function 2 -o f2.svg
"""


def add_global_args(parser: argparse.ArgumentParser) -> None:
    """Options every command takes, before or after the subcommand."""
    parser.add_argument("--lang", choices=("en", "fr"), help="language of the text")
    parser.add_argument("--theme", choices=("light", "dark", "presentation"), default=None)
    parser.add_argument("--layout-engine", choices=("graphviz-pure", "dot"),
                        help="Graphviz engine (default: graphviz-pure, or $GRADVIZ_LAYOUT_ENGINE);"
                        " a missing one falls back to the other, with a warning")
    parser.add_argument("-q", "--quiet", action="store_true",
                        help="no line on success (warnings and errors are still shown)")


COLOUR_BY = ("none", "grad_norm", "value_norm", "saved_bytes", "order")  # core COLOUR_CHOICES
COLOUR_BY_HELP = ("colour the nodes by a number, with its legend (View > Colour nodes by): "
                  + ", ".join(COLOUR_BY))


def _add_function_args(parser: argparse.ArgumentParser) -> None:
    """What to build: a function, a script or a lesson, and how."""
    parser.add_argument("expression", nargs="?", metavar="EXPR | LESSON", help=EXPRESSION_HELP)
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
    parser.add_argument("--order", type=int, choices=(1, 2), default=1,
                        help="2: the graph of the derivative d/dx and its own backward pass")
    parser.add_argument("--saved", action=argparse.BooleanOptionalAction, default=None,
                        help="show (--saved) or hide (--no-saved) saved tensors; default: "
                        "shown up to 1,500 backward nodes, hidden above")
    parser.add_argument("--rankdir", choices=("TB", "LR", "BT", "RL"), default="TB")
    parser.add_argument("--timeout", type=float, default=10.0,
                        help="seconds the function may run (default 10)")
    parser.add_argument("--max-memory", type=float, default=4.0, metavar="GiB",
                        help="memory cap for the function, GiB (default 4)")
    add_global_args(parser)


def build_parser() -> argparse.ArgumentParser:
    """The ``gradviz export`` parser."""
    parser = argparse.ArgumentParser(
        prog="gradviz export",
        description="Build the autograd graph of a function (or a script's, or a lesson "
        "file's) and write it to a file, without a window. Prints one line on success.",
        epilog="example: gradviz export \"5*x**3 + 2*x**2 + 4*x + 8\" --var x=2.0 -o seed.png",
    )
    _add_function_args(parser)
    parser.add_argument("-o", "--output", required=True, metavar="FILE",
                        help="by suffix: .json .dot .png .svg .pdf .gif .html (its folder must "
                        "exist)")
    parser.add_argument("--seed-example", action="store_true",
                        help="export the course example 5*x**3 + 2*x**2 + 4*x + 8 at x = 2")
    parser.add_argument("--step", default=None,
                        help="animation state for images (default 'last'), start of an .html "
                        "page (default 0): a step number, or 'last'")
    parser.add_argument("--scale", type=float, default=None,
                        help="image scale, 1 to 4 (default 2: PNG and GIF at 144 dpi)")
    parser.add_argument("--dpi", type=float, help="resolution written in PNGs; PDF resolution")
    parser.add_argument("--caption", action="store_true",
                        help="write the function, the step and its explanation under it")
    parser.add_argument("--indent", type=int, metavar="N",
                        help="JSON: indent by N spaces (default: compact)")
    parser.add_argument("--transparent", action="store_true", help="PNG without background")
    parser.add_argument("--smooth", action="store_true",
                        help="GIF/frames: in-between frames (a leaf's .grad filling in)")
    parser.add_argument("--frame-ms", type=int, default=900, help="GIF frame duration, ms")
    parser.add_argument("--paths", metavar="NAME",
                        help="images: highlight every path from the output to variable NAME "
                             "and caption its gradient as one term per path")
    parser.add_argument("--colour-by", "--color-by", dest="colour_by", metavar="MEASURE",
                        help=COLOUR_BY_HELP + "; default: by order for a higher-order graph")
    parser.add_argument("--frames", action="store_true",
                        help="write numbered PNGs into a folder (-o FOLDER.png)")
    parser.add_argument("--fold", action=argparse.BooleanOptionalAction, default=None,
                        help="a big graph (the window's threshold) with its repeated layers "
                        "folded, as the window opens it: the default for images, GIFs and "
                        ".html; JSON and DOT hold the full graph unless --fold")
    parser.add_argument("--no-controls", action="store_true",
                        help=".html: a still page at --step, without buttons (for slides)")
    parser.add_argument("--lesson", metavar="FILE.gradviz.json",
                        help="export a function of a lesson file (see --function)")
    parser.add_argument("--function", type=int, default=1, metavar="N",
                        help="with a lesson: which of its functions (default 1)")
    parser.add_argument("--allow-code", action="store_true",
                        help="with a lesson: run its Python code (never done otherwise)")
    parser.add_argument("--check", action="store_true",
                        help="also print the gradient diagnostics (NaN/Inf, zero, exploding)")
    parser.add_argument("--strict", action="store_true",
                        help="with --check: exit with code 3 when a problem is found")
    return parser


def doctor_parser() -> argparse.ArgumentParser:
    """The ``gradviz doctor`` parser (global options only)."""
    parser = argparse.ArgumentParser(
        prog="gradviz doctor",
        description="What gradviz finds on this machine: versions, layout engines, display.")
    add_global_args(parser)
    return parser




def app_parser() -> argparse.ArgumentParser:
    """The parser for ``gradviz [EXPR | LESSON]`` (opens the window)."""
    parser = argparse.ArgumentParser(
        prog="gradviz",
        usage="%(prog)s [OPTIONS] [EXPR | LESSON]\n"
              "       %(prog)s export [OPTIONS] -o FILE [EXPR | LESSON]\n"
              "       %(prog)s doctor",
        description="See PyTorch autograd: the grad_fn graph of a function and its backward\n"
        "pass, step by step. Opens the window on a function, or on a lesson file;\n"
        "with nothing, on the course example.",
        epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"gradviz {__version__}")
    _add_function_args(parser)
    parser.add_argument("--screenshot", metavar="FILE.png",
                        help="save a screenshot of the window and exit")
    parser.add_argument("--step", default=None, help="open at this step ('last' or a number)")
    parser.add_argument("--present", action="store_true",
                        help="open in presentation mode (full screen, large text; F5/Esc leave)")
    parser.add_argument("--colour-by", "--color-by", dest="colour_by", metavar="MEASURE",
                        help=COLOUR_BY_HELP)
    parser.add_argument("--size", metavar="WxH",
                        help="window size in pixels, e.g. 1920x1080 (screenshots, projectors)")
    parser.add_argument("--reset-settings", action="store_true",
                        help="forget the app's saved settings (start as on a fresh install)")
    return parser


SUBCOMMANDS: dict[str, Callable[[], argparse.ArgumentParser]] = {
    "export": build_parser,
    "doctor": doctor_parser,
}


def parse_command(argv: Sequence[str]) -> tuple[str, argparse.Namespace]:
    """``("app" | "export" | "doctor", its arguments)``; argparse exits 2 on a mistake."""
    argv = list(argv)
    at = _subcommand_index(argv)
    if at is None:
        return "app", app_parser().parse_args(argv)
    name, parser = argv[at], SUBCOMMANDS[argv[at]]()
    if {"-h", "--help"} & set(argv[:at]):
        parser.parse_args(["--help"])  # prints the subcommand's help and exits
    before = argparse.ArgumentParser(prog="gradviz", add_help=False)
    before.add_argument("--version", action="version", version=f"gradviz {__version__}")
    add_global_args(before)
    args = before.parse_args(argv[:at])
    # the subcommand's own values are set on top: defaults never undo a global option
    return name, parser.parse_args(argv[at + 1:], namespace=args)


def _subcommand_index(argv: list[str]) -> int | None:
    """Where the subcommand is: the first word that is not an option or an option's value."""
    options = app_parser()._option_string_actions
    i = 0
    while i < len(argv):
        word = argv[i]
        if word in SUBCOMMANDS:
            return i
        if word == "--" or not word.startswith("-") or word == "-":
            return None  # the window's function or lesson
        action = options.get(word)
        i += 2 if action is not None and action.nargs != 0 and "=" not in word else 1
    return None
