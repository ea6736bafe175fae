"""Spare layout engines: a Graphviz process started ahead of need, waiting for its DOT.

Starting ``graphviz-pure`` or ``dot`` costs 1–2 ms of a small graph's ~5 ms layout
(more on a loaded machine: the fork of a process that holds torch, the engine's own
start-up). A long-lived process that lays out graph after graph (the evaluation
worker's child) turns spares on with :func:`enable`: then each engine and output
format it has used keeps one process waiting on its stdin, started by :func:`refill`
while the process is idle, and the next layout begins at once. Off by default: in a
process that lays out now and then (the API's own builds, the window's folds) a spare
would mostly wait unused.

A spare reads nothing until its DOT comes, and ends on its own when its owner exits
(its stdin closes: an empty input, nothing laid out). Torch-free and Qt-free.
"""

from __future__ import annotations

import subprocess
import threading

__all__ = ["close_all", "enable", "enabled", "end", "popen", "refill", "waiting", "want"]

_lock = threading.Lock()
_spares: dict[tuple[str, str], subprocess.Popen] = {}
_wanted: set[tuple[str, str]] = set()
_on = False


def enable(on: bool = True) -> None:
    """Keep spares from now on (``on`` false: stop, and end the ones waiting)."""
    global _on
    _on = on
    if not on:
        close_all()


def enabled() -> bool:
    """Whether spares are kept (:func:`enable`)."""
    return _on


def want(path: str, fmt: str) -> None:
    """Keep a spare of the engine at ``path`` for ``-T{fmt}`` (started by :func:`refill`)."""
    if _on:
        with _lock:
            _wanted.add((path, fmt))


def popen(path: str, fmt: str, *, spare: bool = True) -> tuple[subprocess.Popen, bool]:
    """An engine process for ``-T{fmt}`` with text pipes on stdin, stdout and stderr, and
    whether it is a spare: the spare when one waits and looks alive (``spare`` false: never),
    else one started now. Nothing is written to it yet.

    A spare killed from outside can still look alive for a moment (a dying process's
    threads): the caller tells a spare that ended before its DOT came and starts afresh."""
    with _lock:
        waiting = _spares.pop((path, fmt), None) if spare else None
        if _on:
            _wanted.add((path, fmt))
    if waiting is not None and waiting.poll() is None:
        return waiting, True
    if waiting is not None:
        end(waiting)
    return _start(path, fmt), False


def refill() -> None:
    """Start a spare for each wanted engine and format that has none (call when idle)."""
    if not _on:
        return
    with _lock:
        missing = [key for key in _wanted if key not in _spares]
    for path, fmt in missing:
        try:
            proc = _start(path, fmt)
        except OSError:  # the engine went away: the next layout says so, as without spares
            continue
        with _lock:
            extra = _spares.get((path, fmt))
            _spares[(path, fmt)] = proc
        if extra is not None:  # another thread refilled it meanwhile
            end(extra)


def waiting() -> dict[tuple[str, str], int]:
    """(engine path, format) -> process id of each spare waiting now."""
    with _lock:
        return {key: proc.pid for key, proc in _spares.items()}


def close_all() -> None:
    """End every waiting spare."""
    with _lock:
        spares = list(_spares.values())
        _spares.clear()
        _wanted.clear()
    for proc in spares:
        end(proc)


def _start(path: str, fmt: str) -> subprocess.Popen:
    return subprocess.Popen([path, f"-T{fmt}"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, encoding="utf-8")


def end(proc: subprocess.Popen) -> None:
    """Kill an engine process (if it still runs) and collect what is left of it."""
    if proc.poll() is None:
        proc.kill()
    try:
        proc.communicate(timeout=5)
    except (subprocess.TimeoutExpired, ValueError, OSError):
        pass
