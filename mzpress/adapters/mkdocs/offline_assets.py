"""Keeping the built site self-contained: no script, style or font is loaded from another host.

The site's pages do not load Material's JavaScript bundle (overrides/main.html; mzpress.js does
what readers used of it), so the build does not publish it, nor the polyfill only it loads
(``unused_bundle_files``). Only a build with Material's own search configured (the search
benchmark's baseline) loads the bundle; there it must not reach unpkg.com either: the bundle
loads two libraries from there on demand, a ResizeObserver polyfill (for old browsers) and
Mermaid (only for diagrams). We ship the polyfill ourselves and point the bundle at it; Mermaid
is not shipped (diagrams are not enabled), so its URL is pointed at the same site, where a
missing file fails quietly instead of contacting a foreign host (``localise_script``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

POLYFILL_PATH = "assets/javascripts/vendor/resize-observer-polyfill.js"
MERMAID_PATH = "assets/javascripts/vendor/mermaid-not-bundled.js"
# Material's bundle (its name carries a content hash) and its source map.
_BUNDLE = re.compile(r"assets/javascripts/bundle\.[0-9a-f]+\.min\.js(\.map)?")

_REWRITES = (
    (re.compile(r"https://unpkg\.com/resize-observer-polyfill[^\"'`]*"), POLYFILL_PATH),
    (re.compile(r"https://unpkg\.com/mermaid@[^\"'`]*"), MERMAID_PATH),
)


def localise_script(text: str, base_path: str) -> str:
    """Point on-demand library loads at ``base_path`` (the site's path, e.g. ``/`` or ``/mz/``)."""
    base = "/" + base_path.strip("/") + "/" if base_path.strip("/") else "/"
    for pattern, local in _REWRITES:
        text = pattern.sub(base + local, text)
    return text


def unused_bundle_files(paths: Iterable[str]) -> list[str]:
    """Of the site's file ``paths``, Material's bundle, its source map and the polyfill only the bundle loads."""
    return [path for path in paths if path == POLYFILL_PATH or _BUNDLE.fullmatch(path)]
