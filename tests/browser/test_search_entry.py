"""Search as a reader starts it: the header's 搜索 puts the focus in the search box, ready to type (keyboard and
touch alike); a word written only in a page's summary finds that page."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import STORY, open_page
from tools.search_index_files import indexed_pages

WAIT = 15_000


@pytest.mark.parametrize("how", ["click", "keyboard"])
def test_header_search_link_focuses_the_search_box(page, server, how):
    open_page(page, server, STORY)
    link = page.locator("a.mz-search-link")
    if how == "click":
        link.click()
    else:
        link.focus()
        page.keyboard.press("Enter")
    page.wait_for_url("**/search/#mz-search-input")
    page.wait_for_function("document.activeElement && document.activeElement.id === 'mz-search-input'", timeout=WAIT)
    page.keyboard.type("低保")
    expect(page.locator("#mz-search-input")).to_have_value("低保")
    expect(page.locator("[data-mz-search-status]")).to_contain_text("找到", timeout=WAIT)


def _summary_only_word(page, server) -> tuple[str, str]:
    """A four-character run of the story's summary found nowhere in its title or shown text."""
    open_page(page, server, STORY)
    summary = page.get_attribute('meta[name="description"]', "content")
    shown = page.evaluate("document.querySelector('article').innerText")
    runs = [summary[i:i + 4] for i in range(len(summary) - 3)]
    words = [w for w in runs if all("\u4e00" <= c <= "\u9fff" for c in w) and w not in shown]
    assert words, summary
    return summary, words[0]


def test_a_word_only_in_the_summary_finds_the_page(page, server):
    summary, word = _summary_only_word(page, server)
    index = indexed_pages(server.site)
    assert word in index[f"/{STORY}"].text  # the index has it
    page.goto(server.url(f"search/?q={word}"))
    result = page.locator(".mz-search__result").filter(has=page.locator(f"a[href$='/{STORY}']"))
    expect(result).to_have_count(1, timeout=WAIT)
    expect(result.locator(".mz-search__excerpt mark").first).to_have_text(word)
