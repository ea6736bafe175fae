"""What users wait for, end to end, against torchviz + the same Graphviz engine (same run).

- ``export json x24``: ``gradviz.export(loss, "m.json", params=model, show_saved=False)`` on
  the 24-layer transformer vs ``make_dot(loss, params, show_saved=False)`` + the engine's
  ``-Tjson`` written to a file; also the JSON write alone against the layout time.
- ``chain 5000, defaults``: ``gradviz.export(y, "c.json", params={"x": x})`` with default
  options vs ``make_dot(y, params)`` (its defaults; in a 512 MiB-stack thread with a raised
  recursion limit) + ``-Tjson``.
- ``script 3000, defaults``: ``gradviz export --script chain.py -o s.json`` in a fresh
  process vs a fresh ``python`` running the same script, make_dot (deep thread) and
  ``-Tjson`` to a file: both from launch to exit.
- ``typed functions``: each typed example (resources/examples 01–09) built in a warmed
  evaluation worker (its first build there, then repeats), as the app builds it, vs the
  same function written in torch, run in this process, + make_dot + ``-Tjson``, while a
  second process builds the same examples in a loop (2 concurrent builds).

Paired per repeat, order alternating; medians. ``python -m bench.bench_users [--repeats N]``;
``python -m bench`` runs these rows and the typed ones in a fresh process (:func:`run_fresh`).
"""

from __future__ import annotations

import contextlib
import gc
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.bench_pipeline import _in_deep_thread
from bench.models import chain, transformer
from gradviz.core.graph.torchviz_compat import make_dot
from gradviz.core.layout.engines import run_engine

ROOT = Path(__file__).resolve().parent.parent
RATIO_TARGET = 1.15  # export ≤ 1.15 × make_dot + -Tjson
WRITE_TARGET = 0.10  # JSON write ≤ 10 % of layout
TYPED_TARGET = 1.5  # typed build ≤ 1.5 × the same code run directly
SCRIPT_OPS = 3000
CHAIN_SCRIPT = """import torch
x = torch.tensor(0.5, requires_grad=True)
y = x
for i in range({ops}):
    y = torch.sin(y) if i % 2 else y * 1.0001
output, params = y, {{"x": x}}
"""
BASELINE_SCRIPT = """import runpy, sys
from bench.bench_pipeline import _in_deep_thread
from gradviz.core.layout.engines import run_engine
from gradviz.core.graph.torchviz_compat import make_dot
ns = runpy.run_path(sys.argv[1])
dot = _in_deep_thread(lambda: make_dot(ns["output"], params=ns["params"]).source)
text, _ = run_engine(dot, engine=sys.argv[3], fmt="json", fallback=False)
open(sys.argv[2], "w").write(text)
"""


def _baseline(output, params, engine: str, path: Path, deep: bool = False,
              **make_dot_kwargs) -> float:
    start = time.perf_counter()

    def source() -> str:
        return make_dot(output, params=params, **make_dot_kwargs).source

    dot = _in_deep_thread(source) if deep else source()
    text, _ = run_engine(dot, engine=engine, fmt="json", fallback=False)
    path.write_text(text)
    return time.perf_counter() - start


def _paired(repeats: int, ours, base) -> dict[str, Any]:
    """Alternating pairs after one warm-up of each; medians and the per-pair ratios.

    A full collection before each run (as bench_pipeline does): one falling inside a run
    costs ~100 ms with torch loaded, on whichever side happens to trigger it.
    """
    ours(), base()
    mine, theirs = [], []
    for i in range(repeats):
        for side in ((ours, mine), (base, theirs))[::1 if i % 2 else -1]:
            gc.collect()
            side[1].append(side[0]())
    ratios = [a / b for a, b in zip(mine, theirs)]
    return {"ours": statistics.median(mine), "base": statistics.median(theirs),
            "ratio": statistics.median(mine) / statistics.median(theirs), "ratios": ratios}


def export_rows(engine: str, repeats: int, tmp: Path, quick: bool = False) -> dict[str, dict]:
    """The in-process export rows: the transformer's JSON, the default-options chain."""
    layers, ops = (12, 1000) if quick else (24, 5000)
    return {f"export json x{layers}": _transformer_row(layers, engine, repeats, tmp),
            f"chain {ops}, defaults": _chain_row(ops, engine, repeats, tmp)}


def _transformer_row(layers: int, engine: str, repeats: int, tmp: Path) -> dict:
    import gradviz
    from gradviz.core.runtime.options import BuildOptions
    from gradviz.core.runtime.pipeline import build_snapshot

    model = transformer(layers, record=False)
    out, params = tmp / "m.json", model.params
    row = _paired(
        repeats,
        lambda: _timed(lambda: gradviz.export(model.output, out, params=params,
                                              show_saved=False, engine=engine)),
        lambda: _baseline(model.output, params, engine, tmp / "base.json", show_saved=False))
    snap = build_snapshot(model.output, params=params,
                          options=BuildOptions(engine=engine, show_saved=False))
    writes = [_timed(lambda: out.write_bytes(snap.to_json_bytes())) for _ in range(repeats)]
    encodes = [_timed(snap.to_json_bytes) for _ in range(repeats)]  # the share that is not I/O
    row.update(write=statistics.median(writes), encode=statistics.median(encodes),
               layout=snap.meta["timings"]["layout"],
               bytes=out.stat().st_size)
    return row


def _chain_row(ops: int, engine: str, repeats: int, tmp: Path) -> dict:
    import gradviz

    deep = chain(ops, record=False)
    with _quiet_stderr():
        return _paired(
            repeats,
            lambda: _timed(lambda: gradviz.export(deep.output, tmp / "c.json",
                                                  params=deep.params, engine=engine)),
            lambda: _baseline(deep.output, deep.params, engine, tmp / "cb.json", deep=True))


def script_row(engine: str, repeats: int, tmp: Path, ops: int = SCRIPT_OPS) -> dict:
    """``gradviz export --script`` against the same script + make_dot + -Tjson, fresh processes.

    gradviz's bytecode is compiled first, as an installed wheel has it (as bench_startup
    does): both sides import gradviz modules, the CLI and its worker many more of them.
    """
    from bench.bench_startup import compile_bytecode

    compile_bytecode()
    script = tmp / "chain.py"
    script.write_text(CHAIN_SCRIPT.format(ops=ops))
    py = sys.executable
    ours = [py, "-m", "gradviz", "export", "--script", str(script), "--layout-engine", engine,
            "--timeout", "120", "-o", str(tmp / "s.json")]
    base = [py, "-c", BASELINE_SCRIPT, str(script), str(tmp / "sb.json"), engine]
    return _paired(repeats, lambda: _run(ours), lambda: _run(base))


def _run(argv: list[str]) -> float:
    start = time.perf_counter()
    proc = subprocess.run(argv, cwd=ROOT, capture_output=True, text=True, timeout=600)
    if proc.returncode != 0:
        raise RuntimeError(f"{argv!r} failed: {proc.stderr[-2000:]}")
    return time.perf_counter() - start


def _timed(fn) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


@contextlib.contextmanager
def _quiet_stderr():
    """gradviz.export says on stderr that it hid saved tensors: not part of the tables."""
    saved, sys.stderr = sys.stderr, open(__import__("os").devnull, "w")
    try:
        yield
    finally:
        sys.stderr.close()
        sys.stderr = saved


def run_users(engine: str, repeats: int, quick: bool = False, log=None) -> dict[str, dict]:
    """Every row of this module (see the module doc), in one temporary folder."""
    with tempfile.TemporaryDirectory() as tmp:
        rows = export_rows(engine, repeats, Path(tmp), quick)
        if log:
            log("  done: exports")
        ops = 1000 if quick else SCRIPT_OPS
        rows[f"script {ops}, defaults (CLI)"] = script_row(engine, repeats, Path(tmp), ops)
        if log:
            log("  done: script through the CLI")
    return rows


FRESH = """import json, sys, torch
engine, repeats, threads, quick = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
if threads:
    torch.set_num_threads(threads)
from bench.bench_typed import run_typed
from bench.bench_users import run_users
log = lambda text: print(text, file=sys.stderr, flush=True)
rows = {"users": run_users(engine, repeats, quick == "1", log=log),
        "typed": run_typed(engine, repeats, log=log)}
print(json.dumps(rows))
"""


def run_fresh(engine: str, repeats: int, quick: bool, threads: int | None) -> tuple[dict, dict]:
    """:func:`run_users` and ``run_typed`` in a fresh process, as a user's script calls
    gradviz: not in ``python -m bench``'s own, which has built and drawn every graph
    before (see bench/README.md, "What is measured"). Returns (users rows, typed rows)."""
    import json

    done = subprocess.run([sys.executable, "-c", FRESH, engine, str(repeats), str(threads or 0),
                           "1" if quick else "0"], cwd=ROOT, stdout=subprocess.PIPE,
                          text=True, check=True)
    data = json.loads(done.stdout.strip().splitlines()[-1])
    return data["users"], data["typed"]


def print_users(rows: dict[str, dict], repeats: int) -> None:
    print(f"\n### What users wait for, end to end, median of {repeats}\n")
    print("| run | baseline: make_dot + -Tjson ms | gradviz ms | ratio (range) | notes |")
    print("|---|---:|---:|---|---|")
    for name, r in rows.items():
        mark = "✓" if r["ratio"] <= RATIO_TARGET else "✗"
        notes = ""
        if "write" in r:
            notes = (f"JSON write {r['write'] * 1e3:.0f} ms (encoding "
                     f"{r.get('encode', 0) * 1e3:.0f}) = {r['write'] / r['layout']:.0%} "
                     f"of layout ({r['layout'] * 1e3:.0f} ms), {r['bytes'] / 2**20:.1f} MB")
        print(f"| {name} | {r['base'] * 1e3:,.0f} | {r['ours'] * 1e3:,.0f} "
              f"| {r['ratio']:.2f} {mark} ({min(r['ratios']):.2f}–{max(r['ratios']):.2f}) "
              f"| {notes} |")


def main(argv: list[str] | None = None) -> int:
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--engine", default="graphviz-pure")
    parser.add_argument("--quick", action="store_true", help="12 layers, 1,000-op chains")
    args = parser.parse_args(argv)
    rows = run_users(args.engine, args.repeats, args.quick,
                     log=lambda text: print(text, file=sys.stderr, flush=True))
    print_users(rows, args.repeats)
    return 0


if __name__ == "__main__":
    sys.exit(main())
