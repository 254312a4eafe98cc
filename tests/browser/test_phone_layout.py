"""Phones (375 × 740) in 适老化模式: tables fit the screen, the site's name fits, the banner is small."""

from __future__ import annotations

from tests.browser.conftest import HOME, NOTICE, open_page


def test_elder_mode_on_a_phone(mobile_page, server, recorder):
    page = mobile_page
    open_page(page, server, NOTICE, elder=True)
    assert page.evaluate("document.documentElement.classList.contains('mz-elder')")
    # The page itself never scrolls sideways, nor does the table: too wide for the phone, it is shown as one card
    # per row, each cell under its column's name (tests/browser/test_tables.py has the details).
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    wrap = page.locator("article .md-typeset__scrollwrap").first
    assert "mz-table-stacked" in wrap.get_attribute("class")
    assert wrap.evaluate("w => w.scrollWidth <= w.clientWidth")
    assert wrap.get_attribute("tabindex") is None  # nothing to scroll: no focus stop
    box = wrap.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 375, box
    name_cell = page.locator("article td").filter(has_text="示例县阳光社区公益服务中心").first
    assert name_cell.get_attribute("data-mz-label") == "社会组织名称"
    cell = name_cell.bounding_box()
    assert cell["x"] >= 0 and cell["x"] + cell["width"] <= 375, cell

    open_page(page, server, HOME)
    # The site's name in the header is shown in full (two lines allowed), not cut to “示例县民…”.
    title = page.locator(".md-header__topic").first.locator(".md-ellipsis")
    assert title.inner_text().strip() == "示例县民政局"
    clip = title.evaluate("e => [e.scrollWidth, e.clientWidth, e.getBoundingClientRect().right]")
    assert clip[0] <= clip[1] and clip[2] <= 375, clip
    # Not under the header's buttons to its right (search).
    right = page.evaluate("""() => { const t = document.querySelector('.md-header__title').getBoundingClientRect();
        const xs = [...document.querySelectorAll('.md-header__inner .md-header__button, .md-header__inner button, .md-header__inner input')]
            .map(e => e.getBoundingClientRect()).filter(r => r.width > 0 && r.left >= t.left).map(r => r.left);
        return xs.length ? Math.min(...xs) : 375; }""")
    assert clip[2] <= right + 1, (clip, right)
    # The home banner stays under a third of the first screen.
    banner = page.locator(".mz-identity").bounding_box()
    assert banner["height"] < 740 / 3, banner
    assert banner["y"] + banner["height"] < 740 * 0.6, banner  # and the welcome text starts on the first screen
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    assert recorder.console_errors == []
