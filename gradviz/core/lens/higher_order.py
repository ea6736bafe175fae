"""Higher-order graphs: the derivative of a typed function is itself a graph.

:func:`derivative_snapshot` evaluates ``f``, takes ``df/dx`` with
``torch.autograd.grad(..., create_graph=True)`` and builds the Snapshot of that
derivative: its graph mixes nodes of the forward pass (order 0) with nodes the
first backward pass created (order 1), and its replay is the second backward
pass, which leaves ``d²f/dx²`` in ``x.grad``. The order of each function node
is in ``Snapshot.meta["orders"]`` (node id → 0 or 1).
"""

from __future__ import annotations

from collections.abc import Sequence

import torch

from ..errors import InputError
from ..expr.expression import parse_expression
from ..expr.variables import VariableSpec, build_variables
from ..graph.record import ForwardRecorder
from ..runtime.options import BuildOptions
from ..runtime.pipeline import build_snapshot
from ..snapshot import Snapshot
from .node_measures import ORDERS_KEY
from .orders import reachable_functions


def derivative_snapshot(text: str, variables: Sequence[str] = (), constants: Sequence[str] = (),
                        *, wrt: str | None = None, dtype: str = "float32",
                        seed: int | None = None, options: BuildOptions | None = None) -> Snapshot:
    """The Snapshot of ``d f / d wrt`` (summed when ``wrt`` is not a single number).

    ``wrt`` defaults to the only variable; its ``.grad`` after the replay is the
    second derivative. Raises :class:`InputError` for an unknown or ambiguous ``wrt``
    and when ``f`` does not depend on it.
    """
    expr = parse_expression(text)
    specs = [VariableSpec.parse(v) for v in variables]
    specs += [VariableSpec.parse(c, requires_grad=False) for c in constants]
    env = build_variables(specs, expr.variables, dtype=dtype, seed=seed)
    wanted = [n for n in expr.variables if env[n].requires_grad]
    if wrt is None and len(wanted) == 1:
        wrt = wanted[0]
    if wrt not in wanted:
        raise InputError("bad_wrt", {"names": wanted})
    with ForwardRecorder() as rec:
        output = expr.evaluate(env)
    if output.numel() != 1:
        output = output.sum()
    forward = reachable_functions([output.grad_fn])
    (derivative,) = torch.autograd.grad(output, env[wrt], create_graph=True, allow_unused=True)
    if derivative is None or derivative.grad_fn is None:
        raise InputError("constant_derivative", {"variable_name": wrt})
    if derivative.numel() != 1:
        derivative = derivative.sum()
    orders: dict[str, int] = {}

    def mark(graph) -> None:
        for node_id, fn in graph.functions():
            orders[node_id] = 0 if id(fn) in forward else 1

    params = {name: env[name] for name in expr.variables}
    snapshot = build_snapshot(derivative, params=params, values=rec.values,
                              source=text, options=options, on_capture=mark)
    snapshot.meta[ORDERS_KEY] = orders
    snapshot.meta["inputs"] = {"expression": text, "variables": list(variables),
                               "constants": list(constants), "dtype": dtype, "seed": seed,
                               "order": 2, "wrt": wrt}
    return snapshot  # ``forward`` kept the forward graph's functions alive: their ids stayed unique

