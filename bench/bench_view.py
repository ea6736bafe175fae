"""Scene build, full repaint and replay frame times of the graph view (Qt, offscreen).

    python -m bench.bench_view [--repeat 5] [--size 1280x800] [--frames 200]

Per graph (``tests/snapshots.py``): GraphScene build beside Graphviz's layout
time; one full repaint of a fitted GraphView rendered into a QImage, on the fresh
scene (step 0, every item idle) and at the last step (every item coloured); one replay
frame = the Player's state (``Timeline.state_at(k)``, from the step sampled before) +
``apply_step`` + the scene's update processing + a full repaint, over ~``--frames``
steps spread through the replay (the first: step 1 after step 0), then two jumps; each
frame also in this thread's CPU time (``time.thread_time``), which a loaded machine's
waits do not inflate.
Targets (issues): scene build ≤ 15 % of layout; repaint and frame ≤ 16 ms on the
24-layer transformer. Medians (frames: median and p95). ``python -m bench`` reuses
these functions for its combined table. Not a timed test: it only prints.
"""

from __future__ import annotations

import argparse
import gc
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtGui import QImage, QPainter
from PySide6.QtWidgets import QApplication

from gradviz.core.snapshot import Snapshot
from gradviz.replay.timeline import Timeline
from gradviz.ui.graph.scene import GraphScene
from gradviz.ui.graph.step_view import apply_step
from gradviz.ui.viewer.player import state_at
from gradviz.ui.viewer.view import GraphView

FRAME_BUDGET = 0.016  # seconds: one frame at 60 Hz
DEFAULT_SIZE = (1280, 800)


def application() -> QApplication:
    """The QApplication (offscreen unless QT_QPA_PLATFORM says otherwise)."""
    return QApplication.instance() or QApplication([])


def timed(repeat: int, fn: Callable[[], Any]) -> tuple[list[float], Any]:
    """Seconds of each of ``repeat`` calls, and the last result."""
    times, result = [], None
    for _ in range(repeat):
        result = None  # drop the last result first: its teardown is not part of the timing
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return times, result


def best_of(repeat: int, fn: Callable[[], Any]) -> tuple[float, Any]:
    """The fastest of ``repeat`` calls, in seconds, and the last result."""
    times, result = timed(repeat, fn)
    return min(times), result


def p95(values: list[float]) -> float:
    """The 95th percentile (nearest rank)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def scene_times(snapshot: Snapshot, repeat: int) -> tuple[list[float], GraphScene]:
    """GraphScene(snapshot) build times, and the last scene."""
    application()
    return timed(repeat, lambda: GraphScene(snapshot))


def fitted_view(scene: GraphScene, size: tuple[int, int] = DEFAULT_SIZE) -> GraphView:
    """A GraphView of ``size`` showing ``scene`` at fit zoom (not shown on screen)."""
    view = GraphView(scene)
    view.resize(*size)
    application().processEvents()  # a hidden widget's viewport takes its size here
    view.fit()
    application().processEvents()
    return view


def _renderer(view: GraphView) -> Callable[[], None]:
    image = QImage(view.viewport().size(), QImage.Format.Format_ARGB32_Premultiplied)

    def render() -> None:
        painter = QPainter(image)
        view.render(painter)
        painter.end()

    return render


def repaint_times(view: GraphView, repeat: int) -> list[float]:
    """Full renders of the viewport into an image at the current zoom (after one warm-up)."""
    render = _renderer(view)
    render()  # warm-up: builds edge paths and glyph caches once
    return timed(repeat, render)[0]


def frame_steps(total: int, sample: int) -> list[int]:
    """Steps 1…total, or ``sample`` of them spread evenly through the replay."""
    if total <= sample:
        return list(range(1, total + 1))
    return sorted({1 + round(i * (total - 1) / (sample - 1)) for i in range(sample)})


def frame_times(scene: GraphScene, view: GraphView, sample: int = 200) -> dict[str, list[float]]:
    """Per replayed step: the state (from the step before, as the Player gets it),
    apply_step (+ the scene's update processing), repaint. The first sample is step 1
    after step 0 (every item changes: idle → dimmed); ``jump``: two more frames, the
    last sample back to step 1, then step 1 to the last step (most items change)."""
    app, render, snapshot = application(), _renderer(view), scene.snapshot
    timeline = Timeline(snapshot)  # the Player's: state k from the state asked before
    apply_step(scene, timeline.state_at(0))
    app.processEvents()
    render()  # warm-up
    out: dict[str, list[float]] = {"state": [], "apply": [], "paint": [], "frame": [], "jump": [],
                                   "cpu": [], "jump_cpu": []}

    def frame(k: int) -> dict[str, float]:
        c0 = time.thread_time()  # this thread's CPU time: what the frame costs without the
        t0 = time.perf_counter()  # waits a loaded machine adds to the wall clock
        state = timeline.state_at(k)
        t1 = time.perf_counter()
        apply_step(scene, state)
        app.processEvents()  # the scene's dirty-item processing, as the event loop would
        t2 = time.perf_counter()
        render()
        t3 = time.perf_counter()
        return {"state": t1 - t0, "apply": t2 - t1, "paint": t3 - t2, "frame": t3 - t0,
                "cpu": time.thread_time() - c0}

    for k in frame_steps(len(snapshot.steps), sample):
        for key, value in frame(k).items():
            out[key].append(value)
    jumps = [frame(1), frame(len(snapshot.steps))]
    out["jump"] = [j["frame"] for j in jumps]
    out["jump_cpu"] = [j["cpu"] for j in jumps]
    return out


def measure(snapshot: Snapshot, repeat: int, size: tuple[int, int] = DEFAULT_SIZE,
            frames: int = 200) -> dict[str, Any]:
    """Scene build, repaint (fresh scene, and at the last step) and frame times (seconds)."""
    gc.collect()
    gc.freeze()  # as after the app's start-up: no full collections of old objects
    try:
        build, scene = scene_times(snapshot, repeat)
        # The scenes the build timing dropped are cyclic garbage (items ↔ scene): freed
        # here, not by the collection that would otherwise fall into the first frames.
        gc.collect()
        view = fitted_view(scene, size)
        repaint = repaint_times(view, repeat)
        frame = frame_times(scene, view, frames) if snapshot.steps else {}
        apply_step(scene, state_at(snapshot, len(snapshot.steps)))  # backward done: all drawn
        application().processEvents()
        repaint_last = repaint_times(view, repeat)
        zoom, overview = view.zoom(), scene.overview_on()
        view.setScene(None)
        view.deleteLater()
        scene.deleteLater()
        application().processEvents()
    finally:
        gc.unfreeze()
    return {"build": build, "repaint": repaint, "repaint_last": repaint_last, "frames": frame,
            "zoom": zoom, "overview": overview}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--size", default="1280x800")
    parser.add_argument("--frames", type=int, default=200, help="replay steps sampled")
    args = parser.parse_args(argv)
    width, height = (int(v) for v in args.size.split("x"))
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
    import snapshots  # tests/snapshots.py

    cases = {"transformer x24": lambda: snapshots.transformer_snapshot(24),
             "chain 5000 (no saved)": lambda: snapshots.chain_snapshot(5000, show_saved=False)}
    print(f"{'graph':24} {'nodes':>6} {'layout ms':>10} {'build ms':>9} {'build/layout':>12} "
          f"{'repaint ms':>11} {'at last':>8} {'frame ms':>9} {'frame p95':>10} "
          f"{'first ms':>9} {'jumps ms':>14}")
    med = statistics.median
    for name, make in cases.items():
        snapshot = make()
        layout = snapshot.meta["timings"]["layout"]
        got = measure(snapshot, args.repeat, (width, height), args.frames)
        build, frames = med(got["build"]), got["frames"]["frame"]
        jumps = " / ".join(f"{t * 1e3:.1f}" for t in got["frames"]["jump"])
        print(f"{name:24} {len(snapshot.nodes):6d} {layout * 1e3:10.1f} {build * 1e3:9.1f} "
              f"{build / layout:11.1%} {med(got['repaint']) * 1e3:11.2f} "
              f"{med(got['repaint_last']) * 1e3:8.2f} "
              f"{med(frames) * 1e3:9.2f} {p95(frames) * 1e3:10.2f} {frames[0] * 1e3:9.1f} "
              f"{jumps:>14}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
