"""What a reader sees of a line of Markdown: inline markup removed, character references decoded.

A phone number written ``138<span>1234</span>5678``, ``138**1234**5678`` or ``13&#56;12345678``
and a banned word split by ``*`` or a tag read as one piece on the page. Checks that look
for such things (personal data, wording) scan the source as written *and* this projection of
it, so that splitting a word with markup hides nothing. Each character of the projection
keeps the column it came from, so a finding still names the writer's line and column.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from dataclasses import dataclass

# Inline HTML tags and comments (block-level tags on a line of their own are removed the same way).
_TAG = re.compile(r"<!--.*?-->|</?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]*)?/?>", re.S)
# Character references as HTML5 knows them.
_REFERENCE = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9A-Fa-f]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")
# Markdown's inline emphasis, strike-through and code-span delimiters: they never show as text.
_DELIMITERS = frozenset("*_~`")
# Characters a backslash may escape in Markdown.
_ESCAPABLE = frozenset("\\`*_{}[]()#+-.!|~<>&\"'")
_MARKUP_START = frozenset("<&\\") | _DELIMITERS


@dataclass(frozen=True, slots=True)
class RenderedLine:
    """One source line as read on the page; ``columns[i]`` is the 0-based source column of ``text[i]``."""

    number: int  # 1-based line number in the source
    text: str
    columns: tuple[int, ...]

    def source_column(self, index: int) -> int:
        """1-based source column of the projection's character ``index``."""
        if not self.columns:
            return 1
        return self.columns[min(index, len(self.columns) - 1)] + 1


def project(line: str) -> tuple[str, list[int]]:
    """``line`` as read on the page, and the source column of every character kept."""
    out: list[str] = []
    columns: list[int] = []
    index, length = 0, len(line)
    while index < length:
        char = line[index]
        if char == "<":
            match = _TAG.match(line, index)
            if match:
                index = match.end()
                continue
        elif char == "&":
            match = _REFERENCE.match(line, index)
            if match:
                decoded = html.unescape(match.group(0))
                if decoded != match.group(0):
                    out.append(decoded)
                    columns.extend([index] * len(decoded))
                    index = match.end()
                    continue
        elif char == "\\" and index + 1 < length and line[index + 1] in _ESCAPABLE:
            out.append(line[index + 1])
            columns.append(index + 1)
            index += 2
            continue
        elif char in _DELIMITERS:
            index += 1
            continue
        out.append(char)
        columns.append(index)
        index += 1
    return "".join(out), columns


def rendered_lines(text: str, skip: set[int] | frozenset[int] = frozenset()) -> Iterator[RenderedLine]:
    """The lines of ``text`` whose reading differs from their source (markup in them), projected.

    ``skip`` holds 1-based line numbers not to project (front matter, fenced code).
    """
    for number, line in enumerate(text.split("\n"), start=1):
        if number in skip or not _MARKUP_START.intersection(line):
            continue
        projected, columns = project(line.rstrip("\r"))
        if projected != line.rstrip("\r"):
            yield RenderedLine(number, projected, tuple(columns))
