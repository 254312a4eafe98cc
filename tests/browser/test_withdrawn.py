"""Retired content through nginx: the withdrawn banner, unpublished pages redirecting, and what leaves listings."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import (
    GONE,
    GONE_REASON,
    GONE_TITLE,
    STORY,
    UNPUBLISHED,
    UNPUBLISHED_TITLE,
    WITHDRAWN,
    WITHDRAWN_REASON,
    WITHDRAWN_TITLE,
    new_page,
    open_page,
    run_axe,
)
from tools.search_index_files import indexed_pages

ATOM = "{http://www.w3.org/2005/Atom}"


def test_withdrawn_story_stays_online_with_a_banner(page, server):
    response = open_page(page, server, WITHDRAWN)
    assert response.status == 200
    banner = page.locator(".mz-withdrawn")
    expect(banner).to_be_visible()
    expect(banner).to_contain_text("2026-06-01")
    expect(banner).to_contain_text(WITHDRAWN_REASON)
    expect(page.locator("article h1")).to_have_text(WITHDRAWN_TITLE)


def test_retired_stories_leave_listings_feeds_search_and_sitemap(server):
    site = server.site
    listings = ["index.html", "stories/index.html", "stories/2026/index.html", "topics/xiaoxian/index.html"]
    for listing in listings:
        text = (site / listing).read_text(encoding="utf-8")
        for title in (WITHDRAWN_TITLE, UNPUBLISHED_TITLE, GONE_TITLE):
            assert title not in text, (listing, title)
    for feed in ("feeds/all.xml", "feeds/xiaoxian.xml"):
        titles = [e.findtext(f"{ATOM}title") for e in ET.parse(site / feed).getroot().iter(f"{ATOM}entry")]
        assert titles, feed  # the feed has stories …
        assert not {WITHDRAWN_TITLE, UNPUBLISHED_TITLE, GONE_TITLE} & set(titles)  # … but not these
    index = indexed_pages(site)
    indexed = " ".join(url + page.text + page.meta.get("title", "") for url, page in index.items())
    for path, title in ((WITHDRAWN, WITHDRAWN_TITLE), (UNPUBLISHED, UNPUBLISHED_TITLE), (GONE, GONE_TITLE)):
        assert path not in indexed and title not in indexed
    sitemap = (site / "sitemap.xml").read_text(encoding="utf-8")
    assert UNPUBLISHED not in sitemap and GONE not in sitemap


def test_unpublished_story_redirects_to_its_replacement(page, server, recorder):
    page.goto(server.url(UNPUBLISHED))
    page.wait_for_url(server.url(STORY))
    expect(page.locator("article h1")).to_contain_text("孝老爱亲")
    assert UNPUBLISHED_TITLE not in page.content()
    assert recorder.console_errors == []
    html = (server.site / UNPUBLISHED / "index.html").read_text(encoding="utf-8")
    assert UNPUBLISHED_TITLE not in html  # the old content is gone, only the forwarding page remains
    assert '<link rel="canonical" href="https://mz.example.gov.cn/' + STORY + '">' in html
    assert "<script" not in html


def test_unpublished_story_without_redirect_says_it_was_taken_down(page, server):
    response = page.goto(server.url(GONE))
    assert response.status == 200
    expect(page.locator("h1")).to_have_text("本页已撤下")
    expect(page.locator("body")).to_contain_text(GONE_REASON)
    assert GONE_TITLE not in page.content()


@pytest.mark.parametrize("width,height", [(1280, 900), (375, 740)], ids=["1280px", "375px"])
def test_the_taken_down_notice_is_a_page_of_the_site_and_passes_axe(browser, server, recorder, width, height):
    """The 本页已撤下 notice has the site's header, menu, 当前位置 and footer (网站标识码, 网站地图), is not indexed,
    runs under the CSP without errors and has no axe violation, on a phone and on a desktop."""
    context, page = new_page(browser, recorder, width=width, height=height)
    try:
        response = page.goto(server.url(GONE))
        assert response.status == 200
        expect(page).to_have_title("本页已撤下 - 示例县民政局")
        expect(page.locator("main h1")).to_have_text("本页已撤下")
        expect(page.locator("header.md-header")).to_be_visible()
        expect(page.locator(".mz-trail [aria-current=page]")).to_have_text("本页已撤下")
        footer = page.locator("footer.mz-footer")
        expect(footer).to_contain_text("网站标识码：")
        expect(footer.get_by_role("link", name="网站地图")).to_be_visible()
        expect(page.locator("main").get_by_role("link", name="返回首页")).to_be_visible()
        expect(page.locator("main").get_by_role("link", name="网站地图")).to_be_visible()
        assert page.locator('meta[name="robots"]').get_attribute("content") == "noindex"
        assert page.evaluate("document.documentElement.scrollWidth") <= width  # no sideways scrolling
        assert GONE_TITLE not in page.content()
        violations = run_axe(page, server)
        assert violations == [], violations
        page.locator("main").get_by_role("link", name="网站地图").click()
        page.wait_for_url(server.url("sitemap/"))
        assert recorder.console_errors == []
    finally:
        context.close()
    assert recorder.foreign_requests == [], recorder.foreign_requests
