"""The first picture of a big graph: folded, then coarser, each layout under its budget.

Graphviz lays a few thousand nodes out in seconds, but a real model's graph (a
32-layer decoder's gradient penalty: ~7,000 nodes) takes it minutes. Above
:data:`FOLD_FROM` nodes, :func:`first_picture` lays out the graph with its
repeated layers folded (:mod:`gradviz.core.graph.folding`: a few hundred nodes); a
layout past its budget falls back to a coarser level, the top-level modules
collapsed (:mod:`gradviz.core.graph.collapse`), instead of running for minutes. Below
the threshold, the whole graph is laid out as before.

The picture is a derived Snapshot: ``meta["fold_level"]`` says which level
(``"folded"`` or ``"collapsed"``), ``meta["fold_nodes"]`` the full graph's
node count; :func:`base_of` gives the full Snapshot it was derived from (to
expand blocks again). Torch-free.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import replace

from ..errors import Cancelled, EngineError
from ..graph.collapse import collapse_modules
from ..graph.folding import BASE_KEY, FoldBlock, base_of, find_blocks, fold_snapshot, with_singles
from ..runtime.options import BuildOptions
from ..snapshot import Snapshot
from .snapshot_layout import layout_snapshot

#: From this many nodes on, the first picture is folded (see the module's docstring).
FOLD_FROM = 2500
#: The share of the time left that the folded layout may take before the coarser level.
FOLDED_SHARE = 0.5
FOLDED, COLLAPSED = "folded", "collapsed"
__all__ = ["FOLD_FROM", "base_of", "first_picture", "fold_note"]


def _levels(base: Snapshot, blocks: list[FoldBlock]) -> list[tuple[str, Callable[[], Snapshot]]]:
    """(level, derive) from the finest to the coarsest."""
    out: list[tuple[str, Callable[[], Snapshot]]] = []
    if blocks:
        out.append((FOLDED, lambda: fold_snapshot(base, with_singles(base, blocks))))
    tops = sorted({n.module.split(".")[0] for n in base.nodes if n.module})
    if tops:
        out.append((COLLAPSED, lambda: collapse_modules(base, tops)))
    return out


def first_picture(
    base: Snapshot,
    options: BuildOptions | None = None,
    *,
    deadline: float | None = None,
    should_cancel: Callable[[], bool] | None = None,
    fold_from: int | None = None,
) -> Snapshot:
    """``base`` laid out whole when small, else its folded (or collapsed) picture, laid out.

    ``deadline`` (``time.monotonic()``) bounds every layout; the folded one gets
    :data:`FOLDED_SHARE` of the time left, the coarsest level the rest. Raises
    the last level's error (:class:`EngineError`, :class:`Cancelled`) when none fits.
    ``fold_from``: the threshold (default :data:`FOLD_FROM`, read at each call).
    """
    fold_from = FOLD_FROM if fold_from is None else fold_from
    options = options or BuildOptions(**base.meta.get("options", {}))
    cancel = should_cancel or (lambda: False)
    levels = _levels(base, find_blocks(base)) if len(base.nodes) >= fold_from else []
    if not levels:
        base.layout = _layout(base, options, deadline, 1.0, cancel)
        return base
    for i, (level, derive) in enumerate(levels):
        last = i == len(levels) - 1
        picture = derive()
        try:
            picture.layout = _layout(picture, options, deadline, 1.0 if last else FOLDED_SHARE,
                                     cancel)
        except (EngineError, Cancelled) as err:
            if last or cancel():
                raise
            reason = "budget" if isinstance(err, Cancelled) else str(err)
            base.meta.setdefault("fold_fallbacks", []).append({"level": level, "error": reason})
            continue
        picture.meta.update(fold_level=level, fold_nodes=len(base.nodes))
        picture.meta["fold_fallbacks"] = base.meta.pop("fold_fallbacks", [])
        picture.derived[BASE_KEY] = base
        return picture
    raise AssertionError("unreachable")  # the last level returns or raises


def fold_note(snapshot: Snapshot, how_to_unfold: str) -> str | None:
    """The CLI's and the API's one line when an export shows a folded or collapsed picture
    (``how_to_unfold``: ``--no-fold``, ``fold=False``), else None."""
    meta = snapshot.meta
    level = meta.get("fold_level")
    if level is None:
        return None
    head = f"gradviz: big graph ({meta.get('fold_nodes', 0):,} nodes): "
    if level == FOLDED:
        blocks = ", ".join(f"{f['kind']} ×{f['count']}" for f in meta.get("folds", {}).values()
                           if f["count"] > 1)
        head += f"repeated layers folded ({blocks})"
    else:
        head += "the folded layout took too long, modules collapsed"
    return f"{head}, {len(snapshot.nodes):,} nodes shown ({how_to_unfold} lays out every node)"


def _layout(snapshot: Snapshot, options: BuildOptions, deadline: float | None, share: float,
            cancel: Callable[[], bool]):
    """Lay out within ``share`` of the time left before ``deadline`` (else :class:`Cancelled`:
    a timed-out engine's fallback engine would get the same time again)."""
    opts = replace(options)
    if deadline is None:
        return layout_snapshot(snapshot, opts, should_cancel=cancel)
    budget = max((deadline - time.monotonic()) * share, 0.001)
    stop = time.monotonic() + budget
    opts.timeout = budget
    return layout_snapshot(snapshot, opts,
                           should_cancel=lambda: cancel() or time.monotonic() > stop)
