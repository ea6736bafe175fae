"""Which lesson code the user trusts, remembered by content hash (torch-free).

Opening a lesson never runs its Python code; running it needs the user's
confirmation, and :class:`TrustStore` remembers that confirmation by the
SHA-256 of the code. Changed code has another digest, so gradviz asks again.

The store is a small JSON file::

    {"schema": "gradviz.trust/1",
     "trusted": {"<sha256 hex>": {"name": "A small MLP", "since": "2025-01-31T10:00:00Z"}}}

A missing, unreadable or corrupt file reads as empty (nothing trusted) and is
rewritten whole by the next :meth:`TrustStore.trust`; it never stops the app.
Writes are atomic (temp file, fsync, rename) and private (mode 0600). Two
apps trusting at the same moment may lose one entry: the user is asked again.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import time
from pathlib import Path

from gradviz.core.runtime.files import write_atomically

TRUST_SCHEMA = "gradviz.trust/1"
TRUST_FILE_ENV = "GRADVIZ_TRUST_FILE"
_DIGEST = re.compile(r"[0-9a-f]{64}\Z")


def code_digest(code: str) -> str:
    """The SHA-256 hex digest of ``code``'s UTF-8 bytes (exactly as written: no normalising)."""
    return hashlib.sha256(code.encode("utf-8", "surrogatepass")).hexdigest()


def default_trust_path() -> Path:
    """``$GRADVIZ_TRUST_FILE``, else ``$XDG_DATA_HOME/gradviz/trusted.json``.

    ``XDG_DATA_HOME`` defaults to ``~/.local/share``. The GUI passes its own
    path instead (under Qt's ``AppDataLocation``).
    """
    override = os.environ.get(TRUST_FILE_ENV)
    if override:
        return Path(override).expanduser()
    data_home = os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share"
    return Path(data_home) / "gradviz" / "trusted.json"


class TrustStore:
    """The set of code digests the user trusted, kept in a JSON file at ``path``."""

    def __init__(self, path: str | os.PathLike | None = None) -> None:
        self.path = Path(path) if path is not None else default_trust_path()

    def is_trusted(self, code: str) -> bool:
        """True if the user trusted exactly this code before."""
        return code_digest(code) in self._read()

    def trust(self, code: str, *, name: str = "") -> None:
        """Remember ``code`` as trusted (``name``: the lesson function's title, for display).

        Raises OSError if the file cannot be written: the caller may still run
        the code once, but must say that the choice was not remembered.
        """
        entries = self._read()
        since = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
        entries[code_digest(code)] = {"name": str(name), "since": since}
        self._write(entries)

    def forget(self, code: str) -> None:
        """Stop trusting ``code`` (nothing happens if it was not trusted)."""
        entries = self._read()
        if entries.pop(code_digest(code), None) is not None:
            self._write(entries)

    def entries(self) -> dict[str, dict]:
        """``digest -> {"name", "since"}`` for every trusted code (for a settings page)."""
        return self._read()

    def _read(self) -> dict[str, dict]:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
            trusted = data["trusted"] if data.get("schema") == TRUST_SCHEMA else {}
            return {
                digest: {"name": str(info.get("name", "")), "since": str(info.get("since", ""))}
                for digest, info in trusted.items()
                if isinstance(digest, str) and _DIGEST.match(digest) and isinstance(info, dict)
            }
        except (OSError, ValueError, TypeError, KeyError, AttributeError, RecursionError):
            return {}  # missing or corrupt: nothing is trusted, and the next trust() rewrites it

    def _write(self, entries: dict[str, dict]) -> None:
        data = {"schema": TRUST_SCHEMA, "trusted": dict(sorted(entries.items()))}
        text = json.dumps(data, indent=2, ensure_ascii=False) + "\n"
        write_atomically(self.path, text.encode("utf-8"), mode=0o600)
