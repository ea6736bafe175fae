"""The command line's arguments as typed contracts: a :class:`BuildRequest` for
``gradviz export`` and the window's first build, an :class:`AppConfig` for the window.

Only the entry points (``cli.py``, tests) import this: the window and the core never
see an argparse namespace. Torch-free and Qt-free.
"""

from __future__ import annotations

import argparse
import os
from collections.abc import Sequence
from dataclasses import replace

from .core.errors import UsageError
from .core.runtime.options import SEED_EXPRESSION, SEED_VARIABLES, BuildOptions
from .core.runtime.request import AppConfig, BuildRequest, Expression, Script

__all__ = ["app_config", "check_lesson_arg", "config_from_args", "lesson_request",
           "request_from_args"]

LESSON_SUFFIX = ".gradviz.json"


def request_from_args(args: argparse.Namespace) -> BuildRequest:
    """The build ``args`` ask for: ``--lesson``, ``--script``, a typed function or the seed."""
    if getattr(args, "lesson", None):
        return lesson_request(args)
    if args.runs < 1 or args.runs > 10:
        raise UsageError("--runs must be between 1 and 10")
    if args.script:
        if args.expression:
            raise UsageError("give either an expression or --script, not both")
        if getattr(args, "order", 1) != 1:
            raise UsageError("--order 2 works on a typed expression, not on --script")
        return _with_limits(BuildRequest(Script(os.path.abspath(args.script)),
                                         options=_options(args)), args)
    expression, variables = args.expression, args.var
    if expression is None:
        expression, variables = SEED_EXPRESSION, args.var or SEED_VARIABLES
    source = Expression(expression, tuple(variables), tuple(args.const),
                        getattr(args, "order", 1))
    return _with_limits(BuildRequest(source, dtype=args.dtype, seed=args.seed,
                                     device=args.device, options=_options(args)), args)


def lesson_request(args: argparse.Namespace) -> BuildRequest:
    """The build for ``--lesson FILE [--function N] [--allow-code]``; the lesson's theme
    becomes ``args.theme`` unless one was given.

    Reading the lesson runs nothing; its code runs only with ``--allow-code``.
    """
    from .core.lesson.files import function_request, load_lesson

    if args.expression or args.script:
        raise UsageError("give either an expression, --script or --lesson, not several")
    lesson = load_lesson(args.lesson)
    if not 1 <= args.function <= len(lesson.functions):
        raise UsageError(f"--function must be between 1 and {len(lesson.functions)} "
                         f"(this lesson has {len(lesson.functions)})")
    request = function_request(lesson.functions[args.function - 1], allow_code=args.allow_code,
                               view=lesson.view)
    if args.layout_engine:
        request = request.with_options(engine=args.layout_engine)
    if args.saved is not None:
        request = request.with_options(show_saved=args.saved)
    if args.theme is None and lesson.view.theme:
        args.theme = lesson.view.theme
    return _with_limits(request, args)


def config_from_args(args: argparse.Namespace) -> AppConfig:
    """The window's configuration from ``gradviz [EXPR | LESSON] [OPTIONS]``."""
    lesson = None
    if args.expression and args.expression.lower().endswith(LESSON_SUFFIX):
        lesson, args = args.expression, argparse.Namespace(**{**vars(args), "expression": None})
    return AppConfig(request=request_from_args(args), lesson=lesson, language=args.lang,
                     theme=args.theme, screenshot=args.screenshot, step=args.step,
                     size=getattr(args, "size", None), present=bool(getattr(args, "present",
                                                                             False)),
                     reset_settings=bool(getattr(args, "reset_settings", False)),
                     colour_by=getattr(args, "colour_by", None))


def check_lesson_arg(args: argparse.Namespace) -> None:
    """A lesson named on the window's command line must open, alone (UsageError)."""
    from .core.lesson.files import LessonError, load_lesson

    if args.expression and args.expression.lower().endswith(LESSON_SUFFIX):
        if args.var or args.const or args.script:
            raise UsageError("a lesson file brings its own variables: drop --var/--const/--script")
        try:
            load_lesson(args.expression)
        except LessonError as exc:
            raise UsageError(exc.format()) from None


def app_config(argv: Sequence[str] = ()) -> AppConfig:
    """:func:`config_from_args` of the window's command line ``argv`` (tests, embedding)."""
    from .cli_args import app_parser

    return config_from_args(app_parser().parse_args(list(argv)))


def _options(args: argparse.Namespace) -> BuildOptions:
    return BuildOptions(show_saved=args.saved, reduction=args.reduce, runs=args.runs,
                        engine=args.layout_engine, rankdir=args.rankdir)


def _with_limits(request: BuildRequest, args: argparse.Namespace) -> BuildRequest:
    return replace(request, timeout=args.timeout, max_memory_gib=args.max_memory)
