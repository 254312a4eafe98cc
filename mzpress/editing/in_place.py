"""Rewriting a writer's file in place without ever losing what was there.

The original is kept first (see ``backups.py``: a copy under ``.mzpress-backup/`` at the
project root, or ``FILE.bak`` beside a file outside any project; an existing backup is never
overwritten; or, when allowed, git's copy when the file is committed unchanged), then the
new content is written to a temporary file beside it and moved over the original in one
step, so a failure leaves either the old or the new file, never a partial one.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from mzpress.editing.backups import keep_original, write_backup


def replace_contents(path: Path, data: bytes) -> None:
    """Atomically replace the content of ``path``, keeping its permissions."""
    path = Path(path)
    mode = path.stat().st_mode & 0o7777
    handle, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        os.chmod(name, mode)
        os.replace(name, path)
    except BaseException:
        try:
            os.unlink(name)
        except OSError:
            pass
        raise


def rewrite(path: Path, data: bytes, *, git_is_backup: bool) -> Path | None:
    """Keep the original, then write ``data``; returns the backup path (None when git keeps it).

    With ``git_is_backup`` no copy is made when the file is committed in git exactly as it is.
    """
    backup = keep_original(path) if git_is_backup else write_backup(path)
    replace_contents(path, data)
    return backup
