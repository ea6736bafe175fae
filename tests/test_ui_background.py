"""The UI's one contract for long work: progress, cancel, one outcome signal, GUI thread."""

from __future__ import annotations

import threading
import time

import pytest

from gradviz.core.errors import Cancelled
from gradviz.ui.window.background import BackgroundTask


def test_progress_then_the_result_arrive_in_the_gui_thread(qtbot):
    seen, threads = [], []

    def work(progress, should_cancel):
        for done in range(3):
            progress(done, 3)
        return "built"

    task = BackgroundTask(work)
    task.progress.connect(lambda done, total: seen.append((done, total)))
    task.finished.connect(lambda _result: threads.append(threading.current_thread()))
    with qtbot.waitSignal(task.finished, timeout=5000) as blocker:
        task.start()
    assert blocker.args == ["built"] and task.elapsed is not None
    qtbot.waitUntil(lambda: len(seen) == 3)
    assert seen == [(0, 3), (1, 3), (2, 3)]
    assert threads == [threading.main_thread()]
    assert task.wait(5) and not task.is_running()
    with pytest.raises(RuntimeError):
        task.start()


def test_a_failure_is_data_not_a_crash(qtbot):
    def work(progress, should_cancel):
        raise ValueError("no layout")

    task = BackgroundTask(work)
    with qtbot.waitSignal(task.failed, timeout=5000) as blocker:
        task.start()
    assert isinstance(blocker.args[0], ValueError)


def test_cancel_reaches_the_work_and_ends_in_cancelled(qtbot):
    started = threading.Event()

    def work(progress, should_cancel):
        started.set()
        while not should_cancel():
            time.sleep(0.01)
        raise Cancelled()

    task = BackgroundTask(work)
    outcome = []
    task.finished.connect(lambda _r: outcome.append("finished"))
    task.failed.connect(lambda _e: outcome.append("failed"))
    with qtbot.waitSignal(task.cancelled, timeout=5000):
        task.start()
        assert started.wait(5)
        task.cancel(wait_s=5)
        assert not task.is_running() and task.is_cancelled()
    assert outcome == []
