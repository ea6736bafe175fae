"""A Snapshot decoded from an untrusted sender (the evaluation worker's channel), checked
against its declared types.

msgspec's typed decode (:mod:`gradviz.core.snapshot_json`; strict: no ``"0"`` for an
int, no bool for a number, dataclasses of their declared class) has checked every typed
field already. What it lets through is the free-form JSON of ``Any`` and bare ``dict``
fields (values, explanations, meta): walked here, JSON's own kinds nested at most 64
deep. Fields that hold no free-form JSON at any depth (the layout, the edges) are not
walked: on a 3,000-op chain this check went from ~0.9 s to ~50 ms.

Torch-free and Qt-free.
"""

from __future__ import annotations

import functools
import types
import typing
from dataclasses import fields, is_dataclass
from itertools import repeat
from typing import Any


def bad_field(snapshot: Any) -> str | None:
    """The first field of a decoded ``snapshot`` that does not fit its declared type
    (``"snapshot.steps.explanation"``), or None when every one does."""
    return _bad_field(snapshot, "snapshot")


def _bad_field(obj: Any, where: str) -> str | None:
    for name, hint, holds in _free_fields(type(obj)):
        value, inner = getattr(obj, name), f"{where}.{name}"
        if isinstance(holds, type):  # dataclasses of one class, as the typed decode made them
            items = value if type(value) is list else value.values() if type(value) is dict \
                else () if value is None else (value,)
            for item in items:
                bad = inner if not isinstance(item, holds) else _bad_field(item, inner)
                if bad is not None:
                    return bad
            continue
        if not _fits(value, hint):
            return inner
        for item in _dataclasses_in(value) if holds is None else ():  # a mixed form
            bad = _bad_field(item, inner)
            if bad is not None:
                return bad
    return None


@functools.cache
def _free_fields(cls: type) -> tuple[tuple[str, Any, type | bool | None], ...]:
    """``cls``'s fields whose values may hold free-form JSON: name, type hint, and what
    else they hold: a dataclass (``X``, ``X | None``, ``list[X]``, ``dict[str, X]``),
    False (no dataclass: JSON only) or None (another form, walked by value)."""
    hints = typing.get_type_hints(cls)  # once per class: it compiles every annotation
    return tuple((f.name, hints[f.name], _holds(hints[f.name])) for f in fields(cls)
                 if _free_form(hints[f.name]))


def _free_form(hint: Any) -> bool:
    """Whether a value of type ``hint`` may hold free-form JSON (``Any``, a bare ``dict``,
    or a dataclass with such a field)."""
    if hint is Any or hint is dict:
        return True
    if isinstance(hint, type) and is_dataclass(hint):
        return bool(_free_fields(hint))
    return any(_free_form(arg) for arg in _parts(hint)[1])


def _holds(hint: Any) -> type | bool | None:
    """The dataclass in ``X``, ``X | None``, ``list[X]`` or ``dict[str, X]``; False for a
    form without any dataclass; None for any other."""
    if not _has_dataclass(hint):
        return False
    origin, args = _parts(hint)
    if origin in _UNIONS:
        rest = [arg for arg in args if arg is not type(None)]
        return _holds(rest[0]) if len(rest) == 1 and _parts(rest[0])[0] is None else None
    if origin is list or origin is dict:
        hint = args[-1]
    elif origin is not None:
        return None
    return hint if isinstance(hint, type) and is_dataclass(hint) else None


def _has_dataclass(hint: Any) -> bool:
    if isinstance(hint, type) and is_dataclass(hint):
        return True
    return any(_has_dataclass(arg) for arg in _parts(hint)[1])


@functools.cache
def _parts(hint: Any) -> tuple[Any, tuple]:
    """``typing.get_origin`` and ``get_args`` of ``hint``, computed once."""
    return typing.get_origin(hint), typing.get_args(hint)


def _dataclasses_in(value: Any) -> list:
    if is_dataclass(value):
        return [value]
    if isinstance(value, list):
        return [v for v in value if is_dataclass(v)]
    if isinstance(value, dict):
        return [v for v in value.values() if is_dataclass(v)]
    return []


def _fits(value: Any, hint: Any) -> bool:
    """Whether ``value`` fits the type ``hint`` (the few forms Snapshot uses)."""
    if hint is Any:
        return _plain_json(value)
    origin, args = _parts(hint)
    if origin in _UNIONS:
        return any(_fits(value, arg) for arg in args)
    if origin is list:
        return isinstance(value, list) and all(_fits(v, args[0]) for v in value)
    if origin is dict:
        return isinstance(value, dict) and all(
            isinstance(k, str) and _fits(v, args[1]) for k, v in value.items())
    if hint is type(None):
        return value is None
    if hint is float:
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    if hint is int:
        return isinstance(value, int) and not isinstance(value, bool)
    if hint is dict:
        return isinstance(value, dict) and _plain_json(value)
    if isinstance(hint, type):
        return isinstance(value, hint)
    return False


_UNIONS = (typing.Union, getattr(types, "UnionType", typing.Union))
_SCALARS = frozenset({type(None), bool, int, float, str})


def _plain_json(value: Any, depth: int = 0) -> bool:
    """Only JSON's own kinds, nested at most 64 deep (what decoding gives back)."""
    if depth > 64:
        return False
    kind = type(value)
    if kind in _SCALARS:
        return True
    if kind is list:
        items = value
    elif kind is dict:
        if not all(map(isinstance, value, repeat(str))):  # no Python call per key
            return False
        items = value.values()
    else:
        return _plain_subclass(value, depth)
    if depth == 64:  # its items would be 65 deep
        return not items
    for item in items:  # numbers and strings without a call each: most items are
        if type(item) not in _SCALARS and not _plain_json(item, depth + 1):
            return False
    return True


def _plain_subclass(value: Any, depth: int) -> bool:
    """:func:`_plain_json` for subclasses of JSON's kinds."""
    if value is None or isinstance(value, (bool, int, str, float)):
        return True
    if isinstance(value, list):
        return all(_plain_json(v, depth + 1) for v in value)
    if isinstance(value, dict):
        return all(isinstance(k, str) and _plain_json(v, depth + 1) for k, v in value.items())
    return False
