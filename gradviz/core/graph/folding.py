"""Fold repeated module calls (``DecoderLayer ×32``) into one block: a derived Snapshot.

Torch-free, like :mod:`gradviz.core.graph.collapse`, on any Snapshot whose nodes know
their ``module``. Each module call gets a *signature*: the shape of the graph
it made (node kinds, ops, tensor shapes, nested module names relative to it,
and its internal edges), canonical (independent of node ids and order), never
values. A run of consecutive sibling calls (``layers.0`` … ``layers.31``) with
the same class and signature is a :class:`FoldBlock`; :func:`fold_snapshot`
draws each block as one node and keeps every backward step (on the block's
node), every variable and gradient, as collapsing does. Members named in
``expanded`` are shown node by node, splitting their block around them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from ..runtime.gcpause import paused_gc
from ..snapshot import GraphNode, Snapshot
from .collapse import MODULE_COLOR, MODULE_KIND, merge_nodes

REPEAT_ATTR, MEMBERS_ATTR = "repeat", "members"  # a block node's attrs: count, paths
#: Rounds of label refinement in the signature (neighbours up to this far apart).
_ROUNDS = 3


@dataclass
class FoldBlock:
    """A run of consecutive sibling module calls with the same signature."""

    parent: str  # "layers" ("" at the top level)
    members: list[str]  # the member paths, in order: "layers.0", "layers.1", ...
    kind: str  # the members' class name
    signature: str  # what the members share (a digest, comparable within one process)
    size: int = 0  # nodes in one member

    @property
    def count(self) -> int:
        """How many calls the block stands for."""
        return len(self.members)

    @property
    def id(self) -> str:
        """The folded node's id: ``f:layers.0..layers.31``."""
        return fold_node_id(self.members)


def fold_node_id(members: list[str]) -> str:
    """The id of the node standing for the calls ``members`` (first..last)."""
    return f"f:{members[0]}..{members[-1]}"


def is_fold_id(node_id: str) -> bool:
    """True for the id of a folded block's node."""
    return node_id.startswith("f:")


def repeat_count(node: GraphNode) -> int:
    """How many calls a node stands for: a folded block's count, else 1."""
    return int(node.attrs.get(REPEAT_ATTR, 1)) if is_fold_id(node.id) else 1


def module_paths(snapshot: Snapshot) -> list[str]:
    """Every module call the nodes name, parents included, in first-use order."""
    out: dict[str, None] = {}
    for node in snapshot.nodes:
        if node.module:
            parts = node.module.split(".")
            for i in range(1, len(parts) + 1):
                out.setdefault(".".join(parts[:i]))
    return list(out)


def signatures(snapshot: Snapshot, paths: Iterable[str]) -> dict[str, str]:
    """The signature of each module call in ``paths`` (see the module's docstring)."""
    with paused_gc():  # many small tuples and dicts: full collections would dominate
        return _signatures(snapshot, set(paths))


def _signatures(snapshot: Snapshot, wanted: set[str]) -> dict[str, str]:
    members: dict[str, list[GraphNode]] = {p: [] for p in wanted}
    module = {}
    for node in snapshot.nodes:
        module[node.id] = node.module
        for prefix in _prefixes(node.module):
            if prefix in wanted:
                members[prefix].append(node)
    inner: dict[str, list[tuple[str, str, str]]] = {p: [] for p in wanted}
    for edge in snapshot.edges:
        common = _common(module.get(edge.source), module.get(edge.target))
        for prefix in _prefixes(common):
            if prefix in wanted:
                inner[prefix].append((edge.source, edge.target, f"{edge.kind}{edge.input_nr}"))
    return {p: _digest(members[p], inner[p], p) for p in wanted}


def _common(a: str | None, b: str | None) -> str | None:
    """The innermost module holding both ``a`` and ``b`` (None if none)."""
    if not a or not b:
        return None
    if a == b:
        return a
    parts = []
    for x, y in zip(a.split("."), b.split(".")):
        if x != y:
            break
        parts.append(x)
    return ".".join(parts) or None


def _digest(nodes: list[GraphNode], edges: list[tuple[str, str, str]], path: str) -> str:
    """Weisfeiler–Lehman hash of one call's nodes and internal edges (equal graphs give
    equal digests within one process: Python's ``hash``, salted per process)."""
    cut = len(path) + 1
    label = {n.id: hash((n.kind, n.op, tuple(n.shape or ()), (n.module or "")[cut:],
                         n.variable and n.variable[cut:])) for n in nodes}
    ins: dict[str, list[tuple[str, str]]] = {n.id: [] for n in nodes}
    outs: dict[str, list[tuple[str, str]]] = {n.id: [] for n in nodes}
    for source, target, kind in edges:
        outs[source].append((target, kind))
        ins[target].append((source, kind))
    for _ in range(_ROUNDS):
        label = {i: hash((label[i], tuple(sorted(hash((k, label[s])) for s, k in ins[i])),
                          tuple(sorted(hash((k, label[t])) for t, k in outs[i]))))
                 for i in label}
    return f"{len(nodes)}:{len(edges)}:{hash(tuple(sorted(label.values()))) & (2**64 - 1):016x}"


def _natural(path: str) -> tuple:
    """Sibling order: ``layers.2`` before ``layers.10``."""
    last = path.rpartition(".")[2]
    return (0, int(last), "") if last.isdigit() else (1, 0, last)


def find_blocks(snapshot: Snapshot, min_count: int = 2) -> list[FoldBlock]:
    """The outermost runs of ≥ ``min_count`` consecutive sibling calls sharing a signature."""
    paths = module_paths(snapshot)
    order = {p: i for i, p in enumerate(paths)}
    children: dict[str, list[str]] = {}
    for path in paths:
        children.setdefault(path.rpartition(".")[0], []).append(path)
    kinds = snapshot.meta.get("modules", {})
    sigs: dict[str, str] = {}
    sizes = {p: 0 for p in paths}
    for node in snapshot.nodes:
        for p in _prefixes(node.module):
            sizes[p] += 1
    blocks: list[FoldBlock] = []
    todo = [""]
    while todo:
        parent = todo.pop(0)
        kids = sorted(children.get(parent, []), key=lambda p: (_natural(p), order[p]))
        candidates = _candidates(kids, kinds, min_count)
        if candidates:
            sigs.update(signatures(snapshot, candidates))
        i = 0
        while i < len(kids):
            j = i + 1
            while j < len(kids) and _same(kids[i], kids[j], sigs, kinds):
                j += 1
            if j - i >= min_count:
                run = kids[i:j]
                blocks.append(FoldBlock(parent, run, kinds.get(run[0], _class_guess(run[0])),
                                        sigs[run[0]], sizes[run[0]]))
            else:
                todo.extend(kids[i:j])
            i = j
    return blocks


def with_singles(snapshot: Snapshot, blocks: list[FoldBlock]) -> list[FoldBlock]:
    """``blocks`` plus a one-call block for each sibling of a block's class left out of it
    (``layers.0``, whose input differs): the first picture then shows whole layers only."""
    folded = {m for b in blocks for m in b.members}
    kinds = snapshot.meta.get("modules", {})
    wanted = {(b.parent, b.kind) for b in blocks}
    sizes: dict[str, int] = {}
    for node in snapshot.nodes:
        for p in _prefixes(node.module):
            sizes[p] = sizes.get(p, 0) + 1
    singles = [FoldBlock(path.rpartition(".")[0], [path], kinds[path], "", sizes[path])
               for path in sizes if path not in folded and path in kinds
               and (path.rpartition(".")[0], kinds[path]) in wanted]
    return blocks + singles


def _candidates(kids: list[str], kinds: dict[str, str], min_count: int) -> list[str]:
    """Siblings that may fold: their class is shared by ≥ ``min_count`` of them."""
    counts: dict[str | None, int] = {}
    for kid in kids:
        counts[kinds.get(kid)] = counts.get(kinds.get(kid), 0) + 1
    return [kid for kid in kids if counts[kinds.get(kid)] >= min_count]


def _same(a: str, b: str, sigs: dict[str, str], kinds: dict[str, str]) -> bool:
    return a in sigs and sigs.get(a) == sigs.get(b) and kinds.get(a) == kinds.get(b)


def _prefixes(module: str | None) -> list[str]:
    if not module:
        return []
    parts = module.split(".")
    return [".".join(parts[:i]) for i in range(1, len(parts) + 1)]


def _class_guess(path: str) -> str:
    return re.sub(r"\d+$", "", path.rpartition(".")[2]) or "Module"


def split_block(block: FoldBlock, expanded: Iterable[str]) -> list[FoldBlock | str]:
    """The block's members in order: runs still folded, and expanded members by path."""
    shown = set(expanded)
    out: list[FoldBlock | str] = []
    run: list[str] = []
    for member in block.members:
        if member in shown:
            if run:
                out.append(FoldBlock(block.parent, run, block.kind, block.signature, block.size))
                run = []
            out.append(member)
        else:
            run.append(member)
    if run:
        out.append(FoldBlock(block.parent, run, block.kind, block.signature, block.size))
    return out


def block_label(block: FoldBlock) -> str:
    """``DecoderLayer ×32`` over ``layers.0 … layers.31`` and the node count."""
    title = f"{block.kind} ×{block.count}" if block.count > 1 else block.kind
    span = block.members[0] if block.count == 1 else f"{block.members[0]} … {block.members[-1]}"
    return f"{title}\n{span}\n{block.size * block.count} nodes"


def fold_snapshot(snapshot: Snapshot, blocks: list[FoldBlock] | None = None,
                  expanded: Iterable[str] = ()) -> Snapshot:
    """A copy of ``snapshot`` with each block one node, but the ``expanded`` members.

    ``blocks`` defaults to :func:`find_blocks`. The result's ``meta["folds"]``
    maps each folded node's id to ``{"kind", "count", "members", "parent"}``
    (what the window draws as a stack); ``meta["fold_blocks"]`` keeps the
    blocks found, so expanding needs no new search.
    """
    blocks = find_blocks(snapshot) if blocks is None else blocks
    shown = set(expanded)
    mapping: dict[str, str] = {}
    groups: dict[str, GraphNode] = {}
    folds: dict[str, dict] = {}
    member_of: dict[str, str] = {}
    for block in blocks:
        for part in split_block(block, shown):
            if isinstance(part, str):
                continue
            groups[part.id] = GraphNode(
                id=part.id, kind=MODULE_KIND, label=block_label(part), module=part.parent or None,
                fillcolor=MODULE_COLOR, attrs={REPEAT_ATTR: str(part.count),
                                               MEMBERS_ATTR: " ".join(part.members)})
            folds[part.id] = {"kind": part.kind, "count": part.count,
                              "members": list(part.members), "parent": part.parent}
            member_of.update((m, part.id) for m in part.members)
    for node in snapshot.nodes:
        for prefix in _prefixes(node.module):
            if prefix in member_of:
                mapping[node.id] = member_of[prefix]
                break
    out = merge_nodes(snapshot, mapping, groups)
    out.meta["folds"] = folds
    out.meta["fold_blocks"] = [_block_dict(b) for b in blocks]
    out.meta["fold_expanded"] = sorted(shown)
    return out


def _block_dict(block: FoldBlock) -> dict:
    return {"parent": block.parent, "members": list(block.members), "kind": block.kind,
            "signature": block.signature, "size": block.size}


BASE_KEY = "fold_base"  # in ``Snapshot.derived``: a derived picture's full Snapshot


def base_of(snapshot: Snapshot) -> Snapshot:
    """The full Snapshot a first picture was derived from (itself if none;
    :func:`gradviz.core.layout.fold_layout.first_picture` sets it)."""
    return snapshot.derived.get(BASE_KEY, snapshot)


def blocks_of(snapshot: Snapshot) -> list[FoldBlock]:
    """The blocks a folded Snapshot was made with (``meta["fold_blocks"]``)."""
    return [FoldBlock(**b) for b in snapshot.meta.get("fold_blocks", [])]
