"""The website self-inspection core (mzpress.publishing.inspection) at fixed moments, with its reports and
the parsing of the deployed site's pages (no network: the fetching function is a fake)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import re
from pathlib import Path

import pytest

from mzpress.model.config import Column, SiteConfig, Topic, Unit
from mzpress.model.content import Page, Site
from mzpress.model.inspection_settings import InspectionSettings, VetoThresholds
from mzpress.model.schema import TIMEZONE
from mzpress.model.site_settings import Footer, SiteSettings
from mzpress.publishing.inspection import BackdatingEvidence, LinkProblem, column_pages, evaluate
from mzpress.publishing.inspection_report import TABLE_HEADER, render, report_name
from mzpress.publishing.site_probe import (
    Fetched,
    parse_page,
    probe_site,
    sample_urls,
    sitemap_locations,
)

AT = dt.datetime(2026, 11, 30, 23, 59, 59, tzinfo=TIMEZONE)
TODAY = AT.date()
UNITS = (Unit("office", "办公室", None, (), {}, 1), Unit("elderly-care", "养老服务股", None, (), {}, 2))
TOPICS = (Topic("xiaoxian", "孝贤文化", "", 1), Topic("shequ", "社区文化", "", 2))
UNIT = {u.id: u for u in UNITS}
TOPIC = {t.id: t for t in TOPICS}
FOOTER = Footer("测试县民政局", "测试路1号", "", "0000-1234567", "1234567890", "赣ICP备00000001号-1",
                "赣公网安备00000000000001号")
JUDGED = BackdatingEvidence(True)


def ago(days: int, hour: int = 9) -> dt.datetime:
    """A publish time ``days`` calendar days before the inspection day."""
    return dt.datetime.combine(TODAY - dt.timedelta(days=days), dt.time(hour), tzinfo=TIMEZONE)


def _page(page_kind: str, src: str, parts: dict, **values) -> Page:
    values.setdefault("title", src)
    values.setdefault("unit", UNIT["office"])
    return Page(page_kind, src, f"content/{src}", values, "", 1, parts)


def story(slug: str, when: dt.datetime, topics=(), unit="office", tags=(), **extra) -> Page:
    return _page("story", f"stories/{when.year}/{slug}.md", {"year": str(when.year), "slug": slug},
                 date=when, unit=UNIT[unit], topics=[TOPIC[t] for t in topics], tags=list(tags), **extra)


def notice(slug: str, when: dt.datetime, start: dt.date, end: dt.date, tags=()) -> Page:
    return _page("notice", f"notices/{when.year}/{slug}.md", {"year": str(when.year), "slug": slug},
                 date=when, start=start, end=end, tags=list(tags))


def campaign(ident: str, when: dt.datetime, member: str | None = None) -> Page:
    if member is None:
        return _page("campaign", f"campaigns/{ident}/index.md", {"campaign": ident}, date=when,
                     start=when.date(), kind="training")
    return _page("member", f"campaigns/{ident}/{member}.md", {"campaign": ident, "slug": member}, date=when)


def plain(src: str) -> Page:
    return _page("page", src, {})


def column(ident: str, contains: str = "stories", kind: str = "dynamic", days: int | None = 14, **filters) -> Column:
    if kind in ("history", "static"):
        days = None
    return Column(ident, f"栏目{ident}", f"{ident}/", contains, kind, days, 1, **filters)


def site(pages: list[Page], columns: list[Column], settings: InspectionSettings | None = None,
         at: dt.datetime = AT) -> Site:
    config = SiteConfig(Path("/nonexistent"), SiteSettings(name="测试县民政局", footer=FOOTER), UNITS, TOPICS,
                        tuple(columns), inspection=settings or InspectionSettings())
    return Site(config, Path("/nonexistent/content"), at, pages, [p.src for p in pages], [])


def indicator(inspection, key: str):
    (found,) = [i for i in inspection.indicators if i.key == key]
    return found


def tagged_columns(count: int, age: int, days: int = 14) -> tuple[list[Page], list[Column]]:
    """``count`` dynamic columns, each holding one story (its own tag) published ``age`` days ago."""
    pages = [story(f"s{n}", ago(age), tags=[f"t{n}"]) for n in range(count)]
    columns = [column(f"c{n}", tag=f"t{n}", days=days) for n in range(count)]
    return pages, columns


# ------------------------------------------------------------------------------ thresholds


@pytest.mark.parametrize("stale, triggered", [(4, False), (5, True)])
def test_stale_columns_veto_at_the_threshold(stale, triggered):
    pages, columns = tagged_columns(stale, age=20)
    fresh_pages, fresh_columns = tagged_columns(3, age=1)
    fresh_pages = [dataclasses.replace(p, values={**p.values, "tags": [f"fresh{n}"]}) for n, p in enumerate(fresh_pages)]
    fresh_columns = [dataclasses.replace(c, id=f"f{n}", tag=f"fresh{n}") for n, c in enumerate(fresh_columns)]
    result = evaluate(site(pages + fresh_pages, columns + fresh_columns), [], JUDGED)
    item = indicator(result, "stale-columns")
    assert item.triggered is triggered and result.failed is triggered
    assert item.problems == (0 if triggered else stale)  # below the threshold: deductions, not a veto
    assert item.evidence[0] == f"超期未更新栏目{stale}个（单项否决门槛5个）。"
    assert f"栏目c0（c0/）：最近更新{TODAY.year}年11月10日，已20天未更新，超过14天的要求6天" in item.evidence
    assert item.result == ("不合格" if triggered else "需整改")
    assert item.outcome == ("单项否决：已触发" if triggered else f"单项否决：未触发；扣分：{stale}项")
    assert result.verdict == ("不合格" if triggered else "合格")
    assert indicator(result, "long-stale-columns").problems == 0


@pytest.mark.parametrize("count, triggered", [(9, False), (10, True)])
def test_long_stale_columns_veto_at_the_threshold(count, triggered):
    pages, columns = tagged_columns(count, age=366, days=180)
    pages.append(story("home", ago(0)))  # keeps the home page fresh
    result = evaluate(site(pages, columns, InspectionSettings(veto=VetoThresholds(stale_columns=100))), [], JUDGED)
    item = indicator(result, "long-stale-columns")
    assert item.triggered is triggered and result.failed is triggered
    assert item.evidence[0] == f"长期未更新栏目{count}个（单项否决门槛10个）。"
    assert not indicator(result, "stale-columns").triggered  # its threshold is 100 here
    assert all(s.stale and s.long_stale and s.state == "long-stale" for s in result.columns)
    # exactly long_stale_days old is not yet long-stale
    pages, columns = tagged_columns(count, age=365, days=180)
    assert indicator(evaluate(site(pages, columns), [], JUDGED), "long-stale-columns").evidence[0].startswith(
        "长期未更新栏目0个")


@pytest.mark.parametrize("empty, triggered", [(4, False), (5, True)])
def test_empty_columns_veto_at_the_threshold_for_every_kind(empty, triggered):
    kinds = ["dynamic", "notice", "policy", "history", "static"]
    columns = [column(f"e{n}", contains="notices" if kinds[n] in ("notice", "policy") else "stories",
                      kind=kinds[n], tag="never") for n in range(empty)]
    pages = [story("fresh", ago(0))]
    result = evaluate(site(pages, [*columns, column("news")]), [], JUDGED)
    item = indicator(result, "empty-columns")
    assert item.triggered is triggered
    assert item.evidence[0] == f"空白栏目{empty}个（单项否决门槛5个），共检查{empty + 1}个栏目。"
    assert "栏目e0（e0/）：没有任何已发布的内容" in item.evidence
    # an empty column is only empty: not also stale
    assert indicator(result, "stale-columns").evidence[0].startswith("超期未更新栏目0个")


def test_thresholds_come_from_the_settings():
    pages, columns = tagged_columns(2, age=20)
    settings = InspectionSettings(veto=VetoThresholds(stale_columns=2, long_stale_columns=10, empty_columns=5))
    assert indicator(evaluate(site(pages, columns, settings), [], JUDGED), "stale-columns").triggered


# ------------------------------------------------------------------------------ home page


@pytest.mark.parametrize("age, passes", [(13, True), (14, True), (15, False)])
def test_home_page_update_boundary(age, passes):
    result = evaluate(site([story("latest", ago(age, hour=23))], [column("news", days=100)]), [], JUDGED)
    item = indicator(result, "home-update")
    assert item.triggered is not passes and item.veto
    assert f"距检查日{age}天" in item.evidence[0]
    assert ("在14天以内" in item.evidence[0]) is passes
    assert result.home.age_days == age


def test_home_page_counts_what_it_lists_only():
    old = story("old", ago(30))
    pages = [old,
             notice("open", ago(2), TODAY - dt.timedelta(days=2), TODAY + dt.timedelta(days=5)),  # 公示中
             notice("later", ago(1), TODAY + dt.timedelta(days=3), TODAY + dt.timedelta(days=9)),  # 未开始
             story("draft", ago(0), draft=True),
             story("scheduled", AT + dt.timedelta(hours=2)),
             story("withdrawn", ago(0), withdrawn={"date": ago(0), "reason": "r", "unpublish": False})]
    result = evaluate(site(pages, [column("news", days=100)]), [], JUDGED)
    # the home page's 通知公告 lists notices in their period first, then the newest others: both count
    assert result.home.newest_page == "content/notices/2026/later.md" and result.home.age_days == 1
    # only the old story left: the home page is stale
    result = evaluate(site([old], [column("news", days=100)]), [], JUDGED)
    assert indicator(result, "home-update").triggered
    assert evaluate(site([campaign("train", ago(3))], [column("c", "campaigns")]), [], JUDGED).home.age_days == 3
    empty = evaluate(site([], [column("news")]), [], JUDGED)
    assert indicator(empty, "home-update").triggered and "没有列出任何" in indicator(empty, "home-update").evidence[0]


def test_only_the_newest_stories_of_the_home_page_count():
    # the home page shows listing.home_latest (8) stories: the 9th newest never shows there
    pages = [story(f"s{n}", ago(20 + n)) for n in range(9)]
    assert evaluate(site(pages, [column("news", days=100)]), [], JUDGED).home.age_days == 20


# -------------------------------------------------------------------------- early warning


def test_early_warning_names_the_day_a_column_goes_stale():
    pages = [story("soon", ago(13), tags=["a"]),  # 14 days allowed: stale from the 15th day on, in 2 days
             story("later", ago(10), tags=["b"]),  # stale in 5 days
             story("today", ago(0), tags=["c"])]
    columns = [dataclasses.replace(column("a", tag="a"), name="民政故事"), column("b", tag="b"), column("c", tag="c")]
    result = evaluate(site(pages, columns), [], JUDGED)
    assert [(w.subject, w.on, w.days_left) for w in result.warnings] == [("民政故事", dt.date(2026, 12, 2), 2)]
    assert result.warnings[0].text == "民政故事将于2026年12月2日超期未更新（还有2天）"
    assert not any(s.stale for s in result.columns)
    # --warn-days 5 names the second column as well; 0 names none
    assert [(w.column_id, w.on) for w in evaluate(site(pages, columns), [], JUDGED, warn_days=5).warnings] == [
        ("a", dt.date(2026, 12, 2)), ("b", dt.date(2026, 12, 5))]
    assert evaluate(site(pages, columns), [], JUDGED, warn_days=0).warnings == ()
    # on that day the first column is stale (no longer a warning), the second is 3 days from it
    later = evaluate(site(pages, columns, at=AT + dt.timedelta(days=2)), [], JUDGED)
    assert [s.column.id for s in later.columns if s.stale] == ["a"]
    assert [(w.column_id, w.days_left) for w in later.warnings] == [("b", 3)]


def test_early_warning_for_the_home_page_and_long_stale():
    pages = [story("home", ago(13), tags=["x"]), story("old", ago(364), tags=["y"])]
    result = evaluate(site(pages, [column("x", tag="x", days=100), column("y", tag="y", days=180)]), [], JUDGED)
    assert {(w.what, w.on) for w in result.warnings} == {("home", dt.date(2026, 12, 2)),
                                                        ("long-stale", dt.date(2026, 12, 2))}
    texts = sorted(w.text for w in result.warnings)
    assert texts == ["栏目y将于2026年12月2日成为长期未更新栏目（还有2天）", "首页将于2026年12月2日超过规定天数没有新信息（还有2天）"]


# ---------------------------------------------------------------------- kinds and filters


def test_history_and_static_columns_are_exempt_from_the_update_rule():
    pages = [campaign("old", ago(900)), campaign("old", ago(800), "m1"), plain("about/index.md")]
    columns = [column("h", "campaigns", "history", campaign="old"), column("about", "pages", "static")]
    result = evaluate(site(pages, columns), [], JUDGED)
    assert [(s.state, s.stale, s.long_stale, s.stale_on) for s in result.columns] == [
        ("exempt", False, False, None), ("exempt", False, False, None)]
    assert result.columns[0].age_days == 800 and result.columns[0].page_count == 2
    assert "不受更新时限约束的栏目（历史性专题、基本信息）：栏目h、栏目about。" in indicator(result, "stale-columns").evidence
    assert result.warnings == ()
    # the same old campaign as a dynamic column is stale and long-stale
    dynamic = evaluate(site(pages, [column("h", "campaigns", "dynamic", days=90, campaign="old")]), [], JUDGED)
    assert dynamic.columns[0].state == "long-stale"


def test_filters_narrow_what_a_column_holds():
    pages = [
        story("a", ago(1), topics=["xiaoxian"], unit="elderly-care", tags=["敬老"]),
        story("b", ago(2), topics=["shequ", "xiaoxian"], tags=["社区"]),
        story("c", ago(3), unit="elderly-care"),
        story("hidden", ago(0), topics=["xiaoxian"], draft=True),
        story("future", AT + dt.timedelta(days=1), topics=["xiaoxian"]),
        story("gone", ago(0), topics=["xiaoxian"], withdrawn={"date": ago(0), "reason": "r", "unpublish": True}),
        notice("n", ago(4), TODAY, TODAY, tags=["政策文件"]),
        campaign("train", ago(40)), campaign("train", ago(5), "s1"), campaign("other", ago(6)),
        plain("about/index.md"), plain("about/contact.md"), plain("help/index.md"),
        _page("topic", "topics/xiaoxian.md", {"slug": "xiaoxian"}),
    ]
    s = site(pages, [])

    def held(**kwargs) -> list[str]:
        return sorted(p.src.rsplit("/", 1)[-1] for p in column_pages(s, column("x", **kwargs)))

    assert held() == ["a.md", "b.md", "c.md"]
    assert held(topic="xiaoxian") == ["a.md", "b.md"]
    assert held(topic="shequ") == ["b.md"]
    assert held(unit="elderly-care") == ["a.md", "c.md"]
    assert held(tag="敬老") == ["a.md"]
    assert held(topic="xiaoxian", unit="office") == ["b.md"]
    assert held(contains="notices", kind="policy", tag="政策文件") == ["n.md"]
    assert held(contains="campaigns", campaign="train") == ["index.md", "s1.md"]
    assert held(contains="campaigns") == ["index.md", "index.md", "s1.md"]
    assert held(contains="pages", kind="static") == []  # path x/: no page under it
    about = Column("about", "机构概况", "about/", "pages", "static", None, 1)
    assert sorted(p.src for p in column_pages(s, about)) == ["about/contact.md", "about/index.md"]
    assert [p.src for p in column_pages(s, column("t", "topics", "static", topic="xiaoxian"))] == ["topics/xiaoxian.md"]
    # the column's last update is its newest page
    result = evaluate(site(pages, [column("x", campaign="train", contains="campaigns", days=30)]), [], JUDGED)
    assert result.columns[0].age_days == 5 and result.columns[0].last_page == "content/campaigns/train/s1.md"


def test_a_campaign_column_names_a_missing_folder():
    result = evaluate(site([story("a", ago(1))], [column("c", "campaigns", "history", campaign="nosuch")]), [], JUDGED)
    assert result.columns[0].empty
    assert "content/campaigns/nosuch/ 不存在" in result.columns[0].note
    assert any("nosuch" in line for line in indicator(result, "empty-columns").evidence)


@pytest.mark.parametrize("age, stale", [(14, False), (15, True)])
def test_a_column_is_stale_the_day_after_its_update_days(age, stale):
    result = evaluate(site([story("a", ago(age, hour=23))], [column("news")]), [], JUDGED)
    state = result.columns[0]
    assert state.stale is stale and state.stale_on == TODAY - dt.timedelta(days=age) + dt.timedelta(days=15)
    assert state.days_over == (1 if stale else 0)


# ------------------------------------------------------------------ links and backdating


def test_links_and_backdating_evidence():
    links = [LinkProblem("content/stories/2026/a.md", 7, "链接", "../2025/none.md", "指向的页面不存在"),
             LinkProblem("content/stories/2026/a.md", 9, "附件", "files/x.xlsx", "指向的文件不存在"),
             LinkProblem("content/stories/2026/b.md", 3, "图片", "images/y.jpg", "指向的文件不存在")]
    pages = [story("a", ago(0))]
    result = evaluate(site(pages, [column("news")]), links, BackdatingEvidence(
        True, (("content/stories/2026/a.md:3", "发布时间早于首次发布。"),)))
    item = indicator(result, "links")
    assert not item.veto and item.problems == 3 and not item.triggered and item.result == "需整改"
    assert item.evidence[0] == "检查已发布页面1个：失效链接1处，缺失图片1处，缺失附件1处。"
    assert "content/stories/2026/a.md:9：附件“files/x.xlsx”指向的文件不存在" in item.evidence
    back = indicator(result, "backdating")
    assert back.triggered and back.veto and result.failed and "单项否决：伪造发稿日期" in result.verdict_text
    assert "content/stories/2026/a.md:3：发布时间早于首次发布。" in back.evidence

    not_judged = evaluate(site(pages, [column("news")]), [], BackdatingEvidence(False, note="这是浅克隆。"))
    back = indicator(not_judged, "backdating")
    assert not back.judged and not back.triggered and not not_judged.failed
    assert back.result == "未检查" and back.evidence == ("未能检查：这是浅克隆。",)
    many = [LinkProblem("content/x.md", n, "链接", f"{n}.md", "指向的页面不存在") for n in range(1, 15)]
    evidence = indicator(evaluate(site(pages, [column("news")]), many, JUDGED), "links").evidence
    assert len(evidence) == 12 and evidence[-1] == "……等共14处"


# ------------------------------------------------------------------------------ reports


def test_reports_in_every_format():
    pages = [story("a", ago(20), tags=["n"]), story("b", ago(13), tags=["t"])]
    columns = [dataclasses.replace(column("news", tag="n"), name="民政故事 & “动态” | <要闻>"), column("t", tag="t")]
    result = evaluate(site(pages, columns), [], JUDGED, notes=["说明一"])
    assert report_name(result, "markdown") == "inspect-2026-11.md" and report_name(result, "html") == "inspect-2026-11.html"

    markdown = render(result, "markdown")
    assert markdown.startswith("# 测试县民政局网站自查表（2026年11月）\n")
    header = "| " + " | ".join(TABLE_HEADER) + " |"
    rows = markdown.split(header, 1)[1].split("\n\n", 1)[0].strip().splitlines()
    assert rows[0] == "| --- | --- | --- | --- | --- |"
    assert len(rows) == 1 + len(result.indicators)
    for row in rows[1:]:  # five cells each: escaped | in the column name does not split a cell
        assert len(re.split(r"(?<!\\)\|", row)) == 7, row
    assert "民政故事 &amp; “动态” \\| &lt;要闻&gt;" in markdown and "<要闻>" not in markdown
    assert "栏目t将于2026年12月2日超期未更新（还有2天）" in markdown and "说明一" in markdown

    page = render(result, "html")
    assert page.startswith("<!DOCTYPE html>") and "<title>测试县民政局网站自查表（2026年11月）</title>" in page
    assert "民政故事 &amp; “动态” | &lt;要闻&gt;" in page and "<要闻>" not in page
    assert "<script" not in page and not re.search(r"""(?:src|href)\s*=\s*["']?https?://""", page)
    assert "@page { size: A4" in page and "@media print" in page
    for head in TABLE_HEADER:
        assert f"<th>{head}</th>" in page

    data = json.loads(render(result, "json"))
    assert data["verdict"] == "合格" and data["failed"] is False and data["month"] == "2026-11"
    assert [c["state"] for c in data["columns"]] == ["stale", "ok"]
    assert data["columns"][0]["days_over"] == 6 and data["columns"][1]["filters"] == {"tag": "t"}
    assert data["warnings"][0]["date"] == "2026-12-02" and data["probe"] is None

    text = render(result, "text")
    assert "检查结论：合格（1项需整改：栏目不更新）" in text and "[需整改] 栏目不更新" in text
    for output in (markdown, text):  # house style: no space between Chinese and digits
        assert not re.search(r"[\u4e00-\u9fff] \d|\d [\u4e00-\u9fff]", output)


# --------------------------------------------------------------------- the deployed site

HOME_HTML = """<!DOCTYPE html><html><head><title>首页</title><script>var x = "网站标识码：1234567890";</script></head>
<body><a href="stories/">民政故事</a> <a href="/notices/">通知公告</a> <a href="#top">顶部</a>
<a href="https://www.example.gov.cn/">县政府</a> <a href="mailto:a@b.cn">邮件</a> <a href="stories/#x">重复</a>
<footer class="md-footer"><p>主办单位：测试县民政局</p>
<p>网站标识码：1234567890　<a href="https://beian.miit.gov.cn/">赣ICP备00000001号-1</a>
<a>赣公网安备 00000000000001号</a></p></footer></body></html>"""


def test_page_parsing_finds_links_and_the_footer_text():
    parsed = parse_page(HOME_HTML)
    assert parsed.has_footer
    assert parsed.links == ("stories/", "/notices/", "#top", "https://www.example.gov.cn/", "mailto:a@b.cn",
                            "stories/#x", "https://beian.miit.gov.cn/")
    assert "网站标识码：1234567890" in parsed.footer_text and "赣ICP备00000001号-1" in parsed.footer_text
    assert "赣公网安备00000000000001号" in parsed.footer_text  # whitespace removed
    no_footer = parse_page("<p>网站标识码 1234567890</p><script>赣ICP备00000001号-1</script>")
    assert not no_footer.has_footer and no_footer.footer_text == "网站标识码1234567890"
    assert parse_page("<div><footer>未闭合").footer_text == "未闭合"  # broken markup: no exception


def test_sitemap_and_sample_selection():
    sitemap = """<?xml version="1.0"?><urlset><url><loc>https://mz.example.gov.cn/</loc></url>
    <url><loc> https://mz.example.gov.cn/stories/2026/a/ </loc></url><url><loc>https://mz.example.gov.cn/about/?a=1&amp;b=2</loc></url>
    <url><loc>ftp://x/</loc></url></urlset>"""
    locations = sitemap_locations(sitemap)
    assert locations == ["https://mz.example.gov.cn/", "https://mz.example.gov.cn/stories/2026/a/",
                         "https://mz.example.gov.cn/about/?a=1&b=2", "ftp://x/"]
    home = "http://127.0.0.1:8080/"
    sample = sample_urls(home, parse_page(HOME_HTML).links, locations, size=10)
    # same host only, no fragments or duplicates, the home page itself left out, sitemap entries re-based
    assert sample == ["http://127.0.0.1:8080/stories/", "http://127.0.0.1:8080/notices/",
                      "http://127.0.0.1:8080/stories/2026/a/", "http://127.0.0.1:8080/about/?a=1&b=2"]
    many = [f"https://mz.example.gov.cn/p{n}/" for n in range(100)]
    chosen = sample_urls(home, [f"/h{n}/" for n in range(20)], many, size=10)
    assert len(chosen) == 10 and chosen[:5] == [f"http://127.0.0.1:8080/h{n}/" for n in range(5)]
    assert chosen[5:] == [f"http://127.0.0.1:8080/p{n}/" for n in (0, 20, 40, 60, 80)]


class FakeWeb:
    """Canned answers per URL: (status, seconds, body) or an error text."""

    def __init__(self, answers: dict):
        self.answers = answers
        self.asked: list[str] = []

    def __call__(self, url: str, timeout: float) -> Fetched:
        self.asked.append(url)
        answer = self.answers.get(url, (404, 0.01, "<html><body>404</body></html>"))
        if isinstance(answer, str):
            return Fetched(url, None, timeout, error=answer)
        status, seconds, body = answer
        kind = "application/xml" if url.endswith(".xml") else "text/html"
        return Fetched(url, status, seconds, kind, body.encode("utf-8"), url)


def test_probe_judges_reachability_identity_and_https():
    base = "http://127.0.0.1:8080/"
    without_icp = HOME_HTML.replace("赣ICP备00000001号-1", "")
    web = FakeWeb({base: (200, 0.05, HOME_HTML), base + "stories/": (200, 0.1, without_icp),
                   base + "notices/": (200, 0.1, HOME_HTML)})
    probe = probe_site(base, FOOTER, web, sample_size=10)
    assert web.asked == [base, base + "sitemap.xml", base + "stories/", base + "notices/"]
    assert [p.status for p in probe.pages] == [200, 200, 200] and probe.sample_source == "首页链接"
    assert "没有找到网站地图（sitemap.xml），只从首页的链接中抽查。" in probe.notes
    assert probe.identity_summary() == [("网站标识码", "1234567890", 3), ("ICP备案号", "赣ICP备00000001号-1", 2),
                                        ("公安机关备案号", "赣公网安备00000000000001号", 3)]
    result = evaluate(site([story("a", ago(0))], [column("news")]), [], JUDGED, probe=probe)
    assert not indicator(result, "reachability").triggered
    identity = indicator(result, "footer-identity")
    assert identity.problems == 1 and "ICP备案号“赣ICP备00000001号-1”：抽查的3个页面中1个页脚没有。" in identity.evidence
    assert indicator(result, "https").problems == 1 and indicator(result, "online-links").problems == 0

    # a 404 is a broken page; a page that takes 15 s or more, or never answers, makes the site unreachable
    slow = FakeWeb({base: (200, 0.05, HOME_HTML), base + "stories/": (404, 0.01, "无"),
                    base + "notices/": (200, 16.0, HOME_HTML)})
    result = evaluate(site([story("a", ago(0))], [column("news")]), [], JUDGED, probe=probe_site(base, FOOTER, slow))
    assert indicator(result, "online-links").problems == 1 and indicator(result, "reachability").triggered
    assert any("超过15秒，按无法访问计" in line for line in indicator(result, "reachability").evidence)

    down = probe_site("https://mz.example.gov.cn/", FOOTER, FakeWeb({"https://mz.example.gov.cn/": "连接被拒绝"}))
    assert len(down.pages) == 1 and down.https and "首页无法正常打开，未抽查其他页面。" in down.notes
    result = evaluate(site([story("a", ago(0))], [column("news")]), [], JUDGED, probe=down)
    assert indicator(result, "reachability").triggered and not indicator(result, "footer-identity").judged
    assert indicator(result, "https").problems == 0 and "无法打开（连接被拒绝" in render(result, "text")
