"""Backups of files changed in place: under .mzpress-backup/ at the project root, never inside content/."""

from __future__ import annotations

import datetime as dt

import pytest

from mzpress.cli import main
from mzpress.editing import backups
from mzpress.editing.backups import backup_path, keep_original, write_backup
from mzpress.editing.masking import mask_file
from mzpress.model.backup_names import backup_note, original_name, shown_backup
from mzpress.model.schema import TIMEZONE
from tests.support.docx_fixtures import photo_bytes
from tests.support.git_repo import GitRepo
from tests.support.personal_data import PEOPLE, story, table
from tests.support.project import new_project, tree_digest

WHEN = dt.datetime(2026, 12, 1, 9, 30, 0, tzinfo=TIMEZONE)
GBK_STORY = "---\ntitle: 城关镇开展敬老活动\n---\n\n正文第一段，关爱老人。\n"
DIRTY_STORY = "---\ntitle: 敬老\n---\n\n今天开展了2025年度活动,参加人数100人!!\n"


@pytest.fixture
def project(tmp_path, monkeypatch):
    """A real project in a real git repository (one commit), with the backup clock fixed."""
    root = new_project(tmp_path / "site", with_sample_pages=False)
    repo = GitRepo(root)
    repo.commit("initial", "2026-11-01T09:00:00+08:00", add_all=True)
    monkeypatch.setattr(backups, "_now", lambda: WHEN)
    return root


def content_names(root):
    return sorted(p.relative_to(root / "content").as_posix() for p in (root / "content").rglob("*"))


def git_status(root) -> list[str]:
    return GitRepo(root).repo.git.status("--porcelain", "--untracked-files=all").splitlines()


# --- where a backup goes --------------------------------------------------------------------------


def test_backup_in_a_project_mirrors_the_relative_path_with_a_timestamp(project):
    path = project / "content" / "stories" / "2025" / "a.md"
    path.parent.mkdir(parents=True)
    path.write_text("原文", encoding="utf-8")
    backup = write_backup(path)
    assert backup == project.resolve() / ".mzpress-backup/content/stories/2025/a.md.20261201-093000"
    assert backup.read_text(encoding="utf-8") == "原文"
    assert shown_backup(backup) == ".mzpress-backup/content/stories/2025/a.md.20261201-093000"
    assert content_names(project) == ["stories", "stories/2025", "stories/2025/a.md"]


def test_backups_are_never_overwritten_a_counter_is_added(project):
    path = project / "content" / "a.md"
    names = []
    for text in ("第一版", "第二版", "第三版"):
        path.write_text(text, encoding="utf-8")
        names.append(write_backup(path).name)  # the same second every time
    assert names == ["a.md.20261201-093000", "a.md.20261201-093000-2", "a.md.20261201-093000-3"]
    folder = project / ".mzpress-backup" / "content"
    assert [(folder / name).read_text(encoding="utf-8") for name in names] == ["第一版", "第二版", "第三版"]
    path.write_text("第四版", encoding="utf-8")
    assert backup_path(path) == project.resolve() / ".mzpress-backup/content/a.md.20261201-093000-4"


def test_files_outside_content_keep_their_path_under_the_backup_folder(project):
    units = project / "site_config" / "units.yml"
    backup = write_backup(units)
    assert shown_backup(backup) == ".mzpress-backup/site_config/units.yml.20261201-093000"
    assert backup.read_bytes() == units.read_bytes()


def test_the_backup_folder_is_ignored_by_git_even_without_a_project_gitignore(project):
    path = project / "content" / "new.md"
    path.write_text("未提交的稿件", encoding="utf-8")
    assert keep_original(path) is not None
    assert (project / ".mzpress-backup" / ".gitignore").read_text(encoding="utf-8").splitlines()[-1] == "*"
    assert git_status(project) == ["?? content/new.md"]  # the backup is not offered to git add


def test_a_committed_clean_file_needs_no_copy(project):
    assert keep_original(project / "mkdocs.yml") is None
    assert not (project / ".mzpress-backup").exists()


def test_outside_any_project_the_backup_lies_beside_the_file(tmp_path, monkeypatch):
    monkeypatch.setattr(backups, "_now", lambda: WHEN)
    path = tmp_path / "Downloads" / "名单.csv"
    path.parent.mkdir()
    path.write_text("姓名\n王小明\n", encoding="utf-8")
    assert write_backup(path) == path.with_name("名单.csv.bak")
    assert write_backup(path) == path.with_name("名单.csv.bak.2")
    assert not (tmp_path / ".mzpress-backup").exists()


@pytest.mark.parametrize("name, original", [
    ("a.md.bak", "a.md"), ("a.md.BAK", "a.md"), ("a.md.bak.2", "a.md"), ("list.masked.csv.bak2", "list.masked.csv"),
    ("a.md.20261201-093000", "a.md"), ("photo.jpg.20261201-093000-12", "photo.jpg"), ("a.md.bak.bak", "a.md"),
    ("a.md", None), ("2025-03-12.md", None), ("notes.20261201", None),
])
def test_backup_names_are_recognised(name, original):
    assert original_name(name) == original


def test_backup_note_names_the_folder_or_the_bak_files(tmp_path):
    assert backup_note([]) is None
    assert ".mzpress-backup 文件夹" in backup_note([tmp_path / ".mzpress-backup" / "content" / "a.md.20261201-093000"])
    assert ".bak" in backup_note([tmp_path / "a.md.bak"])


# --- the commands: nothing new under content/, and they say where the backup went -----------------


def test_fmt_on_an_uncommitted_story_adds_nothing_under_content(project, capsys):
    path = project / "content" / "stories" / "2025" / "new.md"
    path.parent.mkdir(parents=True)
    path.write_text(DIRTY_STORY, encoding="utf-8")
    before = content_names(project)
    assert main(["fmt", str(path)]) == 0
    assert content_names(project) == before
    backup = project / ".mzpress-backup/content/stories/2025/new.md.20261201-093000"
    assert backup.read_text(encoding="utf-8") == DIRTY_STORY
    out = capsys.readouterr().out
    assert "已备份到 .mzpress-backup/content/stories/2025/new.md.20261201-093000" in out
    assert git_status(project) == ["?? content/stories/2025/new.md"]
    # a second fix of a fresh problem keeps the first backup and makes a second one
    path.write_text(DIRTY_STORY, encoding="utf-8")
    assert main(["fmt", str(path)]) == 0
    assert backup.read_text(encoding="utf-8") == DIRTY_STORY
    assert (backup.parent / "new.md.20261201-093000-2").read_text(encoding="utf-8") == DIRTY_STORY
    assert "new.md.20261201-093000-2" in capsys.readouterr().out


def test_fix_encoding_on_an_uncommitted_file_adds_nothing_under_content(project, capsys):
    path = project / "content" / "notices" / "gbk.md"
    path.parent.mkdir(parents=True)
    path.write_bytes(GBK_STORY.encode("gbk"))
    before = content_names(project)
    assert main(["fix-encoding", str(path)]) == 0
    assert content_names(project) == before
    assert path.read_text(encoding="utf-8") == GBK_STORY
    backup = project / ".mzpress-backup/content/notices/gbk.md.20261201-093000"
    assert backup.read_bytes() == GBK_STORY.encode("gbk")
    out = capsys.readouterr().out
    assert "原文件已备份到 .mzpress-backup/content/notices/gbk.md.20261201-093000" in out
    assert ".mzpress-backup 文件夹" in out


def test_fix_encoding_backs_up_even_a_committed_file(project):
    """fix-encoding always copies (its git_is_backup is off); the copy still goes outside content/."""
    path = project / "content" / "gbk.txt"
    path.write_bytes(GBK_STORY.encode("gbk"))
    repo = GitRepo(project)
    repo.repo.git.add("--", "content/gbk.txt")
    repo.commit("gbk", "2026-11-02T09:00:00+08:00")
    assert main(["fix-encoding", str(path)]) == 0
    assert (project / ".mzpress-backup/content/gbk.txt.20261201-093000").read_bytes() == GBK_STORY.encode("gbk")
    assert content_names(project) == ["gbk.txt"]


def test_fix_images_on_an_uncommitted_photo_adds_nothing_under_content(project, capsys):
    images = project / "content" / "stories" / "2025" / "images"
    images.mkdir(parents=True)
    original = photo_bytes((2400, 1800), gps=True)
    (images / "p-1.jpg").write_bytes(original)
    before = content_names(project)
    assert main(["--root", str(project), "fix-images", str(images / "p-1.jpg")]) == 0
    assert content_names(project) == before
    backup = project / ".mzpress-backup/content/stories/2025/images/p-1.jpg.20261201-093000"
    assert backup.read_bytes() == original
    out = capsys.readouterr().out
    assert "原图已备份到 .mzpress-backup/content/stories/2025/images/p-1.jpg.20261201-093000" in out
    assert git_status(project) == ["?? content/stories/2025/images/p-1.jpg"]


def test_commands_on_committed_clean_files_make_no_backup(project, capsys):
    path = project / "content" / "a.md"
    GitRepo(project).commit("story", "2026-11-02T09:00:00+08:00", files={"content/a.md": DIRTY_STORY})
    before = tree_digest(project / "content")
    assert main(["fmt", str(path)]) == 0
    assert set(tree_digest(project / "content")) == set(before)
    assert not (project / ".mzpress-backup").exists()
    assert "git diff" in capsys.readouterr().out


def test_mask_of_a_file_in_content_keeps_the_original_under_the_backup_folder(project, capsys):
    files = project / "content" / "notices" / "files"
    files.mkdir(parents=True)
    src = files / "list.md"
    original = story(table(PEOPLE[:1]))
    src.write_text(original, encoding="utf-8")
    assert main(["mask", str(src)]) == 0
    assert sorted(p.name for p in files.iterdir()) == ["list.md"]  # masked in place, no copy beside it
    backup = project / ".mzpress-backup/content/notices/files/list.md.20261201-093000"
    assert backup.read_text(encoding="utf-8") == original
    out = capsys.readouterr().out
    assert "已备份到 .mzpress-backup/content/notices/files/list.md.20261201-093000" in out
    assert f"git diff --no-index -- {backup} {src}" in out
    # a copy elsewhere replaced with --force keeps the copy it replaces
    outside = project.parent / "list.md"
    outside.write_text(original, encoding="utf-8")
    dst = project.parent / "list.masked.md"
    dst.write_text("旧的脱敏副本", encoding="utf-8")
    assert mask_file(outside, dst, force=True).backup.name == "list.masked.md.bak"
    assert (project.parent / "list.masked.md.bak").read_text(encoding="utf-8") == "旧的脱敏副本"
