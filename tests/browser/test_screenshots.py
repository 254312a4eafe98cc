"""Screenshots of every page kind a reader meets (home, story, topic list, notice, 回应关切, search, bulletin, 404) at
375 × 740 (a phone) and 1280 × 800 (a computer), in the default mode and in 适老化模式, and of the home page and a
story on a phone in 黑底黄字; rewritten each run into docs/screenshots/reader-*.png (linked from the README's reader
section). Each is the first screen of the page, stored as a 256-colour PNG (Pillow) to keep the repository small."""

from __future__ import annotations

import io
import struct

from PIL import Image

from tests.browser.conftest import BULLETIN, HOME, NOTICE, RESPONSE, STORY, TOPIC, new_page, open_page
from tests.support.project import REPO_ROOT

SHOTS = REPO_ROOT / "docs" / "screenshots"
PAGES = {"home": HOME, "story": STORY, "topic": TOPIC, "notice": NOTICE, "response": RESPONSE,
         "search": "search/?q=养老", "bulletin": BULLETIN, "404": "no/such/page/"}
SIZES = {375: 740, 1280: 800}
MODES = {"default": {}, "elder": {"mzpress.elder": "on"}}
CONTRAST = {"mzpress.scheme": "contrast"}
LARGEST = 160 * 1024  # bytes of one stored screenshot


def _png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", data[16:24])


def _store(data: bytes, name: str) -> int:
    """``data`` (Chromium's PNG) stored as docs/screenshots/``name``, reduced to 256 colours; its size in bytes."""
    with Image.open(io.BytesIO(data)) as shot:
        reduced = shot.convert("RGB").quantize(256, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
    out = io.BytesIO()
    reduced.save(out, "PNG", optimize=True)
    (SHOTS / name).write_bytes(out.getvalue())
    return len(out.getvalue())


def _open(browser, recorder, width: int, stored: dict[str, str]):
    context, page = new_page(browser, recorder, width=width, height=SIZES[width])
    script = ";".join(f"localStorage.setItem('{k}', '{v}')" for k, v in stored.items())
    page.add_init_script(f"try {{ {script}; }} catch (e) {{}}")
    return context, page


def _shoot(page, server, recorder, path: str, name: str, width: int) -> None:
    before = len(recorder.console_errors)
    response = open_page(page, server, path, idle=True)
    assert response.status == (404 if path == PAGES["404"] else 200), path
    if path.startswith("search/"):  # the results of the query in the address, not the empty page
        page.locator(".mz-search__result").first.wait_for(timeout=10_000)
    page.evaluate("document.fonts.ready")
    data = page.screenshot(animations="disabled", caret="hide")
    assert _png_size(data) == (width, SIZES[width])
    size = _store(data, name)
    assert size <= LARGEST, (name, size)
    with Image.open(SHOTS / name) as stored:
        assert stored.size == (width, SIZES[width])
    errors = recorder.console_errors[before:]
    if path == PAGES["404"]:  # the page's own status, which Chromium logs
        errors = [e for e in errors if "status of 404" not in e]
    assert errors == [], (name, errors)


def test_every_page_kind_at_both_widths_in_both_modes(browser, server, recorder):
    SHOTS.mkdir(parents=True, exist_ok=True)
    for width in SIZES:
        for mode, stored in MODES.items():
            context, page = _open(browser, recorder, width, stored)
            try:
                for kind, path in PAGES.items():
                    _shoot(page, server, recorder, path, f"reader-{kind}-{width}-{mode}.png", width)
                    classes = page.evaluate("document.documentElement.className")
                    assert ("mz-elder" in classes) == (mode == "elder"), (kind, classes)
            finally:
                context.close()
    assert recorder.foreign_requests == []


def test_phone_screenshots_in_black_and_yellow(browser, server, recorder):
    SHOTS.mkdir(parents=True, exist_ok=True)
    context, page = _open(browser, recorder, 375, CONTRAST)
    try:
        for kind in ("home", "story"):
            _shoot(page, server, recorder, PAGES[kind], f"reader-{kind}-375-contrast.png", 375)
            assert "mz-scheme-contrast" in page.evaluate("document.documentElement.className")
            colours = page.evaluate("""() => { const s = getComputedStyle(document.querySelector('article p'));
                return [s.color, getComputedStyle(document.body).backgroundColor]; }""")
            assert colours == ["rgb(255, 255, 0)", "rgb(0, 0, 0)"], colours  # really black with yellow text
    finally:
        context.close()
    assert recorder.foreign_requests == []
