"""Lay the graph out with Graphviz and read the result into plain dataclasses.

DOT goes in; Graphviz's JSON comes out (``-Tjson0``: positions, sizes and
splines without xdot drawing operations, several times faster to parse than
``-Tjson`` on big graphs); :func:`parse_layout` turns it into a
:class:`GraphLayout` in y-down points, Qt's convention.

Text metrics: ``graphviz-pure`` has no metrics for the font name
``monospace`` (torchviz's) and falls back to Times, so boxes would not fit
their text; both engines know ``Courier``, which the UI draws with a
metric-compatible monospace face.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Mapping, Sequence

from ..runtime.gcpause import paused_gc
from ..snapshot import ClusterBox, EdgePath, GraphLayout, GraphNode, NodeBox, TextLine
from .engines import run_engine

_PLAIN_ID = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
LAYOUT_FONT = "Courier"
FONT_SIZE = 10.0
LINE_SPACING = 1.2  # Graphviz's LINESPACING
CLUSTER_FONT_SIZE = 12.0  # module boxes' titles: readable at 1:1 (the UI draws them so)
CLUSTER_MARGIN = 4.0  # points between a module box and its contents (Graphviz: 8): compact
LR_RANKSEP = 0.2  # inches between ranks left to right (Graphviz's default: 0.5)
NODE_DEFAULTS = "align=left fontsize=10 height=0.2 ranksep=0.1 shape=box style=filled"


def dot_source(
    nodes: Sequence[GraphNode],
    statements: Sequence[tuple[str, ...]],
    edge_kinds: Sequence[str],
    *,
    extra_lines: Mapping[str, Sequence[str]] | None = None,
    fontname: str = LAYOUT_FONT,
    rankdir: str = "TB",
    clusters: bool = False,
    module_kinds: Mapping[str, str] | None = None,
) -> str:
    """DOT text in torchviz's statement order, with stable ids.

    ``extra_lines`` adds lines under a node's label (its value, its
    gradient), so the layout reserves room for them. With ``clusters``,
    nodes that know their ``module`` are boxed by module call, nested.
    """
    extra = extra_lines or {}
    by_id = {n.id: n for n in nodes}
    out = ["digraph {"]
    if rankdir in ("LR", "RL"):  # ranks side by side: tighter, so wide screens show it larger
        out.append(f"\tgraph [rankdir={rankdir} ranksep={LR_RANKSEP}]")
    elif rankdir != "TB":
        out.append(f"\tgraph [rankdir={rankdir}]")
    out.append(f"\tnode [{NODE_DEFAULTS} fontname={_quote(fontname)}]")
    for st in statements:
        if st[0] == "node":
            node = by_id[st[1]]
            label = "\n".join([node.label, *extra.get(node.id, ())])
            color = f" fillcolor={node.fillcolor}" if node.fillcolor else ""
            out.append(f"\t{_id(node.id)} [label={_quote(label)}{color}]")
        else:
            _, a, b, index = st
            out.append(f"\t{_id(a)} -> {_id(b)}{_edge_attrs(edge_kinds[int(index)])}")
    if clusters:
        out.extend(_cluster_blocks(nodes, module_kinds or {}))
    out.append("}")
    return "\n".join(out) + "\n"


def _cluster_blocks(nodes: Sequence[GraphNode], kinds: Mapping[str, str]) -> list[str]:
    """Nested ``subgraph cluster_k`` blocks, one per module path, listing its nodes."""
    members: dict[str, list[str]] = defaultdict(list)
    for node in nodes:
        if node.module:
            members[node.module].append(node.id)
    paths = set()
    for module in members:
        parts = module.split(".")
        paths.update(".".join(parts[:i]) for i in range(1, len(parts) + 1))
    children: dict[str, list[str]] = defaultdict(list)
    for path in sorted(paths):
        children[path.rpartition(".")[0]].append(path)
    lines: list[str] = []
    stack = [(path, 1, False) for path in reversed(children[""])]
    while stack:  # depth-first, no recursion
        path, depth, closing = stack.pop()
        pad = "\t" * depth
        if closing:
            lines.append(pad + "}")
            continue
        lines.append(f"{pad}subgraph {_quote('cluster_' + path)} {{")
        label = f"{path} ({kinds[path]})" if path in kinds else path
        lines.append(f"{pad}\tlabel={_quote(label)} style=rounded "
                     f"fontsize={CLUSTER_FONT_SIZE:g} labeljust=l margin={CLUSTER_MARGIN:g}")
        if members.get(path):
            lines.append(pad + "\t" + "; ".join(_id(m) for m in members[path]))
        stack.append((path, depth, True))
        stack.extend((child, depth + 1, False) for child in reversed(children[path]))
    return lines


def _edge_attrs(kind: str) -> str:
    if kind == "saved":
        return " [dir=none]"
    if kind == "view":
        return " [style=dotted]"
    return ""


def _id(node_id: str) -> str:
    """A node id as DOT needs it: bare when it is a plain name, else quoted (``"m:0"``)."""
    return node_id if _PLAIN_ID.fullmatch(node_id) else _quote(node_id)


def _quote(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return f'"{escaped}"'


def layout_dot(
    dot: str,
    *,
    engine: str | None = None,
    timeout: float | None = None,
    should_cancel=None,
) -> GraphLayout:
    """Run Graphviz on ``dot`` and parse its JSON (see :func:`run_engine`)."""
    raw, used = run_engine(dot, engine=engine, timeout=timeout, should_cancel=should_cancel)
    with paused_gc():  # tens of thousands of small objects
        return parse_layout(_json_decode(raw), engine=used)


def _json_decode(text: str):
    """Graphviz's JSON as dicts and lists: msgspec's C decoder (several times faster
    than ``json.loads`` on big layouts), imported on first use."""
    from ..snapshot_json import _msgspec

    return _msgspec().json.decode(text)


def parse_layout(data: dict, *, engine: str) -> GraphLayout:
    """Graphviz JSON (``-Tjson0`` or ``-Tjson``) → :class:`GraphLayout` (y down)."""
    x0, y0, x1, y1 = (float(v) for v in data["bb"].split(","))
    flip = y1 + y0  # y_down = flip - y_up keeps the box where it was

    objects = data.get("objects", [])
    names = {o["_gvid"]: o["name"] for o in objects}
    nodes = {}
    clusters = []
    for obj in objects:
        if "pos" in obj:
            nodes[obj["name"]] = _node_box(obj, flip)
        elif "bb" in obj and obj["name"].startswith("cluster_"):
            clusters.append(_cluster_box(obj, flip))
    edges = []
    seen: dict[tuple[str, str], int] = defaultdict(int)
    for edge in data.get("edges", []):
        pair = (names[edge["tail"]], names[edge["head"]])
        nth = seen[pair]
        seen[pair] += 1
        edges.append(_edge_path(edge, pair, nth, flip))
    return GraphLayout(engine=engine, bbox=[x0, flip - y1, x1, flip - y0], nodes=nodes,
                       edges=edges, font=LAYOUT_FONT, fontsize=FONT_SIZE, clusters=clusters)


def _cluster_box(obj: dict, flip: float) -> ClusterBox:
    bx0, by0, bx1, by1 = (float(v) for v in obj["bb"].split(","))
    box = ClusterBox(name=obj["name"][len("cluster_"):], bbox=[bx0, flip - by1, bx1, flip - by0],
                     label=obj.get("label", ""))
    if "lp" in obj:
        lx, ly = (float(v) for v in obj["lp"].split(","))
        box.label_x, box.label_y = lx, flip - ly
    return box


def _node_box(obj: dict, flip: float) -> NodeBox:
    x, y = (float(v) for v in obj["pos"].split(","))
    y = flip - y
    size = float(obj.get("fontsize", FONT_SIZE))
    label = obj.get("label", obj["name"]).replace("\\n", "\n")
    texts = label.split("\n")
    line_h = size * LINE_SPACING
    top = y - line_h * len(texts) / 2
    lines = [TextLine(t, x, top + line_h * (i + 0.5), size) for i, t in enumerate(texts)]
    return NodeBox(
        x=x, y=y, width=float(obj["width"]) * 72, height=float(obj["height"]) * 72,
        shape=obj.get("shape", "box"), fillcolor=obj.get("fillcolor"), lines=lines,
    )


_TIP = re.compile(r"e,([-\d.e+]+),([-\d.e+]+)")
_START = re.compile(r"s,[-\d.e+]+,[-\d.e+]+")


def _edge_path(edge: dict, pair: tuple[str, str], nth: int, flip: float) -> EdgePath:
    pos = edge.get("pos", "")
    tip, points = _spline(pos, flip)
    arrow = [tip, points[-1]] if tip is not None and points else None
    return EdgePath(
        source=pair[0], target=pair[1], index=-1 - nth, points=points, arrow=arrow,
        style=edge.get("style", "solid"), directed=edge.get("dir", "forward") != "none",
    )


def _spline(pos: str, flip: float) -> tuple[list[float] | None, list[list[float]]]:
    """An edge's ``pos``: (arrow tip or None, control points), y flipped.

    Graphviz's usual form, ``e,x,y x,y x,y …`` (or no ``e,`` part), is split
    directly: one edge per graph node, so this runs thousands of times. Anything
    else goes through :func:`_spline_parsed`.
    """
    tokens = pos.split()
    tip = None
    if tokens and tokens[0].startswith("e,"):
        head = tokens[0].split(",")
        if len(head) != 3:
            return _spline_parsed(pos, flip)
        tip = [float(head[1]), flip - float(head[2])]
        tokens = tokens[1:]
    points = []
    for token in tokens:
        xy = token.split(",")
        if len(xy) != 2 or token.startswith(("s", "e")):
            return _spline_parsed(pos, flip)
        points.append([float(xy[0]), flip - float(xy[1])])
    return tip, points


def _spline_parsed(pos: str, flip: float) -> tuple[list[float] | None, list[list[float]]]:
    """:func:`_spline` for any ``pos`` (a start point ``s,x,y``, odd spacing)."""
    tip = None
    found = _TIP.match(pos)
    if found:
        tip = [float(found.group(1)), flip - float(found.group(2))]
        pos = pos[found.end():]
    pos = _START.sub("", pos)
    numbers = [float(v) for v in pos.replace(",", " ").split()]
    return tip, [[x, flip - y] for x, y in zip(numbers[::2], numbers[1::2])]


def match_edges(layout: GraphLayout, edges: Sequence) -> None:
    """Point each laid-out edge at its index in the model's edge list (in place).

    Graphviz reports edges by (tail, head); duplicates (``x * x``) are
    matched in order of appearance.
    """
    slots: dict[tuple[str, str], list[int]] = defaultdict(list)
    for i, e in enumerate(edges):
        slots[(e.source, e.target)].append(i)
    for path in layout.edges:
        nth = -1 - path.index
        indices = slots.get((path.source, path.target), [])
        path.index = indices[nth] if nth < len(indices) else -1
