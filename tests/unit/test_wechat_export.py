"""The 公众号 HTML: inline styles only, no class, id, script or link; links as footnotes; photos by file name."""

import dataclasses
import datetime as dt
from urllib.parse import unquote

import pytest

from mzpress.model.config import load_config
from mzpress.model.content import load_site
from mzpress.model.schema import TIMEZONE
from mzpress.publishing.export_body import export_body
from mzpress.publishing.wechat_export import meta_line, photo_files, wechat_export
from mzpress.text.html_document import elements, parse_fragment
from tests.support.project import add_story, new_project

NOW = dt.datetime(2026, 11, 30, 23, 59, tzinfo=TIMEZONE)
# Every element the article may hold; the 公众号 editor keeps these (and their inline styles).
ARTICLE_TAGS = {"section", "h1", "h2", "h3", "h4", "p", "img", "strong", "em", "code", "sup", "sub", "br", "hr",
                "ul", "ol", "li", "table", "tbody", "tr", "th", "td", "pre"}
BODY = """
东湖乡长者食堂开餐，详见[县政府网站](https://www.example.gov.cn/news/1.html)和[本站另一篇](../2025/other.md)。

![老人在食堂用餐<script>](images/a.jpg)

图为老人在长者食堂用餐。

## 吃得实惠

再看一次[县政府网站](https://www.example.gov.cn/news/1.html)，地址 <https://www.mca.gov.cn/> 照写。

- 两荤两素
- 每餐5元

| 项目 | 金额 |
| --- | --- |
| 补助 | 3.5万元 |

![送餐上门](images/b.jpg)
"""


@pytest.fixture(scope="module")
def export(tmp_path_factory):
    project = new_project(tmp_path_factory.mktemp("wechat") / "p", with_sample_pages=False)
    config, findings = load_config(project)
    assert findings == []
    add_story(project, 2026, "shitang", title="长者食堂开餐", date="2026-04-02 09:00", unit="elderly-care",
              body=BODY, extra="cover: images/cover.jpg\ncover_alt: 食堂外景\n")
    site, _ = load_site(project, NOW, config, [], only={"stories/2026/shitang.md"})
    page = site.by_src["stories/2026/shitang.md"]
    # The gate refuses markup in a title (schema.markup); the export escapes it all the same.
    hostile = dataclasses.replace(page, values={**page.values, "title": "长者食堂开餐<b>&"})
    return hostile, wechat_export(hostile, export_body(page, config), config)


def _article(html):
    tree = parse_fragment(html)
    (section,) = tree.css("section")
    return tree, section


def test_only_inline_styles_and_no_links_or_scripts(export):
    page, result = export
    tree, section = _article(result.html)
    found = list(elements(parse_fragment(section.html)))
    assert {e.tag for e in found} <= ARTICLE_TAGS
    assert not [e for e in found if set(e.attributes) - {"style", "src", "alt", "colspan", "rowspan", "start"}]
    assert all(e.attributes.get("style") for e in found if e.tag not in ("br", "strong", "em", "sub", "tbody", "tr"))
    assert not tree.css("script, style, a, link, iframe, [class], [id], [onclick]")
    assert "<script" not in result.html and "<b>" not in result.html  # the title and the alt text are escaped
    assert section.css_first("h1").text() == "长者食堂开餐<b>&"


def test_meta_line_title_and_text_in_order(export):
    page, result = export
    _, section = _article(result.html)
    texts = [node.text(deep=True) for node in section.css("h1, h2, p, li, td, th")]
    assert texts[:2] == ["长者食堂开餐<b>&", "发布时间：2026年4月2日　来源单位：养老服务股　作者：测试作者"]
    assert meta_line(page) == texts[1]
    assert texts[2] == "东湖乡长者食堂开餐，详见县政府网站[1]和本站另一篇[2]。"
    assert "图为老人在长者食堂用餐。" in texts and texts.index("吃得实惠") > texts.index("图为老人在长者食堂用餐。")
    # The same address again has the same number; an address shown as itself needs no footnote.
    assert "再看一次县政府网站[1]，地址 https://www.mca.gov.cn/ 照写。" in texts


def test_links_become_a_reference_list(export):
    _, result = export
    assert [(r.number, r.text, r.url) for r in result.references] == [
        (1, "县政府网站", "https://www.example.gov.cn/news/1.html"),
        (2, "本站另一篇", "https://mz.example.gov.cn/stories/2025/other/")]
    _, section = _article(result.html)
    paragraphs = [p.text() for p in section.css("p")]
    start = paragraphs.index("参考链接")
    assert paragraphs[start + 1:] == ["[1] 县政府网站：https://www.example.gov.cn/news/1.html",
                                     "[2] 本站另一篇：https://mz.example.gov.cn/stories/2025/other/"]


def test_photos_in_order_by_file_name_with_the_upload_list(export):
    _, result = export
    tree, section = _article(result.html)
    sources = [unquote(img.attributes["src"]) for img in section.css("img")]
    assert sources == ["图1-老人在长者食堂用餐.jpg", "图2-送餐上门.jpg"]
    assert [p.file_name for p in result.photos] == sources
    assert result.cover.file_name == "封面-食堂外景.jpg"
    assert photo_files(result) == [("stories/2026/images/a.jpg", "图1-老人在长者食堂用餐.jpg"),
                                   ("stories/2026/images/b.jpg", "图2-送餐上门.jpg"),
                                   ("stories/2026/images/cover.jpg", "封面-食堂外景.jpg")]
    panel = tree.body.css_first("div")
    assert "user-select:none" in panel.attributes["style"]  # 全选 copies the article, not the instructions
    items = [li.text() for li in panel.css("li")]
    assert items == ["图1-老人在长者食堂用餐.jpg：“东湖乡长者食堂开餐，详见……”之后",
                     "图2-送餐上门.jpg：表格之后"]
    assert "封面图片：封面-食堂外景.jpg（食堂外景）" in panel.text()
