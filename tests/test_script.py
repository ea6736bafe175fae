"""User scripts: what they may define, how they fail, and how the worker reports it."""

from __future__ import annotations

import contextlib
import textwrap

import pytest
import torch
import worker_targets
from leak_guard import module_worker

from gradviz.core.errors import InputError
from gradviz.core.runtime.script import ScriptResult, run_script, user_traceback
from gradviz.core.runtime.worker import WorkerError

RUN = worker_targets.run_script

MLP = """
    import torch
    torch.manual_seed(0)
    model = torch.nn.Sequential(torch.nn.Linear(3, 4), torch.nn.Tanh(), torch.nn.Linear(4, 1))
    x = torch.tensor([[1.0, -2.0, 0.5], [0.0, 1.0, 2.0]])
    output = ((model(x) - 1.0) ** 2).mean()
    params = model
"""


worker = module_worker(2.0)  # one evaluation worker for the module


def write(tmp_path, text: str, name: str = "script.py"):
    path = tmp_path / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def run_failing(worker, path) -> WorkerError:
    worker.wait_ready()
    with pytest.raises(WorkerError) as info:
        worker.run(RUN, {"path": str(path)})
    return info.value


def input_error(path) -> InputError:
    with pytest.raises(InputError) as info:
        run_script(path)
    return info.value


def test_mlp_with_module_params_matches_pytorch(tmp_path, worker):
    path = write(tmp_path, MLP)
    result = worker.run(RUN, {"path": str(path)})
    torch.manual_seed(0)
    model = torch.nn.Sequential(torch.nn.Linear(3, 4), torch.nn.Tanh(), torch.nn.Linear(4, 1))
    x = torch.tensor([[1.0, -2.0, 0.5], [0.0, 1.0, 2.0]])
    loss = ((model(x) - 1.0) ** 2).mean()
    grads = torch.autograd.grad(loss, list(model.parameters()))
    assert result["outputs"] == [pytest.approx(loss.item())]
    assert list(result["grads"]) == [name for name, _ in model.named_parameters()]
    for got, want in zip(result["grads"].values(), grads, strict=True):
        assert torch.allclose(torch.tensor(got), want)


def test_build_form_with_params(tmp_path):
    path = write(
        tmp_path,
        """
        import torch
        def build():
            x = torch.tensor(2.0, requires_grad=True)
            return 5 * x**3 + 2 * x**2 + 4 * x + 8, {"x": x}
    """,
    )
    result = run_script(path)
    assert isinstance(result, ScriptResult) and result.path == str(path.resolve())
    assert result.outputs[0].item() == 64
    result.outputs[0].backward()
    assert result.params["x"].grad.item() == 72


def test_build_form_with_several_outputs(tmp_path):
    path = write(
        tmp_path,
        """
        import torch
        w = torch.ones(2, requires_grad=True)
        def build():
            return (w * 2).sum(), (w * 3).sum()
    """,
    )
    result = run_script(path)
    assert [out.item() for out in result.outputs] == [4, 6] and result.params == {}


def test_record_is_entered_around_the_script(tmp_path):
    path = write(tmp_path, "import torch\noutput = torch.ones(1, requires_grad=True) * 2\n")
    events = []

    @contextlib.contextmanager
    def record():
        events.append("enter")
        yield
        events.append("exit")

    run_script(path, record=record())
    assert events == ["enter", "exit"]


def test_script_state_is_restored_and_helpers_are_reread(tmp_path):
    write(tmp_path, "SCALE = 2\n", name="helper_mod.py")
    path = write(
        tmp_path,
        """
        import torch, helper_mod
        torch.set_grad_enabled(True)
        torch.set_default_dtype(torch.float64)
        output = torch.ones(1, requires_grad=True) * helper_mod.SCALE
    """,
    )
    assert run_script(path).outputs[0].item() == 2
    assert torch.get_default_dtype() == torch.float32
    write(tmp_path, "SCALE = 5\n", name="helper_mod.py")
    assert run_script(path).outputs[0].item() == 5


def test_hanging_script_times_out(tmp_path, worker):
    error = run_failing(worker, write(tmp_path, "while True: pass\n"))
    assert error.kind == "timeout"


def test_os_exit_script_crashes(tmp_path, worker):
    error = run_failing(worker, write(tmp_path, "import os\nos._exit(1)\n"))
    assert error.kind == "crash" and error.details["exitcode"] == 1


def test_huge_list_script_is_a_memory_error(tmp_path, worker):
    error = run_failing(worker, write(tmp_path, "print('start')\nx = [0] * 10**10\n"))
    assert error.kind == "memory"
    assert error.details["output"] == "start\n"
    assert 'script.py", line 2' in error.details["traceback"]


def test_ctypes_null_read_script_crashes(tmp_path, worker):
    error = run_failing(worker, write(tmp_path, "import ctypes\nctypes.string_at(0)\n"))
    assert error.kind == "crash" and error.details["signal"] == "SIGSEGV"


def test_raising_script_shows_only_the_users_frames(tmp_path, worker):
    write(tmp_path, "def check(v):\n    raise ValueError(f'bad value {v}')\n", name="checks.py")
    path = write(
        tmp_path,
        """
        import torch
        from checks import check

        def helper(v):
            check(v)

        helper(3)
    """,
    )
    error = run_failing(worker, path)
    assert error.kind == "script_error"
    assert error.message == "ValueError: bad value 3"
    tb = error.details["traceback"]
    assert f'"{path.resolve()}", line 8' in tb and f'"{path.resolve()}", line 6' in tb
    assert "checks.py" in tb and tb.rstrip().endswith("ValueError: bad value 3")
    assert "gradviz" not in tb and "worker_targets" not in tb and "runpy" not in tb


def test_torch_error_traceback_skips_torch_frames(tmp_path):
    path = write(
        tmp_path,
        """
        import torch
        layer = torch.nn.Linear(3, 2)
        output = layer(torch.ones(4))
    """,
    )
    with pytest.raises(RuntimeError) as info:
        run_script(path)
    tb = user_traceback(info.value, path)
    assert tb.count('File "') == 1 and "line 4" in tb and "site-packages" not in tb


def test_sys_exit_is_a_script_error(tmp_path, worker):
    error = run_failing(worker, write(tmp_path, "import sys\nsys.exit(3)\n"))
    assert error.kind == "script_error" and "sys.exit(3)" in error.message


def test_script_without_output(tmp_path, worker):
    path = write(tmp_path, "import torch\nx = torch.ones(1)\n")
    assert input_error(path).code == "script_no_output"
    with pytest.raises(InputError, match=r"output = <tensor>.*build\(\)") as info:
        worker.run(RUN, {"path": str(path)})
    assert info.value.code == "script_no_output"


def test_syntax_error_gives_line_and_column(tmp_path):
    error = input_error(write(tmp_path, "import torch\noutput = (1 +\n"))
    assert error.code == "script_syntax"
    assert error.params["line"] == 2 and "line 2, column" in error.message


def test_missing_file(tmp_path):
    error = input_error(tmp_path / "nope.py")
    assert error.code == "script_not_found" and "nope.py" in error.message


def test_directory_is_unreadable(tmp_path):
    assert input_error(tmp_path).code == "script_unreadable"


def test_non_utf8_file_is_unreadable(tmp_path):
    path = tmp_path / "latin.py"
    path.write_bytes("# caf\xe9\noutput = 1\n".encode("latin-1"))
    error = input_error(path)
    assert error.code == "script_not_utf8" and "UTF-8" in error.message


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("output = 3\n", "script_bad_output"),
        ("output = []\n", "script_empty_output"),
        ("import torch\noutput = torch.ones(2)\n", "script_no_grad"),
        (
            "import torch\noutput = torch.ones(1, requires_grad=True) * 2\nparams = [1]\n",
            "script_bad_params",
        ),
    ],
)
def test_bad_output_or_params(tmp_path, text, code):
    assert input_error(write(tmp_path, text)).code == code


def test_memory_cap_stops_a_big_tensor(tmp_path, worker):
    # 8 GiB of float32: the system would hand it out lazily; the 4 GiB cap refuses it.
    error = run_failing(worker, write(tmp_path, "import torch\nx = torch.empty(2**31)\n"))
    assert error.kind == "memory" and "4 GiB" in error.message
