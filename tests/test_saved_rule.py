"""Saved tensors by default: one rule (core.saved_rule) for the API, the CLI and the window."""

import json

import pytest
import torch

import gradviz
from gradviz import cli
from gradviz.core.lens.saved_rule import (
    AUTO_SAVED_LIMIT,
    count_backward_nodes,
    resolve_show_saved,
)
from gradviz.core.runtime.options import BuildOptions


def _chain(ops: int):
    x = torch.tensor(0.5, requires_grad=True)
    y = x
    for i in range(ops):
        y = torch.sin(y) if i % 2 else y * 1.0001
    return x, y


def test_counting_matches_the_graph_and_stops_past_the_limit():
    x, y = _chain(10)
    assert count_backward_nodes([y], stop_after=100) == 11  # 10 ops + AccumulateGrad
    assert count_backward_nodes([y], stop_after=3) == 4
    diamond = x * x + x.exp()  # shared nodes are counted once
    assert count_backward_nodes([diamond], stop_after=100) == 4


@pytest.mark.parametrize("ops, shown", [(AUTO_SAVED_LIMIT - 1, True), (AUTO_SAVED_LIMIT, False)])
def test_the_rule_shows_up_to_the_limit_and_hides_above(ops, shown):
    _, y = _chain(ops)  # ops + 1 backward nodes
    opts, record = resolve_show_saved(BuildOptions(), [y])
    assert opts.show_saved is shown
    assert record == {"shown": shown, "auto": True, "limit": AUTO_SAVED_LIMIT,
                      "backward_nodes": ops + 1}


@pytest.mark.parametrize("given", [True, False])
def test_an_explicit_choice_wins(given):
    _, y = _chain(AUTO_SAVED_LIMIT + 10)
    opts, record = resolve_show_saved(BuildOptions(show_saved=given), [y])
    assert opts.show_saved is given and record["auto"] is False and record["shown"] is given


def test_api_export_hides_them_on_a_big_chain_and_says_so(tmp_path, capsys):
    x, y = _chain(AUTO_SAVED_LIMIT + 100)
    out = gradviz.export(y, tmp_path / "c.json", params={"x": x}, layout=False)
    data = json.loads(out.read_text())
    assert not any(n["kind"] == "saved" for n in data["nodes"])
    assert data["meta"]["saved_tensors"]["shown"] is False
    assert data["meta"]["options"]["show_saved"] is False
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "saved tensors hidden" in err[0] and "show_saved=True" in err[0]


def test_api_keeps_them_on_small_graphs_and_when_asked(tmp_path, capsys):
    x = torch.tensor(2.0, requires_grad=True)
    snap = gradviz.snapshot(torch.sin(x) * x, params={"x": x}, layout=False)
    assert any(n.kind == "saved" for n in snap.nodes)
    x, y = _chain(AUTO_SAVED_LIMIT + 100)
    snap = gradviz.snapshot(y, params={"x": x}, layout=False, show_saved=True)
    assert any(n.kind == "saved" for n in snap.nodes)
    assert snap.meta["saved_tensors"] == {"shown": True, "auto": False,
                                          "limit": AUTO_SAVED_LIMIT}
    assert capsys.readouterr().err == ""


def test_cli_flags_default_to_the_rule():
    parser = cli.build_parser()
    assert parser.parse_args(["-o", "a.json"]).saved is None
    assert parser.parse_args(["-o", "a.json", "--saved"]).saved is True
    assert parser.parse_args(["-o", "a.json", "--no-saved"]).saved is False
    args = parser.parse_args(["x*2", "--var", "x=1", "-o", "a.json"])
    assert cli.request_from_args(args).options.show_saved is None


def test_cli_script_export_says_the_choice_in_one_line(tmp_path, capsys):
    script = tmp_path / "chain.py"
    script.write_text("import torch\nx = torch.tensor(0.5, requires_grad=True)\ny = x\n"
                      f"for i in range({AUTO_SAVED_LIMIT + 100}):\n"
                      "    y = torch.sin(y) if i % 2 else y * 1.0001\n"
                      "output, params = y, {'x': x}\n")
    out = tmp_path / "c.json"
    assert cli.main(["export", "--script", str(script), "-o", str(out), "--indent", "1"]) == 0
    text = out.read_text()
    assert text.startswith('{\n "schema"')
    assert json.loads(text)["meta"]["saved_tensors"]["shown"] is False
    (line,) = capsys.readouterr().err.strip().splitlines()
    assert line.startswith("gradviz: saved tensors hidden") and "--saved" in line
