"""``mzpress scan`` on files it cannot check (exit 2, never “检查通过”) and on backups (checked by their real type)."""

from __future__ import annotations

import json
import os
import pathlib

import pytest

from mzpress.checks.context import CheckContext
from mzpress.checks.runner import scan_paths
from mzpress.checks.scan_targets import SCANNABLE_SUFFIXES, supported_types
from mzpress.cli import main
from tests.support.personal_data import PEOPLE, id18, story, table, write_xlsx


def scan(capsys, *paths) -> tuple[int, str, str]:
    code = main(["scan", *map(str, paths)])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def scan_json(capsys, *paths) -> tuple[int, list[dict]]:
    code = main(["scan", "--format", "json", *map(str, paths)])
    return code, json.loads(capsys.readouterr().out)


@pytest.mark.parametrize("name", ["notes.bak", "archive.zip", "site.yml", "README", "list.yml.bak"])
def test_a_named_file_of_unknown_type_exits_2_listing_the_supported_types(tmp_path, capsys, name):
    path = tmp_path / name
    path.write_text(f"身份证号 {id18()}\n", encoding="utf-8")
    code, out, err = scan(capsys, path)
    assert code == 2
    assert "[scan.unsupported-type]" in out and "不支持" in out and "没有检查" in out
    assert ".md" in out and ".xlsx" in out and ".docx" in out and ".csv" in out and ".jpg" in out
    assert "检查通过" not in out
    assert "没有检查" in err


def test_the_message_lists_every_supported_type():
    listed = supported_types()
    assert all(suffix in listed for suffix in SCANNABLE_SUFFIXES)


def test_an_unreadable_file_exits_2(tmp_path, capsys, monkeypatch):
    path = tmp_path / "名单.csv"
    path.write_text(f"姓名,身份证号\n王小明,{id18()}\n", encoding="utf-8")
    real_open = pathlib.Path.open

    def refuse(self, *args, **kwargs):
        if self == path:
            raise PermissionError(13, "Permission denied", str(self))
        return real_open(self, *args, **kwargs)

    monkeypatch.setattr(pathlib.Path, "open", refuse)
    code, out, err = scan(capsys, path)
    assert code == 2
    assert "[scan.unreadable]" in out and "无法读取这个文件" in out and "检查通过" not in out
    assert "没有检查" in err


def test_a_file_that_cannot_be_read_in_a_folder_also_exits_2(tmp_path, capsys):
    folder = tmp_path / "lists"
    folder.mkdir()
    (folder / "ok.md").write_text("正文。\n", encoding="utf-8")
    os.mkfifo(folder / "pipe.csv")  # not a regular file: reading it would block
    code, findings = scan_json(capsys, folder)
    assert code == 2
    assert [(f["rule"], f["file"].rsplit("/", 1)[-1]) for f in findings] == [("scan.unreadable", "pipe.csv")]


def test_a_missing_path_exits_2(tmp_path, capsys):
    code, out, _ = scan(capsys, tmp_path / "nope.xlsx")
    assert code == 2 and "[scan.not-found]" in out


def test_unknown_files_inside_a_folder_are_listed_as_skipped_without_failing(tmp_path, capsys):
    folder = tmp_path / "download"
    folder.mkdir()
    (folder / "clean.md").write_text("正文。\n", encoding="utf-8")
    (folder / "photos.zip").write_bytes(b"PK\x03\x04")
    code, findings = scan_json(capsys, folder)
    assert code == 0
    assert [(f["rule"], f["severity"], f["file"].rsplit("/", 1)[-1]) for f in findings] == [
        ("scan.skipped", "warning", "photos.zip")]


@pytest.mark.parametrize("name", ["公示.md.bak", "公示.md.bak.2", "公示.md.20261201-093000-2"])
def test_a_markdown_backup_is_scanned_as_markdown_and_reported(tmp_path, capsys, name):
    path = tmp_path / name
    path.write_text(story(table(PEOPLE[:1])), encoding="utf-8")  # the unmasked original
    code, findings = scan_json(capsys, path)
    assert code == 1
    rules = {f["rule"] for f in findings}
    assert {"privacy.id-number", "privacy.mobile", "scan.backup-file"} <= rules
    assert {f["file"] for f in findings} == {path.as_posix()}
    (note,) = [f for f in findings if f["rule"] == "scan.backup-file"]
    assert note["severity"] == "warning" and "按 .md 文件检查" in note["message"]


def test_a_spreadsheet_backup_is_read_as_a_spreadsheet(tmp_path, capsys):
    original = tmp_path / "dibao.xlsx"
    write_xlsx(original, PEOPLE[:2])
    backup = tmp_path / ".mzpress-backup" / "dibao.xlsx.20261201-093000"
    backup.parent.mkdir()
    backup.write_bytes(original.read_bytes())
    original.unlink()
    code, findings = scan_json(capsys, backup.parent)  # a backup folder given explicitly is walked
    assert code == 1
    assert any(f["rule"] == "privacy.id-number" and f["file"] == backup.as_posix() for f in findings)
    assert any(f["rule"] == "scan.backup-file" for f in findings)
    assert list(tmp_path.rglob("dibao.xlsx")) == []  # the temporary copy is gone


def test_scan_paths_keeps_the_backups_own_path_in_findings(tmp_path):
    path = tmp_path / "list.csv.bak"
    path.write_text(f"姓名,身份证号\n王小明,{id18()}\n", encoding="utf-8")
    findings = scan_paths([path], CheckContext(tmp_path))
    assert {(f.rule, f.file, f.line) for f in findings} == {
        ("privacy.id-number", path.as_posix(), 2), ("scan.backup-file", path.as_posix(), None)}
