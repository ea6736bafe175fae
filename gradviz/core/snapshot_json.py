"""Snapshot ⇄ strict JSON at native speed (msgspec), non-finite numbers as strings.

The Snapshot's dataclasses are encoded and decoded directly by msgspec (no
``asdict`` copy, no Python walk over the tree). Strict JSON has no NaN or
infinities: they are written as the strings ``"NaN"``, ``"Infinity"`` and
``"-Infinity"`` and read back as floats. Both directions stay fast because
the slow, exact path runs only when a document really holds such a number:

- writing: msgspec encodes NaN as ``null``, so a MessagePack encoding (C, a
  few ms) is searched first for a non-finite float64; only then is the tree
  converted to builtins and the non-finite floats replaced;
- reading: only when the text holds one of the three quoted words are the
  value fields (everything but the layout and text fields) walked.
"""

from __future__ import annotations

import contextlib
import contextvars
import functools
import math
import re
import typing
from collections.abc import Iterator
from dataclasses import dataclass, fields
from typing import Any

from .runtime.gcpause import paused_gc

# MessagePack float64 (0xcb) whose exponent bits are all ones: NaN or ±infinity. Inside
# UTF-8 text the pattern cannot occur (0xcb must be followed by a continuation byte); a
# false match in another number's bytes only takes the exact path.
_NON_FINITE_F64 = re.compile(rb"\xcb[\x7f\xff][\xf0-\xff]")
_NON_FINITE = {"NaN": math.nan, "Infinity": math.inf, "-Infinity": -math.inf}
_QUOTED = tuple(f'"{word}"' for word in _NON_FINITE)

# Keys whose strings are names or text, never encoded numbers ("NaN" is a valid name).
TEXT_KEYS = frozenset(
    {"source", "id", "kind", "label", "op", "variable", "dtype", "node", "target", "name",
     "text", "engine", "shape", "style", "fillcolor", "saved_of", "attrs", "meta", "font",
     "reduction", "schema", "module", "expression"}
)


@dataclass
class _Header:
    schema: Any = None


@functools.cache
def _msgspec():
    """msgspec, imported on first use: the window paints before it is needed (~25 ms)."""
    import msgspec

    return msgspec


# The Snapshot's fields that live in one process only: never written, never read back.
LOCAL_FIELDS = frozenset({"statements", "derived"})


def payload(snapshot: Any) -> dict[str, Any]:
    """The Snapshot's fields in the JSON contract's key order (schema first), values as is."""
    data = {f.name: getattr(snapshot, f.name) for f in fields(snapshot)
            if f.name not in LOCAL_FIELDS}
    return {"schema": data.pop("schema"), **data}


def _local_fields_cleared(snapshot: Any) -> Any:
    """``snapshot`` as read from a document: whatever the document said, no local fields."""
    snapshot.statements, snapshot.derived = None, {}
    return snapshot


def to_builtins(snapshot: Any) -> dict[str, Any]:
    """Plain dicts, lists and numbers (non-finite floats kept as floats)."""
    with paused_gc():
        return _msgspec().to_builtins(payload(snapshot))


def encode(snapshot: Any, indent: int | None = None, ahead: dict | None = None) -> bytes:
    """Strict JSON bytes (UTF-8), compact unless ``indent`` is given.

    ``ahead``: fields already encoded by :func:`encode_ahead`, used for each field that
    still holds the very object encoded then (the caller vouches nothing changed inside).
    """
    data = payload(snapshot)
    done = {name: text for name, (value, text) in (ahead or {}).items()
            if data.get(name) is value}
    if not done:
        text = _encode_value(data)
    else:  # compact JSON of a dict is its members' JSON joined: the same bytes
        members = [b'"%s":%s' % (name.encode(), done[name] if name in done else
                                 _encode_value(value)) for name, value in data.items()]
        text = b"{" + b",".join(members) + b"}"
    return text if indent is None else _msgspec().json.format(text, indent=indent)


#: The Snapshot fields that are final once the backward pass is traced: the bulk of a
#: document (the layout, the outputs and meta come later).
AHEAD_FIELDS = ("variables", "nodes", "edges", "steps")
AHEAD_KEY = "json_ahead"  # in ``Snapshot.derived``: what encode_ahead gave
_AHEAD_WANTED: contextvars.ContextVar[bool] = contextvars.ContextVar("gradviz_json_ahead",
                                                                     default=False)


@contextlib.contextmanager
def encoding_ahead() -> Iterator[None]:
    """Within it, a build that waits for Graphviz encodes its Snapshot's bulk meanwhile
    (``derived[AHEAD_KEY]``): for callers that write the Snapshot out as soon as it is
    built, unchanged (``Snapshot.to_json_bytes(fresh=True)``)."""
    token = _AHEAD_WANTED.set(True)
    try:
        yield
    finally:
        _AHEAD_WANTED.reset(token)


def ahead_wanted() -> bool:
    """Whether the caller asked for :func:`encoding_ahead`."""
    return _AHEAD_WANTED.get()


def encode_ahead(snapshot: Any) -> dict[str, tuple[Any, bytes]]:
    """The JSON of :data:`AHEAD_FIELDS`, each with the object it was made from: for
    :func:`encode` later, when the build's objects are no longer in the CPU's caches
    (the pipeline calls this while Graphviz lays the graph out)."""
    return {name: (value, _encode_value(value))
            for name in AHEAD_FIELDS for value in (getattr(snapshot, name),)}


def _encode_value(value: Any) -> bytes:
    """Strict JSON of one value: non-finite floats as strings (see the module doc)."""
    msgspec = _msgspec()
    if _NON_FINITE_F64.search(msgspec.msgpack.encode(value)):
        with paused_gc():
            value = encode_floats(msgspec.to_builtins(value))
    return msgspec.json.encode(value)


def decode(text: str | bytes, cls: type, schema: str) -> Any:
    """A ``cls`` (the Snapshot class) from :func:`encode` output; checks ``schema``.

    ValueError (msgspec's errors are ValueErrors) for bad JSON, a wrong schema or
    a document that is not a Snapshot.
    """
    msgspec = _msgspec()
    check_schema(msgspec.json.decode(text, type=_Header).schema, schema)
    non_finite = _has_quoted_non_finite(text)
    with paused_gc():  # hundreds of thousands of new objects, no cycles among them
        try:  # strict: a field of the wrong type is an error, not a coercion ("0" -> 0)
            snapshot = msgspec.json.decode(text, type=cls)
        except msgspec.ValidationError:
            if not non_finite:
                raise
            # "NaN" in a float field (the layout's): only lax mode reads it as a float.
            snapshot = msgspec.json.decode(text, type=cls, strict=False)
        if non_finite:
            _restore_floats(snapshot)
    return _local_fields_cleared(snapshot)


def convert(data: dict[str, Any], cls: type, schema: str) -> Any:
    """A ``cls`` from :func:`to_builtins`-like dicts (floats already decoded); checks ``schema``."""
    check_schema(data.get("schema"), schema)
    with paused_gc():
        return _local_fields_cleared(_msgspec().convert(data, type=cls))


def check_schema(found: Any, expected: str) -> None:
    """ValueError unless ``found`` is the schema this version reads."""
    if found != expected:
        raise ValueError(f"unsupported snapshot schema {found!r} (expected {expected!r})")


def _has_quoted_non_finite(text: str | bytes) -> bool:
    if isinstance(text, (bytes, bytearray, memoryview)):
        raw = bytes(text)
        return any(word.encode() in raw for word in _QUOTED)
    return any(word in text for word in _QUOTED)


def encode_floats(value: Any) -> Any:
    """Plain data with every non-finite float replaced by its string."""
    if isinstance(value, float) and not math.isfinite(value):
        return "NaN" if math.isnan(value) else ("Infinity" if value > 0 else "-Infinity")
    if isinstance(value, list):
        return [encode_floats(v) for v in value]
    if isinstance(value, dict):
        return {k: encode_floats(v) for k, v in value.items()}
    return value


def decode_floats(value: Any, key: str | None = None) -> Any:
    """The inverse of :func:`encode_floats`, leaving the strings under TEXT_KEYS alone."""
    if key in TEXT_KEYS:
        return value
    if isinstance(value, str) and value in _NON_FINITE:
        return _NON_FINITE[value]
    if isinstance(value, list):
        return [decode_floats(v) for v in value]
    if isinstance(value, dict):
        return {k: decode_floats(v, k) for k, v in value.items()}
    return value


def _restore_floats(obj: Any) -> None:
    """decode_floats on every value field of a decoded Snapshot, in place.

    The layout is skipped: its numbers are typed floats, which msgspec already
    read from the strings.
    """
    for f in fields(obj):
        if f.name in TEXT_KEYS or f.name == "layout":
            continue
        value = getattr(obj, f.name)
        if hasattr(value, "__dataclass_fields__"):
            _restore_floats(value)
        elif isinstance(value, list) and value and hasattr(value[0], "__dataclass_fields__"):
            for item in value:
                _restore_floats(item)
        else:
            setattr(obj, f.name, decode_floats(value, f.name))


def unknown_fields(text: str | bytes, cls: type, decoded: Any = None) -> list[str]:
    """Keys in a Snapshot's JSON that its dataclasses do not declare (decoding drops them).

    For untrusted senders (the worker channel), which must send exactly the schema.
    ``decoded``: the Snapshot read from ``text``; when re-encoding it gives ``text`` back
    byte for byte (what :func:`encode` wrote), nothing was dropped and no walk is needed.
    """
    if decoded is not None:
        raw = text.encode("utf-8") if isinstance(text, str) else bytes(text)
        # plain msgspec first: :func:`encode`'s search for non-finite floats only matters
        # when the document holds some (then the plain text differs, and encode decides)
        if _msgspec().json.encode(payload(decoded)) == raw or encode(decoded) == raw:
            return []
    found: list[str] = []
    _unknown(_msgspec().json.decode(text), cls, "snapshot", found)
    return found


def _unknown(data: Any, cls: type, where: str, found: list[str]) -> None:
    if not isinstance(data, dict):
        return
    hints = _hints(cls)
    for key, value in data.items():
        if key not in hints:
            found.append(f"{where}.{key}")
            continue
        inner = _dataclass_in(hints[key])
        if inner is None:
            continue
        if isinstance(value, dict):
            items = value.values() if _is_mapping(hints[key]) else [value]
        else:
            items = value if isinstance(value, list) else [value]
        for item in items:
            _unknown(item, inner, f"{where}.{key}", found)


@functools.cache
def _hints(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls)


def _dataclass_in(tp: Any) -> type | None:
    """The dataclass a field's type holds (``X``, ``X | None``, ``list[X]``, ``dict[str, X]``)."""
    if hasattr(tp, "__dataclass_fields__"):
        return tp
    for arg in typing.get_args(tp):
        found = _dataclass_in(arg)
        if found is not None:
            return found
    return None


def _is_mapping(tp: Any) -> bool:
    if typing.get_origin(tp) is dict:
        return True
    return any(_is_mapping(arg) for arg in typing.get_args(tp))
