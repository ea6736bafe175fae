"""What to build, as one typed request: the CLI, the window and the API each make a
:class:`BuildRequest`; :func:`gradviz.core.runtime.job.run_build` builds it.

A request names its source (a typed :class:`Expression`, a :class:`Script` file,
a lesson's trusted :class:`LessonCode`, or the API's :class:`Tensors`, already in
this process), the values' dtype, seed and device, the :class:`BuildOptions`,
and the limits (deadline and memory cap). The source decides where the build
runs: user text runs in the evaluation worker, the API's tensors here.

:class:`AppConfig` is what the window opens with (language, theme, the first
request, the window's options). Torch-free and Qt-free: the command line turns
argv into both (in its own module); the window and the API build them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from .options import SEED_EXPRESSION, SEED_VARIABLES, BuildOptions

__all__ = ["AppConfig", "BuildRequest", "Expression", "LessonCode", "Script", "Tensors",
           "memory_cap", "seed_request"]

DEFAULT_TIMEOUT = 10.0  # seconds the function may run, then its layout (one deadline)
DEFAULT_MAX_MEMORY_GIB = 4.0


@dataclass(frozen=True)
class Expression:
    """A typed function: ``text``, its ``name=value`` variables (with gradient) and
    constants (without); ``order=2`` builds the derivative's graph."""

    text: str
    variables: tuple[str, ...] = ()
    constants: tuple[str, ...] = ()
    order: int = 1

    def __post_init__(self) -> None:
        object.__setattr__(self, "variables", tuple(self.variables))
        object.__setattr__(self, "constants", tuple(self.constants))


@dataclass(frozen=True)
class Script:
    """A Python file defining ``output`` (and ``params``) or ``build()``; runs in the worker."""

    path: str


@dataclass(frozen=True)
class LessonCode:
    """A lesson's Python code, which the user chose to trust; runs in the worker."""

    code: str
    name: str = "lesson code"


@dataclass(frozen=True, eq=False)
class Tensors:
    """The Python API's source: tensors built in this process (never sent to a worker).

    ``params`` names leaves, ``values`` are recorded forward values, ``orders`` the
    recorded ``create_graph`` orders (see :mod:`gradviz.core.lens.orders`), ``modules``
    the recorded module calls (see :func:`gradviz.core.runtime.pipeline.build_snapshot`).
    """

    outputs: Any
    params: Mapping[str, Any] | None = None
    values: Mapping[int, Any] | None = None
    orders: Mapping[int, int] | None = None
    modules: Any = None
    keep_grad: bool = False
    name: str = "tensor"


Source = Expression | Script | LessonCode | Tensors


def memory_cap(max_memory_gib: float, device: str) -> int | None:
    """The worker's memory cap in bytes; none off the CPU (CUDA reserves address space)."""
    return int(max_memory_gib * 2**30) if device.split(":")[0] == "cpu" else None


@dataclass(frozen=True)
class BuildRequest:
    """One build: what to run, with which values and options, within which limits."""

    source: Source
    dtype: str = "float32"
    seed: int | None = None
    device: str = "cpu"  # where a typed function's tensors live: "cpu", "cuda", "cuda:1"
    options: BuildOptions = field(default_factory=BuildOptions)
    timeout: float = DEFAULT_TIMEOUT  # one deadline for the run, the trace and the layout
    max_memory_gib: float = DEFAULT_MAX_MEMORY_GIB
    fold: bool = False  # a big graph's first picture folded (core.fold_layout): the window,
    # and exports of pictures (core.runtime.export_options.export_fold)

    @property
    def in_process(self) -> bool:
        """True when the build runs in this process (the API's tensors), not in the worker."""
        return isinstance(self.source, Tensors)

    @property
    def runs_user_code(self) -> bool:
        """True for the user's Python (a script, lesson code): a fresh worker afterwards."""
        return isinstance(self.source, (Script, LessonCode))

    @property
    def memory_cap(self) -> int | None:
        """The worker's memory cap in bytes (see :func:`memory_cap`)."""
        return memory_cap(self.max_memory_gib, self.device)

    def with_options(self, **changes: Any) -> BuildRequest:
        """The same request with some :class:`BuildOptions` changed."""
        return replace(self, options=replace(self.options, **changes))

    def with_function(self, text: str, variables: Sequence[str],
                      constants: Sequence[str]) -> BuildRequest:
        """The same request on another typed function (the window's editor and table)."""
        order = self.source.order if isinstance(self.source, Expression) else 1
        return replace(self, source=Expression(text, tuple(variables), tuple(constants), order))


def seed_request() -> BuildRequest:
    """The course's first example: y = 5x³ + 2x² + 4x + 8 at x = 2."""
    return BuildRequest(Expression(SEED_EXPRESSION, tuple(SEED_VARIABLES)))


@dataclass(frozen=True)
class AppConfig:
    """What the window opens with: the first build, a lesson, language, theme, and the
    command line's window options (``screenshot``, ``step``, ``size``, ``present``,
    ``colour_by``)."""

    request: BuildRequest = field(default_factory=seed_request)
    lesson: str | None = None  # a lesson file to open instead of ``request``'s function
    language: str | None = None  # None: the saved choice, else the system's
    theme: str | None = None  # None: the saved choice, else the default
    screenshot: str | None = None  # save the built window to this PNG and exit
    step: str | None = None  # the replay step to open at ("last" or a number)
    size: str | None = None  # "WIDTHxHEIGHT"
    present: bool = False  # open in presentation mode
    colour_by: str | None = None  # colour the nodes by this measure (ui.colour_by.CHOICES)
    reset_settings: bool = False  # forget the saved settings first

    @property
    def remember(self) -> bool:
        """False for a screenshot: it depends on the command line only, never on settings."""
        return not self.screenshot
