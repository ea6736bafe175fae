"""What ``torch.utils.checkpoint`` on a module would free, estimated from the saved-tensor data.

Checkpointing a module keeps its inputs and drops what its inner nodes saved
for backward (recomputed in the backward pass). From
``Snapshot.meta["saved_memory"]`` (torch-free), for each module:

- **freed**: storages saved only by nodes inside the module *and* made inside
  it (an activation such as ``tanh``'s output). Storages made outside (the
  module's inputs), a leaf's (a parameter, alive anyway) and those also saved
  outside (the module's output, saved by the next op) stay;
- **newly kept**: the module's inputs that carry a gradient and that nothing
  saved: checkpointing keeps them alive (their bytes from the forward value's
  shape and dtype; ``exact`` is False when a value is unknown).

``estimate = freed − newly kept``, the drop in bytes held for the backward pass
(as ``checkpoint(module, x, use_reentrant=True)`` measures it: tests compare).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from ..snapshot import Snapshot
from .saved_memory_report import META_KEY

ITEM_BYTES = {"float64": 8, "float32": 4, "float16": 2, "bfloat16": 2, "int64": 8,
              "int32": 4, "int16": 2, "int8": 1, "uint8": 1, "bool": 1, "complex64": 8,
              "complex128": 16}


@dataclass
class CheckpointEstimate:
    """Bytes held for backward by one module, and what checkpointing it would change."""

    module: str
    saved_inside: int  # storages its nodes save, each once
    freed: int  # of those, what checkpointing drops
    newly_kept: int  # inputs nothing saved, which checkpointing keeps
    exact: bool = True  # False: an input's size was unknown (counted as 0)

    @property
    def estimate(self) -> int:
        """The drop in saved bytes (negative: checkpointing would cost memory)."""
        return self.freed - self.newly_kept


def checkpoint_estimates(snapshot: Snapshot) -> list[CheckpointEstimate]:
    """One estimate per module (outer modules first, then by name); [] without the data."""
    data = snapshot.meta.get(META_KEY)
    if not data or "producers" not in data:
        return []
    modules = sorted({m for n in snapshot.nodes if n.module for m in _ancestors(n.module)},
                     key=lambda m: (m.count("."), m))
    return [module_estimate(snapshot, m) for m in modules]


def module_estimate(snapshot: Snapshot, module: str) -> CheckpointEstimate:
    """The estimate for ``module`` (a path such as ``"0"`` or ``"encoder.layers.1"``)."""
    data = snapshot.meta[META_KEY]
    sizes, producers = data["storages"], data["producers"]
    inside = {n.id for n in snapshot.nodes if n.kind == "function" and _within(n.module, module)}
    savers: dict[int, set[str]] = {}
    for node_id, entries in data["nodes"].items():
        for entry in entries:
            savers.setdefault(entry["storage"], set()).add(node_id)
    mine = {s for s, nodes in savers.items() if nodes & inside}
    freed = {s for s in mine if savers[s] <= inside and producers[s] in inside}
    made_saved = {producers[s] for s in savers}
    newly, exact = 0, True
    for source in _inputs(snapshot, inside):
        if source in made_saved:
            continue  # a storage it made is saved: alive anyway
        size = _value_bytes(snapshot.node(source).value)
        exact = exact and size is not None
        newly += size or 0
    return CheckpointEstimate(module, sum(sizes[s] for s in mine), sum(sizes[s] for s in freed),
                              newly, exact)


def _inputs(snapshot: Snapshot, inside: set[str]) -> list[str]:
    """Function nodes outside ``inside`` whose output an inside node consumes (not leaves)."""
    found = []
    for edge in snapshot.edges:
        if edge.kind == "next" and edge.target in inside and edge.source not in inside:
            node = snapshot.node(edge.source)
            if node.kind == "function" and node.op != "AccumulateGrad" and edge.source not in found:
                found.append(edge.source)
    return found


def _value_bytes(value) -> int | None:
    """Bytes of a tensor from its value summary (shape and dtype); None when not known."""
    if isinstance(value, dict) and isinstance(value.get("shape"), list):
        item = ITEM_BYTES.get(str(value.get("dtype", "")).removeprefix("torch."))
        return math.prod(value["shape"]) * item if item else None
    return None


def _within(module: str | None, outer: str) -> bool:
    return bool(module) and (module == outer or module.startswith(outer + "."))


def _ancestors(module: str) -> list[str]:
    parts = module.split(".")
    return [".".join(parts[:i]) for i in range(1, len(parts) + 1)]


__all__ = ["CheckpointEstimate", "checkpoint_estimates", "module_estimate"]
