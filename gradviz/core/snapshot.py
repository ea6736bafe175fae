"""The Snapshot: everything the UI and the exporters need, as plain data.

A Snapshot holds no torch objects and no Qt objects, only numbers, strings,
lists and dicts (value summaries), so it can cross the worker's process
boundary, be saved as versioned JSON and be compared in tests.

Non-finite numbers are written to JSON as the strings ``"NaN"``,
``"Infinity"`` and ``"-Infinity"`` (strict JSON has no such numbers) and read
back as floats.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from . import snapshot_json

SCHEMA = "gradviz.snapshot/1"

# A value as the Snapshot stores it: a number, a nested list of numbers (small
# tensors) or a summary dict (shape, dtype, min, max, mean, norm, head).
Value = Any

NODE_KINDS = ("function", "leaf", "saved", "output", "view_base", "module")
EDGE_KINDS = ("next", "variable", "saved", "output", "view")


@dataclass
class GraphNode:
    """One node of the torchviz graph: a backward function or a tensor."""

    id: str
    kind: str  # one of NODE_KINDS
    label: str  # the label torchviz gives it (may hold several lines)
    op: str | None = None  # type(grad_fn).__name__ for function nodes
    variable: str | None = None  # the leaf's variable or parameter name
    shape: list[int] | None = None  # tensor nodes
    value: Value = None  # forward value summary (tensor nodes; functions' output)
    attrs: dict[str, str] = field(default_factory=dict)  # torchviz's _saved_ attributes
    saved_of: str | None = None  # saved tensors: the function node that saved it
    fillcolor: str | None = None  # torchviz's colour name (None = Graphviz's default grey)
    module: str | None = None  # the nn.Module call that made it ("encoder.layers.0.linear1")
    # Where it comes from (core.origins): [start, end) spans in `Snapshot.source` (a function:
    # the sub-expression it computes; a leaf: each place its variable is used), that
    # sub-expression as math text ("5x³"), and for scripts the line that made it.
    spans: list[list[int]] | None = None
    expression: str | None = None
    line: int | None = None


@dataclass
class GraphEdge:
    """An edge as torchviz draws it: from an input towards its consumer."""

    source: str
    target: str
    kind: str  # one of EDGE_KINDS
    input_nr: int | None = None  # "next" edges: index in the target's next_functions


@dataclass
class Contribution:
    """One gradient arriving at a leaf's AccumulateGrad, in arrival order."""

    source: str  # the node that sent it
    value: Value
    step: int  # the index of the step that sent it


@dataclass
class GradOut:
    """The gradient a step sends along one outgoing edge."""

    target: str
    value: Value


@dataclass
class BackwardStep:
    """One executed node of the backward pass, in the engine's order."""

    index: int
    node: str
    op: str
    run: int = 0  # which backward call (0 for the first), for accumulation lessons
    grad_in: list[Value] = field(default_factory=list)  # one per output of the forward op
    grad_out: list[GradOut] = field(default_factory=list)  # one per next_functions edge
    variable: str | None = None  # AccumulateGrad: the leaf's name
    contributions: list[Contribution] = field(default_factory=list)
    grad_before: Value = None  # AccumulateGrad: .grad before this step
    grad_after: Value = None  # AccumulateGrad: .grad after accumulation
    explanation: dict | None = None  # structured rule (see core.explain); None if unknown


@dataclass
class Variable:
    """A leaf the user named (or a model parameter)."""

    name: str
    shape: list[int]
    dtype: str
    value: Value
    requires_grad: bool
    grad: Value = None
    node: str | None = None  # id of the leaf's tensor node


@dataclass
class Output:
    """The tensor the backward pass starts from."""

    value: Value
    shape: list[int]
    dtype: str
    node: str | None = None
    reduction: str | None = None  # "sum" / "mean" when a non-scalar output was reduced


@dataclass
class TextLine:
    """One line of a node label, positioned by the layout."""

    text: str
    x: float
    y: float  # vertical centre of the line, in layout points (y grows downwards)
    size: float


@dataclass
class NodeBox:
    """Where the layout puts a node: centre, size (points) and label lines."""

    x: float
    y: float
    width: float
    height: float
    shape: str = "box"
    fillcolor: str | None = None
    lines: list[TextLine] = field(default_factory=list)
    label_lines: int = 0  # lines[:label_lines] are the label; the rest are value/grad slots


@dataclass
class EdgePath:
    """An edge as laid out: cubic B-spline points and an optional arrowhead."""

    source: str
    target: str
    index: int  # index into Snapshot.edges
    points: list[list[float]]  # [x, y] control points: p0, (c1, c2, p)...
    arrow: list[list[float]] | None = None  # [tip, base] when drawn with an arrowhead
    style: str = "solid"  # "solid" | "dashed" | "dotted"
    directed: bool = True


@dataclass
class ClusterBox:
    """A box Graphviz drew around the nodes of one module call."""

    name: str  # the module path
    bbox: list[float]  # [x0, y0, x1, y1], y down
    label: str = ""
    label_x: float = 0.0
    label_y: float = 0.0


@dataclass
class GraphLayout:
    """A Graphviz layout in y-down points (Qt's convention)."""

    engine: str
    bbox: list[float]  # [x0, y0, x1, y1]
    nodes: dict[str, NodeBox] = field(default_factory=dict)
    edges: list[EdgePath] = field(default_factory=list)
    font: str = "Courier"
    fontsize: float = 10.0
    clusters: list[ClusterBox] = field(default_factory=list)  # outermost first


@dataclass
class Snapshot:
    """The whole picture of one function: graph, values, backward steps, layout."""

    source: str  # the expression or script path the user gave
    output: Output
    variables: list[Variable]
    nodes: list[GraphNode]
    edges: list[GraphEdge]
    steps: list[BackwardStep]
    layout: GraphLayout | None = None
    outputs: list[Output] = field(default_factory=list)  # all outputs (output is the first)
    meta: dict[str, Any] = field(default_factory=dict)
    schema: str = SCHEMA
    # In this process only (never in JSON, see LOCAL_FIELDS):
    statements: list[tuple[str, ...]] | None = field(default=None, repr=False, compare=False)
    # ^ torchviz's DOT statements in capture order, for the layout; None: rebuilt from the model
    derived: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)
    # ^ data derived from the fields above, computed once by the modules that read it
    # (node index, the player's edges, paths, forward order); cleared when they change

    def node(self, node_id: str) -> GraphNode:
        """The node with this id (KeyError if none)."""
        index = self.derived.get("node_index")
        if index is None:
            index = self.derived["node_index"] = {n.id: n for n in self.nodes}
        return index[node_id]

    def variable(self, name: str) -> Variable:
        """The variable with this name (KeyError if none)."""
        for var in self.variables:
            if var.name == name:
                return var
        raise KeyError(name)

    def _repr_html_(self) -> str | None:
        """Jupyter: the interactive page (gradviz.html), inline; None without a layout."""
        if self.layout is None:
            return None
        from gradviz.html.notebook import snapshot_iframe  # Qt is loaded only when shown

        return snapshot_iframe(self)

    def to_dict(self) -> dict[str, Any]:
        """Plain dict in the JSON contract's key order (schema first)."""
        return snapshot_json.to_builtins(self)

    def to_json(self, *, indent: int | None = None) -> str:
        """Strict JSON text (non-finite numbers as strings), compact unless ``indent``."""
        return snapshot_json.encode(self, indent).decode("utf-8")

    def to_json_bytes(self, *, indent: int | None = None, fresh: bool = False) -> bytes:
        """:meth:`to_json` as UTF-8 bytes, ready to write. ``fresh``: nothing changed since
        the build (but ``meta``): the part encoded while Graphviz ran is used, and dropped
        (:func:`~gradviz.core.snapshot_json.encoding_ahead`)."""
        ahead = self.derived.pop(snapshot_json.AHEAD_KEY, None)
        return snapshot_json.encode(self, indent, ahead if fresh else None)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Snapshot:
        """Rebuild a Snapshot from :meth:`to_dict` output; checks the schema."""
        return snapshot_json.convert(data, cls, SCHEMA)

    @classmethod
    def from_json(cls, text: str | bytes) -> Snapshot:
        """Parse :meth:`to_json` output (str or UTF-8 bytes); checks the schema."""
        return snapshot_json.decode(text, cls, SCHEMA)
