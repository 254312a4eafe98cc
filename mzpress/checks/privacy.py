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
least 11 digits, and no markup adds digits), so the extra pass costs almost nothing. Fenced
code is scanned as written only.

The front matter is YAML, not Markdown: it is scanned as written and, since what is published
(the page's description, listings, feeds, the search index) is the decoded value, every string
of it after YAML decoding too (``"139\\x312345678"``, ``"139\\<newline>12345678"``, values of
lists such as ``tags`` and of nested mappings, numbers such as ``phone: 13912345678`` read as
integers, keys). Such an identifier is reported at the line of its key, unless the as-written
scan of the front matter already reported the same number. A front matter that cannot be
parsed is left to the checks that report it.

An 18-digit number with a province code and a real birth date is reported as an ID number
even when its check character is wrong (疑似身份证号，校验位不符): it is still the person's
ID to any reader.

The full identifier is never printed: messages and suggestions carry the masked form only,
because check output ends up in CI logs and pull-request annotations.

The contact numbers a site publishes on purpose (``site.yml`` ``public_numbers``, read by
:func:`public_numbers`) are no finding, here and in :mod:`mzpress.checks.shown_text`.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from bisect import bisect_right
from collections.abc import Iterable, Iterator

from mzpress.checks.context import CheckContext
from mzpress.model.findings import Finding, FindingsError, error
from mzpress.model.frontmatter import split
from mzpress.model.source_text import SourceFile, for_scanning
from mzpress.model.yaml_source import LineDict, LineList
from mzpress.text.identifiers import (
    Identifier,
    Kind,
    find_identifiers,
    identifier_characters,
    public_number_keys,
    without_invisible,
)
from mzpress.text.markdown_regions import LineIndex
from mzpress.text.rendered_text import rendered_markdown

RULES = {
    Kind.ID_NUMBER: "privacy.id-number",
    Kind.MOBILE: "privacy.mobile",
    Kind.BANK_CARD: "privacy.bank-card",
}
_LABELS = {Kind.ID_NUMBER: "身份证号码", Kind.MOBILE: "手机号码", Kind.BANK_CARD: "银行卡号"}
_CONVENTIONS = {
    Kind.ID_NUMBER: "保留前6位和后4位",
    Kind.MOBILE: "保留前3位和后4位",
    Kind.BANK_CARD: "只保留后4位",
}


def identifier_finding(item: Identifier, file: str, line: int | None, column: int | None,
                       where: str = "") -> Finding:
    """One error finding for one identifier; ``where`` (e.g. ``Sheet1!B3``) leads the message.

    A suspected ID (``item.check_digit_ok`` False) says 疑似身份证号，校验位不符; the rule is
    ``privacy.id-number`` all the same. The masked form is shown without invisible characters
    (the message says when the number had some)."""
    label = _LABELS[item.kind]
    prefix = f"{where}：" if where else ""
    masked = without_invisible(item.masked)
    hidden = "号码中夹有看不见的字符，读者看到的仍是完整的号码。" if masked != item.masked else ""
    fix = (f"改为“{masked}”（{_CONVENTIONS[item.kind]}，其余用*代替）；"
           f"名单较长时运行 scripts/mzpress mask {file} 一次脱敏（网站 content/ 里的文件在原处脱敏，原文件先备份）。")
    if item.kind is Kind.ID_NUMBER and not item.check_digit_ok:
        message = (f"{prefix}疑似身份证号，校验位不符：“{masked}”（此处显示的是脱敏后的样子）。{hidden}"
                   "它的地区码和出生日期与真实的身份证号相符，只是最后一位校验位对不上，多半是录入时打错了一位，"
                   "读者仍能据此认出本人。对外公开的信息不得包含完整的身份证号码。")
        suggestion = (f"如果是身份证号，{fix}"
                      "如果这串数字确实不是身份证号（例如某种编号），请换一种写法，不要写成18位的连续数字。")
        return error(RULES[item.kind], file, line, message, suggestion, column=column)
    message = (f"{prefix}发现未脱敏的{label}“{masked}”（此处显示的是脱敏后的样子）。{hidden}"
               f"对外公开的信息不得包含完整的{label}。")
    return error(RULES[item.kind], file, line, message, fix, column=column)


def public_numbers(ctx: CheckContext | None) -> frozenset[str]:
    """The site's published contact numbers (``site.yml`` ``public_numbers``) as :func:`find_identifiers`
    compares them; none outside a project (``mzpress scan``)."""
    config = getattr(ctx, "config", None)
    numbers = config.site.public_numbers if config is not None else ()
    if not numbers:
        return frozenset()
    return ctx.memo("privacy.public_numbers", lambda: public_number_keys(numbers))


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


_WITH_FRONT_MATTER = (".md", ".markdown")


def _front_matter_values(node, line: int, seen: set[int]) -> Iterator[tuple[str, int]]:
    """Every string of a loaded front matter (and the text of its numbers, keys included) with the
    line of the key or list item it belongs to. A container reached twice (a YAML alias) is read once."""
    if isinstance(node, dict | list):
        if id(node) in seen:
            return
        seen.add(id(node))
    if isinstance(node, dict):
        for key, value in node.items():
            key_line = node.line_of(key) if isinstance(node, LineDict) else line
            yield from _front_matter_values(key, key_line, seen)
            yield from _front_matter_values(value, key_line, seen)
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _front_matter_values(value, node.line_of(index) if isinstance(node, LineList) else line, seen)
    elif isinstance(node, str):
        yield node, line
    elif isinstance(node, bytes):  # !!binary
        yield node.decode("utf-8", "replace"), line
    elif isinstance(node, bool):
        return
    elif isinstance(node, int):  # phone: 13912345678, or 0x33D3A7C4E
        yield str(node), line
    elif isinstance(node, float) and math.isfinite(node):
        yield repr(node), line
        if node.is_integer():
            yield str(int(node)), line


def _key_lines(node, seen: set[int]) -> Iterator[int]:
    """The line of every key and list item of a loaded front matter."""
    if id(node) in seen or not isinstance(node, dict | list):
        return
    seen.add(id(node))
    if isinstance(node, LineDict):
        yield from node.key_lines.values()
    if isinstance(node, LineList):
        yield from node.item_lines
    for value in node.values() if isinstance(node, dict) else node:
        yield from _key_lines(value, seen)


def _top_keys(meta: LineDict) -> list[tuple[int, str]]:
    """(line, key) of the top-level keys, in line order: the field a line belongs to."""
    return sorted((meta.line_of(key), str(key)) for key in meta)


def _field_at(keys: list[tuple[int, str]], line: int) -> str:
    field = ""
    for key_line, key in keys:
        if key_line > line:
            break
        field = key
    return field


def front_matter_findings(text: str, file: str, written: Iterable[Identifier], index: LineIndex | None = None,
                          today: dt.date | None = None, public: frozenset[str] = frozenset()) -> list[Finding]:
    """Identifiers in the decoded strings of a Markdown file's front matter that the as-written scan
    (``written``: what ``find_identifiers(text)`` found) did not already report there.

    A decoded identifier is the one found as written when the same number was found on the line of
    its key, else between that line and the next line with a key or list item (a block scalar, a
    quoted string over several lines); every other one is reported at the line of its key."""
    try:
        document = split(text.removeprefix("\ufeff"), file)
    except (FindingsError, RecursionError):
        return []  # the content loader reports a front matter it cannot read
    decoded = [(line, item) for value, line in _front_matter_values(document.meta, document.meta.line, set())
               for item in find_identifiers(value, today, public=public)]
    if not decoded:
        return []
    as_written: dict[str, list[int]] = {}  # number -> lines where the as-written scan found it
    for item in written:
        index = index or LineIndex(text)
        line = index.position(item.start)[0]
        if line < document.body_line:
            as_written.setdefault(identifier_characters(item.original), []).append(line)
    anchors = sorted({line for line, _ in decoded} | set(_key_lines(document.meta, set())))
    unmatched = []
    for line, item in decoded:  # the same line first
        lines = as_written.get(identifier_characters(item.original), [])
        if line in lines:
            lines.remove(line)
        else:
            unmatched.append((line, item))
    keys = _top_keys(document.meta)
    findings = []
    for line, item in unmatched:  # then the lines of the value below its key
        lines = as_written.get(identifier_characters(item.original), [])
        following = bisect_right(anchors, line)
        end = anchors[following] if following < len(anchors) else document.body_line
        below = next((other for other in sorted(lines) if line < other < end), None)
        if below is not None:
            lines.remove(below)
            continue
        field = _field_at(keys, line)
        where = f"信息区“{field}”字段（按YAML解读后）" if field else "信息区（按YAML解读后）"
        findings.append(identifier_finding(item, file, line, None, where=where))
    return findings


def scan_string(text: str, file: str, today: dt.date | None = None,
                public: frozenset[str] = frozenset()) -> list[Finding]:
    """Findings for every identifier in ``text``, located by 1-based line and column.

    When ``file`` is a Markdown file (``.md``), identifiers hidden by markup are found too, and
    those in the decoded front matter (see the module docstring). ``public``: the site's published
    contact numbers (:func:`public_numbers`), which are no finding."""
    found = find_identifiers(text, today, public=public)
    rendered = rendered_markdown(text, _may_hold_identifier) if is_markdown(file) else []
    index = LineIndex(text) if found else None
    decoded = front_matter_findings(text, file, found, index, today, public) \
        if file.lower().endswith(_WITH_FRONT_MATTER) and text.lstrip("\ufeff").startswith("---") else []
    if not found and not rendered and not decoded:
        return []
    index = index or LineIndex(text)
    findings = []
    spans: dict[int, list[tuple[Kind, int, int]]] = {}  # line -> (kind, first column, end column), 0-based
    for item in found:
        line, column = index.position(item.start)
        spans.setdefault(line, []).append((item.kind, column - 1, column - 1 + item.end - item.start))
        findings.append(identifier_finding(item, file, line, column))
    hidden = []
    for shown in rendered:
        for item in find_identifiers(shown.text, today, public=public):
            first, end = shown.source_span(item.start, item.end)
            if any(kind is item.kind and first < other_end and other_first < end
                   for kind, other_first, other_end in spans.get(shown.number, ())):
                continue  # the same identifier, already found as written
            hidden.append(identifier_finding(item, file, shown.number, first + 1))
    if hidden or decoded:
        findings = sorted(findings + hidden + decoded, key=lambda f: (f.line or 0, f.column or 0))
    return findings


def scan_text(source: SourceFile, ctx: CheckContext) -> Iterable[Finding]:
    """Text check: one finding per unmasked ID number, mobile or bank card in the file."""
    return scan_string(_text_of(source), source.relpath, public=public_numbers(ctx))
