"""One build, start to end, under one deadline: :func:`run_build` is the one
orchestration the CLI, the window and the Python API call.

Where a build runs is the request's business, not the caller's: the API's
tensors (:class:`~gradviz.core.runtime.request.Tensors`) are built here; user text (a
typed function, a script, lesson code) in the evaluation worker. Either way
:func:`~gradviz.core.runtime.pipeline.build_snapshot` lays the graph out where it was
captured, so Graphviz lays a big graph out on the other core while the backward
pass is traced. In the worker, one deadline (``request.timeout`` seconds) starts
once the worker is ready (its start-up, ``import torch``, is not the function's
fault) and covers the run, the backward trace and the Graphviz layout; past it
the child and its layout engine are killed and a ``timeout``
:class:`~gradviz.core.runtime.worker.WorkerError` raised. After user code (a script,
lesson code) the worker's child is replaced by a fresh one.

Torch-free on the worker path: runs in the app's process.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import replace

from ..errors import Cancelled
from ..snapshot import Snapshot
from .request import BuildRequest
from .worker import EvaluationWorker, WorkerError, timeout_message

STAGES = 3  # progress(done, STAGES): 0 starting, 1 running, 2 laying out, 3 done


def snapshot_job(request: BuildRequest) -> Snapshot:
    """The worker's job: the laid-out Snapshot of ``request``, built in the child.

    Defined here, torch-free, so that the app can name it without importing torch;
    the child runs :func:`gradviz.core.runtime.jobs.build_snapshot_job` (preloaded there).
    """
    from .jobs import build_snapshot_job

    return build_snapshot_job(request)


def run_build(
    request: BuildRequest,
    progress: Callable[[int, int], None] | None = None,
    should_cancel: Callable[[], bool] | None = None,
    *,
    worker: EvaluationWorker | None = None,
) -> Snapshot:
    """The laid-out Snapshot ``request`` asks for, all of it within ``request.timeout``.

    ``progress(done, total)`` follows :data:`STAGES`; ``should_cancel()`` true stops
    the build (:class:`~gradviz.core.errors.Cancelled`). ``worker``: an evaluation
    worker to use (left open); by default one is made for this build, with the
    request's memory cap. ``request.options.layout`` false: no layout.
    ``request.fold``: a big graph's first picture is folded or collapsed (laid out app-side,
    see :func:`~gradviz.core.layout.fold_layout.first_picture`; the full Snapshot is its
    ``base_of``).
    """
    cancel = should_cancel or (lambda: False)
    report = progress or (lambda done, total: None)
    if request.in_process:
        return _build_here(request, report, cancel)
    if worker is not None:
        return _build_in_worker(worker, request, report, cancel)
    with EvaluationWorker(timeout=request.timeout, max_memory=request.memory_cap,
                          one_shot=True) as own:
        return _build_in_worker(own, request, report, cancel)


def _build_here(request: BuildRequest, progress, cancel) -> Snapshot:
    """The API's tensors, built in this process (the layout overlaps the trace)."""
    from ..lens.node_measures import ORDERS_KEY
    from ..lens.orders import orders_capture
    from .pipeline import build_snapshot  # torch: only for a build in this process

    source = request.source
    found, capture = orders_capture(dict(source.orders or {}))
    progress(0, STAGES)
    fold = request.fold and request.options.layout  # folded: laid out below, once built
    options = replace(request.options, layout=False) if fold else request.options
    snapshot = build_snapshot(source.outputs, params=source.params, values=source.values,
                              source=source.name, options=options,
                              keep_grad=source.keep_grad, modules=source.modules,
                              on_capture=capture,
                              progress=lambda done, _total: progress(done, STAGES),
                              should_cancel=cancel)
    if found:
        snapshot.meta[ORDERS_KEY] = found
    if fold:
        from ..layout.fold_layout import first_picture

        progress(2, STAGES)
        snapshot = first_picture(snapshot, request.options, should_cancel=cancel)
    return snapshot


def _build_in_worker(worker: EvaluationWorker, request: BuildRequest, progress,
                     cancel) -> Snapshot:
    progress(0, STAGES)
    worker.wait_ready(cancel)
    deadline = time.monotonic() + request.timeout
    progress(1, STAGES)
    job = request.with_options(layout=False) if request.fold else request  # laid out here
    snapshot = worker.run(snapshot_job, job, timeout=request.timeout, should_cancel=cancel,
                          fresh_after=request.runs_user_code,
                          progress=lambda done, _total: progress(1 if done < 2 else 2, STAGES))
    if not isinstance(snapshot, Snapshot):
        raise WorkerError("invalid", "The function's process sent something invalid "
                          "(not a snapshot).")
    if request.options.layout and snapshot.layout is None:  # folded first pictures: here
        progress(2, STAGES)
        options = replace(request.options, timeout=max(deadline - time.monotonic(), 0.001))
        stop = lambda: cancel() or time.monotonic() > deadline  # noqa: E731
        try:
            if request.fold:
                from ..layout.fold_layout import first_picture

                snapshot = first_picture(snapshot, options, deadline=deadline, should_cancel=stop)
            else:
                from ..layout.snapshot_layout import layout_snapshot  # not at the window's start-up

                snapshot.layout = layout_snapshot(snapshot, options, should_cancel=stop)
        except Cancelled:
            if cancel():
                raise
            raise WorkerError("timeout", timeout_message(request.timeout),
                              {"timeout": request.timeout}) from None
    progress(STAGES, STAGES)
    return snapshot
