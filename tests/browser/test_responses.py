"""回应关切 in a browser: the home page pins the sample response (dated the day before the build date in the
browser build's copy) above every other section, on a desktop and on a phone, with its 发布机关 and time; the
link opens the response, which names its issuing office as its 来源."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import HOME, RESPONSE, RESPONSE_DATE, open_page

TITLE = "关于网民反映示例县城关镇某社区养老服务站暂停服务问题的情况通报"


@pytest.mark.parametrize("fixture", ["page", "mobile_page"])
def test_the_home_page_pins_the_response_on_top(request, server, fixture):
    page = request.getfixturevalue(fixture)
    open_page(page, server, HOME)
    pinned = page.locator("section.mz-pinned")
    expect(pinned).to_be_visible()
    expect(pinned.locator("h2")).to_have_text("回应关切")
    link = pinned.get_by_role("link", name=TITLE)
    expect(link).to_be_visible()
    expect(pinned).to_contain_text("发布机关：示例县民政局")
    expect(pinned.locator("time")).to_have_text(RESPONSE_DATE)
    # above the first of the home page's other sections, in the page's flow and on screen
    top = pinned.bounding_box()["y"]
    assert top < page.locator(".mz-home .mz-section").first.bounding_box()["y"]
    link.click()
    page.wait_for_url(server.url(RESPONSE))
    expect(page.locator("article h1")).to_have_text(TITLE)
    expect(page.locator(".mz-article-meta")).to_contain_text("来源：示例县民政局")
    expect(page.locator(".mz-article-meta")).to_contain_text(f"发布时间：{RESPONSE_DATE}")
