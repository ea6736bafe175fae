"""Capture the autograd graph the way ``torchviz.make_dot`` describes it.

The walk is torchviz's own (same nodes, labels, colours and statement order,
so Graphviz lays it out the same), with three of its defects fixed:

- it recurses once per node and dies near 1,000 nested ops: this walk drives
  the same generator-shaped visit with an explicit stack, so depth is free;
- a saved tensor that *is* a leaf gets the leaf's id and hides the leaf's
  name: saved tensors here live in their own id space;
- it imports ``distutils`` (gone in Python 3.12): :mod:`gradviz.core.graph.torchviz_compat`
  imports it safely, and only for its label helper.

Every object met is kept referenced in :class:`CapturedGraph` so that the
``id()`` values it was keyed by cannot be reused while the Snapshot is built.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import torch

from ..snapshot import GraphEdge, GraphNode
from .labels import (
    SAVED_PREFIX,
    fn_attrs,
    function_label,
    output_names,
    saved_attr_names,
    saved_name,
    tensor_label,
)
from .values import summarize

LEAF_COLOR = "lightblue"
SAVED_COLOR = "orange"
OUTPUT_COLOR = "darkolivegreen1"
VIEW_BASE_COLOR = "darkolivegreen3"


@dataclass
class Statement:
    """One DOT statement in torchviz's order: a node or an edge."""

    is_node: bool
    key: Any  # node: object key; edge: (source key, target key)
    label: str = ""
    fillcolor: str | None = None
    style: str | None = None  # edges: "dotted" for view bases
    directed: bool = True
    kind: str = "next"  # edges: one of snapshot.EDGE_KINDS
    input_nr: int | None = None


@dataclass
class CapturedGraph:
    """The graph model, and the live objects each node id stands for."""

    nodes: list[GraphNode]
    edges: list[GraphEdge]
    statements: list[tuple[str, ...]]  # DOT statements with stable ids, torchviz's order
    function_ids: dict[int, str]  # id(grad_fn) -> node id
    leaf_ids: dict[int, str]  # id(leaf tensor) -> node id
    names: dict[int, str]  # id(leaf tensor) -> variable name
    output_ids: list[str | None] = field(default_factory=list)  # one node id per output
    leaves: list[torch.Tensor] = field(default_factory=list)
    keep: list[Any] = field(default_factory=list)  # keeps every id() above valid

    def functions(self) -> Iterator[tuple[str, Any]]:
        """(node id, grad_fn) for every function node."""
        by_id = {id(obj): obj for obj in self.keep}
        for obj_id, node_id in self.function_ids.items():
            yield node_id, by_id[obj_id]


def capture_graph(
    outputs: Sequence[torch.Tensor],
    *,
    params: Mapping[str, torch.Tensor] | None = None,
    values: Mapping[int, Any] | None = None,
    show_saved: bool = True,
    show_attrs: bool = True,
    names: Mapping[str, torch.Tensor] | None = None,
) -> CapturedGraph:
    """Walk the graph behind ``outputs`` as torchviz does and build the model.

    ``params`` names leaves (variables or ``named_parameters()``); ``values``
    maps ``id(grad_fn)`` to the forward value summary recorded for its output;
    ``names`` (a script's variables) name other tensors: saved ones, outputs.
    """
    walker = _Walker(params or {}, show_saved)
    walker.output_names = dict(zip(map(id, outputs), output_names(outputs, walker.taken())))
    for name, tensor in (names or {}).items():  # the user's own words first
        walker.param_map.setdefault(id(tensor), name)
        if id(tensor) in walker.output_names and name != "output":
            walker.output_names[id(tensor)] = name
    for out in outputs:
        if out.grad_fn is None and out.requires_grad:  # the output is a leaf: start at
            _drive(walker.add_nodes(torch.autograd.graph.get_gradient_edge(out).node))
        else:  # its AccumulateGrad, as the engine does
            _drive(walker.add_base_tensor(out, OUTPUT_COLOR))
    return _build_model(walker, values or {}, show_attrs, [id(out) for out in outputs])


def _drive(root: Iterator[Iterator]) -> None:
    """Run nested generator visits without Python recursion."""
    stack = [root]
    while stack:
        try:
            child = next(stack[-1])
        except StopIteration:
            stack.pop()
            continue
        if child is not None:
            stack.append(child)


class _Walker:
    """torchviz's ``make_dot`` traversal, one generator per visit."""

    def __init__(self, params: Mapping[str, torch.Tensor], show_saved: bool) -> None:
        self.param_map = {id(v): k for k, v in params.items()}
        self.show_saved = show_saved
        self.seen: set[int] = set()
        self.statements: list[Statement] = []
        self.objects: dict[Any, Any] = {}  # key -> object (kept alive)
        self.saved_of: dict[Any, Any] = {}  # saved key -> key of the function saving it
        self.kinds: dict[Any, str] = {}
        self.leaves: list[torch.Tensor] = []
        self.output_names: dict[int, str] = {}
        self.saved_attrs: dict[Any, dict[str, Any]] = {}  # function key -> attr -> saved key

    def taken(self) -> set[str]:
        """Names the user's tensors already have."""
        return set(self.param_map.values())

    def _node(self, key: Any, obj: Any, kind: str, label: str, color: str | None) -> None:
        self.objects[key] = obj
        self.kinds[key] = kind
        self.statements.append(Statement(True, key, label, color))

    def _edge(self, a: Any, b: Any, **attrs: Any) -> None:
        self.statements.append(Statement(False, (a, b), **attrs))

    def add_nodes(self, fn: Any) -> Iterator[Iterator | None]:
        if id(fn) in self.seen:
            return
        self.seen.add(id(fn))
        if self.show_saved:
            self._add_saved_attrs(fn)
        if hasattr(fn, "variable"):
            var = fn.variable
            self.seen.add(id(var))
            self.leaves.append(var)
            self._node(id(var), var, "leaf", "", LEAF_COLOR)
            self._edge(id(var), id(fn), kind="variable")
        self._node(id(fn), fn, "function", "", None)
        for input_nr, (next_fn, _) in enumerate(getattr(fn, "next_functions", ())):
            if next_fn is not None:
                self._edge(id(next_fn), id(fn), kind="next", input_nr=input_nr)
                yield self.add_nodes(next_fn)
        if hasattr(fn, "saved_tensors"):  # custom autograd.Function
            for t in fn.saved_tensors:
                self._add_saved(fn, t, None)

    def _add_saved_attrs(self, fn: Any) -> None:
        for attr in saved_attr_names(fn):
            try:
                val = getattr(fn, attr)
            except RuntimeError:  # freed by an earlier backward
                continue
            name = attr[len(SAVED_PREFIX):]
            if torch.is_tensor(val):
                self._add_saved(fn, val, name)
            elif isinstance(val, tuple):
                for i, t in enumerate(val):
                    if torch.is_tensor(t):
                        self._add_saved(fn, t, f"{name}[{i}]")

    def _add_saved(self, fn: Any, t: torch.Tensor, name: str | None) -> None:
        key = ("saved", id(t))
        self.seen.add(id(t))
        self.saved_of.setdefault(key, id(fn))
        self._edge(id(fn), key, kind="saved", directed=False)
        self._node(key, t, "saved", "", SAVED_COLOR)  # named once the walk is done
        if name is not None:
            self.saved_attrs.setdefault(id(fn), {})[name] = key

    def add_base_tensor(self, var: torch.Tensor, color: str) -> Iterator[Iterator | None]:
        if id(var) in self.seen:
            return
        self.seen.add(id(var))
        kind = "output" if color == OUTPUT_COLOR else "view_base"
        self._node(id(var), var, kind, "", color)
        if var.grad_fn is not None:
            yield self.add_nodes(var.grad_fn)
            self._edge(id(var.grad_fn), id(var), kind="output")
        if var._is_view():
            yield self.add_base_tensor(var._base, VIEW_BASE_COLOR)
            self._edge(id(var._base), id(var), kind="view", style="dotted")


def _build_model(walker: _Walker, values: Mapping[int, Any], show_attrs: bool,
                 output_keys: Sequence[int]) -> CapturedGraph:
    ids: dict[Any, str] = {}

    def node_id(key: Any) -> str:
        if key not in ids:
            ids[key] = f"n{len(ids)}"
        return ids[key]

    nodes: dict[str, GraphNode] = {}
    edges: list[GraphEdge] = []
    statements: list[tuple[str, ...]] = []
    names = {id(leaf): _leaf_name(walker, leaf, i) for i, leaf in enumerate(walker.leaves)}
    known = {**walker.param_map, **names}
    for st in walker.statements:
        if st.is_node:
            nid = node_id(st.key)
            node = _make_node(walker, st, nid, walker.objects[st.key], known, values, show_attrs)
            kept = nodes.setdefault(nid, node)  # a node seen again: its latest label and colour
            kept.label, kept.fillcolor = node.label, node.fillcolor
            statements.append(("node", nid))
        else:
            a, b = (node_id(k) for k in st.key)
            edges.append(GraphEdge(a, b, st.kind, st.input_nr))
            statements.append(("edge", a, b, str(len(edges) - 1)))
    for key, fn_key in walker.saved_of.items():
        if key in ids:
            nodes[ids[key]].saved_of = ids.get(fn_key)
    _name_saved_attrs(walker, nodes, ids)
    function_ids = {k: v for k, v in ids.items() if walker.kinds.get(k) == "function"}
    leaf_ids = {k: v for k, v in ids.items() if walker.kinds.get(k) == "leaf"}
    return CapturedGraph(
        nodes=list(nodes.values()),
        edges=edges,
        statements=statements,
        function_ids=function_ids,
        leaf_ids=leaf_ids,
        names=names,
        output_ids=[ids.get(key) for key in output_keys],
        leaves=list(walker.leaves),
        keep=list(walker.objects.values()),
    )


def _name_saved_attrs(walker: _Walker, nodes: dict[str, GraphNode], ids: dict) -> None:
    """A function's attribute table names what each saved attribute holds (``x (saved)``)."""
    for fn_key, attrs in walker.saved_attrs.items():
        node = nodes.get(ids.get(fn_key, ""))
        if node is None:
            continue
        for attr, key in attrs.items():
            if attr in node.attrs and key in ids:
                node.attrs[attr] = nodes[ids[key]].label.split("\n")[0]


def _leaf_name(walker: _Walker, leaf: torch.Tensor, index: int) -> str:
    return walker.param_map.get(id(leaf)) or f"leaf{index}"


def _make_node(walker, st, nid, obj, names, values, show_attrs) -> GraphNode:
    kind = walker.kinds[st.key]
    if kind == "function":
        attrs = fn_attrs(obj) if show_attrs else {}
        op = type(obj).__name__
        return GraphNode(
            id=nid, kind=kind, label=function_label(op), op=op,
            value=values.get(id(obj)), attrs=attrs, fillcolor=None,
        )
    variable = None
    if kind == "leaf":
        variable = name = names[id(obj)]
    elif kind == "saved":
        name = saved_name(obj, names)
    elif kind == "output":
        name = walker.output_names.get(id(obj)) or "y"
    else:
        name = names.get(id(obj)) or "view base"
    return GraphNode(
        id=nid, kind=kind, label=tensor_label(name, obj.shape), variable=variable,
        shape=list(obj.shape), value=summarize(obj), fillcolor=st.fillcolor,
    )
