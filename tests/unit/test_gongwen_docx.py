"""The Word file for 上级报送, opened with python-docx: 公文 styles and fonts, numbered headings, captions, the 稿签;
and the zip it travels in."""

import datetime as dt
import io
import zipfile

import docx
import pytest
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml.ns import qn
from docx.shared import Cm, Pt
from PIL import Image

from mzpress.model.config import load_config
from mzpress.model.content import load_site
from mzpress.model.schema import TIMEZONE
from mzpress.publishing.export_body import export_body
from mzpress.publishing.gongwen_docx import (
    FALLBACKS,
    Slip,
    chinese_number,
    gongwen_docx,
    heading_number,
    written_number,
)
from mzpress.publishing.submission_package import docx_name, package_name, safe_file_name, submission_zip
from tests.support.project import add_story, new_project

NOW = dt.datetime(2026, 11, 30, 23, 59, tzinfo=TIMEZONE)
WHEN = dt.datetime(2026, 12, 8, 10, 30, tzinfo=TIMEZONE)
BODY = """
3月11日中午，东湖乡长者食堂准时开餐，详见[县政府网站](https://www.example.gov.cn/1.html)。

![老人在食堂用餐](images/a.jpg)

图为老人在长者食堂用餐。

## 吃得实惠

### 菜单公开

每周公布菜单。

### 价格优惠

60岁以上老人每餐5元。

## 三、送餐到家

![送餐员送饭上门](images/b.png)

<table>
<tr><th colspan="2">补助标准</th></tr>
<tr><td>建设补助</td><td>3.5万元</td></tr>
</table>

## 下一步
"""


def _jpeg(width, height, colour):
    out = io.BytesIO()
    Image.new("RGB", (width, height), colour).save(out, "JPEG")
    return out.getvalue()


def _png(width, height):
    out = io.BytesIO()
    Image.new("RGBA", (width, height), (10, 120, 40, 255)).save(out, "PNG")
    return out.getvalue()


@pytest.fixture(scope="module")
def made(tmp_path_factory):
    project = new_project(tmp_path_factory.mktemp("docx") / "p", with_sample_pages=False)
    config, findings = load_config(project)
    assert findings == []
    add_story(project, 2026, "shitang", title="东湖乡长者食堂开餐 老人吃上“暖心饭”", date="2026-04-02 09:00",
              unit="elderly-care", body=BODY)
    site, _ = load_site(project, NOW, config, [], only={"stories/2026/shitang.md"})
    page = site.by_src["stories/2026/shitang.md"]
    body = export_body(page, config)
    photos = {"stories/2026/images/a.jpg": _jpeg(2400, 1600, (200, 30, 30)),
              "stories/2026/images/b.png": _png(300, 200)}
    slip = Slip(page.title, "示例县民政局养老服务股", page.author, page.editor, body.han_count, body.photos,
                WHEN.date(), "示例市民政局网站", "2026年4月2日在示例县民政局网站发布：https://mz.example.gov.cn/x/")
    data = gongwen_docx(page, body, photos, slip, WHEN)
    return page, body, photos, slip, data


def _fonts(element):
    fonts = element.find(qn("w:rPr")).find(qn("w:rFonts"))
    return {name.split("}")[1]: value for name, value in fonts.attrib.items()}


def _first_line_chars(style):
    return style.element.find(qn("w:pPr")).find(qn("w:ind")).get(qn("w:firstLineChars"))


def test_house_styles_and_fonts(made):
    *_, data = made
    document = docx.Document(io.BytesIO(data))
    styles = document.styles
    normal = styles["Normal"]
    assert _fonts(normal.element) == {"ascii": "Times New Roman", "hAnsi": "Times New Roman", "cs": "Times New Roman",
                                      "eastAsia": "仿宋_GB2312"}
    assert normal.font.size == Pt(16) and _first_line_chars(normal) == "200"
    assert normal.paragraph_format.first_line_indent == Pt(32)
    assert (normal.paragraph_format.line_spacing_rule, normal.paragraph_format.line_spacing) == (
        WD_LINE_SPACING.EXACTLY, Pt(28))
    title = styles["Title"]
    assert _fonts(title.element)["eastAsia"] == "方正小标宋简体" and title.font.size == Pt(22)
    assert title.paragraph_format.alignment == WD_ALIGN_PARAGRAPH.CENTER and _first_line_chars(title) == "0"
    assert _fonts(styles["Heading 1"].element)["eastAsia"] == "黑体"
    assert _fonts(styles["Heading 2"].element)["eastAsia"] == "楷体_GB2312"
    assert _fonts(styles["Heading 3"].element)["eastAsia"] == "仿宋_GB2312"
    for name in ("Heading 1", "Heading 2", "Title"):
        assert styles[name].font.bold is False and str(styles[name].font.color.rgb) == "000000"
        assert "asciiTheme" not in str(_fonts(styles[name].element))  # a theme font would win over the named one
    caption = styles["Caption"]
    assert caption.paragraph_format.alignment == WD_ALIGN_PARAGRAPH.CENTER and caption.font.size == Pt(14)
    assert _first_line_chars(caption) == "0"
    fonts = zipfile.ZipFile(io.BytesIO(data)).read("word/fontTable.xml").decode()
    for name, alternative in FALLBACKS.items():
        assert f'<w:font w:name="{name}"><w:altName w:val="{alternative}"/>' in fonts
    assert FALLBACKS["方正小标宋简体"] == "宋体" and FALLBACKS["仿宋_GB2312"] == "仿宋"
    section = document.sections[0]
    sizes = (section.page_width, section.page_height, section.top_margin, section.bottom_margin,
             section.left_margin, section.right_margin)
    assert [round(size.mm) for size in sizes] == [210, 297, 37, 35, 28, 26]
    footer = section.footer.paragraphs[0]._p
    assert footer.find(qn("w:fldSimple")).get(qn("w:instr")) == "PAGE"
    assert "".join(t.text for t in footer.iter(qn("w:t"))) == "— 1 —"  # the page number between dashes


def test_slip_first_then_title_headings_and_captions(made):
    page, body, photos, slip, data = made
    document = docx.Document(io.BytesIO(data))
    paragraphs = [(p.style.name, p.text) for p in document.paragraphs if p.text or p.style.name == "Picture"]
    assert paragraphs[0] == ("Slip Title", "稿　签")
    start = paragraphs.index(("Title", "东湖乡长者食堂开餐 老人吃上“暖心饭”"))
    assert paragraphs[start + 1:] == [
        ("Normal", "3月11日中午，东湖乡长者食堂准时开餐，详见县政府网站（https://www.example.gov.cn/1.html）。"),
        ("Picture", ""), ("Caption", "图为老人在长者食堂用餐。"),
        ("Heading 1", "一、吃得实惠"), ("Heading 2", "（一）菜单公开"), ("Normal", "每周公布菜单。"),
        ("Heading 2", "（二）价格优惠"), ("Normal", "60岁以上老人每餐5元。"),
        ("Heading 1", "三、送餐到家"),  # numbered by the writer: kept as written
        ("Picture", ""), ("Caption", "图为送餐员送饭上门。"),
        ("Heading 1", "四、下一步")]
    body_xml = document.element.body.xml
    assert body_xml.index("稿　签") < body_xml.index('w:type="page"') < body_xml.index('w:val="Title"')  # a page of its own
    shapes = document.inline_shapes
    assert len(shapes) == 2 and shapes[0].width == Cm(15)  # a wide photo at the text's width
    assert shapes[1].width < Cm(15)  # a small one is not enlarged
    embedded = [name for name in zipfile.ZipFile(io.BytesIO(data)).namelist() if name.startswith("word/media/")]
    assert len(embedded) == 2
    with Image.open(io.BytesIO(zipfile.ZipFile(io.BytesIO(data)).read(sorted(embedded)[0]))) as image:
        assert image.size[0] <= 1600  # embedded at a Word-friendly size; the full photo travels beside it


def test_slip_fields(made):
    page, body, photos, slip, data = made
    document = docx.Document(io.BytesIO(data))
    fields = {row.cells[0].text: row.cells[1].text for row in document.tables[0].rows}
    assert fields == {
        "标题": "东湖乡长者食堂开餐 老人吃上“暖心饭”", "报送单位": "示例县民政局养老服务股", "作者": "测试作者",
        "审核人": "测试编辑", "字数": f"{body.han_count}字（正文汉字数）", "图片数": "2张", "报送日期": "2026年12月8日",
        "报送至": "示例市民政局网站", "网站发布": "2026年4月2日在示例县民政局网站发布：https://mz.example.gov.cn/x/"}
    shown = ("月日中午东湖乡长者食堂准时开餐详见县政府网站", "图为老人在长者食堂用餐", "吃得实惠", "菜单公开", "每周公布菜单",
             "价格优惠", "岁以上老人每餐元", "三送餐到家", "补助标准建设补助万元", "下一步")
    assert body.han_count == len("".join(shown))  # the body's Chinese characters, no title, no added numbers
    listing = [[cell.text for cell in row.cells] for row in document.tables[1].rows]
    assert listing == [["序号", "文件名", "说明"], ["1", "图1-老人在长者食堂用餐.jpg", "图为老人在长者食堂用餐。"],
                       ["2", "图2-送餐员送饭上门.png", "图为送餐员送饭上门。"]]
    table = document.tables[2]
    assert [[cell.text for cell in row.cells] for row in table.rows] == [["补助标准", "补助标准"], ["建设补助", "3.5万元"]]
    assert table.rows[0].cells[0]._tc is table.rows[0].cells[1]._tc  # colspan="2": one merged cell
    assert document.core_properties.title == page.title and document.core_properties.author == "测试作者"


def test_same_input_same_bytes(made):
    page, body, photos, slip, data = made
    assert gongwen_docx(page, body, photos, slip, WHEN) == data
    assert {info.date_time for info in zipfile.ZipFile(io.BytesIO(data)).infolist()} == {(2026, 12, 8, 0, 0, 0)}


def test_heading_numbers():
    assert [chinese_number(n) for n in (1, 9, 10, 11, 19, 20, 21, 99)] == [
        "一", "九", "十", "十一", "十九", "二十", "二十一", "九十九"]
    assert [heading_number(rank, 3) for rank in (1, 2, 3)] == ["三、", "（三）", "3．"]
    assert [written_number(1, t) for t in ("三、送餐", "十二、总结", "二十、其他", "送餐")] == [3, 12, 20, None]
    assert [written_number(2, "（十一）菜单"), written_number(3, "4．价格"), written_number(3, "4.价格")] == [11, 4, 4]


def test_the_package(made):
    page, body, photos, slip, data = made
    assert package_name(page) == "shitang-报送.zip" and docx_name(page) == "东湖乡长者食堂开餐 老人吃上“暖心饭”.docx"
    assert safe_file_name('a/b:c*d?"e"<f>|g', "x") == "abcdefg" and safe_file_name(" .. ", "稿件") == "稿件"
    files = [(docx_name(page), data), *((p.file_name, photos[p.src]) for p in body.photos)]
    archive = zipfile.ZipFile(io.BytesIO(submission_zip(files, WHEN)))
    assert archive.namelist() == ["东湖乡长者食堂开餐 老人吃上“暖心饭”.docx", "图1-老人在长者食堂用餐.jpg", "图2-送餐员送饭上门.png"]
    assert all(info.flag_bits & 0x800 for info in archive.infolist())  # UTF-8 names
    assert archive.read("图1-老人在长者食堂用餐.jpg") == photos["stories/2026/images/a.jpg"]  # the photo as it is
    assert submission_zip(files, WHEN) == submission_zip(files, WHEN)
