"""``mzpress changes``: the pull-request summary of pages added, modified, renamed and deleted."""

from __future__ import annotations

import json

from tests.support.git_repo import GitRepo
from tests.support.project import mzpress, new_project, story_text

KEEP = "content/stories/2026/baoliu.md"
EDIT = "content/stories/2026/xiugai.md"
GONE = "content/stories/2026/shanchu.md"
MOVED_FROM = "content/stories/2026/gaiming.md"
MOVED_TO = "content/stories/2026/gaiming-xin.md"
NEW = "content/stories/2026/xinzeng.md"
DRAFT = "content/stories/2026/caogao.md"
IMAGE = "content/stories/2026/images/xinzeng-1.jpg"


def _story(title: str, date: str = "2026-11-01", extra: str = "") -> str:
    return story_text(title=title, date=date, body=f"{title}的正文。\n" * 30, extra=extra)


def _repo(tmp_path) -> GitRepo:
    root = new_project(tmp_path / "site", with_sample_pages=False)
    repo = GitRepo(root)
    for path, title in ((KEEP, "不变的稿件"), (EDIT, "要修改的稿件"), (GONE, "要删除的稿件"), (MOVED_FROM, "要改名的稿件")):
        repo.write(path, _story(title))
    repo.commit("Base", "2026-11-01T09:00:00+08:00", add_all=True)
    repo.branch("work")
    repo.move(MOVED_FROM, MOVED_TO)
    repo.commit("Work", "2026-11-02T09:00:00+08:00", {
        EDIT: _story("修改后的标题"), GONE: None, NEW: _story("新增的稿件 | 带竖线"), IMAGE: "jpeg"})
    return repo


def test_changes_lists_added_modified_renamed_and_deleted_pages(tmp_path):
    repo = _repo(tmp_path)
    repo.write(DRAFT, _story("尚未提交的草稿", extra="draft: true\n"))  # untracked work counts too
    result = mzpress(repo.path, "changes", "--since", "main", "--format", "json")
    assert result.returncode == 0, result.stderr
    changes = {c["relpath"]: c for c in json.loads(result.stdout)}
    assert set(changes) == {EDIT, GONE, MOVED_TO, NEW, DRAFT, IMAGE}
    assert (changes[EDIT]["status"], changes[EDIT]["title"]) == ("modified", "修改后的标题")
    assert (changes[GONE]["status"], changes[GONE]["title"]) == ("deleted", "要删除的稿件")
    assert changes[MOVED_TO]["status"] == "renamed" and changes[MOVED_TO]["old_relpath"] == MOVED_FROM
    assert (changes[NEW]["status"], changes[NEW]["kind"], changes[NEW]["url"]) == (
        "added", "story", "stories/2026/xinzeng/")
    assert changes[DRAFT]["note"] == "草稿，不会发布"
    assert changes[IMAGE]["kind"] == ""


def test_changes_as_markdown_for_the_job_summary(tmp_path):
    repo = _repo(tmp_path)
    result = mzpress(repo.path, "changes", "--since", "main", "--format", "markdown")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert out.startswith("## 本次改动的页面（与 main 相比）")
    assert "页面：新增1个，修改1个，改名1个，删除1个；图片和附件1个。" in out
    assert f"| 新增 | 民政故事 | 新增的稿件 \\| 带竖线 | `{NEW}` | `stories/2026/xinzeng/` |  |" in out
    assert f"| 删除 | 民政故事 | 要删除的稿件 | `{GONE}` |  |  |" in out
    assert f"（原 {MOVED_FROM}）" in out
    assert f"- 新增：`{IMAGE}`" in out


def test_no_changes(tmp_path):
    repo = _repo(tmp_path)
    result = mzpress(repo.path, "changes", "--since", "HEAD", "--format", "markdown")
    assert result.returncode == 0 and "没有改动 content/ 下的页面或文件" in result.stdout


def test_unknown_ref_and_no_repository(tmp_path):
    repo = _repo(tmp_path)
    result = mzpress(repo.path, "changes", "--since", "origin/nope")
    assert result.returncode == 2 and "origin/nope" in result.stderr and "Traceback" not in result.stderr
    plain = new_project(tmp_path / "plain", with_sample_pages=False)
    result = mzpress(plain, "changes", "--since", "main")
    assert result.returncode == 2 and "不在 git 仓库中" in result.stderr
