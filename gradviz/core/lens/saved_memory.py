"""Saved-tensor memory: what each backward node keeps alive for the backward pass.

:func:`measure_saved` runs in the pipeline while the grad_fn objects are alive
and reads every ``_saved_*`` tensor (and a custom Function's
``saved_tensors``): name, shape, dtype, and the storage it keeps alive. It
returns plain data for ``Snapshot.meta["saved_memory"]``; storages are numbered,
so a storage shared by several nodes (a weight saved by its matmul and its
transpose, an activation saved twice) is counted once.
:func:`gradviz.core.lens.saved_memory_report.memory_report` (torch-free, for the UI)
reads that data back: total, per node, per module, the biggest savers.
"""

from __future__ import annotations

from typing import Any

import torch

from ..graph.capture import SAVED_PREFIX, CapturedGraph, saved_attr_names
from ..graph.values import dtype_name
from .saved_memory_report import LEAF, META_KEY

__all__ = ["LEAF", "META_KEY", "measure_saved"]


def measure_saved(graph: CapturedGraph) -> dict[str, Any]:
    """``{"nodes": {node id: [entry, …]}, "storages": [bytes, …], "producers": [...]}``.

    Each entry: ``name``, ``shape``, ``dtype``, ``storage`` (index into
    ``storages``) and ``bytes`` (the whole storage it keeps alive). ``producers``
    says, per storage, which node made it (see :func:`_producer`): what a
    checkpoint estimate needs (:mod:`gradviz.core.lens.checkpoint_estimate`).
    """
    storages: dict[tuple[str, int], int] = {}
    sizes: list[int] = []
    producers: list[str | None] = []
    nodes: dict[str, list[dict[str, Any]]] = {}
    for node_id, fn in graph.functions():
        entries = []
        for name, tensor in _saved_tensors(fn):
            storage = tensor.untyped_storage()
            key = (str(tensor.device), storage.data_ptr())
            if key not in storages:
                storages[key] = len(sizes)
                sizes.append(int(storage.nbytes()))
                producers.append(node_id if name.startswith("result") else
                                 _producer(tensor, graph.function_ids))
            index = storages[key]
            entries.append({"name": name, "shape": list(tensor.shape),
                            "dtype": dtype_name(tensor.dtype), "storage": index,
                            "bytes": sizes[index]})
        if entries:
            nodes[node_id] = entries
    return {"nodes": nodes, "storages": sizes, "producers": producers}


def _producer(tensor: torch.Tensor, function_ids: dict[int, str]) -> str | None:
    """Who made the storage: the node id of the op (a view: its base's op), ``"leaf"`` for a
    tensor that requires grad without an op (a parameter), None otherwise (made without
    grad: an input batch, a constant) or when the op is not in the graph.

    (A node's own outputs are saved as ``result``, ``result1`` …, PyTorch's names: the
    caller makes the saving node their producer, as for layer norm's mean and rstd, which
    carry no grad_fn.)"""
    base = tensor._base if tensor._base is not None else tensor
    if base.grad_fn is not None:
        return function_ids.get(id(base.grad_fn))
    return LEAF if base.requires_grad else None


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
