"""gradviz's build_snapshot against torchviz + Graphviz, same graph, same engine, same run.

Baseline: ``torchviz.make_dot(output, params=..., show_saved=S).source`` laid
out by the engine with ``-Tjson`` (its text output; not parsed).
gradviz: ``build_snapshot(...)``: capture + trace (the real backward with
hooks) + layout (``-Tjson0``, parsed into a GraphLayout), with the forward
values a ForwardRecorder saw (as the app does), so labels carry value and
gradient lines. The forward pass is not part of either; the recorder's own
cost during the forward is reported in a second table.

Every repeat times the baseline and gradviz back to back (alternating which
goes first), so load from other processes hits both; medians are reported,
with the spread of the per-repeat ratios.

torchviz's make_dot recurses once per node: on the deep chain it runs in a
thread with a 512 MiB stack and ``sys.setrecursionlimit(100_000)``, only so
that a baseline exists (gradviz's walk is iterative).

Run: ``python -m bench.bench_pipeline [--repeats N] [--engine graphviz-pure|dot] [--quick]``.
"""

from __future__ import annotations

import argparse
import gc
import os
import platform
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

if __package__ in (None, ""):  # python bench/bench_pipeline.py
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import torch

from bench.models import Case, Model, cases
from gradviz.core.graph.torchviz_compat import make_dot
from gradviz.core.layout.engines import ENGINES, engine_path, engine_version, run_engine
from gradviz.core.runtime import pipeline
from gradviz.core.runtime.options import BuildOptions

TARGET_RATIO = 1.15
STAGES = ("capture", "trace", "explain", "layout", "other", "total")
DEEP_STACK = 512 * 2**20
DEEP_RECURSION = 100_000


def _in_deep_thread(fn: Callable[[], Any]) -> Any:
    """Run ``fn`` in a thread with a big stack and a high recursion limit (torchviz)."""
    result: dict[str, Any] = {}

    def target() -> None:
        try:
            result["value"] = fn()
        except BaseException as exc:  # re-raised in the caller
            result["error"] = exc

    old_stack = threading.stack_size(DEEP_STACK)
    old_limit = sys.getrecursionlimit()
    sys.setrecursionlimit(DEEP_RECURSION)
    try:
        thread = threading.Thread(target=target, name="make_dot-deep")
        thread.start()
        thread.join()
    finally:
        threading.stack_size(old_stack)
        sys.setrecursionlimit(old_limit)
    if "error" in result:
        raise result["error"]
    return result["value"]


def time_baseline(model: Model, case: Case, engine: str) -> dict[str, float]:
    """torchviz.make_dot(...).source, then ``engine -Tjson`` on it (seconds)."""
    gc.collect()

    def source() -> str:
        return make_dot(model.output, params=model.params, show_saved=case.show_saved).source

    start = time.perf_counter()
    dot = _in_deep_thread(source) if case.deep else source()
    made = time.perf_counter()
    run_engine(dot, engine=engine, fmt="json", fallback=False)
    done = time.perf_counter()
    return {"make_dot": made - start, "layout": done - made, "total": done - start}


def time_gradviz(model: Model, case: Case, engine: str) -> dict[str, float]:
    """build_snapshot(...) with its stage timings (seconds); ``other`` is what they miss."""
    gc.collect()
    opts = BuildOptions(engine=engine, show_saved=case.show_saved)
    start = time.perf_counter()
    snapshot = pipeline.build_snapshot(model.output, params=model.params, values=model.values,
                                       source=model.source, options=opts)
    total = time.perf_counter() - start
    out = dict(snapshot.meta["timings"])  # capture, trace, explain, layout
    overlapped = bool(out.pop("layout_overlapped", False))
    if snapshot.layout is None or snapshot.layout.engine != engine:
        raise RuntimeError(f"layout did not come from {engine}")
    # A big graph's layout runs beside trace and explain: the critical path is capture + the
    # longer of the two.
    beside = max(out["layout"], out["trace"] + out["explain"])
    busy = out["capture"] + beside if overlapped else sum(out.values())
    out["other"] = max(0.0, total - busy)
    out["total"] = total
    out["nodes"] = len(snapshot.nodes)
    out["snapshot"] = snapshot  # run_case keeps the last one (python -m bench draws it)
    return out


def _med(rows: list[dict[str, float]], key: str) -> float:
    return statistics.median(r[key] for r in rows)


def run_case(case: Case, engine: str, repeats: int) -> dict[str, Any]:
    """Paired baseline / gradviz repeats; ``row["snapshot"]`` is gradviz's last Snapshot."""
    model = case.build(True)
    time_baseline(model, case, engine)  # warm-up: imports, first exec of the engine
    time_gradviz(model, case, engine).pop("snapshot")
    base, ours, snapshot = [], [], None
    for i in range(repeats):
        snapshot = None  # earlier snapshots would slow the next collections (make_dot's)
        if i % 2:
            ours.append(time_gradviz(model, case, engine))
            snapshot = ours[-1].pop("snapshot")
            base.append(time_baseline(model, case, engine))
        else:
            base.append(time_baseline(model, case, engine))
            ours.append(time_gradviz(model, case, engine))
            snapshot = ours[-1].pop("snapshot")
    ratios = [o["total"] / b["total"] for o, b in zip(ours, base)]
    row = {"case": case, "nodes": ours[0]["nodes"], "ratios": ratios, "snapshot": snapshot,
           "base": {k: _med(base, k) for k in base[0]},
           "ours": {k: _med(ours, k) for k in STAGES}}
    row["ratio"] = row["ours"]["total"] / row["base"]["total"]
    return row


def time_forward(case: Case, repeats: int) -> dict[str, float]:
    """The forward pass with and without a ForwardRecorder (seconds, medians)."""
    case.build(True)  # warm-up
    plain, recorded = [], []
    for i in range(repeats):
        order = (False, True) if i % 2 == 0 else (True, False)
        for record in order:
            gc.collect()
            took = case.build(record).forward_s
            (recorded if record else plain).append(took)
    return {"plain": statistics.median(plain), "recorded": statistics.median(recorded)}


def _ms(seconds: float) -> str:
    return f"{seconds * 1e3:,.0f}" if seconds >= 0.01 else f"{seconds * 1e3:.1f}"


def revision() -> str:
    """The gradviz commit measured, with "+dirty" when the working tree differs."""
    root = Path(__file__).resolve().parent.parent
    try:
        head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=root, text=True,
                              capture_output=True, timeout=10).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--", "gradviz"], cwd=root,
                               text=True, capture_output=True, timeout=10).stdout.strip()
    except (OSError, subprocess.TimeoutExpired):
        return "unknown revision"
    return f"gradviz {head or '?'}{'+dirty' if dirty else ''}"


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        load = f"load {os.getloadavg()[0]:.1f}"
    except OSError:
        load = "load ?"
    return (f"{os.cpu_count()} cores ({cpu}), {load}, Python {platform.python_version()}, "
            f"torch {torch.__version__} ({torch.get_num_threads()} intra-op threads)")


def print_pipeline(rows: list[dict[str, Any]], engine: str, repeats: int) -> None:
    print(f"\n### Pipeline, engine {engine_version(engine)}, median of {repeats}\n")
    print("| graph | saved | nodes | baseline ms (make_dot + layout) | gradviz ms "
          "(capture / trace / explain / layout / other) | ratio | ratio range |")
    print("|---|---|---:|---:|---:|---:|---|")
    for r in rows:
        b, o, case = r["base"], r["ours"], r["case"]
        flag = " ✗" if case.big and r["ratio"] > TARGET_RATIO else ""
        print(f"| {case.label} | {'yes' if case.show_saved else 'no'} | {r['nodes']:,} "
              f"| {_ms(b['total'])} ({_ms(b['make_dot'])} + {_ms(b['layout'])}) "
              f"| {_ms(o['total'])} ({_ms(o['capture'])} / {_ms(o['trace'])} / "
              f"{_ms(o['explain'])} / {_ms(o['layout'])} / {_ms(o['other'])}) "
              f"| {r['ratio']:.2f}{flag} | {min(r['ratios']):.2f}–{max(r['ratios']):.2f} |")
    print(f"\nTarget: ratio ≤ {TARGET_RATIO} on 24 layers and the chain (✗ marks a miss). "
          "The chain's make_dot ran in a 512 MiB-stack thread with recursionlimit 100,000.")


def print_forward(forward: dict[str, dict[str, float]], repeats: int) -> None:
    print(f"\n### Forward pass with / without ForwardRecorder, median of {repeats}\n")
    print("| graph | forward ms | with recorder ms | recorder overhead |")
    print("|---|---:|---:|---:|")
    for label, f in forward.items():
        extra = f["recorded"] / f["plain"] if f["plain"] else float("nan")
        print(f"| {label} | {_ms(f['plain'])} | {_ms(f['recorded'])} | ×{extra:.1f} |")


def common_parser(description: str) -> argparse.ArgumentParser:
    """The options every bench entry point takes."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--repeats", type=int, default=None, help="default 5 (3 with --quick)")
    parser.add_argument("--engine", choices=ENGINES, default="graphviz-pure")
    parser.add_argument("--quick", action="store_true",
                        help="12 layers only and a 1,000-op chain (a smoke run)")
    parser.add_argument("--threads", type=int, default=None,
                        help="torch.set_num_threads in this process (not in the app's start-up)")
    parser.add_argument("--only", default="", help="only graphs whose name contains this")
    return parser


def checked_repeats(args: argparse.Namespace) -> int | None:
    """Repeats to run (5, or 3 with --quick); None when the engine is missing (said why)."""
    if engine_path(args.engine) is None:
        print(f"engine {args.engine} is not installed", file=sys.stderr)
        return None
    return args.repeats or (3 if args.quick else 5)


def begin(args: argparse.Namespace) -> list:
    """Set torch's threads, print the run's header line; the graphs to measure."""
    if args.threads:
        torch.set_num_threads(args.threads)
    print(f"{time.strftime('%Y-%m-%d %H:%M')} | {revision()} | {machine()}")
    return [c for c in cases(args.quick) if args.only in c.label]


def main(argv: list[str] | None = None) -> int:
    parser = common_parser(__doc__.splitlines()[0])
    parser.add_argument("--no-forward", action="store_true", help="skip the recorder table")
    args = parser.parse_args(argv)
    repeats = checked_repeats(args)
    if repeats is None:
        return 2
    selected = begin(args)
    rows = []
    for case in selected:
        rows.append(run_case(case, args.engine, repeats))
        rows[-1].pop("snapshot")
        print(f"  done: {case.label} saved={case.show_saved}", file=sys.stderr, flush=True)
    print_pipeline(rows, args.engine, repeats)
    if not args.no_forward:
        graphs = {c.label: c for c in selected}
        forward = {label: time_forward(c, repeats) for label, c in graphs.items()}
        print_forward(forward, repeats)
    print(f"\nfinished {time.strftime('%H:%M')} | {machine()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
