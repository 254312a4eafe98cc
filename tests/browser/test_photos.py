"""Photos in a story: the cover shown above the text with its alt text, each photo of the text with its caption
(图为…) shown under it, and both given their sizes and smaller renditions like every published photo."""

from __future__ import annotations

import pytest

from tests.browser.conftest import STORY, open_page

INLINE = "stories/2026/xianhua-huan-zhiqian/"  # ![青山镇公益性公墓…](images/xianhua-huan-zhiqian-1.jpg)


@pytest.mark.parametrize("elder", [False, True])
def test_story_shows_its_cover_with_its_alt_text(page, server, elder):
    open_page(page, server, STORY, elder=elder, idle=True)
    cover = page.locator("article figure.mz-cover img")
    assert cover.count() == 1
    assert cover.get_attribute("alt") == "志愿者在社区活动室为老人义务理发"
    assert cover.get_attribute("width") and cover.get_attribute("srcset")
    assert page.evaluate("""() => { const i = document.querySelector('article figure.mz-cover img');
        return i.complete && i.naturalWidth > 0 && i.getBoundingClientRect().width > 200; }""")
    # Under the meta line and before the text: the first thing the reader sees of the story.
    assert page.evaluate("""() => { const f = document.querySelector('figure.mz-cover'), m = document.querySelector('.mz-article-meta'),
        p = document.querySelector('article .mz-article > p:not([class])');
        return !!(m.compareDocumentPosition(f) & 4) && !!(f.compareDocumentPosition(p) & 4); }""")


def test_inline_photo_has_its_caption_under_it(page, server):
    open_page(page, server, INLINE, idle=True)
    figure = page.locator("article figure.mz-figure")
    assert figure.count() >= 1
    caption = figure.first.locator("figcaption")
    assert caption.inner_text().startswith("图为") and "青山镇公益性公墓" in caption.inner_text()
    assert caption.is_visible()
    image, text = figure.first.locator("img").bounding_box(), caption.bounding_box()
    assert text["y"] >= image["y"] + image["height"] - 1  # under the photo
    assert figure.first.locator("img").get_attribute("alt")  # the alt text stays for screen readers


@pytest.mark.parametrize("width", [1280, 375])
def test_list_entries_show_thumbnails_of_their_covers(browser, recorder, server, width):
    from tests.browser.conftest import TOPIC, new_page
    context, page = new_page(browser, recorder, width=width, height=800)
    try:
        open_page(page, server, TOPIC)
        thumbs = page.locator("li.mz-item img.mz-item-thumb")
        assert thumbs.count() >= 1
        for i in range(thumbs.count()):
            thumb = thumbs.nth(i)
            thumb.scroll_into_view_if_needed()
            assert thumb.get_attribute("alt") == ""  # decorative: the title beside it names the entry
            assert thumb.get_attribute("width") and thumb.get_attribute("srcset") and thumb.get_attribute("loading") == "lazy"
            page.wait_for_function("i => i.complete && i.naturalWidth > 0", arg=thumb.element_handle(), timeout=10_000)
            box, title = thumb.bounding_box(), thumb.locator("xpath=..").locator(".mz-item-title").bounding_box()
            assert 80 <= box["width"] <= 200 and box["x"] > title["x"]  # a small picture beside the title
        assert page.evaluate("document.documentElement.scrollWidth") <= width
    finally:
        context.close()
    assert recorder.console_errors == []
