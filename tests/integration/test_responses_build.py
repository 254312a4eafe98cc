"""回应关切 (情况通报) in a built site: the column's page, its Atom feed, the response's own page and the pin at
the top of the home page with 发布机关 and time, which twelve newer stories do not push off; after its
pin_days the home page no longer pins it, while the column and the feed keep it.

A project with the repository's configuration and templates, built with ``mkdocs build --strict`` at two
build dates (the response is dated 2026-11-27 09:00, pinned for 7 days).
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser

import pytest

from tests.support.project import add_story, build, new_project, write

ATOM = "{http://www.w3.org/2005/Atom}"
TITLE = "关于网民反映示例县某社区养老服务站暂停服务问题的情况通报"
ISSUER = "示例县人民政府办公室"
OLD_TITLE = "关于某村低保评议问题的情况通报"


def _project(root):
    project = new_project(root)
    write(project / "content/responses/2026/tingye-tongbao.md", f"""
        ---
        title: {TITLE}
        date: 2026-11-27 09:00
        unit: elderly-care
        author: 测试作者
        editor: 测试编辑
        summary: 已核查，服务站已恢复助餐服务。
        issuer: {ISSUER}
        ---

        经核查，情况基本属实。现将有关情况通报如下。
        """)
    write(project / "content/responses/2026/dibao-tongbao.md", f"""
        ---
        title: {OLD_TITLE}
        date: 2026-03-02 10:00
        unit: social-assistance
        author: 测试作者
        editor: 测试编辑
        summary: 评议程序合规。
        ---

        经核查，评议程序合规。
        """)
    for n in range(12):  # all newer than the response: more than the home page's 8 latest stories
        add_story(project, 2026, f"newer-{n:02d}", title=f"较新的稿件{n}", date=f"2026-11-{28 + n // 6} {9 + n % 6}:00")
    return project


@pytest.fixture(scope="module")
def sites(tmp_path_factory):
    base = tmp_path_factory.mktemp("responses")
    project = _project(base / "p")
    built = {}
    for date in ("2026-11-30", "2026-12-05"):  # within the 7 days; after them (pinned until 12-04 09:00)
        result = build(project, base / date, build_date=date)
        assert result.returncode == 0, result.stdout + result.stderr
        built[date] = base / date
    return built


def _text(path) -> str:
    return path.read_text(encoding="utf-8")


class _Sections(HTMLParser):
    """The classes of the home page's sections and of div.mz-home, in document order."""

    def __init__(self):
        super().__init__()
        self.order: list[str] = []

    def handle_starttag(self, tag, attrs):
        classes = dict(attrs).get("class") or ""
        if tag == "section" or (tag == "div" and "mz-home" in classes.split()):
            self.order.append(classes)


def test_home_page_pins_the_response_first_with_issuer_and_time(sites):
    home = _text(sites["2026-11-30"] / "index.html")
    parser = _Sections()
    parser.feed(home)
    # first of the home page's sections, before the grid of the others (mzpress.css places those by position)
    assert parser.order[:3] == ["mz-section mz-pinned", "mz-home", "mz-section"]
    assert home.index("mz-pinned") < home.index(">最新动态</h2>")
    pinned = home.split('class="mz-section mz-pinned"', 1)[1].split("</section>", 1)[0]
    assert f'<a class="mz-item-title" href="responses/2026/tingye-tongbao/">{TITLE}</a>' in pinned
    assert f"发布机关：{ISSUER}" in pinned
    assert '发布时间：<time datetime="2026-11-27T09:00:00+08:00">2026-11-27 09:00</time>' in pinned
    assert OLD_TITLE not in pinned  # its 7 days ended in March
    assert '<a class="mz-more" href="responses/">更多回应关切</a>' in pinned
    # twelve newer stories: the home page shows eight of them, and the response is still on top
    latest = re.findall(r'class="mz-card-title" href="stories/2026/(newer-\d\d)/"', home)
    assert len(latest) == 8 and "newer-11" in latest
    assert home.index(TITLE) < home.index("较新的稿件11")


def test_after_pin_days_the_home_page_no_longer_pins_it(sites):
    home = _text(sites["2026-12-05"] / "index.html")
    assert "mz-pinned" not in home and TITLE not in home
    listing = _text(sites["2026-12-05"] / "responses/index.html")
    assert TITLE in listing and OLD_TITLE in listing  # the column keeps it
    feed = ET.parse(sites["2026-12-05"] / "feeds/responses.xml").getroot()
    assert TITLE in [e.findtext(f"{ATOM}title") for e in feed.iter(f"{ATOM}entry")]


def test_the_column_page_lists_every_response_newest_first_under_its_issuer(sites):
    page = _text(sites["2026-11-30"] / "responses/index.html")
    assert re.search(r"<h1[^>]*>回应关切</h1>", page)
    titles = re.findall(r'<a class="mz-item-title" href="([^"]+)">([^<]+)</a>', page)
    assert titles == [("2026/tingye-tongbao/", TITLE), ("2026/dibao-tongbao/", OLD_TITLE)]
    units = re.findall(r'<span class="mz-item-unit">([^<]+)</span>', page)
    assert units == [ISSUER, "示例县民政局"]  # 发布机关: written, or the site's name by default
    assert "较新的稿件" not in page
    # the menu has the column, the trail names it, the feed is announced in the head
    assert re.search(r'class="md-tabs__link"[^>]*>\s*回应关切\s*</a>', page)
    assert '<span aria-current="page">回应关切</span>' in page
    assert 'href="../feeds/responses.xml"' in page


def test_the_feed_carries_the_responses_only(sites):
    root = ET.parse(sites["2026-11-30"] / "feeds/responses.xml").getroot()
    assert root.findtext(f"{ATOM}title") == "示例县民政局·回应关切"
    assert root.find(f"{ATOM}link[@rel='alternate']").get("href") == "https://mz.example.gov.cn/responses/"
    entries = list(root.iter(f"{ATOM}entry"))
    assert [e.findtext(f"{ATOM}title") for e in entries] == [TITLE, OLD_TITLE]
    assert entries[0].findtext(f"{ATOM}contributor/{ATOM}name") == ISSUER
    assert entries[0].findtext(f"{ATOM}published") == "2026-11-27T09:00:00+08:00"
    assert "情况基本属实" in entries[0].findtext(f"{ATOM}content")
    stories = ET.parse(sites["2026-11-30"] / "feeds/all.xml").getroot()
    assert TITLE not in [e.findtext(f"{ATOM}title") for e in stories.iter(f"{ATOM}entry")]


def test_the_response_page_names_its_issuer_and_time(sites):
    page = _text(sites["2026-11-30"] / "responses/2026/tingye-tongbao/index.html")
    assert f"<h1>{TITLE}</h1>" in page
    assert f"来源：{ISSUER}" in page
    assert '发布时间：<time datetime="2026-11-27T09:00:00+08:00">2026-11-27 09:00</time>' in page
    assert "情况基本属实" in page
    sitemap = _text(sites["2026-11-30"] / "sitemap.xml")
    assert "responses/2026/tingye-tongbao/" in sitemap and "responses/" in sitemap
