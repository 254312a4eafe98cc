"""Touch targets and 字号 on a phone (375 px): every interactive element at least 44 × 44 px in the default mode and
48 × 48 px in 适老化模式 (links inside a sentence of the article's own text excepted, as WCAG 2.5.8 does), the 字号 label shown,
and 字号「大」 enlarging every kind of text (menu, metadata, footer, tables), not only the titles."""

from __future__ import annotations

import pytest

from tests.browser.conftest import HOME, NOTICE, STORY, TOPIC, open_page

TARGET, ELDER_TARGET = 44, 48  # px, at 375 px wide
PAGES = {"home": HOME, "story": STORY, "topic": TOPIC, "notice": NOTICE, "archive": "stories/",
         "campaign": "campaigns/zuimei-minzhengren/", "search": "search/"}

# Every visible interactive element with its box; inline links of the writers' text (a sentence) are exempt.
TARGETS = """() => [...document.querySelectorAll('a[href], button, input:not([type=hidden]), select, textarea, summary, label[tabindex], [role=button]')]
    .filter(e => { if (!e.getClientRects().length) return false; const s = getComputedStyle(e);
        if (s.visibility !== 'visible' || e.closest('[hidden], .md-sidebar--primary, .mz-skip')) return false;
        if (e.matches('.mz-skip, .md-top')) return false;
        // A link inside a sentence of the article's text (a writer's paragraph, list item or table cell).
        if (e.tagName === 'A' && e.closest('.mz-article :is(p, li, td, th, figcaption, blockquote):not([class])')
            && !e.closest('.mz-list, .mz-cards, .mz-links')) return false;
        return true; })
    .map(e => { const r = e.getBoundingClientRect();
        return {what: e.tagName + '.' + String(e.className).trim().replace(/\\s+/g, '.') + ' ' + (e.getAttribute('aria-label') || e.textContent).trim().slice(0, 20),
                w: Math.round(r.width * 10) / 10, h: Math.round(r.height * 10) / 10}; })"""


@pytest.mark.parametrize("elder", [False, True], ids=["default", "elder"])
@pytest.mark.parametrize("kind", sorted(PAGES))
def test_every_target_is_at_least_44_px_on_a_phone(mobile_page, server, kind, elder):
    """44 px in every mode, 48 px in 适老化模式 (the rules name no figure: a modest enlargement, README 读者)."""
    open_page(mobile_page, server, PAGES[kind], elder=elder)
    targets = mobile_page.evaluate(TARGETS)
    assert len(targets) >= 10
    least = ELDER_TARGET if elder else TARGET
    small = [t for t in targets if t["w"] < least or t["h"] < least]
    assert small == [], f"{len(small)} of {len(targets)} under {least} × {least} px: {small}"


def test_the_font_size_label_is_shown_on_a_phone(mobile_page, server):
    open_page(mobile_page, server, HOME)
    label = mobile_page.locator(".mz-toolbar__bar .mz-toolbar__label").first
    assert label.is_visible() and "字号" in label.inner_text()
    assert mobile_page.evaluate("document.documentElement.scrollWidth") <= 375


SIZES = """() => { const size = sel => { const e = [...document.querySelectorAll(sel)].find(x => x.getClientRects().length);
        return e ? parseFloat(getComputedStyle(e).fontSize) : null; };
    return {menu: size('.md-tabs__link, .md-nav__link'), meta: size('.mz-item-meta, .mz-article-meta'),
            footer: size('.mz-footer-text p'), table: size('.md-typeset table:not([class]) td'),
            body: size('.md-typeset p'), trail: size('.mz-trail')}; }"""


@pytest.mark.parametrize("path", [HOME, NOTICE, STORY])
@pytest.mark.parametrize("width", [1280, 375])
def test_large_size_enlarges_every_text(browser, recorder, server, path, width):
    from tests.browser.conftest import new_page
    context, page = new_page(browser, recorder, width=width, height=800)
    try:
        open_page(page, server, path)
        before = page.evaluate(SIZES)
        page.evaluate("localStorage.setItem('mzpress.size', 'l')")
        page.reload()
        after = page.evaluate(SIZES)
    finally:
        context.close()
    for part, size in before.items():
        if size is None:
            continue
        assert after[part] >= size * 1.15, (part, size, after[part])
