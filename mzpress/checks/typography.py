"""Chinese typography in Markdown: spacing, punctuation width, repeated punctuation (warnings, with autofix).

Spacing between CJK and Latin letters or digits, half-width punctuation inside Chinese
sentences and full-width letters or digits are the rules of AutoCorrect
(``autocorrect-py``): we ask it for the corrected text and turn each difference into a
finding at its exact line:column. AutoCorrect has no rule for repeated punctuation
(“好！！！”、“是的。。”), so that one rule is ours. Front matter and fenced code blocks are
never looked at or changed; inline code and URLs are left to AutoCorrect, which skips them.

Rules (all warnings): ``typography.spacing``, ``typography.punctuation``,
``typography.fullwidth-alnum``, ``typography.repeated-punctuation``, ``typography.other``.
``mzpress fmt`` applies the same corrections (:func:`fix`), except on lines exempted with
``<!-- mzpress: allow typography… reason -->``.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

import autocorrect_py

from mzpress.checks.exemptions import exempted_lines
from mzpress.model.findings import Finding, warning
from mzpress.model.source_text import SourceFile
from mzpress.text.markdown_regions import (
    code_spans,
    fenced_code_lines,
    front_matter_line_count,
    mask,
    url_spans,
)

MARKDOWN_SUFFIXES = (".md", ".markdown")

_TO_FULL = {"!": "！", "?": "？", ",": "，", ";": "；", ".": "。", ":": "："}
_RUN = re.compile(r"[。，、；：？！!?,;.:]{2,}")
_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\u3000-\u303f\uff01-\uff0f\uff1a-\uff20\u201c\u201d\u2018\u2019]")
_ASCII_PUNCTUATION = set("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")
_FULLWIDTH_PUNCTUATION = set("，。、；：？！“”‘’（）《》【】…—")
_WORD = re.compile(r"[A-Za-z0-9.%+#&'_-]{1,24}")
_FULLWIDTH_ALNUM = re.compile(r"[\uff10-\uff19\uff21-\uff3a\uff41-\uff5a]")


@dataclass(frozen=True, slots=True)
class Issue:
    line: int
    column: int
    rule: str
    old: str  # a snippet of the text as written
    new: str  # the same snippet corrected


@dataclass
class _Prepared:
    lines: list[str]  # without line endings
    endings: list[str]
    skipped: set[int]  # 0-based lines that are front matter or fenced code
    masked: str  # the text AutoCorrect sees: skipped lines emptied


def _prepare(text: str) -> _Prepared:
    raw_lines = text.split("\n")
    lines = [line[:-1] if line.endswith("\r") else line for line in raw_lines]
    endings = ["\r\n" if line.endswith("\r") else "\n" for line in raw_lines]
    endings[-1] = "\r" if raw_lines[-1].endswith("\r") else ""
    front = front_matter_line_count(lines)
    skipped = set(range(front)) | fenced_code_lines(lines, front)
    masked = "\n".join("" if i in skipped else line for i, line in enumerate(lines))
    return _Prepared(lines, endings, skipped, masked)


# --- repeated punctuation (not an AutoCorrect rule) ------------------------------------------------------


def _repeated_runs(line: str) -> list[tuple[int, int, str]]:
    """(start, end, replacement) for each run of one punctuation mark repeated in Chinese text."""
    if not _RUN.search(line):
        return []
    protected = mask(line, code_spans(line, skip_front_matter=False) + url_spans(line), "\x00")
    runs = []
    for match in _RUN.finditer(protected):
        run = match.group(0)
        marks = {_TO_FULL.get(ch, ch) for ch in run}
        if len(marks) != 1:
            continue  # “？！” is allowed; different marks in a row are someone else's business
        mark = marks.pop()
        half_only = all(ch in _TO_FULL for ch in run)
        before = protected[match.start() - 1] if match.start() else ""
        if half_only and not _CJK.match(before or " "):
            continue  # “Hello!!” or “1..3” in Latin text
        if mark == "。" and len(run) >= 3:
            replacement = "……"
        elif mark in ("。", "：") and half_only and len(run) == 2:
            continue  # “..” “::” after Chinese: too unclear to correct
        else:
            replacement = mark
        runs.append((match.start(), match.end(), replacement))
    return runs


def _collapse_repeated(line: str) -> str:
    for start, end, replacement in reversed(_repeated_runs(line)):
        line = line[:start] + replacement + line[end:]
    return line


# --- AutoCorrect differences as issues -------------------------------------------------------------------


def _classify(removed: str, added: str) -> str:
    if not removed.strip() and not added.strip():
        return "typography.spacing"
    if any(ch in _ASCII_PUNCTUATION for ch in removed) and any(ch in _FULLWIDTH_PUNCTUATION for ch in added):
        return "typography.punctuation"
    if _FULLWIDTH_ALNUM.search(removed):
        return "typography.fullwidth-alnum"
    return "typography.other"


def _groups(old: str, new: str) -> list[tuple[int, int, str, str]]:
    """Changed regions of ``old`` as (i1, i2, removed, added, edits).

    Changes at most one character apart (“中文 ， 好”) or around one Latin word or number
    (“开展2025年”) are one place; ``removed``/``added`` hold only the changed characters.
    """
    groups: list[list] = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, old, new, autojunk=False).get_opcodes():
        if tag == "equal":
            continue
        if groups and (i1 - groups[-1][1] <= 1 or _WORD.fullmatch(old[groups[-1][1]:i1])):
            groups[-1][1] = i2
            groups[-1][2] += old[i1:i2]
            groups[-1][3] += new[j1:j2]
            groups[-1][4].append((i1, i2, new[j1:j2]))
        else:
            groups.append([i1, i2, old[i1:i2], new[j1:j2], [(i1, i2, new[j1:j2])]])
    return groups


def _apply(old: str, edits: list[tuple[int, int, str]], start: int, end: int) -> str:
    """``old[start:end]`` with ``edits`` (i1, i2, replacement) applied."""
    pieces, last = [], start
    for i1, i2, replacement in edits:
        pieces += [old[last:i1], replacement]
        last = i2
    pieces.append(old[last:end])
    return "".join(pieces)


def issues(text: str) -> list[Issue]:
    """Every typography issue in a Markdown text, with file line:column (1-based)."""
    prepared = _prepare(text)
    found: list[Issue] = []
    repeated: dict[int, list[tuple[int, int, str]]] = {}
    for index, line in enumerate(prepared.lines):
        if index in prepared.skipped:
            continue
        runs = _repeated_runs(line)
        if runs:
            repeated[index + 1] = runs
            for start, end, replacement in runs:
                found.append(Issue(index + 1, start + 1, "typography.repeated-punctuation",
                                   line[start:end], replacement))
    for result in autocorrect_py.lint_for(prepared.masked, "md").lines:
        old, new = result.old, result.new
        for i1, i2, removed, added, edits in _groups(old, new):
            prefix = old[:i1]
            line = result.line + prefix.count("\n")
            column = (i1 - prefix.rfind("\n")) if "\n" in prefix else result.col + i1
            if line - 1 in prepared.skipped:
                continue
            if any(start < column + max(i2 - i1, 1) - 1 and column - 1 < end + 1
                   for start, end, _ in repeated.get(line, [])):
                continue  # the repeated-punctuation issue covers it
            start = max(0, i1 - 4, old.rfind("\n", 0, i1) + 1)
            end = min(len(old), i2 + 4)
            newline = old.find("\n", i2)
            if newline != -1:
                end = min(end, newline)
            while end < len(old) and end - i2 < 24 and old[end].isascii() and old[end].isalnum():
                end += 1  # show the whole Latin word
            found.append(Issue(line, column, _classify(removed, added), old[start:end],
                               _apply(old, edits, start, end)))
    found.sort(key=lambda issue: (issue.line, issue.column))
    return found


_MESSAGES = {
    "typography.spacing": "中文与英文、数字之间应有一个空格",
    "typography.punctuation": "中文句子里用了半角（英文）标点，应使用全角标点",
    "typography.fullwidth-alnum": "英文字母和数字应使用半角字符",
    "typography.repeated-punctuation": "标点符号重复使用",
    "typography.other": "中英文混排格式不规范",
}


def typography_findings(text: str, relpath: str) -> list[Finding]:
    findings = []
    for issue in issues(text):
        message = _MESSAGES[issue.rule]
        if issue.rule == "typography.spacing" and len(issue.new) < len(issue.old):
            message = "全角标点两侧不应有空格"
        if issue.rule == "typography.repeated-punctuation":
            suggestion = f"把“{issue.old}”改为“{issue.new}”"
            if issue.new == "……":
                suggestion += "（省略号是两个“…”）"
        else:
            suggestion = f"把“{issue.old}”改为“{issue.new}”"
        findings.append(warning(
            issue.rule, relpath, issue.line,
            f"{message}：“{issue.old}”。",
            f"{suggestion}；运行 mzpress fmt {relpath} 可以一次自动修正全文。", column=issue.column))
    return findings


def check_typography(source: SourceFile, ctx) -> list[Finding]:
    """Text check for Markdown files."""
    if source.text is None or not source.relpath.lower().endswith(MARKDOWN_SUFFIXES):
        return []
    return typography_findings(source.text, source.relpath)


def fix(text: str, relpath: str = "") -> str:
    """``text`` with the typography corrections applied to the Markdown body only.

    Front matter, fenced code and lines exempted from ``typography`` rules stay byte for byte;
    line endings are kept. When AutoCorrect's result does not line up with the input (it
    should), only the repeated-punctuation rule is applied.
    """
    prepared = _prepare(text)
    formatted = autocorrect_py.format_for(prepared.masked, "md").split("\n")
    if len(formatted) != len(prepared.lines):
        formatted = prepared.masked.split("\n")
    exempt = exempted_lines(text, relpath, "typography")
    out: list[str] = []
    for index, line in enumerate(prepared.lines):
        if index not in prepared.skipped and index + 1 not in exempt:
            line = _collapse_repeated(formatted[index])
        out.append(line + prepared.endings[index])
    return "".join(out)
