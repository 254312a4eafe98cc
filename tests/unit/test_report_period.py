"""Periods of ``mzpress report --period``: the three accepted forms and a clear message for anything else."""

import datetime as dt

import pytest

from mzpress.model.report_period import Month, PeriodError, day_label, month_of, parse_period
from mzpress.model.schema import TIMEZONE

FORMS = "2026-04（月）、2026-Q2（季度）或2026（年）"


def test_the_three_forms():
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
])
def test_anything_else_names_the_three_forms(text, says):
    with pytest.raises(PeriodError) as caught:
        parse_period(text)
    message = str(caught.value)
    assert says in message and FORMS in message and f"“{text}”" in message
