"""Where a wording rule does not apply: titles, proper names, marked historical quotations, dated sentences.

All offsets are into the text as given (the wording check passes its masked text, same length as
the file). Nothing here knows the rules; :mod:`mzpress.checks.wording` asks:

* :func:`title_spans`: the inside of each 《…》 on one line (a document, law or book title is quoted
  as published: 《关于做好五保户供养工作的通知》);
* :func:`name_spans`: each occurrence of a configured proper name (香港政府新闻网);
* :func:`historical_spans`: quotations explicitly marked as historical, either inline, a quotation
  right after 原文、时称、当时称、旧称、原称、曾称、原名 (时称“五保户”), or a block whose first line
  starts with 【历史原文】 or 历史原文： (a Markdown blockquote to its end, other text to the next
  blank line);
* :func:`sentence_years`: the years named in the sentence around a match (“2012年，全县五保户……”);
* :func:`explains_rename`: the sentence tells of the rename itself, naming the new term with a word
  of change (“孤儿院已全部转型为儿童福利机构”, “从五保供养到特困人员救助供养”);
* :func:`is_mention`: the term in quotation marks as a word being talked about, not used
  (不要叫他们“乞丐”, “五保户”一词);
* :func:`page_date`: the front matter ``date`` of a page.
"""

from __future__ import annotations

import datetime as dt
import re
from bisect import bisect_right
from collections.abc import Iterable

from mzpress.model.schema import parse_datetime

MAX_TITLE = 200  # characters inside one 《…》
_HISTORY_CUE = re.compile(r"(?:原文|原话|时称|当时称|当时叫|旧称|原称|曾称|原名|时名)(?:为|是|叫|作)?[：:，,]?\s*(“[^”\n]{1,300}”|「[^」\n]{1,300}」)")
_HISTORY_BLOCK = re.compile(r"^[ \t]*(?:>[ \t]*)*(?:【历史原文】|〔历史原文〕|历史原文[：:])")
_SENTENCE_STOPS = ("。", "！", "？", "!", "?", "；", ";", "\n\n", "<!--", "-->")
_YEAR = re.compile(r"(?<![0-9０-９])((?:19|20)[0-9]{2})(?:年|-|/|\.|（|\(|\s)")
_RENAME_WORDS = ("改称", "更名", "改名", "统一为", "统称为", "转为", "转型为", "整合为", "合并为", "并入", "纳入", "改为", "改设为",
                 "调整为", "变为", "改建为", "规范为")
_OPEN_QUOTES, _CLOSE_QUOTES = "“‘「", "”’」"
_NAMING_WORDS = ("叫", "称", "说成", "写成", "写作", "用语", "使用", "不用", "别用", "避免", "这个词", "词语")
_WORD_AFTER = ("一词", "这个词", "这一词", "的说法", "的叫法", "的称呼", "这种说法", "这一称呼", "等词", "等说法", "等称呼")
_FRONT_DATE = re.compile(r"^date:[ \t]*(.+?)[ \t]*$", re.M)


class Regions:
    """Sorted, merged offset spans; ``covers(start, end)``: some span overlaps [start, end)."""

    def __init__(self, spans: Iterable[tuple[int, int]]):
        merged: list[list[int]] = []
        for start, end in sorted(spans):
            if end <= start:
                continue
            if merged and start <= merged[-1][1]:
                merged[-1][1] = max(merged[-1][1], end)
            else:
                merged.append([start, end])
        self._starts = [start for start, _ in merged]
        self._ends = [end for _, end in merged]

    def __bool__(self) -> bool:
        return bool(self._starts)

    def covers(self, offset: int) -> bool:
        position = bisect_right(self._starts, offset) - 1
        return position >= 0 and offset < self._ends[position]

    def overlaps(self, start: int, end: int) -> bool:
        position = bisect_right(self._starts, end - 1) - 1
        return position >= 0 and self._ends[position] > start

    def contains(self, start: int, end: int) -> bool:
        """[start, end) lies wholly inside one span."""
        position = bisect_right(self._starts, start) - 1
        return position >= 0 and end <= self._ends[position]


def title_spans(text: str) -> list[tuple[int, int]]:
    """The inside of every 《…》 (nested 〈〉 included), each on one line."""
    spans = []
    stack: list[int] = []
    for index, ch in enumerate(text):
        if ch == "《":
            stack.append(index)
        elif ch == "》" and stack:
            start = stack.pop()
            if index - start - 1 <= MAX_TITLE and "\n" not in text[start:index]:
                spans.append((start + 1, index))
        elif ch == "\n":
            stack.clear()
    return spans


def name_spans(text: str, names: Iterable[str]) -> list[tuple[int, int]]:
    spans = []
    for name in names:
        position = text.find(name)
        while position != -1:
            spans.append((position, position + len(name)))
            position = text.find(name, position + 1)
    return spans


def historical_spans(text: str) -> list[tuple[int, int]]:
    """Quotations marked as historical: inline after a cue, and marked blocks (whole lines)."""
    spans = [match.span(1) for match in _HISTORY_CUE.finditer(text)]
    if "历史原文" not in text:
        return spans
    offset = 0
    block: str | None = None  # "quote" or "paragraph" while inside a marked block
    for line in text.split("\n"):
        end = offset + len(line)
        stripped = line.strip()
        if block == "quote" and not stripped.startswith(">"):
            block = None
        if block == "paragraph" and not stripped:
            block = None
        if block is None and _HISTORY_BLOCK.match(line):
            block = "quote" if stripped.startswith(">") else "paragraph"
        if block is not None:
            spans.append((offset, end))
        offset = end + 1
    return spans


def sentence_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    """Start and end offsets of the sentence that holds text[start:end].

    A sentence ends at 。！？；, a blank line or an HTML comment's edge (an exemption's reason is not
    part of the sentence); a single line break is a soft wrap inside a paragraph."""
    begin = 0
    for stop in _SENTENCE_STOPS:
        position = text.rfind(stop, 0, start)
        if position != -1:
            begin = max(begin, position + len(stop))
    ends = [position for position in (text.find(stop, end) for stop in _SENTENCE_STOPS) if position != -1]
    return begin, min(ends) if ends else len(text)


def sentence_years(text: str, start: int, end: int) -> list[int]:
    """Years (1900–2099) written in the sentence that holds text[start:end]."""
    begin, stop = sentence_bounds(text, start, end)
    return [int(m.group(1)) for m in _YEAR.finditer(text[begin:stop] + " ")]


def explains_rename(text: str, start: int, end: int, new_term: str) -> bool:
    """The sentence names ``new_term`` after the old one together with a word of change."""
    if not new_term:
        return False
    begin, stop = sentence_bounds(text, start, end)
    after = text[end:stop]
    position = after.find(new_term)
    if position == -1:
        return False
    between = after[:position]
    return any(word in between for word in _RENAME_WORDS) or (
        "从" in text[begin:start] and "到" in between)


def is_mention(text: str, start: int, end: int) -> bool:
    """The term alone in quotation marks, introduced as a word (叫、称、说成 … or followed by 一词)."""
    if start == 0 or end >= len(text) or text[start - 1] not in _OPEN_QUOTES or text[end] not in _CLOSE_QUOTES:
        return False
    begin, stop = sentence_bounds(text, start, end)
    before, after = text[begin:start - 1], text[end + 1:stop]
    return any(word in before for word in _NAMING_WORDS) or after.startswith(_WORD_AFTER)


def page_date(text: str) -> dt.date | None:
    """The ``date`` of the front matter of ``text`` (Beijing time), None without one."""
    if not text.startswith("---"):
        return None
    end = text.find("\n---", 3)
    if end == -1:
        return None
    match = _FRONT_DATE.search(text, 0, end)
    if match is None:
        return None
    value = match.group(1).strip().strip("\"'")
    if "#" in value:
        value = value.split("#", 1)[0].strip()
    try:
        moment = parse_datetime(value)
    except (TypeError, ValueError):
        return None
    return moment.date() if moment is not None else None
