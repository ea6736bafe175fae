"""The rules of :mod:`gradviz.replay.state`, cell by cell: what changes from position k − 1 to k.

A replay state is a few dicts of *cells* (a node's status or gradient, an
edge's gradient or status, a variable's ``.grad`` or contributions). Moving
one position changes few of them: the node that runs, the one that ran
before, the edges it sends gradients along, the tensor nodes that follow
them (outputs, leaves, saved tensors). :class:`BackwardRules` and
:class:`ForwardRules` keep the *front* state (the last position computed) and,
for the next position, re-evaluate exactly those cells with the reference's
rules, returning the ones that changed as ``(slot, key, old, new)``.

The rules are local because a tensor node follows a node that itself runs (a
function node), never another tensor node. Should a Snapshot break that (a
derived node reading a derived node), ``exact`` is False and each position is
the reference state, diffed with the last: as slow as the reference, still exact.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from gradviz.core.graph.forward import COMPUTED_KINDS, forward_order
from gradviz.core.snapshot import Snapshot

from .state import (
    _INPUT_KINDS,
    ACTIVE,
    DONE,
    PENDING,
    StepState,
    _edges_by_consumer,
    _forward_edge,
    _incoming,
    _sent_edges,
)

MISSING: Any = type("Missing", (), {"__repr__": lambda self: "MISSING"})()  # no such key
STATUS, NODE_GRADS, EDGE_GRADS, EDGE_STATUS, GRADS, CONTRIBUTIONS = range(6)  # the slots


def state_dicts(state: StepState) -> list[dict]:
    """Copies of a state's changing dicts, in slot order."""
    return [dict(state.node_status), dict(state.node_grads), dict(state.edge_grads),
            dict(state.edge_status), dict(state.grads), dict(state.contributions)]


def put(d: dict, key, value) -> None:
    """``d[key] = value``, or remove ``key`` when ``value`` is MISSING."""
    if value is MISSING:
        d.pop(key, None)
    else:
        d[key] = value


class _Rules:
    """The front state and how a change to it is recorded."""

    def __init__(self, snapshot: Snapshot, reference, start: StepState) -> None:
        self.snapshot, self.reference, self.start = snapshot, reference, start
        self.front = state_dicts(start)
        self.node_ids = {n.id for n in snapshot.nodes}
        self.exact = len(self.node_ids) == len(snapshot.nodes)

    def _set(self, out: list, slot: int, key, new) -> None:
        d = self.front[slot]
        old = d.get(key, MISSING)
        if old is not new:
            out.append((slot, key, old, new))
            put(d, key, new)

    def _diff(self, state: StepState) -> list:
        """Every cell of ``state`` that differs from the front (the front becomes ``state``)."""
        out: list = []
        for slot, new in enumerate(state_dicts(state)):
            for key in self.front[slot].keys() - new.keys():
                self._set(out, slot, key, MISSING)
            for key, value in new.items():
                self._set(out, slot, key, value)
        return out

    def _check_local(self, derived: set, read: set) -> None:
        self.exact = self.exact and not derived & read


class BackwardRules(_Rules):
    """Backward step k from step k − 1 (:func:`~gradviz.replay.state.state_at`'s rules)."""

    def __init__(self, snapshot: Snapshot, reference) -> None:
        super().__init__(snapshot, reference, reference(snapshot, 0))
        steps = self.steps = snapshot.steps
        consumers = _edges_by_consumer(snapshot)
        self._incoming = [_incoming(s) for s in steps]  # one object per step: stable identity
        self._sent = [list(_sent_edges(s, consumers)) for s in steps]
        self._into: dict[str, list[tuple[str, str]]] = defaultdict(list)  # tensor <- rules
        self._readers: dict[str, set[str]] = defaultdict(set)  # node -> tensors that follow it
        self._out_src: dict[int, str] = {}  # output edge -> its source
        self._out_from: dict[str, list[int]] = defaultdict(list)
        for index, edge in enumerate(snapshot.edges):
            if edge.kind == "output":
                self._into[edge.target].append(("o", edge.source))
                self._readers[edge.source].add(edge.target)
                self._out_src[index] = edge.source
                self._out_from[edge.source].append(index)
            elif edge.kind == "variable":
                self._into[edge.source].append(("v", edge.target))
                self._readers[edge.target].add(edge.source)
        self._saved_of = {n.id: n.saved_of for n in snapshot.nodes
                          if n.kind == "saved" and n.saved_of is not None}
        for node_id, of in self._saved_of.items():
            self._readers[of].add(node_id)
        self._check_local(set(self._into) | set(self._saved_of), set(self._readers))
        self._var_nodes: dict[str, list[str]] = defaultdict(list)
        self._node_vars: dict[str, list[str]] = defaultdict(list)
        for var in snapshot.variables:
            if var.node is not None:
                self._var_nodes[var.name].append(var.node)
                self._node_vars[var.node].append(var.name)
        self._last: dict[int, dict[str, Any]] = defaultdict(dict)  # run -> variable -> step
        for step in steps:
            if step.variable is not None:
                self._last[step.run][step.variable] = step
        self._arrivals: dict[int, dict[int, set[str]]] = defaultdict(lambda: defaultdict(set))
        for run, last in self._last.items():
            for name, step in last.items():
                for c in step.contributions:
                    self._arrivals[run][c.step].add(name)
        # The executed steps of the current run: node -> status, gradient in; edge -> sent.
        self._base: dict[str, str] = {}
        self._base_grads: dict[str, Any] = {}
        self._base_edges: dict[int, Any] = {}

    def advance(self, k: int) -> list:
        """The cells that change from step ``k − 1`` to ``k`` (the front moves to ``k``)."""
        steps, i = self.steps, k - 1
        step = steps[i]
        if not self.exact:
            return self._diff(self.reference(self.snapshot, k))
        if step.run != (steps[i - 1].run if i else 0):  # a new backward call: nodes reset
            self._rebase(k)
            return self._diff(self.reference(self.snapshot, k))
        base, out = self._base, []
        changed = [step.node] if not i else [steps[i - 1].node, step.node]
        if i:
            base[steps[i - 1].node] = DONE
        base[step.node] = ACTIVE
        self._base_grads[step.node] = self._incoming[i]
        edges = set()
        for index, value in self._sent[i]:
            self._base_edges[index] = value
            edges.add(index)
        grad_nodes = {step.node}
        if step.variable is not None:
            self._set(out, GRADS, step.variable, step.grad_after)
            grad_nodes.update(self._var_nodes.get(step.variable, ()))
        last = self._last.get(step.run, {})
        for name in self._arrivals.get(step.run, {}).get(i, ()):
            arrived = [c for c in last[name].contributions if c.step < k]
            self._set(out, CONTRIBUTIONS, name, arrived)
        status_nodes = set(changed)
        for node_id in changed:
            status_nodes.update(self._readers.get(node_id, ()))
            edges.update(self._out_from.get(node_id, ()))
        grad_nodes.update(self._readers.get(step.node, ()))
        for node_id in status_nodes:
            self._set(out, STATUS, node_id, self._status(node_id))
        for node_id in grad_nodes:
            self._set(out, NODE_GRADS, node_id, self._node_grad(node_id))
        for index in edges:
            self._set(out, EDGE_GRADS, index, self._edge_grad(index))
        return out

    def _rebase(self, k: int) -> None:
        """The executed steps of step ``k``'s run, from scratch."""
        run = self.steps[k - 1].run
        self._base, self._base_grads, self._base_edges = {}, {}, {}
        for i, step in enumerate(self.steps[:k]):
            if step.run == run:
                self._base[step.node] = DONE
                self._base_grads[step.node] = self._incoming[i]
                self._base_edges.update(self._sent[i])
        self._base[self.steps[k - 1].node] = ACTIVE

    def _status(self, node_id: str) -> Any:
        base = self._base
        status = base.get(node_id, MISSING)
        for kind, other in self._into.get(node_id, ()):
            if other in base:
                status = DONE if kind == "o" else base[other]
        of = self._saved_of.get(node_id)
        if of is not None and of in base:
            status = base[of]
        if status is MISSING and node_id in self.node_ids:
            return PENDING
        return status

    def _node_grad(self, node_id: str) -> Any:
        base = self._base
        grad = self._base_grads.get(node_id, MISSING)
        for kind, other in self._into.get(node_id, ()):
            if kind == "o" and other in base:
                grad = self._base_grads[other]
        grads = self.front[GRADS]
        for name in self._node_vars.get(node_id, ()):
            if grads.get(name) is not None:
                grad = grads[name]
        return grad

    def _edge_grad(self, index: int) -> Any:
        source = self._out_src.get(index)
        if source is not None and source in self._base:
            return self._base_grads[source]
        return self._base_edges.get(index, MISSING)


class ForwardRules(_Rules):
    """Forward position k from k − 1 (:func:`~gradviz.replay.state.forward_state_at`'s rules)."""

    def __init__(self, snapshot: Snapshot, reference) -> None:
        super().__init__(snapshot, reference, reference(snapshot, 0))
        self.order = forward_order(snapshot)
        computed = set(self.order)
        self._base = {n.id: DONE for n in snapshot.nodes if n.kind in _INPUT_KINDS or (
            n.kind in COMPUTED_KINDS and n.id not in computed)}
        self._into: dict[str, list[str]] = defaultdict(list)  # output tensor <- its sources
        self._readers: dict[str, set[str]] = defaultdict(set)
        self._incident: dict[str, list[int]] = defaultdict(list)
        for index, edge in enumerate(snapshot.edges):
            self._incident[edge.source].append(index)
            self._incident[edge.target].append(index)
            if edge.kind == "output":
                self._into[edge.target].append(edge.source)
                self._readers[edge.source].add(edge.target)
        self._saved_of = {n.id: n.saved_of for n in snapshot.nodes
                          if n.kind == "saved" and n.saved_of is not None}
        for node_id, of in self._saved_of.items():
            self._readers[of].add(node_id)
        self._check_local(set(self._into) | set(self._saved_of), set(self._readers))

    def advance(self, k: int) -> list:
        """The cells that change from forward position ``k − 1`` to ``k``."""
        if not self.exact:
            return self._diff(self.reference(self.snapshot, k))
        active = self.order[k - 1]
        changed = [active] if k == 1 else [self.order[k - 2], active]
        if k > 1:
            self._base[self.order[k - 2]] = DONE
        self._base[active] = ACTIVE
        out: list = []
        nodes = set(changed)
        for node_id in changed:
            nodes.update(self._readers.get(node_id, ()))
        edges = set()
        for node_id in nodes:
            self._set(out, STATUS, node_id, self._status(node_id))
            edges.update(self._incident.get(node_id, ()))
        status, model_edges = self.front[STATUS], self.snapshot.edges
        for index in edges:
            self._set(out, EDGE_STATUS, index, _forward_edge(model_edges[index], status, active))
        return out

    def _status(self, node_id: str) -> Any:
        base = self._base
        status = base.get(node_id, MISSING)
        for source in self._into.get(node_id, ()):
            status = base.get(source, PENDING)
        of = self._saved_of.get(node_id)
        if of is not None:
            status = base.get(of, PENDING)
        if status is MISSING and node_id in self.node_ids:
            return PENDING
        return status
