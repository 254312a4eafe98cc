"""Atom feeds from the content model (pure core: no MkDocs)."""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET

from mzpress.model.content import load_site
from mzpress.model.schema import TIMEZONE
from mzpress.publishing.feeds import FEED_SIZE, absolute_urls, atom_xml, feed_links, site_feeds
from tests.support.project import add_story, new_project

ATOM = "{http://www.w3.org/2005/Atom}"
NOW = dt.datetime(2026, 11, 30, 23, 59, tzinfo=TIMEZONE)


def _site(tmp_path, stories):
    root = new_project(tmp_path / "p")
    for year, slug, fields in stories:
        add_story(root, year, slug, **fields)
    site, _ = load_site(root, NOW)
    return site


def _entries(xml_text: str) -> list[ET.Element]:
    return list(ET.fromstring(xml_text).iter(f"{ATOM}entry"))


def test_all_and_topic_feeds_hold_the_listed_stories_newest_first(tmp_path):
    site = _site(tmp_path, [
        (2025, "old", dict(title="旧稿", date="2025-01-02 09:00", topics=("xiaoxian",))),
        (2026, "new", dict(title="新稿", date="2026-03-04 10:00", topics=("xiaoxian", "cishan"),
                            extra="changes:\n  - date: 2026-03-05\n    note: 更正地点\n")),
        (2026, "other", dict(title="社区稿", date="2026-02-01 10:00", topics=("shequ",))),
        (2026, "draft", dict(title="草稿", date="2026-02-02 10:00", topics=("xiaoxian",), extra="draft: true\n")),
        (2026, "future", dict(title="未来稿", date="2026-12-24 10:00", topics=("xiaoxian",))),
        (2026, "gone", dict(title="撤回稿", date="2026-02-03 10:00", topics=("xiaoxian",),
                             extra="withdrawn:\n  date: 2026-04-01\n  reason: 活动取消\n")),
    ])
    feeds = {f.path: f for f in site_feeds(site)}
    assert set(feeds) == {"feeds/all.xml", "feeds/responses.xml"} | {f"feeds/{t.id}.xml" for t in site.config.topics}
    assert _entries(atom_xml(feeds["feeds/responses.xml"], site)) == []  # stories never enter 回应关切's feed
    all_xml = atom_xml(feeds["feeds/all.xml"], site)
    titles = [e.findtext(f"{ATOM}title") for e in _entries(all_xml)]
    assert titles == ["新稿", "社区稿", "旧稿"]  # no draft, no future story, no withdrawn story
    xiaoxian = [e.findtext(f"{ATOM}title") for e in _entries(atom_xml(feeds["feeds/xiaoxian.xml"], site))]
    assert xiaoxian == ["新稿", "旧稿"]
    assert _entries(atom_xml(feeds["feeds/binzang.xml"], site)) == []  # an empty topic still has a valid feed

    root = ET.fromstring(all_xml)
    assert root.findtext(f"{ATOM}id") == "https://mz.example.gov.cn/feeds/all.xml"
    assert root.find(f"{ATOM}link[@rel='self']").get("href") == "https://mz.example.gov.cn/feeds/all.xml"
    assert root.findtext(f"{ATOM}updated") == "2026-03-05T00:00:00+08:00"  # the newest change
    newest = _entries(all_xml)[0]
    assert newest.findtext(f"{ATOM}id") == "https://mz.example.gov.cn/stories/2026/new/"
    assert newest.findtext(f"{ATOM}published") == "2026-03-04T10:00:00+08:00"
    assert newest.findtext(f"{ATOM}updated") == "2026-03-05T00:00:00+08:00"
    assert newest.findtext(f"{ATOM}author/{ATOM}name") == "测试作者"
    assert {c.get("term") for c in newest.findall(f"{ATOM}category")} == {"xiaoxian", "cishan"}


def test_feed_size_is_capped(tmp_path):
    stories = [(2025, f"s{i:03d}", dict(title=f"稿件{i}", date=f"2025-{1 + i // 28:02d}-{1 + i % 28:02d} 09:00"))
               for i in range(FEED_SIZE + 5)]
    site = _site(tmp_path, stories)
    feed = site_feeds(site)[0]
    assert len(feed.stories) == FEED_SIZE
    assert len(_entries(atom_xml(feed, site))) == FEED_SIZE


def test_full_text_with_absolute_urls_and_safe_xml(tmp_path):
    site = _site(tmp_path, [(2026, "pic", dict(title="标题", date="2026-01-01 09:00"))])
    # Markup in a title is an error in check (schema.markup); the feed escapes it all the same.
    site.stories[0].values["title"] = "标题 <b>& “引号”"
    site.stories[0].values["summary"] = "摘要\x0b含控制字符"  # YAML cannot carry it; text from elsewhere might
    html = '<p>见<a href="../other/">另一篇</a>和<img src="images/a.jpg" alt="图"><a href="https://www.gov.cn/">国务院</a></p>'
    text = atom_xml(site_feeds(site)[0], site, {"stories/2026/pic.md": html})
    entry = _entries(text)[0]  # parses: the control character was dropped, & and < escaped
    assert entry.findtext(f"{ATOM}title") == "标题 <b>& “引号”"
    assert entry.findtext(f"{ATOM}summary") == "摘要含控制字符"
    content = entry.find(f"{ATOM}content")
    assert content.get("type") == "html"
    assert 'href="https://mz.example.gov.cn/stories/2026/other/"' in content.text
    assert 'src="https://mz.example.gov.cn/stories/2026/pic/images/a.jpg"' in content.text
    assert 'href="https://www.gov.cn/"' in content.text


def test_absolute_urls_keeps_fragments_and_absolute_links():
    page = "https://mz.example.gov.cn/stories/2026/x/"
    assert absolute_urls('<a href="#top">', page) == f'<a href="{page}#top">'
    assert absolute_urls('<a href="mailto:a@b.cn">', page) == '<a href="mailto:a@b.cn">'
    assert absolute_urls('<a href="?a=1&amp;b=2">', page) == f'<a href="{page}?a=1&amp;b=2">'


def test_feed_links_for_templates(tmp_path):
    site = _site(tmp_path, [])
    site_wide, per_topic = feed_links(site.config)
    assert site_wide == [{"title": "示例县民政局·民政故事", "path": "feeds/all.xml"},
                         {"title": "示例县民政局·回应关切", "path": "feeds/responses.xml"}]
    assert per_topic["topics/xiaoxian.md"] == {"title": "示例县民政局·孝贤文化", "path": "feeds/xiaoxian.xml"}
