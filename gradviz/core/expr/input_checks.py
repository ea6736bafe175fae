"""Checks on what a build is given (the API, scripts, lesson code): clear InputErrors.

PyTorch's own errors for these (``'list' object has no attribute 'grad_fn'``,
``grad can be implicitly created only for real scalar outputs``) say neither
what was wrong nor what to do.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import torch

from ..errors import InputError
from ..lesson.format import MAX_RUNS

REDUCTIONS = (None, "none", "sum", "mean")


def check_build_inputs(outputs: Sequence[Any], params: Any, runs: Any, reduction: Any) -> None:
    """Outputs: one or more real, plain tensors; params: names → tensors; runs 1..MAX_RUNS."""
    if not outputs:
        raise InputError("no_output")
    for output in outputs:
        _check_output(output)
    if params is not None:
        if not isinstance(params, Mapping):
            raise InputError("bad_params", {"type": type(params).__name__})
        for name, value in params.items():
            if not isinstance(name, str) or not isinstance(value, torch.Tensor):
                raise InputError("bad_params", {"type": type(value).__name__,
                                                "note": f"(at {str(name)[:40]!r})"})
    if type(runs) is not int or not 1 <= runs <= MAX_RUNS:
        raise InputError("bad_runs", {"limit": MAX_RUNS})
    if reduction not in REDUCTIONS:
        raise InputError("bad_reduction", {"reduction": str(reduction)[:20]})


def _check_output(output: Any) -> None:
    if not isinstance(output, torch.Tensor):
        raise InputError("not_a_tensor", {"type": type(output).__name__})
    if output.is_nested:
        raise InputError("nested_tensor")
    if output.is_complex():
        raise InputError("complex_output", {"dtype": str(output.dtype).removeprefix("torch.")})
