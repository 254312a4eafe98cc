"""Build the repository's sample site and inspect the HTML (build date fixed to 2026-11-30).

The expectations are computed from the Markdown with plain PyYAML, independently of mzpress.
"""

from __future__ import annotations

import datetime as dt
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin

import pytest
import yaml

from mzpress.model.config import load_config
from tests.support.project import REPO_ROOT
from tools.search_index_files import indexed_pages

BUILD = dt.datetime(2026, 11, 30, 23, 59, 59)
CONTENT = REPO_ROOT / "content"


def _front_matter(path: Path) -> dict:
    text = path.read_text(encoding="utf-8")
    return yaml.safe_load(text.split("---\n", 2)[1])


def _when(value) -> dt.datetime:
    if isinstance(value, dt.datetime):
        return value
    if isinstance(value, dt.date):
        return dt.datetime(value.year, value.month, value.day)
    return dt.datetime.strptime(str(value), "%Y-%m-%d %H:%M")


def _stories():
    for path in sorted(CONTENT.glob("stories/*/*.md")):
        meta = _front_matter(path)
        yield path.relative_to(CONTENT).with_suffix("").as_posix(), meta


def _published(meta) -> bool:
    return not meta.get("draft") and _when(meta["date"]) <= BUILD and not (meta.get("withdrawn") or {}).get("unpublish")


PUBLISHED = {key: meta for key, meta in _stories() if _published(meta) and not meta.get("withdrawn")}
HIDDEN = {key: meta for key, meta in _stories() if not _published(meta)}


class _Links(HTMLParser):
    """Collects hrefs of anchors inside elements with a given class."""

    def __init__(self, container_class: str, anchor_class: str):
        super().__init__()
        self.container, self.anchor = container_class, anchor_class
        self.depth = 0
        self.hrefs: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        classes = (attrs.get("class") or "").split()
        if self.depth:
            self.depth += 1 if tag not in ("img", "br", "input", "meta", "link") else 0
        elif self.container in classes:
            self.depth = 1
        if self.depth and tag == "a" and self.anchor in classes:
            self.hrefs.append(attrs["href"])

    def handle_endtag(self, tag):
        if self.depth:
            self.depth -= 1


def _listing(site: Path, page_url: str) -> list[str]:
    """Story keys (stories/YYYY/slug) listed on the page at ``page_url``, in order."""
    parser = _Links("mz-listing", "mz-item-title")
    parser.feed((site / page_url / "index.html").read_text(encoding="utf-8"))
    base = "http://x/" + page_url
    return [urljoin(base, href)[len("http://x/"):].rstrip("/") for href in parser.hrefs]


def test_sample_has_what_the_issue_asks_for():
    assert len(PUBLISHED) >= 15
    years = {key.split("/")[1] for key in PUBLISHED}
    assert len(years) >= 2
    assert any(meta.get("draft") for meta in HIDDEN.values()), "a draft story"
    assert any(_when(meta["date"]) > BUILD for meta in HIDDEN.values()), "a future-dated story"


TOPICS = [t["id"] for t in yaml.safe_load((REPO_ROOT / "site_config/topics.yml").read_text(encoding="utf-8"))["topics"]]


@pytest.mark.parametrize("topic", TOPICS)
def test_each_topic_page_lists_exactly_its_stories_newest_first(sample_site, topic):
    expected = sorted((k for k, m in PUBLISHED.items() if topic in (m.get("topics") or [])),
                      key=lambda k: (_when(PUBLISHED[k]["date"]), k), reverse=True)
    assert expected, f"sample content has no story in {topic}"
    assert _listing(sample_site, f"topics/{topic}/") == expected


def test_year_archives_list_every_published_story(sample_site):
    listed = []
    for year_dir in sorted((sample_site / "stories").glob("[0-9][0-9][0-9][0-9]")):
        url = f"stories/{year_dir.name}/"
        listed += _listing(sample_site, url)
        page = 2
        while (sample_site / url / f"page/{page}/index.html").exists():
            listed += _listing(sample_site, f"{url}page/{page}/")
            page += 1
    assert sorted(listed) == sorted(PUBLISHED)


def test_drafts_and_future_stories_are_absent_everywhere(sample_site):
    assert HIDDEN
    sitemap = (sample_site / "sitemap.xml").read_text(encoding="utf-8")
    index = indexed_pages(sample_site)
    locations = " ".join(index)
    indexed_text = " ".join(page.text + " ".join(page.meta.values()) for page in index.values())
    all_html = "\n".join(p.read_text(encoding="utf-8") for p in sample_site.rglob("*.html"))
    for key, meta in HIDDEN.items():
        slug = key.rsplit("/", 1)[1]
        assert not (sample_site / key / "index.html").exists(), key
        assert slug not in sitemap
        assert slug not in locations
        assert f"/{slug}/" not in all_html, f"{key} is linked from a page"
        assert meta["title"] not in all_html
        assert meta["title"] not in indexed_text


def test_published_stories_are_searchable(sample_site):
    index = indexed_pages(sample_site)
    locations = {url.strip("/") for url in index}
    assert set(PUBLISHED) <= locations
    assert "" not in locations  # the home page is the front door, not a search result
    assert not {"stories", "notices", "topics", "search", "sitemap"} & locations  # lists are not results
    for key in PUBLISHED:  # every story in full text, the oldest too: its last paragraph is in the index
        source = (CONTENT / key).with_suffix(".md").read_text(encoding="utf-8")
        last = [line for line in source.splitlines() if line.strip() and not line.startswith(("#", "!", "|", ">"))][-1]
        words = re.sub(r"[*_`\[\]()]", "", last)[:12]
        assert words in index[f"/{key}/"].text, (key, words)
        assert index[f"/{key}/"].meta["date"] and index[f"/{key}/"].meta["unit"]
        assert "发布时间：" not in index[f"/{key}/"].text and "打印本页" not in index[f"/{key}/"].text


def test_story_page_has_the_article_meta_line(sample_site):
    units = {u["id"]: u["name"] for u in
             yaml.safe_load((REPO_ROOT / "site_config/units.yml").read_text(encoding="utf-8"))["units"]}
    for key, meta in PUBLISHED.items():
        html = (sample_site / key / "index.html").read_text(encoding="utf-8")
        assert f"发布时间：<time datetime=\"{_when(meta['date']).isoformat()}+08:00\">" in html
        assert f"来源：{units[meta['unit']]}" in html
        assert f"作者：{meta['author']}" in html
        assert f"责任编辑：{meta['editor']}" in html


def test_every_page_carries_the_footer_identity(sample_site):
    footer = yaml.safe_load((REPO_ROOT / "site_config/site.yml").read_text(encoding="utf-8"))["footer"]
    pages = list(sample_site.rglob("index.html"))
    assert len(pages) > 30
    for page in pages:
        html = page.read_text(encoding="utf-8")
        for key in ("sponsor", "site_code", "icp", "phone", "address"):
            assert str(footer[key]) in html, (page, key)
        assert footer["police_record"]["code"] in html, page
        assert "网站标识码" in html and "主办单位" in html


def test_notice_status_for_the_build_date(sample_site):
    notices = {}
    for path in sorted(CONTENT.glob("notices/*/*.md")):
        meta = _front_matter(path)
        if _published(meta):
            today = BUILD.date()
            status = "未开始" if today < meta["start"] else "已结束" if today > meta["end"] else "公示中"
            notices[path.relative_to(CONTENT).with_suffix("").as_posix()] = status
    assert set(notices.values()) >= {"公示中", "已结束", "未开始"}
    listing = (sample_site / "notices/index.html").read_text(encoding="utf-8")
    for key, status in notices.items():
        page = (sample_site / key / "index.html").read_text(encoding="utf-8")
        assert re.search(rf'class="mz-status mz-status-\w+">{status}<', page), key
        slug = key.rsplit("/", 1)[1]
        item = re.search(rf'href="[^"]*{slug}/".*?</li>', listing).group(0)
        assert f">{status}<" in item
    home = (sample_site / "index.html").read_text(encoding="utf-8").split('class="mz-section"', 2)[2]
    shown = [key for key in notices if _front_matter(CONTENT / f"{key}.md")["title"] in home.split("</section>", 1)[0]]
    # the home page's 通知公告: every notice in its period, with its badge, then the newest others
    assert {key for key, status in notices.items() if status == "公示中"} <= set(shown)
    home_latest = load_config(REPO_ROOT)[0].site.listing.home_latest
    assert len(shown) == min(len(notices), max(home_latest, sum(status == "公示中" for status in notices.values())))


def test_campaign_pages_list_their_members(sample_site):
    for index in sorted(CONTENT.glob("campaigns/*/index.md")):
        campaign = index.parent.name
        members = sorted(p.stem for p in index.parent.glob("*.md") if p.name != "index.md"
                         and _published(_front_matter(p)))
        listed = _listing(sample_site, f"campaigns/{campaign}/")
        assert sorted(k.rsplit("/", 1)[1] for k in listed) == members



def test_lists_on_topic_and_campaign_pages_open_with_a_heading(sample_site):
    names = {t["id"]: t["name"] for t in
             yaml.safe_load((REPO_ROOT / "site_config/topics.yml").read_text(encoding="utf-8"))["topics"]}
    for topic in TOPICS:
        html = (sample_site / "topics" / topic / "index.html").read_text(encoding="utf-8")
        assert re.search(rf'<h2 id="mz-topic-stories">{names[topic]}相关稿件</h2>\s*<div class="mz-listing">', html)
    for index in sorted(CONTENT.glob("campaigns/*/index.md")):
        label = "候选对象" if _front_matter(index).get("kind") == "selection" else "活动场次"
        html = (sample_site / "campaigns" / index.parent.name / "index.html").read_text(encoding="utf-8")
        assert re.search(rf'<h2 id="mz-campaign-members">{label}</h2>\s*<div class="mz-listing">', html)
    # The lists are the templates' (not the pages' text): the search index holds each story once, at its own page.
    for url, page in indexed_pages(sample_site).items():
        if url.startswith(("/topics/", "/campaigns/")):
            assert "相关稿件" not in page.text and "候选对象" not in page.text, url


_RESOURCE_ATTR = re.compile(r"""<(?:script|img|iframe|source|video|audio|embed|object)\b[^>]*?\s(?:src|data|srcset)=["']([^"']+)""", re.I)
_LINK_TAG = re.compile(r"<link\b[^>]*>", re.I)
# <link> elements that make the browser fetch something (canonical/alternate links are just metadata).
_FETCHING_RELS = {"stylesheet", "icon", "preload", "modulepreload", "prefetch", "manifest", "apple-touch-icon"}


def _fetched_links(html: str) -> list[str]:
    urls = []
    for tag in _LINK_TAG.findall(html):
        rel = re.search(r"""rel=["']([^"']+)""", tag)
        href = re.search(r"""href=["']([^"']+)""", tag)
        if rel and href and set(rel.group(1).lower().split()) & _FETCHING_RELS:
            urls.append(href.group(1))
    return urls
_CSS_URL = re.compile(r"""url\(\s*["']?([^"')]+)|@import\s+["']([^"']+)""")
# An absolute URL opening a JavaScript string literal (URLs in licence comments are not requests).
_JS_URL = re.compile(r"""["'`](https?://[^"'`\s]+)""")
# Literals in Material's bundle that never make a request here: XML namespaces, and the repository
# facts APIs (GitHub, GitLab), which only run when repo_url is set; the mzpress plugin refuses repo_url.
_JS_ALLOWED = ("http://www.w3.org/", "https://api.github.com/", "https://${e}/api/v4/")


def _external(url: str) -> bool:
    return url.startswith(("http://", "https://", "//"))


def test_nothing_is_loaded_from_another_host(sample_site):
    offenders = []
    for path in sample_site.rglob("*"):
        if path.suffix == ".html":
            text = path.read_text(encoding="utf-8")
            urls = _RESOURCE_ATTR.findall(text) + _fetched_links(text)
            offenders += [(path.name, u) for u in urls if _external(u)]
            for block in re.findall(r"<style[^>]*>(.*?)</style>", text, re.S):
                offenders += [(path.name, u) for pair in _CSS_URL.findall(block) for u in pair if u and _external(u)]
        elif path.suffix == ".css":
            text = path.read_text(encoding="utf-8")
            offenders += [(path.name, u) for pair in _CSS_URL.findall(text) for u in pair if u and _external(u)]
        elif path.suffix == ".js":
            text = path.read_text(encoding="utf-8")
            offenders += [(path.name, u) for u in _JS_URL.findall(text) if not u.startswith(_JS_ALLOWED)]
    assert offenders == []


def test_pages_load_no_material_bundle(sample_site):
    """No page loads Material's JavaScript bundle (nor its #__config): mzpress.js does what readers used of it.
    So the build publishes neither the bundle nor the polyfill only the bundle loads."""
    javascripts = sample_site / "assets/javascripts"
    assert sorted(p.name for p in javascripts.glob("bundle.*")) == []
    assert not (javascripts / "vendor").exists()
    for path in sample_site.rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        scripts = re.findall(r"<script\b[^>]*>", text)
        assert not [tag for tag in scripts if "bundle." in tag or "__config" in tag], path
    story = (sample_site / "stories/2024/chengguan-xiaolao-zhiyuan/index.html").read_text(encoding="utf-8")
    assert re.findall(r'<script src="([^"]+)"', story) == ["../../../assets/javascripts/mzpress-head.js",
                                                           "../../../assets/javascripts/mzpress.js"]
