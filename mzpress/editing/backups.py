"""Keeping the original before a file is repaired in place.

When the file is committed unchanged in git, git already keeps the original (``git
checkout -- FILE`` or the history brings it back) and no copy is made. Otherwise the
original is copied to ``FILE.bak`` (``FILE.bak.2`` ... when that exists). ``mkdocs.yml``
excludes ``*.bak`` from the site, and ``mzpress check`` reports image backups left
under ``content/`` so they are deleted once the repair is confirmed.
"""

from __future__ import annotations

from pathlib import Path

import git

from mzpress.editing.atomic_files import TargetExistsError, write_new_files


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


def backup_path(path: Path) -> Path:
    candidate = path.with_name(path.name + ".bak")
    number = 2
    while candidate.exists():
        candidate = path.with_name(f"{path.name}.bak.{number}")
        number += 1
    return candidate


def write_backup(path: Path) -> Path:
    """Copy ``path`` to a new ``FILE.bak`` (``.bak.2`` ...; an existing backup is never overwritten)."""
    data = Path(path).read_bytes()
    while True:
        target = backup_path(Path(path))
        try:
            write_new_files({target: data})
            return target
        except TargetExistsError:
            continue  # created meanwhile by someone else: take the next number


def keep_original(path: Path) -> Path | None:
    """Make sure the current content of ``path`` can be recovered; the backup's path, or None when git has it."""
    if original_in_git(path):
        return None
    return write_backup(path)
