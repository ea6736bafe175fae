"""The replay's states, position k derived from position k ± 1 in time O(what changed).

:func:`~gradviz.replay.state.state_at` and
:func:`~gradviz.replay.state.forward_state_at` rebuild a whole state on each
call (O(steps + edges + nodes)); they stay the reference. A :class:`Timeline`
gives the same :class:`StepState` objects (tests compare them at every
position), computed from a list of *deltas*: the cells (a node's status or
gradient, an edge's gradient or status, a variable's ``.grad`` or contributions)
that change between positions k − 1 and k, worked out once per Snapshot, lazily,
from the rules of the reference (:mod:`gradviz.replay.rules`). A cursor
keeps the dicts of the last position asked for: one step applies one delta, a
jump the deltas in between (backwards: their old values).

Each state returned also carries ``changes``: the serial of the state returned
just before it by the same timeline, and the node ids and edge indices that may
differ from it, so that :func:`~gradviz.ui.graph.step_view.apply_step` touches only
those items.
"""

from __future__ import annotations

import itertools
from typing import Any

from gradviz.core.graph.forward import forward_order
from gradviz.core.snapshot import Snapshot

from .rules import (
    EDGE_GRADS,
    EDGE_STATUS,
    MISSING,
    NODE_GRADS,
    STATUS,
    BackwardRules,
    ForwardRules,
)
from .rules import state_dicts as _dicts
from .state import BACKWARD, FORWARD, StepState, forward_state_at, state_at

_NODE_SLOTS = (STATUS, NODE_GRADS)
_EDGE_SLOTS = (EDGE_GRADS, EDGE_STATUS)
_serials = itertools.count(1)


class _Deltas:
    """Positions 0 … ``total`` as a start state plus one delta per position.

    ``rules`` computes the cells that may change at the next position; this
    class records those that do, and moves a cursor along the deltas.
    """

    def __init__(self, rules, total: int) -> None:
        self.rules = rules
        self.total = total
        self._deltas: list[list[tuple[int, Any, Any, Any]]] = []  # [k-1]: (slot, key, old, new)
        self._touched: list[tuple[set, set]] = []  # [k-1]: the node ids, edge indices it sets
        self._pos = 0
        self._cur = _dicts(rules.start)
        self._serial = next(_serials)  # no state has it: the first one returned has no base

    def _extend_to(self, k: int) -> None:
        while len(self._deltas) < k:
            delta = self.rules.advance(len(self._deltas) + 1)
            self._deltas.append(delta)
            nodes: set = set()
            edges: set = set()
            for slot, key, _old, _new in delta:
                _touch(slot, key, nodes, edges)
            self._touched.append((nodes, edges))

    def seek(self, k: int) -> tuple[list[dict], set, set, int, int]:
        """Move the cursor to ``k``: (the dicts, nodes and edges touched, base serial, serial)."""
        self._extend_to(k)
        nodes: set = set()
        edges: set = set()
        cur = self._cur
        forward = self._pos < k
        span = range(self._pos, k) if forward else range(self._pos - 1, k - 1, -1)
        for pos in span:  # a far jump applies hundreds of deltas: kept tight
            for slot, key, old, new in self._deltas[pos]:
                value = new if forward else old
                if value is MISSING:
                    cur[slot].pop(key, None)
                else:
                    cur[slot][key] = value
            touched = self._touched[pos]
            nodes |= touched[0]
            edges |= touched[1]
        self._pos = k
        base, self._serial = self._serial, next(_serials)
        return cur, nodes, edges, base, self._serial


def _touch(slot: int, key, nodes: set, edges: set) -> None:
    if slot in _NODE_SLOTS:
        nodes.add(key)
    elif slot in _EDGE_SLOTS:
        edges.add(key)


class Timeline:
    """Backward and forward states of one Snapshot, each position from the last one asked.

    Equal to :func:`state_at` / :func:`forward_state_at` at every position
    (the reference); use one per Snapshot (the Player keeps one).
    """

    def __init__(self, snapshot: Snapshot) -> None:
        self.snapshot = snapshot
        self._backward: _Deltas | None = None
        self._forward: _Deltas | None = None

    def state_at(self, k: int) -> StepState:
        """:func:`state_at` ``(snapshot, k)``, from the deltas."""
        steps = self.snapshot.steps
        k = max(0, min(k, len(steps)))
        if self._backward is None:
            self._backward = _Deltas(BackwardRules(self.snapshot, state_at), len(steps))
        cur, nodes, edges, base, serial = self._backward.seek(k)
        state = StepState(step=k, total=len(steps), phase=BACKWARD)
        if k:
            state.active, state.active_node = k - 1, steps[k - 1].node
            state.run = steps[k - 1].run
        return _filled(state, cur, (base, nodes, edges), serial)

    def forward_state_at(self, k: int) -> StepState:
        """:func:`forward_state_at` ``(snapshot, k)``, from the deltas."""
        order = forward_order(self.snapshot)
        k = max(0, min(k, len(order)))
        if self._forward is None:
            self._forward = _Deltas(ForwardRules(self.snapshot, forward_state_at), len(order))
        cur, nodes, edges, base, serial = self._forward.seek(k)
        state = StepState(step=0, total=len(self.snapshot.steps), phase=FORWARD, forward=k,
                          forward_total=len(order))
        state.active_node = order[k - 1] if k else None
        return _filled(state, cur, (base, nodes, edges), serial)


def _filled(state: StepState, cur: list[dict], changes: tuple, serial: int) -> StepState:
    (state.node_status, state.node_grads, state.edge_grads, state.edge_status, state.grads,
     state.contributions) = (dict(d) for d in cur)
    state.serial, state.changes = serial, changes
    return state
