"""The worker's reply channel: plain JSON frames, size-capped, read without ever blocking.

The child runs user code, so nothing it sends may run code in the app: replies
are length-prefixed UTF-8 JSON (never pickle), on a pipe of their own that only
carries replies. The parent reads with ``select`` and non-blocking reads, a
frame at a time, so a fake length header, a half-written frame or a silent
child never blocks it past its deadline; a header over :data:`REPLY_LIMIT`, bad
UTF-8, bad JSON or a reply that does not fit the schema raises
:class:`ChannelError` ("the function's process sent something invalid").

Torch-free and Qt-free: both sides import it.
"""

from __future__ import annotations

import contextlib
import json
import os
import select
import struct
from typing import Any

HEADER = struct.Struct("!Q")  # 8-byte big-endian length, then that many bytes of JSON
REPLY_LIMIT = 256 * 2**20  # bytes per frame: more is refused, never read
PIPE_SIZE = 2**20  # the reply pipe's buffer where the system lets it be set
INVALID = "The function's process sent something invalid"
KINDS = frozenset({"timeout", "memory", "crash", "user_error", "script_error", "engine",
                   "internal"})


class ChannelError(Exception):
    """The other side sent something that is not a valid frame or reply."""

    def __init__(self, why: str) -> None:
        super().__init__(f"{INVALID} ({why}).")
        self.why = why


def encode(message: Any, *, lenient: bool = False) -> bytes:
    """One frame: a header, then JSON (``message`` itself when it is JSON text already,
    ``str`` or UTF-8 ``bytes``).

    Strict by default (a value that is not plain data raises); ``lenient``
    writes anything else as its repr (error details).
    """
    if isinstance(message, bytes):
        data = message
    elif isinstance(message, str):
        data = message.encode("utf-8")
    else:
        data = json.dumps(message, allow_nan=lenient, separators=(",", ":"),
                          default=repr if lenient else None).encode("utf-8", "replace")
    return HEADER.pack(len(data)) + data


def write_frames(fd: int, frames: list[bytes]) -> None:
    """Write whole frames to ``fd`` (blocking: the child's side)."""
    data = memoryview(b"".join(frames))
    while data:
        data = data[os.write(fd, data):]


class FrameReader:
    """Reads frames from a pipe's read end; never blocks longer than asked."""

    def __init__(self, fd: int, limit: int = REPLY_LIMIT) -> None:
        os.set_blocking(fd, False)
        with contextlib.suppress(ImportError, OSError, AttributeError):
            import fcntl  # Linux: 1 MiB at a time, not 64 KiB (a big Snapshot: 70 reads)

            fcntl.fcntl(fd, fcntl.F_SETPIPE_SZ, PIPE_SIZE)
        self.fd, self.limit = fd, limit
        self._buffer = bytearray()
        self._need: int | None = None  # the current frame's length, once its header is in

    def next_frame(self, wait: float) -> bytes | None:
        """A complete frame, or None if none completed within ``wait`` seconds.

        Raises :class:`EOFError` when the other side closed the pipe and
        :class:`ChannelError` for a frame over the limit.
        """
        frame = self._take()
        if frame is not None:
            return frame
        ready, _, _ = select.select([self.fd], [], [], max(wait, 0.0))
        if not ready:
            return None
        try:
            chunk = os.read(self.fd, 1 << 20)
        except BlockingIOError:
            return None
        if not chunk:
            raise EOFError("the pipe was closed")
        self._buffer += chunk
        return self._take()

    def pending(self) -> bool:
        """True while bytes wait in the pipe (select says readable)."""
        return bool(select.select([self.fd], [], [], 0)[0])

    def _take(self) -> bytes | None:
        if self._need is None:
            if len(self._buffer) < HEADER.size:
                return None
            (self._need,) = HEADER.unpack_from(self._buffer)
            del self._buffer[: HEADER.size]
            if self._need > self.limit:
                raise ChannelError(f"a message of {self._need} bytes, over the "
                                   f"{self.limit // 2**20} MiB limit")
        if len(self._buffer) < self._need:
            return None
        frame = bytes(self._buffer[: self._need])
        del self._buffer[: self._need]
        self._need = None
        return frame


def parse_frame(frame: bytes) -> Any:
    """The JSON value of a frame (ChannelError if it is not UTF-8 JSON)."""
    try:
        return json.loads(frame.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError) as err:
        raise ChannelError(f"not JSON: {type(err).__name__}") from None


def check_reply(reply: Any) -> dict:
    """``reply`` if it fits one of the reply shapes the child sends, else ChannelError."""
    if not isinstance(reply, dict):
        raise ChannelError("a reply that is not an object")
    kind = reply.get("reply")
    shapes = {
        "ready": {"pid": int, "memory_limit": (int, type(None))},
        "failed": {"traceback": str},
        "ok": {"output": str, "snapshot": bool},
        "error": {"kind": str, "message": str, "details": dict},
        "progress": {"done": int, "total": int},
    }
    if kind not in shapes:
        raise ChannelError(f"an unknown reply {str(kind)[:40]!r}")
    for key, expected in shapes[kind].items():
        if not _is(reply.get(key), expected):
            raise ChannelError(f"a {kind!r} reply with a bad {key!r}")
    if kind == "error":
        _check_error(reply)
    return reply


def _check_error(reply: dict) -> None:
    if reply["kind"] not in KINDS:
        raise ChannelError("an error of an unknown kind")
    details = reply["details"]
    for key in ("output", "traceback", "exception", "path"):
        if key in details and not isinstance(details[key], str):
            raise ChannelError(f"an error with a bad {key!r}")
    if reply["kind"] == "user_error":
        data = details.get("input_error")
        expected = {"code": str, "message": str, "params": dict, "text": (str, type(None)),
                    "column": (int, type(None))}
        if not isinstance(data, dict) or any(not _is(data.get(k), t)
                                             for k, t in expected.items()):
            raise ChannelError("an input error with bad fields")
    if reply["kind"] == "engine":
        data = details.get("engine_error")
        if not isinstance(data, dict) or not _is(data.get("code"), str) \
                or not _is(data.get("params"), dict):
            raise ChannelError("a layout engine error with bad fields")


def _is(value: Any, expected: type | tuple) -> bool:
    """isinstance, except that a bool is not an int."""
    wanted = expected if isinstance(expected, tuple) else (expected,)
    return isinstance(value, wanted) and (bool in wanted or not isinstance(value, bool))


def check_snapshot(text: bytes) -> Any:
    """A Snapshot from its JSON frame, every field checked against its declared type
    (:func:`gradviz.core.snapshot_check.bad_field`)."""
    from ..snapshot import Snapshot
    from ..snapshot_check import bad_field
    from ..snapshot_json import unknown_fields

    try:
        snapshot = Snapshot.from_json(text.decode("utf-8"))
        extra = unknown_fields(text, Snapshot, decoded=snapshot)
    except (UnicodeDecodeError, ValueError, TypeError, KeyError, AttributeError,
            RecursionError) as err:
        raise ChannelError(f"not a snapshot: {type(err).__name__}") from None
    if extra:
        raise ChannelError(f"a snapshot with unknown fields ({', '.join(extra[:3])})")
    bad = bad_field(snapshot)
    if bad is not None:
        raise ChannelError(f"a snapshot with a bad {bad}")
    return snapshot
