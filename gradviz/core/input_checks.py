"""Checks on what a build is given (the API, scripts, lesson code): clear InputErrors.

PyTorch's own errors for these (``'list' object has no attribute 'grad_fn'``,
``grad can be implicitly created only for real scalar outputs``) say neither
what was wrong nor what to do.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import torch

from .errors import InputError
from .lesson_format import MAX_RUNS

REDUCTIONS = (None, "none", "sum", "mean")


def check_build_inputs(outputs: Sequence[Any], params: Any, runs: Any, reduction: Any) -> None:
    """Outputs: one or more real, plain tensors; params: names → tensors; runs 1..MAX_RUNS."""
    if not outputs:
        raise InputError("there is no output to show: give at least one tensor",
                         code="no_output")
    for output in outputs:
        _check_output(output)
    if params is not None:
        if not isinstance(params, Mapping):
            raise InputError(f"params must map names to tensors, not {type(params).__name__}",
                             code="bad_params")
        for name, value in params.items():
            if not isinstance(name, str) or not isinstance(value, torch.Tensor):
                raise InputError(f"params must map names to tensors: {str(name)[:40]!r} is "
                                 f"{type(value).__name__}", code="bad_params",
                                 params={"name": str(name)[:40]})
    if type(runs) is not int or not 1 <= runs <= MAX_RUNS:
        raise InputError(f"runs must be a whole number from 1 to {MAX_RUNS}, not {runs!r}",
                         code="bad_runs", params={"limit": MAX_RUNS})
    if reduction not in REDUCTIONS:
        raise InputError(f"reduction must be 'sum' or 'mean', not {str(reduction)[:20]!r}",
                         code="bad_reduction")


def _check_output(output: Any) -> None:
    if not isinstance(output, torch.Tensor):
        raise InputError(f"the output must be a tensor (or a list of tensors), not "
                         f"{type(output).__name__}", code="not_a_tensor",
                         params={"type": type(output).__name__})
    if output.is_nested:
        raise InputError("nested tensors are not supported: give a plain tensor",
                         code="nested_tensor")
    if output.is_complex():
        raise InputError(f"the output is complex ({str(output.dtype).removeprefix('torch.')}): "
                         "backward() starts from a real number; take .real, .abs() or "
                         "a real loss of it", code="complex_output")
