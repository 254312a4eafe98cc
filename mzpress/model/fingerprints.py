"""Stable hashes of plain values: the keys of every cache (renderings, build results).

A key must change whenever any input changes and never depend on object addresses.

Values are written with pickle (C speed: a page's output key over its HTML, headings and front matter took
0.33 ms with the Python walk below and 0.015 ms so): pickle reads back exactly the value it wrote, so two
different values never share a key. Equal values built differently (a dict filled in another order, a set
in a process with another hash seed) may get different keys: a cache miss, never a wrong hit; the build
cache's tests rebuild in a new process and require every entry to be found again. A value pickle cannot
write (a function, a lock) is walked instead (:func:`_feed`: types and public state, dicts and sets sorted).
"""

from __future__ import annotations

import hashlib
import pickle
from typing import Any


def fingerprint(*parts: Any) -> str:
    """A stable hash of strings, bytes, numbers and nested lists/tuples/dicts of them."""
    try:
        data = pickle.dumps(parts, protocol=5)
    except Exception:  # noqa: BLE001 - anything pickle refuses is walked instead
        digest = hashlib.sha256(b"walked:")
        _feed(digest, parts)
        return digest.hexdigest()
    return hashlib.sha256(b"pickled:" + data).hexdigest()


def _feed(digest, value: Any) -> None:
    if isinstance(value, bytes):
        digest.update(b"b%d:" % len(value) + value)
    elif isinstance(value, str):
        data = value.encode("utf-8", "surrogatepass")
        digest.update(b"s%d:" % len(data) + data)
    elif isinstance(value, bool | int | float) or value is None:
        digest.update(f"v{value!r};".encode())
    elif isinstance(value, dict):
        digest.update(b"d%d:" % len(value))
        for key in sorted(value, key=repr):
            _feed(digest, key)
            _feed(digest, value[key])
    elif isinstance(value, list | tuple | set | frozenset):
        items = sorted(value, key=repr) if isinstance(value, set | frozenset) else value
        digest.update(b"l%d:" % len(items))
        for item in items:
            _feed(digest, item)
    else:  # objects: their type and public state, never their address
        state = getattr(value, "__dict__", None)
        digest.update(f"o{type(value).__module__}.{type(value).__qualname__}:".encode())
        _feed(digest, {k: v for k, v in (state or {}).items() if not k.startswith("_")} if state is not None
              else repr(value))
