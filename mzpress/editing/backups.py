"""Keeping the original before a file is repaired or replaced in place.

When the file is committed unchanged in git, git already keeps the original (``git
checkout -- FILE`` or the history brings it back) and no copy is made. Otherwise the
original is copied, never into ``content/`` (where ``git add content/`` would stage it, and a
backup of a freshly imported story would still hold the unmasked phone number):

* inside a project: to the git-ignored ``.mzpress-backup/`` at the project root, under the
  file's path relative to the root plus a timestamp,
  ``.mzpress-backup/content/stories/2025/a.md.20261201-093000`` (``-2``, ``-3`` ... when that
  exists). The folder gets its own ``.gitignore`` (``*``), so it stays out of git even in a
  project whose ``.gitignore`` lacks the entry;
* outside any project (a list in the Downloads folder): beside the file, ``FILE.bak``
  (``FILE.bak.2`` ...), as there is no project folder to put it in.

An existing backup is never overwritten. ``mzpress check`` still reports image backups left
under ``content/`` by earlier versions; ``mzpress scan`` checks a backup as the kind of file it
was made of. The naming rules live in :mod:`mzpress.model.backup_names`.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterator
from itertools import count
from pathlib import Path

import git

from mzpress.editing.atomic_files import TargetExistsError, write_new_files
from mzpress.model.backup_names import (
    BACKUP_DIR,
    BACKUP_DIR_GITIGNORE,
    TIMESTAMP_FORMAT,
    beside_name,
    timestamped_name,
)
from mzpress.model.findings import FindingsError
from mzpress.model.project import find_root
from mzpress.model.schema import TIMEZONE


def original_in_git(path: Path) -> bool:
    """True when ``path`` is committed in HEAD with exactly its current content."""
    path = Path(path).resolve()
    try:
        repo = git.Repo(path.parent, search_parent_directories=True)
        top = Path(repo.working_tree_dir or "").resolve()
        relpath = path.relative_to(top).as_posix()
        committed = repo.git.rev_parse(f"HEAD:{relpath}")
        current = repo.git.hash_object("--", relpath)
    except (git.InvalidGitRepositoryError, git.NoSuchPathError, git.GitCommandError, ValueError, OSError):
        return False
    return bool(committed) and committed.strip() == current.strip()


def project_root_of(path: Path) -> Path | None:
    """The project folder ``path`` lies in (resolved), or None outside any project."""
    try:
        return find_root(Path(path).resolve().parent)
    except FindingsError:
        return None


def _now() -> dt.datetime:
    return dt.datetime.now(TIMEZONE)


def backup_candidates(path: Path, now: dt.datetime | None = None) -> Iterator[Path]:
    """The backup paths for ``path``, in the order they are tried (endless)."""
    path = Path(path)
    root = project_root_of(path)
    if root is None:
        for number in count(1):
            yield path.with_name(beside_name(path.name, number))
    relpath = path.resolve().relative_to(root)
    folder = root / BACKUP_DIR / relpath.parent
    stamp = (now or _now()).strftime(TIMESTAMP_FORMAT)
    for number in count(1):
        yield folder / timestamped_name(relpath.name, stamp, number)


def backup_path(path: Path, now: dt.datetime | None = None) -> Path:
    """The first backup path for ``path`` that does not exist yet."""
    return next(candidate for candidate in backup_candidates(path, now) if not os.path.lexists(candidate))


def _ensure_ignored(backup_dir: Path) -> None:
    ignore = backup_dir / ".gitignore"
    if os.path.lexists(ignore):
        return
    try:
        write_new_files({ignore: BACKUP_DIR_GITIGNORE})
    except TargetExistsError:
        pass  # written meanwhile by another run


def write_backup(path: Path, now: dt.datetime | None = None) -> Path:
    """Copy ``path`` to a new backup (see the module docstring) and return the backup's path.

    An existing backup is never overwritten: the next free name is taken.
    """
    data = Path(path).read_bytes()
    root = project_root_of(path)
    if root is not None:
        _ensure_ignored(root / BACKUP_DIR)
    for target in backup_candidates(path, now):
        if os.path.lexists(target):
            continue
        try:
            write_new_files({target: data})
            return target
        except TargetExistsError:
            continue  # created meanwhile by someone else: take the next number
    raise AssertionError("unreachable: backup_candidates is endless")


def keep_original(path: Path) -> Path | None:
    """Make sure the current content of ``path`` can be recovered; the backup's path, or None when git has it."""
    if original_in_git(path):
        return None
    return write_backup(path)
