"""First-run latency of the evaluation worker on the seed, cold vs pre-started, and warm.

The worker (:class:`gradviz.core.runtime.worker.EvaluationWorker`) is a spawned child
that imports torch before its first job. Scenarios, each on a fresh worker:

- cold: ``run()`` right after construction (spawn + import torch + warm-up + job);
- pre-started: ``start()``, then the user "types" for ``--typing`` seconds
  (the parent sleeps), then ``run()``;
- warm: a second ``run()`` on the same worker.

Also reported: how long a started child takes to say it is ready (so one can
see whether the typing pause covers it), and the layout alone (the job here
builds the Snapshot with ``layout=False``; the app's builds lay out in the child).

Run: ``python -m bench.bench_worker [--repeats N] [--typing S] [--engine ...] [--quick]``.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

if __package__ in (None, ""):  # python bench/bench_worker.py
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.bench_pipeline import machine, revision
from gradviz.core.layout.engines import ENGINES
from gradviz.core.layout.snapshot_layout import layout_snapshot
from gradviz.core.runtime.job import snapshot_job
from gradviz.core.runtime.options import BuildOptions
from gradviz.core.runtime.request import BuildRequest, Expression
from gradviz.core.runtime.worker import EvaluationWorker

SEED = BuildRequest(Expression("5*x**3 + 2*x**2 + 4*x + 8", ("x=2.0",)),
                    options=BuildOptions(layout=False))


def _timed_run(worker: EvaluationWorker) -> tuple[float, object]:
    start = time.perf_counter()
    snapshot = worker.run(snapshot_job, SEED)
    return time.perf_counter() - start, snapshot


def _check(snapshot: object) -> None:
    value = snapshot.output.value  # type: ignore[attr-defined]
    if value != 64.0:
        raise RuntimeError(f"the seed evaluated to {value!r}, not 64")


def one_round(typing: float, engine: str | None) -> dict[str, float]:
    """One fresh worker per scenario; seconds."""
    out: dict[str, float] = {}
    with EvaluationWorker() as probe:  # __enter__ calls start()
        start = time.perf_counter()
        probe.wait_ready()
        out["ready"] = time.perf_counter() - start

    cold = EvaluationWorker()
    try:
        out["cold"], snapshot = _timed_run(cold)
        _check(snapshot)
        start = time.perf_counter()
        layout_snapshot(snapshot, BuildOptions(engine=engine))
        out["layout"] = time.perf_counter() - start
        out["warm"], snapshot = _timed_run(cold)
        _check(snapshot)
    finally:
        cold.close()

    pre = EvaluationWorker()
    try:
        pre.start()
        time.sleep(typing)  # the user types the function
        out["prestarted"], snapshot = _timed_run(pre)
        _check(snapshot)
        out["warm"] = min(out["warm"], _timed_run(pre)[0])
    finally:
        pre.close()
    return out


def _ms(seconds: float) -> str:
    return f"{seconds * 1e3:,.0f}" if seconds >= 0.01 else f"{seconds * 1e3:.1f}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=None, help="default 3 (1 with --quick)")
    parser.add_argument("--typing", type=float, default=3.0,
                        help="seconds between start() and run() when pre-started")
    parser.add_argument("--engine", choices=ENGINES, default=None,
                        help="engine of the parent-side layout (default: gradviz's default)")
    parser.add_argument("--quick", action="store_true", help="one round")
    args = parser.parse_args(argv)
    repeats = args.repeats or (1 if args.quick else 3)
    print(f"{time.strftime('%Y-%m-%d %H:%M')} | {revision()} | {machine()}")
    rounds = []
    for i in range(repeats):
        rounds.append(one_round(args.typing, args.engine))
        print(f"  round {i + 1}/{repeats} done", file=sys.stderr, flush=True)

    def row(label: str, key: str, note: str = "") -> str:
        values = [r[key] for r in rounds]
        return (f"| {label} | {_ms(statistics.median(values))} | {_ms(min(values))}–"
                f"{_ms(max(values))} | {note} |")

    print(f"\n### Evaluation worker, seed job, median of {repeats} (fresh worker each)\n")
    print("| scenario | ms | range | note |")
    print("|---|---:|---|---|")
    print(row("child start-up to ready", "ready", "start() → wait_ready() returns"))
    print(row("first run, cold", "cold", "run() right after construction"))
    print(row(f"first run, pre-started + {args.typing:g} s typing", "prestarted",
              "start(), sleep, then run()"))
    print(row("second run, warm", "warm", "best of the two workers' second runs"))
    print(row("layout in the parent (seed)", "layout", "layout_snapshot after the first run"))
    print(f"\nfinished {time.strftime('%H:%M')} | {machine()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
