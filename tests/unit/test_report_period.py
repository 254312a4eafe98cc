"""Periods of ``mzpress report --period``: the four accepted forms and a clear message for anything else."""

import datetime as dt

import pytest

from mzpress.model.report_period import Month, PeriodError, day_label, month_of, parse_period
from mzpress.model.schema import TIMEZONE

FORMS = "2026-04（月）、2026-Q2（季度）、2026-H1（上半年，H2为下半年）或2026（年）"


def test_the_four_forms():
    month, quarter, year = parse_period("2026-04"), parse_period("2026-Q2"), parse_period("2026")
    assert (month.kind, month.year, month.number, month.text, month.label) == ("month", 2026, 4, "2026-04", "2026年4月")
    assert (quarter.kind, quarter.number, quarter.text, quarter.label) == ("quarter", 2, "2026-Q2", "2026年第二季度")
    assert (year.kind, year.number, year.text, year.label) == ("year", 0, "2026", "2026年")
    assert [p.quota_period for p in (month, quarter, year)] == ["monthly", "quarterly", "yearly"]
    assert parse_period(" 2026-4 ").text == "2026-04" and parse_period("2026-q4").text == "2026-Q4"
    assert quarter.months == (Month(2026, 4), Month(2026, 5), Month(2026, 6))
    assert len(year.months) == 12 and year.trend_months == year.months
    assert (quarter.first_day, quarter.last_day) == (dt.date(2026, 4, 1), dt.date(2026, 6, 30))
    assert quarter.span_label == "2026年4月1日—2026年6月30日"
    assert parse_period("2026-Q4").end == dt.datetime(2027, 1, 1, tzinfo=TIMEZONE)
    assert parse_period("2024-02").last_day == dt.date(2024, 2, 29)


def test_half_years():
    first, second = parse_period("2026-H1"), parse_period(" 2026-h2 ")
    assert (first.kind, first.number, first.text, first.label) == ("half", 1, "2026-H1", "2026年上半年")
    assert (second.text, second.label) == ("2026-H2", "2026年下半年")
    assert [m.key for m in first.months] == [f"2026-{n:02d}" for n in range(1, 7)]
    assert [m.key for m in second.months] == [f"2026-{n:02d}" for n in range(7, 13)]
    assert first.trend_months == first.months
    assert (first.first_day, first.last_day) == (dt.date(2026, 1, 1), dt.date(2026, 6, 30))
    assert first.span_label == "2026年1月1日—2026年6月30日"
    assert (first.start, first.end) == (dt.datetime(2026, 1, 1, tzinfo=TIMEZONE), dt.datetime(2026, 7, 1, tzinfo=TIMEZONE))
    assert second.end == dt.datetime(2027, 1, 1, tzinfo=TIMEZONE)
    assert not first.contains(dt.datetime(2026, 6, 30, 16, 0, tzinfo=dt.UTC))  # 1 July 00:00 in Beijing
    # units.yml has no half-yearly quota: a half year is two quarters.
    assert (first.quota_period, first.quota_basis) == ("half-yearly", ("quarterly", 2))
    assert [parse_period(p).quota_basis for p in ("2026-04", "2026-Q2", "2026")] == [
        ("monthly", 1), ("quarterly", 1), ("yearly", 1)]


def test_a_month_trend_is_the_twelve_months_ending_with_it():
    trend = parse_period("2026-03").trend_months
    assert [m.key for m in trend] == ["2025-04", "2025-05", "2025-06", "2025-07", "2025-08", "2025-09", "2025-10",
                                      "2025-11", "2025-12", "2026-01", "2026-02", "2026-03"]
    assert trend[0].label == "2025年4月"


def test_containment_at_the_edges_in_beijing_time():
    april = parse_period("2026-04")
    assert april.contains(dt.datetime(2026, 4, 1, 0, 0, tzinfo=TIMEZONE))
    assert not april.contains(dt.datetime(2026, 5, 1, 0, 0, tzinfo=TIMEZONE))
    assert april.contains(dt.datetime(2026, 3, 31, 16, 30, tzinfo=dt.UTC))  # 00:30 on 1 April in Beijing
    assert april.contains(dt.date(2026, 4, 30)) and not april.contains(dt.date(2026, 3, 31))
    assert month_of(dt.datetime(2026, 3, 31, 16, 30, tzinfo=dt.UTC)) == Month(2026, 4)
    assert day_label(dt.date(2026, 4, 3)) == "2026年4月3日"


@pytest.mark.parametrize("text, says", [
    ("2026-13", "月份13不存在"), ("2026-00", "月份0不存在"), ("2026-Q5", "季度Q5不存在"), ("2026Q5", "无法识别"),
    ("去年", "无法识别"), ("", "无法识别"), ("2026-04-01", "无法识别"), ("26-04", "无法识别"), ("0999", "年份999不在"),
    ("2026-H3", "半年H3不存在，只能是H1（上半年）或H2（下半年）"), ("2026-H0", "半年H0不存在"), ("2026H1", "无法识别"),
])
def test_anything_else_names_the_four_forms(text, says):
    with pytest.raises(PeriodError) as caught:
        parse_period(text)
    message = str(caught.value)
    assert says in message and FORMS in message and f"“{text}”" in message
