"""Spare layout engines (core.layout.engine_spares): started ahead of need where a process
lays graph after graph out (the evaluation worker's child), same layouts as a fresh engine,
never a dead one used, none left behind when their owner exits."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time

import pytest
import worker_targets
from leak_guard import module_worker

from gradviz.core.layout import engine_spares, engines
from gradviz.core.runtime.job import snapshot_job
from gradviz.core.runtime.request import BuildRequest, Expression

DOT = 'digraph G { a [label="x = 2"]; b [label="y = 5x³ + 2x² + 4x + 8"]; a -> b }'
worker = module_worker(30.0)


@pytest.fixture
def spares():
    """Spares kept in this process for the test; ended after it."""
    engine_spares.enable()
    yield engine_spares
    engine_spares.enable(False)


def gone(pid: int, within: float = 5.0) -> bool:
    """Whether process ``pid`` ends (or is a zombie) within ``within`` seconds."""
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        try:
            with open(f"/proc/{pid}/stat") as stat:
                if stat.read().rsplit(")", 1)[1].split()[0] == "Z":
                    return True
        except OSError:
            return True
        time.sleep(0.02)
    return False


@pytest.mark.parametrize("engine", engines.ENGINES)
def test_a_spare_lays_out_what_a_fresh_engine_does(spares, engine):
    from engines_here import need_engine

    path = need_engine(engine)
    fresh, used = engines.run_engine(DOT, engine=engine, fallback=False)
    assert used == engine and spares.waiting() == {}  # used once: wanted, not started yet
    spares.refill()
    first = spares.waiting()[(path, "json0")]
    assert not gone(first, within=0.2)  # waiting on its stdin
    again, _ = engines.run_engine(DOT, engine=engine, fallback=False)
    assert again == fresh
    assert gone(first)  # that spare did the layout and ended
    assert spares.waiting() == {}
    spares.refill()
    assert spares.waiting()[(path, "json0")] != first  # a new one for the next layout


def _killed_spare(spares) -> subprocess.Popen:
    """The waiting spare of graphviz-pure, killed and fully dead (not yet reaped)."""
    path = engines.engine_path("graphviz-pure")
    spares.want(path, "json0")
    spares.refill()
    proc = spares._spares[(path, "json0")]
    os.kill(proc.pid, signal.SIGKILL)
    os.waitid(os.P_PID, proc.pid, os.WEXITED | os.WNOWAIT)  # dead, all its threads too
    return proc


def test_a_dead_spare_is_never_used(spares):
    _killed_spare(spares)
    out, used = engines.run_engine(DOT, engine="graphviz-pure", fallback=False)
    assert used == "graphviz-pure" and '"bb"' in out


def test_a_spare_that_dies_as_it_is_taken_is_replaced(spares, monkeypatch):
    """Killed from outside, a process can look alive for a moment (its threads still
    exiting): the layout is done again by a new process, not reported as a failure."""
    proc = _killed_spare(spares)
    monkeypatch.setattr(proc, "poll", lambda: None)  # as if taken in that moment
    out, used = engines.run_engine(DOT, engine="graphviz-pure", fallback=False)
    assert used == "graphviz-pure" and '"bb"' in out
    assert proc.returncode == -signal.SIGKILL  # that one was used, and was dead


def test_spares_are_off_by_default_and_end_when_turned_off():
    assert not engine_spares.enabled()
    path = engines.engine_path("graphviz-pure")
    engine_spares.want(path, "json0")
    engine_spares.refill()
    assert engine_spares.waiting() == {}  # a one-off process starts none
    engine_spares.enable()
    engine_spares.want(path, "json0")
    engine_spares.refill()
    pid = engine_spares.waiting()[(path, "json0")]
    engine_spares.enable(False)
    assert gone(pid) and engine_spares.waiting() == {}


def test_a_spare_ends_with_the_process_that_kept_it(tmp_path):
    code = textwrap.dedent("""
        import os
        from gradviz.core.layout import engine_spares, engines
        engine_spares.enable()
        engine_spares.want(engines.engine_path("graphviz-pure"), "json0")
        engine_spares.refill()
        print(*engine_spares.waiting().values(), flush=True)
        os._exit(0)
    """)
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=60, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    (pid,) = map(int, done.stdout.split())
    assert gone(pid)  # its stdin closed: an empty input, nothing laid out, exit


def test_the_worker_child_keeps_a_spare_for_its_next_layout(worker):
    from gradviz.core.runtime.jobs import build_snapshot_job

    path = next(filter(None, map(engines.engine_path, engines.preferred_engines())))
    before = worker.run(worker_targets.engine_spares, {})
    assert before["enabled"] and f"{path}|json0" in before["waiting"]  # from the start
    request = BuildRequest(Expression("5*x**3 + 2*x**2 + 4*x + 8", ("x=2.0",)))
    there = worker.run(snapshot_job, request)  # laid out by that spare
    here = build_snapshot_job(request)  # no spares in this process: a fresh engine
    assert there.layout is not None and there.layout == here.layout
    after = worker.run(worker_targets.engine_spares, {})
    assert after["waiting"][f"{path}|json0"] != before["waiting"][f"{path}|json0"]
