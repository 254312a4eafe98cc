"""Keyboard at phone width: skip link, toolbar, the menu as a real button, the closed drawer out of the Tab order."""

from __future__ import annotations

from tests.browser.conftest import HOME, STORY, open_page

FOCUSED = """() => { const e = document.activeElement; const r = e.getBoundingClientRect();
    return {tag: e.tagName, cls: e.className || '', text: (e.textContent || '').trim(), label: e.getAttribute('aria-label'),
            w: r.width, h: r.height, vis: getComputedStyle(e).visibility,
            inDrawer: !!e.closest('.md-sidebar--primary'), story: e.matches('.mz-card-title, .mz-item-title')}; }"""


def _tab(page) -> dict:
    page.keyboard.press("Tab")
    return page.evaluate(FOCUSED)


def test_phone_tab_order_reaches_the_first_story_and_the_menu_opens_with_enter(mobile_page, server, recorder):
    page = mobile_page
    open_page(page, server, HOME)
    stops = []
    for _ in range(10):
        stops.append(_tab(page))
        if stops[-1]["story"]:
            break
    assert stops[0]["cls"].startswith("mz-skip") and stops[0]["text"] == "跳到正文", stops[0]
    assert "mz-elder-toggle" in stops[1]["cls"], stops[1]  # the toolbar comes next
    assert stops[-1]["story"], [s["text"] or s["label"] or s["cls"] for s in stops]  # within 10 presses
    for stop in stops:  # every stop is visible, named and outside the closed drawer
        assert stop["w"] > 0 and stop["h"] > 0 and stop["vis"] == "visible", stop
        assert stop["text"] or stop["label"] or stop["tag"] == "INPUT", stop
        assert not stop["inDrawer"], stop
    # The closed drawer takes no focus at all, and its links are hidden from screen readers.
    assert page.evaluate("getComputedStyle(document.querySelector('.md-sidebar--primary')).visibility") == "hidden"

    # Back to the menu button: a named button with aria-expanded that Enter opens.
    page.evaluate("document.querySelector('[data-mz-drawer-button]').focus()")
    menu = page.locator("[data-mz-drawer-button]")
    assert menu.get_attribute("aria-expanded") == "false"
    assert menu.evaluate("b => b.tagName") == "BUTTON" and menu.get_attribute("aria-label") == "导航菜单"
    page.keyboard.press("Enter")
    assert menu.get_attribute("aria-expanded") == "true"
    assert page.evaluate("document.getElementById('__drawer').checked")
    focused = page.evaluate(FOCUSED)
    assert focused["inDrawer"] and focused["tag"] == "A", focused  # the focus moved into the drawer
    page.wait_for_function("() => getComputedStyle(document.querySelector('.md-sidebar--primary')).visibility === 'visible'")
    links = page.locator(".md-sidebar--primary .md-nav__link").filter(has_text="通知公告").first
    assert links.is_visible()
    # Tab goes on inside the open drawer, Escape closes it and gives the focus back to the button.
    assert _tab(page)["inDrawer"]
    page.keyboard.press("Escape")
    assert menu.get_attribute("aria-expanded") == "false"
    assert page.evaluate("!document.getElementById('__drawer').checked")
    assert page.evaluate("document.activeElement.matches('[data-mz-drawer-button]')")
    page.wait_for_function("() => getComputedStyle(document.querySelector('.md-sidebar--primary')).visibility === 'hidden'")
    # Space opens it too; a tap on the overlay closes it and aria-expanded follows.
    page.keyboard.press("Space")
    assert menu.get_attribute("aria-expanded") == "true"
    page.evaluate("document.querySelector('.md-overlay').click()")
    assert menu.get_attribute("aria-expanded") == "false"
    assert recorder.console_errors == []


def test_desktop_tab_order_has_no_invisible_stop(page, server, recorder):
    """At 1280 px: skip link, toolbar, then only visible stops (no zero-height one after the search box)."""
    open_page(page, server, STORY)
    stops = [_tab(page) for _ in range(14)]
    assert stops[0]["text"] == "跳到正文" and "mz-elder-toggle" in stops[1]["cls"], stops[:2]
    assert not any("mz-drawer-button" in s["cls"] for s in stops)  # no drawer button on a wide screen
    for stop in stops:
        assert stop["w"] > 0 and stop["h"] > 0 and stop["vis"] == "visible", stop
    assert any(s["tag"] == "INPUT" or "搜索" in s["text"] for s in stops)  # the search box or link
    assert any("md-tabs__link" in s["cls"] for s in stops)
    assert recorder.console_errors == []
