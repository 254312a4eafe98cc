"""Real git repositories for tests: commits with fixed dates, branches, --no-ff merges with trailers."""

from __future__ import annotations

from pathlib import Path

import git

WRITER = ("李晓梅", "lixiaomei@example.gov.cn")
MERGER = ("王建国", "wangjianguo@example.gov.cn")


class GitRepo:
    """A work tree at ``path`` (created with ``git init`` on branch main when new)."""

    def __init__(self, path: Path):
        self.path = Path(path)
        self.path.mkdir(parents=True, exist_ok=True)
        self.repo = git.Repo.init(self.path, initial_branch="main")
        with self.repo.config_writer() as config:
            config.set_value("user", "name", "测试")
            config.set_value("user", "email", "test@example.gov.cn")
            config.set_value("commit", "gpgsign", "false")

    def _env(self, when: str, author: tuple[str, str], committer: tuple[str, str] | None = None) -> dict:
        committer = committer or author
        return {"GIT_AUTHOR_DATE": when, "GIT_COMMITTER_DATE": when,
                "GIT_AUTHOR_NAME": author[0], "GIT_AUTHOR_EMAIL": author[1],
                "GIT_COMMITTER_NAME": committer[0], "GIT_COMMITTER_EMAIL": committer[1]}

    def write(self, relpath: str, text: str) -> None:
        path = self.path / relpath
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")

    def commit(self, message: str, when: str, files: dict[str, str | None] | None = None,
               author: tuple[str, str] = WRITER, add_all: bool = False) -> str:
        """Write (or, for None, delete) ``files``, stage them and commit at ``when`` (ISO 8601)."""
        for relpath, text in (files or {}).items():
            if text is None:
                self.repo.git.rm("-q", "--", relpath)
            else:
                self.write(relpath, text)
                self.repo.git.add("--", relpath)
        if add_all:
            self.repo.git.add("-A")
        self.repo.git.commit("-q", "--allow-empty", "-m", message, env=self._env(when, author))
        return self.head()

    def move(self, old: str, new: str) -> None:
        (self.path / new).parent.mkdir(parents=True, exist_ok=True)
        self.repo.git.mv(old, new)

    def branch(self, name: str) -> None:
        self.repo.git.checkout("-q", "-b", name)

    def checkout(self, name: str) -> None:
        self.repo.git.checkout("-q", name)

    def merge(self, branch: str, message: str, when: str, merger: tuple[str, str] = MERGER) -> str:
        """``git merge --no-ff`` into the current branch at ``when``."""
        self.repo.git.merge("-q", "--no-ff", branch, "-m", message, env=self._env(when, merger))
        return self.head()

    def head(self) -> str:
        return self.repo.head.commit.hexsha
