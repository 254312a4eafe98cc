"""The statistics period of ``mzpress report --period``: a month, a quarter, a half year or a year.

Four forms are accepted, and nothing else: ``2026-04`` (a month; ``2026-4`` too), ``2026-Q2``
(a quarter; ``q`` too), ``2026-H1`` (a half year, 上半年 January–June, ``H2`` 下半年 July–December;
``h`` too) and ``2026`` (a year). Each maps to the quotas of ``units.yml``: monthly, quarterly and
yearly as written; a half year has no quota of its own and takes twice the quarterly one
(:attr:`ReportPeriod.quota_basis`). A period runs from its first day 00:00 to the next period's
start, Beijing time.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from mzpress.model.schema import TIMEZONE

MONTH, QUARTER, HALF, YEAR = "month", "quarter", "half", "year"
# What units.yml quotas a period compares with: (the quota period, how many of it the period holds).
QUOTA_BASIS = {MONTH: ("monthly", 1), QUARTER: ("quarterly", 1), HALF: ("quarterly", 2), YEAR: ("yearly", 1)}
QUOTA_PERIOD = {MONTH: "monthly", QUARTER: "quarterly", HALF: "half-yearly", YEAR: "yearly"}
QUARTER_NAMES = ("第一季度", "第二季度", "第三季度", "第四季度")
HALF_NAMES = ("上半年", "下半年")
FORMS = "2026-04（月）、2026-Q2（季度）、2026-H1（上半年，H2为下半年）或2026（年）"
_MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")
_QUARTER = re.compile(r"^(\d{4})-[Qq](\d+)$")
_HALF = re.compile(r"^(\d{4})-[Hh](\d+)$")
_YEAR = re.compile(r"^(\d{4})$")
MIN_YEAR, MAX_YEAR = 1990, 2999


class PeriodError(ValueError):
    """A period that does not parse; ``str(exc)`` is the Chinese message with the accepted forms."""


@dataclass(frozen=True, order=True)
class Month:
    year: int
    month: int

    @property
    def label(self) -> str:
        return f"{self.year}年{self.month}月"

    @property
    def key(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"

    def previous(self) -> Month:
        return Month(self.year - 1, 12) if self.month == 1 else Month(self.year, self.month - 1)


@dataclass(frozen=True)
class ReportPeriod:
    """``kind`` month | quarter | half | year; ``number`` the month (1–12), quarter (1–4) or half (1–2),
    0 for a year."""

    kind: str
    year: int
    number: int = 0

    @property
    def text(self) -> str:
        """As written on the command line and in file names: 2026-04, 2026-Q2, 2026-H1, 2026."""
        if self.kind == MONTH:
            return f"{self.year:04d}-{self.number:02d}"
        if self.kind == QUARTER:
            return f"{self.year:04d}-Q{self.number}"
        if self.kind == HALF:
            return f"{self.year:04d}-H{self.number}"
        return f"{self.year:04d}"

    @property
    def label(self) -> str:
        """2026年4月, 2026年第二季度, 2026年上半年, 2026年."""
        if self.kind == MONTH:
            return f"{self.year}年{self.number}月"
        if self.kind == QUARTER:
            return f"{self.year}年{QUARTER_NAMES[self.number - 1]}"
        if self.kind == HALF:
            return f"{self.year}年{HALF_NAMES[self.number - 1]}"
        return f"{self.year}年"

    @property
    def quota_period(self) -> str:
        """The period's kind as the JSON report names it: monthly, quarterly, half-yearly, yearly."""
        return QUOTA_PERIOD[self.kind]

    @property
    def quota_basis(self) -> tuple[str, int]:
        """The units.yml quota the period compares with and how many times: a half year is two quarters."""
        return QUOTA_BASIS[self.kind]

    @property
    def months(self) -> tuple[Month, ...]:
        """The months the period covers, in order."""
        if self.kind == MONTH:
            return (Month(self.year, self.number),)
        if self.kind == QUARTER:
            first = 3 * (self.number - 1) + 1
            return tuple(Month(self.year, m) for m in range(first, first + 3))
        if self.kind == HALF:
            first = 6 * (self.number - 1) + 1
            return tuple(Month(self.year, m) for m in range(first, first + 6))
        return tuple(Month(self.year, m) for m in range(1, 13))

    @property
    def trend_months(self) -> tuple[Month, ...]:
        """The months of the trend chart: the period's own, or for a month the twelve ending with it."""
        if self.kind != MONTH:
            return self.months
        months = [Month(self.year, self.number)]
        while len(months) < 12:
            months.append(months[-1].previous())
        return tuple(reversed(months))

    @property
    def first_day(self) -> dt.date:
        first = self.months[0]
        return dt.date(first.year, first.month, 1)

    @property
    def last_day(self) -> dt.date:
        return self.end.date() - dt.timedelta(days=1)

    @property
    def start(self) -> dt.datetime:
        return dt.datetime.combine(self.first_day, dt.time(0, 0), TIMEZONE)

    @property
    def end(self) -> dt.datetime:
        """The start of the next period (exclusive end)."""
        last = self.months[-1]
        year, month = (last.year + 1, 1) if last.month == 12 else (last.year, last.month + 1)
        return dt.datetime(year, month, 1, tzinfo=TIMEZONE)

    @property
    def span_label(self) -> str:
        """2026年4月1日—2026年6月30日."""
        first, last = self.first_day, self.last_day
        return f"{first.year}年{first.month}月{first.day}日—{last.year}年{last.month}月{last.day}日"

    def contains(self, moment: dt.datetime | dt.date) -> bool:
        if isinstance(moment, dt.datetime):
            return self.start <= moment.astimezone(TIMEZONE) < self.end
        return self.first_day <= moment <= self.last_day


def month_of(moment: dt.datetime | dt.date) -> Month:
    """The month (Beijing time) a moment or a day falls in."""
    if isinstance(moment, dt.datetime):
        moment = moment.astimezone(TIMEZONE)
    return Month(moment.year, moment.month)


def _year(text: str, given: str) -> int:
    year = int(text)
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise PeriodError(f"统计周期“{given}”的年份{year}不在{MIN_YEAR}到{MAX_YEAR}年之间。统计周期只能写成{FORMS}。")
    return year


def parse_period(text: str) -> ReportPeriod:
    """``2026-04``, ``2026-Q2``, ``2026-H1`` or ``2026``; anything else raises :class:`PeriodError`."""
    given = str(text)
    value = given.strip()
    if match := _MONTH.match(value):
        month = int(match.group(2))
        if not 1 <= month <= 12:
            raise PeriodError(f"统计周期“{given}”的月份{month}不存在，月份只能是01到12。统计周期只能写成{FORMS}。")
        return ReportPeriod(MONTH, _year(match.group(1), given), month)
    if match := _QUARTER.match(value):
        quarter = int(match.group(2))
        if not 1 <= quarter <= 4:
            raise PeriodError(f"统计周期“{given}”的季度Q{quarter}不存在，季度只能是Q1到Q4。统计周期只能写成{FORMS}。")
        return ReportPeriod(QUARTER, _year(match.group(1), given), quarter)
    if match := _HALF.match(value):
        half = int(match.group(2))
        if not 1 <= half <= 2:
            raise PeriodError(f"统计周期“{given}”的半年H{half}不存在，只能是H1（上半年）或H2（下半年）。"
                              f"统计周期只能写成{FORMS}。")
        return ReportPeriod(HALF, _year(match.group(1), given), half)
    if match := _YEAR.match(value):
        return ReportPeriod(YEAR, _year(match.group(1), given))
    raise PeriodError(f"无法识别统计周期“{given}”。统计周期只能写成{FORMS}，例如 --period 2026-Q2。")


def day_label(day: dt.date) -> str:
    """2026年4月3日 (house style: no spaces, no leading zeros)."""
    return f"{day.year}年{day.month}月{day.day}日"
