"""Scene build and full-repaint times of the graph view, beside Graphviz's layout time.

    python bench/bench_view.py [--repeat 5] [--size 1280x800]

Targets (issue #4): scene build ≤ 15% of layout time; one full repaint at fit
zoom ≤ 16 ms for the 24-layer transformer. Minimum of ``--repeat`` runs (the
machine may be shared). Not a timed test: it only prints.
"""

from __future__ import annotations

import argparse
import gc
import os
import sys
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from PySide6.QtGui import QImage, QPainter  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from gradviz.ui.scene import GraphScene  # noqa: E402
from gradviz.ui.view import GraphView  # noqa: E402

CASES = {
    "transformer x24": lambda: __import__("snapshots").transformer_snapshot(24),
    "chain 5000 (no saved)": lambda: __import__("snapshots").chain_snapshot(5000,
                                                                            show_saved=False),
}


def best_of(repeat: int, fn) -> tuple[float, object]:
    """The fastest of ``repeat`` calls, in seconds, and the last result."""
    best, result = float("inf"), None
    for _ in range(repeat):
        result = None  # drop the last result first: its teardown is not part of the timing
        start = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - start)
    return best, result


def repaint_time(view: GraphView, repeat: int) -> float:
    """One full render of the viewport into an image, at the current zoom."""
    size = view.viewport().size()
    image = QImage(size, QImage.Format.Format_ARGB32_Premultiplied)

    def render() -> None:
        painter = QPainter(image)
        view.render(painter)
        painter.end()

    render()  # warm-up: builds edge paths and glyph caches once
    return best_of(repeat, render)[0]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--size", default="1280x800")
    args = parser.parse_args()
    width, height = (int(v) for v in args.size.split("x"))
    app = QApplication.instance() or QApplication([])
    print(f"{'graph':24} {'nodes':>6} {'edges':>6} {'layout ms':>10} {'build ms':>9} "
          f"{'build/layout':>12} {'repaint ms':>11} {'repaint/16ms':>12}")
    for name, make in CASES.items():
        snapshot = make()
        gc.collect()
        gc.freeze()  # as the app does after start-up: no full collections of old objects
        layout = snapshot.meta["timings"]["layout"]
        build, scene = best_of(args.repeat, lambda s=snapshot: GraphScene(s))
        view = GraphView(scene)
        view.resize(width, height)
        view.fit()
        app.processEvents()
        repaint = repaint_time(view, args.repeat)
        print(f"{name:24} {len(snapshot.nodes):6d} {len(snapshot.edges):6d} "
              f"{layout * 1e3:10.1f} {build * 1e3:9.1f} {build / layout:11.1%} "
              f"{repaint * 1e3:11.2f} {repaint / 0.016:11.0%}")
        view.deleteLater()
        gc.unfreeze()


if __name__ == "__main__":
    main()
