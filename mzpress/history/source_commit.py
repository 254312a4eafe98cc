"""The commit a build is made from, for the integrity manifest."""

from __future__ import annotations

from pathlib import Path

import git


def source_commit(root: Path | str) -> str | None:
    """The full SHA of HEAD of the repository holding ``root``; None outside git or before the first commit."""
    try:
        repo = git.Repo(root, search_parent_directories=True)
        return repo.head.commit.hexsha
    except (git.InvalidGitRepositoryError, git.NoSuchPathError, ValueError, git.GitCommandError):
        return None
