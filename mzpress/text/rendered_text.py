"""What a reader sees of a line of Markdown: inline markup removed, character references decoded.

A phone number written ``138<span>1234</span>5678``, ``138**1234**5678`` or ``13&#56;12345678``
and a banned word split by ``*`` or a tag read as one piece on the page. Checks that look
for such things (personal data, wording) scan the source as written *and* this projection of
it, so that splitting a word with markup hides nothing. Each character of the projection
keeps the column it came from, so a finding still names the writer's line and column.

What the projection does to one line (pure, no Markdown library):

* HTML tags (``<b>``, ``<span class="x">``, ``</span>``, ``<br/>``) and comments on the line
  are removed; autolinks (``<https://…>``) and a ``<`` that starts no tag stay as text.
* Character references (``&#49;``, ``&#x38;``, ``&amp;``) are decoded; the decoded characters
  take the column of the ``&``.
* Backslash escapes are resolved: ``\\*`` shows as ``*`` (and is no delimiter).
* Code spans (from a backtick run to the next run of the same length) keep their content as
  written (no markup inside code); the backticks go. A backtick run that no run of the same
  length closes is text.
* Emphasis delimiters ``*``, ``_`` and strike-through ``~~`` are removed when they pair up
  (an opener: not followed by a space; a closer: not preceded by one; ``_`` only at a word
  boundary, as Python-Markdown reads it: ``a_b_c`` and ``残_废_人`` stay as written). An
  unpaired run, such as the stars of ``138****5678``, is text; a single ``~`` (``3~5 岁``) too.

Not covered: markup across lines (a tag or code span opened on one line and closed on
another), link syntax, HTML blocks (their content is not Markdown). Everything is linear in
the length of the line: plain text between markup characters is copied in one piece, a
comment without ``-->`` is searched for once, a code span's closing run is looked up in a
table of the line's backtick runs.
"""

from __future__ import annotations

import html
import re
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from mzpress.text.markdown_regions import fenced_code_lines

# Characters that may start markup; a line without any of them reads as written.
_MARKUP = re.compile(r"[<&\\*_~`]")
# Everything the projection changes, in one search: comments (their end is looked up by
# ``str.find``), inline HTML tags (block-level tags on a line of their own are removed the same
# way; an attempt stops at the next ``<`` or ``>``), character references (bounded length),
# backslash escapes, backtick runs, delimiter runs. Every alternative starts with a literal
# character, so ``re`` skips plain text between them as fast as a character class.
_TOKEN = re.compile(
    r"<(?:(?P<comment>!--)|(?P<tag>/?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]*)?/?>))"
    r"|&(?P<reference>#[0-9]{1,7};|#[xX][0-9A-Fa-f]{1,6};|[A-Za-z][A-Za-z0-9]{1,31};)"
    r"|\\(?P<escaped>[\\`*_{}\[\]()#+\-.!|~<>&\"'])"
    r"|`(?P<ticks>`*)"
    r"|\*(?P<stars>\**)"
    r"|_(?P<underscores>_*)"
    r"|~(?P<tildes>~+)"  # a single ~ is text (3~5 岁; no subscript extension)
)
_DELIMITERS = frozenset({"stars", "underscores", "tildes"})
_TICK_RUN = re.compile(r"`+")


@dataclass(frozen=True, slots=True)
class RenderedLine:
    """One source line as read on the page, made of pieces: the projection's characters from
    ``piece_starts[k]`` on came from source columns ``piece_columns[k]``, ``+1``, ... (0-based).
    A decoded character reference is one piece per character, all at the column of its ``&``.
    Columns are looked up, not stored per character: most projected lines are never asked."""

    number: int  # 1-based line number in the source
    text: str
    piece_starts: tuple[int, ...]
    piece_columns: tuple[int, ...]

    def column(self, index: int) -> int:
        """0-based source column of the projection's character ``index`` (clamped to the text)."""
        if not self.piece_starts:
            return 0
        index = max(0, min(index, len(self.text) - 1))
        piece = bisect_right(self.piece_starts, index) - 1
        return self.piece_columns[piece] + index - self.piece_starts[piece]

    @property
    def columns(self) -> tuple[int, ...]:
        """The 0-based source column of every character of ``text``."""
        columns: list[int] = []
        if not self.piece_starts:
            return ()
        ends = (*self.piece_starts[1:], len(self.text))
        for start, end, column in zip(self.piece_starts, ends, self.piece_columns, strict=True):
            columns.extend(range(column, column + end - start))
        return tuple(columns)

    def source_column(self, index: int) -> int:
        """1-based source column of the projection's character ``index``."""
        return self.column(index) + 1

    def index_of(self, column: int) -> int | None:
        """Index in ``text`` of the character from 0-based source ``column``; None when that
        character does not show (markup) or is part of a character reference."""
        piece = bisect_right(self.piece_columns, column) - 1
        if piece < 0:
            return None
        end = self.piece_starts[piece + 1] if piece + 1 < len(self.piece_starts) else len(self.text)
        offset = column - self.piece_columns[piece]
        return self.piece_starts[piece] + offset if offset < end - self.piece_starts[piece] else None

    def source_span(self, start: int, end: int) -> tuple[int, int]:
        """0-based source columns ``[first, last + 1)`` of the projection's ``text[start:end]``."""
        if end <= start:
            return self.column(start), self.column(start)
        return self.column(start), self.column(end - 1) + 1


def _word(char: str) -> bool:
    return char.isalnum() or char == "_"


def _tick_runs(line: str) -> dict[int, list[int]]:
    """Start of every backtick run of the line, by run length (ascending)."""
    runs: dict[int, list[int]] = {}
    for match in _TICK_RUN.finditer(line):
        runs.setdefault(match.end() - match.start(), []).append(match.start())
    return runs


# A delimiter run: [character, start, length, can open, can close, used as opener, used as closer]
# (a list, not an object: a line may hold hundreds of thousands of them). An opener gives up
# characters from its right end, a closer from its left end.
_CHAR, _START, _LENGTH, _OPENS, _CLOSES, _OPENED, _CLOSED = range(7)


def _run(line: str, start: int, end: int) -> list:
    char = line[start]
    before = line[start - 1] if start else " "
    after = line[end] if end < len(line) else " "
    can_open = not after.isspace()
    can_close = not before.isspace()
    if char == "_":  # Python-Markdown: no emphasis inside a word
        can_open = can_open and not _word(before)
        can_close = can_close and not _word(after)
    return [char, start, end - start, can_open, can_close, 0, 0]


def _pair(runs: list[list]) -> None:
    """Match each closer with the nearest open run of its character (each step pops or exhausts)."""
    stacks: dict[str, list[list]] = {"*": [], "_": [], "~": []}
    for run in runs:
        stack = stacks[run[_CHAR]]
        left = run[_LENGTH]
        if run[_CLOSES]:
            while stack and left:
                opener = stack[-1]
                used = min(opener[_LENGTH] - opener[_OPENED] - opener[_CLOSED], left)
                opener[_OPENED] += used
                run[_CLOSED] += used
                left -= used
                if opener[_LENGTH] == opener[_OPENED] + opener[_CLOSED]:
                    stack.pop()
        if left and run[_OPENS]:
            stack.append(run)


def _project(line: str) -> tuple[str, list[int], list[int]]:
    """``line`` as read on the page, the offset where each piece of it starts, and the source
    column of each piece's first character."""
    # Pieces: (text, column of its first character), or (None, a delimiter run).
    pieces: list[tuple[str | None, int | list]] = []
    runs: list[list] = []
    ticks: dict[int, list[int]] | None = None
    comments_close = True  # False once a ``<!--`` found no ``-->`` after it
    length = len(line)
    index = text_from = 0  # line[text_from:index] is text not yet in ``pieces``
    search = _TOKEN.search
    while index < length:
        token = search(line, index)
        if token is None:
            break
        at, end = token.span()
        kind = token.lastgroup
        index = end
        if kind in _DELIMITERS:
            if at > text_from:
                pieces.append((line[text_from:at], text_from))
            run = _run(line, at, end)
            runs.append(run)
            pieces.append((None, run))
            text_from = end
            continue
        if kind == "comment":
            close = line.find("-->", end) if comments_close else -1
            if close < 0:
                comments_close = False
                continue  # no end on this line: text
            end = index = close + 3
        elif kind == "reference":
            decoded = html.unescape(token.group())
            if decoded == token.group():
                index = at + 1  # an unknown name: text
                continue
            if at > text_from:
                pieces.append((line[text_from:at], text_from))
            pieces.extend((ch, at) for ch in decoded)
            text_from = end
            continue
        elif kind == "escaped":
            if at > text_from:
                pieces.append((line[text_from:at], text_from))
            pieces.append((line[end - 1], end - 1))
            text_from = end
            continue
        elif kind == "ticks":
            if ticks is None:
                ticks = _tick_runs(line)
            closers = ticks.get(end - at, ())
            position = bisect_left(closers, end)
            if position == len(closers):
                continue  # no closing run of the same length: the backticks are text
            close = closers[position]
            if at > text_from:
                pieces.append((line[text_from:at], text_from))
            if close > end:  # a code span: its content as written
                pieces.append((line[end:close], end))
            index = text_from = close + end - at
            continue
        # a comment or a tag: removed
        if at > text_from:
            pieces.append((line[text_from:at], text_from))
        text_from = end
    if length > text_from:
        pieces.append((line[text_from:], text_from))
    if runs:
        _pair(runs)
    texts: list[str] = []
    starts: list[int] = []
    columns: list[int] = []
    position = 0
    for text, first in pieces:
        if text is None:
            run = first
            first, end = run[_START] + run[_CLOSED], run[_START] + run[_LENGTH] - run[_OPENED]
            if end <= first:
                continue
            text = line[first:end]  # unpaired delimiter characters are text
        texts.append(text)
        starts.append(position)
        columns.append(first)
        position += len(text)
    return "".join(texts), starts, columns


def project(line: str) -> tuple[str, list[int]]:
    """``line`` as read on the page, and the source column of every character kept."""
    text, starts, columns = _project(line)
    rendered = RenderedLine(0, text, tuple(starts), tuple(columns))
    return text, list(rendered.columns)


def _rendered(number: int, line: str) -> RenderedLine | None:
    """The projection of source line ``number`` (1-based), None when it reads as written."""
    text, starts, columns = _project(line)
    if text == line:
        return None
    return RenderedLine(number, text, tuple(starts), tuple(columns))


def has_markup(line: str) -> bool:
    """The line has a character that may start markup (else it reads exactly as written)."""
    return _MARKUP.search(line) is not None


def rendered_lines(text: str, skip: set[int] | frozenset[int] = frozenset()) -> Iterator[RenderedLine]:
    """The lines of ``text`` whose reading differs from their source (markup in them), projected.

    ``skip`` holds 1-based line numbers not to project (front matter, fenced code).
    """
    for number, line in enumerate(text.split("\n"), start=1):
        if number in skip or not _MARKUP.search(line):
            continue
        rendered = _rendered(number, line.rstrip("\r"))
        if rendered is not None:
            yield rendered


_FRONT_MATTER_FENCE = re.compile(r"^---\r*$", re.M)


def _front_matter(text: str) -> tuple[int, int]:
    """How many lines the front matter takes and the offset where the body starts, as
    ``front_matter_line_count`` counts them (without splitting the text into lines)."""
    opening = _FRONT_MATTER_FENCE.match(text)
    if opening is None or opening.end() >= len(text):
        return 0, 0
    closing = _FRONT_MATTER_FENCE.search(text, opening.end() + 1)
    if closing is None:
        return 0, 0
    return text.count("\n", 0, closing.start()) + 1, closing.end() + 1


def rendered_markdown(text: str, wanted: Callable[[str], bool] | None = None) -> list[RenderedLine]:
    """The projected body lines of a Markdown file that read differently from their source.

    The front matter (YAML, shown as plain text) and fenced code blocks (shown as written) are
    not projected, nor lines without a markup character (found in one pass over the text).
    ``wanted``, when given, is a cheap test a line must also pass (e.g. "has 11 digits").
    """
    picked: list[tuple[int, str]] = []  # (0-based line number, line)
    number, last = _front_matter(text)
    search = _MARKUP.search
    match = search(text, last)
    while match is not None:
        start = text.rfind("\n", 0, match.start()) + 1
        end = text.find("\n", match.end())
        if end < 0:
            end = len(text)
        number += text.count("\n", last, start)
        last = start
        line = text[start:end]
        if wanted is None or wanted(line):
            picked.append((number, line))
        match = search(text, end + 1)
    if picked and ("```" in text or "~~~" in text):
        fenced = fenced_code_lines(text.split("\n"), _front_matter(text)[0])
        picked = [(n, line) for n, line in picked if n not in fenced]
    result = []
    for n, line in picked:
        rendered = _rendered(n + 1, line.rstrip("\r"))
        if rendered is not None:
            result.append(rendered)
    return result
