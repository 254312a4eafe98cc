"""The browser the tests and the search benchmark drive: Debian's Chromium (scripts/system-deps), headless."""

from __future__ import annotations

from pathlib import Path

CHROMIUM = Path("/usr/bin/chromium")
# No sandbox (containers, root), and nothing of Chromium's own network traffic, so every request is the page's.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--disable-quic"]
