"""The worker job a command line or the window asks for: a typed function, a script or
a lesson's function, with its build options (a plain dict the worker reads).

Torch-free: the CLI and the window both build their job here, from an argparse-like
namespace (the options of ``gradviz`` and ``gradviz export``).
"""

from __future__ import annotations

import argparse
import os

from .errors import UsageError
from .options import SEED_EXPRESSION, SEED_VARIABLES

__all__ = ["build_options", "lesson_payload", "payload_from_args", "typed_payload",
           "worker_memory"]


def lesson_payload(args: argparse.Namespace) -> dict:
    """The worker job for ``--lesson FILE [--function N] [--allow-code]``.

    Reading the lesson runs nothing; its code runs only with ``--allow-code``.
    """
    from .lesson import function_payload, load_lesson

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
    """The worker job for a function given on the command line (or the seed)."""
    if getattr(args, "lesson", None):
        return lesson_payload(args)
    if args.runs < 1 or args.runs > 10:
        raise UsageError("--runs must be between 1 and 10")
    if args.script:
        if args.expression:
            raise UsageError("give either an expression or --script, not both")
        if getattr(args, "order", 1) != 1:
            raise UsageError("--order 2 works on a typed expression, not on --script")
        return {"script": os.path.abspath(args.script), "options": build_options(args)}
    expression = args.expression
    variables = args.var
    if expression is None:
        expression, variables = SEED_EXPRESSION, args.var or SEED_VARIABLES
    return typed_payload(args, expression, variables, args.const)


def typed_payload(args: argparse.Namespace, expression: str, variables: list[str],
                  constants: list[str]) -> dict:
    """The worker job for a typed function, with the options of ``args`` (the window's
    editor builds the same job as ``gradviz export``: device, dtype, seed included)."""
    payload = {"expression": expression, "variables": variables, "constants": constants,
               "dtype": args.dtype, "seed": args.seed, "device": args.device,
               "options": build_options(args)}
    if getattr(args, "order", 1) == 2:
        payload["order"] = 2
    return payload


def build_options(args: argparse.Namespace) -> dict:
    """The build options of ``args`` (see :class:`~gradviz.core.options.BuildOptions`)."""
    return {"show_saved": args.saved, "reduction": args.reduce, "runs": args.runs,
            "engine": args.layout_engine, "rankdir": args.rankdir}


def worker_memory(args: argparse.Namespace) -> int | None:
    """The worker's memory cap in bytes; none off the CPU (CUDA reserves address space)."""
    on_cpu = getattr(args, "device", "cpu").split(":")[0] == "cpu"
    return int(args.max_memory * 2**30) if on_cpu else None
