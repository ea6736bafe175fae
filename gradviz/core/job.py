"""One build, start to end, under one deadline: evaluate in the worker, then lay out here.

The CLI and the GUI's build thread both call :func:`build_in_worker`. The
deadline (``timeout`` seconds) starts once the worker is ready (its start-up,
``import torch``, is not the function's fault) and covers the run, the
backward trace and the Graphviz layout; past it the layout engine is killed
and a ``timeout`` :class:`~gradviz.core.worker.WorkerError` raised. After user
code (a script, lesson code) the worker's child is replaced by a fresh one.

Torch-free: runs in the app's process.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from .errors import Cancelled
from .options import JOB_TARGET, BuildOptions
from .snapshot import Snapshot
from .worker import EvaluationWorker, WorkerError, timeout_message


def runs_user_code(payload: dict) -> bool:
    """True for a job that runs the user's Python (a script or lesson code)."""
    return "script" in payload or "code" in payload


def build_in_worker(
    worker: EvaluationWorker,
    payload: dict,
    *,
    timeout: float,
    layout: bool = True,
    fold: bool = False,
    should_cancel: Callable[[], bool] | None = None,
    progress: Callable[[int], None] | None = None,
) -> Snapshot:
    """The laid-out Snapshot of ``payload``, all of it within ``timeout`` seconds.

    ``progress(stage)`` is called with 1 (evaluating), 2 (laying out), 3 (done).
    ``fold``: a big graph's first picture is folded or collapsed (see
    :func:`~gradviz.core.fold_layout.first_picture`; the full Snapshot is its ``base_of``).
    """
    cancel = should_cancel or (lambda: False)
    worker.wait_ready(cancel)
    deadline = time.monotonic() + timeout
    if progress:
        progress(1)
    snapshot = worker.run(JOB_TARGET, payload, timeout=timeout, should_cancel=cancel,
                          fresh_after=runs_user_code(payload))
    if not isinstance(snapshot, Snapshot):
        raise WorkerError("invalid", "The function's process sent something invalid "
                          "(not a snapshot).")
    if progress:
        progress(2)
    if layout:
        from .snapshot_layout import layout_snapshot  # not at the window's start-up (~50 ms)

        options = BuildOptions.from_dict(payload.get("options"))
        options.timeout = max(deadline - time.monotonic(), 0.001)
        stop = lambda: cancel() or time.monotonic() > deadline  # noqa: E731
        try:
            if fold:
                from .fold_layout import first_picture

                snapshot = first_picture(snapshot, options, deadline=deadline, should_cancel=stop)
            else:
                snapshot.layout = layout_snapshot(snapshot, options, should_cancel=stop)
        except Cancelled:
            if cancel():
                raise
            raise WorkerError("timeout", timeout_message(timeout), {"timeout": timeout}) from None
    if progress:
        progress(3)
    return snapshot
