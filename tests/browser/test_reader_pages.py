"""The public pages in a real browser: small screens, print, the home page and the article tools."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from tests.browser.conftest import BULLETIN, HOME, NOTICE, SAMPLE_PAGES, STORY, open_page


def test_sample_pages_exist(server):
    """The pages the browser tests visit are real sample pages."""
    for path in SAMPLE_PAGES.values():
        assert (server.site / path / "index.html").is_file(), path


@pytest.mark.parametrize("name", sorted(SAMPLE_PAGES))
@pytest.mark.parametrize("elder", [False, True], ids=["normal", "elder"])
def test_no_horizontal_scroll_on_a_phone(mobile_page, server, name, elder):
    open_page(mobile_page, server, SAMPLE_PAGES[name], elder=elder)
    widths = mobile_page.evaluate("""() => ({
        doc: document.documentElement.scrollWidth, body: document.body.scrollWidth,
        client: document.documentElement.clientWidth})""")
    assert widths["client"] == 375
    assert widths["doc"] <= widths["client"] and widths["body"] <= widths["client"], widths


@pytest.mark.parametrize("name", sorted(SAMPLE_PAGES))
def test_no_horizontal_scroll_at_200_percent_zoom(browser, recorder, server, name):
    """200 % zoom of a 640 px window = 320 CSS px; in 适老化模式, the mode that enlarges everything."""
    from tests.browser.conftest import new_page

    context, page = new_page(browser, recorder, width=320, height=600)
    try:
        open_page(page, server, SAMPLE_PAGES[name], elder=True)
        widths = page.evaluate("""() => ({doc: document.documentElement.scrollWidth,
            body: document.body.scrollWidth, client: document.documentElement.clientWidth})""")
        assert widths["doc"] <= widths["client"] and widths["body"] <= widths["client"], widths
        # Nothing in the article sticks out to the right either (overflow hidden would hide it).
        wide = page.evaluate("""() => [...document.querySelectorAll('.md-content *')]
            .filter(e => { const r = e.getBoundingClientRect();
                           return r.width > 0 && r.right > document.documentElement.clientWidth + 1
                                  && !e.closest('.md-typeset__scrollwrap'); })
            .map(e => e.tagName + '.' + e.className)""")
        assert wide == []
    finally:
        context.close()


@pytest.mark.parametrize("name", ["story", "notice"])
def test_print_shows_the_article_only_with_its_address(page, server, name):
    open_page(page, server, SAMPLE_PAGES[name])
    # The footer prints only the bureau's name and address (test_print.py): its links and mark are chrome.
    chrome = [".md-header", ".md-tabs", ".md-sidebar--primary", ".mz-footer-links", ".mz-tools", ".mz-elder-toggle"]
    for selector in chrome[:2] + chrome[3:]:
        assert page.locator(selector).first.is_visible(), selector  # on screen they are there
    page.emulate_media(media="print")
    for selector in chrome:
        assert not page.locator(selector).first.is_visible(), selector
    url_line = page.locator(".mz-print-url")
    expect(url_line).to_be_visible()
    expect(url_line).to_contain_text("https://mz.example.gov.cn/" + SAMPLE_PAGES[name])
    expect(page.locator("article h1")).to_be_visible()
    page.emulate_media(media="screen")
    expect(url_line).to_be_hidden()


def test_print_button_opens_the_print_dialog(page, server):
    open_page(page, server, STORY)
    page.evaluate("() => { window.__printed = 0; window.print = () => { window.__printed += 1; }; }")
    page.get_by_role("button", name="打印本页").click()
    assert page.evaluate("window.__printed") == 1


def test_text_size_control_changes_the_article_text_and_is_remembered(page, server):
    open_page(page, server, STORY)
    paragraph = page.locator("article.md-typeset > p").first

    def size() -> float:
        return float(paragraph.evaluate("e => parseFloat(getComputedStyle(e).fontSize)"))

    medium = size()
    group = page.get_by_role("group", name="阅读工具")
    expect(group.get_by_role("button", name="字号：中")).to_have_attribute("aria-pressed", "true")
    group.get_by_role("button", name="字号：大").click()
    large = size()
    expect(group.get_by_role("button", name="字号：大")).to_have_attribute("aria-pressed", "true")
    expect(group.get_by_role("button", name="字号：中")).to_have_attribute("aria-pressed", "false")
    group.get_by_role("button", name="字号：小").click()
    small = size()
    assert small < medium < large
    page.goto(server.url(NOTICE))
    assert float(page.locator("article.md-typeset > p").first.evaluate(
        "e => parseFloat(getComputedStyle(e).fontSize)")) == small
    expect(page.get_by_role("button", name="字号：小")).to_have_attribute("aria-pressed", "true")


def test_story_page_has_meta_line_related_and_prev_next(page, server):
    open_page(page, server, STORY)
    meta = page.locator(".mz-article-meta")
    for label in ("发布时间：", "来源：", "作者：", "责任编辑："):
        expect(meta).to_contain_text(label)
    expect(page.locator(".mz-related .mz-item")).not_to_have_count(0)
    expect(page.locator(".mz-prev-next a")).not_to_have_count(0)
    expect(page.locator("meta[property='og:title']")).to_have_attribute("content", re.compile("孝老爱亲"))
    expect(page.locator("meta[property='og:image']")).to_have_attribute(
        "content", re.compile(r"^https://mz\.example\.gov\.cn/stories/2024/images/.+\.jpg$"))


def test_home_page_sections(page, server):
    open_page(page, server, HOME)
    identity = page.locator(".mz-identity h1")
    expect(identity).to_have_text("示例县民政局")
    headings = page.locator(".mz-home .mz-section > h2").all_inner_texts()
    assert headings == ["最新动态", "通知公告", "专题活动", "文化专题", "快捷链接"]
    covers = page.locator(".mz-cards img.mz-card-cover")
    expect(covers).not_to_have_count(0)
    for index in range(covers.count()):  # every cover shown actually loads (decode() waits for it)
        covers.nth(index).scroll_into_view_if_needed()
        assert covers.nth(index).evaluate("img => img.decode().then(() => img.naturalWidth)") > 0
    expect(page.locator(".mz-home .mz-period").first).to_contain_text("公示期：")
    expect(page.locator(".mz-topics .mz-topic")).to_have_count(6)
    footer = page.locator(".mz-footer")
    for text in ("主办单位", "网站标识码", "ICP备", "公网安备"):
        expect(footer).to_contain_text(text)
    mark = page.locator("img.mz-party-mark")
    expect(mark).to_have_attribute("alt", "党政机关网站标识")
    mark.scroll_into_view_if_needed()
    assert mark.evaluate("img => img.decode().then(() => img.naturalWidth)") > 0


def test_custom_404_page(page, server):
    response = page.goto(server.url("no/such/page/"))
    assert response.status == 404
    expect(page.locator("article h1")).to_have_text("页面不存在")
    expect(page.locator(".mz-footer")).to_contain_text("主办单位")  # styled like the site (absolute asset URLs)
    assert page.locator("link[rel=stylesheet]").first.evaluate("l => l.sheet !== null")


def test_a_bulletin_prints_on_a4_with_its_masthead_and_without_the_site_around_it(page, server, tmp_path):
    open_page(page, server, BULLETIN)
    page.emulate_media(media="print")
    expect(page.locator(".mz-bulletin-masthead__name")).to_have_text("示例县民政简报")
    expect(page.locator(".md-header")).to_be_hidden()
    expect(page.locator(".md-tabs")).to_be_hidden()
    assert page.locator(".mz-bulletin-masthead__name").evaluate("e => getComputedStyle(e).color") == "rgb(204, 0, 0)"
    pdf = tmp_path / "bulletin.pdf"
    page.pdf(path=str(pdf), prefer_css_page_size=True)
    reader = PdfReader(pdf)
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)  # A4 in points
    assert "示例县民政简报" in reader.pages[0].extract_text()
