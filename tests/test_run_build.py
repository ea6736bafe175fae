"""run_build: one orchestration; the worker lays out where it built (early layout included)."""

from __future__ import annotations

import os
import stat
import sys

import pytest
from leak_guard import module_worker

from gradviz.core.errors import EngineError
from gradviz.core.layout.snapshot_layout import PREDICTED_FROM
from gradviz.core.runtime.job import STAGES, run_build
from gradviz.core.runtime.request import BuildRequest, Expression, Script
from gradviz.core.runtime.worker import EvaluationWorker

worker = module_worker(60.0)

# a script whose graph is big enough to be laid out while its backward is traced
BIG = f"""import torch
x = torch.tensor(0.5, requires_grad=True)
y = x
for i in range({PREDICTED_FROM}):
    y = torch.sin(y * 1.01)
output = y
params = {{"x": x}}
"""


def test_a_worker_build_reports_its_stages_in_order(worker):
    seen: list[tuple[int, int]] = []
    request = BuildRequest(Expression("5*x**3 + 2*x**2 + 4*x + 8", ("x=2.0",)), timeout=60)
    snapshot = run_build(request, lambda done, total: seen.append((done, total)), worker=worker)
    assert snapshot.output.value == 64.0 and snapshot.layout is not None
    stages = [done for done, _ in seen]
    assert {total for _, total in seen} == {STAGES}
    assert stages == sorted(stages) and stages[0] == 0 and stages[-1] == STAGES
    assert 2 in stages  # laying out: said by the child, while it lays out


def test_a_big_script_is_laid_out_while_its_backward_is_traced(worker, tmp_path):
    script = tmp_path / "big.py"
    script.write_text(BIG)
    snapshot = run_build(BuildRequest(Script(str(script)), timeout=120), worker=worker)
    assert len(snapshot.nodes) >= PREDICTED_FROM
    assert snapshot.meta["timings"].get("layout_overlapped") is True
    assert set(snapshot.layout.nodes) == {n.id for n in snapshot.nodes}


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="a shell script as an engine")
def test_a_failing_layout_engine_in_the_worker_is_an_engine_error(tmp_path, monkeypatch):
    folder = tmp_path / "bin"
    folder.mkdir()
    for name in ("dot", "graphviz-pure"):
        fake = folder / name
        fake.write_text("#!/bin/sh\necho broken >&2\nexit 3\n")
        fake.chmod(fake.stat().st_mode | stat.S_IXUSR)
    monkeypatch.setenv("PATH", f"{folder}{os.pathsep}{os.environ['PATH']}")
    with EvaluationWorker(timeout=60) as own, pytest.raises(EngineError) as info:
        run_build(BuildRequest(Expression("x*x", ("x=2",)), timeout=60), worker=own)
    assert info.value.code == "layout_failed"  # as a layout here would say, with its params
    assert info.value.params["failures"] and "broken" in info.value.format()
