"""One rule for saved tensors, everywhere: shown while the layout stays fast, hidden above.

torchviz's orange saved-tensor nodes roughly double a graph, and Graphviz's
time grows faster than the node count: a 1,000-op chain lays out in 0.5 s
with them (0.2 s without), 3,000 ops in 3.5 s (0.8 s). So when nobody chose
(``BuildOptions.show_saved is None``: the API's, the CLI's and the window's
default), they are shown up to :data:`AUTO_SAVED_LIMIT` backward nodes (the
24-layer transformer, 1,248, keeps them) and hidden above. The choice is
written in the Snapshot (``meta["saved_tensors"]``) so every surface can say
it in one line; ``--saved`` / ``--no-saved`` (``show_saved=True/False``)
override it. The walk that counts stops past the limit, so deciding costs at
most a few milliseconds.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from typing import Any

from ..runtime.options import BuildOptions

AUTO_SAVED_LIMIT = 1500  # backward nodes (grad_fn objects, AccumulateGrad included)


def count_backward_nodes(roots: Iterable[Any], stop_after: int) -> int:
    """Backward nodes reachable from the roots' ``grad_fn``; stops once past ``stop_after``."""
    seen: set[int] = set()
    todo = [t.grad_fn for t in roots if getattr(t, "grad_fn", None) is not None]
    while todo and len(seen) <= stop_after:
        fn = todo.pop()
        if id(fn) in seen:
            continue
        seen.add(id(fn))
        todo.extend(nxt for nxt, _ in getattr(fn, "next_functions", ()) if nxt is not None)
    return len(seen)


def auto_show_saved(backward_nodes: int) -> bool:
    """The rule itself: show saved tensors on graphs of at most AUTO_SAVED_LIMIT nodes."""
    return backward_nodes <= AUTO_SAVED_LIMIT


def resolve_show_saved(options: BuildOptions, roots: Iterable[Any]) -> tuple[BuildOptions, dict]:
    """``options`` with ``show_saved`` decided, and the record for ``meta["saved_tensors"]``.

    The record: ``shown`` (bool), ``auto`` (True when the rule chose), ``limit``,
    and for an automatic choice ``backward_nodes`` (counted up to ``limit + 1``).
    """
    record: dict[str, Any] = {"shown": options.show_saved, "auto": False,
                              "limit": AUTO_SAVED_LIMIT}
    if options.show_saved is not None:
        return options, record
    count = count_backward_nodes(roots, AUTO_SAVED_LIMIT)
    shown = auto_show_saved(count)
    record.update(shown=shown, auto=True, backward_nodes=count)
    return replace(options, show_saved=shown), record


def hidden_note(meta: dict, how_to_show: str) -> str | None:
    """The CLI's and the API's one line when the rule hid saved tensors, else None."""
    record = meta.get("saved_tensors") or {}
    if not record.get("auto") or record.get("shown"):
        return None
    return (f"gradviz: saved tensors hidden: the graph has over {record['limit']:,} backward "
            f"nodes and they would slow its layout down sharply ({how_to_show} shows them)")
