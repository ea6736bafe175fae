"""Turn what the user gave (an expression, a script) into a Snapshot.

These run where the user's function runs: :func:`build_snapshot_job` is the
evaluation worker's job (through :func:`gradviz.core.runtime.job.snapshot_job`);
the Python API calls :func:`snapshot_from_expression` directly.
"""

from __future__ import annotations

import contextlib
import linecache
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import torch

from ..errors import InputError
from ..expr.expression import parse_expression
from ..expr.variables import VariableSpec, build_variables
from ..graph.modules import ModuleScopes
from ..graph.origins import ExpressionOrigins, script_origins
from ..graph.record import ForwardRecorder
from ..graph.trace import BackwardError
from ..layout import engine_spares
from ..lens.node_measures import ORDERS_KEY
from ..lens.orders import orders_capture
from ..snapshot import Snapshot
from ..snapshot_json import encoding_ahead
from .options import BuildOptions
from .pipeline import build_snapshot
from .request import BuildRequest, Expression, LessonCode, Script
from .script import ScriptResult, code_filename, run_code, run_script

__all__ = ["build_snapshot_job", "snapshot_from_code", "snapshot_from_expression",
           "snapshot_from_script", "to_device"]



def snapshot_from_expression(
    text: str,
    variables: Sequence[str] = (),
    constants: Sequence[str] = (),
    *,
    dtype: str = "float32",
    seed: int | None = None,
    device: str = "cpu",
    options: BuildOptions | None = None,
    progress: Callable[[int, int], None] | None = None,
    should_cancel: Callable[[], bool] | None = None,
) -> Snapshot:
    """Evaluate a typed expression safely and build its Snapshot.

    ``variables`` and ``constants`` are ``"name=value"`` texts; constants get
    no gradient; ``device`` (``"cpu"``, ``"cuda"``, ``"cuda:1"``) is where the
    tensors live (values are copied to the CPU for display). Raises
    :class:`~gradviz.core.errors.InputError` for bad input.
    """
    expr = parse_expression(text)
    specs = [VariableSpec.parse(v) for v in variables]
    specs += [VariableSpec.parse(c, requires_grad=False) for c in constants]
    env = build_variables(specs, expr.variables, dtype=dtype, seed=seed)
    env = to_device(env, device)
    origins = ExpressionOrigins(expr.text)
    with ForwardRecorder() as rec:
        output = expr.evaluate(env, origins)
    params = {name: env[name] for name in expr.variables}
    snapshot = build_snapshot(output, params=params, values=rec.values, source=text,
                              options=options, origins=origins.by_object(), progress=progress,
                              should_cancel=should_cancel)
    snapshot.meta["inputs"] = {"expression": text, "variables": list(variables),
                               "constants": list(constants), "dtype": dtype, "seed": seed,
                               "device": device}
    return snapshot


def to_device(env: dict[str, torch.Tensor], device: str) -> dict[str, torch.Tensor]:
    """Move leaf tensors to ``device`` as new leaves; a clear error if it is not there."""
    if device == "cpu":
        return env
    try:
        target = torch.device(device)
        if target.type == "cuda" and not torch.cuda.is_available():
            raise RuntimeError("CUDA is not available here")
        return {name: t.detach().to(target).requires_grad_(t.requires_grad)
                for name, t in env.items()}
    except (RuntimeError, AssertionError, ValueError, TypeError) as err:  # xpu: AssertionError
        raise InputError("bad_device", {"device": device, "torch_message": (
            str(err) or "unknown").splitlines()[0]}) from None


def snapshot_from_script(
    path: str, *, options: BuildOptions | None = None, **kwargs: Any
) -> Snapshot:
    """Run a user's script (in the worker only) and build its Snapshot."""
    rec, scopes = ForwardRecorder(source_file=str(Path(path).resolve())), ModuleScopes()
    result = run_script(path, record=_recording(rec, scopes))
    return _script_snapshot(result, rec, {"script": result.path}, options, scopes, **kwargs)


def snapshot_from_code(
    code: str, name: str, *, options: BuildOptions | None = None, **kwargs: Any
) -> Snapshot:
    """Run a trusted lesson snippet (in the worker only) and build its Snapshot."""
    rec, scopes = ForwardRecorder(source_file=code_filename(name)), ModuleScopes()
    result = run_code(code, name, record=_recording(rec, scopes))
    return _script_snapshot(result, rec, {"code": code, "name": name}, options, scopes,
                            **kwargs)


@contextlib.contextmanager
def _recording(rec: ForwardRecorder, scopes: ModuleScopes):
    """Forward values and module calls, recorded while user code runs (as the API does)."""
    with rec, scopes:
        yield rec


def _script_snapshot(result: ScriptResult, rec: ForwardRecorder, inputs: dict,
                     options: BuildOptions | None, scopes: ModuleScopes,
                     **kwargs: Any) -> Snapshot:
    orders, capture = orders_capture(rec.orders)  # create_graph=True: each node's order
    try:
        snapshot = build_snapshot(result.outputs, params=result.params, values=rec.values,
                                  source=result.path, options=options, names=result.names,
                                  origins=script_origins(rec.lines), modules=scopes,
                                  on_capture=capture, **kwargs)
    except BackwardError as err:
        line = rec.lines.get(err.grad_fn_id)
        if line is not None and rec.source_file is not None:
            err.add_source_line(rec.source_file, line,
                                linecache.getline(rec.source_file, line).strip())
        raise
    snapshot.meta["inputs"] = inputs
    if orders:
        snapshot.meta[ORDERS_KEY] = orders
    return snapshot


def build_snapshot_job(request: BuildRequest) -> Snapshot:
    """Worker entry point: the Snapshot of a typed function, a script or trusted lesson code,
    laid out (unless ``options.layout`` is off) where it was built, so that Graphviz lays
    a big graph out while the backward pass is traced; the stages are reported to the
    app (:func:`~gradviz.core.runtime.worker_child.report_progress`)."""
    with encoding_ahead():  # sent back as soon as it is built (worker_child._reply_frames)
        return _build(request)


def _build(request: BuildRequest) -> Snapshot:
    from .worker_child import report_progress

    options, source = request.options, request.source
    if isinstance(source, (Script, LessonCode)):
        # user code may fork (os.fork, a DataLoader's workers) and keep a copy of a spare
        # engine's stdin open: that engine would wait for ever. None from here on in this
        # child (the app replaces it after user code).
        engine_spares.enable(False)
    if isinstance(source, Script):
        return snapshot_from_script(source.path, options=options, progress=report_progress)
    if isinstance(source, LessonCode):
        return snapshot_from_code(source.code, source.name, options=options,
                                  progress=report_progress)
    if not isinstance(source, Expression):
        raise TypeError(f"the worker builds text, not {type(source).__name__}")
    if source.order == 2:
        from ..lens.higher_order import derivative_snapshot

        return derivative_snapshot(source.text, source.variables, source.constants,
                                   dtype=request.dtype, seed=request.seed, options=options)
    return snapshot_from_expression(source.text, source.variables, source.constants,
                                    dtype=request.dtype, seed=request.seed,
                                    device=request.device, options=options,
                                    progress=report_progress)
