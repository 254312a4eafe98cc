"""The personal-data text check: unmasked ID numbers, mobile numbers and bank cards in text files.

``scan_text`` is registered in ``mzpress.checks.text_checks()``; the runner calls it on every
decoded Markdown, CSV and TXT file (prose, tables and front matter alike: it is all text).
Detection lives in ``mzpress.text.identifiers``; this module turns each occurrence into one finding
(rules ``privacy.id-number``, ``privacy.mobile``, ``privacy.bank-card``, severity error) at
file:line:column. ``identifier_finding`` is shared with the attachment check, which puts its
location (``Sheet1!B3``, ``第 2 页``) at the start of the message instead of a line.

In a Markdown file each body line is also scanned as the reader sees it
(``mzpress.text.rendered_text``): a number split by markup that does not show on the page
(``138<span>1234</span>5678``, ``138**1234**5678``, ``138&#49;2345678``) is found there and
reported at the writer's line and the source column where it starts. An identifier found both
as written and as read (same rule, overlapping columns of the same line) is reported once.
Only lines with 11 or more digits and a markup character are projected (an identifier has at
least 11 digits, and no markup adds digits), so the extra pass costs almost nothing. The
front matter is scanned as written only (it is YAML, not Markdown), fenced code likewise.

The full identifier is never printed: messages and suggestions carry the masked form only,
because check output ends up in CI logs and pull-request annotations.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable

from mzpress.checks.context import CheckContext
from mzpress.model.findings import Finding, error
from mzpress.model.source_text import SourceFile, for_scanning
from mzpress.text.identifiers import Identifier, Kind, find_identifiers
from mzpress.text.markdown_regions import LineIndex
from mzpress.text.rendered_text import rendered_markdown

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


# Eleven digits (ASCII or full-width) or more in a line; possessive, so one pass over it.
_ELEVEN_DIGITS = re.compile(r"(?:[^0-9\uff10-\uff19]*+[0-9\uff10-\uff19]){11}")


def _may_hold_identifier(line: str) -> bool:
    return _ELEVEN_DIGITS.match(line) is not None


def is_markdown(file: str) -> bool:
    return file.lower().endswith(".md")


def scan_string(text: str, file: str, today: dt.date | None = None) -> list[Finding]:
    """Findings for every identifier in ``text``, located by 1-based line and column.

    When ``file`` is a Markdown file (``.md``), identifiers hidden by markup are found too
    (see the module docstring)."""
    found = find_identifiers(text, today)
    rendered = rendered_markdown(text, _may_hold_identifier) if is_markdown(file) else []
    if not found and not rendered:
        return []
    index = LineIndex(text)
    findings = []
    spans: dict[int, list[tuple[Kind, int, int]]] = {}  # line -> (kind, first column, end column), 0-based
    for item in found:
        line, column = index.position(item.start)
        spans.setdefault(line, []).append((item.kind, column - 1, column - 1 + item.end - item.start))
        findings.append(identifier_finding(item, file, line, column))
    hidden = []
    for shown in rendered:
        for item in find_identifiers(shown.text, today):
            first, end = shown.source_span(item.start, item.end)
            if any(kind is item.kind and first < other_end and other_first < end
                   for kind, other_first, other_end in spans.get(shown.number, ())):
                continue  # the same identifier, already found as written
            hidden.append(identifier_finding(item, file, shown.number, first + 1))
    if hidden:
        findings = sorted(findings + hidden, key=lambda f: (f.line or 0, f.column or 0))
    return findings


def scan_text(source: SourceFile, ctx: CheckContext) -> Iterable[Finding]:
    """Text check: one finding per unmasked ID number, mobile or bank card in the file."""
    return scan_string(_text_of(source), source.relpath)
