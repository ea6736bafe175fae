"""Group steps: the replay crosses a folded block (``DecoderLayer ×31``) in one step.

A folded Snapshot (:mod:`gradviz.core.graph.folding`) keeps every backward step; the
steps of a block run on its one node. Consecutive steps on the same folded node
form a *group*: stepping forward from its start lands after its last step (the
block then shows the gradient that entered it, its outgoing edges the gradients
that left it), stepping back lands before its first. Everywhere else a step is
a step. Positions are backward positions (0 … len(steps)).
"""

from __future__ import annotations

import bisect

from gradviz.core.snapshot import Snapshot


def stops(snapshot: Snapshot) -> list[int]:
    """The backward positions a group step may stop at, ascending (0 and the end included)."""
    cached = snapshot.derived.get("group_stops")
    if cached is not None:
        return cached
    folded = set(snapshot.meta.get("folds", {}))
    out = [0]
    steps = snapshot.steps
    for k, step in enumerate(steps, start=1):
        if k < len(steps) and step.node in folded and steps[k].node == step.node:
            continue  # inside a group: the next step is on the same block
        out.append(k)
    snapshot.derived["group_stops"] = out
    return out


def next_stop(snapshot: Snapshot, k: int) -> int:
    """The position one (group) step after ``k``; the end stays the end."""
    marks = stops(snapshot)
    i = bisect.bisect_right(marks, k)
    return marks[i] if i < len(marks) else len(snapshot.steps)


def previous_stop(snapshot: Snapshot, k: int) -> int:
    """The position one (group) step before ``k``; 0 stays 0."""
    marks = stops(snapshot)
    i = bisect.bisect_left(marks, k)
    return marks[i - 1] if i > 0 else 0
