"""Tensors on a GPU are captured, traced and shown like on the CPU (values copied)."""

import subprocess
import sys

import pytest
import torch

import gradviz
from gradviz.core.errors import InputError
from gradviz.core.runtime.jobs import snapshot_from_expression
from gradviz.core.runtime.options import BuildOptions

CUDA = torch.cuda.is_available()
needs_cuda = pytest.mark.skipif(not CUDA, reason="no CUDA device here")
SEED = "5*x**3 + 2*x**2 + 4*x + 8"


@needs_cuda
def test_expression_on_cuda_equals_cpu():
    text, variables = "sigmoid(W @ v + b) @ u", ["W=randn(4, 3)", "v=randn(3)", "b=randn(4)",
                                                 "u=randn(4)"]
    opts = BuildOptions(layout=False)
    gpu = snapshot_from_expression(text, variables, seed=0, device="cuda", options=opts)
    cpu = snapshot_from_expression(text, variables, seed=0, device="cpu", options=opts)
    assert [s.op for s in gpu.steps] == [s.op for s in cpu.steps]
    for a, b in zip(gpu.variables, cpu.variables):
        assert a.grad == pytest.approx(b.grad, rel=1e-4, abs=1e-5)
    assert gpu.meta["inputs"]["device"] == "cuda"


@needs_cuda
def test_api_on_cuda_tensors_leaves_them_on_the_gpu(tmp_path):
    x = torch.tensor(2.0, device="cuda", requires_grad=True)
    y = 5 * x**3 + 2 * x**2 + 4 * x + 8
    snap = gradviz.snapshot(y, params={"x": x})
    assert snap.variable("x").grad == 72.0 and x.grad is None and x.is_cuda
    assert gradviz.export(y, tmp_path / "seed.png", params={"x": x}).stat().st_size > 0


@needs_cuda
def test_cli_device_cuda(tmp_path):
    out = tmp_path / "seed.json"
    done = subprocess.run([sys.executable, "-m", "gradviz", "export", SEED, "--var", "x=2.0",
                           "--device", "cuda", "-o", str(out)], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert '"grad": 72.0' in out.read_text()


@pytest.mark.skipif(CUDA, reason="checks the message when CUDA is missing")
def test_missing_cuda_is_a_clear_input_error():
    with pytest.raises(InputError) as err:
        snapshot_from_expression(SEED, ["x=2.0"], device="cuda")
    assert err.value.code == "bad_device" and "CUDA is not available" in err.value.message


def test_unknown_device_is_a_clear_input_error():
    with pytest.raises(InputError) as err:
        snapshot_from_expression(SEED, ["x=2.0"], device="gpu7")
    assert err.value.code == "bad_device"
