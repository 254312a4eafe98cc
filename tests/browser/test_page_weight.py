"""Page weight through nginx: what a reader's browser actually transfers (gzip), JS and CSS included.

A story page without images: ≤ 400 KB. The home page (with its cover images): ≤ 600 KB.
Measured with Chromium on a fresh profile (empty cache), after scrolling to the end so
lazy images load too, until the network is idle.
"""

from __future__ import annotations

import re

from tests.browser.conftest import HOME, open_page

STORY_LIMIT = 400 * 1024
HOME_LIMIT = 600 * 1024


def _story_without_images(site) -> str:
    for index in sorted(site.glob("stories/[0-9][0-9][0-9][0-9]/*/index.html")):
        html = index.read_text(encoding="utf-8")
        article = html[html.index("<article"):html.index("</article>")]
        if "<img" not in article and "mz-withdrawn" not in article:
            return index.parent.relative_to(site).as_posix() + "/"
    raise AssertionError("no story without images in the sample")


def transferred(page, server, path: str) -> tuple[int, dict[str, int]]:
    sizes: dict[str, int] = {}
    encodings: dict[str, str] = {}

    def record(response):
        request = response.request
        size = request.sizes()
        sizes[response.url] = size["responseBodySize"] + size["responseHeadersSize"]
        encodings[response.url] = (response.headers.get("content-encoding") or "")

    page.on("requestfinished", lambda request: record(request.response()))
    open_page(page, server, path)
    page.mouse.wheel(0, 50000)
    page.wait_for_load_state("networkidle")
    main = server.url(path)
    assert encodings[main] == "gzip"  # the HTML itself came compressed
    for url, encoding in encodings.items():
        if re.search(r"\.(css|js|json)$", url):
            assert encoding == "gzip", url
    return sum(sizes.values()), sizes


def test_story_page_without_images_is_light(page, server):
    path = _story_without_images(server.site)
    total, sizes = transferred(page, server, path)
    assert any(url.endswith(".js") for url in sizes) and any(url.endswith(".css") for url in sizes)
    assert not any(re.search(r"/stories/.*\.(jpe?g|png|webp)$", url) for url in sizes)  # no content images
    assert total <= STORY_LIMIT, (total, sorted(sizes.items(), key=lambda kv: -kv[1])[:8])


def test_home_page_is_light(page, server):
    total, sizes = transferred(page, server, HOME)
    assert any(re.search(r"\.jpe?g$", url) for url in sizes)  # the cover images are counted
    assert total <= HOME_LIMIT, (total, sorted(sizes.items(), key=lambda kv: -kv[1])[:8])
