"""Nodes grouped by the nn.Module call that made them; boxes around each group."""

import torch

import gradviz
from gradviz.core.graph.modules import ModuleScopes, parameter_module


def _mlp():
    torch.manual_seed(0)
    return torch.nn.Sequential(torch.nn.Linear(3, 4), torch.nn.ReLU(), torch.nn.Linear(4, 1))


def test_each_node_belongs_to_the_module_call_that_made_it():
    snap = gradviz.snapshot(_mlp(), torch.randn(2, 3), loss_fn=lambda o: o.pow(2).mean())
    by_op = {}
    for node in snap.nodes:
        if node.kind == "function" and node.op != "AccumulateGrad":
            by_op.setdefault(node.op, set()).add(node.module)
    assert by_op["AddmmBackward0"] == {"0", "2"}
    assert by_op["ReluBackward0"] == {"1"}
    assert by_op["MeanBackward0"] == {None} and by_op["PowBackward0"] == {None}  # the loss
    leaves = {n.variable: n.module for n in snap.nodes if n.kind == "leaf"}
    assert leaves == {"0.weight": "0", "0.bias": "0", "2.weight": "2", "2.bias": "2"}
    assert snap.meta["modules"] == {"0": "Linear", "1": "ReLU", "2": "Linear"}


def test_layout_draws_a_box_around_each_module_and_its_nodes_inside():
    snap = gradviz.snapshot(_mlp(), torch.randn(2, 3), loss_fn=lambda o: o.pow(2).mean())
    boxes = {c.name: c for c in snap.layout.clusters}
    assert set(boxes) == {"0", "1", "2"}
    assert boxes["0"].label == "0 (Linear)"
    for node in snap.nodes:
        if node.module:
            x0, y0, x1, y1 = boxes[node.module].bbox
            box = snap.layout.nodes[node.id]
            assert x0 <= box.x <= x1 and y0 <= box.y <= y1, node.id


def test_nested_modules_give_nested_boxes_and_the_innermost_wins():
    torch.manual_seed(0)
    layer = torch.nn.TransformerEncoderLayer(d_model=8, nhead=2, dim_feedforward=16, dropout=0.0)
    model = torch.nn.TransformerEncoder(layer, num_layers=2, enable_nested_tensor=False)
    snap = gradviz.snapshot(model, torch.randn(3, 1, 8), loss_fn=lambda o: o.sum())
    modules = {n.module for n in snap.nodes if n.module}
    assert {"layers.0.self_attn", "layers.1.linear1", "layers.0.norm2"} <= modules
    names = {c.name for c in snap.layout.clusters}
    assert {"layers", "layers.0", "layers.0.self_attn"} <= names  # parents of used modules


def test_without_a_module_there_are_no_boxes():
    x = torch.tensor(2.0, requires_grad=True)
    snap = gradviz.snapshot(x * x, params={"x": x})
    assert snap.layout.clusters == [] and all(n.module is None for n in snap.nodes)


def test_grouping_can_be_turned_off():
    snap = gradviz.snapshot(_mlp(), torch.randn(2, 3), loss_fn=lambda o: o.sum(),
                            group_modules=False)
    assert snap.layout.clusters == []
    assert any(n.module for n in snap.nodes)  # still known, just not drawn


def test_scopes_leave_no_global_hook_behind():
    model = _mlp()
    with ModuleScopes(model) as scopes:
        model(torch.randn(1, 3))
    assert len(scopes.spans) == 3
    with ModuleScopes(model) as again:
        pass
    model(torch.randn(1, 3))
    assert again.spans == []  # its hooks were removed on exit
    assert parameter_module("layers.0.linear1.weight") == "layers.0.linear1"
    assert parameter_module("weight") is None


def test_collapsing_a_module_keeps_every_step_and_gradient():
    from gradviz.core.graph.collapse import collapse_modules, module_node_id
    from gradviz.core.layout.snapshot_layout import layout_snapshot

    snap = gradviz.snapshot(_mlp(), torch.randn(2, 3), loss_fn=lambda o: o.pow(2).mean())
    small = collapse_modules(snap, ["0"])
    box = module_node_id("0")
    assert box in {n.id for n in small.nodes}
    assert len(small.nodes) < len(snap.nodes)
    assert not any(n.module == "0" for n in small.nodes if n.id != box)
    assert len(small.steps) == len(snap.steps)  # every step still replays, on the box
    assert {s.node for s in small.steps} >= {box}
    assert small.variable("0.weight").node == box
    assert small.variable("0.weight").grad == snap.variable("0.weight").grad
    assert not any(e.source == e.target for e in small.edges)
    ids = {n.id for n in small.nodes}
    assert all(e.source in ids and e.target in ids for e in small.edges)
    small.layout = layout_snapshot(small)
    assert box in small.layout.nodes
    assert snap.layout is not None and len(snap.nodes) > len(small.nodes)  # original untouched
    again = collapse_modules(snap, [])
    assert [n.id for n in again.nodes] == [n.id for n in snap.nodes]


def _modules_of(snap) -> dict:
    return {(n.op, n.variable): n.module for n in snap.nodes if n.kind != "saved"}


def test_a_script_and_lesson_code_group_modules_as_the_api_does(tmp_path):
    from gradviz.core.runtime.jobs import snapshot_from_code, snapshot_from_script
    from gradviz.core.runtime.options import BuildOptions

    code = ("import torch\ntorch.manual_seed(0)\n"
            "model = torch.nn.Sequential(torch.nn.Linear(3, 4), torch.nn.ReLU(), "
            "torch.nn.Linear(4, 1))\noutput = model(torch.randn(2, 3)).sum()\nparams = model\n")
    script = tmp_path / "mlp.py"
    script.write_text(code)
    options = BuildOptions(layout=False)
    torch.manual_seed(0)
    model = _mlp()
    api = gradviz.snapshot(model, torch.randn(2, 3), loss_fn=lambda o: o.sum(), layout=False)
    for snap in (snapshot_from_script(str(script), options=options),
                 snapshot_from_code(code, "MLP", options=options)):
        assert snap.meta["modules"] == {"0": "Linear", "1": "ReLU", "2": "Linear"}
        assert _modules_of(snap) == _modules_of(api)
        assert {"0", "1", "2"} <= set(_modules_of(snap).values())
