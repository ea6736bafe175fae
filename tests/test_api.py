"""The Python API on tensors, callables and modules; the user's tensors stay untouched."""

import json

import pytest
import torch

import gradviz
from gradviz.core.snapshot import Snapshot


def _seed():
    x = torch.tensor(2.0, requires_grad=True)
    return x, 5 * x**3 + 2 * x**2 + 4 * x + 8


def test_import_gradviz_is_cheap():
    import subprocess
    import sys

    code = "import sys, gradviz; print('torch' in sys.modules, 'PySide6' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.stdout.split() == ["False", "False"]


def test_snapshot_of_a_tensor():
    x, y = _seed()
    snap = gradviz.snapshot(y, params={"x": x}, layout=False)
    assert snap.variable("x").grad == 72.0 and x.grad is None


def test_snapshot_of_a_callable_names_leaves_after_arguments():
    def neuron(w, x, b):
        return torch.sigmoid(w * x + b)

    w = torch.tensor(0.5, requires_grad=True)
    b = torch.tensor(-1.0, requires_grad=True)
    snap = gradviz.snapshot(neuron, w, torch.tensor(2.0), b, layout=False)
    assert [v.name for v in snap.variables] == ["w", "x", "b"]
    assert (snap.variable("x").requires_grad, snap.variable("x").grad) == (False, None)
    expected = torch.autograd.grad(neuron(w, torch.tensor(2.0), b), [w, b])
    assert snap.variable("w").grad == pytest.approx(expected[0].item())
    assert snap.variable("b").grad == pytest.approx(expected[1].item())
    # values recorded on intermediate nodes (the callable ran under the recorder)
    assert all(n.value is not None for n in snap.nodes if n.kind == "function"
               and n.op != "AccumulateGrad")


def test_snapshot_of_a_module_uses_named_parameters():
    torch.manual_seed(0)
    model = torch.nn.Sequential(torch.nn.Linear(3, 4), torch.nn.ReLU(), torch.nn.Linear(4, 2))
    before = {n: p.detach().clone() for n, p in model.named_parameters()}
    snap = gradviz.snapshot(model, torch.randn(5, 3), loss_fn=lambda out: out.pow(2).mean(),
                            layout=False)
    assert [v.name for v in snap.variables] == ["0.weight", "0.bias", "2.weight", "2.bias"]
    assert all(p.grad is None for p in model.parameters())
    assert all(torch.equal(before[n], p) for n, p in model.named_parameters())


def test_keep_grad_leaves_the_gradient():
    x, y = _seed()
    gradviz.snapshot(y, params={"x": x}, keep_grad=True, layout=False)
    assert x.grad.item() == 72.0


def test_record_puts_values_on_intermediate_nodes():
    x = torch.tensor(2.0, requires_grad=True)
    with gradviz.record() as rec:
        y = torch.exp(x) * torch.sin(x)
    snap = rec.snapshot(y, params={"x": x}, layout=False)
    values = {n.op: n.value for n in snap.nodes if n.kind == "function"}
    assert values["ExpBackward0"] == pytest.approx(torch.exp(x).item())
    assert values["SinBackward0"] == pytest.approx(torch.sin(x).item())
    plain = gradviz.snapshot(y, params={"x": x}, layout=False)
    assert all(n.value is None for n in plain.nodes if n.op in ("ExpBackward0", "SinBackward0"))


@pytest.mark.parametrize("suffix", [".json", ".dot", ".png", ".svg", ".pdf", ".gif"])
def test_export_every_format_without_a_display(tmp_path, suffix, qapp):
    x, y = _seed()
    out = gradviz.export(y, tmp_path / f"seed{suffix}", params={"x": x})
    data = out.read_bytes()
    assert data
    if suffix == ".json":
        assert Snapshot.from_json(data.decode()).variable("x").grad == 72.0
    elif suffix == ".pdf":
        assert data.startswith(b"%PDF")
    elif suffix == ".png":
        assert data.startswith(b"\x89PNG")
    elif suffix == ".gif":
        assert data.startswith(b"GIF8")
    assert x.grad is None


def test_export_refuses_unknown_suffix(tmp_path):
    x, y = _seed()
    with pytest.raises(ValueError, match=".json"):
        gradviz.export(y, tmp_path / "seed.txt", params={"x": x})
    assert list(tmp_path.iterdir()) == []


def test_export_json_is_strict(tmp_path):
    x = torch.tensor(0.0, requires_grad=True)
    out = gradviz.export(torch.log(x) * x, tmp_path / "nan.json", params={"x": x})
    json.loads(out.read_text(), parse_constant=lambda c: pytest.fail(c))


@pytest.mark.slow  # a scale test (~10-20 s): CI runs it in its second pytest call
def test_chain_of_5000_ops_exports_to_json_and_png(tmp_path, qapp):
    x = torch.tensor(0.5, requires_grad=True)
    y = x
    for i in range(5000):
        y = torch.sin(y) if i % 2 else y * 1.0001
    (expected,) = torch.autograd.grad(y, [x], retain_graph=True)
    out = gradviz.export(y, tmp_path / "chain.json", params={"x": x}, show_saved=False)
    snap = Snapshot.from_json(out.read_text())
    assert len(snap.steps) == 5001
    assert snap.variable("x").grad == pytest.approx(expected.item(), rel=1e-6)
    png = gradviz.export(y, tmp_path / "chain.png", params={"x": x}, show_saved=False)
    assert png.read_bytes().startswith(b"\x89PNG")
    assert x.grad is None


@pytest.mark.usefixtures("temp_settings")
def test_show_opens_a_window_and_returns_when_it_is_closed(qapp):
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    x, y = _seed()
    seen = []

    def close_it():
        for widget in QApplication.topLevelWidgets():
            if widget.isVisible() and widget.windowTitle():
                seen.append(widget.windowTitle())
                widget.close()

    QTimer.singleShot(500, close_it)
    gradviz.show(y, params={"x": x})  # blocks until closed, like plt.show()
    assert seen and x.grad is None


@pytest.mark.usefixtures("temp_settings")
def test_show_lists_the_models_parameters_not_its_name(qtbot):
    from gradviz.ui.window.main_window import MainWindow

    torch.manual_seed(0)
    model = torch.nn.Sequential(torch.nn.Linear(2, 2), torch.nn.Tanh())
    snap = gradviz.snapshot(model, torch.randn(1, 2), loss_fn=lambda o: o.sum())
    window = MainWindow(snapshot=snap)
    qtbot.addWidget(window)
    assert [row.name for row in window.variables.rows()] == ["0.weight", "0.bias"]
    assert not window.build_button.isEnabled()


def test_a_missing_engine_is_a_warning_naming_the_fallback(monkeypatch):
    from gradviz.core.layout import engines

    real = engines.engine_path("graphviz-pure")
    monkeypatch.setattr(engines, "engine_path", lambda name: real if name != "dot" else None)
    x = torch.tensor(2.0, requires_grad=True)
    with pytest.warns(UserWarning, match="dot is not installed: laid out with graphviz-pure"):
        snap = gradviz.snapshot(x * x, params={"x": x}, engine="dot")
    assert snap.layout.engine == "graphviz-pure"
