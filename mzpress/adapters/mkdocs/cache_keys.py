"""MkDocs objects as plain values, for the keys of the build cache (see build_cache.fingerprint)."""

from __future__ import annotations


def plain(value):
    """MkDocs Config objects (nested) as plain dicts, for fingerprints."""
    if isinstance(value, dict) or hasattr(value, "items") and not isinstance(value, str):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    return value if isinstance(value, str | int | float | bool | type(None)) else repr(value)


def nav_signature(items) -> list:
    """The navigation as the templates show it: kinds, titles, addresses, front matter (icons, status), nesting."""
    return [(type(item).__name__, item.title, getattr(item, "url", None), plain(getattr(item, "meta", None)),
             nav_signature(item.children or [])) for item in items or []]


def toc_signature(items) -> list:
    """A page's headings (table of contents), nested."""
    return [(item.id, item.url, item.title, item.level, toc_signature(item.children)) for item in items or []]
