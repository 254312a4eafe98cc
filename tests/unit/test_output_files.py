"""Results written into a folder (inspect --out, report --out): new, unchanged, replaced after a backup."""

from __future__ import annotations

import pytest

from mzpress.editing.output_files import UNCHANGED, UPDATED, WRITTEN, OutputError, write_output


def test_new_then_unchanged_then_replaced_with_the_old_one_kept(tmp_path):
    out = tmp_path / "out"
    first = write_output(out, "report-2026-04.csv", b"v1")
    assert (first.status, first.path.read_bytes()) == (WRITTEN, b"v1")
    assert first.message("统计报表") == f"已写入统计报表：{first.path}"
    assert write_output(out, "report-2026-04.csv", b"v1").status == UNCHANGED
    replaced = write_output(out, "report-2026-04.csv", b"v2")
    assert replaced.status == UPDATED and replaced.path.read_bytes() == b"v2"
    assert replaced.backup is not None and replaced.backup.read_bytes() == b"v1"
    assert f"原文件已备份到 {replaced.backup}" in replaced.message("统计报表")


def test_a_file_where_the_folder_should_be_is_refused(tmp_path):
    (tmp_path / "out").write_text("x")
    with pytest.raises(OutputError, match="是一个文件，不是文件夹"):
        write_output(tmp_path / "out", "inspect-2026-12.md", b"x")
