"""A fixture that fails a test which leaves a child process or a thread running.

Wire it for the whole suite in ``tests/conftest.py``::

    from leak_guard import no_leaked_workers  # noqa: F401  (autouse)

A worker shared across tests (a module-scoped fixture) is allowed to keep its
child: register it with :func:`keep` and unregister it before closing it.
"""

from __future__ import annotations

import multiprocessing
import threading
import time

import pytest

_kept: list = []  # EvaluationWorker-like objects with a ``pid`` property


def keep(worker) -> None:
    """Allow ``worker``'s child process (whatever its current pid) to outlive tests."""
    _kept.append(worker)


def release(worker) -> None:
    """Stop allowing ``worker``'s child process."""
    _kept.remove(worker)


def _leftovers(threads_before: set[threading.Thread]) -> list[str]:
    allowed = {worker.pid for worker in _kept}
    found = [
        f"process {p.name} (pid {p.pid})"
        for p in multiprocessing.active_children()
        if p.pid not in allowed
    ]
    found += [
        f"thread {t.name}"
        for t in threading.enumerate()
        if t not in threads_before and t.is_alive()
    ]
    return found


@pytest.fixture(autouse=True)
def no_leaked_workers():
    """Fail the test if it leaves a child process or a new thread running (1 s grace)."""
    threads_before = set(threading.enumerate())
    yield
    deadline = time.monotonic() + 1.0
    while (leftovers := _leftovers(threads_before)) and time.monotonic() < deadline:
        time.sleep(0.05)
    if leftovers:
        pytest.fail("left running after the test: " + ", ".join(leftovers))


def module_worker(timeout: float):
    """A module-scoped fixture: one evaluation worker shared by a test module's tests.

    Use as ``worker = module_worker(30.0)`` at a test module's top level.
    """
    from gradviz.core.runtime.worker import EvaluationWorker

    @pytest.fixture(scope="module")
    def worker():
        shared = EvaluationWorker(timeout=timeout)
        shared.start()
        keep(shared)
        yield shared
        release(shared)
        shared.close()

    return worker
