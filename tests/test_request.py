"""One request: the window builds the same worker job as ``gradviz export`` (issue 13)."""

from __future__ import annotations

import pytest

from gradviz.cli_args import app_parser, build_parser
from gradviz.core.request import payload_from_args, worker_memory

FUNCTION = ["sin(x*y)", "--var", "x=1.5", "--const", "y=-2", "--dtype", "float64",
            "--seed", "3", "--rankdir", "LR", "--runs", "2"]


@pytest.mark.parametrize("device", ["cpu", "cpu:0", "cuda:1"])
def test_the_window_asks_for_what_export_asks_for(qapp, device):
    from gradviz.ui.tasks import BuildRunner

    flags = [*FUNCTION, "--device", device]
    window_args = app_parser().parse_args(flags)
    export_args = build_parser().parse_args([*flags, "-o", "f.json"])
    runner = BuildRunner(window_args, worker=object())  # never started: no process
    typed = runner.payload("sin(x*y)", ["x=1.5"], ["y=-2"])
    assert typed == payload_from_args(export_args) == payload_from_args(window_args)
    assert typed["device"] == device
    assert worker_memory(window_args) == worker_memory(export_args)
    assert (worker_memory(window_args) is None) == device.startswith("cuda")
