"""All of gradviz's performance budgets in one run: ``python -m bench``.

Per graph (``bench/models.py``): the baseline (torchviz make_dot + Graphviz
``-Tjson``) and gradviz's ``build_snapshot``, paired per repeat, same engine
(``bench_pipeline``); then, on gradviz's last Snapshot, the GraphScene build, a
full repaint of a fitted 1280×800 GraphView into a QImage and the replay frames
(``bench_view``). Then what users wait for end to end (``bench_users``: export to
JSON, the default-options chain and CLI script) and the typed example functions
under 2 concurrent builds (``bench_typed``), the app's start-up in fresh processes
(``bench_startup``) and the Snapshot's memory on ~100 MB of activations
(``bench_memory``), and real depth folded (``bench_fold``: LLaMA-style gradient
penalties, 32 and 80 layers). Prints Markdown tables and the targets, each ✓ or ✗
(bench/README.md lists them).

    python -m bench [--quick] [--repeats N] [--engine graphviz-pure|dot] [--threads N]
                    [--no-startup] [--no-memory] [--no-users] [--no-fold]
"""

from __future__ import annotations

import statistics
import sys
import time
from typing import Any

from bench import bench_view  # first: sets QT_QPA_PLATFORM before PySide6 loads
from bench.bench_fold import fold_targets, print_fold, run_fold
from bench.bench_memory import TARGET_BYTES, print_memory, run_memory
from bench.bench_pipeline import (
    TARGET_RATIO,
    _ms,
    begin,
    checked_repeats,
    common_parser,
    machine,
    print_pipeline,
    run_case,
)
from bench.bench_startup import print_startup, run_startup, summary
from bench.bench_typed import TARGET as TYPED_TARGET
from bench.bench_typed import print_typed
from bench.bench_users import (
    RATIO_TARGET,
    WRITE_TARGET,
    print_users,
    run_fresh,
)

FRAME_BUDGET_MS = bench_view.FRAME_BUDGET * 1e3


def _log(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def _mark(ok: bool) -> str:
    return "✓" if ok else "✗"


def measure_graphs(selected, engine: str, repeats: int, frames: int) -> list[dict[str, Any]]:
    """Pipeline rows (bench_pipeline.run_case) with the view's measures under ``view``."""
    rows = []
    for case in selected:
        row = run_case(case, engine, repeats)
        snapshot = row.pop("snapshot")
        row["steps"] = len(snapshot.steps)
        row["layout"] = snapshot.meta["timings"]["layout"]
        row["view"] = bench_view.measure(snapshot, repeats, frames=frames)
        rows.append(row)
        del snapshot
        _log(f"  done: {case.label} saved={case.show_saved}")
    return rows


def print_graphs(rows: list[dict[str, Any]], repeats: int, frames: int) -> None:
    med = statistics.median
    print(f"\n### Per graph, median of {repeats} (frames: ~{frames} steps spread through the "
          "replay, median / p95; first frame: step 0 → 1; jumps: last sample → 1, 1 → last "
          "step)\n")
    print("| graph | saved | nodes | steps | baseline ms | gradviz pipeline ms | ratio (range) "
          "| scene ms (÷ layout) | repaint ms step 0 / last | frame ms med / p95 "
          "| frame: state / apply / paint ms | first frame / jumps ms |")
    print("|---|---|---:|---:|---:|---:|---|---:|---:|---:|---|---|")
    for r in rows:
        case, view, f = r["case"], r["view"], r["view"]["frames"]
        flag = f" {_mark(r['ratio'] <= TARGET_RATIO)}" if case.big else ""
        scene = med(view["build"])
        frame = (f"{med(f['frame']) * 1e3:.1f} / {bench_view.p95(f['frame']) * 1e3:.1f}"
                 if f else "–")
        parts = " / ".join(f"{med(f[k]) * 1e3:.1f}" for k in ("state", "apply", "paint")) \
            if f else "–"
        jumps = " / ".join(f"{t * 1e3:.1f}" for t in [f["frame"][0], *f["jump"]]) if f else "–"
        zoom = " (overview)" if view["overview"] else ""
        print(f"| {case.label} | {'yes' if case.show_saved else 'no'} | {r['nodes']:,} "
              f"| {r['steps']:,} | {_ms(r['base']['total'])} | {_ms(r['ours']['total'])} "
              f"| {r['ratio']:.2f}{flag} ({min(r['ratios']):.2f}–{max(r['ratios']):.2f}) "
              f"| {_ms(scene)} ({scene / r['layout']:.0%}) "
              f"| {med(view['repaint']) * 1e3:.1f} / {med(view['repaint_last']) * 1e3:.1f}{zoom} "
              f"| {frame} | {parts} | {jumps} |")


FRAME_GRAPHS = ("transformer x12", "chain 1000")  # first frame and far jumps (issue 14)


def _frame_targets(r, label: str) -> list[tuple[str, str, bool]]:
    """First frame after step 0 and the two far jumps: wall clock and CPU; CPU is checked."""
    f = r["view"]["frames"]
    if not f or r["case"].label not in FRAME_GRAPHS:
        return []
    wall = [f["frame"][0], *f["jump"]]
    cpu = [f["cpu"][0], *f["jump_cpu"]]
    text = (" / ".join(f"{t * 1e3:.1f}" for t in wall) + " ms wall; "
            + " / ".join(f"{t * 1e3:.1f}" for t in cpu) + " ms CPU")
    return [(f"first frame, jumps ≤ 16 ms (CPU): {label}", text,
             max(cpu) * 1e3 <= FRAME_BUDGET_MS)]


def user_targets(users, typed) -> list[tuple[str, str, bool]]:
    """Targets of the end-to-end rows (bench_users, bench_typed)."""
    out = []
    for name, r in (users or {}).items():
        out.append((f"{name} ≤ {RATIO_TARGET}× make_dot + -Tjson", f"{r['ratio']:.2f}×",
                    r["ratio"] <= RATIO_TARGET))
        if "write" in r:
            share = r["write"] / r["layout"]
            out.append((f"JSON write ≤ {WRITE_TARGET:.0%} of layout: {name}",
                        f"{share:.1%} ({r['write'] * 1e3:.0f} / {r['layout'] * 1e3:.0f} ms)",
                        share <= WRITE_TARGET))
    if typed:
        r = typed["all examples"]
        out.append((f"typed examples, 2 concurrent builds ≤ {TYPED_TARGET}× direct",
                     f"{r['ratio']:.2f}× ({r['ours'] * 1e3:.0f} / {r['base'] * 1e3:.0f} ms)",
                     r["ratio"] <= TYPED_TARGET))
    return out


def targets(rows, startup, memory) -> list[tuple[str, str, bool]]:
    """(target, measured, met) for every target of the issue that this run measured."""
    med, out = statistics.median, []
    for r in rows:
        case = r["case"]
        label = f"{case.label}{'' if case.show_saved else ', no saved'}"
        if case.big:
            out.append((f"pipeline ≤ {TARGET_RATIO}× baseline: {label}",
                        f"{r['ratio']:.2f}×", r["ratio"] <= TARGET_RATIO))
        if "x24" in case.label:
            first, last = (med(r["view"][k]) * 1e3 for k in ("repaint", "repaint_last"))
            out.append((f"repaint ≤ 16 ms (step 0; last step): {label}",
                        f"{first:.1f} ms; {last:.1f} ms", max(first, last) <= FRAME_BUDGET_MS))
        f = r["view"]["frames"]
        if f:
            m, p = med(f["frame"]) * 1e3, bench_view.p95(f["frame"]) * 1e3
            out.append((f"frame ≤ 16 ms (median; p95): {label}", f"{m:.1f} ms; {p:.1f} ms",
                        m <= FRAME_BUDGET_MS and p <= FRAME_BUDGET_MS))
        out.extend(_frame_targets(r, label))
    for key, floor in (("window", "torch"), ("seed", "torch + Qt")):
        if startup:
            s = startup[key]
            out.append((f"{key} ≤ {s['target']:g}× {floor}", f"{s['ratio']:.2f}× "
                        f"({_ms(s['median'])} / {_ms(startup[floor]['median'])} ms)",
                        s["ratio"] <= s["target"]))
    for label, m in (memory or {}).items():
        out.append((f"Snapshot ≤ {TARGET_BYTES / 2**20:g} MB: {label}",
                    f"{m['snapshot'] / 2**20:.2f} MB (pickle {m['pickle'] / 2**20:.2f} MB)",
                    m["ok"]))
    return out


def print_targets(checks: list[tuple[str, str, bool]]) -> None:
    print("\n### Targets\n")
    print("| target | measured | |")
    print("|---|---|---|")
    for name, value, ok in checks:
        print(f"| {name} | {value} | {_mark(ok)} |")
    missed = sum(not ok for _, _, ok in checks)
    print(f"\n{len(checks) - missed} of {len(checks)} met.")


def main(argv: list[str] | None = None) -> int:
    parser = common_parser(__doc__.splitlines()[0])
    parser.add_argument("--frames", type=int, default=200, help="replay steps sampled per graph")
    parser.add_argument("--no-startup", action="store_true", help="skip the start-up table")
    parser.add_argument("--no-memory", action="store_true", help="skip the memory table")
    parser.add_argument("--no-users", action="store_true",
                        help="skip the end-to-end exports and the typed functions")
    parser.add_argument("--no-fold", action="store_true",
                        help="skip the folded LLaMA-style gradient penalties (32, 80 layers)")
    args = parser.parse_args(argv)
    repeats = checked_repeats(args)
    if repeats is None:
        return 2
    bench_view.application()
    selected = begin(args)
    rows = measure_graphs(selected, args.engine, repeats, args.frames)
    users = typed = None
    if not args.no_users:
        users, typed = run_fresh(args.engine, repeats, args.quick, args.threads)
    times, phases = ({}, {}) if args.no_startup else run_startup(repeats, log=_log)
    startup = summary(times) if times else None
    memory = None if args.no_memory else run_memory(args.engine, log=_log)
    fold = None if args.no_fold else run_fold([32] if args.quick else [32, 80], 120.0, 1,
                                               log=_log)
    print_graphs(rows, repeats, args.frames)
    print_pipeline(rows, args.engine, repeats)
    if startup:
        print_startup(startup, repeats, phases)
    if memory:
        print_memory(memory)
    if users:
        print_users(users, repeats)
    if typed:
        print_typed(typed, repeats)
    if fold:
        print_fold(fold, 1)
    print_targets(targets(rows, startup, memory) + user_targets(users, typed)
                  + (fold_targets(fold) if fold else []))
    print(f"\nfinished {time.strftime('%H:%M')} | {machine()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
