"""Invisible characters in text files: zero-width and control characters, with line:column."""

from __future__ import annotations

from mzpress.model.findings import Finding, error
from mzpress.model.source_text import CONTROL_PATTERN, ZERO_WIDTH_PATTERN, SourceFile


def describe_character(ch: str) -> str:
    names = {"\u200b": "零宽空格", "\u200c": "零宽非连接符", "\u200d": "零宽连接符",
             "\u2060": "零宽不换行符", "\ufeff": "夹在文中的 BOM 字符"}
    return f"{names.get(ch, '控制字符')} U+{ord(ch):04X}"


def invisible_character_findings(text: str, relpath: str) -> list[Finding]:
    """One error per line and kind: zero-width characters, control characters."""
    findings: list[Finding] = []
    if not (ZERO_WIDTH_PATTERN.search(text) or CONTROL_PATTERN.search(text)):
        return findings
    for number, line in enumerate(text.split("\n"), start=1):
        for rule, pattern, what in (("encoding.zero-width", ZERO_WIDTH_PATTERN, "零宽字符"),
                                    ("encoding.control-char", CONTROL_PATTERN, "控制字符")):
            hits = list(pattern.finditer(line))
            if not hits:
                continue
            first = hits[0]
            count = f"共{len(hits)}个，" if len(hits) > 1 else ""
            findings.append(error(
                rule, relpath, number,
                f"这一行有看不见的{what}（{count}第一个是{describe_character(first.group())}），"
                "通常是从网页、微信或 Word 复制时带进来的，会影响搜索和显示。",
                f"运行 scripts/mzpress fix-encoding {relpath} 自动删除（会先备份原文件）。", column=first.start() + 1))
    return findings


def check_invisible_characters(source: SourceFile, ctx) -> list[Finding]:
    """Text check: zero-width and control characters, with line:column."""
    if source.text is None:
        return []
    return invisible_character_findings(source.text, source.relpath)
