"""The layout engine gets its whole DOT even when it starts reading late (cancellable runs)."""

import sys
import threading

import pytest

from gradviz.core.errors import Cancelled
from gradviz.core.layout.engines import _run

SLOW_READER = """import sys, time
time.sleep(0.5)  # a loaded machine: the engine reads after the first 50 ms slice
data = sys.stdin.read()
sys.stdout.write(str(len(data)))
"""


@pytest.fixture
def slow_engine(tmp_path):
    script = tmp_path / "slow_engine.py"
    script.write_text(SLOW_READER)
    wrapper = tmp_path / "engine"
    wrapper.write_text(f"#!/bin/sh\nexec {sys.executable} {script} \"$@\"\n")
    wrapper.chmod(0o755)
    return str(wrapper)


def test_a_dot_bigger_than_the_pipe_reaches_a_late_reader(slow_engine):
    dot = "digraph { " + "a -> b; " * 100_000 + "}"  # ~800 kB: many times a pipe buffer
    out = _run(slow_engine, dot, "json0", timeout=20, should_cancel=lambda: False)
    assert out == str(len(dot))


def test_cancel_stops_a_late_reader_at_once(slow_engine):
    dot = "digraph { " + "a -> b; " * 100_000 + "}"
    cancel = threading.Event()
    threading.Timer(0.1, cancel.set).start()
    with pytest.raises(Cancelled):
        _run(slow_engine, dot, "json0", timeout=20, should_cancel=cancel.is_set)
