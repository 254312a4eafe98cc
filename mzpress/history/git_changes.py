"""Which files a change touches: since a git ref, plus what is not committed yet."""

from __future__ import annotations

from pathlib import Path

import git

from mzpress.model.findings import FindingsError, error


def changed_paths(root: Path, ref: str) -> set[str]:
    """Paths (relative to the repository root, POSIX) added or modified since ``ref``, including
    staged, unstaged and untracked files. Deleted files are left out: there is nothing to check."""
    try:
        repo = git.Repo(root, search_parent_directories=True)
    except (git.InvalidGitRepositoryError, git.NoSuchPathError):
        raise FindingsError([error("git.not-a-repo", str(root), None, "这个文件夹不是 git 仓库，无法比较改动。",
                                   "在 git 仓库里运行，或去掉 --changed-since 检查全部内容。")]) from None
    try:
        base = repo.git.merge_base(ref, "HEAD")
    except git.GitCommandError:
        raise FindingsError([error("git.unknown-ref", str(root), None, f"找不到提交或分支“{ref}”。",
                                   "确认分支名称（例如 origin/main），CI 中检出时需要 fetch-depth: 0。")]) from None
    names = repo.git.diff("--name-only", "--diff-filter=ACMR", base).splitlines()
    names += repo.untracked_files
    top = Path(repo.working_tree_dir)
    prefix = Path(root).resolve().relative_to(top.resolve()).as_posix()
    result = set()
    for name in names:
        if prefix not in ("", "."):
            if not name.startswith(prefix + "/"):
                continue
            name = name[len(prefix) + 1:]
        if (Path(root) / name).exists():
            result.add(name)
    return result
