"""Real depth: a LLaMA-style decoder's gradient-penalty graph, folded (issue 18).

Rows (``bench/models_llama.py``, built from ``torch.nn``, no download): 32 layers
(LLaMA-7B's depth) and 80 layers (LLaMA-70B's), loss + ‖∂loss/∂input‖²
(``create_graph=True``), saved tensors hidden. Each measure runs in a fresh
process (its peak memory is the process's, Graphviz's children included):

- *gradviz*: the Snapshot built (capture, trace, modules; as the worker builds
  it, in process) then :func:`~gradviz.core.layout.fold_layout.first_picture` (folded,
  laid out): the **first usable picture**; then **expanding one block** (the
  middle layer: derive + layout), a second layer of the same signature, and
  expanding all (derive only: a 7,000-node layout is what folding avoids).
- *baseline*: ``torchviz.make_dot(loss, params).source`` + ``graphviz-pure -Tjson``
  on that DOT, killed at ``--timeout`` seconds or failing past a 6 GiB address-space
  cap (reported as such, never as a time).

    python -m bench.bench_fold [--layers 32,80] [--timeout 120] [--repeats 1]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import time
from typing import Any

OPEN_TARGET = {32: 10.0, 80: 30.0}  # seconds to the first picture (issue 18)
EXPAND_TARGET = 1.0
MEMORY_TARGET = 2 * 2**30
ENGINE_CAP = 6 * 2**30  # address space of the baseline's Graphviz (it fails beyond)


def _peak_bytes() -> int:
    """Peak RSS of this process plus its largest finished child (Linux: KiB)."""
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return max(own, kids) * 1024


def _model(layers: int):
    import torch

    from bench.models_llama import decoder, gradient_penalty

    torch.set_num_threads(1)
    model, inp = decoder(layers)
    return model, inp, gradient_penalty(inp)


def child_gradviz(layers: int) -> dict[str, Any]:
    """First picture, expand one, expand all: seconds, in this (fresh) process."""
    import gradviz
    from gradviz.core.graph.folding import blocks_of, fold_snapshot
    from gradviz.core.layout.fold_layout import first_picture
    from gradviz.core.layout.snapshot_layout import layout_snapshot

    model, inp, loss_fn = _model(layers)
    start = time.perf_counter()
    base = gradviz.snapshot(model, inp, loss_fn=loss_fn, layout=False, show_saved=False)
    built = time.perf_counter()
    picture = first_picture(base, deadline=time.monotonic() + 600)
    opened = time.perf_counter()
    blocks = blocks_of(picture)
    expand = []
    for member in (blocks[0].members[len(blocks[0].members) // 2], blocks[0].members[1]):
        t = time.perf_counter()
        one = fold_snapshot(base, blocks, expanded=[member])
        one.layout = layout_snapshot(one)
        expand.append(time.perf_counter() - t)
    t = time.perf_counter()
    every = fold_snapshot(base, blocks, expanded=[m for b in blocks for m in b.members])
    expand_all = time.perf_counter() - t
    assert len(every.nodes) == len(base.nodes) and len(every.steps) == len(base.steps)
    return {"nodes": len(base.nodes), "steps": len(base.steps), "shown": len(picture.nodes),
            "level": picture.meta.get("fold_level"), "build": built - start,
            "first": opened - start, "layout": opened - built, "expand": expand,
            "expand_nodes": len(one.nodes), "expand_all": expand_all,
            "blocks": [f"{b.kind} ×{b.count}" for b in blocks], "peak": _peak_bytes()}


def child_baseline(layers: int, timeout: float) -> dict[str, Any]:
    """make_dot's DOT, then graphviz-pure -Tjson on it, killed after ``timeout`` s."""
    import torchviz

    from gradviz.core.layout.engines import engine_path

    model, inp, loss_fn = _model(layers)
    start = time.perf_counter()
    loss = loss_fn(model(inp))
    dot = torchviz.make_dot(loss, params=dict(model.named_parameters())).source
    made = time.perf_counter()
    nodes = sum(1 for line in dot.splitlines() if "[label=" in line)
    proc = subprocess.Popen([engine_path("graphviz-pure"), "-Tjson"], stdin=subprocess.PIPE,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, text=True,
                            preexec_fn=_memory_cap)
    try:
        proc.communicate(dot, timeout=timeout)
        layout: float | None = time.perf_counter() - made
        outcome = ("done" if proc.returncode == 0 else
                   f"failed (exit {proc.returncode}; memory capped at {ENGINE_CAP / 2**30:g} GiB)")
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
        layout, outcome = None, f"not finished in {timeout:.0f} s"
    return {"dot_nodes": nodes, "make_dot": made - start, "layout": layout, "outcome": outcome,
            "timeout": timeout, "peak": _peak_bytes()}


def _memory_cap() -> None:
    """The baseline's engine may not take the shared machine's memory (it reached 11 GB)."""
    resource.setrlimit(resource.RLIMIT_AS, (ENGINE_CAP, ENGINE_CAP))


def _run_child(kind: str, layers: int, timeout: float) -> dict[str, Any]:
    cmd = [sys.executable, "-m", "bench.bench_fold", "--child", kind, "--layers", str(layers),
           "--timeout", str(timeout)]
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout + 900)
    if done.returncode != 0:
        raise RuntimeError(f"{kind} {layers}: {done.stderr[-2000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def run_fold(layer_counts: list[int], timeout: float, repeats: int, log=print) -> list[dict]:
    """Rows: per depth, gradviz's runs and the baseline's (fresh processes, paired)."""
    rows = []
    for layers in layer_counts:
        ours, base = [], []
        for _ in range(repeats):
            ours.append(_run_child("gradviz", layers, timeout))
            base.append(_run_child("baseline", layers, timeout))
        rows.append({"layers": layers, "ours": ours, "base": base})
        log(f"  done: {layers} layers")
    return rows


def _gb(n: float) -> str:
    return f"{n / 2**30:.2f} GB"


def fold_targets(rows: list[dict]) -> list[tuple[str, str, bool]]:
    """(target, measured, met) per row."""
    med, out = statistics.median, []
    for r in rows:
        layers, ours = r["layers"], r["ours"]
        first = med(o["first"] for o in ours)
        limit = OPEN_TARGET.get(layers, 30.0)
        out.append((f"{layers}-layer GP opens (folded) ≤ {limit:g} s", f"{first:.1f} s",
                    first <= limit))
        expand = med(o["expand"][0] for o in ours)
        out.append((f"{layers}-layer GP: expand one layer ≤ {EXPAND_TARGET:g} s",
                    f"{expand:.2f} s", expand <= EXPAND_TARGET))
        peak = max(o["peak"] for o in ours)
        out.append((f"{layers}-layer GP: memory ≤ 2 GB", _gb(peak), peak <= MEMORY_TARGET))
    return out


def print_fold(rows: list[dict], repeats: int) -> None:
    """The table, baseline beside gradviz."""
    med = statistics.median
    print(f"\n### Real depth, folded (LLaMA-style decoder, gradient penalty), median of "
          f"{repeats}, fresh processes\n")
    print("| layers | nodes (gradviz / make_dot DOT) | steps | blocks | shown | build s "
          "| first picture s (layout s) | expand one s | expand all s | gradviz peak "
          "| make_dot s | graphviz-pure -Tjson | baseline peak |")
    print("|---:|---|---:|---|---:|---:|---|---|---:|---:|---:|---|---:|")
    for r in rows:
        o, b = r["ours"], r["base"]
        done = [x["layout"] for x in b if x["outcome"] == "done"]
        base_layout = (f"{med(done):.1f} s" if len(done) == len(b)
                       else next(x["outcome"] for x in b if x["outcome"] != "done"))
        print(f"| {r['layers']} | {o[0]['nodes']:,} / {b[0]['dot_nodes']:,} | {o[0]['steps']:,} "
              f"| {', '.join(o[0]['blocks'])} | {o[0]['shown']} ({o[0]['level']}) "
              f"| {med(x['build'] for x in o):.1f} | {med(x['first'] for x in o):.1f} "
              f"({med(x['layout'] for x in o):.2f}) "
              f"| {' / '.join(f'{t:.2f}' for t in o[0]['expand'])} "
              f"| {med(x['expand_all'] for x in o):.2f} | {_gb(max(x['peak'] for x in o))} "
              f"| {med(x['make_dot'] for x in b):.1f} | {base_layout} "
              f"| {_gb(max(x['peak'] for x in b))} |")
    print("\nexpand one: the middle layer, then a second one (same signature); "
          f"load average at the end: {os.getloadavg()[0]:.1f}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--layers", default="32,80", help="comma-separated depths")
    parser.add_argument("--timeout", type=float, default=120.0,
                        help="seconds before the baseline's layout is killed")
    parser.add_argument("--repeats", type=int, default=1)
    parser.add_argument("--child", choices=("gradviz", "baseline"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    counts = [int(n) for n in args.layers.split(",") if n]
    if args.child:
        fn = child_gradviz if args.child == "gradviz" else (
            lambda n: child_baseline(n, args.timeout))
        print(json.dumps(fn(counts[0])))
        return 0
    print(f"{time.strftime('%Y-%m-%d %H:%M')} | load {os.getloadavg()[0]:.1f} | "
          f"{os.cpu_count()} cores")
    rows = run_fold(counts, args.timeout, args.repeats,
                    log=lambda t: print(t, file=sys.stderr, flush=True))
    print_fold(rows, args.repeats)
    for name, value, ok in fold_targets(rows):
        print(f"- {name}: {value} {'✓' if ok else '✗'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
