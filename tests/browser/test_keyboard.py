"""Keyboard at phone width: skip link, toolbar, the menu as a real button, the closed drawer out of the Tab order."""

from __future__ import annotations

import pytest

from tests.browser.conftest import HOME, STORY, open_page
from tests.browser.test_where_am_i import KINDS

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


# Every page kind (with the home page), walked with Tab from the top to the end of the page.
WALKED = {"home": "", **{kind: entry[0] for kind, entry in KINDS.items()}}

STOP = """again => { const e = document.activeElement;
    if (!e || e === document.body || e === document.documentElement) return null;
    const r = e.getBoundingClientRect(), s = getComputedStyle(e);
    // Visible: a box on screen (scrolled into view by the focus), not hidden, not clipped away by an ancestor.
    let clipped = false;
    for (let a = e.parentElement; a && a !== document.body; a = a.parentElement) {
        const c = getComputedStyle(a), b = a.getBoundingClientRect();
        if (c.overflow !== 'visible' && (b.width < 1 || b.height < 1 || r.bottom <= b.top || r.top >= b.bottom
            || r.right <= b.left || r.left >= b.right)) { clipped = true; break; }
    }
    window.__stops = window.__stops || new Set();
    const repeat = again ? false : window.__stops.has(e);  // the same element again: the order wrapped round
    window.__stops.add(e);
    return {repeat, key: e.tagName + '|' + (e.id || '') + '|' + (e.getAttribute('href') || '') + '|' + e.className + '|'
                 + (e.textContent || '').trim().slice(0, 30),
            tag: e.tagName, cls: String(e.className || ''), name: (e.getAttribute('aria-label') || e.textContent || e.value
                 || e.getAttribute('placeholder') || [...e.querySelectorAll('img[alt]')].map(i => i.alt).join('') || '').trim(),
            w: r.width, h: r.height, vis: s.visibility, opacity: s.opacity,
            onScreen: r.bottom > 0 && r.top < innerHeight && r.right > 0 && r.left < innerWidth,
            clipped, sidebar: !!e.closest('.md-sidebar') && e.matches('.md-sidebar__scrollwrap, .md-sidebar__inner, .md-sidebar')};
}"""


@pytest.mark.parametrize("kind", sorted(WALKED))
def test_desktop_tab_order_walked_to_the_end_has_every_stop_visible(page, server, recorder, kind):
    """At 1280 px the whole Tab order, to the end of the page: every stop visible and named; no stray stop
    (the empty left sidebar's scroll wrapper took the focus with nothing visible focused)."""
    open_page(page, server, WALKED[kind])
    def bad(stop):
        return stop["sidebar"] or not (stop["w"] >= 1 and stop["h"] >= 1 and stop["vis"] == "visible"
                                       and float(stop["opacity"]) > 0 and stop["onScreen"] and not stop["clipped"]
                                       and (stop["name"] or stop["tag"] == "INPUT"))

    stops = []
    for _ in range(400):
        page.keyboard.press("Tab")
        stop = page.evaluate(STOP, False)
        if stop is None or stop["repeat"]:  # past the last stop: the focus leaves the page or wraps
            break
        if bad(stop):  # measured again once a transition has ended (回到页面顶部 fades in as the page scrolls)
            page.wait_for_timeout(500)
            stop = page.evaluate(STOP, True)
        stops.append(stop)
    else:
        pytest.fail("the Tab order did not end within 400 stops")
    assert len(stops) >= 10 and stops[0]["name"] == "跳到正文", [s["key"] for s in stops[:3]]
    # The end of the page was reached: the footer's last link is among the stops.
    last_footer = page.evaluate("""() => { const links = [...document.querySelectorAll('footer a[href]')]
        .filter(a => a.getClientRects().length); const a = links.at(-1); return a && a.getAttribute('href'); }""")
    assert last_footer and any(f"|{last_footer}|" in s["key"] for s in stops), (last_footer, [s["key"] for s in stops[-5:]])
    assert [s for s in stops if bad(s)] == []
    if kind != "404":  # the 404 page's own status is logged as a failed load
        assert recorder.console_errors == []
