"""The personal-data text check: unmasked ID numbers, mobile numbers and bank cards in text files.

``scan_text`` is registered in ``mzpress.checks.text_checks()``; the runner calls it on every
decoded Markdown, CSV and TXT file (prose, tables and front matter alike: it is all text).
Detection lives in ``mzpress.text.identifiers``; this module turns each occurrence into one finding
(rules ``privacy.id-number``, ``privacy.mobile``, ``privacy.bank-card``, severity error) at
file:line:column. ``identifier_finding`` is shared with the attachment check, which puts its
location (``Sheet1!B3``, ``第 2 页``) at the start of the message instead of a line.

The full identifier is never printed: messages and suggestions carry the masked form only,
because check output ends up in CI logs and pull-request annotations.
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections.abc import Iterable

from mzpress.checks.context import CheckContext
from mzpress.model.findings import Finding, error
from mzpress.model.source_text import SourceFile, for_scanning
from mzpress.text.identifiers import Identifier, Kind, find_identifiers

RULES = {
    Kind.ID_NUMBER: "privacy.id-number",
    Kind.MOBILE: "privacy.mobile",
    Kind.BANK_CARD: "privacy.bank-card",
}
_LABELS = {Kind.ID_NUMBER: "身份证号码", Kind.MOBILE: "手机号码", Kind.BANK_CARD: "银行卡号"}
_CONVENTIONS = {
    Kind.ID_NUMBER: "保留前 6 位和后 4 位",
    Kind.MOBILE: "保留前 3 位和后 4 位",
    Kind.BANK_CARD: "只保留后 4 位",
}


def identifier_finding(item: Identifier, file: str, line: int | None, column: int | None,
                       where: str = "") -> Finding:
    """One error finding for one identifier; ``where`` (e.g. ``Sheet1!B3``) leads the message."""
    label = _LABELS[item.kind]
    prefix = f"{where}：" if where else ""
    message = (f"{prefix}发现未脱敏的{label}“{item.masked}”（此处显示的是脱敏后的样子）。"
               f"对外公开的信息不得包含完整的{label}。")
    suggestion = (f"改为“{item.masked}”（{_CONVENTIONS[item.kind]}，其余用 * 代替）；"
                  f"名单较长时运行 mzpress mask {file} 生成脱敏副本，核对后用它替换原文件。")
    return error(RULES[item.kind], file, line, message, suggestion, column=column)


def _text_of(source: SourceFile) -> str:
    # Not UTF-8: the encoding check reports that; still look for leaks with the scanning policy
    # (Excel saves CSV as GB18030, Notepad's “Unicode” is UTF-16). Bytes it cannot read are not text.
    return for_scanning(source).text or ""


def scan_string(text: str, file: str, today: dt.date | None = None) -> list[Finding]:
    """Findings for every identifier in ``text``, located by 1-based line and column."""
    found = find_identifiers(text, today)
    if not found:
        return []
    line_starts = [0]
    line_starts += [i + 1 for i, ch in enumerate(text) if ch == "\n"]
    findings = []
    for item in found:
        index = bisect.bisect_right(line_starts, item.start) - 1
        findings.append(identifier_finding(item, file, index + 1, item.start - line_starts[index] + 1))
    return findings


def scan_text(source: SourceFile, ctx: CheckContext) -> Iterable[Finding]:
    """Text check: one finding per unmasked ID number, mobile or bank card in the file."""
    return scan_string(_text_of(source), source.relpath)
