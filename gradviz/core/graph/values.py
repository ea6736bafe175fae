"""Bounded summaries of tensor values, as plain data.

Small tensors (at most ``FULL_LIMIT`` elements) are kept whole: a number for a
0-d tensor, a nested list otherwise. Bigger ones become a dict with shape,
dtype, min, max, mean, norm and the first few elements, so a Snapshot's size
grows with the number of nodes, not with tensor sizes.
"""

from __future__ import annotations

from typing import Any

import torch

FULL_LIMIT = 16
HEAD = 6


def dtype_name(dtype: torch.dtype) -> str:
    """``torch.float32`` → ``"float32"``."""
    return str(dtype).removeprefix("torch.")


def summarize(tensor: torch.Tensor) -> Any:
    """A plain, bounded summary of a tensor's value (detached, copied to the CPU)."""
    if tensor.dim() == 0 and tensor.layout == torch.strided and tensor.device.type != "meta":
        value = tensor.item()  # the common case, kept fast: no detach, no copy
        return abs(value) if isinstance(value, complex) else value
    t = tensor.detach()
    if t.layout != torch.strided:
        return {"shape": list(t.shape), "dtype": dtype_name(t.dtype), "layout": str(t.layout)}
    if t.is_complex():
        t = t.abs()
    if t.device.type == "meta":
        return {"shape": list(t.shape), "dtype": dtype_name(t.dtype)}
    if t.numel() <= FULL_LIMIT:
        return _python(t.cpu())
    flat = t.reshape(-1)
    stats = flat.double() if flat.dtype != torch.float64 else flat
    low, high = torch.aminmax(stats)  # one kernel, the values of min() and max()
    summary = {
        "shape": list(t.shape),
        "dtype": dtype_name(t.dtype),
        "min": float(low),
        "max": float(high),
        "mean": float(stats.mean()),
        "norm": float(_norm(stats)),
        "head": _python(flat[:HEAD].cpu()),
    }
    return summary


def _norm(t: torch.Tensor) -> torch.Tensor:
    """``t.norm()``: on the CPU and CUDA the very kernel it calls, without its Python
    wrapper (a gradient of every node is summarised: thousands of calls)."""
    if t.device.type in ("cpu", "cuda"):
        return torch.linalg.vector_norm(t)
    return t.norm()


def _python(t: torch.Tensor) -> Any:
    if t.dtype == torch.bool:
        return t.tolist()
    if t.is_floating_point():
        return t.double().tolist()
    return t.tolist()


def scalar(value: Any) -> float | None:
    """The number a value holds, if it is a single number (or a one-element list)."""
    while isinstance(value, list) and len(value) == 1:
        value = value[0]
    if isinstance(value, bool):
        return float(value)
    if isinstance(value, (int, float)):
        return float(value)
    return None
