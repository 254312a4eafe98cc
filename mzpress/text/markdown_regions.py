"""Where things are in a Markdown source: front matter, code, links, and line:column of an offset.

The text checks (wording, typography, HTML safety) must leave code and URLs alone
and must report exact positions in the file as the writer sees it. Everything here
works on the whole file text and keeps offsets: a *mask* replaces the characters of a
region with spaces but keeps every newline, so an offset in the masked text is the
same offset in the original.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

# Python-Markdown 3's FENCED_BLOCK_RE, opening line: the fence, then {attrs} or an optional .lang and hl_lines.
_FENCE_OPEN = re.compile(r"^(?P<fence>`{3,}|~{3,})[ ]*(?:\{[^\n]*\}|\.?[\w#.+-]*[ ]*(?:hl_lines=(?P<q>[\"'])"
                         r".*?(?P=q)[ ]*)?)$")
_TICKS = re.compile(r"`+")
_BLANK_LINE = re.compile(r"\n[ \t]*(?=\n)")  # where a blank line (which ends inline code) begins

# A bare URL in Chinese prose: the host ends at the first Chinese character (“见www.x.gov.cn查询”),
# the path may contain Chinese but ends at whitespace, full-width punctuation, quotes or brackets.
_URL_END = r"\s<>\"'`\u3000-\u303f\uff01-\uff0f\uff1a-\uff20\uff3b-\uff40\uff5b-\uff65\u2018-\u201f\u2026\u2014)\]"
_HOST_END = _URL_END + r"\u3400-\u4dbf\u4e00-\u9fff/?#"
BARE_URL = re.compile(rf"(?<![A-Za-z0-9_/.@-])(?:(?:https?|ftp)://|www\.)[^{_HOST_END}]+(?:[/?#][^{_URL_END}]*)?")
# [text](destination "title") and ![alt](destination); the destination may be in <...>.
# (Every pattern here runs on whole files, one line may be 500,000 characters long: each must
# be linear, without nested quantifiers that can match the same text in several ways.)
INLINE_LINK = re.compile(r"!?\[(?:[^\[\]\n]|\[[^\[\]\n]*\])*\]\(\s*(?:<(?P<angled>[^>\n]*)>|(?P<plain>[^\s)]*(?:\([^\s)]*\)[^\s)]*)*))")
# A reference definition; "[^1]: 注释" is a footnote (the footnotes extension), not a link.
REFERENCE_DEFINITION = re.compile(r"^[ ]{0,3}\[(?!\^)[^\]\n]+\]:[ \t]*<?(?P<url>[^\s>]+)>?", re.M)
# An e-mail autolink's domain has a dot after its first character and before its last one.
AUTOLINK = re.compile(r"<(?P<url>(?:[A-Za-z][A-Za-z0-9+.-]{1,31}:[^\s<>]*)|(?:[^\s<>@]+@[^\s<>@][^\s<>@.]*\.[^\s<>@]+))>")


@dataclass(frozen=True, slots=True)
class Link:
    """A link destination written in Markdown (not in raw HTML)."""

    start: int  # offset of the destination in the text
    url: str
    kind: str  # "inline", "image", "reference", "autolink" or "bare"


class LineIndex:
    """Converts offsets in a text to 1-based (line, column), columns counted in characters."""

    def __init__(self, text: str):
        self._starts = [0]
        position = text.find("\n")
        while position != -1:
            self._starts.append(position + 1)
            position = text.find("\n", position + 1)

    def position(self, offset: int) -> tuple[int, int]:
        line = bisect_right(self._starts, offset)
        return line, offset - self._starts[line - 1] + 1

    def offset(self, line: int, column: int = 1) -> int:
        return self._starts[line - 1] + column - 1


def front_matter_line_count(lines: list[str]) -> int:
    """How many leading lines are YAML front matter (both ``---`` lines included), 0 when none."""
    if not lines or lines[0].rstrip("\r") != "---":
        return 0
    for index in range(1, len(lines)):
        if lines[index].rstrip("\r") == "---":
            return index + 1
    return 0  # unclosed: the front matter check reports it; treat everything as body


def fenced_code_lines(lines: list[str], start: int = 0) -> set[int]:
    """0-based indices of lines inside fenced code blocks (fence lines included), as Python-Markdown's
    ``fenced_code`` reads them: an opening fence at the start of a line (``` or ~~~, three or more,
    then only ``{attrs}`` or a language), closed by the next line that is the same fence (same
    characters, same length) and spaces. A fence that nothing closes is no fence: the lines after it
    are ordinary text on the page (a decorative ``~~~~~~~~`` line from Word is just that)."""
    closers: dict[str, list[int]] = {}
    for index in range(start, len(lines)):
        line = lines[index].rstrip("\r").rstrip(" ")
        if line[:3] in ("```", "~~~") and not line.strip(line[0]):
            closers.setdefault(line, []).append(index)
    if not closers and not any("```" in line or "~~~" in line for line in lines[start:]):
        return set()
    inside: set[int] = set()
    index = start
    while index < len(lines):
        match = _FENCE_OPEN.match(lines[index].rstrip("\r"))
        if not match:
            index += 1
            continue
        fence = match["fence"]
        candidates = closers.get(fence, [])
        closing = candidates[bisect_right(candidates, index)] if bisect_right(candidates, index) < len(candidates) \
            else None
        if closing is None:
            index += 1  # unclosed: not a fence
            continue
        inside.update(range(index, closing + 1))
        index = closing + 1
    return inside


def _spans_of_lines(lines: list[str], numbers: Iterable[int]) -> list[tuple[int, int]]:
    starts = [0]
    for line in lines:
        starts.append(starts[-1] + len(line) + 1)
    return [(starts[i], starts[i] + len(lines[i])) for i in sorted(numbers)]


def mask(text: str, spans: Iterable[tuple[int, int]], filler: str = " ") -> str:
    """``text`` with the characters in ``spans`` replaced by ``filler`` (newlines kept)."""
    pieces: list[str] = []
    last = 0
    for start, end in sorted(spans):
        start = max(start, last)
        if start >= end:
            continue
        pieces.append(text[last:start])
        pieces.append("".join("\n" if ch == "\n" else filler for ch in text[start:end]))
        last = end
    pieces.append(text[last:])
    return "".join(pieces)


def _inline_code_spans(text: str) -> list[tuple[int, int]]:
    """Inline code: a run of backticks up to the next run of the same length, not across a blank line.

    What the regular expression ``(?<!`)(`+)(?!`)((?:(?!\n[ \t]*\n).)+?)(?<!`)\1(?!`)`` (dot
    matching newlines) finds, in O(n log n): as a pattern it rescans the rest of the paragraph
    from every opening run that is never closed.
    """
    runs = [match.span() for match in _TICKS.finditer(text)]
    if len(runs) < 2:
        return []
    breaks = [match.start() for match in _BLANK_LINE.finditer(text)]
    by_length: dict[int, list[int]] = {}  # run length -> indices of the runs of that length
    for index, (start, end) in enumerate(runs):
        by_length.setdefault(end - start, []).append(index)
    spans: list[tuple[int, int]] = []
    index = 0
    while index < len(runs):
        start, end = runs[index]
        same = by_length[end - start]
        following = bisect_right(same, index)
        if following < len(same):
            closer = same[following]
            close_start, close_end = runs[closer]
            blank = bisect_left(breaks, end)
            if blank == len(breaks) or breaks[blank] >= close_start:
                spans.append((start, close_end))
                index = closer + 1
                continue
        index += 1
    return spans


def code_spans(text: str, lines: list[str] | None = None, skip_front_matter: bool = True) -> list[tuple[int, int]]:
    """Offsets of fenced code blocks and inline code spans."""
    if "`" not in text and "~~~" not in text:
        return []
    lines = text.split("\n") if lines is None else lines
    first = front_matter_line_count(lines) if skip_front_matter else 0
    spans = _spans_of_lines(lines, fenced_code_lines(lines, first))
    fenced = mask(text, spans)
    spans += _inline_code_spans(fenced)
    return spans


def front_matter_span(text: str) -> tuple[int, int] | None:
    lines = text.split("\n")
    count = front_matter_line_count(lines)
    if not count:
        return None
    return 0, sum(len(line) + 1 for line in lines[:count]) - 1


def prose(text: str, *, front_matter: bool = False) -> str:
    """The text with code (and, unless ``front_matter``, the front matter) blanked out."""
    spans = code_spans(text)
    if not front_matter:
        region = front_matter_span(text)
        if region:
            spans.append(region)
    return mask(text, spans)


def find_links(text: str) -> Iterator[Link]:
    """Link destinations in (already code-masked) Markdown, each with its offset."""
    if "](" not in text and "]:" not in text and "<" not in text and "://" not in text and "www." not in text:
        return
    seen: set[int] = set()
    for match in INLINE_LINK.finditer(text):
        group = "angled" if match["angled"] is not None else "plain"
        kind = "image" if match.group(0).startswith("!") else "inline"
        if match[group]:
            seen.add(match.start(group))
            yield Link(match.start(group), match[group], kind)
    for match in REFERENCE_DEFINITION.finditer(text):
        seen.add(match.start("url"))
        yield Link(match.start("url"), match["url"], "reference")
    for match in AUTOLINK.finditer(text):
        seen.add(match.start("url"))
        yield Link(match.start("url"), match["url"], "autolink")
    for match in BARE_URL.finditer(text):
        if match.start() not in seen:
            yield Link(match.start(), match.group(0).rstrip(".,;:!?"), "bare")


def url_spans(text: str) -> list[tuple[int, int]]:
    """Offsets of every link destination and bare URL (to be skipped by prose checks)."""
    return [(link.start, link.start + len(link.url)) for link in find_links(text)]
