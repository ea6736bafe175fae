"""Where each node of the graph comes from: the sub-expression (or script line) that made it.

While a typed expression runs, :class:`ExpressionOrigins` is told every
sub-expression's result (the evaluator's ``on_value`` hook). A result's
``grad_fn`` is the graph node that sub-expression made; nodes a single call
makes internally (``cross_entropy`` is log_softmax then nll_loss) belong to
that call. :func:`apply_origins` writes what was learnt into the captured
graph's nodes as plain fields (``spans``, ``expression``, ``line``), so the
Snapshot carries them like any other data.

Spans are ``[start, end)`` character offsets in the expression text, the
Snapshot's ``source``: ``source[start:end]`` is the sub-expression as typed.
"""

from __future__ import annotations

import ast
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import torch

from ..expr.expression import ExpressionError, parse_tree
from ..expr.expression_plan import BinOp, Call, Const, Neg, Var
from ..expr.math_text import math_text


@dataclass(frozen=True)
class Origin:
    """Where one node comes from: spans in the expression, its math text, a script line."""

    spans: tuple[tuple[int, int], ...] = ()
    expression: str | None = None
    line: int | None = None


class ExpressionOrigins:
    """The evaluator's ``on_value`` hook: records which plan node made which tensor.

    ``origins = ExpressionOrigins(expr.text); out = expr.evaluate(env, origins)``;
    then :meth:`by_object` maps ``id(grad_fn)`` (and ``id(leaf)``) to an :class:`Origin`.
    """

    def __init__(self, text: str) -> None:
        self.text = text
        self.results: list[tuple[Any, torch.Tensor]] = []  # children before parents

    def __call__(self, node: Any, tensor: torch.Tensor) -> None:
        self.results.append((node, tensor))

    def by_object(self) -> dict[int, Origin]:
        """``id(grad_fn)`` → the sub-expression that made it; ``id(leaf)`` → its occurrences.

        The objects stay referenced by :attr:`results`, so the ids stay unique
        while this object is alive.
        """
        spans = plan_spans(self.text)
        origins: dict[int, Origin] = {}
        leaf_spans: dict[int, list[tuple[int, int]]] = {}
        for node, tensor in self.results:
            span = spans.get(_plan_key(node))
            if span is None or not isinstance(tensor, torch.Tensor):
                continue
            if tensor.grad_fn is None:
                if isinstance(node, Var) and tensor.requires_grad:
                    leaf_spans.setdefault(id(tensor), []).append(span)
                continue
            origin = Origin((span,), math_text(self.text[span[0]:span[1]]))
            for fn in _new_functions(tensor.grad_fn, origins):
                origins[id(fn)] = origin
        for key, found in leaf_spans.items():
            name = self.text[found[0][0]:found[0][1]]
            origins[key] = Origin(tuple(found), name)
        return origins


def _new_functions(root: Any, known: Mapping[int, Origin]) -> list[Any]:
    """``root`` and the nodes behind it not yet attributed (a call's internal nodes).

    Children are recorded before their parent, so the walk stops at their
    nodes; it never enters a leaf's AccumulateGrad.
    """
    found, stack, seen = [], [root], set()
    while stack:
        fn = stack.pop()
        if fn is None or id(fn) in known or id(fn) in seen or hasattr(fn, "variable"):
            continue
        seen.add(id(fn))
        found.append(fn)
        stack.extend(next_fn for next_fn, _ in getattr(fn, "next_functions", ()))
    return found


def _plan_key(node: Any) -> tuple[str, int] | None:
    """The key :func:`plan_spans` files a plan node's span under."""
    if isinstance(node, (Const, Var, Neg, BinOp, Call)):
        return type(node).__name__, node.column
    return None


def plan_spans(text: str) -> dict[tuple[str, int], tuple[int, int]]:
    """(plan node kind, column) → the ``[start, end)`` span of the syntax it was built from.

    The plan keeps one column per node (see :mod:`gradviz.core.expr.expression_tree`):
    a literal, name, sign or call at its first character, a binary operation at
    its operator. The tree of the same text, read by the same parser, gives the
    end of each; a signed literal or a run of signs keeps its outermost span.
    """
    module, offset = parse_tree(text, ExpressionError)
    spans: dict[tuple[str, int], tuple[int, int]] = {}

    def put(kind: str, column: int, span: tuple[int, int]) -> None:
        old = spans.get((kind, column))
        if old is None or span[1] > old[1]:
            spans[(kind, column)] = span

    for node in ast.walk(module):
        if not isinstance(node, ast.expr) or isinstance(node, ast.Attribute):
            continue
        span = (offset + node.col_offset, offset + node.end_col_offset)
        if isinstance(node, ast.BinOp):
            put("BinOp", _operator_column(text, offset, node), span)
        elif isinstance(node, ast.Call):
            put("Call", span[0], span)
        elif isinstance(node, ast.Name):
            put("Var", span[0], span)
            put("Const", span[0], span)  # pi, e
        elif isinstance(node, ast.UnaryOp):
            put("Neg", span[0], span)
            put("Const", span[0], span)  # -2
        elif isinstance(node, ast.Constant):
            put("Const", span[0], span)
    return spans


def _operator_column(text: str, offset: int, node: ast.BinOp) -> int:
    """The column the plan gives a binary operation: its operator's (as expression_tree)."""
    column = offset + node.left.end_col_offset
    while column < len(text) and text[column] in " \t)":
        column += 1
    return column


def script_origins(lines: Mapping[int, int]) -> dict[int, Origin]:
    """``id(grad_fn)`` → the script line that made it (from a ForwardRecorder's ``lines``)."""
    return {key: Origin(line=line) for key, line in lines.items()}


def apply_origins(graph: Any, origins: Mapping[int, Origin] | None) -> None:
    """Write each origin into the captured graph's nodes; outputs take their function's."""
    if not origins:
        return
    nodes = {node.id: node for node in graph.nodes}
    for node_id, fn in graph.functions():
        origin = origins.get(id(fn))
        if origin is None and hasattr(fn, "variable"):  # a leaf's AccumulateGrad: the leaf's
            origin = origins.get(id(fn.variable))
        _write(nodes[node_id], origin)
    for leaf in graph.leaves:
        node_id = graph.leaf_ids.get(id(leaf))
        if node_id is not None:
            _write(nodes[node_id], origins.get(id(leaf)))
    for edge in graph.edges:
        if edge.kind == "output" and nodes[edge.target].spans is None:
            source = nodes[edge.source]
            nodes[edge.target].spans = source.spans
            nodes[edge.target].expression = source.expression
            nodes[edge.target].line = source.line


def _write(node: Any, origin: Origin | None) -> None:
    if origin is None:
        return
    if origin.spans:
        node.spans = [list(span) for span in origin.spans]
    node.expression = origin.expression
    node.line = origin.line
