"""A job never sees what an earlier job did to torch; user code gets a fresh worker."""

from __future__ import annotations

import worker_targets
from leak_guard import module_worker

from gradviz.core.runtime.job import run_build, snapshot_job
from gradviz.core.runtime.request import BuildRequest, Expression, LessonCode, Script

CLEAN = {"anomaly": False, "grad": True, "dtype": "torch.float32", "device": "cpu"}


def target(name: str):
    return getattr(worker_targets, name)


worker = module_worker(20.0)


def test_global_torch_state_is_reset_before_each_job(worker):
    assert worker.run(target("pollute"), {}) == "polluted"
    assert worker.run(target("torch_state"), {}) == CLEAN
    assert worker.run(target("pollute"), {}) == "polluted"
    snapshot = worker.run(snapshot_job, BuildRequest(Expression("x*x*3", ["x=2"])))
    assert snapshot.output.value == 12.0 and snapshot.variable("x").grad == 12.0
    assert snapshot.output.dtype == "float32"


def test_user_code_gets_a_fresh_worker_typed_functions_a_warm_one(worker, tmp_path):
    script = tmp_path / "script.py"
    script.write_text("import torch\ntorch.autograd.set_detect_anomaly(True)\n"
                      "x = torch.tensor(2.0, requires_grad=True)\noutput = x * x\n"
                      "params = {'x': x}\n")
    worker.wait_ready()
    pid = worker.pid
    run_build(BuildRequest(Expression("x*x", ["x=1"]), timeout=20), worker=worker)
    assert worker.pid == pid  # typed functions keep the warm one
    snapshot = run_build(BuildRequest(Script(str(script)), timeout=20), worker=worker)
    assert snapshot.variable("x").grad == 4.0
    assert worker.pid != pid
    code = LessonCode("import torch\nx = torch.tensor(3.0, requires_grad=True)\noutput = x * x\n"
                      "params = {'x': x}", "t")
    pid = worker.pid
    assert run_build(BuildRequest(code, timeout=20), worker=worker).variable("x").grad == 6.0
    assert worker.pid != pid
