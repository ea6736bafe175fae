"""A big graph's export folds its repeated layers (core.layout.fold_layout), as the window
opens it: pictures by default, data (JSON, DOT) only when asked; the gradients it shows
are PyTorch's and its step numbering is the full graph's."""

import json

import pytest
import torch
from PIL import Image
from test_folding import _penalty, _stack

import gradviz
from gradviz import export_file
from gradviz.core.layout import fold_layout
from gradviz.replay import groups
from gradviz.replay.state import state_at

# A script with the same stacked model as test_folding's _stack and its gradient penalty.
SCRIPT = '''
import torch
from torch import nn


class Layer(nn.Module):
    def __init__(self, dim, hidden):
        super().__init__()
        self.up, self.gate = nn.Linear(dim, hidden), nn.Linear(dim, hidden)
        self.down = nn.Linear(hidden, dim)

    def forward(self, x):
        h = x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + 1e-6)
        return x + self.down(nn.functional.silu(self.gate(h)) * self.up(h))


class Stack(nn.Module):
    def __init__(self):
        super().__init__()
        self.layers = nn.ModuleList([Layer(3, 5) for _ in range(4)])
        self.head = nn.Linear(3, 2)

    def forward(self, x):
        for layer in self.layers:
            x = layer(x)
        return self.head(x)


torch.manual_seed(0)
model = Stack()
inp = torch.randn(2, 3, requires_grad=True)
out = model(inp)
loss = out.pow(2).mean()
(g,) = torch.autograd.grad(loss, inp, create_graph=True)
output = loss + g.pow(2).sum()
params = model
'''


@pytest.fixture
def low_threshold(monkeypatch):
    """The stacked model's graph (~300 nodes) counts as big."""
    monkeypatch.setattr(fold_layout, "FOLD_FROM", 50)


@pytest.fixture
def written(monkeypatch):
    """The Snapshots the exports wrote (the one writer of the CLI and the API)."""
    seen = []
    real = export_file.write_export

    def spy(snapshot, out, options):
        seen.append(snapshot)
        return real(snapshot, out, options)

    monkeypatch.setattr(export_file, "write_export", spy)
    return seen


def _reference():
    """The script's parameters' gradients, by torch.autograd.grad."""
    space = {}
    exec(SCRIPT, space)  # noqa: S102 (the test's own script)
    model = space["model"]
    names, tensors = zip(*model.named_parameters())
    return dict(zip(names, torch.autograd.grad(space["output"], tensors)))


def _width(snapshot):
    x0, _, x1, _ = snapshot.layout.bbox
    return x1 - x0


def _assert_torch_grads(snapshot, expected, step=None):
    total = len(snapshot.steps)
    shown = state_at(snapshot, total if step is None else step).grads
    for name, grad in expected.items():
        assert torch.allclose(torch.tensor(shown[name]), grad, atol=1e-6), name
        assert torch.allclose(torch.tensor(snapshot.variable(name).grad), grad, atol=1e-6), name


def test_the_cli_folds_a_big_graphs_picture_and_says_so(cli, tmp_path, low_threshold, written):
    script = tmp_path / "stack.py"
    script.write_text(SCRIPT)
    png = tmp_path / "folded.png"
    result = cli("export", "--script", script, "-o", png)
    assert result.returncode == 0, result.stderr
    (picture,) = written
    assert picture.meta["fold_level"] == "folded"
    total = picture.meta["fold_nodes"]
    assert total >= 50 and len(picture.nodes) < total / 2
    notes = [line for line in result.stderr.splitlines() if "big graph" in line]
    assert notes == [f"gradviz: big graph ({total:,} nodes): repeated layers folded (Layer ×3), "
                     f"{len(picture.nodes)} nodes shown (--no-fold lays out every node)"]
    assert any(n.id.startswith("f:layers.") for n in picture.nodes)
    assert set(picture.layout.nodes) == {n.id for n in picture.nodes}
    _assert_torch_grads(picture, _reference())
    assert Image.open(png).width > 0

    result = cli("export", "--script", script, "-o", tmp_path / "full.svg", "--no-fold")
    assert result.returncode == 0 and "big graph" not in result.stderr
    full = written[-1]
    assert "fold_level" not in full.meta and len(full.nodes) == total
    assert set(full.layout.nodes) == {n.id for n in full.nodes}  # every node laid out
    assert _width(full) > 2 * _width(picture)
    # the folded picture keeps every step: the same numbering, the same gradients
    assert len(picture.steps) == len(full.steps)
    assert [s.node for s in full.steps] != [s.node for s in picture.steps]


def test_the_cli_keeps_the_full_graph_in_json_unless_asked(cli, tmp_path, low_threshold):
    script = tmp_path / "stack.py"
    script.write_text(SCRIPT)
    full, folded = tmp_path / "full.json", tmp_path / "folded.json"
    result = cli("export", "--script", script, "-o", full)
    assert result.returncode == 0 and "big graph" not in result.stderr
    data = json.loads(full.read_text())
    assert data["meta"]["graph_level"] == "full" and "fold_level" not in data["meta"]
    result = cli("export", "--script", script, "-o", folded, "--fold")
    assert result.returncode == 0 and "repeated layers folded" in result.stderr
    small = json.loads(folded.read_text())
    assert small["meta"]["graph_level"] == "folded"
    assert small["meta"]["fold_nodes"] == len(data["nodes"]) > len(small["nodes"])
    assert len(small["steps"]) == len(data["steps"])


def test_steps_and_gif_frames_of_a_folded_export_keep_the_full_numbering(
        cli, tmp_path, low_threshold, written):
    script = tmp_path / "stack.py"
    script.write_text(SCRIPT)
    result = cli("export", "--script", script, "-o", tmp_path / "s.png", "--step", "7")
    assert result.returncode == 0, result.stderr
    picture = written[-1]
    total = len(picture.steps)
    assert f"step 7/{total}" in result.stdout
    full = fold_layout.base_of(picture)
    assert len(full.steps) == total and full.layout is None
    assert state_at(picture, 7).grads == state_at(full, 7).grads
    assert [s.variable for s in picture.steps] == [s.variable for s in full.steps]
    result = cli("export", "--script", script, "-o", tmp_path / "all.gif", "--scale", "1")
    assert result.returncode == 0, result.stderr
    assert written[-1].meta["fold_level"] == "folded"
    stops = groups.stops(written[-1])  # a block's run of steps: one frame, as the window
    assert len(stops) < total + 1 and stops[0] == 0 and stops[-1] == total
    assert f"{len(stops)} frames" in result.stdout


def test_the_api_folds_pictures_by_default_and_fold_false_lays_out_all(
        tmp_path, low_threshold, written, capsys):
    model = _stack()
    inp = torch.randn(2, 3, requires_grad=True)
    gradviz.export(model, tmp_path / "f.png", inp, loss_fn=_penalty(inp), scale=1)
    picture = written[-1]
    assert picture.meta["fold_level"] == "folded"
    assert "(fold=False lays out every node)" in capsys.readouterr().err
    names, tensors = zip(*model.named_parameters())
    expected = dict(zip(names, torch.autograd.grad(_penalty(inp)(model(inp)), tensors)))
    _assert_torch_grads(picture, expected)
    gradviz.export(model, tmp_path / "u.png", inp, loss_fn=_penalty(inp), scale=1, fold=False)
    assert "fold_level" not in written[-1].meta
    assert "big graph" not in capsys.readouterr().err
    gradviz.export(model, tmp_path / "d.json", inp, loss_fn=_penalty(inp))
    assert json.loads((tmp_path / "d.json").read_text())["meta"]["graph_level"] == "full"
    gradviz.export(model, tmp_path / "f.json", inp, loss_fn=_penalty(inp), fold=True)
    assert json.loads((tmp_path / "f.json").read_text())["meta"]["graph_level"] == "folded"


def test_below_the_threshold_nothing_is_folded(tmp_path, written, capsys):
    model = _stack()
    inp = torch.randn(2, 3, requires_grad=True)
    gradviz.export(model, tmp_path / "f.svg", inp, loss_fn=_penalty(inp))
    assert "fold_level" not in written[-1].meta
    assert "big graph" not in capsys.readouterr().err
