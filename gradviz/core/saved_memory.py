"""Saved-tensor memory: what each backward node keeps alive for the backward pass.

:func:`measure_saved` runs in the pipeline while the grad_fn objects are alive
and reads every ``_saved_*`` tensor (and a custom Function's
``saved_tensors``): name, shape, dtype, and the storage it keeps alive. It
returns plain data for ``Snapshot.meta["saved_memory"]``; storages are numbered,
so a storage shared by several nodes (a weight saved by its matmul and its
transpose, an activation saved twice) is counted once. :func:`memory_report`
reads that data back: total, per node, per module, the biggest savers.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import torch

from .capture import SAVED_PREFIX, CapturedGraph, saved_attr_names
from .snapshot import Snapshot
from .values import dtype_name

META_KEY = "saved_memory"


def measure_saved(graph: CapturedGraph) -> dict[str, Any]:
    """``{"nodes": {node id: [entry, …]}, "storages": [bytes, …]}`` for a captured graph.

    Each entry: ``name``, ``shape``, ``dtype``, ``storage`` (index into
    ``storages``) and ``bytes`` (the whole storage it keeps alive).
    """
    storages: dict[tuple[str, int], int] = {}
    sizes: list[int] = []
    nodes: dict[str, list[dict[str, Any]]] = {}
    for node_id, fn in graph.functions():
        entries = []
        for name, tensor in _saved_tensors(fn):
            storage = tensor.untyped_storage()
            key = (str(tensor.device), storage.data_ptr())
            if key not in storages:
                storages[key] = len(sizes)
                sizes.append(int(storage.nbytes()))
            index = storages[key]
            entries.append({"name": name, "shape": list(tensor.shape),
                            "dtype": dtype_name(tensor.dtype), "storage": index,
                            "bytes": sizes[index]})
        if entries:
            nodes[node_id] = entries
    return {"nodes": nodes, "storages": sizes}


def _saved_tensors(fn: Any):
    """(name, tensor) for each tensor ``fn`` saved (freed ones are skipped)."""
    for attr in saved_attr_names(fn):
        try:
            value = getattr(fn, attr)
        except RuntimeError:  # freed by an earlier backward without retain_graph
            continue
        name = attr[len(SAVED_PREFIX):]
        if torch.is_tensor(value):
            yield name, value
        elif isinstance(value, (tuple, list)):
            for i, item in enumerate(value):
                if torch.is_tensor(item):
                    yield f"{name}[{i}]", item
    if type(fn).__name__ == "BackwardCFunction":
        try:
            saved = fn.saved_tensors
        except RuntimeError:
            saved = ()
        for i, tensor in enumerate(saved):
            yield f"saved_tensors[{i}]", tensor


@dataclass
class MemoryReport:
    """Saved-tensor bytes: each storage counted once, at the first node that saves it."""

    total: int = 0
    per_node: dict[str, int] = field(default_factory=dict)  # bytes first kept by each node
    per_module: dict[str, int] = field(default_factory=dict)  # "" for nodes outside modules
    biggest: list[tuple[str, int]] = field(default_factory=list)  # (node id, bytes), largest first

    def biggest_of(self, count: int) -> list[tuple[str, int]]:
        """The ``count`` nodes that keep the most bytes, largest first."""
        return sorted(self.per_node.items(), key=lambda kv: -kv[1])[:count]


def memory_report(snapshot: Snapshot, top: int = 10) -> MemoryReport | None:
    """The report for ``snapshot`` (None when it was built without the measurement)."""
    data = snapshot.meta.get(META_KEY)
    if not data:
        return None
    sizes = data["storages"]
    seen: set[int] = set()
    report = MemoryReport(total=sum(sizes))
    order = [s.node for s in snapshot.steps] + list(data["nodes"])  # engine order first
    for node_id in dict.fromkeys(order):
        fresh = {e["storage"] for e in data["nodes"].get(node_id, ())} - seen
        if not fresh:
            continue
        seen |= fresh
        size = sum(sizes[i] for i in fresh)
        report.per_node[node_id] = size
        module = snapshot.node(node_id).module or ""
        report.per_module[module] = report.per_module.get(module, 0) + size
    report.biggest = report.biggest_of(top)
    return report
