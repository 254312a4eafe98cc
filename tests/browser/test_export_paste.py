"""The 公众号 export pasted as a writer pastes it: opened in Chromium, Ctrl+A, Ctrl+C, then Ctrl+V into a
contenteditable editor (what the 公众号 editor is). The pasted text is the page's text as the website shows it
(plus the title, the meta line, the footnote marks and the reference list), the pictures come in the page's
order and are the page's photos, and nothing the editor refuses comes along (links, classes, scripts, the
instructions panel)."""

import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from mzpress.model.clock import build_time
from mzpress.model.config import load_config
from mzpress.model.content import load_site
from mzpress.publishing.export_body import page_html
from mzpress.text.html_document import parse_fragment, read_text
from tests.support.docx_fixtures import photo_bytes
from tests.support.project import BUILD_DATE, add_story, mzpress, new_project

BODY = """
3月11日中午，东湖乡长者食堂准时开餐，详见[县政府网站](https://www.example.gov.cn/news/1.html)和[另一篇稿件](../2025/other.md)。

![老人在长者食堂用餐](images/shitang-1.jpg)

图为老人在长者食堂用餐。

## 吃得实惠，也吃得放心

- 两荤两素一汤，**60岁以上**老人每餐5元；
- 80岁以上老人和特困老人享受更多*优惠*。

| 服务 | 时间 |
| --- | --- |
| 送餐上门 | 每天11点 |

![送餐员把饭菜送到老人家中](images/shitang-2.jpg)

> “现在走几步路就能吃上热乎饭。”一位78岁的老人说。

### 下一步

今年全县计划新建长者食堂15个，再看[县政府网站](https://www.example.gov.cn/news/1.html)。
"""
SOURCE = "stories/2026/shitang.md"


@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    root = new_project(tmp_path_factory.mktemp("paste") / "p", with_sample_pages=False)
    add_story(root, 2026, "shitang", title="东湖乡长者食堂开餐 老人吃上“暖心饭”", date="2026-04-02 09:00",
              unit="elderly-care", body=BODY)
    add_story(root, 2025, "other", title="另一篇稿件", date="2025-05-01 09:00")
    images = root / "content" / "stories" / "2026" / "images"
    images.mkdir(parents=True)
    (images / "shitang-1.jpg").write_bytes(photo_bytes((800, 600), gps=False))
    (images / "shitang-2.jpg").write_bytes(photo_bytes((640, 480), gps=False, color=(30, 90, 160)))
    result = mzpress(root, "export", str(root / "content" / SOURCE), "--for", "wechat")
    assert result.returncode == 0, result.stdout + result.stderr
    config, _ = load_config(root)
    site, _ = load_site(root, build_time(BUILD_DATE), config, [], only={SOURCE})
    return root, root / "导出" / "shitang-公众号" / "shitang-公众号.html", page_html(site.by_src[SOURCE], config)


def _paste(browser, html_file: Path):
    context = browser.new_context(locale="zh-CN", permissions=["clipboard-read", "clipboard-write"])
    try:
        source = context.new_page()
        source.goto(html_file.as_uri())
        source.wait_for_load_state("load")
        loaded = source.eval_on_selector_all("img", "els => els.map(e => e.complete && e.naturalWidth > 0)")
        assert loaded == [True, True]  # the photos sit next to the HTML file, under the names it uses
        source.keyboard.press("Control+A")
        source.keyboard.press("Control+C")
        editor = context.new_page()
        editor.set_content('<div id="editor" contenteditable="true" style="min-height:200px"></div>')
        editor.click("#editor")
        editor.keyboard.press("Control+V")
        editor.wait_for_function("document.querySelector('#editor').innerText.length > 100")
        return (editor.inner_text("#editor"), editor.inner_html("#editor"),
                editor.eval_on_selector_all("#editor img", "els => els.map(e => e.src)"))
    finally:
        context.close()


def _squeezed(text: str) -> str:
    return re.sub(r"\s+", "", text)


def test_pasted_text_is_the_pages_text(browser, exported):
    root, html_file, site_html = exported
    text, pasted_html, _ = _paste(browser, html_file)
    assert "公众号排版稿" not in text and "用法" not in text  # the instructions panel is not selected
    body = _squeezed(text)
    head = _squeezed("东湖乡长者食堂开餐 老人吃上“暖心饭”" "发布时间：2026年4月2日　来源单位：养老服务股　作者：测试作者")
    assert body.startswith(head)
    body, _, references = body[len(head):].partition("参考链接")
    assert references == ("[1]县政府网站：https://www.example.gov.cn/news/1.html"
                          "[2]另一篇稿件：https://mz.example.gov.cn/stories/2025/other/")
    assert re.findall(r"\[\d\]", body) == ["[1]", "[2]", "[1]"]
    assert re.sub(r"\[\d\]", "", body) == _squeezed(read_text(site_html).joined)
    tree = parse_fragment(pasted_html)
    assert not tree.css("a, script, style, [class], [id]")  # nothing the 公众号 editor would refuse
    assert tree.css_first("table") is not None and len(tree.css("li")) == 2 and tree.css_first("strong").text() == "60岁以上"


def test_pasted_pictures_are_the_pages_photos_in_order(browser, exported):
    root, html_file, site_html = exported
    _, _, sources = _paste(browser, html_file)
    pasted = [Path(unquote(urlsplit(src).path)) for src in sources]
    assert [path.name for path in pasted] == ["图1-老人在长者食堂用餐.jpg", "图2-送餐员把饭菜送到老人家中.jpg"]
    on_site = [img.attributes["src"] for img in parse_fragment(site_html).css("img")]
    originals = [root / "content" / "stories" / "2026" / src for src in on_site]
    assert [path.read_bytes() for path in pasted] == [path.read_bytes() for path in originals]
