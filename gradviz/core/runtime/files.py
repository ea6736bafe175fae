"""Files appear only complete: write beside the target, then rename over it.

Every writer in gradviz goes through here: exports (JSON, DOT, images,
GIFs), lessons (with a ``.bak`` of the previous version), screenshots and
the trust store.
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from collections.abc import Iterator
from pathlib import Path


def default_mode(path: Path) -> int:
    """The current file's mode, else 0666 less the umask (what ``open()`` would give)."""
    if path.is_file():
        return stat.S_IMODE(os.stat(path).st_mode)
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask


@contextlib.contextmanager
def atomic_path(path: str | os.PathLike, *, backup: bool = False,
                mode: int | None = None) -> Iterator[Path]:
    """``with atomic_path(p) as tmp:`` write ``tmp`` (same suffix); it becomes ``p`` on success.

    ``backup`` first copies the current file to ``p + ".bak"``. On an error
    the temp file is removed and ``p`` is left as it was.
    """
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    mode = default_mode(target) if mode is None else mode
    fd, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=target.suffix or ".part",
                                dir=target.parent)
    os.close(fd)
    tmp = Path(name)
    try:
        yield tmp
        with open(tmp, "rb+") as handle:
            os.fsync(handle.fileno())
        os.chmod(tmp, mode)
        if backup and target.is_file():
            write_atomically(target.with_name(target.name + ".bak"), target.read_bytes(),
                             mode=mode)
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)
    _sync_folder(target.parent)


def write_atomically(path: str | os.PathLike, data: bytes, *, backup: bool = False,
                     mode: int | None = None) -> None:
    """Write ``data`` to ``path`` whole or not at all (see :func:`atomic_path`)."""
    with atomic_path(path, backup=backup, mode=mode) as tmp:
        tmp.write_bytes(data)


def _sync_folder(folder: Path) -> None:
    """Make the rename itself durable (POSIX; not possible on Windows)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
