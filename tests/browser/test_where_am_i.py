"""当前位置 on every page kind and the menu's current section, and the government-site conventions (issue 29):
the 党政机关 mark and the 公安备案 linked, 我为政府网站找错 with the site code, 网站声明, 隐私声明 and 订阅说明,
<html lang="zh-CN"> and the bureau's emblem, in Chromium against nginx."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import BULLETIN, NOTICE, RESPONSE, STORY, TOPIC, new_page, open_page
from tests.support.project import REPO_ROOT

# path -> (the places above the page, its own entry, the menu tab of its section or None)
KINDS = {
    "story": (STORY, ["首页", "民政故事"], "正文", "民政故事"),
    "notice": (NOTICE, ["首页", "通知公告"], "正文", "通知公告"),
    "member": ("campaigns/zuimei-chuangkou/hunyin-dengji-chuangkou/", ["首页", "专题活动", "最美民政窗口评选"], "正文",
               "专题活动"),
    "bulletin": (BULLETIN, ["首页", "民政简报"], "正文", "民政简报"),
    "response": (RESPONSE, ["首页", "回应关切"], "正文", "回应关切"),
    "archive": ("stories/", ["首页"], "民政故事", "民政故事"),
    "year": ("stories/2025/", ["首页", "民政故事"], "2025年民政故事", "民政故事"),
    "notices": ("notices/", ["首页"], "通知公告", "通知公告"),
    "topic": (TOPIC, ["首页", "文化专题"], "孝贤文化", "文化专题"),
    "campaign": ("campaigns/zuimei-minzhengren/", ["首页", "专题活动"], None, "专题活动"),
    "about": ("about/contact/", ["首页", "机构概况"], "联系我们", "机构概况"),
    "statement": ("about/statement/", ["首页", "机构概况"], "网站声明", "机构概况"),
    "search": ("search/", ["首页"], "站内搜索", None),
    "sitemap": ("sitemap/", ["首页"], "网站地图", None),
    "404": ("no/such/page/", ["首页"], "页面不存在", None),
}

TRAIL = """() => {
  const navs = [...document.querySelectorAll('nav[aria-label="当前位置"]')];
  if (navs.length !== 1) return {count: navs.length};
  const nav = navs[0], items = [...nav.querySelectorAll(':scope > ol > li')];
  const box = nav.getBoundingClientRect(), h1 = document.querySelector('article h1').getBoundingClientRect();
  return {count: 1, items: items.map(li => li.innerText.replace(/\\s+/g, '').replace(/^›/, '')),
          links: items.slice(0, -1).map(li => li.querySelector('a') && li.querySelector('a').href),
          current: items.length ? items[items.length - 1].querySelector('[aria-current="page"]')?.textContent : null,
          visible: box.height > 0 && box.right <= document.documentElement.clientWidth, aboveTitle: box.bottom <= h1.top + 1,
          tabs: [...document.querySelectorAll('.md-tabs__link[aria-current]')].map(a => [a.textContent.trim(),
                  a.getAttribute('aria-current'), a.closest('li').classList.contains('md-tabs__item--active')])};
}"""


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_every_page_kind_says_where_the_reader_is(browser, recorder, server, kind):
    path, places, current, tab = KINDS[kind]
    context, page = new_page(browser, recorder, width=1280, height=900)
    try:
        response = open_page(page, server, path)
        assert response.status == (404 if kind == "404" else 200)
        found = page.evaluate(TRAIL)
        assert found["count"] == 1, found
        if current is None:  # a campaign: its own title
            current = page.locator("article h1").inner_text().strip()
        assert found["items"] == [*places, current], found
        assert found["current"] == current and found["visible"] and found["aboveTitle"], found
        for link in found["links"]:  # every place above the page is a page
            assert page.request.get(link).status == 200, link
        # The menu marks the section (also for pages that are not in it: stories, notices, bulletins, members).
        if tab is None:
            assert found["tabs"] == [], found
        else:
            assert [t[0] for t in found["tabs"]] == [tab] and found["tabs"][0][2], found
            assert found["tabs"][0][1] == ("page" if places == ["首页"] else "true"), found
        # 跳到正文 goes past the trail, to the title.
        page.locator(".mz-skip").focus()
        page.keyboard.press("Enter")
        assert page.evaluate("document.activeElement.closest('nav[aria-label=\"当前位置\"]') === null")
        assert recorder.console_errors == [] or kind == "404"
    finally:
        context.close()


@pytest.mark.parametrize("elder", [False, True], ids=["default", "elder"])
def test_the_trail_fits_a_phone(browser, recorder, server, elder):
    context, page = new_page(browser, recorder, width=320, height=740)
    try:
        for path in (KINDS["member"][0], KINDS["year"][0], STORY):
            open_page(page, server, path, elder=elder)
            nav = page.locator("nav[aria-label='当前位置']")
            expect(nav).to_be_visible()
            box = nav.bounding_box()
            assert box["x"] >= 0 and box["x"] + box["width"] <= 320, (path, box)
            assert page.evaluate("document.documentElement.scrollWidth") <= 320, path
    finally:
        context.close()


def test_the_footer_and_header_follow_the_government_site_conventions(page, server, recorder):
    open_page(page, server, STORY, idle=True)
    assert page.evaluate("document.documentElement.lang") == "zh-CN"
    footer = page.locator(".mz-footer")
    # The 党政机关 mark opens its verification page (footer.conac_url).
    mark = footer.locator("a.mz-party-mark-link")
    assert urlsplit(mark.get_attribute("href")).netloc == "bszs.conac.cn"
    assert "method=show" in mark.get_attribute("href")
    expect(mark.locator("img")).to_have_attribute("alt", "党政机关网站标识")
    # 我为政府网站找错: the national platform's form with the site's code and this page's address.
    report = urlsplit(footer.locator("a.mz-error-report").get_attribute("href"))
    query = parse_qs(report.query)
    assert (report.netloc, report.path) == ("zfwzgl.www.gov.cn", "/exposure/jiucuo.html")
    assert query["site_code"] == ["0000000000"] and query["url"] == ["https://mz.example.gov.cn/" + STORY]
    # The 公安备案: number, record link and badge.
    police = footer.locator("a.mz-police")
    expect(police).to_have_text("赣公网安备00000000000000号")
    assert police.get_attribute("href") == "https://beian.mps.gov.cn/#/query/webSearch?code=00000000000000"
    badge = police.locator("img.mz-police-badge")
    badge.scroll_into_view_if_needed()
    assert badge.evaluate("img => img.decode().then(() => img.naturalWidth)") > 0
    # The bureau's emblem in the header (site.yml logo:), and no English alt text.
    logo = page.locator(".md-header__button.md-logo img")
    assert logo.get_attribute("src").endswith("assets/images/mz-emblem.svg") and logo.get_attribute("alt") == ""
    assert logo.evaluate("img => img.decode().then(() => img.naturalWidth)") > 0
    # 网站声明, 隐私声明 and 订阅: the site's own pages, with the bureau's text.
    for name, heading, text in (("网站声明", "网站声明", "转载"), ("隐私声明", "隐私声明", "不使用Cookie"),
                                ("订阅", "订阅说明", "怎样订阅")):
        open_page(page, server, STORY)
        page.locator(".mz-footer-links").get_by_role("link", name=name, exact=True).click()
        expect(page.locator("article h1")).to_have_text(heading)
        expect(page.locator("article")).to_contain_text(text)
    # 订阅说明 lists every feed: a link that serves the feed, and its address to copy.
    feeds = page.locator(".mz-feeds li")
    # all stories, 回应关切 (feeds/responses.xml) and one per culture topic
    expect(feeds).to_have_count(2 + len(list((REPO_ROOT / "content" / "topics").glob("*.md"))))
    for index in range(feeds.count()):
        link = feeds.nth(index).locator("a")
        address = feeds.nth(index).locator(".mz-feeds__url").inner_text()
        assert address.startswith("https://mz.example.gov.cn/feeds/") and address.endswith(".xml")
        response = page.request.get(link.evaluate("a => a.href"))
        assert response.status == 200 and "<feed" in response.text()
    # The site map says 订阅, and leads to the page that explains it.
    open_page(page, server, "sitemap/")
    group = page.locator(".mz-sitemap-group").filter(has=page.locator("h2", has_text="订阅"))
    expect(group.get_by_role("link", name="订阅说明")).to_have_count(1)
    assert "Atom" not in page.locator("article").inner_text()
    assert recorder.console_errors == []
