"""Typed functions of the examples under load: the app's build against the same code run directly.

gradviz: ``EvaluationWorker.run(snapshot_job, request)`` on a warmed worker (the first build
of each example there is one of the samples: first calls count), laid out in the worker's
child as the window's builds are. Baseline: the same function written in torch, run here
on the same leaves, + ``make_dot(show_saved=True)`` (the same picture) + the engine's
``-Tjson``. Meanwhile a second process builds the examples in a loop: 2 concurrent builds.
Target: all examples together ≤ 1.5 × baseline (sum of the per-example medians: single
builds take milliseconds, too few for a stable ratio each on a loaded machine).

    python -m bench.bench_typed [--repeats N]     (or through python -m bench)
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
from pathlib import Path

import torch
import torch.nn.functional as F

from gradviz.core.expr.expression import parse_expression
from gradviz.core.expr.variables import VariableSpec, build_variables
from gradviz.core.graph.torchviz_compat import make_dot
from gradviz.core.layout.engines import run_engine
from gradviz.core.lesson.files import function_request, load_lesson
from gradviz.core.runtime.job import snapshot_job
from gradviz.core.runtime.request import BuildRequest

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "resources" / "examples"
TARGET = 1.5

#: Each typed example written directly in torch (as in tests/test_examples.py).
DIRECT = {
    "01-seed-polynomial": lambda x: 5 * x**3 + 2 * x**2 + 4 * x + 8,
    "02-neuron": lambda w, b, x: torch.sigmoid(w * x + b),
    "03-shared-product": lambda x, y: x * y + torch.exp(x * y),
    "04-tensor-exponent": lambda x, y: x**y,
    "05-dot-product": lambda v, w: torch.dot(v, w),
    "06-relu-layer": lambda W, b, v: torch.relu(W @ v + b).sum(),
    "07-mse-linear": lambda W, b, v, t: F.mse_loss(W @ v + b, t),
    "08-cross-entropy": lambda z: F.cross_entropy(z, torch.tensor(2)),
    "09-gradient-accumulation": lambda x: 3 * x**2,
}
BUSY = """import sys, time
from bench.bench_typed import requests
from gradviz.core.runtime.jobs import build_snapshot_job
todo = requests()
end = time.monotonic() + float(sys.argv[1])
while time.monotonic() < end:
    for name, request in todo.items():
        build_snapshot_job(request)  # laid out too
"""


def requests() -> dict[str, BuildRequest]:
    """Example name -> the request the window sends for its first function."""
    out = {}
    for name in DIRECT:
        lesson = load_lesson(EXAMPLES / f"{name}.gradviz.json")
        out[name] = function_request(lesson.functions[0], allow_code=False, view=lesson.view)
    return out


def _leaves(request: BuildRequest) -> dict[str, torch.Tensor]:
    source = request.source
    expr = parse_expression(source.text)
    specs = [VariableSpec.parse(v) for v in source.variables]
    specs += [VariableSpec.parse(c, requires_grad=False) for c in source.constants]
    return build_variables(specs, expr.variables, dtype=request.dtype, seed=request.seed)


def _direct(name: str, env: dict, engine: str) -> float:
    fn = DIRECT[name]
    args = [env[a] for a in fn.__code__.co_varnames[:fn.__code__.co_argcount]]
    start = time.perf_counter()
    out = fn(*args)
    params = {k: v for k, v in env.items() if v.requires_grad}
    dot = make_dot(out, params=params, show_saved=True).source  # gradviz shows them: small
    run_engine(dot, engine=engine, fmt="json", fallback=False)
    return time.perf_counter() - start


def _ours(worker, request: BuildRequest, engine: str) -> float:
    start = time.perf_counter()
    snapshot = worker.run(snapshot_job, request.with_options(engine=engine))  # laid out there
    if snapshot.layout is None:
        raise RuntimeError("the worker's job gave no layout")
    return time.perf_counter() - start


def run_typed(engine: str, repeats: int, log=None) -> dict[str, dict]:
    """Per example: medians (s) of ours and the baseline, and the ratio; under a busy process."""
    from gradviz.core.runtime.worker import EvaluationWorker

    todo = requests()
    leaves = {name: _leaves(p) for name, p in todo.items()}
    for name in todo:  # warm this process's torch and make_dot (the baseline's best case)
        _direct(name, leaves[name], engine)
    busy = subprocess.Popen([sys.executable, "-c", BUSY, "600"], cwd=ROOT,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    rows: dict[str, dict] = {}
    try:
        with EvaluationWorker(timeout=10.0, max_memory=4 * 2**30) as worker:
            worker.start()
            worker.wait_ready()
            ours = {name: [] for name in todo}
            base = {name: [] for name in todo}
            for i in range(repeats):
                for name, request in todo.items():  # round 0: each example's first build
                    ours[name].append(_ours(worker, request, engine))
                    base[name].append(_direct(name, leaves[name], engine))
                if log:
                    log(f"  typed functions round {i + 1}/{repeats}")
    finally:
        busy.kill()
        busy.wait()
    for name in todo:
        o, b = statistics.median(ours[name]), statistics.median(base[name])
        rows[name] = {"ours": o, "base": b, "ratio": o / b, "first": ours[name][0],
                      "ratios": [x / y for x, y in zip(ours[name], base[name])]}
    o, b = (sum(r[k] for r in rows.values()) for k in ("ours", "base"))
    rows["all examples"] = {"ours": o, "base": b, "ratio": o / b,
                            "first": sum(r["first"] for r in rows.values()),
                            "ratios": [sum(x) / sum(y) for x, y in
                                       zip(zip(*ours.values()), zip(*base.values()))]}
    return rows


def print_typed(rows: dict[str, dict], repeats: int) -> None:
    print(f"\n### Typed functions of the examples, 2 concurrent builds, median of {repeats}\n")
    print("| example | direct torch + make_dot + -Tjson ms | gradviz (worker + layout) ms "
          "| first build ms | ratio (range) |")
    print("|---|---:|---:|---:|---|")
    for name, r in rows.items():
        mark = ("✓" if r["ratio"] <= TARGET else "✗") if name == "all examples" else ""
        print(f"| {name} | {r['base'] * 1e3:.1f} | {r['ours'] * 1e3:.1f} "
              f"| {r['first'] * 1e3:.1f} | {r['ratio']:.2f} {mark} "
              f"({min(r['ratios']):.2f}–{max(r['ratios']):.2f}) |")


def main(argv: list[str] | None = None) -> int:
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--engine", default="graphviz-pure")
    args = parser.parse_args(argv)
    rows = run_typed(args.engine, args.repeats,
                     log=lambda text: print(text, file=sys.stderr, flush=True))
    print_typed(rows, args.repeats)
    return 0


if __name__ == "__main__":
    sys.exit(main())
