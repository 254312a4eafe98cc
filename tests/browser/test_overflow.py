"""Overflow and line breaks: the 404 page's search box inside a phone's screen in 适老化模式, a 公示期 with its label
and dates and a phone number never broken across lines, and 适老化模式 at 1280 px giving the text a wide column."""

from __future__ import annotations

import re

import pytest

from tests.browser.conftest import NOTICE, STORY, new_page, open_page

PHONE = re.compile(r"\d{3,4}-\d{7,8}|1[3-9]\d{9}")

# The lines a piece of text occupies: the distinct tops of its boxes (a Range over it).
LINES = """([selector, pattern]) => {
    const out = [], re = new RegExp(pattern, 'g');
    for (const root of document.querySelectorAll(selector)) {
        const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
        let text = '', nodes = [];
        while (walker.nextNode()) { nodes.push([walker.currentNode, text.length]); text += walker.currentNode.nodeValue; }
        for (const m of text.matchAll(re)) {
            const at = i => { for (let k = nodes.length - 1; k >= 0; k--) if (nodes[k][1] <= i) return [nodes[k][0], i - nodes[k][1]]; };
            const range = document.createRange(), start = at(m.index), end = at(m.index + m[0].length - 1);
            range.setStart(start[0], start[1]); range.setEnd(end[0], end[1] + 1);
            const tops = new Set([...range.getClientRects()].filter(r => r.width > 0).map(r => Math.round(r.bottom)));
            out.push([m[0], tops.size]);
        }
    }
    return out; }"""


@pytest.mark.parametrize("width", [320, 375])
def test_404_search_box_fits_a_phone_in_elder_mode(browser, recorder, server, width):
    context, page = new_page(browser, recorder, width=width, height=740)
    try:
        open_page(page, server, "no/such/page/", elder=True)
        boxes = page.evaluate("""() => [...document.querySelectorAll('.mz-404-search, .mz-404-search *')]
            .map(e => [e.tagName, e.getBoundingClientRect().left, e.getBoundingClientRect().right])""")
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        assert all(left >= 0 and right <= width for _, left, right in boxes), boxes
        assert page.locator("#mz-404-search-input").bounding_box()["width"] >= 150
    finally:
        context.close()


@pytest.mark.parametrize("elder", [False, True])
@pytest.mark.parametrize("width", [320, 375])
@pytest.mark.parametrize("path", [NOTICE, "notices/", ""])
def test_notice_period_and_phone_numbers_stay_on_one_line(browser, recorder, server, path, width, elder):
    context, page = new_page(browser, recorder, width=width, height=740)
    try:
        open_page(page, server, path, elder=elder)
        periods = page.evaluate(LINES, [".mz-period", r"公示期：\d{4}[-年]\d{1,2}[-月]\d{1,2}日?"])
        phones = page.evaluate(LINES, ["article, footer", PHONE.pattern])
    finally:
        context.close()
    if path != "":  # the home page lists notices without a period when none is open
        assert periods, "no 公示期 found"
    assert phones, "no phone number found"
    broken = [(text, lines) for text, lines in periods + phones if lines != 1]
    assert broken == [], broken


def test_elder_mode_at_1280_gives_the_text_a_wide_column(browser, recorder, server):
    context, page = new_page(browser, recorder, width=1280, height=800)
    try:
        open_page(page, server, STORY, elder=True)
        column = page.evaluate("document.querySelector('article p').getBoundingClientRect().width")
        size = page.evaluate("parseFloat(getComputedStyle(document.querySelector('article p')).fontSize)")
        assert page.evaluate("document.documentElement.scrollWidth") <= 1280
    finally:
        context.close()
    assert size >= 24 and column >= 760, (column, size)  # 32 characters a line or more (was 640 px)
