"""``mzpress fmt``: typography autofix of Markdown bodies, with a backup or git keeping the original."""

from __future__ import annotations

import argparse
import os

from mzpress.cli.commands import fmt
from tests.support.git_repo import GitRepo
from tests.support.project import new_project

FRONT = "---\nauthor: 作者abc,不改\n---\n\n"  # fields readers do not see are left as written
DIRTY = FRONT + "今天开展了 2025 年度活动,参加人数 100 人!!\n\n```\n代码 abc,不改\n```\n"
FIXED = FRONT + "今天开展了2025年度活动，参加人数100人！\n\n```\n代码 abc,不改\n```\n"


def run(*argv: str) -> int:
    parser = argparse.ArgumentParser()
    fmt.register(parser.add_subparsers())
    args = parser.parse_args(["fmt", *argv])
    return args.func(args)


def test_fmt_fixes_the_body_and_keeps_a_backup_beside_a_file_outside_any_project(tmp_path, capsys):
    path = tmp_path / "a.md"
    path.write_text(DIRTY, encoding="utf-8")
    assert run(str(path)) == 0
    assert path.read_text(encoding="utf-8") == FIXED
    assert (tmp_path / "a.md.bak").read_text(encoding="utf-8") == DIRTY  # no project folder to put it in
    out = capsys.readouterr().out
    assert "已修正中文排版" in out and "已备份为" in out and "a.md.bak" in out


def test_fmt_never_overwrites_an_existing_backup_outside_a_project(tmp_path):
    path = tmp_path / "a.md"
    path.write_text(DIRTY, encoding="utf-8")
    (tmp_path / "a.md.bak").write_text("older", encoding="utf-8")
    assert run(str(path)) == 0
    assert (tmp_path / "a.md.bak").read_text(encoding="utf-8") == "older"
    assert (tmp_path / "a.md.bak.2").read_text(encoding="utf-8") == DIRTY


def test_unchanged_files_are_left_alone(tmp_path, capsys):
    path = tmp_path / "a.md"
    path.write_text(FIXED, encoding="utf-8")
    before = os.stat(path).st_mtime_ns
    assert run(str(path)) == 0
    assert os.stat(path).st_mtime_ns == before
    assert not (tmp_path / "a.md.bak").exists()
    assert "没有需要修正的内容" in capsys.readouterr().out


def test_check_mode_writes_nothing_and_exits_1_when_something_would_change(tmp_path, capsys):
    dirty, clean = tmp_path / "dirty.md", tmp_path / "clean.md"
    dirty.write_text(DIRTY, encoding="utf-8")
    clean.write_text(FIXED, encoding="utf-8")
    assert run("--check", str(dirty), str(clean)) == 1
    assert dirty.read_text(encoding="utf-8") == DIRTY
    assert not (tmp_path / "dirty.md.bak").exists()
    out = capsys.readouterr().out
    assert "dirty.md" in out and "clean.md" not in out
    assert run("--check", str(clean)) == 0


def test_file_committed_unchanged_in_git_gets_no_backup_others_do(tmp_path, capsys):
    root = new_project(tmp_path, with_sample_pages=False)
    repo = GitRepo(root)
    repo.commit("add", "2026-11-01T10:00:00+08:00", files={"content/a.md": DIRTY, "content/b.md": DIRTY})
    (root / "content" / "b.md").write_text(DIRTY + "\n新增一行 abc\n", encoding="utf-8")  # uncommitted edit
    (root / "content" / "c.md").write_text(DIRTY, encoding="utf-8")  # untracked
    assert run(str(root / "content")) == 0
    assert (root / "content" / "a.md").read_text(encoding="utf-8") == FIXED
    assert sorted(p.name for p in (root / "content").iterdir()) == ["a.md", "b.md", "c.md"]  # no backup in content/
    backups = root / ".mzpress-backup" / "content"
    assert [p.name[:5] for p in sorted(backups.iterdir())] == ["b.md.", "c.md."]  # none for a.md: git has it
    (c_backup,) = backups.glob("c.md.*")
    assert c_backup.read_text(encoding="utf-8") == DIRTY
    out = capsys.readouterr().out
    assert "git diff" in out and f"已备份到 .mzpress-backup/content/{c_backup.name}" in out
    assert ".mzpress-backup 文件夹" in out


def test_non_utf8_files_are_not_touched(tmp_path, capsys):
    path = tmp_path / "a.md"
    data = DIRTY.encode("gbk")
    path.write_bytes(data)
    assert run(str(path)) == 1
    assert path.read_bytes() == data
    assert "fix-encoding" in capsys.readouterr().err


def test_missing_path_is_a_usage_error(tmp_path):
    assert run(str(tmp_path / "nope.md")) == 2


def test_fmt_corrects_title_and_summary_and_keeps_the_yaml_valid(tmp_path, capsys):
    import yaml

    path = tmp_path / "a.md"
    path.write_text("---\ntitle: ２０２６\nsummary: 城关镇(社区),开展活动!\nauthor: 作者abc,不改\n---\n\n正文。\n",
                    encoding="utf-8")
    assert run("--check", str(path)) == 1 and "需要修正中文排版" in capsys.readouterr().out
    assert run(str(path)) == 0
    text = path.read_text(encoding="utf-8")
    assert text == "---\ntitle: '2026'\nsummary: 城关镇（社区），开展活动！\nauthor: 作者abc,不改\n---\n\n正文。\n"
    assert yaml.safe_load(text.split("---")[1]) == {"title": "2026", "summary": "城关镇（社区），开展活动！",
                                                   "author": "作者abc,不改"}
    assert run("--check", str(path)) == 0
