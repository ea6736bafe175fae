"""Drawing at scale (issue 18): repaint, pan and zoom frames at fit zoom on ~20k nodes.

The graph: a 20,000-op chain (``bench/models.py``: ``y * 1.0001`` / ``sin(y)``,
saved tensors hidden): 20,003 nodes, laid out whole by Graphviz (a chain is easy
to lay out; a model's 20k-node graph is not, and opens folded). On a fitted
1280×800 GraphView rendered into a QImage (``bench_view``'s pattern): a full
repaint; **pan** frames (the camera moves by a tenth of the viewport, then a full
repaint) and **zoom** frames (×1.1 in and out around the centre, then a full
repaint), wall clock and this thread's CPU time.

    python -m bench.bench_scale [--ops 20000] [--frames 40]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time

from bench import bench_view  # first: sets QT_QPA_PLATFORM before PySide6 loads
from bench.models import chain
from gradviz.core.runtime.options import BuildOptions
from gradviz.core.runtime.pipeline import build_snapshot
from gradviz.ui.graph.scene import GraphScene

BUDGET_MS = 16.0


def _timed(fn) -> tuple[float, float]:
    c0, t0 = time.thread_time(), time.perf_counter()
    fn()
    return time.perf_counter() - t0, time.thread_time() - c0


def measure_scale(ops: int, frames: int) -> dict:
    """Layout, scene, repaint, pan and zoom frame times (seconds) on a chain of ``ops`` ops."""
    model = chain(ops, record=True)
    start = time.perf_counter()
    snapshot = build_snapshot(model.output, params=model.params, values=model.values,
                              source=model.source, options=BuildOptions(show_saved=False))
    built = time.perf_counter() - start
    app = bench_view.application()
    scene = GraphScene(snapshot)
    view = bench_view.fitted_view(scene)
    render = bench_view._renderer(view)
    render()  # warm-up
    repaint = [_timed(render) for _ in range(frames)]
    center, zoom = view.scene_center(), view.zoom()
    fit_zoom, shown = zoom, view.visible_scene_rect()
    step = view.visible_scene_rect().width() / 10

    def moved(dx: float, factor: float):
        def frame() -> None:
            nonlocal center, zoom
            center.setX(center.x() + dx)
            zoom *= factor
            view.set_camera(center, zoom)
            app.processEvents()
            render()
        return frame

    pan = [_timed(moved(step if i % 20 < 10 else -step, 1.0)) for i in range(frames)]
    zooms = [_timed(moved(0.0, 1.1 if i % 2 == 0 else 1 / 1.1)) for i in range(frames)]
    return {"nodes": len(snapshot.nodes), "build": built,
            "layout": snapshot.meta["timings"].get("layout", 0.0), "fit_zoom": fit_zoom,
            "shown": (shown.width(), shown.height()),
            "overview": scene.overview_on(), "repaint": repaint, "pan": pan, "zoom": zooms}


def _row(name: str, pairs: list[tuple[float, float]]) -> str:
    wall = [w * 1e3 for w, _ in pairs]
    cpu = [c * 1e3 for _, c in pairs]
    mark = "✓" if statistics.median(cpu) <= BUDGET_MS and bench_view.p95(cpu) <= BUDGET_MS \
        else "✗"
    return (f"| {name} | {statistics.median(wall):.1f} / {bench_view.p95(wall):.1f} "
            f"| {statistics.median(cpu):.1f} / {bench_view.p95(cpu):.1f} | {mark} |")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ops", type=int, default=20000)
    parser.add_argument("--frames", type=int, default=40)
    args = parser.parse_args(argv)
    r = measure_scale(args.ops, args.frames)
    print(f"\n### Drawing at scale: {r['nodes']:,} nodes at fit zoom "
          f"(zoom {r['fit_zoom']:.2g} px/pt, "
          f"{r['shown'][0]:,.0f} × {r['shown'][1]:,.0f} pt in view, "
          f"overview {'on' if r['overview'] else 'off'}), {args.frames} frames, load "
          f"{os.getloadavg()[0]:.1f}\n")
    print(f"build + layout: {r['build']:.1f} s (layout {r['layout']:.1f} s)\n")
    print("| frame | wall ms median / p95 | CPU ms median / p95 | ≤ 16 ms (CPU) |")
    print("|---|---|---|---|")
    for name in ("repaint", "pan", "zoom"):
        print(_row(name, r[name]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
