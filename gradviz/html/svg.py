"""The graph as inline SVG, drawn from a Snapshot's layout the way the window's items draw it.

Same geometry as :mod:`gradviz.ui.graph.items` (Graphviz's boxes, B-splines, arrowheads
and text positions in layout points, y down), same module boxes as
:mod:`gradviz.ui.graph.cluster_item`; the looks (idle, dimmed, active, done) are CSS
classes (:mod:`gradviz.html.style`), so the page changes a step by changing
classes and texts. Every text is escaped here. Qt-free.
"""

from __future__ import annotations

import math
from html import escape

from gradviz.core.graph.formatting import GRAD_PREFIX
from gradviz.core.snapshot import EdgePath, NodeBox, Snapshot

MARGIN = 12.0  # points around the layout's bounding box (the window's SCENE_MARGIN)
LABEL_PX = 9  # edge gradient labels
ADVANCE_EM = 0.6  # Courier's advance: what Graphviz measured labels with
TEXT_PAD = 4.0


def _num(value: float) -> str:
    return f"{value:.2f}".rstrip("0").rstrip(".")


def spline_d(points: list[list[float]]) -> str:
    """SVG path data of Graphviz's B-spline: p0, then cubic segments (c1, c2, p)."""
    d = [f"M{_num(points[0][0])},{_num(points[0][1])}"]
    for i in range(1, len(points) - 2, 3):
        seg = points[i:i + 3]
        d.append("C" + " ".join(f"{_num(x)},{_num(y)}" for x, y in seg))
    return "".join(d)


def _cubic(p0, p1, p2, p3, t: float) -> tuple[float, float]:
    u = 1 - t
    return tuple(u ** 3 * a + 3 * u * u * t * b + 3 * u * t * t * c + t ** 3 * d
                 for a, b, c, d in zip(p0, p1, p2, p3))


def spline_midpoint(points: list[list[float]]) -> tuple[float, float]:
    """The point halfway along the spline's length (where the window puts an edge's label)."""
    samples = [tuple(points[0])]
    for i in range(1, len(points) - 2, 3):
        p0, p1, p2, p3 = points[i - 1], points[i], points[i + 1], points[i + 2]
        samples.extend(_cubic(p0, p1, p2, p3, j / 12) for j in range(1, 13))
    lengths = [0.0]
    for a, b in zip(samples, samples[1:]):
        lengths.append(lengths[-1] + math.dist(a, b))
    half = lengths[-1] / 2
    for i in range(1, len(samples)):
        if lengths[i] >= half and lengths[i] > lengths[i - 1]:
            t = (half - lengths[i - 1]) / (lengths[i] - lengths[i - 1])
            (ax, ay), (bx, by) = samples[i - 1], samples[i]
            return ax + (bx - ax) * t, ay + (by - ay) * t
    return samples[0]


def elide(text: str, width: float, size: float) -> str:
    """``text`` cut with ``…`` to fit ``width`` points of Courier at ``size`` (the box's)."""
    room = int((width - 2 * TEXT_PAD) / (ADVANCE_EM * size))
    if len(text) <= room:
        return text
    return text[:max(room - 1, 0)] + "…"


def _arrow(arrow: list[list[float]]) -> str:
    """Graphviz's "normal" arrowhead: a triangle from the base to the tip, 0.35 wide."""
    (tx, ty), (bx, by) = arrow
    vx, vy = -(ty - by) * 0.35, (tx - bx) * 0.35
    pts = ((bx + vx, by + vy), (tx, ty), (bx - vx, by - vy))
    return " ".join(f"{_num(x)},{_num(y)}" for x, y in pts)


def _edge(path: EdgePath, kind: str, look: str, label: str) -> str:
    style = "dashed" if not path.directed and path.style == "solid" else path.style
    parts = [f'<g class="e {escape(look)} s-{escape(style)} k-{escape(kind)}" id="e{path.index}">',
             f'<path d="{spline_d(path.points)}"/>']
    if path.arrow:
        parts.append(f'<polygon points="{_arrow(path.arrow)}"/>')
    mx, my = spline_midpoint(path.points)
    width = label_width(label)
    hidden = "" if label else " hidden"
    parts.append(f'<g class="lab" data-x="{_num(mx + 4)}"{hidden}>'
                 f'<rect x="{_num(mx + 4)}" y="{_num(my - LABEL_PX * 0.75)}" rx="2" '
                 f'height="{_num(LABEL_PX * 1.5)}" width="{_num(width)}"/>'
                 f'<text y="{_num(my)}" x="{_num(mx + 4 + width / 2)}">{escape(label)}</text>'
                 '</g></g>')
    return "".join(parts)


def label_width(text: str) -> float:
    """The width of an edge's gradient label (0 for none), as the window sizes it."""
    return len(text) * ADVANCE_EM * LABEL_PX + 6 if text else 0.0


def _grad_line(box: NodeBox):
    """The line the layout reserved for the gradient (x, y, size), or one under the box."""
    for line in box.lines[box.label_lines:]:
        if line.text.startswith(GRAD_PREFIX):
            return line.x, line.y, line.size
    last = box.lines[-1] if box.lines else None
    size = last.size if last else 10.0
    return box.x, box.y + box.height / 2 + size * 0.8, size


def _node(index: int, kind: str, box: NodeBox, look: str, grad: str) -> str:
    x0, y0 = box.x - box.width / 2, box.y - box.height / 2
    rect = (f'x="{_num(x0)}" y="{_num(y0)}" width="{_num(box.width)}" '
            f'height="{_num(box.height)}" rx="3"')
    parts = [f'<g class="n {escape(look)} k-{escape(kind)}" id="n{index}" data-i="{index}">',
             f'<rect class="glow" {rect}/><rect class="box" {rect}/>']
    for i, line in enumerate(box.lines):
        if not line.text or (i >= box.label_lines and line.text.startswith(GRAD_PREFIX)):
            continue  # the gradient slot is filled by the replay
        parts.append(f'<text x="{_num(line.x)}" y="{_num(line.y)}" '
                     f'font-size="{_num(line.size)}">{escape(line.text)}</text>')
    gx, gy, size = _grad_line(box)
    parts.append(f'<text class="grad" x="{_num(gx)}" y="{_num(gy)}" font-size="{_num(size)}" '
                 f'data-w="{_num(box.width)}">{escape(elide(grad, box.width, size))}</text></g>')
    return "".join(parts)


def _cluster(box) -> str:
    depth = box.name.count(".")
    x0, y0, x1, y1 = box.bbox
    label = (f'<text x="{_num(x0 + 4)}" y="{_num(y0 + 1)}">{escape(box.label)}</text>'
             if box.label else "")
    return (f'<g class="c d{min(depth, 4)}"><rect x="{_num(x0)}" y="{_num(y0)}" '
            f'width="{_num(x1 - x0)}" height="{_num(y1 - y0)}" rx="6"/>{label}</g>')


def graph_svg(snapshot: Snapshot, looks: dict[str, str], grads: dict[str, str],
              title: str = "") -> str:
    """The whole graph: module boxes, edges, nodes, with the looks and texts of one step.

    ``looks``/``grads`` map the page's cell keys (``n3``, ``e5``; ``g3``, ``l5``) to a
    class and a text; nodes and edges are numbered as in the Snapshot.
    """
    layout = snapshot.layout
    x0, y0, x1, y1 = layout.bbox
    box = (x0 - MARGIN, y0 - MARGIN, x1 - x0 + 2 * MARGIN, y1 - y0 + 2 * MARGIN)
    index = {node.id: i for i, node in enumerate(snapshot.nodes)}
    out = [f'<svg id="graph" xmlns="http://www.w3.org/2000/svg" role="img" '
           f'aria-label="{escape(title)}" viewBox="{" ".join(_num(v) for v in box)}" '
           f'data-box="{" ".join(_num(v) for v in box)}"><g id="world">']
    out.extend(_cluster(c) for c in layout.clusters)
    edges = snapshot.edges
    for path in layout.edges:
        if 0 <= path.index < len(edges):
            key = path.index
            out.append(_edge(path, edges[key].kind, looks.get(f"e{key}", "idle"),
                             grads.get(f"l{key}", "")))
    for node_id, nbox in layout.nodes.items():
        i = index.get(node_id)
        if i is not None:
            out.append(_node(i, snapshot.nodes[i].kind, nbox, looks.get(f"n{i}", "idle"),
                             grads.get(f"g{i}", "")))
    out.append("</g></svg>")
    return "".join(out)
