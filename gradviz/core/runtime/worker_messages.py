"""The evaluation worker's messages, typed: what the child says back about a job.

The child sends them as JSON frames (see :mod:`gradviz.core.runtime.channel`, which
checks their shape); :func:`from_reply` turns a checked frame into one of these
small dataclasses, so the parent reads named fields, never positions.
Torch-free and Qt-free: both sides import it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

__all__ = ["JobDone", "JobFailed", "Progress", "Ready", "StartFailed", "from_reply"]


@dataclass(frozen=True)
class Ready:
    """The child imported what it preloads and is waiting for jobs."""

    pid: int
    memory_limit: int | None  # the cap it set (bytes), None when none


@dataclass(frozen=True)
class StartFailed:
    """The child could not start (its preload raised)."""

    traceback: str


@dataclass(frozen=True)
class Progress:
    """A running job's stage: ``done`` of ``total`` (core.pipeline's stages)."""

    done: int
    total: int

    def to_frame(self) -> dict[str, Any]:
        """The message as the JSON object the channel carries."""
        return {"reply": "progress", "done": self.done, "total": self.total}


@dataclass(frozen=True)
class JobDone:
    """A job returned ``value`` (plain data or a Snapshot) after printing ``output``."""

    value: Any
    output: str = ""


@dataclass(frozen=True)
class JobFailed:
    """A job failed: ``kind`` (see :data:`gradviz.core.runtime.channel.KINDS`), a one-line
    ``message`` and ``details`` (traceback, output, an input error's fields)."""

    kind: str
    message: str
    details: dict[str, Any] = field(default_factory=dict)

    def to_frame(self) -> dict[str, Any]:
        """The reply as the JSON object the channel carries."""
        return {"reply": "error", "kind": self.kind, "message": self.message,
                "details": self.details}


Message = Ready | StartFailed | Progress | JobDone | JobFailed


def from_reply(reply: dict[str, Any], value: Any = None) -> Message:
    """The message of a reply :func:`~gradviz.core.runtime.channel.check_reply` accepted;
    ``value``: a Snapshot sent in the frame after an ``ok`` reply."""
    kind = reply["reply"]
    if kind == "ready":
        return Ready(reply["pid"], reply["memory_limit"])
    if kind == "failed":
        return StartFailed(reply["traceback"])
    if kind == "progress":
        return Progress(reply["done"], reply["total"])
    if kind == "ok":
        return JobDone(value if reply["snapshot"] else reply.get("value"), reply["output"])
    return JobFailed(reply["kind"], reply["message"], reply["details"])
