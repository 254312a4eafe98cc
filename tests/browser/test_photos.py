"""Photos in a story: the cover shown above the text with its alt text, each photo of the text with its caption
(图为…) shown under it, and both given their sizes and smaller renditions like every published photo; the WebP
copies, offered in a <picture> where smaller, are what Chromium loads."""

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
            box, title = thumb.bounding_box(), thumb.locator("xpath=ancestor::li[1]").locator(".mz-item-title").bounding_box()
            assert 80 <= box["width"] <= 200 and box["x"] > title["x"]  # a small picture beside the title
        assert page.evaluate("document.documentElement.scrollWidth") <= width
    finally:
        context.close()
    assert recorder.console_errors == []


@pytest.mark.parametrize("path", ["", STORY, INLINE, "topics/xiaoxian/"])
def test_photos_offered_as_webp_load_as_webp(page, server, path):
    """Every photo the page offers in a <picture> (its WebP copies smaller than the JPEGs) loads in Chromium, from a
    WebP copy of the site, with its alt text, width/height and loading as without WebP."""
    open_page(page, server, path, idle=True)
    pictures = page.locator("picture.mz-picture")
    assert pictures.count() >= 1, path
    for i in range(pictures.count()):
        image = pictures.nth(i).locator("img")
        image.scroll_into_view_if_needed()
        page.wait_for_function("i => i.complete && i.naturalWidth > 0", arg=image.element_handle(), timeout=10_000)
        found = image.evaluate("""i => ({src: i.currentSrc, alt: i.getAttribute('alt'), width: i.getAttribute('width'),
            height: i.getAttribute('height'), loading: i.getAttribute('loading'),
            source: i.parentElement.querySelector('source[type="image/webp"]').getAttribute('srcset'),
            box: i.getBoundingClientRect().width})""")
        assert found["src"].startswith(server.url("")) and found["src"].endswith(".webp"), found
        assert found["alt"] is not None and found["width"] and found["height"] and found["loading"] in ("lazy", "eager")
        assert found["box"] > 50, found  # laid out as the <img> alone would be (the <picture> has no box)
    assert page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"]
