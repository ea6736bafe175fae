"""Checks on the command line's values, before anything runs or is written.

Each bad value is a :class:`~gradviz.cli.UsageError`: exit code 2 and one
line naming the option and what it accepts. Torch-free.
"""

from __future__ import annotations

import argparse
import math
import re
from pathlib import Path

from .core.errors import UsageError

MAX_TIMEOUT = 86_400.0  # seconds: one day
MEMORY_RANGE = (1.0, 1024.0)  # GiB: under ~0.7 GiB torch cannot even be imported
SEED_RANGE = (-(2**63), 2**64 - 1)  # what torch.manual_seed accepts
_DEVICE = re.compile(r"(cpu|cuda|mps|xpu)(:[0-9]{1,4})?")


def check_function_args(args: argparse.Namespace) -> None:
    """--timeout, --max-memory, --seed and --device: finite, in range, known."""
    timeout = args.timeout
    if not (math.isfinite(timeout) and 0 < timeout <= MAX_TIMEOUT):
        raise UsageError(f"--timeout must be a number of seconds above 0 and at most "
                         f"{MAX_TIMEOUT:g} (got {timeout:g})")
    low, high = MEMORY_RANGE
    if not (math.isfinite(args.max_memory) and low <= args.max_memory <= high):
        raise UsageError(f"--max-memory must be between {low:g} and {high:g} GiB "
                         f"(got {args.max_memory:g})")
    seed = getattr(args, "seed", None)
    if seed is not None and not SEED_RANGE[0] <= seed <= SEED_RANGE[1]:
        raise UsageError(f"--seed must be between {SEED_RANGE[0]} and {SEED_RANGE[1]}")
    device = getattr(args, "device", "cpu")
    if not _DEVICE.fullmatch(device):
        raise UsageError(f"--device must be cpu, cuda, cuda:N or mps (got {device[:40]!r})")


def check_output(out: Path, *, frames: bool = False) -> None:
    """``-o``: a file in a folder that exists (``--frames``: a folder, made if missing)."""
    target = out.with_suffix("") if frames else out
    if frames and target.exists() and not target.is_dir():
        raise UsageError(f"--frames writes PNGs into a folder, and {str(target)!r} is a file")
    if not frames and target.is_dir():
        raise UsageError(f"{str(target)!r} is a folder: -o names the file to write")
    parent = target.parent
    if not parent.exists():
        raise UsageError(f"folder {str(parent)!r} does not exist (gradviz does not create it)")
    if not parent.is_dir():
        raise UsageError(f"{str(parent)!r} is not a folder")
