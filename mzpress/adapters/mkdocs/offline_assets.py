"""Keeping the built site self-contained: no script, style or font is loaded from another host.

Material's JavaScript bundle loads two libraries from unpkg.com on demand: a
ResizeObserver polyfill (for old browsers, common on elderly readers' phones)
and Mermaid (only for diagrams). We ship the polyfill ourselves and point the
bundle at it; Mermaid is not shipped (diagrams are not enabled), so its URL is
pointed at the same site, where a missing file fails quietly instead of
contacting a foreign host.
"""

from __future__ import annotations

import re

POLYFILL_PATH = "assets/javascripts/vendor/resize-observer-polyfill.js"
MERMAID_PATH = "assets/javascripts/vendor/mermaid-not-bundled.js"

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
