"""Order of differentiation of each grad_fn in a ``create_graph=True`` graph.

A backward pass run with ``create_graph=True`` (``torch.autograd.grad``,
``Tensor.backward``, ``torch.autograd.backward``) builds new nodes: the graph of
the gradient itself. :class:`OrderTracker` wraps such a call (the
:class:`~gradviz.core.graph.record.ForwardRecorder` sees it, as it sees every torch
call): the nodes reachable from the gradients it returns (or leaves in
``.grad``) that were not in the graph it differentiated get the order one above
the highest order in that graph: 1 for the first backward, 2 for a backward of
a graph that holds first-backward nodes. Every other node is forward (0).
:func:`node_orders` maps that onto a captured graph's node ids.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterable
from typing import Any

import torch

_BACKWARDS = {torch.autograd.grad: "outputs", torch.autograd.backward: "tensors",
              torch.Tensor.backward: "self"}


class OrderTracker:
    """Remembers, by ``id(grad_fn)``, the order of the nodes each create_graph backward made."""

    def __init__(self) -> None:
        self.orders: dict[int, int] = {}
        self._keep: list[Any] = []  # the grad_fns, so their ids stay theirs

    def call(self, func: Callable, args: tuple, kwargs: dict) -> Any:
        """Run ``func(*args, **kwargs)``; if it is a create_graph backward, mark what it made."""
        roots_arg = _BACKWARDS.get(func)
        bound = _bind(func, args, kwargs) if roots_arg is not None else None
        if bound is None or not bound.get("create_graph"):
            return func(*args, **kwargs)
        before = reachable_functions(_grad_fns(bound.get(roots_arg)))
        level = 1 + max((self.orders.get(i, 0) for i in before), default=0)
        result = func(*args, **kwargs)
        if func is torch.autograd.grad:
            made = _grad_fns(result)
        else:  # the gradients went to the leaves' .grad
            leaves = (getattr(fn, "variable", None) for fn in before.values())
            made = _grad_fns(t.grad for t in leaves if t is not None)
        for key, fn in reachable_functions(made).items():
            if key not in before and key not in self.orders:
                self.orders[key] = level
                self._keep.append(fn)
        return result


def node_orders(graph: Any, orders: dict[int, int]) -> dict[str, int]:
    """``{node id: order}`` for every function node of a captured graph (0 where unmarked)."""
    return {node_id: orders.get(id(fn), 0) for node_id, fn in graph.functions()}


def _bind(func: Callable, args: tuple, kwargs: dict) -> dict | None:
    try:
        return dict(inspect.signature(func).bind(*args, **kwargs).arguments)
    except (TypeError, ValueError):
        return None


def _grad_fns(values: Any) -> list[Any]:
    if values is None:
        return []
    if isinstance(values, torch.Tensor):
        values = [values]
    found = []
    for value in values if isinstance(values, Iterable) else []:
        if isinstance(value, torch.Tensor) and value.grad_fn is not None:
            found.append(value.grad_fn)
    return found


def reachable_functions(roots: list[Any]) -> dict[int, Any]:
    """Every grad_fn reachable from ``roots``, by id (the objects kept, so ids stay valid)."""
    found: dict[int, Any] = {}
    todo = list(roots)
    while todo:
        fn = todo.pop()
        if fn is None or id(fn) in found:
            continue
        found[id(fn)] = fn
        todo.extend(next_fn for next_fn, _ in fn.next_functions)
    return found


def orders_capture(orders: dict[int, int]) -> tuple[dict[str, int], Callable[[Any], None]]:
    """``(found, on_capture)`` for ``build_snapshot``: ``found`` fills with the node orders
    when ``orders`` (a recorder's) is not empty; put it in ``meta[ORDERS_KEY]`` if it is."""
    found: dict[str, int] = {}

    def capture(graph: Any) -> None:
        if orders:
            found.update(node_orders(graph, orders))

    return found, capture
