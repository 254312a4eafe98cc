"""Mojibake (乱码) in text files: an encoding error, in ``mzpress check`` and ``mzpress scan``."""

from __future__ import annotations

from mzpress.model.findings import Finding, error
from mzpress.model.source_text import SourceFile
from mzpress.text.mojibake import find_mojibake


def mojibake_findings(text: str, relpath: str) -> list[Finding]:
    findings = []
    for item in find_mojibake(text):
        more = f"（这一行共{item.count}处）" if item.count > 1 else ""
        findings.append(error(
            "encoding.mojibake", relpath, item.line,
            f"这一行有乱码：{item.what}{more}。这是文字在编码转换中损坏留下的，读者看到的是无法识别的字符，"
            "而且无法自动还原。",
            "请打开原始文件（Word、WPS 原稿或来源网页），重新复制这段文字替换；"
            "如整个文件都是乱码，用 scripts/mzpress fix-encoding 按原文件转换，不要另存后再转换。",
            column=item.column))
    return findings


def check_mojibake(source: SourceFile, ctx) -> list[Finding]:
    """Text check: mojibake, with line:column."""
    if source.text is None:
        return []
    return mojibake_findings(source.text, source.relpath)
