"""Screenshots of the home page and a story on a phone (375 × 740) in 适老化模式 and in 黑底黄字,
rewritten each run into docs/screenshots/reader-*.png (linked from the README's reader section)."""

from __future__ import annotations

import struct

from tests.browser.conftest import HOME, STORY, open_page
from tests.support.project import REPO_ROOT

SHOTS = REPO_ROOT / "docs" / "screenshots"
MODES = {"elder": {"mzpress.elder": "on"}, "contrast": {"mzpress.scheme": "contrast"}}
PAGES = {"home": HOME, "story": STORY}


def _png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", data[16:24])


def test_phone_screenshots(browser, server, recorder):
    from tests.browser.conftest import new_page

    SHOTS.mkdir(parents=True, exist_ok=True)
    for mode, stored in MODES.items():
        context, page = new_page(browser, recorder, width=375, height=740)
        script = ";".join(f"localStorage.setItem('{k}', '{v}')" for k, v in stored.items())
        page.add_init_script(f"try {{ {script}; }} catch (e) {{}}")
        try:
            for name, path in PAGES.items():
                open_page(page, server, path, idle=True)
                classes = page.evaluate("document.documentElement.className")
                assert ("mz-elder" if mode == "elder" else "mz-scheme-contrast") in classes, classes
                if mode == "contrast":  # really black with yellow text, not the default colours
                    colours = page.evaluate("""() => { const s = getComputedStyle(document.querySelector('article p'));
                        return [s.color, getComputedStyle(document.body).backgroundColor]; }""")
                    assert colours == ["rgb(255, 255, 0)", "rgb(0, 0, 0)"], colours
                target = SHOTS / f"reader-{name}-{mode}.png"
                data = page.screenshot(path=str(target), animations="disabled", caret="hide")
                assert _png_size(data) == (375, 740) and target.read_bytes() == data
        finally:
            context.close()
    assert recorder.foreign_requests == [] and recorder.console_errors == []
