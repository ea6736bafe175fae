"""One export table: the CLI, the API, the headless exporter and the window's File menu
accept and refuse the same suffixes and steps, with the same message."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QMessageBox
from snapshots import seed_snapshot

import gradviz
from gradviz import cli
from gradviz.core.errors import InputError
from gradviz.core.runtime.export_options import FORMATS, ExportOptions, export_format, parse_step
from gradviz.ui.export.file_export import export_snapshot

SEED = ["5*x**3 + 2*x**2 + 4*x + 8", "--var", "x=2.0"]
BAD_SUFFIXES = [".txt", ".jpg", ".htm", ".PNGX"]


@pytest.fixture(scope="module")
def seed():
    return seed_snapshot()


def _message(run) -> str:
    with pytest.raises(InputError) as info:
        run()
    return info.value.message


def test_the_table_is_the_documented_list():
    assert sorted(FORMATS) == sorted([".json", ".dot", ".png", ".svg", ".pdf", ".gif", ".html"])
    assert export_format("A.PNG") == "image" and export_format("x.gif") == "animation"


@pytest.mark.parametrize("suffix", BAD_SUFFIXES)
def test_every_surface_refuses_a_suffix_with_one_message(suffix, tmp_path, capsys, seed):
    out = tmp_path / f"graph{suffix}"
    expected = _message(lambda: export_format(out))
    assert suffix.lower() in expected and ".html" in expected
    assert _message(lambda: gradviz.export(seed_tensor(), out)) == expected
    assert cli.main(["export", *SEED, "-o", str(out)]) == 2
    assert expected in capsys.readouterr().err
    drawn = _message(lambda: export_snapshot(seed, out))  # the headless drawer's own subset
    assert suffix.lower() in drawn
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("step, code", [("12", "bad_step"), ("-1", "bad_step_text"),
                                        ("two", "bad_step_text")])
def test_every_surface_refuses_a_step_with_one_message(step, code, tmp_path, capsys, seed):
    total = len(seed.steps)
    with pytest.raises(InputError) as info:
        parse_step(step, total)
    assert info.value.code == code
    expected = info.value.message
    out = tmp_path / "graph.png"
    assert _message(lambda: export_snapshot(seed, out, step=step)) == expected
    assert _message(lambda: gradviz.export(seed_tensor(), out, step=step)) == expected
    assert cli.main(["export", *SEED, "--step", step, "-o", str(out)]) == 2
    err = capsys.readouterr().err
    assert expected in err and "--step" in err  # the CLI adds its flag
    assert "--" not in expected  # the sentence itself names no flag


@pytest.mark.parametrize("good", [None, "last", "0", 3, "9"])
def test_every_surface_accepts_the_same_steps(good, seed):
    assert ExportOptions(step=good).image_step(len(seed.steps)) in range(len(seed.steps) + 1)


def test_the_window_refuses_a_suffix_with_the_same_message(qtbot, tmp_path, monkeypatch, seed):
    from gradviz.ui.export import export_actions

    shown = []
    monkeypatch.setattr(export_actions, "message_box",
                        lambda icon, title, text, *a: shown.append(text) or _Box())
    actions = export_actions.ExportActions(_Window(seed))
    assert actions.write(tmp_path / "graph.txt") is None
    expected = _message(lambda: export_format(tmp_path / "graph.txt"))
    assert len(shown) == 1 and expected in shown[0]
    for suffix, magic in ((".json", b"{"), (".dot", b"digraph")):
        target = tmp_path / f"graph{suffix}"
        assert actions.write(target) == target and target.read_bytes().startswith(magic)


def seed_tensor():
    import torch

    x = torch.tensor(2.0, requires_grad=True)
    return 5 * x**3 + 2 * x**2 + 4 * x + 8


class _Box:
    def exec(self) -> int:
        return QMessageBox.StandardButton.Ok


class _Window:
    """What ExportActions reads of the window: the scene, settings and the status bar."""

    def __init__(self, snapshot) -> None:
        from gradviz.ui.export.images import ensure_app
        from gradviz.ui.graph.scene import GraphScene

        ensure_app()
        scene = GraphScene(snapshot, "light")
        self.graph = type("G", (), {"view": type("V", (), {"graph_scene": lambda s: scene})()})()
        self.settings = type("S", (), {"set_last_dir": lambda s, d: None})()
        bar = type("B", (), {"showMessage": lambda s, *a: None})()
        self.statusBar = lambda: bar


def test_every_surface_refuses_an_out_of_range_option_alike(tmp_path, capsys):
    expected = _message(lambda: ExportOptions(scale=5))
    out = tmp_path / "graph.png"
    assert _message(lambda: gradviz.export(seed_tensor(), out, scale=5)) == expected
    assert cli.main(["export", *SEED, "--scale", "5", "-o", str(out)]) == 2
    err = capsys.readouterr().err
    assert expected in err and "(--scale)" in err and "--" not in expected
    assert list(tmp_path.iterdir()) == []
