"""Details a government reader notices (issue 16), checked in the built site at 1280 px."""

from __future__ import annotations

from tests.browser.conftest import HOME, STORY, open_page
from tests.support.project import REPO_ROOT

SIDEBAR_SHOWN = """() => { const s = document.querySelector('.md-sidebar--primary');
    return getComputedStyle(s).visibility === 'visible' && [...s.querySelectorAll('.md-nav__link')]
        .filter(a => a.getClientRects().length && getComputedStyle(a).visibility === 'visible').length; }"""


def test_titles_cards_sidebar_footer_and_home_columns(page, server, recorder):
    open_page(page, server, STORY)
    h1 = page.evaluate("(() => { const s = getComputedStyle(document.querySelector('article h1')); return [s.fontWeight, s.color]; })()")
    assert int(h1[0]) >= 700 and h1[1] in ("rgba(0, 0, 0, 0.87)", "rgb(0, 0, 0)"), h1  # not weight 300 grey
    assert page.evaluate(SIDEBAR_SHOWN) == 0  # a story's column has no sub-pages: no lone link on the left

    open_page(page, server, "topics/")
    topic = page.evaluate("""() => { const a = document.querySelector('.mz-topics .mz-topic > a');
        return [getComputedStyle(a).textDecorationLine, getComputedStyle(a.querySelector('.mz-topic-name')).textDecorationLine,
                getComputedStyle(a.querySelector('.mz-topic-desc, .mz-topic-count')).textDecorationLine]; }""")
    assert topic == ["none", "underline", "none"], topic  # only the topic's name is underlined, not every line
    assert page.evaluate(SIDEBAR_SHOWN) > 1  # 文化专题 has its topics in the sidebar

    open_page(page, server, HOME)
    assert page.evaluate(SIDEBAR_SHOWN) == 0  # the home page's sidebar held only 首页
    footer = page.locator(".mz-footer").inner_text()
    assert "Atom" not in footer and "网站地图" in footer and "我为政府网站找错" in footer
    sections = page.locator(".mz-section > h2").all_inner_texts()
    tabs = page.locator(".md-tabs__link").all_inner_texts()
    assert "通知公告" in sections and "通知公告" in [t.strip() for t in tabs] and "公示公告" not in sections
    notices = sorted((REPO_ROOT / "content" / "notices").rglob("*.md"))
    shown = page.locator(".mz-section").filter(has=page.locator("h2", has_text="通知公告")).locator("li").count()
    assert shown == min(len(notices), 5) and shown > 1, (shown, len(notices))
    # No hole beside a story card with a photo: the cards of one row are about equally tall.
    rows = page.evaluate("""() => { const rows = {};
        document.querySelectorAll('.mz-cards > .mz-card').forEach(c => { const r = c.getBoundingClientRect();
            const h = [...c.children].reduce((m, e) => Math.max(m, e.getBoundingClientRect().bottom), r.top) - r.top;
            (rows[Math.round(r.top)] = rows[Math.round(r.top)] || []).push(Math.round(h)); });
        return Object.values(rows); }""")
    assert any(len(r) > 1 for r in rows), rows
    assert page.locator(".mz-cards .mz-card-cover").count() >= 1
    for row in rows:
        assert max(row) - min(row) < 60, rows  # the content of each card fills its row
    assert recorder.console_errors == []
