"""The Python API: gradviz on your own tensors, callables and models.

>>> import torch, gradviz
>>> x = torch.tensor(2.0, requires_grad=True)
>>> y = 5 * x**3 + 2 * x**2 + 4 * x + 8
>>> gradviz.export(y, "seed.json", params={"x": x})   # doctest: +SKIP

Your tensors are left as they were: each leaf's ``.grad`` is restored after
the traced backward unless ``keep_grad=True``.
"""

from __future__ import annotations

import inspect
import sys
import warnings
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

import torch

from .core.errors import InputError
from .core.graph.modules import BackwardScopes, ModuleScopes
from .core.graph.record import ForwardRecorder
from .core.runtime.job import run_build
from .core.runtime.options import BuildOptions
from .core.runtime.request import BuildRequest, Tensors
from .core.snapshot import Snapshot

Target = torch.Tensor | Sequence[torch.Tensor] | Callable[..., Any] | torch.nn.Module


class Recording:
    """What ``with gradviz.record() as rec:`` saw: forward values of every op inside."""

    def __init__(self) -> None:
        self._recorder = ForwardRecorder()
        self.outputs: list[torch.Tensor] = []

    def __enter__(self) -> Recording:
        self._recorder.__enter__()
        return self

    def __exit__(self, *exc: Any) -> None:
        self._recorder.__exit__(*exc)

    @property
    def values(self) -> dict[int, Any]:
        """Forward value summaries keyed by ``id(grad_fn)``."""
        return self._recorder.values

    @property
    def orders(self) -> dict[int, int]:
        """Order of differentiation of the nodes create_graph backwards made, by ``id(grad_fn)``."""
        return self._recorder.orders

    def snapshot(self, output: torch.Tensor | Sequence[torch.Tensor], **kwargs: Any) -> Snapshot:
        """The Snapshot of ``output`` with the recorded values on every node."""
        return snapshot(output, values=self.values, orders=self.orders, **kwargs)

    def export(self, output: torch.Tensor, path: str | Path, **kwargs: Any) -> Path:
        """Like :func:`export`, with the recorded values."""
        return export(output, path, values=self.values, orders=self.orders, **kwargs)

    def show(self, output: torch.Tensor, **kwargs: Any) -> None:
        """Like :func:`show`, with the recorded values."""
        show(output, values=self.values, orders=self.orders, **kwargs)


def record() -> Recording:
    """Record forward values: ``with gradviz.record() as rec: loss = model(x)``."""
    return Recording()


def snapshot(target: Target, *args: Any, **kwargs: Any) -> Snapshot:
    """Build the Snapshot of a tensor, a callable with inputs, or a module with inputs.

    - ``snapshot(y, params={"x": x})``: the graph behind ``y``;
    - ``snapshot(f, x=torch.tensor(2.0, requires_grad=True))``: calls ``f(**inputs)``
      (or ``f(*args)``), names leaves after the arguments;
    - ``snapshot(model, batch, loss_fn=...)``: runs the module, names parameters
      after ``named_parameters()``.

    Keyword arguments are those of :func:`build_request`. ``create_graph=True``
    backwards run inside a callable or module call (or inside ``gradviz.record()``,
    whose ``orders`` are passed here) colour the graph by order: ``meta["orders"]``
    maps each function node to 0 (forward), 1 (first backward), 2 ….

    ``show_saved=None`` (default): saved tensors are shown unless the graph is
    big (see :mod:`gradviz.core.lens.saved_rule`); the choice is in ``meta["saved_tensors"]``.
    """
    snap = run_build(build_request(target, *args, **kwargs))
    if "layout_warning" in snap.meta:  # the engine asked for is missing: say which ran instead
        warnings.warn(snap.meta["layout_warning"]["message"], UserWarning, stacklevel=2)
    return snap


def build_request(
    target: Target,
    *args: Any,
    params: Mapping[str, torch.Tensor] | torch.nn.Module | None = None,
    loss_fn: Callable[[Any], torch.Tensor] | None = None,
    values: Mapping[int, Any] | None = None,
    orders: Mapping[int, int] | None = None,
    keep_grad: bool = False,
    reduction: str | None = None,
    show_saved: bool | None = None,
    runs: int = 1,
    engine: str | None = None,
    layout: bool = True,
    group_modules: bool = True,
    fold: bool = False,
    **inputs: Any,
) -> BuildRequest:
    """The :class:`~gradviz.core.runtime.request.BuildRequest` :func:`snapshot` builds: a callable
    or module is run here (its forward recorded); the tensors stay in this process.

    ``fold=True``: a big graph's first picture, its repeated layers folded (see
    :func:`gradviz.core.layout.fold_layout.first_picture`), as the window opens it."""
    names: dict[str, torch.Tensor] = {}
    recorder = None
    scopes = None
    if isinstance(target, torch.nn.Module):
        names.update(dict(target.named_parameters()))
        recorder = ForwardRecorder()
        with recorder, ModuleScopes(target) as scopes:
            out = target(*args, **inputs)
        with recorder, BackwardScopes(scopes, out):  # a gradient penalty's nodes too
            output = loss_fn(out) if loss_fn is not None else out
    elif callable(target) and not isinstance(target, torch.Tensor):
        names.update(_argument_names(target, args, inputs))
        recorder = ForwardRecorder()
        with recorder:
            output = target(*args, **inputs)
    else:
        output = target
    if isinstance(params, torch.nn.Module):
        names.update(dict(params.named_parameters()))
    elif isinstance(params, Mapping):
        names.update(params)
    elif params is not None:
        raise InputError("bad_params", {"type": type(params).__name__})
    merged, by_id = dict(values or {}), dict(orders or {})
    if recorder is not None:
        merged.update(recorder.values)
        by_id.update(recorder.orders)
    options = BuildOptions(engine=engine, show_saved=show_saved, reduction=reduction, runs=runs,
                           layout=layout, group_modules=group_modules)
    outputs = list(output) if isinstance(output, (tuple, list)) else output
    source = Tensors(outputs, params=names, values=merged, orders=by_id, modules=scopes,
                     keep_grad=keep_grad, name=_describe(target))
    return BuildRequest(source, options=options, fold=fold)


def _argument_names(fn: Callable, args: Sequence[Any], kwargs: Mapping[str, Any]) -> dict:
    names = {k: v for k, v in kwargs.items() if isinstance(v, torch.Tensor)}
    try:
        bound = inspect.signature(fn).bind_partial(*args)
    except (TypeError, ValueError):
        bound = None
    if bound is not None:
        names.update({k: v for k, v in bound.arguments.items() if isinstance(v, torch.Tensor)})
    return names


def _describe(target: Any) -> str:
    if isinstance(target, torch.nn.Module):
        return type(target).__name__
    if callable(target) and not isinstance(target, torch.Tensor):
        return getattr(target, "__qualname__", repr(target))
    return "tensor"


def export(
    target: Target,
    path: str | Path,
    *args: Any,
    step: int | str | None = None,
    theme: str = "light",
    scale: float | None = None,
    caption: bool = False,
    lang: str = "en",
    controls: bool = True,
    colour_by: str | None = None,
    color_by: str | None = None,
    fold: bool | None = None,
    **kwargs: Any,
) -> Path:
    """Write ``target``'s graph to ``path`` (.json .dot .png .svg .pdf .gif .html); no window.

    PNGs and GIFs are drawn at ``scale`` × (default 2, sharp on slides).
    ``step``: the replay state of an image (default ``"last"``) or where an ``.html``
    page starts (default 0); ``lang`` and ``controls`` (False: a still) are the page's.
    ``colour_by`` (or ``color_by``): images and GIFs tint the nodes by ``"grad_norm"``,
    ``"value_norm"``, ``"saved_bytes"`` or ``"order"``, with the window's legend
    (default: by order for a higher-order graph).
    ``fold``: a big graph (the window's threshold) with repeated layers folded, as the
    window opens it, said in one line on stderr; by default images, GIFs and pages
    fold and JSON/DOT hold the full graph (``meta["graph_level"]`` says which).
    Other keyword arguments are those of :func:`snapshot`.
    """
    from .core.layout.fold_layout import fold_note
    from .core.lens.saved_rule import hidden_note
    from .core.runtime.export_options import ExportOptions, export_fold, export_format
    from .core.snapshot_json import encoding_ahead
    from .export_file import write_export

    out = Path(path)
    fmt = export_format(out)  # a bad suffix or option fails before anything is built
    options = ExportOptions(step=step, theme=theme, scale=scale, caption=caption, lang=lang,
                            controls=controls,
                            colour_by=colour_by if colour_by is not None else color_by)
    with encoding_ahead():  # written right away: its bulk is encoded while Graphviz runs
        snap = snapshot(target, *args, fold=export_fold(fmt, fold), **kwargs)
    for note in (hidden_note(snap.meta, "show_saved=True"), fold_note(snap, "fold=False")):
        if note:
            print(note, file=sys.stderr)
    write_export(snap, out, options)
    return out


def show(target: Target, *args: Any, window: bool = False, **kwargs: Any) -> None:
    """Open the gradviz window on ``target`` and block until it is closed (like plt.show()).

    Inside a Jupyter notebook the interactive page shows inline instead (the cell's
    output); ``window=True`` opens the window there too. A graph of thousands of nodes
    with repeated layers opens folded (``DecoderLayer ×32``; see
    :func:`gradviz.core.layout.fold_layout.first_picture`).
    """
    options = {k: v for k, v in kwargs.items() if k != "theme"}
    snap = snapshot(target, *args, **{"fold": True, **options})  # as in the app
    from .html.notebook import in_notebook

    if in_notebook() and not window:
        from IPython.display import HTML, display

        from .html.notebook import snapshot_iframe

        display(HTML(snapshot_iframe(snap, theme=kwargs.get("theme"))))
        return
    from .ui.window.app import show_snapshot

    show_snapshot(snap, theme=kwargs.get("theme"))
