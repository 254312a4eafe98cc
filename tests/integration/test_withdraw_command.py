"""``mzpress withdraw``: records the retirement in front matter, refuses bad input without changing anything."""

from __future__ import annotations

import pytest

from tests.support.git_repo import GitRepo
from tests.support.project import add_story, mzpress, new_project, write


@pytest.fixture
def project(tmp_path):
    root = new_project(tmp_path / "p")
    add_story(root, 2025, "target", title="目标稿", date="2025-05-01 09:00")
    add_story(root, 2026, "old", title="旧稿", date="2026-01-02 09:00", body="正文。\n\n---\n\n第二部分。")
    return root


def test_withdraw_keeps_the_page_and_the_rest_of_the_file(project):
    path = project / "content" / "stories" / "2026" / "old.md"
    before = path.read_bytes()
    result = mzpress(project, "withdraw", str(path), "--reason", "活动取消", "--date", "2026-06-01")
    assert result.returncode == 0, result.stderr
    after = path.read_bytes()
    closing = before.index(b"\n---\n", 4) + 1  # the front matter's closing line
    block = 'withdrawn:\n  date: 2026-06-01\n  reason: "活动取消"\n'.encode()
    assert after == before[:closing] + block + before[closing:]
    assert "页面保留并在顶部显示撤回原因" in result.stdout
    assert sorted(p.name for p in path.parent.iterdir()) == ["old.md"]  # no backup under content/
    backups = list((project / ".mzpress-backup/content/stories/2026").glob("old.md.*"))
    assert [b.read_bytes() for b in backups] == [before]  # not in git: a backup copy outside content/
    assert f"已备份到 .mzpress-backup/content/stories/2026/{backups[0].name}" in result.stdout


def test_unpublish_with_redirect_to_a_file_given_by_path(project):
    path = project / "content" / "stories" / "2026" / "old.md"
    target = project / "content" / "stories" / "2025" / "target.md"
    result = mzpress(project, "withdraw", str(path), "--reason", "误发名单", "--unpublish", "--redirect", str(target))
    assert result.returncode == 0, result.stderr
    text = path.read_text(encoding="utf-8")
    assert '  unpublish: true\n  redirect: "stories/2025/target.md"\n' in text
    assert "原网址自动跳转到：stories/2025/target.md" in result.stdout
    build_check = mzpress(project, "check")
    assert "withdrawn.redirect" not in build_check.stdout


def test_in_git_no_backup_is_needed(project):
    GitRepo(project).commit("initial", "2026-11-01T09:00:00+08:00", add_all=True)
    path = project / "content" / "stories" / "2026" / "old.md"
    result = mzpress(project, "withdraw", str(path), "--reason", "活动取消")
    assert result.returncode == 0, result.stderr
    assert list(path.parent.glob("*.bak*")) == []
    assert not (project / ".mzpress-backup").exists()
    assert "git" in result.stdout


@pytest.mark.parametrize("args,code,message", [
    (["--reason", "x", "--unpublish", "--redirect", "stories/2025/nope.md"], 1, "不存在"),
    (["--reason", "x", "--unpublish", "--redirect", "https://www.example.com/"], 1, "不存在"),
    (["--reason", "   "], 1, "撤回原因不能为空"),
    (["--reason", "x", "--redirect", "/stories/"], 2, "--unpublish"),
    (["--reason", "x", "--date", "2026-02-30"], 2, "撤回日期"),
])
def test_bad_input_changes_nothing(project, args, code, message):
    path = project / "content" / "stories" / "2026" / "old.md"
    before = path.read_bytes()
    result = mzpress(project, "withdraw", str(path), *args)
    assert result.returncode == code
    assert message in result.stderr
    assert "Traceback" not in result.stderr
    assert path.read_bytes() == before
    assert sorted(p.name for p in path.parent.iterdir()) == ["old.md"]


def test_pages_that_cannot_be_withdrawn_and_missing_files(project):
    about = project / "content" / "about" / "index.md"
    before = about.read_bytes()
    result = mzpress(project, "withdraw", str(about), "--reason", "x")
    assert result.returncode == 1 and "不能撤回" in result.stderr
    assert about.read_bytes() == before
    missing = mzpress(project, "withdraw", str(project / "content" / "stories" / "2026" / "nope.md"), "--reason", "x")
    assert missing.returncode == 2 and "找不到文件" in missing.stderr
    outside = write(project / "notes.md", "---\ntitle: x\n---\n")
    result = mzpress(project, "withdraw", str(outside), "--reason", "x")
    assert result.returncode == 2 and "content/" in result.stderr


def test_already_withdrawn_and_broken_files_are_left_alone(project):
    path = project / "content" / "stories" / "2026" / "old.md"
    assert mzpress(project, "withdraw", str(path), "--reason", "第一次").returncode == 0
    once = path.read_bytes()
    again = mzpress(project, "withdraw", str(path), "--reason", "第二次")
    assert again.returncode == 1 and "已经有撤回记录" in again.stderr
    assert path.read_bytes() == once
    gbk = project / "content" / "stories" / "2026" / "gbk.md"
    gbk.write_bytes("---\ntitle: 旧编码\n---\n".encode("gb18030"))
    result = mzpress(project, "withdraw", str(gbk), "--reason", "x")
    assert result.returncode == 1 and "fix-encoding" in result.stderr
    assert gbk.read_bytes() == "---\ntitle: 旧编码\n---\n".encode("gb18030")


def test_personal_data_must_be_unpublished_not_merely_withdrawn(project):
    path = project / "content" / "stories" / "2026" / "old.md"
    before = path.read_bytes()
    result = mzpress(project, "withdraw", str(path), "--reason", "稿件含有个人信息", "--reason-category", "个人信息")
    assert result.returncode == 1
    assert "必须撤下（加 --unpublish）" in result.stderr and "scripts/mzpress takedown" in result.stderr
    assert path.read_bytes() == before
    done = mzpress(project, "withdraw", str(path), "--reason", "稿件含有个人信息", "--reason-category", "个人信息",
                   "--unpublish", "--date", "2026-06-01")
    assert done.returncode == 0, done.stderr
    assert ('withdrawn:\n  date: 2026-06-01\n  reason: "稿件含有个人信息"\n  reason_category: 个人信息\n'
            '  unpublish: true\n') in path.read_text(encoding="utf-8")
    assert mzpress(project, "check").returncode == 0


def test_a_hand_written_personal_data_withdrawal_without_unpublish_is_an_error(project):
    path = project / "content" / "stories" / "2026" / "old.md"
    text = path.read_text(encoding="utf-8").replace(
        "---\n\n", "withdrawn:\n  date: 2026-06-01\n  reason: 含个人信息\n  reason_category: 个人信息\n---\n\n", 1)
    path.write_text(text, encoding="utf-8")
    result = mzpress(project, "check")
    assert result.returncode == 1
    assert "schema.withdrawn-personal-data" in result.stdout and "content/stories/2026/old.md" in result.stdout


def test_the_reason_goes_through_the_privacy_check(project):
    path = project / "content" / "stories" / "2026" / "old.md"
    before = path.read_bytes()
    result = mzpress(project, "withdraw", str(path), "--reason", "应当事人13912345678要求撤回")
    assert result.returncode == 1
    assert "撤回原因里有身份证号、手机号或银行卡号" in result.stderr and "13912345678" not in result.stderr
    assert path.read_bytes() == before
    # Written by hand, the privacy check of `mzpress check` reports it at the reason's line.
    path.write_text(before.decode("utf-8").replace(
        "---\n\n", "withdrawn:\n  date: 2026-06-01\n  reason: 应当事人13912345678要求撤回\n---\n\n", 1), encoding="utf-8")
    checked = mzpress(project, "check", str(path))
    assert checked.returncode == 1 and "privacy.mobile" in checked.stdout
