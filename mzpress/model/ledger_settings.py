"""The ledger settings of ``site_config/site.yml``: ``ledger: {start, backdate_tolerance_hours}``.

Pure values, read once by :mod:`mzpress.model.config`. Resolving a commit ``start``
against a repository needs git and stays in :mod:`mzpress.history.ledger`
(``ImportRule``, ``BackdatingJudge``).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from zoneinfo import ZoneInfo

SHANGHAI = ZoneInfo("Asia/Shanghai")
DEFAULT_TOLERANCE_HOURS = 48.0
MAX_TOLERANCE_HOURS = 8760.0  # a year: beyond that the backdating check would mean nothing

_SHA = re.compile(r"^[0-9a-fA-F]{7,64}$")


class LedgerConfigError(Exception):
    """``ledger.start`` is unreadable or names something the repository does not have; message in Chinese."""


def format_time(moment: dt.datetime) -> str:
    """A main-line time as office staff read it: Beijing time, to the minute."""
    return moment.astimezone(SHANGHAI).strftime("%Y-%m-%d %H:%M")


@dataclass(frozen=True, slots=True)
class LedgerStart:
    """Where the ledger begins: content first committed at or before it was imported."""

    raw: str
    moment: dt.datetime | None = None  # inclusive upper bound for date/datetime starts
    commit: str | None = None  # a commit-ish, for commit starts
    whole_day: bool = False

    def describe(self) -> str:
        if self.commit:
            return f"提交 {self.commit}"
        if self.whole_day and self.moment is not None:
            return f"{self.moment.astimezone(SHANGHAI):%Y-%m-%d}（含当天）"
        return format_time(self.moment) if self.moment else self.raw


def parse_ledger_start(value) -> LedgerStart | None:
    """Read ``ledger.start``: a date (whole day, Beijing time), a date and time, or a commit.

    Returns None when unset; raises LedgerConfigError for anything else.
    """
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        moment = value if value.tzinfo else value.replace(tzinfo=SHANGHAI)
        return LedgerStart(str(value), moment=moment)
    if isinstance(value, dt.date):
        end = dt.datetime.combine(value, dt.time(23, 59, 59, 999999), SHANGHAI)
        return LedgerStart(value.isoformat(), moment=end, whole_day=True)
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)  # an all-digit short sha reads as a number in YAML
    if isinstance(value, str):
        text = value.strip()
        for fmt, whole_day in (("%Y-%m-%d", True), ("%Y-%m-%d %H:%M", False), ("%Y-%m-%d %H:%M:%S", False),
                               ("%Y-%m-%dT%H:%M", False), ("%Y-%m-%dT%H:%M:%S", False)):
            try:
                parsed = dt.datetime.strptime(text, fmt)
            except ValueError:
                continue
            if whole_day:
                return parse_ledger_start(parsed.date())
            return LedgerStart(text, moment=parsed.replace(tzinfo=SHANGHAI))
        if _SHA.match(text):
            return LedgerStart(text, commit=text)
    raise LedgerConfigError(
        f"ledger.start 的值“{value}”既不是日期（如2026-12-01）、日期时间（如2026-12-01 18:00），"
        "也不是提交编号（7位以上十六进制）。")


@dataclass(frozen=True)
class LedgerSettings:
    """``ledger:`` in site.yml. ``valid`` is False when that section has an error (reported by
    ``load_config``): the backdating judgement is then not made at all, rather than made with defaults."""

    start: LedgerStart | None = None
    start_line: int | None = None
    backdate_tolerance_hours: float = DEFAULT_TOLERANCE_HOURS
    valid: bool = True
