"""Print: the article with its meta and the bureau's name and address; no related lists or chrome;
fixed print sizes (text 16 pt, tables 12 pt) whatever the screen's 字号 and 适老化模式."""

from __future__ import annotations

import re

import yaml

from tests.browser.conftest import NOTICE, STORY, open_page
from tests.support.project import REPO_ROOT

PRINTED = """() => {
  const shown = e => !!e && getComputedStyle(e).display !== 'none' && e.getClientRects().length > 0;
  const size = s => { const e = document.querySelector(s); return e ? parseFloat(getComputedStyle(e).fontSize) * 0.75 : null; };
  const hidden = ['.md-header', '.mz-toolbar', '.md-tabs', '.md-sidebar--primary', '.mz-topics-line', '.mz-record',
                  '.mz-related', '.mz-prev-next', '.mz-tools', '.mz-party-mark', '.mz-footer-links']
    .filter(s => document.querySelector(s)).map(s => [s, [...document.querySelectorAll(s)].some(shown)]);
  return {text: document.body.innerText, hidden: hidden, body: size('article .md-typeset p, article p'),
          cell: size('article td'), h1: size('article h1'), meta: shown(document.querySelector('.mz-article-meta'))};
}"""


def test_printed_story_and_notice(page, server, recorder):
    footer = yaml.safe_load((REPO_ROOT / "site_config" / "site.yml").read_text(encoding="utf-8"))["footer"]
    # The screen is as large as the reader can make it: 适老化模式 with 字号「大」.
    page.add_init_script("try { localStorage.setItem('mzpress.size', 'l'); } catch (e) {}")
    open_page(page, server, STORY, elder=True)
    screen = page.evaluate("parseFloat(getComputedStyle(document.querySelector('article p')).fontSize)")
    assert screen >= 30  # the screen's size, for contrast with the print below
    title = page.locator("article h1").first.inner_text().strip()
    page.emulate_media(media="print")
    story = page.evaluate(PRINTED)
    assert title in story["text"] and story["meta"]
    assert footer["sponsor"] in story["text"] and footer["address"] in story["text"]
    assert "本页网址" in story["text"]
    for selector, shown in story["hidden"]:
        assert not shown, f"{selector} is printed"
    names = {s for s, _ in story["hidden"]}
    assert {".mz-topics-line", ".mz-related", ".md-header", ".mz-toolbar"} <= names  # the story has them on screen
    for heading in ("所属专题", "更新记录", "相关稿件", "适老化", "无障碍工具", "跳到正文"):
        assert heading not in story["text"], heading
    assert 15.5 <= round(story["body"], 2) <= 16.5, story["body"]  # fixed points (三号), not the screen's 30 px
    assert 21 <= story["h1"] <= 23, story["h1"]
    pages = len(re.findall(rb"/Type\s*/Page(?!s)", page.pdf(format="A4")))
    assert 1 <= pages <= 4, pages  # elder mode with 字号「大」 printed five A4 pages before (at 11 pt)

    page.emulate_media(media="screen")
    open_page(page, server, NOTICE)
    page.emulate_media(media="print")
    notice = page.evaluate(PRINTED)
    assert notice["cell"] is not None and 11.5 <= round(notice["cell"], 2) <= 12.5, notice["cell"]
    assert 15.5 <= round(notice["body"], 2) <= 16.5 and footer["sponsor"] in notice["text"]
    # The table fits the paper: no column cut off at the right.
    assert page.evaluate("""() => { const t = document.querySelector('article table');
        return t.getBoundingClientRect().right <= document.querySelector('article').getBoundingClientRect().right + 1; }""")
    assert recorder.console_errors == []
