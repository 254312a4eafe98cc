"""The blocks ``mzpress export`` makes every format from: the website's own rendering of the body, read as a browser."""

import datetime as dt

import pytest

from mzpress.model.config import load_config
from mzpress.model.content import load_site
from mzpress.model.schema import TIMEZONE
from mzpress.publishing.export_body import (
    Code,
    Heading,
    ListBlock,
    Paragraph,
    Photo,
    Table,
    export_body,
    link_address,
    page_html,
    photo_file_name,
    plain,
    read_body,
)
from mzpress.text.html_document import read_text
from tests.support.project import add_story, new_project

NOW = dt.datetime(2026, 11, 30, 23, 59, tzinfo=TIMEZONE)


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    return new_project(tmp_path_factory.mktemp("export-body") / "p", with_sample_pages=False)


@pytest.fixture(scope="module")
def config(project):
    config, findings = load_config(project)
    assert findings == []
    return config


def load(project, config, slug, body):
    add_story(project, 2026, slug, title="测试稿件", date="2026-04-02 09:00", body=body)
    site, _ = load_site(project, NOW, config, [], only={f"stories/2026/{slug}.md"})
    return site.by_src[f"stories/2026/{slug}.md"]


def test_headings_paragraphs_photos_and_captions_in_order(project, config):
    page = load(project, config, "order", """
东湖乡长者食堂
准时开餐。

![老人在食堂用餐](images/a.jpg)

图为老人在长者食堂用餐。

## 吃得实惠

### 菜单公开

![送餐员把饭菜送到老人家中](images/b.jpg)

![老人在食堂用餐](images/a.jpg)
图：同一张照片再次出现。

正文最后一段。
""")
    body = export_body(page, config)
    kinds = [type(b).__name__ for b in body.blocks]
    assert kinds == ["Paragraph", "Photo", "Heading", "Heading", "Photo", "Photo", "Paragraph"]
    first = body.blocks[0]
    assert plain(first.runs) == "东湖乡长者食堂 准时开餐。"  # a soft line break shows as a space, as in a browser
    photo = body.blocks[1]
    assert (photo.number, photo.src, photo.caption, photo.file_name) == (
        1, "stories/2026/images/a.jpg", "图为老人在长者食堂用餐。", "图1-老人在长者食堂用餐.jpg")
    assert [(b.level, b.rank, plain(b.runs)) for b in body.blocks if isinstance(b, Heading)] == [
        (2, 1, "吃得实惠"), (3, 2, "菜单公开")]
    # The same picture again keeps its number and file name; its own caption line is its caption here.
    again = body.blocks[5]
    assert (again.number, again.file_name, again.caption) == (1, "图1-老人在长者食堂用餐.jpg", "图：同一张照片再次出现。")
    assert [(p.number, p.file_name) for p in body.photos] == [
        (1, "图1-老人在长者食堂用餐.jpg"), (2, "图2-送餐员把饭菜送到老人家中.jpg")]
    assert body.blocks[4].label == "图为送餐员把饭菜送到老人家中。"  # no caption written: 图为 + description
    assert body.paragraphs() == ["东湖乡长者食堂 准时开餐。", "正文最后一段。"]
    assert body.lead() == ["东湖乡长者食堂 准时开餐。"]


def test_the_text_is_the_text_the_site_shows(project, config):
    page = load(project, config, "shown", """
开头**加粗**和*强调*，见[民政部网站](https://www.mca.gov.cn/)。

- 第一项
    - 嵌套一项
- 第二项

列表之间的一段。

1. 甲
2. 乙

| 项目 | 金额 |
| --- | ---: |
| 低保 | 3.5万元 |

    代码块

> 引用的一段话。
""")
    html = page_html(page, config)
    body = read_body(html, page, config)
    shown = read_text(html).joined
    compact = "".join(shown.split())
    assert "".join("".join(body.texts()).split()) == compact
    lists = [b for b in body.blocks if isinstance(b, ListBlock)]
    assert [(i.level, i.ordered, i.number, plain(i.runs)) for i in lists[0].items] == [
        (0, False, 1, "第一项"), (1, False, 1, "嵌套一项"), (0, False, 2, "第二项")]
    assert [(i.ordered, i.number) for i in lists[1].items] == [(True, 1), (True, 2)]
    (table,) = [b for b in body.blocks if isinstance(b, Table)]
    assert [[plain(c.runs) for c in row] for row in table.rows] == [["项目", "金额"], ["低保", "3.5万元"]]
    assert table.rows[0][0].header and table.rows[1][1].align == "right"
    assert [b.text for b in body.blocks if isinstance(b, Code)] == ["代码块"]
    quote = [b for b in body.blocks if isinstance(b, Paragraph) and b.quote]
    assert [plain(b.runs) for b in quote] == ["引用的一段话。"]
    runs = body.blocks[0].runs
    assert [(r.text, r.bold, r.italic, r.href) for r in runs] == [
        ("开头", False, False, ""), ("加粗", True, False, ""), ("和", False, False, ""), ("强调", False, True, ""),
        ("，见", False, False, ""), ("民政部网站", False, False, "https://www.mca.gov.cn/"), ("。", False, False, "")]
    assert body.links == ("https://www.mca.gov.cn/",)
    assert body.han_count == sum(1 for ch in compact if "\u4e00" <= ch <= "\u9fff")


def test_links_lead_to_the_sites_addresses(project, config):
    page = load(project, config, "links", "正文。")
    assert config.site.url == "https://mz.example.gov.cn/"
    cases = {
        "https://www.mca.gov.cn/x?a=1#b": "https://www.mca.gov.cn/x?a=1#b",
        "../2025/other.md": "https://mz.example.gov.cn/stories/2025/other/",
        "other.md#part": "https://mz.example.gov.cn/stories/2026/other/#part",
        "files/list.pdf": "https://mz.example.gov.cn/stories/2026/files/list.pdf",
        "/about/": "https://mz.example.gov.cn/about/",
        "#top": "", "mailto:mz@example.gov.cn": "", "tel:0000-0000000": "", "../../../../etc": "",
        "javascript:alert(1)": "",
    }
    assert {href: link_address(href, page, config) for href in cases} == cases


def test_pictures_from_other_sites_and_hostile_markup(project, config):
    page = load(project, config, "foreign", "正文。")
    html = ('<p>甲<img src="https://other.example.com/x.jpg" alt="外站"></p>'
            '<p><img src="images/%E4%B8%AD.png" alt="">图为中文文件名。</p>'
            '<p class="x" onclick="alert(1)">乙<script>alert(1)</script>丙</p><!-- 注释 -->')
    body = read_body(html, page, config)
    assert body.foreign_images == ("https://other.example.com/x.jpg",)
    photo = next(b for b in body.blocks if isinstance(b, Photo))
    assert (photo.src, photo.caption, photo.file_name) == ("stories/2026/images/中.png", "图为中文文件名。", "图1-中文文件名.png")
    assert [plain(b.runs) for b in body.blocks if isinstance(b, Paragraph)] == ["甲", "乙丙"]


def test_photo_file_names_are_safe_everywhere():
    assert photo_file_name(3, "stories/2026/images/a.JPEG", "图为：社区/志愿者*给老人?理发。", "") == "图3-社区志愿者给老人理发.jpg"
    assert photo_file_name(1, "stories/2026/images/b.png", "", "") == "图1-b.png"
    assert photo_file_name(2, "x/images/c.jpg", "", "很长的说明" * 10) == "图2-" + ("很长的说明" * 4) + ".jpg"
