"""Stable hashes of plain values: the keys of every cache (renderings, build results).

A key must change whenever any input changes and never depend on object addresses or dict order.
"""

from __future__ import annotations

import hashlib
from typing import Any


def fingerprint(*parts: Any) -> str:
    """A stable hash of strings, bytes, numbers and nested lists/tuples/dicts of them."""
    digest = hashlib.sha256()
    _feed(digest, parts)
    return digest.hexdigest()


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
