"""The mobile-newspaper (手机报) digest of a page: 【title】 and its first sentences, within a character limit.

The limit is the outlet's ``char_limit`` in ``site_config/outlets.yml`` and counts every character of the
digest (the title and its brackets, punctuation, digits and letters one each). The text is the story's
opening, the paragraphs before its first heading (:meth:`mzpress.publishing.export_body.ExportBody.lead`;
or the page's ``summary`` when asked for, or when not one sentence of the opening fits), cut after the
last whole sentence that fits:

* a sentence ends at 。！？ (or ! ?), together with the closing quotes and brackets right after it,
  and only where every quote and bracket opened before it is closed (“……。”他说。 is cut after 说。,
  never inside the quotation); the end of a paragraph is a sentence end too;
* a cut never falls inside a number: 3.5万元, 1,200人 and 2026年 stay whole, because a cut is made only
  after sentence-ending punctuation (or, when no sentence fits at all, at a clause mark ，；： with no
  digit on both sides, followed by ……).

Pure: strings in, a :class:`Digest` out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

SENTENCE_ENDS = "。！？!?"
CLOSERS = "”’」』）)》】〕"
PAIRS = {"“": "”", "‘": "’", "「": "」", "『": "』", "（": "）", "(": ")", "《": "》", "【": "】", "〔": "〕"}
CLAUSE_MARKS = "，；：、,;"
ELLIPSIS = "……"
MIN_TEXT = 10  # characters of text a digest needs besides its title
_SPACES = re.compile(r"\s+")


class DigestError(Exception):
    """No digest fits the limit; ``str(exc)`` says why and what to do, in Chinese."""


@dataclass(frozen=True)
class Digest:
    text: str
    limit: int
    source: str  # "body" | "summary"
    shortened: bool  # the source was longer than what fits

    @property
    def length(self) -> int:
        return len(self.text)


def _balanced_ends(text: str, paragraph_ends: set[int]) -> list[int]:
    """Positions (exclusive ends) where a sentence ends with every quote and bracket closed."""
    ends: list[int] = []
    open_marks: list[str] = []
    index = 0
    while index < len(text):
        char = text[index]
        if char in PAIRS:
            open_marks.append(PAIRS[char])
        elif open_marks and char == open_marks[-1]:
            open_marks.pop()
        elif char in PAIRS.values() and char in open_marks:
            while open_marks and open_marks.pop() != char:
                pass
        if char in SENTENCE_ENDS:
            end = index + 1
            while end < len(text) and text[end] in SENTENCE_ENDS:
                end += 1
            while end < len(text) and text[end] in CLOSERS:
                if open_marks and text[end] == open_marks[-1]:
                    open_marks.pop()
                end += 1
            if not open_marks:
                ends.append(end)
            index = end
            continue
        index += 1
        if index in paragraph_ends and not open_marks:
            ends.append(index)
    return ends


def _clause_cut(text: str, budget: int) -> int:
    """The last clause mark within ``budget`` (leaving room for ……) with no digit on both sides; 0 when none."""
    for index in range(min(len(text), budget - len(ELLIPSIS)) - 1, 0, -1):
        if text[index] in CLAUSE_MARKS:
            before, after = text[index - 1], text[index + 1] if index + 1 < len(text) else ""
            if before.isdigit() and after.isdigit():
                continue
            return index
    return 0


def _joined(paragraphs: list[str]) -> tuple[str, set[int]]:
    text = ""
    ends: set[int] = set()
    for paragraph in paragraphs:
        paragraph = _SPACES.sub(" ", paragraph).strip()
        if paragraph:
            text += paragraph
            ends.add(len(text))
    return text, ends


def mobile_digest(title: str, paragraphs: list[str], summary: str, limit: int, use_summary: bool = False) -> Digest:
    """【title】 and whole sentences of the body (or of the summary), ``limit`` characters at most."""
    head = f"【{_SPACES.sub(' ', title).strip()}】"
    budget = limit - len(head)
    if budget < MIN_TEXT:
        raise DigestError(f"标题连同【】有{len(head)}个字，手机报每条最多{limit}字，放不下正文。"
                          "请为手机报另拟一个短标题，或请网站管理员调整 site_config/outlets.yml 中的 char_limit。")
    sources = [("summary", [summary])] if use_summary else [("body", paragraphs), ("summary", [summary])]
    texts = [(name, *_joined(parts)) for name, parts in sources]
    texts = [(name, text, ends) for name, text, ends in texts if text]
    if not texts:
        raise DigestError("这篇稿件的正文和摘要都没有文字，无法生成手机报稿。")
    for name, text, ends in texts:
        if len(text) <= budget:
            return Digest(head + text, limit, name, False)
        fitting = [end for end in _balanced_ends(text, ends) if end <= budget]
        if fitting:
            return Digest(head + text[:fitting[-1]], limit, name, True)
    for name, text, _ in texts:
        cut = _clause_cut(text, budget)
        if cut:
            return Digest(head + text[:cut] + ELLIPSIS, limit, name, True)
    raise DigestError(f"正文的第一句话太长，{limit}字以内找不到可以断开的地方。"
                      "请为手机报另写一段短一些的摘要（summary），再用 --summary 导出。")
