"""Saved-tensor memory report, read from ``Snapshot.meta["saved_memory"]`` (torch-free).

The measurement itself (:func:`gradviz.core.lens.saved_memory.measure_saved`) runs in
the pipeline, where the grad_fn objects live; this side only adds it up, so the
UI can import it without loading torch.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..snapshot import Snapshot

META_KEY = "saved_memory"
LEAF = "leaf"  # a storage's producer when it is a leaf's (a parameter's): see saved_memory


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
