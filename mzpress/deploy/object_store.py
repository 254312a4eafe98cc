"""The pristine copies of every deployed file, by content: ``objects/<aa>/<sha256>``, outside the web root.

Release trees may share files between releases (hard links), so a file changed in place in the
live tree may be changed in older releases too. The object store never shares an inode with a
release: every copy in or out is a real copy, checked against its SHA-256 while it is copied, so
``mzpress verify --restore`` and ``mzpress rollback`` can always put back the exact bytes the
manifest names, and a damaged object is detected rather than spread.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable
from pathlib import Path

from mzpress.publishing.manifest import FileEntry

_CHUNK = 1 << 20
READ_ONLY = 0o444
_TEMPORARY_PREFIX = ".tmp-"


class ContentMismatch(Exception):
    """A copy whose bytes do not have the SHA-256 and size expected of them."""

    def __init__(self, source: Path, expected: FileEntry, found: FileEntry):
        super().__init__(str(source))
        self.source, self.expected, self.found = source, expected, found


def copy_checked(source: Path | str, dest: Path | str, expected: FileEntry, mode: int = READ_ONLY) -> None:
    """Copy ``source`` to the new file ``dest`` (never following symlinks), hashing while copying.

    Raises :class:`ContentMismatch` (``dest`` removed) when the bytes are not ``expected``."""
    digest = hashlib.sha256()
    size = 0
    src_fd = os.open(source, os.O_RDONLY | os.O_NOFOLLOW | os.O_CLOEXEC)
    try:
        dest_fd = os.open(dest, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC, 0o600)
        try:
            while chunk := os.read(src_fd, _CHUNK):
                digest.update(chunk)
                size += len(chunk)
                view = memoryview(chunk)
                while view:
                    view = view[os.write(dest_fd, view):]
            os.fchmod(dest_fd, mode)
        except BaseException:
            os.close(dest_fd)
            os.unlink(dest)
            raise
        os.close(dest_fd)
    finally:
        os.close(src_fd)
    found = FileEntry(digest.hexdigest(), size)
    if found != expected:
        os.unlink(dest)
        raise ContentMismatch(Path(source), expected, found)


class ObjectStore:
    def __init__(self, root: Path):
        self.root = Path(root)

    def path(self, sha256: str) -> Path:
        return self.root / sha256[:2] / sha256

    def has(self, sha256: str) -> bool:
        return self.path(sha256).is_file()

    def put(self, source: Path | str, entry: FileEntry) -> None:
        """Store a checked copy of ``source`` as the object ``entry.sha256`` (replacing a damaged one).

        Raises :class:`ContentMismatch` when ``source`` does not hold those bytes."""
        target = self.path(entry.sha256)
        target.parent.mkdir(parents=True, exist_ok=True)
        temporary = target.with_name(f"{_TEMPORARY_PREFIX}{entry.sha256}-{os.getpid()}")
        try:
            os.unlink(temporary)
        except FileNotFoundError:
            pass
        copy_checked(source, temporary, entry)
        os.replace(temporary, target)

    def copy_out(self, entry: FileEntry, dest: Path | str) -> None:
        """A checked copy of the object into the new file ``dest``; ContentMismatch or OSError if it is damaged or missing."""
        copy_checked(self.path(entry.sha256), dest, entry)

    def remove(self, sha256: str) -> None:
        try:
            os.unlink(self.path(sha256))
        except FileNotFoundError:
            pass

    def names(self) -> set[str]:
        if not self.root.is_dir():
            return set()
        return {entry.name for folder in self.root.iterdir() if folder.is_dir() and len(folder.name) == 2
                for entry in os.scandir(folder) if not entry.name.startswith(_TEMPORARY_PREFIX)}

    def collect(self, keep: Iterable[str]) -> int:
        """Remove every object no kept manifest names; returns how many were removed."""
        wanted = set(keep)
        removed = 0
        for name in self.names() - wanted:
            self.remove(name)
            removed += 1
        return removed

    def remove_temporary(self) -> None:
        """Temporary copies a killed deploy left behind."""
        if not self.root.is_dir():
            return
        for folder in self.root.iterdir():
            if folder.is_dir():
                for entry in os.scandir(folder):
                    if entry.name.startswith(_TEMPORARY_PREFIX):
                        os.unlink(entry.path)
