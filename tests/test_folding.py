"""Repeated module calls folded into one block (core.folding): nothing hidden, nothing wrong."""

import torch
from torch import nn

import gradviz
from gradviz.core.graph.folding import blocks_of, find_blocks, fold_snapshot
from gradviz.replay.state import state_at
from gradviz.replay.timeline import Timeline


class Layer(nn.Module):
    """A pre-norm residual block with a gated MLP (a tiny decoder layer)."""

    def __init__(self, dim: int, hidden: int, act=nn.functional.silu) -> None:
        super().__init__()
        self.up, self.gate = nn.Linear(dim, hidden), nn.Linear(dim, hidden)
        self.down = nn.Linear(hidden, dim)
        self.act = act

    def forward(self, x):
        h = x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + 1e-6)
        return x + self.down(self.act(self.gate(h)) * self.up(h))


class Stack(nn.Module):
    def __init__(self, layers) -> None:
        super().__init__()
        self.layers = nn.ModuleList(layers)
        self.head = nn.Linear(3, 2)

    def forward(self, x):
        for layer in self.layers:
            x = layer(x)
        return self.head(x)


def _stack(n=4, hidden=(5,) * 4, acts=None):
    torch.manual_seed(0)
    acts = acts or [nn.functional.silu] * n
    return Stack([Layer(3, h, a) for h, a in zip(hidden[:n], acts)])


def _penalty(inp):
    def loss_fn(out):
        loss = out.pow(2).mean()
        (grad,) = torch.autograd.grad(loss, inp, create_graph=True)
        return loss + grad.pow(2).sum()
    return loss_fn


def _gp_snapshot(model):
    inp = torch.randn(2, 3, requires_grad=True)
    snap = gradviz.snapshot(model, inp, loss_fn=_penalty(inp), layout=False)
    return snap, inp


def test_the_repeated_layers_fold_into_one_block_and_the_gradients_are_pytorchs():
    model = _stack()
    snap, inp = _gp_snapshot(model)
    blocks = find_blocks(snap)
    assert len(blocks) == 1
    block = blocks[0]
    assert block.kind == "Layer" and block.parent == "layers"
    assert block.members[-1] == "layers.3" and block.count >= 3  # layers.0 sees the input
    folded = fold_snapshot(snap, blocks)
    assert block.id in {n.id for n in folded.nodes}
    assert folded.meta["folds"][block.id]["count"] == block.count
    assert "Layer ×" in folded.node(block.id).label
    assert not any(n.module and n.module.startswith(tuple(m + "." for m in block.members))
                   for n in folded.nodes if n.id != block.id)
    # the gradients the folded picture shows are PyTorch's
    params = dict(model.named_parameters())
    loss = _penalty(inp)(model(inp))
    expected = dict(zip(params, torch.autograd.grad(loss, list(params.values()))))
    final = state_at(folded, len(folded.steps)).grads
    for name, grad in expected.items():
        assert torch.allclose(torch.tensor(folded.variable(name).grad), grad, atol=1e-6), name
        assert torch.allclose(torch.tensor(final[name]), grad, atol=1e-6), name
    assert folded.variable("layers.3.up.weight").node == block.id


def test_the_penalty_nodes_belong_to_the_module_they_differentiate():
    snap, _ = _gp_snapshot(_stack())
    functions = [n for n in snap.nodes if n.kind == "function"]
    outside = [n for n in functions if n.module is None]
    assert len(outside) < 0.1 * len(functions)  # the loss and the penalty's own ops
    assert len({n.op for n in functions if n.module == "layers.2.down"}) >= 3  # fwd + bwd ops


def _square(t):
    return t * t  # two edges from one node to the product: both must stay


def test_expanding_every_block_gives_back_every_node_edge_and_step():
    snap, _ = _gp_snapshot(_stack(acts=[_square] * 4))
    blocks = find_blocks(snap)
    members = [m for b in blocks for m in b.members]
    full = fold_snapshot(snap, blocks, expanded=members)
    assert [n.id for n in full.nodes] == [n.id for n in snap.nodes]
    assert [(e.source, e.target, e.kind, e.input_nr) for e in full.edges] == \
        [(e.source, e.target, e.kind, e.input_nr) for e in snap.edges]
    assert [(s.node, s.op, s.grad_in) for s in full.steps] == \
        [(s.node, s.op, s.grad_in) for s in snap.steps]
    assert [[(g.target, g.value) for g in s.grad_out] for s in full.steps] == \
        [[(g.target, g.value) for g in s.grad_out] for s in snap.steps]
    folded = fold_snapshot(snap, blocks)
    assert len(folded.steps) == len(snap.steps)  # folding hides no step either


def test_expanding_one_member_splits_its_block_around_it():
    snap, _ = _gp_snapshot(_stack())
    folded = fold_snapshot(snap)
    (block,) = blocks_of(folded)
    middle = block.members[1]
    one = fold_snapshot(snap, blocks_of(folded), expanded=[middle])
    folds = one.meta["folds"]
    assert sorted(f["count"] for f in folds.values()) == [1, block.count - 2]
    inner = [n for n in snap.nodes if n.module and n.module.startswith(middle + ".")]
    ids = {n.id for n in one.nodes}
    assert inner and all(n.id in ids for n in inner)
    assert not any(n.module and n.module.startswith(block.members[0] + ".")
                   for n in one.nodes)
    assert all(e.source in ids and e.target in ids for e in one.edges)


def test_layers_that_differ_are_not_folded_together():
    hidden = find_blocks(_gp_snapshot(_stack(hidden=(5, 5, 7, 5)))[0])
    assert all("layers.2" not in b.members for b in hidden)  # a wider MLP
    acts = [nn.functional.silu, nn.functional.silu, torch.tanh, nn.functional.silu]
    ops = find_blocks(_gp_snapshot(_stack(acts=acts))[0])
    assert all("layers.2" not in b.members for b in ops)  # another activation
    assert all(b.count >= 2 for b in hidden + ops)
    torch.manual_seed(0)
    mlp = nn.Sequential(nn.Linear(3, 3), nn.ReLU(), nn.Linear(3, 3), nn.ReLU())
    snap = gradviz.snapshot(mlp, torch.randn(2, 3), loss_fn=lambda o: o.sum(), layout=False)
    assert find_blocks(snap) == []  # same classes, but never two in a row


def test_the_replay_of_a_folded_graph_matches_its_reference_at_every_step():
    folded = fold_snapshot(_gp_snapshot(_stack(n=3))[0])
    timeline = Timeline(folded)
    for k in range(len(folded.steps) + 1):
        assert timeline.state_at(k) == state_at(folded, k), k


def test_a_folded_block_is_one_group_step_of_the_replay():
    from gradviz.replay.groups import next_stop, previous_stop, stops

    snap, _ = _gp_snapshot(_stack())
    folded = fold_snapshot(snap)
    (block,) = blocks_of(folded)
    marks = stops(folded)
    assert len(marks) < len(folded.steps) // 2  # the block's runs of steps are single stops
    k = next(i for i, s in enumerate(folded.steps) if s.node == block.id)
    end = next_stop(folded, k)
    assert end > k + 1 and all(s.node == block.id for s in folded.steps[k:end])
    assert end == len(folded.steps) or folded.steps[end].node != block.id
    assert previous_stop(folded, end) == k
    state = state_at(folded, end)
    assert state.active_node == block.id and block.id in state.node_grads  # its gradient in
    assert stops(snap) == list(range(len(snap.steps) + 1))  # unfolded: every step stops


def test_a_scripts_gradient_penalty_is_attributed_and_folds_too():
    from gradviz.core.runtime.jobs import snapshot_from_code
    from gradviz.core.runtime.options import BuildOptions

    code = ("import torch\ntorch.manual_seed(0)\n"
            "model = torch.nn.Sequential(*[torch.nn.Sequential(torch.nn.Linear(3, 3), "
            "torch.nn.Tanh()) for _ in range(4)])\n"
            "x = torch.randn(2, 3, requires_grad=True)\n"
            "loss = model(x).pow(2).mean()\n"
            "(g,) = torch.autograd.grad(loss, x, create_graph=True)\n"
            "output = loss + g.pow(2).sum()\nparams = model\n")
    snap = snapshot_from_code(code, "GP", options=BuildOptions(layout=False))
    functions = [n for n in snap.nodes if n.kind == "function"]
    assert sum(n.module is None for n in functions) <= 9  # the loss's and penalty's own
    ops = {n.op for n in functions if n.module == "2.1"}
    assert ops == {"TanhBackward0", "TanhBackwardBackward0"}  # the forward and its backward
    (block,) = find_blocks(snap)
    assert block.kind == "Sequential" and block.count >= 3 and block.members[-1] == "3"
