"""Find and run a Graphviz layout engine, never hanging.

Two engines: ``graphviz-pure`` (installed by pip with gradviz: a Rust port of
dot, no system libraries, same output everywhere; the default) and the
system ``dot``. Each is the other's fallback. Choose with the ``engine``
argument or the ``GRADVIZ_LAYOUT_ENGINE`` environment variable. A process that lays
out graph after graph keeps one started ahead of need (:mod:`.engine_spares`).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

from ..errors import Cancelled, EngineError
from . import engine_spares

ENGINES = ("graphviz-pure", "dot")
DEFAULT_ENGINE = "graphviz-pure"
DEFAULT_TIMEOUT = 600.0
ENV_VAR = "GRADVIZ_LAYOUT_ENGINE"
_INSTALL_HINT = {
    "graphviz-pure": "pip install graphviz-pure",
    "dot": "apt-get install graphviz, brew install graphviz, winget install graphviz",
}


def engine_path(name: str) -> str | None:
    """The executable for engine ``name``, or None when it is not installed."""
    if name not in ENGINES:
        raise EngineError("engine_unknown", {"engine": name, "engines": ", ".join(ENGINES)})
    found = shutil.which(name)
    if found:
        return found
    # A venv's scripts are beside its interpreter even when the venv is not activated.
    beside = Path(sys.executable).parent / (name + (".exe" if os.name == "nt" else ""))
    return str(beside) if beside.is_file() else None


def preferred_engines(engine: str | None = None) -> list[str]:
    """Engines to try, in order: the requested one (or the env var's), then the other."""
    first = engine or os.environ.get(ENV_VAR) or DEFAULT_ENGINE
    if first not in ENGINES:
        raise EngineError("engine_unknown", {"engine": first, "engines": ", ".join(ENGINES)})
    return [first] + [e for e in ENGINES if e != first]


def fallback_warning(requested: str | None, used: str) -> dict[str, str] | None:
    """When the layout came from another engine than the one wanted (asked for, or else
    the default): which, why, and how to install it, with a one-line ``message``."""
    wanted = preferred_engines(requested)[0]
    if used == wanted:
        return None
    reason = "is not installed" if engine_path(wanted) is None else "failed"
    hint = _INSTALL_HINT[wanted]
    return {"requested": wanted, "used": used, "reason": reason, "install": hint,
            "message": f"the layout engine {wanted} {reason}: laid out with {used} instead "
                       f"(to get {wanted}: {hint})"}


def engine_version(name: str) -> str | None:
    """The engine's version line, or None when it is missing or broken."""
    path = engine_path(name)
    if path is None:
        return None
    try:
        done = subprocess.run([path, "-V"], capture_output=True, text=True, timeout=10)
    except (OSError, subprocess.TimeoutExpired):
        return None
    return (done.stderr or done.stdout).strip() or None


def run_engine(
    dot: str,
    *,
    engine: str | None = None,
    fmt: str = "json0",
    timeout: float | None = None,
    should_cancel: Callable[[], bool] | None = None,
    fallback: bool = True,
) -> tuple[str, str]:
    """Lay ``dot`` out; return (Graphviz output text, the engine that made it).

    Raises :class:`EngineError` naming the fix when no engine works, and
    :class:`Cancelled` (after killing the engine) when ``should_cancel()``.
    """
    failures = []
    candidates = preferred_engines(engine)
    for name in candidates if fallback else candidates[:1]:
        path = engine_path(name)
        if path is None:
            failures.append({"engine": name, "code": "engine_missing",
                             "params": {"install": _INSTALL_HINT[name]}})
            continue
        try:
            return _run(path, dot, fmt, timeout or DEFAULT_TIMEOUT, should_cancel), name
        except EngineError as err:
            failures.append({"engine": name, "code": err.code, "params": err.params})
    raise EngineError("layout_failed", {"failures": failures})


def _run(path: str, dot: str, fmt: str, timeout: float, should_cancel,
         spare: bool = True) -> str:
    proc, spare = engine_spares.popen(path, fmt, spare=spare)  # started ahead of need, or now
    deadline = time.monotonic() + timeout
    try:
        if should_cancel is None:
            out, err = proc.communicate(dot, timeout=timeout)
        else:
            out, err = _communicate_polling(proc, dot, deadline, should_cancel)
    except subprocess.TimeoutExpired:
        engine_spares.end(proc)
        raise EngineError("engine_timeout", {"timeout": round(timeout)}) from None
    except BaseException:
        engine_spares.end(proc)
        raise
    if proc.returncode != 0:
        if spare and proc.returncode < 0 and not out and not err:
            # a spare killed from outside before its DOT came: once more, with a new process
            left = max(deadline - time.monotonic(), 0.001)
            return _run(path, dot, fmt, left, should_cancel, spare=False)
        detail = (err or "").strip().splitlines()
        raise EngineError("engine_exit", {"exitcode": proc.returncode,
                                          "detail": detail[-1] if detail else "no message"})
    return out


def _communicate_polling(proc, dot, deadline, should_cancel):
    """communicate() in short slices so a cancel request is seen within ~50 ms.

    The DOT goes in from a thread of its own: ``Popen.communicate`` retried after
    a timeout never writes the rest of its input (CPython only registers stdin
    when ``input`` is passed again, which it refuses), so a DOT bigger than the
    pipe's buffer would hang until the deadline whenever Graphviz had not read it
    all within the first slice (a loaded machine, a big graph).
    """
    stdin, proc.stdin = proc.stdin, None  # the feeder writes and closes it
    feeder = threading.Thread(target=_feed, args=(stdin, dot), name="gradviz-dot-in",
                              daemon=True)
    feeder.start()
    try:
        while True:
            try:
                return proc.communicate(timeout=0.05)
            except subprocess.TimeoutExpired:
                if should_cancel():
                    engine_spares.end(proc)
                    raise Cancelled() from None
                if time.monotonic() > deadline:
                    raise
    finally:
        if proc.poll() is None:
            engine_spares.end(proc)
        feeder.join()


def _feed(stdin, dot: str) -> None:
    try:
        stdin.write(dot)
        stdin.close()
    except (BrokenPipeError, OSError, ValueError):  # the engine died or was killed
        pass
