"""The reader's toolbar in a real browser: 配色 (axe and 7:1), 字号 on every page, 纯文本, 重置, state
across pages, the skip link and the Tab order, and 朗读 (连读 / 指读) through a wrapped speechSynthesis."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import HOME, NOTICE, SAMPLE_PAGES, STORY, new_page, open_page, run_axe
from tests.browser.test_elder_mode import COLOURS, contrast

PANEL_TOGGLE = "[data-mz-panel-toggle]"
SCHEMES = {"default": None, "contrast": "mz-scheme-contrast", "mono": "mz-scheme-mono"}
KEYS = ("mzpress.elder", "mzpress.size", "mzpress.scheme", "mzpress.textonly", "mzpress.toolbar", "mzpress.pointread")

# speechSynthesis.speak is wrapped: the test sees every utterance and ends it when it likes
# (window.__finish()); nothing is spoken. cancel() is counted. With ``voices`` the device has them.
SPEECH = """(() => {
    const voices = %s;
    window.__speech = {spoken: [], cancels: 0, current: null};
    const synth = window.speechSynthesis;
    synth.speak = u => { __speech.spoken.push({text: u.text, lang: u.lang}); __speech.current = u; };
    synth.cancel = () => { __speech.cancels++; __speech.current = null; };
    if (voices !== null) synth.getVoices = () => voices;
    window.__finish = () => { const u = __speech.current; if (!u) return false;
        __speech.current = null; u.dispatchEvent(new Event('end')); return true; };
})();"""
ZH_VOICE = "[{lang: 'zh-CN', name: '普通话', voiceURI: 'test-zh', localService: true, default: true}]"


def classes(page) -> set[str]:
    return set(page.evaluate("[...document.documentElement.classList]"))


def open_panel(page):
    toggle = page.locator(PANEL_TOGGLE)
    if toggle.get_attribute("aria-expanded") != "true":
        toggle.click()
    expect(toggle).to_have_attribute("aria-expanded", "true")
    return page.locator("[data-mz-panel]")


def spoken(page) -> list[str]:
    return [u["text"] for u in page.evaluate("__speech.spoken")]


def status(page):
    return page.locator("[data-mz-status]")


# ---- 配色 ------------------------------------------------------------------------------------

@pytest.mark.parametrize("width", [1280, 375])
@pytest.mark.parametrize("scheme", sorted(SCHEMES))
def test_every_scheme_passes_axe_and_7_to_1(browser, recorder, server, scheme, width):
    context, page = new_page(browser, recorder, width=width, height=800)
    try:
        open_page(page, server, STORY)
        open_panel(page).locator(f"[data-mz-scheme='{scheme}']").click()
        expect(page.locator(f"[data-mz-scheme='{scheme}']")).to_have_attribute("aria-pressed", "true")
        assert {c for c in classes(page) if c.startswith("mz-scheme-")} == ({SCHEMES[scheme]} - {None})
        assert run_axe(page, server) == []
        # Hover and focus states of the toolbar are checked too.
        page.locator("[data-mz-read='start']").hover()
        page.locator("[data-mz-scheme='mono']").focus()
        assert run_axe(page, server) == []
        for selector in ("article.md-typeset .mz-article > p", "article.md-typeset h1", ".mz-article-meta",
                         "[data-mz-elder-toggle]", "[data-mz-size='m']", "[data-mz-read='start']", ".md-tabs__link",
                         ".mz-footer-text p"):
            colours = page.evaluate(COLOURS, selector)
            assert contrast(tuple(colours["fg"]), tuple(colours["bg"])) >= 7, (scheme, selector, colours)
        assert recorder.console_errors == []
    finally:
        context.close()


@pytest.mark.parametrize("width", [1280, 375])
@pytest.mark.parametrize("path", [HOME, STORY], ids=["home", "story"])
@pytest.mark.parametrize("scheme", ["contrast", "mono"])
def test_scheme_with_elder_mode_passes_axe(browser, recorder, server, scheme, path, width):
    context, page = new_page(browser, recorder, width=width, height=800)
    try:
        page.add_init_script(f"localStorage.setItem('mzpress.scheme', '{scheme}')")
        open_page(page, server, path, elder=True)
        assert {"mz-elder", f"mz-scheme-{scheme}"} <= classes(page)
        open_panel(page)
        assert run_axe(page, server) == []
        colours = page.evaluate(COLOURS, "article.md-typeset p")
        assert contrast(tuple(colours["fg"]), tuple(colours["bg"])) >= 7, colours
    finally:
        context.close()


def test_high_contrast_is_yellow_on_black(page, server):
    page.add_init_script("localStorage.setItem('mzpress.scheme', 'contrast')")
    open_page(page, server, STORY)
    colours = page.evaluate(COLOURS, "article.md-typeset .mz-article > p")
    assert (colours["fg"], colours["bg"]) == ([255, 255, 0], [0, 0, 0])


# ---- state: every page, across pages, before first paint, 重置 ------------------------------

def test_toolbar_with_font_sizes_on_every_page(page, server):
    for path in [*SAMPLE_PAGES.values(), "no-such-page/"]:
        open_page(page, server, path)
        header = page.locator("header.md-header")
        expect(header.locator("[data-mz-elder-toggle]")).to_be_visible()
        for size in ("大", "中", "小"):  # shown without opening the panel
            expect(header.get_by_role("button", name="字号：" + size, exact=True)).to_be_visible()
        header.get_by_role("button", name="字号：大", exact=True).click()
        font = page.evaluate("parseFloat(getComputedStyle(document.querySelector('article p, article li:not(.mz-trail__item)'))"
                             ".fontSize)")
        assert font >= 20, (path, font)
        trail = page.locator("nav[aria-label='当前位置']")  # 当前位置 (every page but the home page) grows with the text
        assert trail.count() == (0 if path == HOME else 1), path
        if path != HOME:
            assert trail.evaluate("n => parseFloat(getComputedStyle(n).fontSize)") >= 0.9 * font - 0.01, path
        header.get_by_role("button", name="字号：中", exact=True).click()


def test_state_survives_a_page_change(page, server):
    open_page(page, server, HOME)
    panel = open_panel(page)
    page.get_by_role("button", name="字号：大").click()
    panel.get_by_role("button", name="黑底黄字").click()
    panel.get_by_role("button", name="纯文本").click()
    page.locator("[data-mz-elder-toggle]").click()
    page.locator(".md-tabs__link", has_text="通知公告").click()  # the reader's navigation
    page.wait_for_load_state("load")
    assert "/notices/" in page.url
    assert {"mz-size-l", "mz-scheme-contrast", "mz-text-only", "mz-elder", "mz-toolbar-open"} <= classes(page)
    for name in ("字号：大", "黑底黄字", "纯文本"):
        expect(page.get_by_role("button", name=name, exact=True)).to_have_attribute("aria-pressed", "true")
    expect(page.locator("[data-mz-elder-toggle]")).to_have_attribute("aria-pressed", "true")


def test_choices_apply_before_first_paint(page, server):
    page.add_init_script("""localStorage.setItem('mzpress.scheme', 'mono'); localStorage.setItem('mzpress.size', 's');
        localStorage.setItem('mzpress.textonly', 'on');
        new MutationObserver((_, obs) => { if (document.body) {
            window.__early = [...document.documentElement.classList]; obs.disconnect(); } })
            .observe(document, {childList: true, subtree: true});""")
    open_page(page, server, STORY)
    assert {"mz-scheme-mono", "mz-size-s", "mz-text-only"} <= set(page.evaluate("window.__early"))


def test_reset_restores_the_defaults(page, server):
    open_page(page, server, STORY)
    default_size = page.evaluate("getComputedStyle(document.querySelector('article .mz-article > p')).fontSize")
    panel = open_panel(page)
    for name in ("字号：小", "白底黑字", "纯文本", "指读"):
        page.get_by_role("button", name=name, exact=True).click()
    page.locator("[data-mz-elder-toggle]").click()
    assert page.evaluate(f"{list(KEYS)}.filter(k => localStorage.getItem(k) !== null).length") == len(KEYS)
    panel.get_by_role("button", name="重置").click()
    assert not {c for c in classes(page) if c.startswith(("mz-scheme", "mz-size", "mz-elder", "mz-text"))}
    assert page.evaluate(f"{list(KEYS)}.filter(k => localStorage.getItem(k) !== null)") == []
    for name in ("字号：中", "默认"):
        expect(page.get_by_role("button", name=name, exact=True)).to_have_attribute("aria-pressed", "true")
    for name in ("字号：小", "白底黑字", "纯文本", "指读"):
        expect(page.get_by_role("button", name=name, exact=True)).to_have_attribute("aria-pressed", "false")
    expect(status(page)).to_have_text("已恢复默认设置。")
    page.reload()
    assert page.evaluate("getComputedStyle(document.querySelector('article .mz-article > p')).fontSize") == default_size
    assert "mz-scheme-mono" not in classes(page) and "mz-toolbar-open" not in classes(page)


def test_text_only_shows_the_text_without_images_or_sidebars(page, server):
    open_page(page, server, HOME, idle=True)
    image = page.locator("article img").first
    expect(image).to_be_visible()
    open_panel(page).get_by_role("button", name="纯文本").click()
    expect(image).to_be_hidden()
    expect(page.locator(".mz-identity")).to_be_visible()
    page.goto(server.url(STORY))
    expect(page.locator(".md-sidebar--primary")).to_be_hidden()
    expect(page.locator(".md-sidebar--secondary")).to_be_hidden()
    expect(page.locator("article .mz-article > p").first).to_be_visible()
    assert run_axe(page, server) == []


# ---- keyboard --------------------------------------------------------------------------------

def focused(page) -> dict:
    return page.evaluate("""() => { const e = document.activeElement, s = getComputedStyle(e), r = e.getBoundingClientRect();
        return {text: e.textContent.trim(), cls: e.className, id: e.id, outline: s.outlineStyle,
                width: parseFloat(s.outlineWidth), onscreen: r.width > 0 && r.bottom > 0 && r.top < innerHeight}; }""")


@pytest.mark.parametrize("width", [1280, 375])
@pytest.mark.parametrize("path", [HOME, STORY, NOTICE], ids=["home", "story", "notice"])
def test_tab_reaches_the_skip_link_then_the_toolbar(browser, recorder, server, path, width):
    context, page = new_page(browser, recorder, width=width, height=800)
    try:
        open_page(page, server, path)
        stops = []
        for _ in range(7):
            page.keyboard.press("Tab")
            stops.append(focused(page))
        assert [s["text"] for s in stops[:6]] == ["跳到正文", "适老化模式", "大", "中", "小", "无障碍工具"]
        # Focus is always visible: on screen, with a ring of at least 2 px.
        assert all(s["onscreen"] and s["outline"] != "none" and s["width"] >= 2 for s in stops[:6]), stops
        # The closed panel is out of the Tab order: the next stop is past the toolbar.
        assert "mz-toolbar" not in page.evaluate("document.activeElement.closest('[data-mz-toolbar]') ? 'mz-toolbar' : ''")
        # Open it with the keyboard: its buttons follow; Esc closes it and gives the focus back.
        page.keyboard.press("Shift+Tab")
        page.keyboard.press("Enter")
        expect(page.locator(PANEL_TOGGLE)).to_have_attribute("aria-expanded", "true")
        page.keyboard.press("Tab")
        assert focused(page)["text"] == "默认"
        page.keyboard.press("Escape")
        expect(page.locator(PANEL_TOGGLE)).to_have_attribute("aria-expanded", "false")
        assert focused(page)["text"] == "无障碍工具"
        # The skip link goes to the top of the article: the next Tab is inside it.
        for _ in range(5):
            page.keyboard.press("Shift+Tab")
        assert focused(page)["text"] == "跳到正文"
        page.keyboard.press("Enter")
        assert focused(page)["id"] == "mz-content"
        page.keyboard.press("Tab")
        assert page.evaluate("!!document.activeElement.closest('article')"), focused(page)
    finally:
        context.close()


def test_skip_link_works_on_a_page_without_the_article_template(page, server):
    """The 404 page replaces the content block: its template has the skip link's target too, after 当前位置."""
    open_page(page, server, "no-such-page/")
    page.keyboard.press("Tab")
    assert focused(page)["text"] == "跳到正文"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "mz-content"
    page.keyboard.press("Tab")  # the next stop is the page's own search box, past the trail
    assert page.evaluate("document.activeElement.id") == "mz-404-search-input"


# ---- 朗读 ------------------------------------------------------------------------------------

def article_texts(page) -> dict:
    return page.evaluate("""() => ({
        title: document.querySelector('article h1').innerText.trim(),
        paragraphs: [...document.querySelectorAll('article.md-typeset .mz-article > p:not([class])')].map(p => p.innerText.trim())})""")


def test_continuous_reading_title_then_paragraphs_with_pause_and_resume(page, server):
    page.add_init_script(SPEECH % ZH_VOICE)
    open_page(page, server, STORY)
    expected = article_texts(page)
    assert len(expected["paragraphs"]) >= 3
    panel = open_panel(page)
    panel.get_by_role("button", name="连读").click()
    assert spoken(page) == [expected["title"]]
    assert page.evaluate("__speech.spoken[0].lang") == "zh-CN"
    expect(page.locator("article h1")).to_have_class("mz-reading")
    assert page.evaluate("__finish()")
    assert spoken(page)[-1] == expected["paragraphs"][0]
    # 暂停: the voice stops (cancel) and nothing more is read; 继续 reads that paragraph again.
    pause = panel.locator("[data-mz-read='pause']")
    pause.click()
    expect(pause).to_have_text("继续")
    expect(status(page)).to_contain_text("已暂停")
    assert page.evaluate("__speech.cancels") >= 1 and not page.evaluate("__finish()")
    count = len(spoken(page))
    pause.click()
    expect(pause).to_have_text("暂停")
    assert spoken(page)[count:] == [expected["paragraphs"][0]]
    for _ in range(200):
        if not page.evaluate("__finish()"):
            break
    texts = spoken(page)
    # Title first, then every paragraph in the article's order; nothing from the meta line or the lists below.
    positions = [texts.index(p, count) for p in expected["paragraphs"]]
    assert positions == sorted(positions)
    assert not [t for t in texts if t.startswith(("发布时间", "首次发布", "本页网址", "打印本页"))]
    expect(status(page)).to_have_text("朗读完毕。")
    expect(pause).to_be_disabled()
    assert page.locator(".mz-reading").count() == 0


def test_stop_ends_the_reading(page, server):
    page.add_init_script(SPEECH % ZH_VOICE)
    open_page(page, server, STORY)
    panel = open_panel(page)
    panel.get_by_role("button", name="连读").click()
    panel.get_by_role("button", name="停止").click()
    assert not page.evaluate("__finish()") and len(spoken(page)) == 1
    expect(panel.get_by_role("button", name="停止")).to_be_disabled()


def last_is(page, text: str) -> None:
    """Wait until the last utterance is ``text`` (a function, not a string to evaluate: the CSP forbids eval)."""
    page.wait_for_function("t => __speech.spoken.length > 0 && __speech.spoken.at(-1).text === t", arg=text, timeout=3000)


def was_said(page, text: str) -> None:
    """Wait until ``text`` has been spoken (the pointer may also rest on another element, e.g. the cover photo
    after the focus scrolled the page, and 指读 reads that one too)."""
    page.wait_for_function("t => __speech.spoken.some(u => u.text === t)", arg=text, timeout=5000)


def test_point_reading_reads_the_focused_element_and_the_one_under_the_pointer(page, server):
    page.add_init_script(SPEECH % ZH_VOICE)
    open_page(page, server, STORY)
    expected = article_texts(page)
    point = open_panel(page).get_by_role("button", name="指读")
    point.click()
    expect(point).to_have_attribute("aria-pressed", "true")
    expect(status(page)).to_contain_text("指读已开启")
    page.evaluate("() => { const p = document.querySelectorAll('article.md-typeset .mz-article > p:not([class])')[1];"
                  " p.tabIndex = -1; p.focus(); }")
    was_said(page, expected["paragraphs"][1])
    page.locator("article.md-typeset .mz-article > p:not([class])").nth(2).hover()
    was_said(page, expected["paragraphs"][2])
    # The keyboard's focus on a toolbar button reads its name; 指读 is remembered on the next page.
    page.mouse.move(0, 0)  # off the article: focusing the toolbar scrolls the page under the pointer
    page.locator("[data-mz-elder-toggle]").focus()
    was_said(page, "适老化模式")
    page.goto(server.url(HOME))
    expect(page.locator("[data-mz-point]")).to_have_attribute("aria-pressed", "true")


def test_no_chinese_voice_is_said_in_the_page(page, server):
    page.add_init_script(SPEECH % "[{lang: 'en-US', name: 'English', voiceURI: 'en', localService: true, default: true}]")
    open_page(page, server, STORY)
    open_panel(page).get_by_role("button", name="连读").click()
    expect(status(page)).to_contain_text("本设备未安装中文语音")
    assert page.evaluate("__speech.spoken[0].lang") == "zh-CN"  # still tried: the engine may cope


def test_no_speech_synthesis_is_said_in_the_page(page, server):
    page.add_init_script("delete window.SpeechSynthesisUtterance;")
    open_page(page, server, STORY)
    panel = open_panel(page)
    panel.get_by_role("button", name="连读").click()
    expect(status(page)).to_have_text("您的浏览器不支持语音朗读。请换用较新版本的浏览器，或使用手机、电脑自带的读屏功能。")
    panel.get_by_role("button", name="指读").click()
    expect(panel.get_by_role("button", name="指读")).to_have_attribute("aria-pressed", "false")
    assert status(page).get_attribute("aria-live") == "polite"
