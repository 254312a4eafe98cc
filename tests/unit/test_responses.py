"""回应关切 (情况通报): the response page kind from its front matter to the home page's pin, its listing and feed,
the inspection's 回应关切 column and ``mzpress new response``.

Each test writes real files into a project made from the repository's configuration and loads it with the
content model at a fixed moment (Asia/Shanghai); the templates are rendered with the theme's Jinja settings.
"""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path

import pytest

from mzpress.cli import main
from mzpress.model.addresses import generated_srcs
from mzpress.model.config import load_config
from mzpress.model.content import classify, load_site
from mzpress.model.findings import Severity
from mzpress.model.frontmatter import split
from mzpress.model.schema import TIMEZONE, validate
from mzpress.publishing.feeds import atom_xml, site_feeds
from mzpress.publishing.inspection import BackdatingEvidence, column_pages, evaluate
from mzpress.publishing.listings import (
    StoryNeighbours,
    generated_pages,
    home_lists,
    home_sections,
    section_titles,
)
from mzpress.publishing.page_context import page_context
from tests.support.project import REPO_ROOT, add_story, new_project, write
from tests.support.theme import theme_env

ATOM = "{http://www.w3.org/2005/Atom}"
HOSTILE = '<script>alert(1)</script> & "引号"'
RESPONSE_SRC = "responses/2026/tingye-tongbao.md"


def at(text: str) -> dt.datetime:
    return dt.datetime.strptime(text, "%Y-%m-%d %H:%M").replace(tzinfo=TIMEZONE)


def response_text(title: str = "关于某养老服务站暂停服务问题的情况通报", date: str = "2026-11-20 09:00",
                  extra: str = "", summary: str = "已核查，服务站已恢复助餐服务。") -> str:
    return (f"---\ntitle: {title}\ndate: {date}\nunit: elderly-care\nauthor: 测试作者\neditor: 测试编辑\n"
            f"summary: {summary}\n{extra}---\n\n经核查，情况基本属实，现通报如下。\n")


@pytest.fixture
def project(tmp_path):
    return new_project(tmp_path / "p")


def add_response(root: Path, slug: str = "tingye-tongbao", year: int = 2026, **fields) -> Path:
    return write(root / "content" / "responses" / str(year) / f"{slug}.md", response_text(**fields))


def errors(findings) -> list:
    return [f for f in findings if f.severity == Severity.ERROR]


def _validate(root: Path, text: str):
    relpath = f"content/{RESPONSE_SRC}"
    document = split(text, relpath)
    config, _ = load_config(root)
    return validate("response", document.meta, relpath, config)


# --- the page kind and its front matter ---------------------------------------------------------


def test_responses_are_their_own_kind_by_folder():
    assert classify("responses/2026/tingye-tongbao.md") == ("response", {"year": "2026", "slug": "tingye-tongbao"})
    assert classify("responses/tingye-tongbao.md") is None  # misplaced: content.misplaced names the right folder


def test_issuer_defaults_to_the_sites_name_and_pin_days_to_seven(project):
    values, findings = _validate(project, response_text())
    assert errors(findings) == []
    assert values["issuer"] == "示例县民政局"  # name: in site_config/site.yml
    assert values["pin_days"] == 7
    values, findings = _validate(project, response_text(extra="issuer: 示例县人民政府办公室\npin_days: 3\n"))
    assert errors(findings) == [] and (values["issuer"], values["pin_days"]) == ("示例县人民政府办公室", 3)


@pytest.mark.parametrize("extra, rule", [
    ("pin_days: 0\n", "schema.invalid"),
    ("pin_days: 七天\n", "schema.invalid"),
    ("pin_days: true\n", "schema.invalid"),
    ("pin_days: 31\n", "schema.pin-days"),
    ("issuer: <b>示例县民政局</b>\n", "schema.markup"),
    ("issuer: [示例县民政局]\n", "schema.invalid"),
])
def test_bad_issuer_and_pin_days_are_errors_at_their_line(project, extra, rule):
    _, findings = _validate(project, response_text(extra=extra))
    found = errors(findings)
    assert [(f.rule, f.line) for f in found] == [(rule, 8)], found  # line 8: after ---, the 6 fields, summary
    assert found[0].suggestion  # says how to fix it


def test_a_response_needs_the_fields_of_a_story(project):
    text = "---\ntitle: 情况通报\ndate: 2026-11-20 09:00\nunit: office\n---\n\n正文。\n"
    _, findings = _validate(project, text)
    assert {f.message for f in errors(findings)} >= {"回应关切缺少作者（author）。", "回应关切缺少责任编辑（editor）。",
                                                     "回应关切缺少摘要（summary）。"}


def test_a_cover_like_a_storys_needs_its_file_and_its_description(project):
    add_response(project, extra="cover: images/tingye-1.jpg\n")
    _, findings = load_site(project, at("2026-11-21 09:00"))
    assert sorted(f.rule for f in errors(findings)) == ["images.missing", "schema.missing"]
    (missing,) = [f for f in errors(findings) if f.rule == "schema.missing"]
    assert "cover_alt" in missing.message


def test_an_invalid_response_is_not_published(project):
    add_response(project, extra="pin_days: 99\n")
    site, findings = load_site(project, at("2026-11-21 09:00"))
    assert [f.rule for f in errors(findings)] == ["schema.pin-days"]
    assert site.responses == [] and home_lists(site).pinned == []


# --- the home page's pin --------------------------------------------------------------------------


@pytest.mark.parametrize("now, pinned", [
    ("2026-11-20 08:59", False),  # scheduled: not yet published
    ("2026-11-20 09:00", True),  # from its date
    ("2026-11-27 08:59", True),  # the 7th day, a minute before date + 7 days
    ("2026-11-27 09:00", False),  # date + pin_days: no longer pinned
    ("2026-12-30 09:00", False),
])
def test_pinned_for_pin_days_after_its_date(project, now, pinned):
    add_response(project)
    site, findings = load_site(project, at(now))
    assert errors(findings) == []
    assert [p.src for p in home_lists(site).pinned] == ([RESPONSE_SRC] if pinned else [])
    # after its pin it stays in its column (and feed) as long as it is published
    assert [p.src for p in site.responses] == ([] if now < "2026-11-20 09:00" else [RESPONSE_SRC])


def test_pin_days_from_the_front_matter(project):
    add_response(project, extra="pin_days: 2\n")
    assert home_lists(load_site(project, at("2026-11-22 08:59"))[0]).pinned
    assert not home_lists(load_site(project, at("2026-11-22 09:00"))[0]).pinned


def test_newer_stories_never_push_a_pinned_response_off(project):
    add_response(project, date="2026-11-20 09:00")
    for n in range(12):  # more than listing.home_latest (8), every one newer than the response
        add_story(project, 2026, f"new-{n:02d}", title=f"新稿件{n}", date=f"2026-11-2{1 + n // 6} {10 + n % 6}:00")
    site, findings = load_site(project, at("2026-11-23 09:00"))
    assert errors(findings) == []
    sections = home_sections(site)
    assert [item["title"] for item in sections["pinned"]["items"]] == ["关于某养老服务站暂停服务问题的情况通报"]
    assert len(sections["latest"]["cards"]) == 8  # the stories keep their own count
    item = sections["pinned"]["items"][0]
    assert item["issuer"] == "示例县民政局" and item["time"] == "2026-11-20 09:00"
    assert item["url"] == "responses/2026/tingye-tongbao/" and item["date_iso"] == "2026-11-20T09:00:00+08:00"
    assert sections["pinned"]["more_url"] == "responses/"


def test_several_pinned_newest_first_and_withdrawn_or_draft_ones_never(project):
    add_response(project, "a-tongbao", date="2026-11-18 09:00")
    add_response(project, "b-tongbao", date="2026-11-19 09:00", extra="issuer: 示例县人民政府办公室\n")
    add_response(project, "c-tongbao", date="2026-11-19 10:00", extra="draft: true\n")
    add_response(project, "d-tongbao", date="2026-11-19 11:00",
                 extra="withdrawn:\n  date: 2026-11-19 12:00\n  reason: 情况已变化\n")
    site, findings = load_site(project, at("2026-11-20 09:00"))
    assert errors(findings) == []
    pinned = home_sections(site)["pinned"]["items"]
    assert [(i["url"], i["issuer"]) for i in pinned] == [("responses/2026/b-tongbao/", "示例县人民政府办公室"),
                                                         ("responses/2026/a-tongbao/", "示例县民政局")]


def test_pinned_partial_shows_issuer_and_time_and_escapes_every_value(project):
    add_response(project)
    site, _ = load_site(project, at("2026-11-21 09:00"))
    page = site.responses[0]
    page.values["title"] = HOSTILE  # markup is an error in check; the template escapes it all the same
    page.values["issuer"] = "<b>示例县民政局</b>"
    page.values["summary"] = "<img src=x onerror=alert(1)>摘要"
    html = theme_env().get_template("partials/mzpress/home.html").render(home=home_sections(site))

    class Tags(HTMLParser):
        def __init__(self):
            super().__init__()
            self.tags, self.text = [], []

        def handle_starttag(self, tag, attrs):
            self.tags.append((tag, dict(attrs)))

        def handle_data(self, data):
            self.text.append(data)

    parsed = Tags()
    parsed.feed(html)
    assert not [tag for tag, _ in parsed.tags if tag in ("script", "b", "img")]
    assert "&lt;b&gt;示例县民政局&lt;/b&gt;" in html and "&lt;script&gt;" in html
    sections = [attrs.get("class") for tag, attrs in parsed.tags if tag == "section"]
    assert sections[0] == "mz-section mz-pinned"  # the first section of the home page
    text = "".join(parsed.text)
    assert "发布机关：<b>示例县民政局</b>" in text and "发布时间：2026-11-20 09:00" in text
    times = [attrs["datetime"] for tag, attrs in parsed.tags if tag == "time"]
    assert times[0] == "2026-11-20T09:00:00+08:00"


def test_no_pinned_section_without_a_pinned_response(project):
    add_response(project)
    site, _ = load_site(project, at("2026-12-20 09:00"))
    html = theme_env().get_template("partials/mzpress/home.html").render(home=home_sections(site))
    assert "mz-pinned" not in html and "回应关切" not in html


# --- the column's listing, its feed and the page --------------------------------------------------


def test_listing_page_lists_every_response_under_its_issuer(project):
    add_response(project, "a-tongbao", date="2026-01-10 09:00")
    add_response(project, "b-tongbao", date="2026-11-19 09:00", extra="issuer: 示例县人民政府办公室\n")
    add_story(project, 2026, "gushi", title="故事", date="2026-11-19 10:00")
    site, _ = load_site(project, at("2026-11-20 09:00"))
    pages = {page.src: page for page in generated_pages(site)}
    assert generated_srcs(site) == list(pages)
    listing = pages["responses/index.md"].listing
    assert listing["kind"] == "responses" and listing["title"] == "回应关切"
    assert [(i["url"], i["unit"]) for i in listing["items"]] == [("2026/b-tongbao/", "示例县人民政府办公室"),
                                                                 ("2026/a-tongbao/", "示例县民政局")]
    assert pages["responses/index.md"].meta["mz_trail"]["current"] == "回应关切"
    assert section_titles(site)["responses/"] == "回应关切"


def test_an_empty_column_still_has_its_page(project):
    site, _ = load_site(project, at("2026-11-20 09:00"))
    listing = {page.src: page for page in generated_pages(site)}["responses/index.md"].listing
    assert listing["items"] == [] and listing["empty_text"] == "暂无回应关切信息。"


def test_feed_holds_the_listed_responses_with_the_issuer(project):
    add_response(project, "a-tongbao", date="2026-01-10 09:00")
    add_response(project, "b-tongbao", date="2026-11-19 09:00", extra="issuer: 示例县人民政府办公室\n")
    add_response(project, "c-tongbao", date="2026-12-19 09:00")  # scheduled
    add_story(project, 2026, "gushi", title="故事", date="2026-11-19 10:00")
    site, _ = load_site(project, at("2026-11-20 09:00"))
    feeds = {feed.path: feed for feed in site_feeds(site)}
    feed = feeds["feeds/responses.xml"]
    assert feed.page_url == "responses/"
    root = ET.fromstring(atom_xml(feed, site, {"responses/2026/b-tongbao.md": "<p>经核查……</p>"}))
    assert root.findtext(f"{ATOM}title") == "示例县民政局·回应关切"
    entries = root.findall(f"{ATOM}entry")
    assert [e.findtext(f"{ATOM}id") for e in entries] == ["https://mz.example.gov.cn/responses/2026/b-tongbao/",
                                                          "https://mz.example.gov.cn/responses/2026/a-tongbao/"]
    assert [e.findtext(f"{ATOM}contributor/{ATOM}name") for e in entries] == ["示例县人民政府办公室", "示例县民政局"]
    assert entries[0].findtext(f"{ATOM}content") == "<p>经核查……</p>"
    assert "故事" not in [e.findtext(f"{ATOM}title") for e in entries]
    assert all(story.kind == "story" for story in feeds["feeds/all.xml"].stories)


def test_page_context_shows_the_issuer_as_its_source(project):
    add_response(project, extra="issuer: 示例县人民政府办公室\npin_days: 3\n")
    site, _ = load_site(project, at("2026-11-21 09:00"))
    context = page_context(site, site.responses[0], StoryNeighbours(site))
    assert context["kind_label"] == "回应关切" and context["source"] == "示例县人民政府办公室"
    assert context["response"] == {"issuer": "示例县人民政府办公室", "pin_days": 3,
                                   "pinned_until": "2026-11-23 09:00", "pinned": True}


# --- the inspection's 回应关切 column -------------------------------------------------------------


def _inspect(root: Path, now: str):
    site, findings = load_site(root, at(now))
    assert errors(findings) == []
    (column,) = [c for c in site.config.columns if c.contains == "responses"]
    return site, column, evaluate(site, [], BackdatingEvidence(True))


def test_the_sample_columns_have_a_responses_column():
    config, findings = load_config(REPO_ROOT)
    assert errors(findings) == []
    (column,) = [c for c in config.columns if c.contains == "responses"]
    assert (column.name, column.path, column.kind, column.update_days) == ("回应关切", "responses/", "notice", 180)


def test_inspection_counts_responses_in_their_column_only(project):
    add_response(project, "a-tongbao", date="2026-06-01 09:00")
    add_response(project, "b-tongbao", date="2026-11-01 09:00")
    add_response(project, "c-tongbao", date="2026-11-10 09:00", extra="draft: true\n")
    add_story(project, 2026, "gushi", title="故事", date="2026-11-19 10:00")
    site, column, result = _inspect(project, "2026-11-20 09:00")
    assert sorted(p.src for p in column_pages(site, column)) == ["responses/2026/a-tongbao.md",
                                                                 "responses/2026/b-tongbao.md"]  # not the draft
    (state,) = [s for s in result.columns if s.column.id == column.id]
    assert (state.page_count, state.age_days, state.stale, state.empty) == (2, 19, False, False)
    assert state.last_page == "content/responses/2026/b-tongbao.md"
    news = [s for s in result.columns if s.column.contains == "stories" and not s.column.topic][0]
    assert news.last_page == "content/stories/2026/gushi.md"  # responses are not stories


def test_an_empty_or_stale_responses_column_is_reported(project):
    _, _, result = _inspect(project, "2026-11-20 09:00")
    (state,) = [s for s in result.columns if s.column.contains == "responses"]
    assert state.empty and state.page_count == 0
    (empty,) = [i for i in result.indicators if i.key == "empty-columns"]
    assert "回应关切" in " ".join(empty.evidence)
    add_response(project, date="2026-01-10 09:00")
    _, _, result = _inspect(project, "2026-11-20 09:00")  # 314 days: over 180
    (state,) = [s for s in result.columns if s.column.contains == "responses"]
    assert state.stale and not state.empty and state.age_days == 314


def test_a_pinned_response_is_news_on_the_home_page(project):
    for path in (project / "content" / "notices").rglob("*.md"):
        path.unlink()  # only the response and an old story are on the home page
    add_story(project, 2026, "old", title="旧稿", date="2026-09-01 09:00")
    add_response(project, date="2026-11-18 09:00")
    _, _, result = _inspect(project, "2026-11-20 09:00")
    assert result.home.newest_page == "content/responses/2026/tingye-tongbao.md" and result.home.age_days == 2


# --- mzpress new response -------------------------------------------------------------------------


def test_new_response_writes_a_valid_page_with_issuer_and_pin_days(tmp_path, capsys):
    root = new_project(tmp_path / "site", with_sample_pages=False)
    args = ["--title", "关于网民反映某社区养老服务站暂停服务问题的情况通报", "--unit", "elderly-care",
            "--author", "李晓梅", "--editor", "王建国", "--date", "2026-11-20 09:00", "--summary", "已核查处理。"]
    assert main(["--root", str(root), "new", "response", *args]) == 0
    out = capsys.readouterr().out
    relpath = out.split("：", 1)[1].split("\n", 1)[0]
    assert relpath.startswith("content/responses/2026/") and "已新建回应关切" in out and "pin_days" in out
    text = (root / relpath).read_text(encoding="utf-8")
    assert "\nissuer: 示例县民政局\npin_days: 7\n" in text
    document = split(text, relpath)
    values, findings = validate("response", document.meta, relpath, load_config(root)[0])
    assert findings == [] and values["pin_days"] == 7
    assert main(["--root", str(root), "new", "response", *args, "--issuer", "示例县人民政府办公室", "--pin-days", "3",
                 "--slug", "second"]) == 0
    second = (root / "content/responses/2026/second.md").read_text(encoding="utf-8")
    assert "\nissuer: 示例县人民政府办公室\npin_days: 3\n" in second


@pytest.mark.parametrize("kind, extra, message", [
    ("response", ["--pin-days", "0"], "1到30天"),
    ("response", ["--pin-days", "45"], "1到30天"),
    ("story", ["--issuer", "示例县民政局"], "只有回应关切"),
    ("notice", ["--pin-days", "3"], "只有回应关切"),
])
def test_new_refuses_bad_pin_days_and_response_options_elsewhere(tmp_path, capsys, kind, extra, message):
    root = new_project(tmp_path / "site", with_sample_pages=False)
    code = main(["--root", str(root), "new", kind, "--title", "标题", "--unit", "office", "--author", "李晓梅",
                 "--editor", "王建国", "--date", "2026-11-20 09:00", "--summary", "摘要。", *extra])
    assert code == 2 and message in capsys.readouterr().err
    assert not (root / "content" / "responses").exists() and not list((root / "content").rglob("*.md"))
