"""Encoding and hygiene: GBK files, BOM, zero-width and control characters, full-width colon keys."""

from __future__ import annotations

from pathlib import Path

import pytest

from mzpress.checks.context import CheckContext
from mzpress.checks.invisible_characters import check_invisible_characters, invisible_character_findings
from mzpress.checks.registry import text_checks
from mzpress.model.findings import FindingsError, Severity
from mzpress.model.frontmatter import split
from mzpress.model.source_text import decode, read_source
from tests.support.project import REPO_ROOT

STORY = "---\ntitle: 城关镇开展敬老活动\nunit: office\n---\n\n正文第一段。\n第二段有内容。\n"


def test_gbk_file_is_a_clear_error_naming_the_first_bad_line(tmp_path):
    path = tmp_path / "a.md"
    path.write_bytes(("---\ntitle: test\n---\n\n" + "城关镇开展敬老活动。\n").encode("gbk"))
    source, findings = read_source(path, "content/a.md")
    assert source.text is None
    assert [(f.rule, f.severity, f.line) for f in findings] == [("encoding.not-utf8", Severity.ERROR, 5)]
    assert "GBK" in findings[0].message and "fix-encoding" in findings[0].suggestion


def test_bom_is_an_error_and_the_text_is_still_read():
    text, findings = decode(b"\xef\xbb\xbf" + STORY.encode(), "a.md")
    assert text == STORY
    assert [(f.rule, f.line, f.column) for f in findings] == [("encoding.bom", 1, 1)]


def test_clean_utf8_has_no_findings():
    text, findings = decode(STORY.encode(), "a.md")
    assert (text, findings) == (STORY, [])
    assert invisible_character_findings(STORY, "a.md") == []


@pytest.mark.parametrize("char", ["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff"])
def test_zero_width_characters_are_errors_with_position(char):
    text = STORY.replace("第二段", f"第二{char}段")
    findings = invisible_character_findings(text, "content/a.md")
    assert [(f.rule, f.severity, f.line, f.column) for f in findings] == [
        ("encoding.zero-width", Severity.ERROR, 7, 3)]
    assert f"U+{ord(char):04X}" in findings[0].message
    assert "scripts/mzpress fix-encoding content/a.md" in findings[0].suggestion


@pytest.mark.parametrize("char", ["\x00", "\x08", "\x0b", "\x0c", "\x1b", "\x7f", "\x85"])
def test_control_characters_are_errors_with_position(char):
    text = STORY.replace("正文第一段", f"正文{char}第一段")
    findings = invisible_character_findings(text, "a.md")
    assert [(f.rule, f.line, f.column) for f in findings] == [("encoding.control-char", 6, 3)]


def test_tab_newline_carriage_return_are_fine_and_one_finding_per_line_and_kind():
    assert invisible_character_findings("a\tb\r\nc\n", "a.md") == []
    findings = invisible_character_findings("甲\u200b乙\u200b丙\x0c丁\n", "a.md")
    assert [(f.rule, f.column) for f in findings] == [("encoding.zero-width", 2), ("encoding.control-char", 6)]
    assert "共2个" in findings[0].message


def test_invisible_character_check_is_registered_and_reads_source_files():
    text = "正文\u200b"
    source = Path("a.txt")
    from mzpress.model.source_text import SourceFile

    found = check_invisible_characters(SourceFile(source, "a.txt", text.encode(), text), CheckContext(root=Path(".")))
    assert [f.rule for f in found] == ["encoding.zero-width"]
    assert check_invisible_characters(SourceFile(source, "a.txt", b"\xff", None), CheckContext(root=Path("."))) == []
    assert check_invisible_characters in text_checks()


def test_full_width_colon_in_a_front_matter_key_is_a_clear_error():
    text = "---\ntitle: 标题\ndate：2025-03-12\nunit: office\n---\n\n正文\n"
    with pytest.raises(FindingsError) as caught:
        split(text, "content/stories/2025/a.md")
    [finding] = caught.value.findings
    assert (finding.file, finding.line, finding.column, finding.severity) == (
        "content/stories/2025/a.md", 3, 5, Severity.ERROR)
    assert "中文冒号" in finding.message and "date: " in finding.suggestion


def test_full_width_colon_inside_a_value_is_fine():
    document = split("---\ntitle: 通知：关于开展敬老活动\n---\n\n正文\n", "a.md")
    assert document.meta["title"] == "通知：关于开展敬老活动"


def test_sample_content_has_no_invisible_characters():
    found = []
    for path in sorted((REPO_ROOT / "content").rglob("*.md")):
        found += invisible_character_findings(path.read_text(encoding="utf-8"), path.as_posix())
    assert found == []
