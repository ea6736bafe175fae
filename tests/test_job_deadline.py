"""One deadline for the whole job, checked values, and no process left when the job ends."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import time

import pytest

from gradviz import cli
from gradviz.core.runtime.reaper import descendants, mechanism

LINUX = sys.platform.startswith("linux")


def gradviz(*args, timeout=90, env=None):
    return subprocess.run([sys.executable, "-m", "gradviz", *args], capture_output=True,
                          text=True, timeout=timeout, env=env)


def one_line(stderr: str) -> str:
    lines = stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("gradviz: error: "), stderr
    return lines[0]


def alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as handle:
            return handle.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


@pytest.mark.parametrize("flags, words", [
    (["--timeout", "nan"], "--timeout"), (["--timeout", "inf"], "--timeout"),
    (["--timeout", "0"], "--timeout"), (["--timeout", "1e300"], "--timeout"),
    (["--max-memory", "nan"], "--max-memory"), (["--max-memory", "inf"], "--max-memory"),
    (["--max-memory", "1e300"], "--max-memory"), (["--max-memory", "0.1"], "--max-memory"),
    (["--seed", str(2**64)], "--seed"), (["--seed", str(-(2**63) - 1)], "--seed"),
    (["--device", "privateuseone"], "--device"), (["--device", "cpu;rm"], "--device"),
])
def test_bad_run_values_are_exit_2_before_anything_runs(tmp_path, capsys, flags, words):
    out = tmp_path / "out.json"
    assert cli.main(["export", "x*x", "--var", "x=2", "-o", str(out), *flags]) == 2
    assert words in one_line(capsys.readouterr().err)
    assert not out.exists()


def test_bad_run_values_also_stop_the_app(capsys):
    assert cli.main(["x*x", "--timeout", "inf", "--screenshot", "/nonexistent/a.png"]) == 2
    assert "--timeout" in one_line(capsys.readouterr().err)


@pytest.mark.parametrize("make, output, words", [
    (lambda d: (d / "dir.json").mkdir(), "dir.json", "is a folder"),
    (lambda d: (d / "file").write_text("x"), "file/a.png", "is not a folder"),
    (lambda d: None, "missing/deeper/a.png", "does not exist"),
])
def test_bad_output_paths_are_exit_2_and_create_nothing(tmp_path, capsys, make, output, words):
    make(tmp_path)
    before = sorted(p.name for p in tmp_path.iterdir())
    code = cli.main(["export", "x*x", "--var", "x=2", "-o", str(tmp_path / output)])
    assert code == 2 and words in one_line(capsys.readouterr().err)
    assert sorted(p.name for p in tmp_path.iterdir()) == before


def test_frames_onto_a_file_is_exit_2(tmp_path, capsys):
    target = tmp_path / "frames"
    target.write_text("keep")
    code = cli.main(["export", "x*x", "--var", "x=2", "--frames", "-o", str(target)])
    assert code == 2 and "is a file" in one_line(capsys.readouterr().err)
    assert target.read_text() == "keep"


def test_frames_remove_the_stale_frames_of_a_longer_run(tmp_path, cli):
    folder = tmp_path / "frames"
    folder.mkdir()
    for index in range(30):
        (folder / f"frame_{index:03d}.png").write_bytes(b"old")
    (folder / "notes.txt").write_text("mine")
    assert cli("export", "x*x", "--var", "x=2", "--frames", "-o", folder).returncode == 0
    frames = sorted(p.name for p in folder.glob("frame_*.png"))
    assert 2 < len(frames) < 30
    assert frames[-1] == f"frame_{len(frames) - 1:03d}.png"
    assert all((folder / name).read_bytes() != b"old" for name in frames)
    assert (folder / "notes.txt").read_text() == "mine"


@pytest.mark.skipif(not LINUX, reason="a shell script as a fake layout engine")
def test_layout_is_under_the_same_deadline(tmp_path, capsys, monkeypatch):
    """A layout engine that never ends is killed at the job's deadline: exit 2, no file."""
    from gradviz.core.runtime.worker import EvaluationWorker

    folder = tmp_path / "bin"
    folder.mkdir()
    for name in ("dot", "graphviz-pure"):
        fake = folder / name
        fake.write_text("#!/bin/sh\nexec sleep 120\n")
        fake.chmod(fake.stat().st_mode | stat.S_IXUSR)
    # the worker's child lays the graph out: it is started with the fake engines first
    monkeypatch.setenv("PATH", f"{folder}{os.pathsep}{os.environ['PATH']}")
    out = tmp_path / "out.json"
    with EvaluationWorker(timeout=3) as own:
        own.wait_ready()
        start = time.monotonic()
        code = cli.main(["export", "x*x", "--var", "x=2", "--timeout", "3", "--layout-engine",
                         "dot", "-o", str(out)], worker=own)
    assert code == 2
    assert "longer than 3 s" in one_line(capsys.readouterr().err)
    assert time.monotonic() - start < 25  # 3 s and some slack, not 120 s
    assert not out.exists()


ESCAPER = """
import os, sys, time
PIDFILE = {pidfile!r}
child = os.fork()
if child == 0:
    os.setsid()
    if os.fork() == 0:
        with open(PIDFILE + ".tmp", "w") as handle:
            handle.write(str(os.getpid()))
        os.rename(PIDFILE + ".tmp", PIDFILE)
        time.sleep(120)
    os._exit(0)
os.waitpid(child, 0)
while not os.path.exists(PIDFILE):
    time.sleep(0.01)
if {spin!r} == "spin":
    while True:
        pass
if {spin!r} == "crash":
    os._exit(3)
import torch
x = torch.tensor(2.0, requires_grad=True)
output = x * x
"""


@pytest.mark.skipif(not LINUX, reason="PR_SET_CHILD_SUBREAPER and /proc: Linux")
@pytest.mark.parametrize("spin", ["", "spin", "crash"], ids=["finishes", "times-out", "crashes"])
def test_a_grandchild_that_left_the_session_is_gone_when_the_job_ends(tmp_path, cli, spin):
    """A worker that crashed leaves its orphans to the command line, their subreaper: that
    case runs the real command; the others run in this process (the worker reaps)."""
    pidfile = tmp_path / "grandchild.pid"
    script = tmp_path / "escape.py"
    script.write_text(ESCAPER.format(pidfile=str(pidfile), spin=spin))
    out = tmp_path / "out.json"
    timeout = "2" if spin == "spin" else "4"  # a spinning script waits the whole timeout
    args = ("export", "--script", str(script), "--timeout", timeout, "-o", str(out))
    done = gradviz(*args) if spin == "crash" else cli(*args)
    assert done.returncode == (2 if spin else 0), done.stderr
    assert out.exists() != bool(spin)
    pid = int(pidfile.read_text())
    deadline = time.monotonic() + 5
    while alive(pid) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not alive(pid), "the setsid() grandchild outlived the job"


@pytest.mark.skipif(not LINUX, reason="/proc: Linux")
def test_descendants_and_doctor_name_the_mechanism():
    sleeper = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    try:
        assert sleeper.pid in descendants(os.getpid())
    finally:
        sleeper.kill()
        sleeper.wait()
    assert "PR_SET_CHILD_SUBREAPER" in mechanism()
    from gradviz.doctor import report

    assert mechanism() in report()


@pytest.mark.parametrize("device, capped", [("cpu", True), ("cpu:0", True), ("cuda", False),
                                            ("cuda:1", False)])
def test_the_memory_cap_holds_on_every_cpu_device(device, capped):
    args = cli.build_parser().parse_args(["x", "-o", "a.json", "--device", device,
                                          "--max-memory", "2"])
    assert cli.request_from_args(args).memory_cap == (2 * 2**30 if capped else None)
