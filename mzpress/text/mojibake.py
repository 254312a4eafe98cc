"""Mojibake (乱码): text that went through a wrong encoding conversion and cannot be read.

What such conversions leave behind, each a sure sign (they do not occur in correct Chinese text):

* U+FFFD, the replacement character (shown as �): bytes a converter could not read;
* 锟斤拷: U+FFFD written as UTF-8 and read back as GBK (EF BF BD EF BF BD);
* 烫烫烫 / 屯屯屯: uninitialised memory (0xCC / 0xCD) read as GBK, three or more in a row;
* UTF-8 read as GBK: full-width punctuation turns into 锛 (，：；（）), 銆 (。、《》) and 鈥 (“”);
  two or more of these on one line;
* UTF-8 read as Windows-1252: “ ” ‘ ’ — … turn into â€ followed by a symbol.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

REPLACEMENT = "\ufffd"
_PATTERNS = (
    ("替换字符 U+FFFD（显示为 �）", re.compile("\ufffd+")),
    ("“锟斤拷”", re.compile("(?:锟斤拷)+")),
    ("“烫烫烫”", re.compile("烫{3,}")),
    ("“屯屯屯”", re.compile("屯{3,}")),
    ("被当作 Windows-1252 读取的 UTF-8 标点（如“â€œ”）", re.compile("â€[œ\u009d™˜¦”“¢\"]")),
)
_GBK_MARKERS = re.compile("[锛銆鈥]")


@dataclass(frozen=True, slots=True)
class Mojibake:
    line: int  # 1-based
    column: int  # 1-based
    what: str  # what was found, in Chinese
    count: int  # how many on that line


def find_mojibake(text: str) -> list[Mojibake]:
    """One item per line with mojibake: the first kind found and where it starts."""
    if not (REPLACEMENT in text or "锟" in text or "烫" in text or "屯" in text or "â" in text
            or _GBK_MARKERS.search(text)):
        return []
    found = []
    for number, line in enumerate(text.split("\n"), start=1):
        hits = [(m.start(), what) for what, pattern in _PATTERNS for m in pattern.finditer(line)]
        markers = list(_GBK_MARKERS.finditer(line))
        if len(markers) >= 2:
            hits += [(markers[0].start(), "UTF-8 文字被当作 GBK 读取后的乱码（如“锛”“銆”“鈥”）")]
        if hits:
            hits.sort()
            found.append(Mojibake(number, hits[0][0] + 1, hits[0][1], len(hits)))
    return found
