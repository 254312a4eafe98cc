"""The publicity period (公示期) a notice's text states, e.g. “公示期为2026年11月25日至12月5日”.

Only a date range that follows the word 公示 (公示期、公示时间、公示期限、公示日期) within a short
stretch of the same sentence counts, so the dates of the activity being announced are not
taken for the period. A missing year is the year of the date before it (the start's year
comes from ``default_year``); an end month earlier than the start month is in the next year.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

_DATE = r"(?:(\d{4})\s*年\s*)?(\d{1,2})\s*月\s*(\d{1,2})\s*[日号]"
_NOTE = r"(?:\s*[（(][^）)]{0,16}[）)])?"  # (星期一) or (共7个工作日)
_PERIOD = re.compile(
    r"公示(?:期|时间|期限|日期)?[^。；;！!\n]{0,16}?(?:自|从)?\s*" + _DATE + r"(?:\s*起)?" + _NOTE
    + r"\s*(?:至|到|—+|－|–|-|~|～)\s*" + _DATE + r"(?:\s*止)?")


@dataclass(frozen=True)
class Period:
    start: dt.date
    end: dt.date
    quote: str  # the words of the text the period was read from


def find_period(text: str, default_year: int) -> Period | None:
    """The first publicity period stated in ``text``, or None."""
    for match in _PERIOD.finditer(text):
        year1, month1, day1, year2, month2, day2 = match.groups()
        start_year = int(year1) if year1 else default_year
        end_year = int(year2) if year2 else start_year + (1 if int(month2) < int(month1) else 0)
        try:
            start = dt.date(start_year, int(month1), int(day1))
            end = dt.date(end_year, int(month2), int(day2))
        except ValueError:
            continue  # “2月30日”: not a date, look further
        if end < start:
            continue
        return Period(start, end, match.group(0).strip())
    return None


def chinese_date(value: dt.date) -> str:
    """``2026年11月25日``: the date as the house style writes it."""
    return f"{value.year}年{value.month}月{value.day}日"
