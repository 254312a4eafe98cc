"""``mzpress changes``: the pull-request summary of pages added, modified, renamed, withdrawn, taken down,
restored and deleted, each with its unit."""

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
    assert (changes[NEW]["unit"], changes[NEW]["unit_name"]) == ("office", "办公室")
    assert changes[DRAFT]["note"] == "草稿，不会发布"
    assert changes[IMAGE]["kind"] == ""


def test_changes_as_markdown_for_the_job_summary(tmp_path):
    repo = _repo(tmp_path)
    result = mzpress(repo.path, "changes", "--since", "main", "--format", "markdown")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert out.startswith("## 本次改动的页面（与 main 相比）")
    assert "页面：新增1个，修改1个，改名1个，删除1个；图片和附件1个。" in out
    assert f"| 新增 | 民政故事 | 办公室 | 新增的稿件 \\| 带竖线 | `{NEW}` | `stories/2026/xinzeng/` |  |" in out
    assert f"| **删除** | 民政故事 | 办公室 | 要删除的稿件 | `{GONE}` |  |  |" in out
    assert f"（原 {MOVED_FROM}）" in out
    assert f"- 新增：`{IMAGE}`" in out


WITHDRAWN = "withdrawn:\n  date: 2026-11-02\n  reason: 活动已取消\n"
TAKEN_DOWN = "withdrawn:\n  date: 2026-11-02\n  reason: 信息已过期\n  unpublish: true\n"
REDIRECTED = TAKEN_DOWN + "  redirect: stories/2026/baoliu.md\n"
TO_WITHDRAW = "content/stories/2026/chehui.md"
TO_TAKE_DOWN = "content/stories/2026/chexia.md"
TO_REDIRECT = "content/stories/2026/zhuanxiang.md"
TO_RESTORE = "content/stories/2026/huifu.md"
HALF_RESTORED = "content/stories/2026/banhuifu.md"


def _withdrawal_repo(tmp_path) -> GitRepo:
    root = new_project(tmp_path / "site", with_sample_pages=False)
    repo = GitRepo(root)
    repo.write(KEEP, _story("不变的稿件"))
    repo.write(TO_WITHDRAW, story_text("要撤回的稿件", "2026-11-01", unit="elderly-care"))
    repo.write(TO_TAKE_DOWN, story_text("要撤下的稿件", "2026-11-01", unit="social-assistance"))
    repo.write(TO_REDIRECT, story_text("要转走的稿件", "2026-11-01"))
    repo.write(TO_RESTORE, story_text("要恢复的稿件", "2026-11-01", unit="grassroots", extra=WITHDRAWN))
    repo.write(HALF_RESTORED, story_text("撤下后改为撤回", "2026-11-01", extra=TAKEN_DOWN))
    repo.commit("Base", "2026-11-01T09:00:00+08:00", add_all=True)
    repo.branch("work")
    repo.commit("Withdraw", "2026-11-02T09:00:00+08:00", {
        TO_WITHDRAW: story_text("要撤回的稿件", "2026-11-01", unit="elderly-care", extra=WITHDRAWN),
        TO_TAKE_DOWN: story_text("要撤下的稿件", "2026-11-01", unit="social-assistance", extra=TAKEN_DOWN),
        TO_REDIRECT: story_text("要转走的稿件", "2026-11-01", extra=REDIRECTED),
        TO_RESTORE: story_text("要恢复的稿件", "2026-11-01", unit="grassroots"),
        HALF_RESTORED: story_text("撤下后改为撤回", "2026-11-01", extra=WITHDRAWN),
        KEEP: _story("不变的稿件（改了正文）")})
    return repo


def test_withdrawal_take_down_and_restoration_are_marked_with_the_unit(tmp_path):
    repo = _withdrawal_repo(tmp_path)
    result = mzpress(repo.path, "changes", "--since", "main", "--format", "json")
    assert result.returncode == 0, result.stderr
    changes = {c["relpath"]: (c["status"], c["unit_name"], c["note"]) for c in json.loads(result.stdout)}
    assert changes == {
        KEEP: ("modified", "办公室", ""),
        TO_WITHDRAW: ("withdrawn", "养老服务股", "撤回，页面保留并标注“已撤回”；原因：活动已取消"),
        TO_TAKE_DOWN: ("unpublished", "社会救助股", "撤下，原网址显示撤下说明；原因：信息已过期"),
        TO_REDIRECT: ("unpublished", "办公室", "撤下，转到 stories/2026/baoliu.md；原因：信息已过期"),
        TO_RESTORE: ("restored", "基层政权和社区建设股", "恢复上线（原已撤回）"),
        HALF_RESTORED: ("restored", "办公室", "恢复上线（原已撤下），仍标注“已撤回”"),
    }
    markdown = mzpress(repo.path, "changes", "--since", "main", "--format", "markdown").stdout
    assert "页面：修改1个，撤回1个，撤下2个，恢复2个。" in markdown
    assert (f"| **撤回** | 民政故事 | 养老服务股 | 要撤回的稿件 | `{TO_WITHDRAW}` | `stories/2026/chehui/` | "
            "撤回，页面保留并标注“已撤回”；原因：活动已取消 |") in markdown
    text = mzpress(repo.path, "changes", "--since", "main").stdout
    assert f"  撤下 民政故事 {TO_TAKE_DOWN} “要撤下的稿件”（社会救助股；撤下，原网址显示撤下说明；原因：信息已过期）" in text
    assert f"  恢复 民政故事 {TO_RESTORE} “要恢复的稿件”（基层政权和社区建设股；恢复上线（原已撤回））" in text


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


def test_scheduled_take_downs_are_named_in_the_summary(tmp_path):
    root = new_project(tmp_path / "site", with_sample_pages=False)
    repo = GitRepo(root)
    pages = {f"content/stories/2026/{name}.md": name for name in ("xinshe", "quxiao", "gaishi", "daoqi")}
    start = {"xinshe": "", "quxiao": "unpublish_at: 2026-12-31 18:00\n", "gaishi": "unpublish_at: 2026-12-31 18:00\n",
             "daoqi": ""}
    for path, name in pages.items():
        repo.write(path, _story(f"稿件{name}", extra=start[name]))
    repo.commit("Base", "2026-11-01T09:00:00+08:00", add_all=True)
    repo.branch("work")
    after = {"xinshe": "unpublish_at: 2027-01-15 18:00\n", "quxiao": "", "gaishi": "unpublish_at: 2027-02-01 09:00\n",
             "daoqi": "unpublish_at: 2026-11-20 18:00\n"}
    repo.commit("Work", "2026-11-02T09:00:00+08:00",
                {path: _story(f"稿件{name}", extra=after[name]) for path, name in pages.items()})
    result = mzpress(repo.path, "changes", "--since", "main", "--format", "json")
    assert result.returncode == 0, result.stderr
    notes = {c["relpath"].rsplit("/", 1)[1][:-3]: c["note"] for c in json.loads(result.stdout)}
    assert notes == {
        "xinshe": "新设定时下线；定时下线：2027-01-15 18:00",
        "quxiao": "取消定时下线（原定2026-12-31 18:00）",
        "gaishi": "修改下线时间（原定2026-12-31 18:00）；定时下线：2027-02-01 09:00",
        "daoqi": "新设定时下线；已于2026-11-20 18:00按计划下线",
    }
