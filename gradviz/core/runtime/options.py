"""Build options: plain data, torch-free (the UI and the worker share them)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

# The course's first lesson (the French page gradviz comes from): y = 64, x.grad = 72.
SEED_EXPRESSION = "5*x**3 + 2*x**2 + 4*x + 8"
SEED_VARIABLES = ["x=2.0"]


@dataclass
class BuildOptions:
    """What to show and how to lay it out (plain data: crosses process boundaries)."""

    engine: str | None = None  # "graphviz-pure" | "dot" | None (env var, then default)
    show_saved: bool | None = None  # torchviz's orange saved-tensor nodes; None: by size
    # (core.saved_rule: shown up to AUTO_SAVED_LIMIT backward nodes, hidden above)
    show_attrs: bool = True  # grad_fn attributes for the inspector
    show_values: bool = True  # reserve lines under labels for value and gradient
    reduction: str | None = None  # "sum" | "mean" for a non-scalar output
    runs: int = 1  # backward calls (2 shows .grad accumulating)
    layout: bool = True
    rankdir: str = "TB"
    group_modules: bool = True  # boxes around each nn.Module call's nodes, when known
    timeout: float | None = None  # layout engine timeout, seconds

    @classmethod
    def from_dict(cls, data: Mapping[str, Any] | None) -> BuildOptions:
        """Options from a plain dict (unknown keys are an error)."""
        return cls(**dict(data or {}))


