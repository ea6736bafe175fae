"""Which ``nn.Module`` call created each autograd node.

Autograd numbers nodes as it creates them (``grad_fn._sequence_nr()``, a
per-thread counter). While a model runs, global module hooks note the
counter when each submodule's ``forward`` starts and ends; a node belongs to
the innermost call whose span holds its number. Nothing is walked, and ops
a torch function runs internally are attributed too. Parameters belong to the
module that owns them (by their ``named_parameters()`` name).
"""

from __future__ import annotations

import bisect
from typing import Any

import torch
from torch.nn.modules import module as nn_module

ACCUMULATE_SEQUENCE = 2**64 - 1  # AccumulateGrad nodes carry the largest number


def _counter() -> int:
    """The next node number: make a throwaway node and read its number."""
    with torch.enable_grad():
        probe = torch.zeros((), requires_grad=True) * 1
    return probe.grad_fn._sequence_nr()


class ModuleScopes:
    """``with ModuleScopes(model) as scopes: model(x)``; then :meth:`module_of`.

    Without a ``root`` (a script, a lesson's code: the model is only known
    once the code has run) every module call is noted, and the calls are named
    at the end after the outermost modules called (``named_modules()``), so
    a script's ``nn.Sequential`` gets the same boxes as the Python API's.
    """

    def __init__(self, root: torch.nn.Module | None = None) -> None:
        self.names: dict[int, str] = {}
        self.kinds: dict[str, str] = {}
        if root is not None:
            self._name_modules([root])
        self._global = root is None
        self._called: dict[int, torch.nn.Module] = {}  # without a root: every module called
        self.spans: list[tuple[int, int, str]] = []  # (start, end, module path)
        self._stack: list[tuple[int, int]] = []  # (id of the module, start)
        self._ids: list[tuple[int, int, int]] = []  # spans by module id, named at the end
        self._handles: list[Any] = []
        self._backward: BackwardScopes | None = None

    def _name_modules(self, roots: list[torch.nn.Module]) -> None:
        for root in roots:
            for name, module in root.named_modules():
                if name and id(module) not in self.names:
                    self.names[id(module)] = name
                    self.kinds[name] = type(module).__name__

    def __enter__(self) -> ModuleScopes:
        # Without a root (a script), a gradient penalty the code computes is attributed too.
        self._backward = BackwardScopes(self) if self._global else None
        self._handles = [
            nn_module.register_module_forward_pre_hook(self._pre),
            nn_module.register_module_forward_hook(self._post, always_call=True),
        ]
        return self

    def __exit__(self, *exc: Any) -> None:
        for handle in self._handles:
            handle.remove()
        self._handles = []
        if self._global:
            self._name_modules(_outermost(list(self._called.values())))
            self._called = {}  # the user's modules are not kept alive by the snapshot
        self.spans = [(start, end, self.names[key]) for start, end, key in self._ids
                      if key in self.names]
        self.spans.sort(key=lambda s: (s[0], -s[1]))
        if self._backward is not None:
            self._backward.finish()
            self._backward = None

    def _pre(self, module: torch.nn.Module, args: Any) -> None:
        if self._global:
            self._called.setdefault(id(module), module)
        elif id(module) not in self.names:
            return
        self._stack.append((id(module), _counter()))

    def _post(self, module: torch.nn.Module, args: Any, output: Any) -> None:
        if self._stack and self._stack[-1][0] == id(module):
            _, start = self._stack.pop()
            self._ids.append((start, _counter(), id(module)))
            if not self._stack and self._backward is not None:  # an outermost call ended
                self._backward.watch(output)

    def module_of(self, sequence_nr: int) -> str | None:
        """The innermost module call that created the node numbered ``sequence_nr``."""
        if sequence_nr >= ACCUMULATE_SEQUENCE:
            return None
        stop = bisect.bisect_right(self.spans, (sequence_nr, ACCUMULATE_SEQUENCE, ""))
        for i in range(stop - 1, -1, -1):  # the latest start first: the innermost call
            start, end, name = self.spans[i]
            if start < sequence_nr < end:
                return name
        return None


class BackwardScopes:
    """``with BackwardScopes(scopes, out): loss_fn(out)``: attribute double-backward nodes.

    A loss that differentiates the model's output (a gradient penalty,
    ``create_graph=True``) makes new nodes while autograd runs each forward
    node's backward; those belong to the module of the forward node being
    differentiated. Hooks on every node behind ``outputs`` (and whatever
    :meth:`watch` is given) note the counter around each backward call; on exit
    they are removed and the spans join ``scopes.spans`` (the forward's spans
    must be complete: after ``ModuleScopes.__exit__``).
    """

    def __init__(self, scopes: ModuleScopes, outputs: Any = None) -> None:
        self.scopes = scopes
        self._outputs = outputs
        self._open: dict[int, list[int]] = {}  # sequence number -> starts of its calls
        self._spans: list[tuple[int, int, int, int]] = []  # (start, end, task, sequence nr)
        self._handles: list[Any] = []

    def __enter__(self) -> BackwardScopes:
        if self._outputs is not None:
            self.watch(self._outputs, known=True)
        return self

    def __exit__(self, *exc: Any) -> None:
        self.finish()

    def watch(self, outputs: Any, known: bool = False) -> None:
        """Hook every node behind ``outputs`` (``known``: only those of a named module)."""
        tensors = outputs if isinstance(outputs, (list, tuple)) else [outputs]
        todo = [t.grad_fn for t in tensors if isinstance(t, torch.Tensor)]
        seen: set[int] = set()
        while todo:
            fn = todo.pop()
            if fn is None or id(fn) in seen:
                continue
            seen.add(id(fn))
            todo.extend(nxt for nxt, _ in fn.next_functions)
            seq = fn._sequence_nr()
            if seq < ACCUMULATE_SEQUENCE and (not known or self.scopes.module_of(seq)):
                self._handles.append(fn.register_prehook(self._pre_of(seq)))
                self._handles.append(fn.register_hook(self._post_of(seq)))

    def _pre_of(self, seq: int):
        def pre(grad_outputs: Any) -> None:
            if torch.is_grad_enabled():  # create_graph: this call makes nodes (else: cheap)
                self._open.setdefault(seq, []).append(_counter())
        return pre

    def _post_of(self, seq: int):
        def post(grad_inputs: Any, grad_outputs: Any) -> None:
            starts = self._open.get(seq)
            if starts and torch.is_grad_enabled():
                task = torch._C._current_graph_task_id()
                self._spans.append((starts.pop(), _counter(), task, seq))
        return post

    def finish(self) -> None:
        """Remove the hooks; add the backward calls' spans to the scopes."""
        for handle in self._handles:
            handle.remove()
        self._handles = []
        calls = sorted(self._spans)
        # The engine adds up gradients meeting at a node (an AddBackward0 each, with
        # create_graph) right after the call that sent them: they are that call's, up to
        # the next call of the same backward pass.
        spans = []
        for i, (start, end, task, seq) in enumerate(calls):
            nxt = calls[i + 1] if i + 1 < len(calls) else None
            stop = nxt[0] if nxt is not None and nxt[2] == task else end
            spans.append((start, max(end, stop), self.scopes.module_of(seq)))
        self._spans = []
        self.scopes.spans.extend(s for s in spans if s[2] is not None)
        self.scopes.spans.sort(key=lambda s: (s[0], -s[1]))


def _outermost(modules: list[torch.nn.Module]) -> list[torch.nn.Module]:
    """The modules that are no other module's submodule, in call order."""
    inner = {id(child) for m in modules for _, child in m.named_modules() if child is not m}
    return [m for m in modules if id(m) not in inner]


def parameter_module(name: str) -> str | None:
    """``"encoder.layers.0.linear1.weight"`` → ``"encoder.layers.0.linear1"``."""
    return name.rpartition(".")[0] or None


def assign_modules(graph: Any, scopes: ModuleScopes | None) -> None:
    """Set ``node.module`` on a captured graph's nodes (in place).

    Functions: by sequence number; AccumulateGrad and its leaf: the module
    owning the parameter; saved tensors: their function's module.
    """
    if scopes is None:
        return
    by_id = {node.id: node for node in graph.nodes}
    for node_id, fn in graph.functions():
        node = by_id[node_id]
        if hasattr(fn, "variable"):
            name = graph.names.get(id(fn.variable))
            node.module = parameter_module(name) if name else None
        else:
            node.module = scopes.module_of(fn._sequence_nr())
    leaf_module = {}
    for edge in graph.edges:
        if edge.kind == "variable":
            leaf_module[edge.source] = by_id[edge.target].module
    for node in graph.nodes:
        if node.kind == "leaf":
            node.module = leaf_module.get(node.id)
        elif node.kind == "saved" and node.saved_of:
            node.module = by_id[node.saved_of].module
