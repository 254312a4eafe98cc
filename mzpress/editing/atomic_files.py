"""Writing new files all-or-nothing, never replacing one that exists.

Each file is written to a hidden temporary name beside its target, then moved into
place over an empty placeholder that was created exclusively (so an existing file is
never touched, even when another program creates it meanwhile). If anything fails, every
file and folder created so far is removed again: the writer is left with all or none.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Mapping
from pathlib import Path


class TargetExistsError(FileExistsError):
    def __init__(self, path: Path):
        super().__init__(str(path))
        self.path = path


def _make_dirs(directory: Path, created: list[Path]) -> None:
    missing = []
    for parent in (directory, *directory.parents):
        if parent.exists():
            break
        missing.append(parent)
    for folder in reversed(missing):
        folder.mkdir()
        created.append(folder)


def write_new_files(files: Mapping[Path, bytes]) -> list[Path]:
    """Create every file of ``files`` (path -> content), in order, or none of them.

    Raises :class:`TargetExistsError` (nothing written) when a target already exists.
    """
    for path in files:
        if os.path.lexists(path):
            raise TargetExistsError(Path(path))
    created_dirs: list[Path] = []
    created: list[Path] = []
    temporary: list[Path] = []
    try:
        for path, data in files.items():
            path = Path(path)
            _make_dirs(path.parent, created_dirs)
            handle, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
            temporary.append(Path(name))
            with os.fdopen(handle, "wb") as stream:
                stream.write(data)
            os.chmod(name, 0o644)  # mkstemp makes files private; these are ordinary content
            try:
                placeholder = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
            except FileExistsError:
                raise TargetExistsError(path) from None
            os.close(placeholder)
            created.append(path)
            os.replace(name, path)
            temporary.remove(Path(name))
        return list(created)
    except BaseException:
        for path in [*temporary, *created]:
            try:
                path.unlink()
            except OSError:
                pass
        for folder in reversed(created_dirs):
            try:
                folder.rmdir()
            except OSError:
                pass
        raise
