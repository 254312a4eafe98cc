"""Without Material's JavaScript bundle (overrides/main.html): what readers used of it, done by mzpress.js.

The back-to-top button (shown a screen down the page, out of the Tab order while hidden; from the keyboard it
also puts the focus back at the start of the page), the phone menu's sections opened with Enter and Space,
the phone menu closed by an in-page link, and every <details> opened for printing. Tables that scroll
sideways are checked in test_phone_layout.py.
"""

from __future__ import annotations

from tests.browser.conftest import HOME, STORY, open_page

TOP_STATE = """() => { const b = document.querySelector('.md-top'); const r = b.getBoundingClientRect();
    return {hidden: b.hidden, visibility: getComputedStyle(b).visibility, top: r.top, bottom: r.bottom,
            y: window.scrollY, focused: document.activeElement === b,
            active: document.activeElement.className || document.activeElement.tagName}; }"""


def _scroll_down(page, screens: float) -> None:
    page.evaluate(f"window.scrollTo(0, window.innerHeight * {screens})")
    page.wait_for_function(f"() => window.scrollY >= window.innerHeight * {screens} - 1")


def test_back_to_top_by_keyboard_and_mouse(page, server, recorder):
    page.set_viewport_size({"width": 1280, "height": 600})
    open_page(page, server, HOME)
    assert not [url for url in recorder.requests if "/bundle." in url or "/vendor/" in url]
    assert page.evaluate("typeof window.document$ === 'undefined' && !document.getElementById('__config')")
    state = page.evaluate(TOP_STATE)
    assert state["hidden"] and state["visibility"] == "hidden", state  # at the top: hidden, no Tab stop
    _scroll_down(page, 0.5)
    page.wait_for_timeout(100)  # two animation frames: it would have shown by now
    assert page.evaluate(TOP_STATE)["hidden"]
    _scroll_down(page, 1.5)
    page.wait_for_function("() => !document.querySelector('.md-top').hidden")
    state = page.evaluate(TOP_STATE)
    assert state["visibility"] == "visible" and state["top"] >= 0 and state["bottom"] < 120, state  # on screen, near the top
    # Keyboard: it is in the Tab order now (Shift+Tab from the footer's first link); Enter goes to the top and the
    # focus to the skip link, the first stop of the page, so the next Tab goes on from there (the toolbar).
    page.evaluate("document.querySelector('.md-footer a[href]').focus({preventScroll: true})")
    page.keyboard.press("Shift+Tab")
    assert page.evaluate(TOP_STATE)["focused"]
    page.keyboard.press("Enter")
    page.wait_for_function("() => window.scrollY === 0 && document.querySelector('.md-top').hidden")
    state = page.evaluate(TOP_STATE)
    assert state["active"].startswith("mz-skip") and state["visibility"] == "hidden", state
    page.keyboard.press("Tab")
    assert "mz-elder-toggle" in page.evaluate("document.activeElement.className")
    # Mouse: a click goes to the top too, and leaves no focus ring on the page.
    _scroll_down(page, 2)
    page.wait_for_function("() => !document.querySelector('.md-top').hidden")
    page.locator(".md-top").click()
    page.wait_for_function("() => window.scrollY === 0 && document.querySelector('.md-top').hidden")
    assert page.evaluate("document.activeElement === document.body"), page.evaluate(TOP_STATE)
    assert recorder.console_errors == []


def test_phone_menu_sections_by_keyboard_and_in_page_links(mobile_page, server, recorder):
    page = mobile_page
    open_page(page, server, STORY)
    page.locator("[data-mz-drawer-button]").click()
    page.wait_for_function("() => getComputedStyle(document.querySelector('.md-sidebar--primary')).visibility === 'visible'")
    # 文化专题: its page's link and the label (a Tab stop) that opens and closes its list of topics.
    label = page.locator(".md-sidebar--primary .md-nav__container").filter(has_text="文化专题").locator(
        "label[tabindex='0']").first
    toggle_id = label.get_attribute("for")
    checked = f"document.getElementById('{toggle_id}').checked"
    # The list of topics slides in over the menu when open (Material's stylesheet), beside it when closed.
    topic_left = ("() => { const a = [...document.querySelectorAll('.md-sidebar--primary a')].find("
                  "a => a.textContent.includes('孝贤文化')); const r = a.getBoundingClientRect();"
                  " const d = document.querySelector('.md-sidebar--primary').getBoundingClientRect();"
                  " return r.width > 0 && Math.abs(r.left - d.left) < 1; }")
    assert not page.evaluate(checked) and not page.evaluate(topic_left)
    label.focus()
    page.keyboard.press("Enter")
    assert page.evaluate(checked)
    page.wait_for_function(topic_left)
    nav = label.evaluate("l => document.getElementById(l.htmlFor).parentElement.querySelector(':scope > nav')"
                         ".getAttribute('aria-expanded')")
    assert nav == "true"
    assert page.evaluate("window.scrollY") == 0  # Space/Enter did not scroll the page
    page.keyboard.press("Space")
    assert not page.evaluate(checked)
    # An in-page link closes the menu (here: the skip link's target, as a heading link in the menu would).
    page.evaluate("location.hash = '#mz-content'")
    page.wait_for_function("() => !document.getElementById('__drawer').checked")
    assert page.locator("[data-mz-drawer-button]").get_attribute("aria-expanded") == "false"
    # Printing opens every <details> (a writer may use one) and closes them again afterwards.
    page.evaluate("""() => { const d = document.createElement('details'); d.id = 'mz-test-details';
        d.innerHTML = '<summary>附件说明</summary><p>正文</p>'; document.querySelector('article').append(d); }""")
    assert page.evaluate("""() => { dispatchEvent(new Event('beforeprint')); const open = document.getElementById('mz-test-details').open;
        dispatchEvent(new Event('afterprint')); return [open, document.getElementById('mz-test-details').open]; }""") == [True, False]
    assert recorder.console_errors == []


def test_a_table_of_contents_taller_than_the_screen_scrolls_in_its_own_box(page, server, recorder):
    page.set_viewport_size({"width": 1280, "height": 500})
    open_page(page, server, "about/")
    # Forty more headings than the page has (a long guide would have them): the table of contents beside the
    # text stays within the screen, and its last entry, reached by Tab, is on screen.
    page.evaluate("""() => { const list = document.querySelector('.md-sidebar--secondary .md-nav__list');
        for (let i = 0; i < 40; i++) { const item = list.firstElementChild.cloneNode(true);
          const link = item.querySelector('a'); link.textContent = '第' + i + '节'; link.id = 'mz-test-' + i; list.append(item); } }""")
    page.evaluate("window.scrollTo(0, 300)")
    box = page.evaluate("""() => { const s = document.querySelector('.md-sidebar--secondary');
        const w = s.querySelector('.md-sidebar__scrollwrap'); const r = s.getBoundingClientRect();
        return {top: r.top, bottom: r.bottom, scroll: w.scrollHeight, client: w.clientHeight}; }""")
    assert box["top"] >= 0 and box["bottom"] <= 500 and box["scroll"] > box["client"], box
    page.focus("#mz-test-39")
    assert page.evaluate("document.getElementById('mz-test-39').getBoundingClientRect().bottom") <= 500
    assert recorder.console_errors == []


def test_a_malformed_address_fragment_breaks_nothing(page, server, recorder):
    """A shared link cut off in the middle of an encoded character (#%E5%AD): no error, the tools still work."""
    open_page(page, server, STORY + "#%E5%AD")
    page.locator("[data-mz-elder-toggle]").click()
    page.wait_for_function("() => document.documentElement.classList.contains('mz-elder')")
    assert page.evaluate("document.querySelectorAll('.md-top[data-mz-bound]').length") == 1
    assert recorder.console_errors == []
