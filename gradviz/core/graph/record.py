"""Record forward values while a function runs, keyed by the output's grad_fn.

A :class:`ForwardRecorder` is a ``TorchFunctionMode``: every torch call made
inside it is seen once, at the top level, and the value summary of each
result that has a ``grad_fn`` is stored under ``id(grad_fn)`` (the grad_fn is
kept referenced so the id stays unique). Summaries are bounded (see
:mod:`gradviz.core.graph.values`), so memory grows with the number of ops, not with
tensor sizes. Ops that a torch function runs internally (a decomposition)
are not seen; their nodes show no forward value.

A ``create_graph=True`` backward run inside it is seen too: :attr:`orders` says
which nodes it made (:mod:`gradviz.core.lens.orders`).

Given ``source_file`` (a script's file name as compiled), it also notes the
line of that file that made each recorded ``grad_fn`` (:attr:`lines`): a walk
up a few frames per new node, nothing more.
"""

from __future__ import annotations

import sys
from typing import Any

import torch
from torch.overrides import TorchFunctionMode

from ..lens.orders import OrderTracker
from .values import summarize


class ForwardRecorder(TorchFunctionMode):
    """Context manager: ``with ForwardRecorder() as rec: y = f(x)``; then ``rec.values``."""

    def __init__(self, *, max_ops: int = 200_000, source_file: str | None = None) -> None:
        super().__init__()
        self.values: dict[int, Any] = {}
        self.lines: dict[int, int] = {}  # id(grad_fn) -> line of source_file that made it
        self.source_file = source_file
        self.order: list[int] = []  # id(grad_fn) in creation order
        self._keep: list[Any] = []
        self.max_ops = max_ops
        self.tracker = OrderTracker()  # create_graph backwards: which nodes each one made

    @property
    def orders(self) -> dict[int, int]:
        """``id(grad_fn)`` → order of differentiation, for nodes a create_graph backward made."""
        return self.tracker.orders

    def __torch_function__(self, func, types, args=(), kwargs=None):
        result = self.tracker.call(func, args, kwargs or {})
        if len(self.order) < self.max_ops:
            self._record(result)
        return result

    def _record(self, result: Any) -> None:
        if isinstance(result, torch.Tensor):
            fn = result.grad_fn
            if fn is not None and id(fn) not in self.values:
                self.values[id(fn)] = summarize(result)
                if self.source_file is not None:
                    line = _caller_line(self.source_file)
                    if line is not None:
                        self.lines[id(fn)] = line
                self.order.append(id(fn))
                self._keep.append(fn)
        elif isinstance(result, (tuple, list)):
            for item in result:
                if isinstance(item, torch.Tensor):
                    self._record(item)


MAX_FRAMES = 40  # a script's line is a few frames up (torch's Python wrappers, nn.Module calls)


def _caller_line(filename: str) -> int | None:
    """The line of ``filename`` nearest up the stack, or None within :data:`MAX_FRAMES`."""
    frame = sys._getframe(2)
    for _ in range(MAX_FRAMES):
        if frame is None:
            return None
        if frame.f_code.co_filename == filename:
            return frame.f_lineno
        frame = frame.f_back
    return None
