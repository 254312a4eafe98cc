"""The report's 对外报送与录用 table on hand-made ledgers (no git): what counts, what is skipped, every format."""

import dataclasses
import datetime as dt
import json

import pytest

from mzpress.history.submissions import StorySubmission, SubmissionLedger
from mzpress.model.config import load_config
from mzpress.model.outlets import Outlets
from mzpress.model.report_period import parse_period
from mzpress.model.schema import TIMEZONE
from mzpress.publishing.information_report import information_report
from mzpress.publishing.report_documents import render_html, render_json, render_text
from tests.support.project import new_project, story_text

AT = dt.datetime(2026, 11, 30, 12, 0, tzinfo=TIMEZONE)


@pytest.fixture(scope="module")
def config(tmp_path_factory):
    config, findings = load_config(new_project(tmp_path_factory.mktemp("outlet-report") / "p", with_sample_pages=False))
    assert findings == []
    return config


def _story(slug, extra, on_main=True, date="2026-11-02 09:00"):
    text = story_text(title="稿件", date=date, extra=extra)
    return StorySubmission(f"content/stories/2026/{slug}.md", f"content/stories/2026/{slug}.md",
                           dt.datetime(2026, 11, 1, 8, 0, tzinfo=TIMEZONE), "0" * 40, "测试", on_main, text.encode())


def _report(config, *stories, period="2026-11"):
    ledger = SubmissionLedger(tuple(stories), "a" * 40, ("main",), (), False)
    return information_report(ledger, config, parse_period(period), AT)


def _rows(report):
    return {row.outlet_id: (row.submitted, row.adopted) for row in report.outlets}


def test_what_counts_per_outlet(config):
    report = _report(
        config,
        _story("a", "submitted_to:\n  - {outlet: city-mz-site, date: 2026-11-03}\n"
                    "  - {outlet: mobile-paper, date: 2026-11-03, kind: photo}\n"
                    "adopted_by:\n  - {outlet: city-mz-site, date: 2026-11-05}\n"),
        _story("draft", "draft: true\nsubmitted_to:\n  - {outlet: city-mz-site, date: 2026-11-04}\n"),  # sent first
        _story("branch", "submitted_to:\n  - {outlet: city-mz-site, date: 2026-11-04}\n", on_main=False),
        _story("later", "submitted_to:\n  - {outlet: county-paper, date: 2026-12-01}\n"  # after the report's day
                        "  - {outlet: county-tv, date: 2026-10-31}\n"),  # another period
        _story("bad", "submitted_to:\n  - {outlet: gone-paper, date: 2026-11-04}\n"
                      "adopted_by:\n  - {outlet: mz-bulletin, date: 2026-11-06}\n"))
    rows = _rows(report)
    assert [row.outlet_id for row in report.outlets] == [o.id for o in config.outlets.outlets]
    assert rows["city-mz-site"] == (2, 1) and rows["mobile-paper"] == (1, 0) and rows["mz-bulletin"] == (0, 1)
    assert rows["county-paper"] == rows["county-tv"] == (0, 0)
    notes = [(n.kind, n.file.rsplit("/", 1)[-1], n.line) for n in report.notes if n.kind in ("submission", "adoption")]
    assert notes == [("submission", "bad.md", 9)]  # an unknown outlet in submitted_to is not an adoption's note
    assert _rows(_report(config, _story("a", "submitted_to:\n  - {outlet: county-tv, date: 2026-10-31}\n"),
                         period="2026"))["county-tv"] == (1, 0)


def test_every_format_shows_the_table(config):
    hostile = dataclasses.replace(config, outlets=Outlets(tuple(
        dataclasses.replace(o, name="市局<script>&") if o.id == "city-mz-site" else o for o in config.outlets.outlets),
        config.outlets.instruction_points, present=True))
    report = _report(hostile, _story("a", "submitted_to:\n  - {outlet: city-mz-site, date: 2026-11-03}\n"))
    text = render_text(report).splitlines()
    start = text.index("对外报送与录用（按渠道）：")
    assert text[start + 1].split() == ["渠道", "级别", "对外报送", "录用"]
    assert text[start + 7].split() == ["市局<script>&", "市级", "1", "0"] and text[start + 10].split() == ["合计", "1", "0"]
    page = render_html(report)
    assert "<h2>对外报送与录用（按渠道）</h2>" in page and "市局&lt;script&gt;&amp;" in page and "<script" not in page
    data = json.loads(render_json(report))
    assert data["outlets"][5] == {"outlet": "city-mz-site", "name": "市局<script>&", "level": "city", "submitted": 1,
                                  "adopted": 0}
    assert "对外报送" in data["definitions"]
    without = dataclasses.replace(config, outlets=Outlets())
    assert "对外报送与录用" not in render_text(_report(without, _story("a", "")))
