"""Reading a notice's publicity period (公示期) from its text."""

from __future__ import annotations

import datetime as dt

import pytest

from mzpress.text.notice_period import chinese_date, find_period

D = dt.date


@pytest.mark.parametrize("text, start, end", [
    ("公示期为2026年11月25日至12月5日。", D(2026, 11, 25), D(2026, 12, 5)),
    ("公示时间：2026年11月25日—2026年12月1日（共5个工作日）", D(2026, 11, 25), D(2026, 12, 1)),
    ("公示期限自2026年12月28日起至1月3日止", D(2026, 12, 28), D(2027, 1, 3)),  # the end is next year
    ("现予公示，公示期：11月25日（星期三）至12月1日。", D(2026, 11, 25), D(2026, 12, 1)),  # year of the notice
    ("公示日期 2026 年 3 月 2 日 ~ 3 月 8 日", D(2026, 3, 2), D(2026, 3, 8)),
])
def test_period_phrasings(text, start, end):
    period = find_period(text, 2026)
    assert (period.start, period.end) == (start, end)
    assert period.quote.startswith("公示")


@pytest.mark.parametrize("text", [
    "活动于2026年11月25日至12月5日举行。",  # dates, but not of a 公示
    "公示期为2026年2月30日至3月5日。",  # no such day
    "公示期为2026年12月5日至2026年11月25日。",  # ends before it starts
    "",
])
def test_no_period(text):
    assert find_period(text, 2026) is None


def test_a_later_valid_period_is_found_after_an_invalid_one():
    period = find_period("公示期为2026年2月30日至3月5日（有误）。更正：公示期为2026年3月1日至3月7日。", 2026)
    assert (period.start, period.end) == (D(2026, 3, 1), D(2026, 3, 7))


def test_chinese_date():
    assert chinese_date(D(2026, 1, 5)) == "2026年1月5日"
