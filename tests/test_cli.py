"""The command line: exports, exit codes, one clear line, nothing half-written.

Behaviour is checked in-process through ``cli.main`` with one evaluation
worker for the session (the ``cli`` fixture of conftest.py: a process per test
would import torch each time); a few smoke tests at the end run the real
``python -m gradviz`` command.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from engines_here import need_engine

SEED = "5*x**3 + 2*x**2 + 4*x + 8"

@pytest.fixture
def gradviz(cli):
    """``gradviz(*argv)`` → its exit code, stdout and stderr, run in this process."""
    return cli


def test_export_seed_json(gradviz, tmp_path):
    out = tmp_path / "seed.json"
    done = gradviz("export", SEED, "--var", "x=2.0", "-o", str(out))
    assert done.returncode == 0, done.stderr
    assert (done.stdout, done.stderr) == (f"wrote {out} (15 nodes, 9 steps)\n", "")
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
def test_export_dot_with_each_engine(gradviz, tmp_path, engine):
    need_engine(engine)
    out = tmp_path / "seed.dot"
    done = gradviz("export", SEED, "--var", "x=2.0", "--layout-engine", engine, "-o", str(out))
    assert done.returncode == 0 and done.stderr == "", done.stderr
    text = out.read_text()
    assert text.startswith("digraph {") and "AccumulateGrad" in text
    assert "fillcolor=lightblue" in text
    data = tmp_path / "seed.json"
    assert gradviz("export", SEED, "--var", "x=2.0", "--layout-engine", engine,
                   "-o", str(data)).returncode == 0
    snapshot = json.loads(data.read_text())
    assert snapshot["layout"]["engine"] == engine  # the engine asked for is the one that ran
    assert "layout_warning" not in snapshot["meta"]


def test_a_missing_engine_falls_back_with_a_warning(tmp_path, monkeypatch, capsys):
    from gradviz.cli import main
    from gradviz.core.layout import engines
    from gradviz.core.runtime.worker import EvaluationWorker

    real = engines.engine_path("graphviz-pure")
    # the worker's child lays the graph out: its PATH finds graphviz-pure but no dot
    monkeypatch.setenv("PATH", os.path.dirname(real))
    assert engines.engine_path("dot") is None
    out = tmp_path / "seed.json"
    with EvaluationWorker(timeout=60) as own:
        code = main(["export", SEED, "--var", "x=2", "--layout-engine", "dot", "-o", str(out)],
                    worker=own)
    assert code == 0
    assert capsys.readouterr().err == (
        "gradviz: warning: the layout engine dot is not installed: laid out with graphviz-pure "
        "instead (to get dot: apt-get install graphviz, brew install graphviz, winget install "
        "graphviz)\n")
    data = json.loads(out.read_text())
    assert data["layout"]["engine"] == "graphviz-pure"
    assert data["meta"]["layout_warning"]["requested"] == "dot"


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
def test_bad_input_exits_2_with_one_clear_message(gradviz, tmp_path, args, message):
    out = tmp_path / "out.json"
    done = gradviz("export", *args, "-o", str(out))
    assert done.returncode == 2, done.stderr
    assert done.stderr.startswith("gradviz: error: ")
    assert message in done.stderr
    assert "Traceback" not in done.stderr and done.stdout == ""
    assert not out.exists() and list(tmp_path.iterdir()) == []


def test_unknown_suffix(gradviz, tmp_path):
    done = gradviz("export", SEED, "--var", "x=2", "-o", str(tmp_path / "out.xyz"))
    assert done.returncode == 2 and ".json" in done.stderr


def test_reduce_sum(gradviz, tmp_path):
    out = tmp_path / "v.json"
    done = gradviz("export", "x*v", "--var", "x=2", "--var", "v=[1, 2, 3]", "--reduce", "sum",
                   "-o", str(out))
    assert done.returncode == 0, done.stderr
    data = json.loads(out.read_text())
    assert data["output"]["reduction"] == "sum" and data["output"]["value"] == 12
    assert {v["name"]: v["grad"] for v in data["variables"]} == {"x": 6, "v": [2, 2, 2]}


def test_script_export(gradviz, tmp_path):
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


def test_script_that_raises_shows_the_users_traceback_only(gradviz, tmp_path):
    script = tmp_path / "bad.py"
    script.write_text("import torch\n\ndef f():\n    raise ValueError('my bug')\n\nf()\n")
    done = gradviz("export", "--script", str(script), "-o", str(tmp_path / "o.json"))
    assert done.returncode == 2
    assert "my bug" in done.stderr and "bad.py" in done.stderr
    assert "gradviz/core" not in done.stderr


def test_script_that_hangs_is_stopped(gradviz, tmp_path):
    script = tmp_path / "hang.py"
    script.write_text("while True:\n    pass\n")
    done = gradviz("export", "--script", str(script), "--timeout", "2", "-o",
                   str(tmp_path / "o.json"))
    assert done.returncode == 2 and "2 s" in done.stderr


def test_doctor(gradviz):
    done = gradviz("doctor")
    assert done.returncode == 0
    assert "graphviz-pure (used first)" in done.stdout and "torch" in done.stdout
    assert "dot           (used first)" in gradviz("doctor", "--layout-engine", "dot").stdout


# -- conventions: help, unknown options, usage errors, output folder, one line, -q --------------

@pytest.mark.parametrize("command", [[], ["export"], ["doctor"]])
def test_every_command_has_help_and_rejects_unknown_options(gradviz, command):
    helped = gradviz(*command, "--help")
    assert helped.returncode == 0 and helped.stderr == ""
    assert helped.stdout.startswith("usage: gradviz" + "".join(f" {c}" for c in command))
    required = ["--seed-example", "-o", "never.json"] if command == ["export"] else []
    bad = gradviz(*command, *required, "--bogus")
    assert bad.returncode == 2 and bad.stdout == ""
    assert "unrecognized arguments: --bogus" in bad.stderr


def test_help_says_a_lesson_file_is_accepted(gradviz):
    for command in ([], ["export"]):
        text = " ".join(gradviz(*command, "--help").stdout.split())
        assert "or a lesson file (NAME.gradviz.json" in text


def test_export_without_a_function_is_a_usage_error(gradviz, tmp_path):
    out = tmp_path / "a.json"
    done = gradviz("export", "-o", str(out))
    assert done.returncode == 2 and done.stderr.startswith("gradviz: error: nothing to export")
    assert not out.exists()
    done = gradviz("export", "--seed-example", "-o", str(out))
    assert done.returncode == 0 and json.loads(out.read_text())["variables"][0]["grad"] == 72


def test_a_missing_output_folder_is_not_created(gradviz, tmp_path):
    missing = tmp_path / "no" / "such"
    for output in (missing / "a.png", missing / "a.json", missing / "frames"):
        extra = ["--frames"] if output.name == "frames" else []
        done = gradviz("export", "--seed-example", *extra, "-o", str(output))
        assert done.returncode == 2
        assert done.stderr == f"gradviz: error: folder {str(missing)!r} does not exist " \
                              "(gradviz does not create it)\n"
    assert list(tmp_path.iterdir()) == []


def test_one_line_on_success_unless_quiet(gradviz, tmp_path):
    png, gif = tmp_path / "seed.png", tmp_path / "seed.gif"
    done = gradviz("export", "--seed-example", "--step", "3", "--scale", "2", "-o", str(png))
    from PySide6.QtGui import QImage

    size = QImage(str(png)).size()
    assert done.stdout == f"wrote {png} ({size.width()}×{size.height()}, step 3/9)\n"
    assert size.width() > 100 and done.stderr == ""
    assert gradviz("export", "--seed-example", "-o", str(gif)).stdout.startswith(
        f"wrote {gif} (10 frames, ")
    quiet = gradviz("export", "--seed-example", "-q", "-o", str(tmp_path / "q.json"))
    assert quiet.returncode == 0 and (quiet.stdout, quiet.stderr) == ("", "")
    assert gradviz("-q", "export", "--seed-example", "-o", str(png)).stdout == ""


def test_global_options_before_or_after_the_subcommand(gradviz, tmp_path):
    before, after, light = (tmp_path / f"{n}.png" for n in ("before", "after", "light"))
    assert gradviz("--theme", "dark", "export", "--seed-example", "-o", str(before)).returncode == 0
    assert gradviz("export", "--seed-example", "--theme", "dark", "-o", str(after)).returncode == 0
    assert gradviz("export", "--seed-example", "-o", str(light)).returncode == 0
    assert before.read_bytes() == after.read_bytes() != light.read_bytes()
    # the later one wins; an option the subcommand does not know is refused before it too
    assert gradviz("--theme", "light", "export", "--seed-example", "--theme", "dark",
                   "-o", str(light)).returncode == 0
    assert light.read_bytes() == after.read_bytes()
    bad = gradviz("--var", "x=2", "export", "--seed-example", "-o", str(light))
    assert bad.returncode == 2 and "unrecognized arguments: --var x=2" in bad.stderr


def test_export_a_lesson_and_never_its_code_without_allow_code(gradviz, tmp_path):
    from gradviz.core.lesson.files import lesson_to_json, load_lesson
    from gradviz.ui.base.resources import resource_path

    seed = resource_path("examples", "01-seed-polynomial.gradviz.json")
    out = tmp_path / "seed.json"
    done = gradviz("export", "--lesson", str(seed), "-o", str(out))
    assert done.returncode == 0, done.stderr
    assert json.loads(out.read_text())["variables"][0]["grad"] == 72
    plain = gradviz("export", str(seed), "-o", str(tmp_path / "plain.json"))  # no --lesson
    assert plain.returncode == 0
    same = [json.loads(p.read_text()) for p in (out, tmp_path / "plain.json")]
    for data in same:
        del data["meta"]["timings"]
    assert same[0] == same[1]

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


# -- the real command, in its own process --------------------------------------------------

def command(*args, env=None, timeout=120):
    return subprocess.run([sys.executable, "-m", "gradviz", *args], capture_output=True,
                          text=True, timeout=timeout, env=env)


def test_version():
    done = command("--version")
    assert done.returncode == 0 and done.stdout.startswith("gradviz ")


def test_the_real_command_exports_with_one_line_and_no_noise(tmp_path):
    out = tmp_path / "seed.png"
    done = command("export", SEED, "--var", "x=2.0", "-o", str(out))
    assert done.returncode == 0 and done.stderr == "", done.stderr
    assert done.stdout.startswith(f"wrote {out} (") and done.stdout.endswith(", step 9/9)\n")
    bad = command("export", "x +* 2", "--var", "x=2", "-o", str(out.with_suffix(".json")))
    assert bad.returncode == 2 and bad.stderr.startswith("gradviz: error: Syntax error")
    assert "Traceback" not in bad.stderr and list(tmp_path.iterdir()) == [out]


def test_no_display_is_a_clear_error_and_a_screenshot_still_works(tmp_path):
    env = {k: v for k, v in os.environ.items()
           if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    done = command(env=env, timeout=60)
    assert done.returncode == 2 and "no display" in done.stderr, done.stderr
    shot = tmp_path / "win.png"
    done = command("--screenshot", str(shot), env=env)
    assert done.returncode == 0, done.stderr
    assert "propagateSizeHints" not in done.stderr  # Qt's offscreen noise is filtered
    assert shot.read_bytes().startswith(b"\x89PNG")


def test_export_of_a_lesson_uses_the_lessons_theme(cli, tmp_path):
    """A lesson saved with the dark theme exports dark unless --theme says otherwise."""
    from PySide6.QtGui import QColor, QImage

    from gradviz.ui.base.themes import get_theme

    examples = Path(__file__).resolve().parents[1] / "resources" / "examples"
    lesson = json.loads((examples / "01-seed-polynomial.gradviz.json").read_text("utf-8"))
    lesson.setdefault("view", {})["theme"] = "dark"
    path = tmp_path / "dark.gradviz.json"
    path.write_text(json.dumps(lesson), "utf-8")
    corner = {}
    for name, extra in (("lesson", ()), ("flag", ("--theme", "light"))):
        out = tmp_path / f"{name}.png"
        result = cli("export", "--lesson", path, "-o", out, *extra)
        assert result.returncode == 0, result.stderr
        corner[name] = QImage(str(out)).pixelColor(2, 2).name()
    assert corner["lesson"] == QColor(get_theme("dark").background).name()
    assert corner["flag"] == QColor(get_theme("light").background).name()
