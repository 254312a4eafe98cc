"""适老化模式 in a real browser: sizes, spacing, contrast, click targets, persistence, keyboard."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import HOME, NOTICE, SAMPLE_PAGES, STORY, TOPIC, open_page

TOGGLE = "button[data-mz-elder-toggle]"

METRICS = """() => {
    const p = document.querySelector('article.md-typeset > p');
    const s = getComputedStyle(p);
    const size = parseFloat(s.fontSize), line = parseFloat(s.lineHeight);
    return {size, line, top: parseFloat(s.marginTop), bottom: parseFloat(s.marginBottom),
            elder: document.documentElement.classList.contains('mz-elder')};
}"""


def _luminance(rgb: tuple[float, float, float]) -> float:
    def channel(c: float) -> float:
        c = c / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4
    r, g, b = (channel(c) for c in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(fg: tuple, bg: tuple) -> float:
    light, dark = sorted((_luminance(fg), _luminance(bg)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


COLOURS = """sel => { const e = document.querySelector(sel); const rgb = v => v.match(/[\\d.]+/g).slice(0, 3).map(Number);
    let bg = e; while (bg && getComputedStyle(bg).backgroundColor.match(/[\\d.]+/g).length === 4
                       && Number(getComputedStyle(bg).backgroundColor.match(/[\\d.]+/g)[3]) === 0) bg = bg.parentElement;
    return {fg: rgb(getComputedStyle(e).color), bg: rgb(bg ? getComputedStyle(bg).backgroundColor : 'rgb(255,255,255)')}; }"""


def test_toggle_enlarges_text_and_spacing(page, server):
    open_page(page, server, STORY)
    normal = page.evaluate(METRICS)
    assert not normal["elder"] and normal["size"] < 24
    toggle = page.locator(TOGGLE)
    expect(toggle).to_have_attribute("aria-pressed", "false")
    toggle.click()
    expect(toggle).to_have_attribute("aria-pressed", "true")
    elder = page.evaluate(METRICS)
    assert elder["elder"]
    assert elder["size"] >= 24  # 18 pt = 24 CSS px
    assert elder["line"] >= 1.3 * elder["size"]
    assert max(elder["top"], elder["bottom"]) >= 1.3 * elder["line"]  # paragraph spacing ≥ 1.3 × line spacing
    toggle.click()
    expect(toggle).to_have_attribute("aria-pressed", "false")
    assert page.evaluate(METRICS)["size"] == normal["size"]


def test_choice_persists_across_pages_and_reloads(page, server):
    open_page(page, server, HOME)
    page.locator(TOGGLE).click()
    page.locator(".mz-topics a").first.click()  # a reader's navigation, not a fresh load by the test
    page.wait_for_load_state("load")
    assert page.evaluate("document.documentElement.classList.contains('mz-elder')")
    expect(page.locator(TOGGLE)).to_have_attribute("aria-pressed", "true")
    for path in (STORY, NOTICE):
        page.goto(server.url(path))
        metrics = page.evaluate(METRICS)
        assert metrics["elder"] and metrics["size"] >= 24
    page.locator(TOGGLE).click()
    page.reload()
    assert not page.evaluate("document.documentElement.classList.contains('mz-elder')")


def test_mode_applies_before_first_paint(page, server):
    """The stored choice is applied by a <head> script: the class is on <html> before <body> is parsed."""
    open_page(page, server, HOME)
    page.evaluate("localStorage.setItem('mzpress.elder', 'on')")
    page.add_init_script("""document.addEventListener('readystatechange', () => {
        if (document.readyState === 'interactive' && !window.__mzState) window.__mzState = 'late'; });
        new MutationObserver((_, obs) => { if (document.body) {
            window.__mzState = document.documentElement.classList.contains('mz-elder') ? 'early' : 'missing';
            obs.disconnect(); } }).observe(document, {childList: true, subtree: true});""")
    page.goto(server.url(STORY))
    assert page.evaluate("window.__mzState") == "early"


@pytest.mark.parametrize("key", ["Enter", " "], ids=["enter", "space"])
def test_keyboard_reaches_and_operates_the_toggle(page, server, key):
    open_page(page, server, STORY)
    for _ in range(30):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.matches('[data-mz-elder-toggle]')"):
            break
    else:
        pytest.fail("Tab never reached the 适老化 toggle")
    page.keyboard.press(key)
    expect(page.locator(TOGGLE)).to_have_attribute("aria-pressed", "true")
    assert page.evaluate(METRICS)["size"] >= 24
    page.keyboard.press(key)
    expect(page.locator(TOGGLE)).to_have_attribute("aria-pressed", "false")
    # The focus is visible: an outline is drawn around the focused toggle.
    assert page.evaluate("getComputedStyle(document.activeElement).outlineStyle") != "none"


def test_toggle_is_in_the_header_of_every_page(page, server):
    for path in SAMPLE_PAGES.values():
        open_page(page, server, path)
        toggle = page.locator("header.md-header " + TOGGLE)
        expect(toggle).to_be_visible()
        expect(toggle).to_have_accessible_name("适老化模式")


def test_high_contrast_palette(page, server):
    open_page(page, server, STORY, elder=True)
    for selector in ("article.md-typeset > p", ".mz-article-meta", ".mz-related a", ".md-header__topic",
                     ".mz-footer-text p"):
        colours = page.evaluate(COLOURS, selector)
        assert contrast(tuple(colours["fg"]), tuple(colours["bg"])) >= 7, (selector, colours)


@pytest.mark.parametrize("path", [HOME, STORY, TOPIC])
def test_click_targets_are_at_least_44px(page, server, path):
    open_page(page, server, path, elder=True)
    too_small = page.evaluate("""() => [...document.querySelectorAll(
            '[data-mz-elder-toggle], .mz-tools button, .mz-item-title, .mz-card-title, .mz-more,'
            + ' .mz-prev-next a, .mz-links a, .md-tabs__link, .mz-footer-text a, .md-header__button')]
        .filter(e => e.getClientRects().length && getComputedStyle(e).visibility !== 'hidden')
        .map(e => ({what: e.textContent.trim().slice(0, 20), r: e.getBoundingClientRect()}))
        .filter(x => x.r.height < 44 || x.r.width < 44)
        .map(x => x.what + ' ' + Math.round(x.r.width) + 'x' + Math.round(x.r.height))""")
    assert too_small == []


def test_large_cursor_in_elder_mode(page, server):
    open_page(page, server, STORY, elder=True)
    assert "mz-cursor-large.svg" in page.evaluate("getComputedStyle(document.documentElement).cursor")
    assert "mz-cursor-hand-large.svg" in page.locator(TOGGLE).evaluate("e => getComputedStyle(e).cursor")
