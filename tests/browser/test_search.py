"""Search as a reader uses it (the site's own index, search-index/, through nginx with deploy/nginx.conf, its CSP
included).

Nothing of search loads with a page; the header's 搜索 opens search/, whose script fetches the index pieces the
query needs (index.json, the postings shards of its keys, the packs holding the documents of the results shown).
A two-character word found only in the last paragraph of a 2024 story finds it; a withdrawn story is never found; results show title, date, unit and a highlighted excerpt; the first
query's bytes are measured and bounded; results follow the typing; keyboard-only use works; axe finds nothing
with results open, in every scheme and in elder mode.
"""

from __future__ import annotations

import re
from urllib.parse import unquote, urlsplit

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import STORY, WITHDRAWN, WITHDRAWN_TITLE, new_page, open_page, run_axe
from tests.browser.test_accessibility import CLASSES, STATES, _no_transitions
from tools.search_benchmark import SEARCH_TIMED
from tools.search_index_files import indexed_pages

OLD_STORY = "stories/2024/dibao-shenhe-guifan/"
BODY_WORD = "动态"  # in that story's last paragraph only: not its title, not its summary, no other page
NO_MATCH = "量子纠缠"
WAIT = 15_000  # ms, for the first load of the search code on a busy machine
# Issue 12's figure at 10,000 stories is 200 KB (scripts/bench --search measures that); the sample's first query
# measured 10.4 KB (index.json, the postings shards, the pack of 8 documents holding the one result; 5.2 KB when
# every document had its own file): bounded well below, so a regression shows.
FIRST_QUERY_LIMIT = 32 * 1024
SEARCH_FILES = re.compile(r"/search-index/|mzpress-search\.")



def index_pack(site, path: str) -> str:
    """The number of the pack file (search-index/documents/<pack>.json) holding the page's document."""
    return indexed_pages(site)["/" + path].pack


def _status(page):
    return page.locator("[data-mz-search-status]")


def _search_for(page, word: str) -> None:
    page.locator("#mz-search-input").fill(word)
    expect(_status(page)).to_contain_text(word, timeout=WAIT)


def test_the_word_is_only_in_the_old_storys_body(server):
    index = indexed_pages(server.site)
    holders = [url for url, page in index.items() if BODY_WORD in page.text]
    assert holders == [f"/{OLD_STORY}"]
    page = index[f"/{OLD_STORY}"]
    assert BODY_WORD not in page.meta["title"] and BODY_WORD in page.text.rsplit("。", 3)[-2]


def test_a_reader_finds_an_old_story_by_a_word_of_its_last_paragraph(page, server, recorder):
    sizes: dict[str, int] = {}
    page.on("requestfinished", lambda r: sizes.__setitem__(r.url, r.sizes()["responseBodySize"]
                                                          + r.sizes()["responseHeadersSize"]))
    open_page(page, server, STORY, idle=True)
    assert not [u for u in recorder.requests if SEARCH_FILES.search(u)], "a page load fetched search files"
    page.locator("a.mz-search-link").click()
    page.wait_for_url(server.url("search/#mz-search-input"))
    page.wait_for_load_state("networkidle")
    assert not [u for u in recorder.requests if "/search-index/" in u]  # nothing before there is a query
    before = set(sizes)
    _search_for(page, BODY_WORD)
    expect(_status(page)).to_have_text(re.compile(rf"找到1条与“{BODY_WORD}”有关的结果，按标题和发布时间排列。"))
    result = page.locator(".mz-search__result").filter(has=page.locator(f"a[href$='/{OLD_STORY}']"))
    expect(result).to_have_count(1)
    expect(result.locator(".mz-search__title")).to_have_text("社会救助股召开低保审核确认规范化工作会")
    expect(result.locator(".mz-search__meta")).to_contain_text("发布时间：2024-")
    expect(result.locator(".mz-search__meta")).to_contain_text("来源：")
    expect(result.locator(".mz-search__excerpt mark").first).to_have_text(BODY_WORD)
    excerpts = page.locator(".mz-search__excerpt").all_inner_texts()
    assert excerpts and all(text and text[0] not in "，、。；：！？" and "\u200b" not in text for text in excerpts)
    page.wait_for_load_state("networkidle")
    first_query = {u: s for u, s in sizes.items() if u not in before}
    fetched = sorted(urlsplit(u).path.split("/search-index/")[1] for u in first_query if "/search-index/" in u)
    assert fetched[0] == "documents/" + index_pack(server.site, OLD_STORY) + ".json"  # the one result's pack
    assert fetched[1] == "index.json" and fetched[2:] and all(f.startswith("postings/") for f in fetched[2:])
    total = sum(first_query.values())
    print(f"first query: {total / 1024:.1f} KB in {len(first_query)} responses")
    assert total <= FIRST_QUERY_LIMIT, sorted(first_query.items(), key=lambda kv: -kv[1])[:6]
    assert f"q={BODY_WORD}" in unquote(page.url)  # the address can be shared or bookmarked
    result.locator("a").first.click()
    page.wait_for_url(server.url(OLD_STORY))
    assert recorder.console_errors == []


def test_results_follow_the_typing_and_withdrawn_stories_never_appear(page, server, recorder):
    open_page(page, server, "search/?q=" + BODY_WORD)  # a shared address searches at once
    expect(_status(page)).to_contain_text("找到", timeout=WAIT)
    # Results follow every keystroke (their speed is measured by scripts/bench --search, not here).
    for word in ("养老", "殡葬", "婚姻"):
        assert page.evaluate(SEARCH_TIMED, word) > 0
        expect(page.locator(".mz-search__result").first).to_be_visible()
    # Four characters and more are confirmed in the text; a query with two words needs both.
    _search_for(page, "审核确认规范")
    old = page.locator(".mz-search__result").filter(has=page.locator(f"a[href$='/{OLD_STORY}']"))
    expect(old).to_have_count(1)
    expect(old.locator("mark").first).to_have_text("审核确认规范")
    _search_for(page, f"{BODY_WORD} 低保")
    expect(page.locator(".mz-search__result")).to_have_count(1)
    withdrawn_word = WITHDRAWN_TITLE.removeprefix("测试用撤回稿件：")[:6]  # 孝亲敬老宣传
    for word in (withdrawn_word, "测试用撤回稿件", NO_MATCH):
        _search_for(page, word)
        assert not page.locator(f".mz-search__result a[href$='/{WITHDRAWN}']").count(), word
    expect(_status(page)).to_have_text(f"没有找到与“{NO_MATCH}”有关的内容。可以换一个词，或少输入几个字再试。")
    expect(page.locator(".mz-search__result")).to_have_count(0)
    assert recorder.console_errors == []


def test_a_query_in_a_shared_address_is_held_to_the_boxs_length(page, server, recorder):
    """?q= of 400 different characters: searched as the first 100 (the box's maxlength), as if typed, so a link
    cannot make a reader's browser fetch a piece of the index for every three of them; nothing breaks."""
    query = "".join(chr(0x4E00 + 7 * i) for i in range(400))
    open_page(page, server, "search/?q=" + query)
    expect(_status(page)).to_contain_text(f"没有找到与“{query[:100]}”有关的内容", timeout=WAIT)
    assert page.locator("#mz-search-input").input_value() == query[:100]
    assert recorder.console_errors == []


def test_keyboard_only(page, server):
    open_page(page, server, "search/")
    for _ in range(40):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "mz-search-input":
            break
    else:
        pytest.fail("Tab never reached the search box")
    page.keyboard.insert_text("低保")
    page.keyboard.press("Enter")
    expect(_status(page)).to_contain_text("找到", timeout=WAIT)
    page.keyboard.press("Tab")  # the 搜索 button
    page.keyboard.press("Tab")  # the first result's title
    focused = page.evaluate("document.activeElement.closest('.mz-search__result') !== null")
    assert focused
    target = page.evaluate("document.activeElement.href")
    page.keyboard.press("Enter")
    page.wait_for_url(target)
    assert urlsplit(target).path != "/search/"


@pytest.mark.parametrize("width,height", [(1280, 900), (375, 740)], ids=["1280px", "375px"])
def test_no_axe_violation_with_results_open(browser, server, recorder, width, height):
    context, page = new_page(browser, recorder, width=width, height=height)
    try:
        open_page(page, server, "search/?q=" + BODY_WORD)
        expect(_status(page)).to_contain_text("找到", timeout=WAIT)
        _no_transitions(page, server)
        sizes, found = {}, []
        for state, clicks in STATES:
            for selector in clicks:
                page.locator(selector).first.click()
            assert CLASSES[state] <= set(page.evaluate("[...document.documentElement.classList]"))
            page.mouse.move(0, 0)
            found += [dict(v, state=state) for v in run_axe(page, server)]
            sizes[state] = float(page.evaluate(
                "parseFloat(getComputedStyle(document.querySelector('.mz-search__excerpt')).fontSize)"))
        assert found == [], found
        assert sizes["适老化"] >= 1.4 * sizes["default"], sizes  # elder mode enlarges the results
    finally:
        context.close()
