"""The half-year outline on hand-made inputs: what each section counts, and the layout's edge cases."""

import dataclasses
import datetime as dt

import pytest

from mzpress.history.period_record import (
    COMPLETE,
    INCOMPLETE,
    UNCHECKED,
    DeletedPage,
    MainLineCommit,
    PeriodRecord,
    ReviewRecord,
)
from mzpress.history.submissions import StorySubmission, SubmissionLedger
from mzpress.model.config import load_config
from mzpress.model.report_period import parse_period
from mzpress.model.schema import TIMEZONE
from mzpress.publishing.half_year_outline import (
    CURRENT,
    PERIOD_END,
    REVIEW_BASIS_SIGNED,
    REVIEW_BASIS_TYPED,
    InspectionSummary,
    ReviewSummary,
    build_outline,
    outline_blocks,
)
from mzpress.publishing.information_report import information_report
from mzpress.publishing.outline_documents import render_markdown
from mzpress.publishing.project_outline import period_end_inspection
from tests.support.project import new_project, story_text

AT = dt.datetime(2026, 7, 15, 23, 59, tzinfo=TIMEZONE)
H1 = parse_period("2026-H1")


@pytest.fixture(scope="module")
def config(tmp_path_factory):
    config, findings = load_config(new_project(tmp_path_factory.mktemp("outline") / "p", with_sample_pages=False))
    assert findings == []
    return config


def _when(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text).replace(tzinfo=TIMEZONE)


def _commit(sha: str, when: str, subject: str = "合并") -> MainLineCommit:
    return MainLineCommit(sha * 40, _when(when), subject, True)


def _page(title: str, date: str, extra: str = "", unit: str = "office") -> bytes:
    return story_text(title=title, date=date, unit=unit, extra=extra).encode()


def _report(config, *stories):
    ledger = SubmissionLedger(tuple(stories), "a" * 40, ("main",), (), False)
    return information_report(ledger, config, H1, AT)


def _record(pages=None, deleted=(), reviews=()):
    return PeriodRecord(H1.start, H1.end, None, _commit("e", "2026-06-28T10:00"), (), pages or {}, tuple(deleted),
                        tuple(reviews), False)


NO_INSPECTION = InspectionSummary(PERIOD_END, _when("2026-06-30T23:59:59"), "e" * 40, "合格", (("首页更新", "合格", "好"),))


def _paragraphs(outline) -> list[str]:
    return [block.text for block in outline_blocks(outline) if block.kind in ("paragraph", "note")]


def test_take_downs_count_what_happened_in_the_period_only(config):
    pages = {
        "content/stories/2026/a.md": _page("撤回的稿件", "2026-02-01 09:00",
                                           "withdrawn:\n  date: 2026-03-05\n  reason: 数据有误，已更正。\n"),
        "content/stories/2026/b.md": _page("撤下的稿件", "2026-02-01 09:00",
                                           "withdrawn:\n  date: 2026-04-05\n  reason: 涉及个人信息。\n  unpublish: true\n",
                                           unit="elderly-care"),
        "content/stories/2025/c.md": _page("去年撤回的稿件", "2025-02-01 09:00",
                                           "withdrawn:\n  date: 2025-12-05\n  reason: 过时。\n"),
        "content/stories/2026/d.md": _page("下半年才下线的稿件", "2026-02-01 09:00", "unpublish_at: 2026-08-01 18:00\n"),
        "content/stories/2026/e.md": _page("到期下线的稿件", "2026-02-01 09:00", "unpublish_at: 2026-06-01 18:00\n"),
        "content/stories/2026/f.md": _page("草稿", "2026-02-01 09:00", "draft: true\nunpublish_at: 2026-06-01 18:00\n"),
        "content/stories/2026/g.md": b"---\ntitle: [broken\n---\n",  # unreadable: neither counted nor fatal
    }
    deleted = [DeletedPage("content/notices/2026/n.md", "notice",
                           story_text(title="删掉的公告", date="2026-01-05 09:00", unit="no-such-unit",
                                      extra="start: 2026-01-05\nend: 2026-01-06\n").encode(),
                           _commit("d", "2026-05-20T10:00", "删除 | 过期公告")),
               DeletedPage("content/stories/2026/x.md", "story", None, _commit("c", "2026-01-20T10:00", "清理"))]
    outline = build_outline(_report(config), config, _record(pages, deleted), NO_INSPECTION)
    assert [(t.day.isoformat(), t.title, t.how, t.unit, t.kind_label) for t in outline.takedowns] == [
        ("2026-01-20", "content/stories/2026/x.md", "删除", "未知单位", "民政故事"),
        ("2026-03-05", "撤回的稿件", "撤回", "办公室", "民政故事"),
        ("2026-04-05", "撤下的稿件", "撤下", "养老服务股", "民政故事"),
        ("2026-05-20", "删掉的公告", "删除", "no-such-unit", "通知公告"),
        ("2026-06-01", "到期下线的稿件", "到期下线", "办公室", "民政故事"),
    ]
    assert any(p.startswith("2026年上半年撤稿5篇：撤回1篇，撤下1篇，到期下线1篇，删除2篇。") for p in _paragraphs(outline))
    markdown = render_markdown(outline)
    assert "文件被直接删除，没有记录原因（提交说明：删除 \\| 过期公告）。" in markdown  # a pipe does not split the cell


def test_campaigns_overlapping_the_period_with_their_pages(config):
    def campaign(title, date, start, end, extra=""):
        return (f"---\ntitle: {title}\ndate: {date}\nunit: office\nauthor: 甲\neditor: 乙\nsummary: 摘要。\n"
                f"start: {start}\n{f'end: {end}' if end else ''}\nkind: training\n{extra}---\n\n正文。\n").encode()

    def member(title, date):
        return f"---\ntitle: {title}\ndate: {date}\nunit: office\nauthor: 甲\neditor: 乙\nsummary: 摘要。\n---\n\n正文。\n".encode()

    pages = {
        "content/campaigns/a/index.md": campaign("贯穿全年的培训", "2026-01-02 09:00", "2026-01-01", "2026-12-31"),
        "content/campaigns/a/one.md": member("一月", "2026-01-20 09:00"),
        "content/campaigns/a/two.md": member("七月", "2026-07-20 09:00"),
        "content/campaigns/b/index.md": campaign("没有结束日期", "2025-06-01 09:00", "2025-06-01", None),
        "content/campaigns/c/index.md": campaign("下半年的培训", "2026-06-20 09:00", "2026-07-01", "2026-07-31"),
        "content/campaigns/d/index.md": campaign("草稿活动", "2026-02-01 09:00", "2026-02-01", "2026-03-01", "draft: true\n"),
    }
    outline = build_outline(_report(config), config, _record(pages), NO_INSPECTION)
    assert [(c.title, c.kind_label, c.span, c.status, c.pages) for c in outline.campaigns] == [
        ("没有结束日期", "培训", "2025年6月1日起", "进行中", 0),
        ("贯穿全年的培训", "培训", "2026年1月1日—2026年12月31日", "进行中", 1),
    ]


def test_notices_and_topics_in_the_publishing_section(config):
    stories = [
        StorySubmission("content/stories/2026/a.md", "content/stories/2026/a.md", _when("2026-03-01T08:00"), "0" * 40,
                        "甲", True, _page("稿件", "2026-03-01 09:00", "topics: [xiaoxian, binzang]\n")),
        StorySubmission("content/stories/2026/b.md", "content/stories/2026/b.md", _when("2026-03-01T08:00"), "0" * 40,
                        "甲", True, _page("稿件", "2026-07-01 09:00", "topics: [xiaoxian]\n")),  # published in July
        StorySubmission("content/notices/2026/n.md", "content/notices/2026/n.md", _when("2026-03-01T08:00"), "0" * 40,
                        "甲", True, story_text(title="公告", date="2026-03-02 09:00",
                                               extra="start: 2026-03-02\nend: 2026-03-09\n").encode(), kind="notice"),
    ]
    outline = build_outline(_report(config, *stories), config, _record(), NO_INSPECTION)
    assert {t.topic_id: t.stories for t in outline.topics} == {
        "xiaoxian": 1, "shequ": 0, "cishan": 0, "shetuan": 0, "hunyin": 0, "binzang": 1}
    assert outline.untagged == 0
    text = _paragraphs(outline)
    assert ("2026年上半年，局网站发布民政故事1篇、通知公告1篇。各单位报送稿件和通知公告3篇（其中通知公告1篇），"
            "到统计时已发布3篇，采用率100%。") in text
    assert "2026年上半年没有开展专题活动。" in text and "2026年上半年没有撤回、撤下、到期下线或删除的页面。" in text
    assert "统计时间在2026年上半年结束之前" not in " ".join(text)


def _review(sha, state, signed=0, typed=0, **extra):
    return ReviewRecord(_commit(sha, "2026-03-01T10:00", f"合并{sha}"), state, True, signed=signed, typed=typed, **extra)


def test_reviews_split_signed_from_typed_when_the_check_tells(config):
    records = (_review("1", COMPLETE, signed=3), _review("2", COMPLETE, signed=2, typed=1),
               _review("3", INCOMPLETE, typed=1, missing=("终审",), problems=("张三签了2次。",)),
               _review("4", UNCHECKED, reason="找不到提交。"))
    signed = ReviewSummary(records, signing_known=True)
    assert (signed.count(COMPLETE), signed.all_signed, signed.count(INCOMPLETE), signed.count(UNCHECKED)) == (2, 1, 1, 1)
    outline = build_outline(_report(config), config, _record(reviews=records), NO_INSPECTION)
    blocks = outline_blocks(dataclasses.replace(outline, reviews=signed))
    texts = [b.text for b in blocks]
    assert ("2026年上半年合并到主线（发布）4次，其中改动网站内容4次；三审记录齐全2次（其中各环节均为密钥签名1次，"
            "含手写签名1次），不全1次，无法检查1次。") in texts
    table = next(b for b in blocks if b.headers[:2] == ("日期", "提交"))
    assert [row[3] for row in table.rows] == ["缺少终审；张三签了2次。", "无法检查：找不到提交。"]
    assert REVIEW_BASIS_SIGNED in texts
    typed = outline_blocks(dataclasses.replace(outline, reviews=ReviewSummary(records, False)))
    texts = [b.text for b in typed]
    assert "2026年上半年合并到主线（发布）4次，其中改动网站内容4次；三审记录齐全2次，不全1次，无法检查1次。" in texts
    assert REVIEW_BASIS_TYPED in texts and "不分“密钥签名”和“手写签名”" in REVIEW_BASIS_TYPED


def test_an_inspection_without_a_period_end_version_falls_back_to_the_current_files(tmp_path):
    root = new_project(tmp_path / "site")  # not a git repository
    summary = period_end_inspection(root, None, _when("2026-06-30T23:59:59"))
    assert summary.basis == CURRENT and summary.moment == _when("2026-06-30T23:59:59")
    assert summary.note.startswith("未能按期末主线上的网站版本自查：期末之前主线上还没有提交。")
    names = [name for name, _, _ in summary.indicators]
    assert names[0] == "首页更新" and "伪造发稿日期" in names
    assert dict((n, r) for n, r, _ in summary.indicators)["伪造发稿日期"] == "未检查"  # no git: cannot judge
