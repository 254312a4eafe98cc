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
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from itertools import accumulate

import autocorrect_py
import yaml

from mzpress.checks.exemptions import exempted_lines
from mzpress.model.findings import Finding, FindingsError, warning
from mzpress.model.frontmatter import split
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

_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when built with it: 10x faster


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
# Spaces to remove at most this many characters apart are one place to fix: “12 月 5 日”, “2026 年 12 月”.
_SPACED_TOKEN = 4


@dataclass(frozen=True, slots=True)
class Issue:
    line: int
    column: int
    rule: str
    old: str  # a snippet of the text as written
    new: str  # the same snippet corrected
    field: str = ""  # the front-matter field (title, summary) the snippet is in; "" for the body


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
_CLOSING_MARKS = "》”’）】」"
_AFTER_CLOSING_MARK = re.compile(rf"(?<=[{_CLOSING_MARKS}])([,;:!?.])(?=[{_CJK_CHAR}“‘《（]|$)"
                                 rf"|(?<=[{_CJK_CHAR}])([,;:!?])(?=[“‘《（【「])")
# A half-width mark ending a Chinese phrase that AutoCorrect leaves: before a closing full-width mark,
# HTML, code or a URL (“好!” → “好！”, 好!<br>), and ! or ? before Chinese or at the end of a line, with the
# spaces a writer put around it (“欢迎你 !” → “欢迎你！”; the two spaces of a line break stay). Never “![”:
# that is an image.
_ENDING_MARK = re.compile(rf"(?<=[{_CJK_CHAR}]) *(?P<a>[,;:!?])(?=[{_CLOSING_MARKS}\x00])"
                          rf"|(?<=[{_CJK_CHAR}]) *(?P<b>[!?])(?:[ \t]+(?=[{_CJK_CHAR}“‘《（])|(?=[ \t]*$))"
                          rf"|(?<=[{_CJK_CHAR}]) +(?P<c>[,;:])[ \t]*(?=[{_CJK_CHAR}“‘《（])")
# Half-width brackets in Chinese text: around Chinese words, or around an abbreviation or a number right
# after a Chinese character (“(社区)” → “（社区）”, “总值(GDP)” → “总值（GDP）”); never a link's destination,
# code or a URL, nor Latin text (“and (see below)”).
_BRACKETED = re.compile(r"\(([^()\n]{1,200})\)")
_CJK_IN = re.compile(f"[{_CJK_CHAR}]")
_ABBREVIATION = re.compile(r"[A-Za-z0-9.%+&/-]{1,12}")


def _marks_protected(line: str) -> str:
    """``line`` with what is not prose (code, URLs, HTML, link destinations) blanked out, same length."""
    html = [(m.start(), m.end()) for m in _HTML_TAG_OR_COMMENT.finditer(line)] if "<" in line else []
    links = [(m.start(), m.end()) for m in _LINK_TARGET.finditer(line)]
    return mask(line, code_spans(line, skip_front_matter=False) + url_spans(line) + html + links, "\x00")


def _bracket_runs(protected: str) -> list[tuple[int, int, str, int]]:
    """(start, end, replacement, pair) for the half-width brackets of Chinese text; both of a pair share ``pair``."""
    runs = []
    for match in _BRACKETED.finditer(protected):
        content = match.group(1)
        before = protected[match.start() - 1] if match.start() else ""
        if "\x00" in content or not (_CJK_IN.search(content)
                                      or (_CJK_IN.match(before or " ") and _ABBREVIATION.fullmatch(content))):
            continue
        runs += [(match.start(), match.start() + 1, "（", match.start()), (match.end() - 1, match.end(), "）", match.start())]
    return runs


def _paired_mark_runs(line: str) -> list[tuple[int, int, str, int | None]]:
    """(start, end, replacement, pair) for half-width marks in Chinese text that AutoCorrect leaves alone:
    straight quotes around Chinese words ("幸福食堂" → “幸福食堂”), half-width brackets there
    ((社区) → （社区）), a half-width mark right after a closing full-width one or right before an
    opening one (《民法典》, → 《民法典》，；他说:“ → 他说：“) and one ending a Chinese phrase (see
    ``_ENDING_MARK``). The two marks of a quote or bracket pair share ``pair`` (else None)."""
    if not any(ch in line for ch in '"(,;:!?.'):
        return []
    protected = _marks_protected(line)
    runs: list[tuple[int, int, str, int | None]] = []
    for match in _STRAIGHT_QUOTED.finditer(protected):
        if "\x00" in match.group(0) or not _CJK_IN.search(match.group(1)):
            continue
        runs += [(match.start(), match.start() + 1, "“", match.start()), (match.end() - 1, match.end(), "”", match.start())]
    taken = {start for start, *_ in runs}
    runs += [run for run in _bracket_runs(protected) if run[0] not in taken]
    # The brackets and quotes as they will be (one character for one): “(社区),” reads as “（社区）,”.
    virtual = list(protected)
    for start, _, replacement, _ in runs:
        virtual[start] = replacement
    reading = "".join(virtual)
    taken = {start for start, *_ in runs}
    for match in _AFTER_CLOSING_MARK.finditer(reading):
        if match.start() not in taken:
            runs.append((match.start(), match.end(), _TO_FULL[match.group(1) or match.group(2)], None))
            taken.add(match.start())
    for match in _ENDING_MARK.finditer(reading):
        name = next(name for name in "abc" if match.group(name))
        if match.start(name) not in taken:
            runs.append((match.start(), match.end(), _TO_FULL[match.group(name)], None))
            taken.add(match.start(name))
    return sorted(runs)


def _mark_runs(line: str) -> list[tuple[int, int, str]]:
    """(start, end, replacement) of :func:`_paired_mark_runs`, in order."""
    return [(start, end, replacement) for start, end, replacement, _ in _paired_mark_runs(line)]


def _mark_groups(line: str) -> list[list[tuple[int, int, str]]]:
    """The runs of :func:`_paired_mark_runs` as one group per place to fix: a quote or bracket pair with
    what lies inside it and a mark right after it (“(社区),” is one change), other runs one each."""
    runs = _paired_mark_runs(line)
    spans = {}
    for start, end, _, pair in runs:
        if pair is not None:
            first, last = spans.get(pair, (start, end))
            spans[pair] = (min(first, start), max(last, end))
    groups: list[list[tuple[int, int, str]]] = []
    group_end = -1
    for start, end, replacement, pair in runs:
        reach = spans[pair][1] if pair is not None else end
        if groups and start <= group_end:
            groups[-1].append((start, end, replacement))
            group_end = max(group_end, reach)
        else:
            groups.append([(start, end, replacement)])
            group_end = reach
    return groups


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


def _context_issue(number: int, line: str, runs: list[tuple[int, int, str]], rule: str, low: int = 0,
                   field: str = "") -> Issue:
    """One issue for ``runs`` (start, end, replacement) of ``line``: the text around them as written and
    fixed, at the column of the first; ``low``: where the context may start (a field's value)."""
    first, last = runs[0][0], runs[-1][1]
    context_start, context_end = max(low, first - 4), min(len(line), last + 4)
    while context_end < len(line) and context_end - last < 24 and line[context_end].isascii() \
            and line[context_end].isalnum():
        context_end += 1  # show the whole Latin word or number
    while context_start > low and first - context_start < 24 and line[context_start - 1].isascii() \
            and line[context_start - 1].isalnum():
        context_start -= 1
    return Issue(number, first + 1, rule, line[context_start:context_end],
                 _apply(line, runs, context_start, context_end), field)


def _spacing_groups(runs: list[tuple[int, int, str]]) -> list[list[tuple[int, int, str]]]:
    """Spaces to remove, one group per place: spaces at most ``_SPACED_TOKEN`` characters apart are one
    place (“12 月 5 日” is one fix, not three)."""
    groups: list[list[tuple[int, int, str]]] = []
    for run in runs:
        if groups and run[0] - groups[-1][-1][1] <= _SPACED_TOKEN:
            groups[-1].append(run)
        else:
            groups.append([run])
    return groups


def _overlaps(column: int, width: int, spans: list[tuple[int, int]]) -> bool:
    """Whether the 1-based ``column`` (``width`` characters) touches one of the 0-based ``spans``."""
    return any(start < column + max(width, 1) - 1 and column - 1 < end + 1 for start, end in spans)


def _check(text: str, style: str = GOVERNMENT) -> tuple[list[Issue], list[tuple[int, str]]]:
    """The issues, and the (1-based) lines left unchecked with why: ``typography.line-too-long``
    or ``typography.not-checked`` (AutoCorrect rejected the line)."""
    prepared = _prepare(text)
    _use(style)
    changes, rejected = _lint(prepared)
    unchecked = prepared.too_long | prepared.unreadable | rejected
    found: list[Issue] = []
    covered: dict[int, list[tuple[int, int]]] = {}  # 1-based line -> spans our own rules report
    field_issues, handled = _field_issues(text, prepared, style)
    found += field_issues
    for index, value_start in prepared.shown_fields.items():
        if index in handled:
            continue
        line = prepared.lines[index]
        runs = [(start + value_start, end + value_start, "")
                for start, end, _ in (_cjk_spacing_runs(line[value_start:]) if style == GOVERNMENT else ())]
        for group in _spacing_groups(runs):
            found.append(_context_issue(index + 1, line, group, CJK_SPACING, value_start))
    for index, line in enumerate(prepared.lines):
        if index in prepared.skipped or index in unchecked:
            continue
        runs = _repeated_runs(line)
        for start, end, replacement in runs:
            covered.setdefault(index + 1, []).append((start, end))
            found.append(Issue(index + 1, start + 1, "typography.repeated-punctuation",
                               line[start:end], replacement))
        for group in _mark_groups(line):
            covered.setdefault(index + 1, []).append((group[0][0], group[-1][1]))
            found.append(_context_issue(index + 1, line, group, "typography.punctuation"))
        spacing = _cjk_spacing_runs(line) if style == GOVERNMENT else []
        for group in _spacing_groups(spacing):
            found.append(_context_issue(index + 1, line, group, CJK_SPACING))
    for result_line, result_col, old, new in changes:
        for i1, i2, removed, added, edits in _groups(old, new):
            prefix = old[:i1]
            line = result_line + prefix.count("\n")
            column = (i1 - prefix.rfind("\n")) if "\n" in prefix else result_col + i1
            if line - 1 in prepared.skipped:
                continue
            if _overlaps(column, i2 - i1, covered.get(line, [])):
                continue  # the repeated-punctuation or punctuation issue covers it
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


# --- the title and summary -------------------------------------------------------------------------------

# Front-matter fields that get every correction of the body (check and fmt); the other fields readers see
# get the spacing rule only.
FIXED_FIELDS = ("title", "summary")
FIELD_LABELS = {"title": "标题", "summary": "摘要"}
_FIELD_KEY = re.compile(r"^([a-z_]+):")
_YAML_PLAIN_START = set("|>&*!{[#%@`,?:-'\"")


@dataclass(frozen=True, slots=True)
class _Field:
    """A one-line ``title:``/``summary:`` of the front matter: its value, and how it is written."""

    index: int  # 0-based line
    key: str
    value: str  # as YAML reads it
    quote: str  # "" (plain), "'" or '"'
    raw_start: int  # where the written value starts in the line
    raw_end: int
    offset: int | None  # where ``value[0]`` is in the line when it is written as it reads (else None)


def _front_matter_values(text: str) -> dict | None:
    """The front matter as YAML reads it (None when it cannot be read: the loader reports that)."""
    try:
        document = split(text.removeprefix("\ufeff"), "")
    except (FindingsError, RecursionError, ValueError):
        return None
    return document.meta


def _fields(text: str, prepared: _Prepared) -> list[_Field]:
    """The title and summary lines whose value is a one-line scalar (plain or quoted) that YAML reads
    as the whole value: a block scalar, a value continued on the next line, a comment, an alias or a
    tag is left as written."""
    candidates = [index for index in prepared.shown_fields
                  if _FIELD_KEY.match(prepared.lines[index]).group(1) in FIXED_FIELDS]
    if not candidates:
        return []
    meta = _front_matter_values(text)
    if meta is None:
        return []
    fields = []
    for index in candidates:
        line = prepared.lines[index]
        key = _FIELD_KEY.match(line).group(1)
        raw_start = prepared.shown_fields[index]
        raw = line[raw_start:].rstrip(" \t")
        value = meta.get(key)
        if not raw or not isinstance(value, str) or meta.line_of(key) != index + 1:
            continue
        try:
            alone = yaml.load(f"{key}: {raw}", Loader=_YAML_LOADER)  # noqa: S506 (a safe loader)
        except yaml.YAMLError:
            continue
        if alone != {key: value}:
            continue  # continued on the next line, or not a plain string
        quote = raw[0] if raw[0] in "'\"" else ""
        if not quote and raw[0] in _YAML_PLAIN_START:
            continue
        inner = raw[1:-1] if quote else raw
        offset = raw_start + (1 if quote else 0) if inner == value else None
        fields.append(_Field(index, key, value, quote, raw_start, raw_start + len(raw), offset))
    return fields


def fix_text(value: str, style: str = GOVERNMENT) -> str:
    """One line of plain text (a title, a summary) with the corrections ``mzpress fmt`` makes to the body."""
    if not value or "\n" in value or len(value) > MAX_LINE_CHARS:
        return value
    _use(style)
    spaces_out = _spaces_out(style)
    line = spaces_out(value)
    try:
        formatted = autocorrect_py.format_for(line, "text")
    except ValueError:  # “call limit reached”: the marks and spaces only
        formatted = line
    if "\n" in formatted:
        formatted = line
    return spaces_out(_collapse_repeated(formatted))


def _spaces_out(style: str) -> Callable[[str], str]:
    if style == GOVERNMENT:
        return lambda line: _remove_cjk_spacing(_full_width_marks(line))
    return _full_width_marks


def _field_rule(old: str, i1: int, i2: int, removed: str, added: str) -> str:
    if not removed.strip() and not added:
        before = old[i1 - 1] if i1 else ""
        after = old[i2] if i2 < len(old) else ""
        if before not in _FULLWIDTH_PUNCTUATION and after not in _FULLWIDTH_PUNCTUATION:
            return CJK_SPACING
    return _classify(removed, added)


def _field_groups(value: str, fixed: str) -> list[tuple[int, int, str, str, list]]:
    """:func:`_groups` of a field's value, with the changes of one quote or bracket pair, or spaces a few
    characters apart (“12 月 5 日”), as one place."""
    pairs = [(group[0][0], group[-1][1]) for group in _mark_groups(value)]
    merged: list[list] = []
    for group in _groups(value, fixed):
        if merged:
            last = merged[-1]
            near = group[0] - last[1] <= _SPACED_TOKEN and not group[2].strip() and not last[2].strip()
            if near or any(first <= last[0] and group[0] < end for first, end in pairs):
                merged[-1] = [last[0], group[1], last[2] + group[2], last[3] + group[3], last[4] + group[4]]
                continue
        merged.append(list(group))
    return [tuple(group) for group in merged]


def _field_issues(text: str, prepared: _Prepared, style: str) -> tuple[list[Issue], set[int]]:
    """Issues in the title and summary: every correction :func:`fix_text` makes, one per place; and the
    0-based lines so judged (any other shown field gets the spacing rule only)."""
    issues_found = []
    fields = _fields(text, prepared)
    for field in fields:
        fixed = fix_text(field.value, style)
        if fixed == field.value:
            continue
        for i1, i2, removed, added, edits in _field_groups(field.value, fixed):
            start, end = max(0, i1 - 4), min(len(field.value), i2 + 4)
            column = field.offset + i1 + 1 if field.offset is not None else field.raw_start + 1
            issues_found.append(Issue(field.index + 1, column, _field_rule(field.value, i1, i2, removed, added),
                                      field.value[start:end], _apply(field.value, edits, start, end), field.key))
    return issues_found, {field.index for field in fields}


def _yaml_scalar(key: str, value: str, quote: str) -> str | None:
    """``value`` written as a one-line YAML scalar that reads back as exactly ``value``: plain when it was
    plain and stays a plain string, else in the quotes it had, else single then double quotes."""
    candidates = []
    if not quote and value and value == value.strip() and value[0] not in _YAML_PLAIN_START:
        candidates.append(value)
    single = "'" + value.replace("'", "''") + "'"
    double = json.dumps(value, ensure_ascii=False)
    candidates += [double, single] if quote == '"' else [single, double]
    for candidate in candidates:
        try:
            if yaml.safe_load(f"{key}: {candidate}") == {key: value}:
                return candidate
        except yaml.YAMLError:
            continue
    return None


def _fixed_fields(text: str, prepared: _Prepared, style: str, exempt: set[int]) -> tuple[dict[int, str], set[int]]:
    """0-based line -> the title or summary line with its value corrected (:func:`fix_text`) and
    written back so that YAML reads the corrected value (quoted when it must be); and the 0-based
    lines so handled."""
    lines = {}
    fields = _fields(text, prepared)
    for field in fields:
        if field.index + 1 in exempt:
            continue
        fixed = fix_text(field.value, style)
        written = _yaml_scalar(field.key, fixed, field.quote) if fixed != field.value else None
        if written is None:
            continue
        line = prepared.lines[field.index]
        lines[field.index] = line[:field.raw_start] + written + line[field.raw_end:]
    return lines, {field.index for field in fields}


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
            "没有检查这一行的中文排版，scripts/mzpress fmt 也不会修改它。",
            "把这一段分成几段（段与段之间空一行）；很长的表格请改为附件（.xlsx 或 .pdf），在正文中链接。", column=1)
    return warning(
        rule, relpath, line,
        "这一行的写法过于复杂（例如大量连续的符号），中文排版检查无法处理，没有检查这一行，scripts/mzpress fmt 也不会修改它。",
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
        where = f"{FIELD_LABELS[issue.field]}（{issue.field}）：" if issue.field else ""
        findings.append(warning(
            "typography.spacing" if issue.rule == CJK_SPACING else issue.rule, relpath, issue.line,
            f"{where}{message}：“{issue.old}”。",
            f"{suggestion}；运行 scripts/mzpress fmt {relpath} 可以一次自动修正全文。", column=issue.column))
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
    """``text`` with the typography corrections applied to the Markdown body, the title and the summary.

    A one-line ``title``/``summary`` gets every correction of the body (:func:`fix_text`) and is written
    back so that YAML reads exactly the corrected text (quoted when it must be: ``title: 2026`` would
    read as a number); other fields readers see (``description``, ``cover_alt`` ...), and a title or
    summary written over several lines, get the spacing rule only. The rest of the front matter,
    fenced code, lines exempted from ``typography`` rules and lines left unchecked (too long, or
    rejected by AutoCorrect) stay byte for byte; line endings are kept. When AutoCorrect's result for a piece does not line up with the input (it should),
    only the repeated-punctuation rule is applied there.
    """
    prepared = _prepare(text)
    # Spaces out first: AutoCorrect then sees “中文ABC?好” as the reader will (idempotent: a second run
    # changes nothing).
    spaces_out = _spaces_out(style)
    prepared.masked = [spaces_out(line) for line in prepared.masked]
    _use(style)
    formatted, rejected = _format(prepared)
    unchanged = prepared.skipped | prepared.too_long | prepared.unreadable | rejected
    exempt = exempted_lines(text, relpath, "typography")
    fields, handled = _fixed_fields(text, prepared, style, exempt)
    out: list[str] = []
    for index, line in enumerate(prepared.lines):
        if index not in unchanged and index + 1 not in exempt:
            line = spaces_out(_collapse_repeated(formatted[index]))
        elif index in fields:
            line = fields[index]
        elif index in prepared.shown_fields and style == GOVERNMENT and index + 1 not in exempt \
                and index not in handled:
            value_start = prepared.shown_fields[index]
            line = line[:value_start] + _remove_cjk_spacing(line[value_start:])
        out.append(line + prepared.endings[index])
    return "".join(out)
