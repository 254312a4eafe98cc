"""The Content-Type and Cache-Control of each site file in object storage, as deploy/nginx.conf serves them.

Object storage serves an object with the headers stored with it, so ``mzpress deploy --to s3://``
sets both on every live object. The rules follow deploy/nginx.conf: its ``types`` block with
``charset utf-8`` on text types, Atom for ``feeds/*.xml``, and its ``map`` of Cache-Control:
one year immutable for Material's fingerprinted assets, revalidation soon for HTML, XML and JSON
(pages, feeds, the search index), one hour for everything else.
"""

from __future__ import annotations

import re
from pathlib import PurePosixPath

IMMUTABLE = "public, max-age=31536000, immutable"
SHORT = "public, max-age=60, must-revalidate"  # a CDN may serve a page at most a minute after a publication
DEFAULT = "public, max-age=3600"

_TYPES = {
    ".html": "text/html", ".htm": "text/html",
    ".css": "text/css",
    ".js": "application/javascript", ".mjs": "application/javascript",
    ".json": "application/json", ".map": "application/json",
    ".xml": "application/xml",
    ".svg": "image/svg+xml", ".svgz": "image/svg+xml",
    ".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".gif": "image/gif",
    ".webp": "image/webp", ".ico": "image/x-icon",
    ".woff": "font/woff", ".woff2": "font/woff2",
    ".txt": "text/plain", ".csv": "text/csv",
    ".pdf": "application/pdf",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".gz": "application/gzip",
}
_TEXT_TYPES = frozenset({"text/html", "text/css", "text/plain", "text/csv", "application/javascript",
                         "application/json", "application/xml", "application/atom+xml", "image/svg+xml"})
_FEED = re.compile(r"(^|/)feeds/[^/]+\.xml$")
_FINGERPRINTED = re.compile(
    r"(^|/)assets/(javascripts/bundle\.[0-9a-f]{8,}\.min\.js"
    r"|javascripts/workers/search\.[0-9a-f]{8,}\.min\.js"
    r"|stylesheets/[a-z]+\.[0-9a-f]{8,}\.min\.css)$")
_SHORT_SUFFIXES = (".html", ".xml", ".json")


def content_type(path: str) -> str:
    """The Content-Type of the site file ``path`` (POSIX, relative to the site folder)."""
    if _FEED.search(path):
        media = "application/atom+xml"
    else:
        media = _TYPES.get(PurePosixPath(path).suffix.lower(), "application/octet-stream")
    return f"{media}; charset=utf-8" if media in _TEXT_TYPES else media


def cache_control(path: str) -> str:
    """The Cache-Control of the site file ``path``."""
    if _FINGERPRINTED.search(path):
        return IMMUTABLE
    if path.lower().endswith(_SHORT_SUFFIXES):
        return SHORT
    return DEFAULT
