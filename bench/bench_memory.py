"""Snapshot memory for models with ~100 MB of activations: it must not grow with tensor sizes.

Per model (built here, forward recorded as the app does):

- activations: bytes of the distinct storages the autograd graph saved for backward
  (every ``grad_fn._saved_*`` tensor) plus the output: what the model itself holds;
- retained: ``tracemalloc`` (Python allocations) still held after ``build_snapshot``
  with the Snapshot alive, after a warm-up build and a full collection on both sides;
  peak: the highest Python allocation during the build, above the start. tracemalloc
  does not see torch's tensor storage, so:
- tensors: tensors reachable from the Snapshot (gc referents, followed from the
  Snapshot) that are not the model's own (parameters, input, saved activations):
  their storage bytes; "0 (none)" when no tensor at all is reachable;
- pickle / JSON: ``len(pickle.dumps(snapshot))`` (what the worker sends the GUI) and
  ``len(snapshot.to_json())`` (the file format).

Target (issue): Snapshot ≤ 10 MB (retained + tensors, and the pickle).

Run: ``python -m bench.bench_memory [--engine ...]``.
"""

from __future__ import annotations

import argparse
import gc
import pickle
import sys
import tracemalloc
import types
from pathlib import Path
from typing import Any

if __package__ in (None, ""):  # python bench/bench_memory.py
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import torch

from bench.models import Model, cnn, mlp
from gradviz.core.runtime.options import BuildOptions
from gradviz.core.runtime.pipeline import build_snapshot

TARGET_BYTES = 10 * 2**20
MODELS = {  # label -> builder(record): ~100 MB of saved activations each
    "MLP 64-128-128-10, batch 81,920": lambda record: mlp(record, batch=81_920, width=128),
    "CNN on 48×3×128×128": lambda record: cnn(record, batch=48, size=128, channels=16),
}
_ATOMIC = (type, types.ModuleType, types.FunctionType, types.BuiltinFunctionType, str, bytes,
           int, float)


def _storage(t: torch.Tensor) -> tuple[int, int]:
    storage = t.untyped_storage()
    return storage.data_ptr(), storage.nbytes()


def saved_storages(output: torch.Tensor) -> dict[int, int]:
    """data_ptr -> bytes of every storage the graph behind ``output`` saved, and the output's."""
    found = dict([_storage(output)])
    seen, todo = set(), [output.grad_fn]
    while todo:
        fn = todo.pop()
        if fn is None or fn in seen:
            continue
        seen.add(fn)
        for name in dir(fn):
            if name.startswith("_saved_"):
                value = getattr(fn, name)
                for t in value if isinstance(value, (tuple, list)) else (value,):
                    if isinstance(t, torch.Tensor):
                        found.update([_storage(t)])
        todo.extend(next_fn for next_fn, _ in fn.next_functions)
    return found


def reachable_tensors(root: Any) -> list[torch.Tensor]:
    """Tensors reachable from ``root`` through gc referents (modules and types not followed)."""
    seen, todo, tensors = {id(root)}, [root], []
    while todo:
        obj = todo.pop()
        if isinstance(obj, torch.Tensor):
            tensors.append(obj)
            continue
        for ref in gc.get_referents(obj):
            if id(ref) not in seen and not isinstance(ref, _ATOMIC):
                seen.add(id(ref))
                todo.append(ref)
    return tensors


def _build(model: Model, engine: str | None):
    return build_snapshot(model.output, params=model.params, values=model.values,
                          source=model.source, options=BuildOptions(engine=engine))


def measure(model: Model, engine: str | None) -> dict[str, Any]:
    """Activation bytes, the Snapshot's retained / peak Python bytes, tensors, pickle, JSON."""
    own = saved_storages(model.output)
    for t in model.params.values():
        own.update([_storage(t)])
    _build(model, engine)  # warm-up: caches, lazy imports
    gc.collect()
    tracemalloc.start()
    try:
        gc.collect()
        before = tracemalloc.get_traced_memory()[0]
        tracemalloc.reset_peak()
        snapshot = _build(model, engine)
        peak = tracemalloc.get_traced_memory()[1] - before
        gc.collect()
        retained = tracemalloc.get_traced_memory()[0] - before
    finally:
        tracemalloc.stop()
    tensors = reachable_tensors(snapshot)
    foreign = {ptr: size for ptr, size in map(_storage, tensors) if ptr not in own}
    out = {"activations": sum(own.values()), "retained": retained, "peak": peak,
           "tensors": len(tensors), "tensor_bytes": sum(foreign.values()),
           "json": len(snapshot.to_json().encode("utf-8")), "nodes": len(snapshot.nodes)}
    try:
        out["pickle"] = len(pickle.dumps(snapshot, protocol=pickle.HIGHEST_PROTOCOL))
    except Exception as exc:
        out["pickle"], out["pickle_error"] = None, repr(exc)
    out["snapshot"] = out["retained"] + out["tensor_bytes"]
    out["ok"] = out["snapshot"] <= TARGET_BYTES and (out["pickle"] or 0) <= TARGET_BYTES
    return out


def run_memory(engine: str | None = None, log=None) -> dict[str, dict[str, Any]]:
    """``measure`` on every model of MODELS (each built, measured, then dropped)."""
    rows = {}
    for label, build in MODELS.items():
        rows[label] = measure(build(True), engine)
        gc.collect()
        if log:
            log(f"  memory: {label}")
    return rows


def _mb(n: int | None) -> str:
    return "–" if n is None else f"{n / 2**20:,.2f}"


def print_memory(rows: dict[str, dict[str, Any]]) -> None:
    print("\n### Snapshot memory, models with ~100 MB of activations\n")
    print("| model | nodes | activations MB | Snapshot MB (retained + tensors) | build peak MB "
          "| tensors reachable | pickle MB | JSON MB | ≤ 10 MB |")
    print("|---|---:|---:|---:|---:|---|---:|---:|---|")
    for label, r in rows.items():
        tensors = f"{r['tensors']} ({_mb(r['tensor_bytes'])} MB not the model's)"
        print(f"| {label} | {r['nodes']} | {_mb(r['activations'])} | {_mb(r['snapshot'])} "
              f"({_mb(r['retained'])} + {_mb(r['tensor_bytes'])}) | {_mb(r['peak'])} | {tensors} "
              f"| {_mb(r['pickle'])} | {_mb(r['json'])} | {'✓' if r['ok'] else '✗'} |")
        if r.get("pickle_error"):
            print(f"\npickle failed for {label}: {r['pickle_error']}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--engine", default=None, help="layout engine (default: gradviz's)")
    args = parser.parse_args(argv)
    print_memory(run_memory(args.engine, log=lambda t: print(t, file=sys.stderr, flush=True)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
