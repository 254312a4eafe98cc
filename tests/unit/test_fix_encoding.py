"""``mzpress fix-encoding``: GBK/UTF-16 to UTF-8, BOM and invisible characters removed, backups kept."""

from __future__ import annotations

import argparse
import os

import pytest

from mzpress.checks.invisible_characters import invisible_character_findings
from mzpress.cli.commands import fix_encoding
from mzpress.editing.encoding_repair import repair_bytes, repair_file
from mzpress.model.source_text import decode

TEXT = "---\ntitle: 城关镇开展敬老活动\n---\n\n正文第一段，关爱老人。\n"


def run(*argv: str) -> int:
    parser = argparse.ArgumentParser()
    fix_encoding.register(parser.add_subparsers())
    args = parser.parse_args(["fix-encoding", *argv])
    return args.func(args)


def test_gbk_file_is_converted_with_backup(tmp_path, capsys):
    # tmp_path is no project: the backup lies beside the file (in a project it goes to
    # .mzpress-backup/, see test_backups.py)
    path = tmp_path / "a.md"
    original = TEXT.encode("gbk")
    path.write_bytes(original)
    assert run(str(path)) == 0
    assert path.read_text(encoding="utf-8") == TEXT
    assert (tmp_path / "a.md.bak").read_bytes() == original
    out = capsys.readouterr().out
    assert "GBK/GB18030 编码转换为 UTF-8" in out and "a.md.bak" in out
    assert decode(path.read_bytes(), "a.md") == (TEXT, [])


def test_gb18030_only_characters_are_converted(tmp_path):
    text = "㐀䶵 是扩展 A 区汉字，€ 也在 GB18030 中。\n"
    path = tmp_path / "a.txt"
    path.write_bytes(text.encode("gb18030"))
    result = repair_file(path)
    assert result.repair.changed and path.read_text(encoding="utf-8") == text


def test_bom_zero_width_and_control_characters_are_removed(tmp_path, capsys):
    dirty = "\ufeff" + TEXT.replace("正文", "正\u200b文").replace("关爱", "关\x0c爱\u2060")
    path = tmp_path / "a.md"
    path.write_bytes(dirty.encode("utf-8"))
    assert run(str(path)) == 0
    assert path.read_text(encoding="utf-8") == TEXT
    assert invisible_character_findings(path.read_text(encoding="utf-8"), "a.md") == []
    out = capsys.readouterr().out
    assert "去掉文件开头的 BOM 标记" in out
    assert "删除2个零宽字符（第5行）" in out and "删除1个控制字符（第5行）" in out


def test_utf16_with_bom_is_converted(tmp_path):
    path = tmp_path / "a.csv"
    path.write_bytes(b"\xff\xfe" + "姓名,村组\n王*,一组\n".encode("utf-16-le"))
    result = repair_file(path)
    assert "UTF-16" in result.repair.actions[0]
    assert path.read_text(encoding="utf-8") == "姓名,村组\n王*,一组\n"


def test_existing_backups_beside_a_file_outside_a_project_are_never_overwritten(tmp_path):
    path = tmp_path / "a.md"
    (tmp_path / "a.md.bak").write_text("older backup", encoding="utf-8")
    path.write_bytes(TEXT.encode("gbk"))
    result = repair_file(path)
    assert (tmp_path / "a.md.bak").read_text(encoding="utf-8") == "older backup"
    assert result.backup is not None and result.backup != tmp_path / "a.md.bak"
    assert result.backup.read_bytes() == TEXT.encode("gbk")
    path.write_bytes(TEXT.replace("正文", "正\u200b文").encode())
    third = repair_file(path).backup
    assert len({tmp_path / "a.md.bak", result.backup, third}) == 3


def test_clean_file_is_left_alone_without_backup(tmp_path, capsys):
    path = tmp_path / "a.md"
    path.write_text(TEXT, encoding="utf-8")
    before = os.stat(path).st_mtime_ns
    assert run(str(path)) == 0
    assert os.stat(path).st_mtime_ns == before
    assert not (tmp_path / "a.md.bak").exists()
    assert "没有发现需要修复的问题" in capsys.readouterr().out


def test_unknown_encoding_is_left_untouched_with_a_clear_message(tmp_path, capsys):
    path = tmp_path / "a.txt"
    data = bytes(range(256)) * 4  # not UTF-8, not Chinese GB18030 text
    path.write_bytes(data)
    assert run(str(path)) == 1
    assert path.read_bytes() == data
    assert not (tmp_path / "a.txt.bak").exists()
    assert "没有做任何修改" in capsys.readouterr().err


def test_latin1_text_is_not_mistaken_for_gbk():
    assert repair_bytes("Café crème\n".encode("latin-1")).problem is not None


def test_folder_processes_text_files_only_and_missing_paths_fail(tmp_path, capsys):
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "a.md").write_bytes(TEXT.encode("gbk"))
    (tmp_path / "sub" / "photo.jpg").write_bytes(b"\xff\xd8\xff\xe0 not text")
    assert run(str(tmp_path / "sub")) == 0
    assert (tmp_path / "sub" / "a.md").read_text(encoding="utf-8") == TEXT
    assert (tmp_path / "sub" / "photo.jpg").read_bytes() == b"\xff\xd8\xff\xe0 not text"
    assert run(str(tmp_path / "missing.md")) == 1
    assert "找不到" in capsys.readouterr().err


def test_a_failed_write_leaves_the_original_and_no_partial_file(tmp_path, monkeypatch):
    path = tmp_path / "a.md"
    path.write_bytes(TEXT.encode("gbk"))

    def fail(*_args, **_kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("mzpress.editing.in_place.os.replace", fail)
    with pytest.raises(OSError):
        repair_file(path)
    assert path.read_bytes() == TEXT.encode("gbk")
    leftovers = [p.name for p in tmp_path.iterdir() if p.name not in ("a.md", "a.md.bak")]
    assert leftovers == []
