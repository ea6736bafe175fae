"""The command line: exports, exit codes, one clear line, nothing half-written."""

import json
import subprocess
import sys

import pytest

SEED = "5*x**3 + 2*x**2 + 4*x + 8"


def gradviz(*args, timeout=60):
    return subprocess.run([sys.executable, "-m", "gradviz", *args], capture_output=True,
                          text=True, timeout=timeout)


def test_version():
    done = gradviz("--version")
    assert done.returncode == 0 and done.stdout.startswith("gradviz ")


def test_export_seed_json(tmp_path):
    out = tmp_path / "seed.json"
    done = gradviz("export", SEED, "--var", "x=2.0", "-o", str(out))
    assert done.returncode == 0, done.stderr
    data = json.loads(out.read_text())
    assert data["schema"] == "gradviz.snapshot/1"
    assert data["output"]["value"] == 64
    (x,) = data["variables"]
    assert (x["name"], x["grad"]) == ("x", 72)
    assert len(data["steps"]) == 9
    acc = data["steps"][-1]
    assert acc["op"] == "AccumulateGrad" and acc["variable"] == "x"
    assert [c["value"] for c in acc["contributions"]] == [4, 8, 60]
    assert acc["grad_after"] == 72
    assert set(data["layout"]["nodes"]) == {n["id"] for n in data["nodes"]}
    assert list(tmp_path.iterdir()) == [out]  # no temp file left behind


@pytest.mark.parametrize("engine", ["dot", "graphviz-pure"])
def test_export_dot_with_each_engine(tmp_path, engine):
    out = tmp_path / "seed.dot"
    done = gradviz("export", SEED, "--var", "x=2.0", "--layout-engine", engine, "-o", str(out))
    assert done.returncode == 0, done.stderr
    text = out.read_text()
    assert text.startswith("digraph {") and "AccumulateGrad" in text
    assert "fillcolor=lightblue" in text


@pytest.mark.parametrize(
    "args, message",
    [
        (["x*ones(3)", "--var", "x=2"], "ones"),
        (["x*v", "--var", "x=2", "--var", "v=[1, 2, 3]"], "--reduce"),
        (["__import__('os').system('id')"], "not allowed"),
        (["x + y", "--var", "x=1"], "`y`"),
        (["5"], "nothing to differentiate"),
        (["x", "--var", "x=oops"], "oops"),
        (["x*2", "--var", "x=2", "--runs", "0"], "--runs"),
    ],
)
def test_bad_input_exits_2_with_one_clear_message(tmp_path, args, message):
    out = tmp_path / "out.json"
    done = gradviz("export", *args, "-o", str(out))
    assert done.returncode == 2, done.stderr
    assert done.stderr.startswith("gradviz: error: ")
    assert message in done.stderr
    assert "Traceback" not in done.stderr
    assert not out.exists() and list(tmp_path.iterdir()) == []


def test_unknown_suffix(tmp_path):
    done = gradviz("export", SEED, "--var", "x=2", "-o", str(tmp_path / "out.xyz"))
    assert done.returncode == 2 and ".json" in done.stderr


def test_reduce_sum(tmp_path):
    out = tmp_path / "v.json"
    done = gradviz("export", "x*v", "--var", "x=2", "--var", "v=[1, 2, 3]", "--reduce", "sum",
                   "-o", str(out))
    assert done.returncode == 0, done.stderr
    data = json.loads(out.read_text())
    assert data["output"]["reduction"] == "sum" and data["output"]["value"] == 12
    assert {v["name"]: v["grad"] for v in data["variables"]} == {"x": 6, "v": [2, 2, 2]}


def test_script_export(tmp_path):
    script = tmp_path / "mlp.py"
    script.write_text(
        "import torch\n"
        "torch.manual_seed(0)\n"
        "model = torch.nn.Sequential(torch.nn.Linear(3, 4), torch.nn.Tanh(),"
        " torch.nn.Linear(4, 1))\n"
        "output = ((model(torch.randn(5, 3)) - 1) ** 2).mean()\n"
        "params = model\n"
    )
    out = tmp_path / "mlp.json"
    done = gradviz("export", "--script", str(script), "-o", str(out))
    assert done.returncode == 0, done.stderr
    names = [v["name"] for v in json.loads(out.read_text())["variables"]]
    assert names == ["0.weight", "0.bias", "2.weight", "2.bias"]


def test_script_that_raises_shows_the_users_traceback_only(tmp_path):
    script = tmp_path / "bad.py"
    script.write_text("import torch\n\ndef f():\n    raise ValueError('my bug')\n\nf()\n")
    done = gradviz("export", "--script", str(script), "-o", str(tmp_path / "o.json"))
    assert done.returncode == 2
    assert "my bug" in done.stderr and "bad.py" in done.stderr
    assert "gradviz/core" not in done.stderr


def test_script_that_hangs_is_stopped(tmp_path):
    script = tmp_path / "hang.py"
    script.write_text("while True:\n    pass\n")
    done = gradviz("export", "--script", str(script), "--timeout", "2", "-o",
                   str(tmp_path / "o.json"))
    assert done.returncode == 2 and "2 s" in done.stderr


def test_doctor():
    done = gradviz("doctor")
    assert done.returncode == 0
    assert "graphviz-pure" in done.stdout and "torch" in done.stdout


def test_no_display_is_a_clear_error_and_a_screenshot_still_works(tmp_path):
    import os

    env = {k: v for k, v in os.environ.items()
           if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    done = subprocess.run([sys.executable, "-m", "gradviz"], capture_output=True, text=True,
                          env=env, timeout=60)
    assert done.returncode == 2 and "no display" in done.stderr, done.stderr
    shot = tmp_path / "win.png"
    done = subprocess.run([sys.executable, "-m", "gradviz", "--screenshot", str(shot)],
                          capture_output=True, text=True, env=env, timeout=120)
    assert done.returncode == 0, done.stderr
    assert shot.read_bytes().startswith(b"\x89PNG")


def test_export_a_lesson_and_never_its_code_without_allow_code(tmp_path):
    from gradviz.core.lesson import lesson_to_json, load_lesson
    from gradviz.ui.resources import resource_path

    seed = resource_path("examples", "01-seed-polynomial.gradviz.json")
    out = tmp_path / "seed.json"
    done = gradviz("export", "--lesson", str(seed), "-o", str(out))
    assert done.returncode == 0, done.stderr
    assert json.loads(out.read_text())["variables"][0]["grad"] == 72

    marker = tmp_path / "ran"
    mlp = load_lesson(resource_path("examples", "10-small-mlp.gradviz.json"))
    mlp.functions[0].code = f"open({str(marker)!r}, 'w').close()\n" + mlp.functions[0].code
    lesson = tmp_path / "code.gradviz.json"
    lesson.write_text(lesson_to_json(mlp))
    refused = gradviz("export", "--lesson", str(lesson), "-o", str(tmp_path / "m.json"))
    assert refused.returncode == 2 and "--allow-code" in refused.stderr
    assert not marker.exists() and not (tmp_path / "m.json").exists()
    allowed = gradviz("export", "--lesson", str(lesson), "--allow-code", "-o",
                      str(tmp_path / "m.json"))
    assert allowed.returncode == 0, allowed.stderr
    assert marker.exists()
    bad = gradviz("export", "--lesson", str(seed), "--function", "5", "-o", str(out))
    assert bad.returncode == 2 and "--function" in bad.stderr
