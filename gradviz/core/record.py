"""Record forward values while a function runs, keyed by the output's grad_fn.

A :class:`ForwardRecorder` is a ``TorchFunctionMode``: every torch call made
inside it is seen once, at the top level, and the value summary of each
result that has a ``grad_fn`` is stored under ``id(grad_fn)`` (the grad_fn is
kept referenced so the id stays unique). Summaries are bounded (see
:mod:`gradviz.core.values`), so memory grows with the number of ops, not with
tensor sizes. Ops that a torch function runs internally (a decomposition)
are not seen; their nodes show no forward value.
"""

from __future__ import annotations

import os
import sys
from typing import Any

import torch
from torch.overrides import TorchFunctionMode

from .values import summarize


class ForwardRecorder(TorchFunctionMode):
    """Context manager: ``with ForwardRecorder() as rec: y = f(x)``; then ``rec.values``."""

    def __init__(self, *, max_ops: int = 200_000, source_lines: bool = False) -> None:
        super().__init__()
        self.values: dict[int, Any] = {}
        #: With ``source_lines``: id(grad_fn) -> (file, line) of the user's code that made it
        self.lines: dict[int, tuple[str, int]] | None = {} if source_lines else None
        self.order: list[int] = []  # id(grad_fn) in creation order
        self._keep: list[Any] = []
        self.max_ops = max_ops

    def __torch_function__(self, func, types, args=(), kwargs=None):
        result = func(*args, **(kwargs or {}))
        if len(self.order) < self.max_ops:
            self._record(result)
        return result

    def _record(self, result: Any) -> None:
        if isinstance(result, torch.Tensor):
            fn = result.grad_fn
            if fn is not None and id(fn) not in self.values:
                self.values[id(fn)] = summarize(result)
                self.order.append(id(fn))
                self._keep.append(fn)
                if self.lines is not None:
                    where = _user_frame()
                    if where is not None:
                        self.lines[id(fn)] = where
        elif isinstance(result, (tuple, list)):
            for item in result:
                if isinstance(item, torch.Tensor):
                    self._record(item)


_LIBRARIES = (os.path.dirname(torch.__file__) + os.sep,
              os.path.dirname(os.path.dirname(os.path.abspath(__file__))) + os.sep)


def _user_frame() -> tuple[str, int] | None:
    """The file and line of the innermost caller outside torch and gradviz."""
    frame = sys._getframe(2)
    while frame is not None:
        name = frame.f_code.co_filename
        if not name.startswith(_LIBRARIES):
            return name, frame.f_lineno
        frame = frame.f_back
    return None
