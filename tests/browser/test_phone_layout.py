"""Phones (375 × 740) in 适老化模式: tables scroll in their own box, the site's name fits, the banner is small."""

from __future__ import annotations

from tests.browser.conftest import HOME, NOTICE, open_page


def test_elder_mode_on_a_phone(mobile_page, server, recorder):
    page = mobile_page
    open_page(page, server, NOTICE, elder=True)
    assert page.evaluate("document.documentElement.classList.contains('mz-elder')")
    # The page itself never scrolls sideways; the table does, inside its own focusable, named region.
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    region = page.locator("article .md-typeset__scrollwrap").first
    assert region.get_attribute("role") == "region" and region.get_attribute("tabindex") == "0"
    assert "表格" in region.get_attribute("aria-label")
    box = region.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 375, box
    widths = region.evaluate("w => [w.scrollWidth, w.clientWidth]")
    assert widths[0] > widths[1], widths  # wider than the screen: it scrolls
    # No column is squeezed to a character or two: the organisation's name stays on one line.
    name_cell = page.locator("article td").filter(has_text="示例县阳光社区公益服务中心").first
    cell = name_cell.evaluate("""td => { const r = document.createRange(); r.selectNodeContents(td);
        return {lines: r.getClientRects().length, height: td.getBoundingClientRect().height,
                line: parseFloat(getComputedStyle(td).lineHeight)}; }""")
    assert cell["height"] < 2 * cell["line"] + 20, cell
    # A keyboard user scrolls it: focus, then the arrow key.
    region.focus()
    page.keyboard.press("ArrowRight")
    page.wait_for_function("() => document.querySelector('article .md-typeset__scrollwrap').scrollLeft > 0")

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
