"""The information-report statistics on hand-made ledgers (no git), and the formats that lay them out."""

import csv
import dataclasses
import datetime as dt
import io
import json
import re
from decimal import Decimal

import pytest

from mzpress.history.submissions import StorySubmission, SubmissionLedger
from mzpress.model.config import Unit, load_config
from mzpress.model.report_period import parse_period
from mzpress.model.schema import TIMEZONE
from mzpress.publishing.information_report import information_report, story_facts
from mzpress.publishing.report_charts import trend_chart, units_chart, whole_ticks
from mzpress.publishing.report_documents import (
    RATE_NOTE,
    csv_bytes,
    points_text,
    rate_text,
    render_csv,
    render_html,
    render_json,
    render_text,
)
from tests.support.project import new_project, story_text

NOTICE_FIELDS = "start: 2026-04-02\nend: 2026-04-09\n"

AT = dt.datetime(2026, 7, 15, 23, 59, tzinfo=TIMEZONE)


@pytest.fixture(scope="module")
def config(tmp_path_factory):
    config, findings = load_config(new_project(tmp_path_factory.mktemp("stats") / "p", with_sample_pages=False))
    assert findings == []
    return config


def _when(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text).replace(tzinfo=TIMEZONE)


def _story(slug, submitted, unit="office", date="2026-04-02 09:00", on_main=True, extra="", tip=None):
    text = story_text(title="稿件", date=date, unit=unit, extra=extra)
    return StorySubmission(f"content/stories/2026/{slug}.md", f"content/stories/2026/{slug}.md",
                           _when(submitted) if submitted else None, "0" * 40, "测试", on_main,
                           tip if tip is not None else text.encode())


def _notice(slug, submitted, unit="office", date="2026-04-02 09:00", on_main=True):
    text = story_text(title="公告", date=date, unit=unit, extra=NOTICE_FIELDS)
    return StorySubmission(f"content/notices/2026/{slug}.md", f"content/notices/2026/{slug}.md",
                           _when(submitted), "0" * 40, "测试", on_main, text.encode(), kind="notice")


def _ledger(*stories, shallow=False):
    return SubmissionLedger(tuple(stories), "a" * 40, ("main",), (), shallow,
                            _when("2026-03-01T10:00") if shallow else None, sum(s.submitted is None for s in stories))


def _rows(report):
    return {row.unit_id: row for row in report.units}


def test_ranks_share_places_and_points_add_up_exactly(config):
    adopted = "adopted_by:\n  - {outlet: mz-bulletin, date: 2026-04-03}\n  - {outlet: mz-bulletin, date: 2026-04-04, kind: photo}\n"
    stories = [
        _story("a", "2026-04-01T08:00", "office", extra=adopted),
        _story("b", "2026-04-01T08:00", "elderly-care", extra=adopted),
        _story("c", "2026-04-01T08:00", "grassroots", extra="adopted_by:\n  - {outlet: county-paper, date: 2026-04-03}\n"),
        _story("d", "2026-04-01T08:00", "grassroots"),
    ]
    report = information_report(_ledger(*stories), config, parse_period("2026-04"), AT)
    rows = _rows(report)
    assert rows["office"].points == rows["elderly-care"].points == Decimal("1.0")
    # grassroots: 1 point from one adoption and 2 submissions; office and elderly-care: 1 point from 2 adoptions.
    assert [rows[u].rank for u in ("office", "elderly-care", "grassroots", "social-affairs")] == [1, 1, 3, 4]
    assert report.total.points == Decimal("3.0") and report.total.adoptions == 5
    assert rows["office"].by_level == {"county": 2, "city": 0, "province": 0, "national": 0}


def test_what_is_not_counted(config):
    stories = [
        _story("branch", "2026-04-01T08:00", on_main=False),  # submitted, never published
        _story("draft", "2026-04-01T08:00", extra="draft: true\n"),
        _story("later", "2026-04-01T08:00", date="2026-07-16 08:00"),  # after the report's time
        _story("bad-draft", "2026-04-01T08:00", extra="draft: maybe\n"),  # undecidable: not published
        _story("submitted-later", "2026-07-16T08:00", date="2026-04-02 09:00"),  # submission after the time
        _story("future-adoption", "2026-04-01T08:00",
               extra="adopted_by:\n  - {outlet: county-paper, date: 2026-07-16}\n  - {outlet: gone-paper, date: 2026-04-03}\n"),
        _story("gbk", "2026-04-01T08:00", tip=story_text(title="编码", date="2026-04-02", unit="office").encode("gb18030")),
    ]
    report = information_report(_ledger(*stories), config, parse_period("2026"), AT)
    office = _rows(report)["office"]
    assert (office.submitted, office.published, office.submitted_published, office.adoptions) == (6, 2, 1, 0)
    assert office.adoption_rate == pytest.approx(1 / 6)
    notes = [(n.kind, n.file.rsplit("/", 1)[-1], n.line) for n in report.notes]
    assert ("undecided", "bad-draft.md", 8) in notes and ("undecided", "gbk.md", None) in notes
    assert ("adoption", "future-adoption.md", 10) in notes  # gone-paper: skipped, with its line
    assert [n.kind for n in report.notes].count("adoption") == 1


def test_units_not_in_units_yml_and_unreadable_stories_keep_their_rows(config):
    stories = [
        _story("old", "2026-04-01T08:00", "old-unit"),
        _story("old2", "2026-04-02T08:00", "old-unit", date="2025-12-01 08:00"),
        _story("nounit", "2026-04-03T08:00", tip=b"---\ntitle: x\n---\n"),
        _story("broken", "2026-04-03T08:00", tip=b"title: no front matter\n"),
        _story("before", None, "office"),  # a shallow clone's boundary: submission unknown
    ]
    report = information_report(_ledger(*stories, shallow=True), config, parse_period("2026-Q2"), AT)
    rows = _rows(report)
    assert (rows["old-unit"].kind, rows["old-unit"].name, rows["old-unit"].submitted, rows["old-unit"].published,
            rows["old-unit"].rank, rows["old-unit"].remark) == ("unknown-unit", "old-unit", 2, 1, None, "不在units.yml中")
    assert (rows[""].kind, rows[""].name, rows[""].submitted) == ("no-unit", "未知单位", 2)
    assert rows["office"].submitted == 0 and rows["office"].published == 1
    assert report.total.submitted == 4 and report.unknown_submissions == 1
    kinds = {n.kind for n in report.notes}
    assert {"shallow", "unknown-unit", "unreadable", "no-unit"} <= kinds and "period-open" not in kinds
    (shallow,) = [n for n in report.notes if n.kind == "shallow"]
    assert "2026年3月1日" in shallow.message and "有1篇稿件" in shallow.message


def test_quotas_of_the_periods_kind(config):
    report = information_report(_ledger(_story("a", "2026-04-01T08:00")), config, parse_period("2026-04"), AT)
    office = _rows(report)["office"]
    assert (office.quota_submitted, office.quota_adopted, office.submitted_met, office.adopted_met) == (4, 2, False, False)
    assert report.total.quota_submitted == sum(u.quotas["monthly"]["submitted"] for u in config.units)
    no_quota = dataclasses.replace(config, units=(Unit("office", "办公室", None, (), {}, 1),))
    report = information_report(_ledger(_story("a", "2026-04-01T08:00")), no_quota, parse_period("2026-04"), AT)
    office = _rows(report)["office"]
    assert (office.quota_submitted, office.submitted_met) == (None, None) and report.total.quota_submitted is None
    assert "未设" in render_text(report)


def test_value_formats():
    assert [points_text(Decimal(x)) for x in ("0", "10", "2.50", "0.1", "1234567")] == ["0", "10", "2.5", "0.1", "1234567"]
    assert [rate_text(x) for x in (None, 0, 1, 1 / 3, 0.5)] == ["—", "0%", "100%", "33.3%", "50%"]


def test_every_format_escapes_and_keeps_names(config):
    hostile = dataclasses.replace(config, units=(Unit("office", "办公室<script>&", None, (), {}, 1),))
    report = information_report(_ledger(_story("a", "2026-04-01T08:00")), hostile, parse_period("2026-04"), AT)
    page = render_html(report)
    assert "<script" not in page and "办公室&lt;script&gt;&amp;" in page
    data = json.loads(render_json(report))
    assert data["units"][0]["name"] == "办公室<script>&" and data["total"]["submitted"] == 1
    raw = csv_bytes(render_csv(report))
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline="")))
    assert raw[:3] == b"\xef\xbb\xbf" and rows[1][2] == "办公室<script>&" and rows[-3][2] == "合计"
    assert rows[-2:] == [[], [RATE_NOTE]]  # the footnote under the table
    lines = render_text(report).splitlines()
    header = next(line for line in lines if line.startswith("排名"))
    office = next(line for line in lines if line.startswith("1 "))
    assert len(header.encode("gbk")) == len(office.encode("gbk"))  # aligned: a Chinese character is two columns


def test_story_facts_read_the_tip_with_the_content_model(config):
    facts = story_facts(_story("a", "2026-04-01T08:00", "elderly-care", date="2026-04-02 09:00",
                               extra="withdrawn:\n  date: 2026-05-01\n  reason: 有误。\n  unpublish: true\n"), config, AT)
    assert (facts.unit, facts.published, facts.date) == ("elderly-care", False, _when("2026-04-02T09:00"))
    kept = story_facts(_story("b", "2026-04-01T08:00", extra="withdrawn:\n  date: 2026-05-01\n  reason: 有误。\n"),
                       config, AT)
    assert kept.published  # withdrawn with a banner stays public


def test_notices_are_submissions_counted_apart_too(config):
    stories = [
        _story("s", "2026-04-01T08:00", "office", extra="topics: [xiaoxian, shequ]\n"),
        _notice("n1", "2026-04-01T09:00", "office"),
        _notice("n2", "2026-04-03T09:00", "office", on_main=False),  # on a branch: submitted, not published
        _notice("n3", "2026-04-05T09:00", "elderly-care", date="2026-05-02 09:00"),  # published in May
    ]
    report = information_report(_ledger(*stories), config, parse_period("2026-04"), AT)
    office, elderly = _rows(report)["office"], _rows(report)["elderly-care"]
    assert (office.submitted, office.notices_submitted, office.submitted_published, office.published,
            office.notices_published) == (3, 2, 2, 2, 1)
    assert (office.stories_submitted, office.stories_published) == (1, 1)
    # Submitted in April, published in May: 报送1 报送中已发布1 采用率100% 本期发布0, and the row says which is which.
    assert (elderly.submitted, elderly.submitted_published, elderly.adoption_rate, elderly.published) == (1, 1, 1.0, 0)
    assert (report.total.submitted, report.total.notices_submitted, report.total.notices_published) == (4, 3, 1)
    facts = {f.path.rsplit("/", 1)[-1]: f for f in report.facts}
    assert (facts["n1.md"].kind, facts["n1.md"].published, facts["n1.md"].adoptions) == ("notice", True, ())
    assert facts["s.md"].topics == ("xiaoxian", "shequ") and facts["s.md"].title == "稿件"
    lines = render_text(report).splitlines()
    header = next(line for line in lines if line.startswith("排名"))
    assert header.split()[2:8] == ["报送", "其中通知公告", "报送中已发布", "采用率", "本期发布", "录用"]
    row = next(line.split() for line in lines if "养老服务股" in line)
    assert row[2:7] == ["1", "1", "1", "100%", "0"]
    assert RATE_NOTE in lines and RATE_NOTE.startswith("注：采用率＝报送中已发布÷报送")
    data = json.loads(render_json(report))
    assert data["total"]["notices_submitted"] == 3 and data["rate_note"] == RATE_NOTE
    assert "报送中已发布÷报送" in data["definitions"]["采用率"]
    assert RATE_NOTE in render_html(report)


def test_a_half_year_takes_twice_the_quarterly_quota(config):
    report = information_report(_ledger(_story("a", "2026-04-01T08:00")), config, parse_period("2026-H1"), AT)
    office = _rows(report)["office"]
    quarterly = next(u for u in config.units if u.id == "office").quotas["quarterly"]
    assert (office.quota_submitted, office.quota_adopted) == (2 * quarterly["submitted"], 2 * quarterly["adopted"])
    assert [m.month.key for m in report.months] == [f"2026-{n:02d}" for n in range(1, 7)]
    assert json.loads(render_json(report))["period"]["quota_period"] == "half-yearly"


def _axis_labels(svg: str, axis: str) -> list[str]:
    """The tick labels of one axis (``y`` or ``y2``) of a pygal chart."""
    found = re.search(rf'<g class="axis {axis}[ "].*?(?=<g class="axis |<g class="series|$)', svg, re.S)
    assert found, axis
    return [t for t in re.findall(r"<text[^>]*>([^<]*)</text>", found.group(0))]


def test_chart_axes_show_whole_numbers(config):
    assert whole_ticks(0) == [0, 1] and whole_ticks(1) == [0, 1] and whole_ticks(7) == list(range(8))
    assert whole_ticks(11) == [0, 2, 4, 6, 8, 10, 12] and whole_ticks(0.5) == [0, 1]
    assert whole_ticks(230) == [0, 50, 100, 150, 200, 250]
    # One submission and one adoption worth 0.5 points in the month: pygal alone labels 0.1 … 0.9 and 0.9090909091.
    adopted = "adopted_by:\n  - {outlet: mz-bulletin, date: 2026-04-03}\n"
    report = information_report(_ledger(_story("a", "2026-04-01T08:00", extra=adopted)), config,
                                parse_period("2026-04"), AT)
    for svg, axes in ((units_chart(report), ("y",)), (trend_chart(report), ("y", "y2"))):
        for axis in axes:
            labels = _axis_labels(svg, axis)
            assert labels and all(re.fullmatch(r"\d+", label) for label in labels), (axis, labels)
    assert _axis_labels(trend_chart(report), "y2") == ["0", "1"]
    busy = information_report(_ledger(*(_story(f"s{n}", "2026-04-01T08:00", extra=adopted) for n in range(13))),
                              config, parse_period("2026-04"), AT)
    assert _axis_labels(trend_chart(busy), "y")[-1] == "14"  # 13 submissions: ticks 0, 2 … 14
    assert all(re.fullmatch(r"\d+", t) for t in _axis_labels(trend_chart(busy), "y2"))  # 6.5 points
