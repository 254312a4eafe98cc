"""The files a command acts on when a writer names files or folders."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

# Folders that never hold a writer's files: tools and the built site.
SKIPPED_FOLDERS = frozenset({"node_modules", "site"})


def files_under(given: Path, suffixes: frozenset[str] | tuple[str, ...] | None = None) -> Iterator[Path]:
    """``given`` itself when it is a file; otherwise every file below it (sorted), skipping hidden
    files and folders and :data:`SKIPPED_FOLDERS`, limited to ``suffixes`` (lower-case) when given."""
    if given.is_file():
        yield given
        return
    for dirpath, dirnames, filenames in os.walk(given):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith(".") and d not in SKIPPED_FOLDERS)
        for name in sorted(filenames):
            if name.startswith("."):
                continue
            if suffixes is None or name.lower().endswith(tuple(suffixes)):
                yield Path(dirpath) / name
