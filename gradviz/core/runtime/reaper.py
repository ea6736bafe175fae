"""Every process a job started is gone when the job ends, even one that left its session.

On Linux the worker's child makes itself a *child subreaper*
(``prctl(PR_SET_CHILD_SUBREAPER)``): a grandchild whose parent exits, even
after ``setsid()`` and a double fork, is re-parented to the worker's child
rather than to init, so it stays among the child's descendants in ``/proc``.
:func:`kill_tree` stops the whole tree (so nothing forks meanwhile), then kills
it. Elsewhere only the process group is killed (``killpg``).

A worker that dies (a crash, ``os._exit``) takes its subreaper role with it:
``gradviz export`` is therefore a subreaper too, and kills whatever is left
below it when it ends.

The app's own process is also made non-dumpable (``PR_SET_DUMPABLE`` 0, by the
command line), so code in the worker cannot open the app's pipes through
``/proc/<pid>/fd`` nor attach to it.

Torch-free and Qt-free.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys

PR_SET_DUMPABLE = 4
PR_SET_CHILD_SUBREAPER = 36
_ROUNDS = 20  # stop-and-collect passes before killing (each catches late forks)


def _prctl(option: int, value: int) -> bool:
    if not sys.platform.startswith("linux"):
        return False
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        return libc.prctl(option, value, 0, 0, 0) == 0
    except (OSError, AttributeError):
        return False


def become_subreaper() -> bool:
    """Make this process the reaper of its orphaned descendants (Linux); True if done."""
    return _prctl(PR_SET_CHILD_SUBREAPER, 1)


def make_undumpable() -> bool:
    """Forbid other processes of this user to read this one's /proc fds and memory."""
    return _prctl(PR_SET_DUMPABLE, 0)


def mechanism() -> str:
    """What gradviz uses here to end every process a job started (for ``doctor``)."""
    if sys.platform.startswith("linux") and os.path.isdir("/proc/self/task"):
        return ("PR_SET_CHILD_SUBREAPER in the worker, then every descendant found in /proc "
                "is stopped and killed; the app is non-dumpable (PR_SET_DUMPABLE 0)")
    return "process group only (killpg): a process that calls setsid() may survive"


def descendants(pid: int) -> list[int]:
    """The processes below ``pid`` (Linux /proc; empty elsewhere), parents first."""
    children: dict[int, list[int]] = {}
    try:
        entries = os.listdir("/proc")
    except OSError:
        return []
    for entry in entries:
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as stat:
                ppid = int(stat.read().rsplit(b")", 1)[1].split()[1])
        except (OSError, ValueError, IndexError):
            continue
        children.setdefault(ppid, []).append(int(entry))
    found, todo = [], [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


def kill_tree(pid: int) -> None:
    """Stop ``pid`` and all its descendants, then kill them all (``pid`` last)."""
    _signal(pid, signal.SIGSTOP)
    for child in _stop_descendants(pid):
        _signal(child, signal.SIGKILL)
    with contextlib.suppress(OSError):
        os.killpg(pid, signal.SIGKILL)  # where /proc is missing: the group at least
    _signal(pid, signal.SIGKILL)


def kill_descendants() -> None:
    """Stop and kill every process below this one (the end of a headless command)."""
    for child in _stop_descendants(os.getpid()):
        _signal(child, signal.SIGKILL)


def _stop_descendants(pid: int) -> set[int]:
    """SIGSTOP every process below ``pid``, again until no new one appears (a stopped
    process cannot fork); the stopped pids."""
    stopped: set[int] = set()
    for _ in range(_ROUNDS):
        new = [p for p in descendants(pid) if p not in stopped]
        if not new:
            break
        for child in new:
            _signal(child, signal.SIGSTOP)
        stopped.update(new)
    return stopped


def _signal(pid: int, sig: int) -> None:
    with contextlib.suppress(OSError):
        os.kill(pid, sig)
