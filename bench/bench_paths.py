"""What selecting a node costs: the chain-rule paths to it (core.paths), on big graphs.

    python -m bench.bench_paths [--repeat 3]

Per graph (``tests/snapshots.py``): the Snapshot's build (capture + trace, no
layout) as the reference, then :func:`gradient_paths` to a leaf: the first
query (which builds the per-Snapshot cache: order, first steps, every edge's
local derivative) and the next ones (cached), as a ratio of the build. A click
should answer well within a frame budget's few multiples. Not a timed test:
it only prints.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path


def _seconds(fn) -> tuple[float, object]:
    start = time.perf_counter()
    result = fn()
    return time.perf_counter() - start, result


def measure(name: str, build, repeat: int) -> str:
    """One table row: build time, first and cached gradient_paths times, path count."""
    from gradviz.core.graph.paths import gradient_paths

    built, snapshot = _seconds(build)
    leaf = min(snapshot.variables, key=lambda v: v.name).node  # a deterministic leaf
    first, paths = _seconds(lambda: gradient_paths(snapshot, leaf))
    again = statistics.median(_seconds(lambda: gradient_paths(snapshot, leaf))[0]
                              for _ in range(repeat))
    count = f"{paths.count:.3g}" if paths.count < 10**15 else f"10^{len(str(paths.count)) - 1}"
    return (f"{name:<24} {len(snapshot.nodes):>7} {built * 1e3:>9.0f} {first * 1e3:>9.1f} "
            f"{again * 1e3:>9.1f} {again / built:>8.1%} {count:>8} {paths.mode}")


def main(argv: list[str] | None = None) -> int:
    """Print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
    import snapshots  # tests/snapshots.py

    cases = {
        "seed": lambda: snapshots.seed_snapshot(layout=False),
        "transformer x24": lambda: snapshots.transformer_snapshot(24, layout=False),
        "chain 5000 (no saved)": lambda: snapshots.chain_snapshot(
            5000, show_saved=False, layout=False),
    }
    print(f"{'graph':<24} {'nodes':>7} {'build ms':>9} {'first ms':>9} {'next ms':>9} "
          f"{'next/bld':>8} {'paths':>8} mode")
    for name, build in cases.items():
        print(measure(name, build, args.repeat), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
