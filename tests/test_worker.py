"""The evaluation worker: results, every failure mode, restart, cancel, no leftover process."""

from __future__ import annotations

import multiprocessing
import os
import signal
import subprocess
import sys
import textwrap
import threading
import time

import pytest
import worker_targets
from leak_guard import module_worker

from gradviz.core.errors import Cancelled, InputError
from gradviz.core.runtime.worker import (
    DEFAULT_MAX_MEMORY,
    EvaluationWorker,
    WorkerError,
    shared_worker,
)

TIMEOUT = 2.0
SLACK = 4.0  # seconds allowed on top of the timeout to notice and kill


def target(name: str):
    return getattr(worker_targets, name)


def gone(pid: int) -> bool:
    """True when no process ``pid`` runs (a zombie counts as gone)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] == "Z"
    except OSError:
        return True


worker = module_worker(TIMEOUT)  # one evaluation worker for the module


def assert_recovers(worker: EvaluationWorker) -> None:
    assert worker.run(target("echo"), {"n": 1})["echo"] == {"n": 1}


def run_failing(worker: EvaluationWorker, name: str, payload: dict | None = None) -> WorkerError:
    worker.wait_ready()
    start = time.monotonic()
    with pytest.raises(WorkerError) as info:
        worker.run(target(name), payload or {})
    assert time.monotonic() - start < TIMEOUT + SLACK
    return info.value


def test_echo_returns_plain_data_and_captures_output(worker):
    result = worker.run(target("echo"), {"x": [1, 2.5, "a"]})
    assert result["echo"] == {"x": [1, 2.5, "a"]}
    assert result["pid"] == worker.pid != os.getpid()
    assert worker.last_output == "echo says hello\n"


def test_prestarted_worker_runs_the_job_on_the_child_already_ready(worker):
    """No start-up per job: the child that said ready (torch imported) runs it."""
    worker.wait_ready()
    ready_pid = worker.pid
    assert worker.run(target("echo"), {})["pid"] == ready_pid == worker.pid


def test_output_is_capped(worker):
    assert worker.run(target("chatty"), {}) == "done"
    assert len(worker.last_output) < 20_100
    assert worker.last_output.endswith("more characters not shown]")


def test_memory_cap_is_set_after_torch_import(worker):
    assert worker.run(target("memory_limit"), {})["as"] == DEFAULT_MAX_MEMORY


def test_hang_times_out_and_worker_restarts(worker):
    error = run_failing(worker, "spin")
    assert error.kind == "timeout"
    assert "longer than 2 s" in error.message and "--timeout" in error.message
    assert_recovers(worker)


def test_per_call_timeout(worker):
    worker.wait_ready()
    with pytest.raises(WorkerError, match="longer than 0.5 s"):
        worker.run(target("sleep"), {"seconds": 30}, timeout=0.5)
    assert worker.run(target("sleep"), {"seconds": 0}, timeout=0.5) == "slept"


def test_os_exit_is_a_crash(worker):
    error = run_failing(worker, "hard_exit", {"code": 3})
    assert error.kind == "crash"
    assert error.details["exitcode"] == 3 and "code 3" in error.message
    assert_recovers(worker)


def test_segfault_is_a_crash(worker):
    error = run_failing(worker, "null_read")
    assert error.kind == "crash"
    assert error.details["signal"] == "SIGSEGV" and "segmentation fault" in error.message
    assert_recovers(worker)


def test_huge_allocation_is_a_memory_error(worker):
    pid = worker.pid
    error = run_failing(worker, "allocate")
    assert error.kind == "memory"
    assert worker.pid == pid  # a MemoryError leaves the child usable
    assert_recovers(worker)


def test_input_error_is_re_raised_as_input_error(worker):
    with pytest.raises(InputError) as info:
        worker.run(target("input_error"), {})
    error = info.value
    assert (error.code, error.params, error.text, error.column) == (
        "bad_name",
        {"name": "x"},
        "x +",
        2,
    )
    assert isinstance(error.__cause__, WorkerError) and error.__cause__.kind == "user_error"
    assert error.format().endswith("x +\n    ^")


def test_unexpected_exception_is_internal_with_full_traceback(worker):
    error = run_failing(worker, "value_error")
    assert error.kind == "internal"
    assert "worker_targets.py" in error.details["traceback"]
    assert error.details["traceback"].rstrip().endswith("ValueError: boom")


def test_unpicklable_result_is_internal(worker):
    error = run_failing(worker, "unpicklable")
    assert error.kind == "internal" and "cannot be sent back" in error.message
    assert_recovers(worker)


def test_a_job_the_child_cannot_import_is_internal(worker, tmp_path, monkeypatch):
    worker.wait_ready()  # started before the module below exists on the parent's path
    (tmp_path / "parent_only_jobs.py").write_text("def job(payload):\n    return payload\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    import parent_only_jobs

    with pytest.raises(WorkerError) as info:
        worker.run(parent_only_jobs.job, {})
    assert info.value.kind == "internal" and "parent_only_jobs" in info.value.message
    assert_recovers(worker)


def test_a_job_is_a_function_not_a_name(worker):
    with pytest.raises(TypeError, match="function"):
        worker.run("worker_targets:echo", {})


def test_should_cancel_kills_and_raises_cancelled(worker):
    worker.wait_ready()
    old_pid, start = worker.pid, time.monotonic()
    with pytest.raises(Cancelled):
        worker.run(
            target("sleep"), {"seconds": 30}, should_cancel=lambda: time.monotonic() - start > 0.3
        )
    assert time.monotonic() - start < 2
    assert gone(old_pid)
    assert_recovers(worker)


def test_child_ignores_sigint(worker):
    worker.wait_ready()
    os.kill(worker.pid, signal.SIGINT)
    time.sleep(0.2)
    assert_recovers(worker)


def test_close_leaves_no_process_and_is_idempotent():
    with EvaluationWorker(timeout=TIMEOUT) as own:
        own.wait_ready()
        pid = own.pid
        assert own.alive
    assert not own.alive and gone(pid)
    assert pid not in {p.pid for p in multiprocessing.active_children()}
    own.close()
    with pytest.raises(RuntimeError, match="closed"):
        own.run(target("echo"), {})


@pytest.mark.parametrize("one_shot", [False, True])
def test_a_one_shot_worker_replaces_no_child_ahead_of_need(one_shot):
    """After user code (``fresh_after``) the child is stopped; the app's worker starts its
    replacement at once, a one-shot one (``gradviz export``) only for a next job."""
    with EvaluationWorker(timeout=30, preload=(), one_shot=one_shot) as own:
        first = own.run(target("echo"), {}, fresh_after=True)["pid"]
        assert gone(first) and own.alive is not one_shot
        assert own.run(target("echo"), {})["pid"] not in (first, None)


def test_close_from_another_thread_cancels_a_running_job():
    own = EvaluationWorker(timeout=30)
    own.wait_ready()
    timer = threading.Timer(0.3, own.close)
    timer.start()
    with pytest.raises(Cancelled):
        own.run(target("sleep"), {"seconds": 30})
    timer.join()
    assert not own.alive


def test_child_exits_when_the_parent_dies(tmp_path):
    code = f"""
        import os, sys
        sys.path[:0] = {[os.path.dirname(worker_targets.__file__), os.getcwd()]!r}
        from gradviz.core.runtime.worker import EvaluationWorker
        worker = EvaluationWorker(preload=())
        worker.wait_ready()
        print(worker.pid, flush=True)
        os._exit(0)  # no cleanup at all, as if the app were killed
    """
    out = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)], capture_output=True, text=True, timeout=60
    )
    pid = int(out.stdout.split()[0])
    deadline = time.monotonic() + 5
    while not gone(pid) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert gone(pid)


def test_interrupted_run_does_not_leave_a_stale_reply(worker):
    class Interrupt(BaseException):
        pass

    def interrupt() -> bool:
        raise Interrupt

    worker.wait_ready()
    with pytest.raises(Interrupt):
        worker.run(target("sleep"), {"seconds": 0.5}, should_cancel=interrupt)
    assert worker.run(target("sleep"), {"seconds": 0}) == "slept"


def test_unpicklable_payload_fails_in_the_caller(worker):
    pid = worker.pid
    with pytest.raises(Exception, match="pickle"):
        worker.run(target("echo"), {"f": lambda: None})
    assert worker.pid == pid
    assert_recovers(worker)


def test_shared_worker_is_one_started_worker():
    first = shared_worker()
    try:
        assert shared_worker() is first and first.alive
    finally:
        first.close()
    assert not first.alive and shared_worker() is not first
    shared_worker().close()


def test_a_half_written_reply_never_blocks_past_the_timeout_or_a_cancel(worker):
    worker.wait_ready()
    outcome: dict = {}

    def run(**kwargs) -> None:
        try:
            worker.run(target("stall_reply"), {}, **kwargs)
        except (WorkerError, Cancelled) as exc:
            outcome["error"] = exc

    start = time.monotonic()
    thread = threading.Thread(target=run, kwargs={"timeout": 1.0}, daemon=True)
    thread.start()
    thread.join(TIMEOUT + SLACK)
    assert not thread.is_alive(), "recv() blocked on a fake length header"
    assert isinstance(outcome["error"], WorkerError) and outcome["error"].kind == "timeout"
    thread = threading.Thread(target=run, daemon=True, kwargs={
        "should_cancel": lambda: time.monotonic() - start > 0.3})
    start = time.monotonic()
    thread.start()
    thread.join(TIMEOUT + SLACK)
    assert not thread.is_alive() and isinstance(outcome["error"], Cancelled)
    assert_recovers(worker)


def test_replies_are_typed_messages():
    from gradviz.core.runtime.worker_messages import JobDone, JobFailed, Progress, Ready, from_reply

    assert from_reply({"reply": "ready", "pid": 7, "memory_limit": None}) == Ready(7, None)
    assert from_reply({"reply": "progress", "done": 2, "total": 3}) == Progress(2, 3)
    assert from_reply({"reply": "ok", "output": "hi", "snapshot": False, "value": [1]}) == \
        JobDone([1], "hi")
    assert from_reply({"reply": "ok", "output": "", "snapshot": True}, "snap") == JobDone("snap")
    failed = JobFailed("engine", "dot failed", {"output": ""})
    assert from_reply(failed.to_frame()) == failed
