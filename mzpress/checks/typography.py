"""Chinese typography in Markdown: spacing, punctuation width, repeated punctuation (warnings, with autofix).

Government house style (gov-site-rules §8): no space between Chinese characters and digits or
Latin letters (“3月10日”、“120位老人”、“GDP增长5%”), full-width punctuation in Chinese
sentences, half-width letters and digits. Half-width punctuation inside Chinese sentences,
spaces around full-width punctuation and full-width letters or digits are rules of AutoCorrect
(``autocorrect-py``): we ask it for the corrected text and turn each difference into a finding
at its exact line:column. AutoCorrect's own spacing rules add the spaces tech writing puts
between Chinese and Latin (“盘古之白”), which is not government style: they are switched off,
and the opposite rule (remove such spaces) is ours, as is repeated punctuation
(“好！！！”、“是的。。”), for which AutoCorrect has no rule. A site that prefers the spaced style
sets ``site.yml: typography: spacing: latin``: AutoCorrect's spacing rules are then on and ours off
(``style`` below; AutoCorrect's configuration is process-wide, so it is switched when the style changes). Front matter and fenced code blocks are
never looked at or changed; inline code and URLs are left to AutoCorrect, which skips them.

Rules (all warnings): ``typography.spacing``, ``typography.punctuation``,
``typography.fullwidth-alnum``, ``typography.repeated-punctuation``, ``typography.other``;
``typography.line-too-long`` and ``typography.not-checked`` for lines left unchecked (below).
``mzpress fmt`` applies the same corrections (:func:`fix`), except on lines exempted with
``<!-- mzpress: allow typography… reason -->``.

Large input. AutoCorrect is a Rust library with hard limits. After its first call in a
process it stops at a fixed number of parser calls per text and raises ``ValueError: call
limit reached`` (from about 200,000 characters of ordinary prose, 65,000 newlines or 4,000
“[” in a row), and a very long line overflows the stack and kills the process
(e.g. 40,000 “"” in a row on an 8 MB stack, 8,000 on 1 MB; a crash no ``except`` catches).
So it only ever sees bounded pieces: the body is cut after blank lines (else at a line
break) into pieces of at most :data:`MAX_CHUNK_CHARS` characters, each checked on its own
with its line numbers shifted back; a piece it still rejects is halved down to single
lines. A line longer than :data:`MAX_LINE_CHARS`, one with more than
:data:`MAX_DOUBLE_BRACKETS` “[[” (quadratic for it) or one line it rejects on its own is
left out (and left unchanged by :func:`fix`) with a ``typography.line-too-long`` or
``typography.not-checked`` warning. Long lines are compared with their correction in
linear time (:func:`_opcodes`), not with ``difflib``, which is cubic on them.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable
from dataclasses import dataclass
from itertools import accumulate

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

# AutoCorrect's rules that add spaces between CJK and Latin/digits, around brackets, backticks and dashes:
# off in government style ("none"), on in the spaced style ("latin").
GOVERNMENT, SPACED = "none", "latin"
_AUTOCORRECT_CONFIG = {
    GOVERNMENT: '{"rules": {"space-word": 0, "space-bracket": 0, "space-backticks": 0, "space-dash": 0}}',
    SPACED: '{"rules": {"space-word": 1, "space-bracket": 1, "space-backticks": 1, "space-dash": 1}}',
}
_loaded: list[str] = []  # the style AutoCorrect is configured for


def _use(style: str) -> None:
    if _loaded != [style]:
        autocorrect_py.load_config(_AUTOCORRECT_CONFIG[style])
        _loaded[:] = [style]


_use(GOVERNMENT)
# A space (or ideographic space) between a Chinese character and a digit or Latin letter, either side.
_CJK_CHAR = r"\u3400-\u4dbf\u4e00-\u9fff"
CJK_SPACING = "typography.cjk-spacing"  # an Issue's rule; its finding is typography.spacing
_HTML_TAG_OR_COMMENT = re.compile(r"<!--.*?(?:-->|$)|</?[A-Za-z][^<>]*>")
_CJK_LATIN_SPACE = re.compile(rf"(?<=[{_CJK_CHAR}])[ \u3000]+(?=[A-Za-z0-9])|(?<=[A-Za-z0-9%])[ \u3000]+(?=[{_CJK_CHAR}])")

# Front-matter fields printed on the page, in lists and feeds: one-line values get the spacing rule
# (only that one: quotation marks there may be YAML's own).
_SHOWN_FIELD = re.compile(r"^(?:title|summary|description|cover_alt|reason):[ \t]*")
_TO_FULL = {"!": "！", "?": "？", ",": "，", ";": "；", ".": "。", ":": "："}
_RUN = re.compile(r"[。，、；：？！!?,;.:]{2,}")
_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\u3000-\u303f\uff01-\uff0f\uff1a-\uff20\u201c\u201d\u2018\u2019]")
_ASCII_PUNCTUATION = set("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")
_FULLWIDTH_PUNCTUATION = set("，。、；：？！“”‘’（）《》【】…—")
_WORD = re.compile(r"[A-Za-z0-9.%+#&'_-]{1,24}")
_FULLWIDTH_ALNUM = re.compile(r"[\uff10-\uff19\uff21-\uff3a\uff41-\uff5a]")

# AutoCorrect's bounds (see the module docstring). A line of 4,000 characters is a very long
# paragraph (a whole story is usually 1,500-3,000) and far below any crash seen on a 1 MB stack;
# a piece of 20,000 is a tenth of what ordinary prose needs to reach the call limit.
MAX_LINE_CHARS = 4_000
MAX_CHUNK_CHARS = 20_000
# Nested “[[” cost AutoCorrect time quadratic in their number on a line (3,000 “[” take 0.1 s,
# 4,000 reach the call limit); no prose has more than a few, so a line with more is not checked.
MAX_DOUBLE_BRACKETS = 100
_DIFFLIB_CHARS = 300  # lines up to this long are compared by difflib, as they always were


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
    masked: list[str]  # the lines AutoCorrect sees: skipped and unchecked lines emptied
    too_long: set[int]  # 0-based body lines longer than MAX_LINE_CHARS: not checked
    unreadable: set[int]  # 0-based body lines AutoCorrect is known to choke on: not checked
    shown_fields: dict[int, int]  # 0-based front-matter lines of a field readers see (title …) -> where its value starts


def _prepare(text: str) -> _Prepared:
    raw_lines = text.split("\n")
    lines = [line[:-1] if line.endswith("\r") else line for line in raw_lines]
    endings = ["\r\n" if line.endswith("\r") else "\n" for line in raw_lines]
    endings[-1] = "\r" if raw_lines[-1].endswith("\r") else ""
    front = front_matter_line_count(lines)
    skipped = set(range(front)) | fenced_code_lines(lines, front)
    too_long = {i for i, line in enumerate(lines) if len(line) > MAX_LINE_CHARS and i not in skipped}
    unreadable = {i for i, line in enumerate(lines)
                  if "[[" in line and line.count("[[") > MAX_DOUBLE_BRACKETS and i not in skipped and i not in too_long}
    masked = ["" if i in skipped or i in too_long or i in unreadable else line for i, line in enumerate(lines)]
    shown_fields = {}
    for index in range(front):
        match = _SHOWN_FIELD.match(lines[index])
        if match and len(lines[index]) <= MAX_LINE_CHARS:
            shown_fields[index] = match.end()
    return _Prepared(lines, endings, skipped, masked, too_long, unreadable, shown_fields)


# --- AutoCorrect on bounded pieces -------------------------------------------------------------------------


def _pieces(lines: list[str]) -> list[tuple[int, int]]:
    """(start, end) line ranges covering ``lines``, each at most MAX_CHUNK_CHARS long where a line
    break allows it, cut after the last blank line that fits (else before the line that does not)."""
    offsets = list(accumulate((len(line) + 1 for line in lines), initial=0))
    pieces: list[tuple[int, int]] = []
    start, blank = 0, -1
    for index, line in enumerate(lines):
        while index > start and offsets[index + 1] - offsets[start] > MAX_CHUNK_CHARS:
            cut = blank + 1 if start <= blank < index else index
            pieces.append((start, cut))
            start = cut
        if not line.strip():
            blank = index
    pieces.append((start, len(lines)))
    return pieces


def _in_pieces(lines: list[str], call: Callable[[str, int, int], None]) -> set[int]:
    """``call(text, start, end)`` for bounded pieces of ``lines``; the 0-based lines AutoCorrect rejects.

    ``call`` must record nothing when AutoCorrect raises; a rejected piece is halved until
    single lines are left.
    """
    rejected: set[int] = set()

    def attempt(start: int, end: int) -> None:
        try:
            call("\n".join(lines[start:end]), start, end)
        except ValueError:  # “call limit reached”
            if end - start == 1:
                rejected.add(start)
                return
            middle = (start + end) // 2
            attempt(start, middle)
            attempt(middle, end)

    for start, end in _pieces(lines):
        attempt(start, end)
    return rejected


def _lint(prepared: _Prepared) -> tuple[list[tuple[int, int, str, str]], set[int]]:
    """AutoCorrect's changed lines as (1-based line, column, old, new), and the lines it rejected."""
    results: list[tuple[int, int, str, str]] = []

    def call(text: str, start: int, end: int) -> None:
        found = autocorrect_py.lint_for(text, "md").lines
        results.extend((start + result.line, result.col, result.old, result.new) for result in found)

    return results, _in_pieces(prepared.masked, call)


def _format(prepared: _Prepared) -> tuple[list[str], set[int]]:
    """The masked lines as AutoCorrect formats them, and the lines it rejected (kept as they are)."""
    formatted = list(prepared.masked)

    def call(text: str, start: int, end: int) -> None:
        lines = autocorrect_py.format_for(text, "md").split("\n")
        if len(lines) == end - start:  # it should; when not, this piece stays as written
            formatted[start:end] = lines

    return formatted, _in_pieces(prepared.masked, call)


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


def _cjk_spacing_runs(line: str) -> list[tuple[int, int, str]]:
    """(start, end, "") for each space between Chinese and a digit or Latin letter, outside code and URLs."""
    if " " not in line and "\u3000" not in line:
        return []
    html = [(m.start(), m.end()) for m in _HTML_TAG_OR_COMMENT.finditer(line)] if "<" in line else []
    protected = mask(line, code_spans(line, skip_front_matter=False) + url_spans(line) + html, "\x00")
    return [(m.start(), m.end(), "") for m in _CJK_LATIN_SPACE.finditer(protected)]


_LINK_TARGET = re.compile(r"\]\([^)\n]*\)")  # [text](url "title"): the destination and title are not prose
_STRAIGHT_QUOTED = re.compile(r'"([^"\n]{1,200})"')
_AFTER_CLOSING_MARK = re.compile(r"(?<=[》”’）】」])([,;:!?.])(?=[\u3400-\u4dbf\u4e00-\u9fff“‘《（]|$)"
                                 r"|(?<=[\u3400-\u4dbf\u4e00-\u9fff])([,;:!?])(?=[“‘《（【「])")


def _mark_runs(line: str) -> list[tuple[int, int, str]]:
    """(start, end, replacement) for half-width marks in Chinese text that AutoCorrect leaves alone:
    straight quotes around Chinese words ("幸福食堂" → “幸福食堂”) and a half-width mark right after a
    closing full-width one or right before an opening one (《民法典》, → 《民法典》，；他说:“ → 他说：“)."""
    if '"' not in line and not _AFTER_CLOSING_MARK.search(line):
        return []
    html = [(m.start(), m.end()) for m in _HTML_TAG_OR_COMMENT.finditer(line)] if "<" in line else []
    links = [(m.start(), m.end()) for m in _LINK_TARGET.finditer(line)]
    protected = mask(line, code_spans(line, skip_front_matter=False) + url_spans(line) + html + links, "\x00")
    runs = []
    for match in _STRAIGHT_QUOTED.finditer(protected):
        if "\x00" in match.group(0) or not re.search(f"[{_CJK_CHAR}]", match.group(1)):
            continue
        runs += [(match.start(), match.start() + 1, "“"), (match.end() - 1, match.end(), "”")]
    for match in _AFTER_CLOSING_MARK.finditer(protected):
        runs.append((match.start(), match.end(), _TO_FULL[match.group(1) or match.group(2)]))
    return sorted(runs)


def _full_width_marks(line: str) -> str:
    for start, end, replacement in reversed(_mark_runs(line)):
        line = line[:start] + replacement + line[end:]
    return line


def _remove_cjk_spacing(line: str) -> str:
    for start, end, _ in reversed(_cjk_spacing_runs(line)):
        line = line[:start] + line[end:]
    return line


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


def _opcodes(old: str, new: str) -> list[tuple[str, int, int, int, int]]:
    """The changes that turn ``old`` into ``new``, as ``difflib`` opcodes.

    Short lines go to ``difflib`` (exact, but cubic in the worst case: 2.6 s for a 4,000-character
    line). AutoCorrect only adds or removes spaces and swaps single characters (“,” for “，”), so
    for a long line the characters other than spaces are paired one to one, in linear time; when
    their counts differ (it should not happen) ``difflib`` with its fast heuristic takes over.
    """
    if len(old) <= _DIFFLIB_CHARS and len(new) <= _DIFFLIB_CHARS:
        return difflib.SequenceMatcher(None, old, new, autojunk=False).get_opcodes()
    a = [i for i, ch in enumerate(old) if ch != " "]
    b = [j for j, ch in enumerate(new) if ch != " "]
    if len(a) != len(b):
        return difflib.SequenceMatcher(None, old, new).get_opcodes()
    ops: list[tuple[str, int, int, int, int]] = []

    def add(i1: int, i2: int, j1: int, j2: int) -> None:
        if i1 == i2 and j1 == j2:
            return
        tag = "replace" if i1 < i2 and j1 < j2 else "delete" if i1 < i2 else "insert"
        if ops and ops[-1][2] == i1 and ops[-1][4] == j1:  # touches the previous change: one change
            i1, j1 = ops[-1][1], ops[-1][3]
            tag = "replace" if i1 < i2 and j1 < j2 else "delete" if i1 < i2 else "insert"
            ops.pop()
        ops.append((tag, i1, i2, j1, j2))

    i0 = j0 = 0  # just after the previous non-space character
    for i, j in zip(a + [len(old)], b + [len(new)]):
        old_gap, new_gap = i - i0, j - j0  # spaces before this character
        if old_gap != new_gap:
            shared = min(old_gap, new_gap)
            add(i0 + shared, i, j0 + shared, j)
        if i < len(old) and old[i] != new[j]:
            add(i, i + 1, j, j + 1)
        i0, j0 = i + 1, j + 1
    result: list[tuple[str, int, int, int, int]] = []
    last_i = last_j = 0
    for op in ops:
        if op[1] > last_i:
            result.append(("equal", last_i, op[1], last_j, op[3]))
        result.append(op)
        last_i, last_j = op[2], op[4]
    if last_i < len(old):
        result.append(("equal", last_i, len(old), last_j, len(new)))
    return result


def _groups(old: str, new: str) -> list[tuple[int, int, str, str]]:
    """Changed regions of ``old`` as (i1, i2, removed, added, edits).

    Changes at most one character apart (“中文 ， 好”) or around one Latin word or number
    (“开展2025年”) are one place; ``removed``/``added`` hold only the changed characters.
    """
    groups: list[list] = []
    for tag, i1, i2, j1, j2 in _opcodes(old, new):
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


def issues(text: str, style: str = GOVERNMENT) -> list[Issue]:
    """Every typography issue in a Markdown text, with file line:column (1-based)."""
    return _check(text, style)[0]


def _check(text: str, style: str = GOVERNMENT) -> tuple[list[Issue], list[tuple[int, str]]]:
    """The issues, and the (1-based) lines left unchecked with why: ``typography.line-too-long``
    or ``typography.not-checked`` (AutoCorrect rejected the line)."""
    prepared = _prepare(text)
    _use(style)
    changes, rejected = _lint(prepared)
    unchecked = prepared.too_long | prepared.unreadable | rejected
    found: list[Issue] = []
    repeated: dict[int, list[tuple[int, int, str]]] = {}
    for index, value_start in prepared.shown_fields.items():
        line = prepared.lines[index]
        for start, end, _ in (_cjk_spacing_runs(line[value_start:]) if style == GOVERNMENT else ()):
            start, end = start + value_start, end + value_start
            context_start, context_end = max(value_start, start - 4), min(len(line), end + 4)
            found.append(Issue(index + 1, start + 1, CJK_SPACING, line[context_start:context_end],
                               line[context_start:start] + line[end:context_end]))
    for index, line in enumerate(prepared.lines):
        if index in prepared.skipped or index in unchecked:
            continue
        runs = _repeated_runs(line)
        if runs:
            repeated[index + 1] = runs
            for start, end, replacement in runs:
                found.append(Issue(index + 1, start + 1, "typography.repeated-punctuation",
                                   line[start:end], replacement))
        for start, end, replacement in _mark_runs(line):
            context_start, context_end = max(0, start - 4), min(len(line), end + 4)
            found.append(Issue(index + 1, start + 1, "typography.punctuation", line[context_start:context_end],
                               line[context_start:start] + replacement + line[end:context_end]))
        for start, end, _ in (_cjk_spacing_runs(line) if style == GOVERNMENT else ()):
            context_start, context_end = max(0, start - 4), min(len(line), end + 4)
            found.append(Issue(index + 1, start + 1, CJK_SPACING, line[context_start:context_end],
                               line[context_start:start] + line[end:context_end]))
    for result_line, result_col, old, new in changes:
        for i1, i2, removed, added, edits in _groups(old, new):
            prefix = old[:i1]
            line = result_line + prefix.count("\n")
            column = (i1 - prefix.rfind("\n")) if "\n" in prefix else result_col + i1
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
    skipped = [(index + 1, "typography.line-too-long" if index in prepared.too_long else "typography.not-checked")
               for index in sorted(unchecked)]
    return found, skipped


_MESSAGES = {
    "typography.spacing": "全角标点两侧不应有空格",
    # Reported as typography.spacing (one rule for exemptions), with its own message.
    CJK_SPACING: "中文与数字、英文之间不加空格",
    "typography.punctuation": "中文句子里用了半角（英文）标点，应使用全角标点",
    "typography.fullwidth-alnum": "英文字母和数字应使用半角字符",
    "typography.repeated-punctuation": "标点符号重复使用",
    "typography.other": "中英文混排格式不规范",
}


def _unchecked_finding(line: int, rule: str, text_line: str, relpath: str) -> Finding:
    if rule == "typography.line-too-long":
        return warning(
            rule, relpath, line,
            f"这一行有{len(text_line)}个字符，超过了中文排版检查能处理的长度（{MAX_LINE_CHARS}个字符），"
            "没有检查这一行的中文排版，mzpress fmt 也不会修改它。",
            "把这一段分成几段（段与段之间空一行）；很长的表格请改为附件（.xlsx 或 .pdf），在正文中链接。", column=1)
    return warning(
        rule, relpath, line,
        "这一行的写法过于复杂（例如大量连续的符号），中文排版检查无法处理，没有检查这一行，mzpress fmt 也不会修改它。",
        "检查这一行是否有从网页或 Word 复制带来的成串符号（如 [[[[ 或 ****），删掉多余的符号；确属原文的可以忽略这条警告。",
        column=1)


def typography_findings(text: str, relpath: str, style: str = GOVERNMENT) -> list[Finding]:
    found, unchecked = _check(text, style)
    lines = text.split("\n")
    findings = [_unchecked_finding(line, rule, lines[line - 1].rstrip("\r"), relpath) for line, rule in unchecked]
    for issue in found:
        message = _MESSAGES[issue.rule]
        if issue.rule == "typography.spacing" and len(issue.new) > len(issue.old):
            # AutoCorrect adding a space: the spaced style's rule (in government style its spacing rules are off)
            message = "中文与数字、英文之间应加一个空格（本站 typography.spacing: latin）" if style == SPACED \
                else "中英文混排格式不规范"
        if issue.rule == "typography.repeated-punctuation":
            suggestion = f"把“{issue.old}”改为“{issue.new}”"
            if issue.new == "……":
                suggestion += "（省略号是两个“…”）"
        else:
            suggestion = f"把“{issue.old}”改为“{issue.new}”"
        findings.append(warning(
            "typography.spacing" if issue.rule == CJK_SPACING else issue.rule, relpath, issue.line,
            f"{message}：“{issue.old}”。",
            f"{suggestion}；运行 mzpress fmt {relpath} 可以一次自动修正全文。", column=issue.column))
    findings.sort(key=lambda finding: (finding.line, finding.column or 0))
    return findings


def check_typography(source: SourceFile, ctx) -> list[Finding]:
    """Text check for Markdown files."""
    if source.text is None or not source.relpath.lower().endswith(MARKDOWN_SUFFIXES):
        return []
    return typography_findings(source.text, source.relpath, style_of(getattr(ctx, "config", None)))


def style_of(config) -> str:
    """The spacing style of a site configuration (government style without one)."""
    site = getattr(config, "site", None)
    return getattr(getattr(site, "typography", None), "spacing", GOVERNMENT)


def fix(text: str, relpath: str = "", style: str = GOVERNMENT) -> str:
    """``text`` with the typography corrections applied to the Markdown body only.

    Front matter, fenced code, lines exempted from ``typography`` rules and lines left
    unchecked (too long, or rejected by AutoCorrect) stay byte for byte; line endings are
    kept. When AutoCorrect's result for a piece does not line up with the input (it should),
    only the repeated-punctuation rule is applied there.
    """
    prepared = _prepare(text)
    # Spaces out first: AutoCorrect then sees “中文ABC?好” as the reader will (idempotent: a second run
    # changes nothing).
    if style == GOVERNMENT:
        def spaces_out(line: str) -> str:
            return _remove_cjk_spacing(_full_width_marks(line))
    else:
        spaces_out = _full_width_marks
    prepared.masked = [spaces_out(line) for line in prepared.masked]
    _use(style)
    formatted, rejected = _format(prepared)
    unchanged = prepared.skipped | prepared.too_long | prepared.unreadable | rejected
    exempt = exempted_lines(text, relpath, "typography")
    out: list[str] = []
    for index, line in enumerate(prepared.lines):
        if index not in unchanged and index + 1 not in exempt:
            line = spaces_out(_collapse_repeated(formatted[index]))
        elif index in prepared.shown_fields and style == GOVERNMENT and index + 1 not in exempt:
            value_start = prepared.shown_fields[index]
            line = line[:value_start] + _remove_cjk_spacing(line[value_start:])
        out.append(line + prepared.endings[index])
    return "".join(out)
