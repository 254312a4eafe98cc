"""Listings as plain data (mzpress/publishing/listings.py) and the theme partials that render them.

The core hands the templates plain data with relative links; overrides/partials/mzpress/*.html
turn it into the markup readers get (the built site is checked in tests/integration). Here: the
addresses the data promises exist, and the partials escape every value, whatever a writer or an
administrator typed into front matter or site_config/.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from mzpress.model.addresses import generated_srcs
from mzpress.model.content import load_site
from mzpress.model.schema import TIMEZONE
from mzpress.publishing.listings import (
    campaign_members,
    generated_pages,
    home_sections,
    topic_listing,
)
from tests.support.project import REPO_ROOT, add_story, new_project
from tests.support.theme import theme_env
from tools.synthetic_corpus import generate

NOW = dt.datetime(2026, 11, 30, 23, 59, tzinfo=TIMEZONE)
HOSTILE = '<script>alert(1)</script> & "引号" \'单引号\''


class _Tags(HTMLParser):
    """Start tags with their attributes, in document order; text outside tags."""

    def __init__(self, text: str):
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []
        self.feed(text)
        self.close()

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data):
        self.text.append(data)

    def having(self, css: str) -> list[dict[str, str | None]]:
        return [attrs for _, attrs in self.tags if css in (attrs.get("class") or "").split()]


def _plain(value) -> bool:
    """Only what any template engine (and the page output cache's fingerprint) takes as is."""
    return json.loads(json.dumps(value)) == value


# --- the addresses -----------------------------------------------------------------------------


def test_generated_srcs_are_the_pages_generated_for_the_sample_site():
    site, _ = load_site(REPO_ROOT, NOW)
    pages = generated_pages(site)
    assert generated_srcs(site) == [page.src for page in pages]
    assert all(_plain(page.meta) and sum(kind in page.meta for kind in ("mz_listing", "mz_home", "mz_search")) == 1
               for page in pages)


def test_generated_srcs_are_the_pages_generated_for_a_synthetic_site(tmp_path):
    root = tmp_path / "project"
    new_project(root, with_sample_pages=False)
    generate(root, 90)
    (root / "content" / "index.md").unlink()  # the home page is then generated too
    site_yml = root / "site_config" / "site.yml"
    text = site_yml.read_text(encoding="utf-8")
    assert "page_size: 20" in text
    site_yml.write_text(text.replace("page_size: 20", "page_size: 4"), encoding="utf-8")
    site, _ = load_site(root, NOW)
    pages = generated_pages(site)
    srcs = [page.src for page in pages]
    assert generated_srcs(site) == srcs
    assert len(srcs) == len(set(srcs))
    # Further pages of every kind of paged listing, and the generated home page.
    assert "stories/page/2/index.md" in srcs and "notices/page/2/index.md" in srcs and "index.md" in srcs
    assert any(src.startswith("topics/") and "/page/2/" in src for src in srcs)
    assert any(src.startswith("stories/20") and "/page/2/" in src for src in srcs)
    by_src = {page.src: page for page in pages}
    assert "mz_home" in by_src["index.md"].meta
    archive = [by_src[src].listing for src in srcs if src.startswith("stories/") and src.count("/") <= 3
               and not src.startswith("stories/20")]
    assert sum(len(listing["items"]) for listing in archive) == len(site.stories)
    assert all(listing["pagination"]["total"] == len(archive) for listing in archive)


# --- the data ----------------------------------------------------------------------------------


@pytest.fixture
def hostile_site(tmp_path):
    """A site whose front matter and site_config values contain markup."""
    root = new_project(tmp_path / "p")
    for day in range(1, 4):
        add_story(root, 2026, f"h{day}", title=f"标题{day}", date=f"2026-11-0{day} 09:00", topics=("xiaoxian",),
                  summary=f"摘要{day}")
    site, findings = load_site(root, NOW)
    assert [f for f in findings if f.severity == "error"] == []
    # Markup in front matter is an error in check (schema.markup); the templates escape it all the
    # same (defence in depth), so the values are put in after loading.
    config = site.config  # frozen, and the check refuses markup in it: changed behind its back, for the test only
    topic = config.topic_by_id["xiaoxian"]
    object.__setattr__(topic, "description", HOSTILE + "弘扬孝老爱亲")
    link = config.site.quick_links[0]
    object.__setattr__(link, "name", "<b>县政府</b>")
    object.__setattr__(link, "url", 'https://www.example.gov.cn/?a=1&b="><script>x</script>')
    for page in site.stories:
        day = page.slug[-1]
        page.values["title"] = f"{HOSTILE}{day}"
        page.values["summary"] = f"<img src=x onerror=alert(1)>摘要{day}"
    return site


def test_topic_list_is_plain_data_with_links_relative_to_the_topic_page(hostile_site):
    listing, further = topic_listing(hostile_site, "xiaoxian", "topics/xiaoxian.md")
    assert further == [] and _plain(listing)
    assert listing["title"] == "孝贤文化相关稿件" and listing["heading_id"] == "mz-topic-stories"
    first = listing["items"][0]
    assert first == {"title": HOSTILE + "3", "url": "../../stories/2026/h3/", "date": "2026-11-03",
                     "date_iso": "2026-11-03T09:00:00+08:00", "unit": "办公室",
                     "summary": "<img src=x onerror=alert(1)>摘要3", "extra": {}}


def test_notice_items_carry_status_and_period(hostile_site):
    pages = {page.src: page for page in generated_pages(hostile_site)}
    items = pages["notices/index.md"].listing["items"]
    assert items and all(item["extra"]["status"] in ("公示中", "未开始", "已结束") for item in items)
    keys = {"公示中": "open", "未开始": "upcoming", "已结束": "closed"}
    assert all(item["extra"]["status_key"] == keys[item["extra"]["status"]] for item in items)
    assert all(set(item["extra"]["period"]) == {"start", "end"} for item in items)
    home = home_sections(hostile_site)
    assert home["notices"]["title"] == "通知公告"  # the column's name in the menu
    open_notices = [item for item in items if item["extra"]["status"] == "公示中"]
    others = [item for item in items if item["extra"]["status"] != "公示中"]
    expected = (open_notices + others)[:max(hostile_site.config.site.listing.home_latest, len(open_notices))]
    assert open_notices and [item["title"] for item in home["notices"]["items"]] == [item["title"] for item in expected]
    assert [item["url"] for item in home["notices"]["items"]] == ["notices/" + item["url"] for item in expected]
    assert [item["extra"] for item in home["notices"]["items"]] == [item["extra"] for item in expected]


def test_campaign_members_are_listed_under_a_heading(hostile_site):
    campaign = hostile_site.by_src["campaigns/zuimei-chuangkou/index.md"]
    listing = campaign_members(hostile_site, campaign)
    assert listing["title"] == "候选对象" and listing["heading_id"] == "mz-campaign-members"
    members = hostile_site.members_by_campaign["zuimei-chuangkou"]
    assert members and [item["url"] for item in listing["items"]] == [m.url[len(campaign.url):] for m in members]
    assert all(item["url"].count("/") == 1 for item in listing["items"])  # "<slug>/", beside the campaign page


# --- the partials ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def env():
    return theme_env()


def _render(env, template: str, **context) -> str:
    return env.get_template(template).render(**context)


def _assert_no_markup_from_values(html: str) -> None:
    parsed = _Tags(html)
    assert not [tag for tag, _ in parsed.tags if tag in ("script", "b")]
    assert all(attrs.get("class") == "mz-card-cover" for tag, attrs in parsed.tags if tag == "img")
    assert all("onerror" not in attrs for _, attrs in parsed.tags)
    assert "<script" not in html and "<b>" not in html and "<img src=x" not in html


def test_a_listing_page_renders_items_years_and_pagination(env, hostile_site):
    pages = {page.src: page for page in generated_pages(hostile_site)}
    html = _render(env, "partials/mzpress/listing.html", listing=pages["stories/index.md"].listing)
    _assert_no_markup_from_values(html)
    parsed = _Tags(html)
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &#34;引号&#34; &#39;单引号&#39;3" in html
    assert [a["href"] for a in parsed.having("mz-item-title")][:3] == ["2026/h3/", "2026/h2/", "2026/h1/"]
    assert parsed.having("mz-archive-years") and parsed.having("mz-years")
    assert "按年份浏览" in "".join(parsed.text) and parsed.having("mz-count")
    assert not parsed.having("mz-pagination")  # one page only
    assert html.count("\n") <= 2  # entries are one line each: inline parts have no whitespace between them


def test_pagination_links_and_current_page(env):
    pagination = {"current": 2, "total": 3, "prev_url": "../../", "next_url": '../3/"><script>',
                  "pages": [{"number": 1, "url": "../../", "current": False},
                            {"number": 2, "url": "./", "current": True},
                            {"number": 3, "url": "../3/", "current": False}]}
    html = _render(env, "partials/mzpress/pagination.html", pagination=pagination)
    parsed = _Tags(html)
    (nav,) = [attrs for tag, attrs in parsed.tags if tag == "nav"]
    assert nav == {"class": "mz-pagination", "aria-label": "分页"}
    assert parsed.having("mz-page-prev") == [{"class": "mz-page-prev", "href": "../../", "rel": "prev"}]
    assert parsed.having("mz-page-next") == [{"class": "mz-page-next", "href": '../3/"><script>', "rel": "next"}]
    assert parsed.having("mz-page-current") == [{"class": "mz-page-current", "aria-current": "page"}]
    assert "<script" not in html and "共 3 页" in html and "上一页" in html and "下一页" in html
    single = dict(pagination, total=1)
    assert _render(env, "partials/mzpress/pagination.html", pagination=single).strip() == ""


def test_notice_badges_in_a_listing(env, hostile_site):
    pages = {page.src: page for page in generated_pages(hostile_site)}
    html = _render(env, "partials/mzpress/listing.html", listing=pages["notices/index.md"].listing)
    parsed = _Tags(html)
    statuses = [attrs["class"] for attrs in parsed.having("mz-status")]
    assert statuses and all(css.split()[1] in ("mz-status-open", "mz-status-upcoming", "mz-status-closed")
                            for css in statuses)
    assert "公示期：" in html and " 至 " not in html


def test_an_empty_listing_says_so(env, tmp_path):
    site, _ = load_site(new_project(tmp_path / "p", with_sample_pages=False), NOW)
    pages = {page.src: page for page in generated_pages(site)}
    html = _render(env, "partials/mzpress/listing.html", listing=pages["stories/index.md"].listing)
    assert '<div class="mz-listing"><p class="mz-empty">暂无稿件。</p></div>' in html and "<ul class=\"mz-list" not in html


def test_topic_list_heading_and_topic_grid(env, hostile_site):
    listing, _ = topic_listing(hostile_site, "xiaoxian", "topics/xiaoxian.md")
    html = _render(env, "partials/mzpress/listing.html", listing=listing)
    assert html.lstrip().startswith('<h2 id="mz-topic-stories">孝贤文化相关稿件</h2>\n<div class="mz-listing">')
    pages = {page.src: page for page in generated_pages(hostile_site)}
    grid = _render(env, "partials/mzpress/listing.html", listing=pages["topics/index.md"].listing)
    _assert_no_markup_from_values(grid)
    parsed = _Tags(grid)
    assert len(parsed.having("mz-topic")) == 6 and parsed.having("mz-listing")
    assert [tag for tag, attrs in parsed.tags if tag == "a"] and "xiaoxian/" in grid
    assert "&lt;script&gt;" in grid and "3 篇" in grid


def test_home_sections(env, hostile_site):
    html = _render(env, "partials/mzpress/home.html", home=home_sections(hostile_site))
    _assert_no_markup_from_values(html)
    parsed = _Tags(html)
    # .mz-home's grid layout (mzpress.css) places its children by position: sections only, in this order.
    depth, children = 0, []

    class Children(HTMLParser):
        def handle_starttag(self, tag, attrs):
            nonlocal depth
            if depth == 1:
                children.append((tag, dict(attrs).get("class")))
            if tag not in ("img",):
                depth += 1

        def handle_endtag(self, tag):
            nonlocal depth
            depth -= 1

    Children().feed(html)
    assert children == [("section", "mz-section")] * 4 + [("section", "mz-section mz-quick-links")]
    headings = [text for text in parsed.text if text in ("最新动态", "通知公告", "专题活动", "文化专题", "快捷链接")]
    assert headings == ["最新动态", "通知公告", "专题活动", "文化专题", "快捷链接"]
    assert [a["href"] for a in parsed.having("mz-more")] == ["stories/", "notices/", "campaigns/", "topics/"]
    assert [a["href"] for a in parsed.having("mz-card-title")][:3] == ["stories/2026/h3/", "stories/2026/h2/",
                                                                        "stories/2026/h1/"]
    links = [attrs["href"] for tag, attrs in parsed.tags if tag == "a" and attrs.get("href", "").startswith("https://www.example")]
    assert links == ['https://www.example.gov.cn/?a=1&b="><script>x</script>']  # one attribute, escaped
    assert "&lt;b&gt;县政府&lt;/b&gt;" in html
    covers = parsed.having("mz-card-cover")
    assert all(set(c) == {"class", "src", "alt", "loading", "width", "height"} for c in covers)


def test_partials_escape_every_value():
    """MkDocs renders without autoescaping: every {{ … }} in mzpress's partials ends in | e."""
    templates = sorted((REPO_ROOT / "overrides" / "partials" / "mzpress").glob("*.html"))
    templates += [REPO_ROOT / "overrides" / "mzpress" / name for name in ("retired.html", "moved.html")]
    assert len(templates) >= 6
    for template in templates:
        text = Path(template).read_text(encoding="utf-8")
        assert "style=" not in text and "<script" not in text, template
        macros = re.findall(r"\{%-?\s*macro\s+(\w+)\(", text)  # their output is markup of this file
        for expression in text.split("{{")[1:]:
            inner = expression.split("}}", 1)[0].strip()
            called = re.match(r"(\w+)\(", inner)
            assert inner.endswith("| e") or inner in ("caller()", "super()") or (called and called.group(1) in macros), (
                template.name, inner)
