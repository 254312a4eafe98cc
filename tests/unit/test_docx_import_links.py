"""Hyperlinks of a Word document: only http, https and mailto targets reach the page, percent-encoded;
any other target loses its link (the text stays, escaped) and the writer is told which and why."""

from __future__ import annotations

import datetime as dt
from html.parser import HTMLParser

import docx
import markdown
import pytest
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn

from mzpress.editing.docx_import import import_docx, read_docx
from mzpress.model.frontmatter import split
from mzpress.model.schema import TIMEZONE
from mzpress.text.html_markdown import render_markdown
from tests.support.docx_fixtures import run_import_docx, story_request
from tests.support.project import new_project

# The extensions of the project's mkdocs.yml, and more: what a page's Markdown could reach.
EXTENSIONS = ["attr_list", "md_in_html", "tables", "toc", "fenced_code", "admonition"]
TITLE = "城关镇开展孝老爱亲志愿服务活动"
INJECTED = 'https://example.gov.cn/a b"><script>x</script>'
NEWLINE = "https://example.gov.cn/ok\n<img src=x onerror=y>"


def _hyperlink(paragraph, target: str, text: str) -> None:
    """A Word hyperlink (w:hyperlink with an external relationship), as Word writes one."""
    r_id = paragraph.part.relate_to(target, RT.HYPERLINK, is_external=True)
    link = OxmlElement("w:hyperlink")
    link.set(qn("r:id"), r_id)
    run = OxmlElement("w:r")
    text_element = OxmlElement("w:t")
    text_element.text = text
    text_element.set(qn("xml:space"), "preserve")
    run.append(text_element)
    link.append(run)
    paragraph._p.append(link)


def links_docx(path, links: list[tuple[str, str]]):
    """A story whose body paragraph holds each ``(target, text)`` link, one per paragraph."""
    document = docx.Document()
    document.add_heading(TITLE, level=1)
    document.add_paragraph("3月12日上午，城关镇组织志愿者走进敬老院，开展孝老爱亲主题志愿服务活动。")
    for target, text in links:
        paragraph = document.add_paragraph("详见")
        _hyperlink(paragraph, target, text)
        paragraph.add_run("。")
    document.save(path)
    return path


class _Tags(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str]]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, {k: v or "" for k, v in attrs}))


def assert_harmless(page_markdown: str) -> str:
    """Render with Python-Markdown: no element beyond plain formatting, no handler, no unsafe address."""
    rendered = markdown.markdown(page_markdown, extensions=EXTENSIONS)
    parser = _Tags()
    parser.feed(rendered)
    assert {tag for tag, _ in parser.tags} <= {"p", "a", "strong", "em", "h2", "h3", "img"}, rendered
    for tag, attrs in parser.tags:
        assert not [name for name in attrs if name.startswith("on") or name in ("style", "srcdoc")], rendered
        if tag == "a":
            assert set(attrs) == {"href"}, rendered
            assert attrs["href"].startswith(("https://", "http://", "mailto:")), rendered
            assert not any(c in attrs["href"] for c in ' "\'<>()[]\\`\n'), rendered
        assert not any("javascript:" in value.lower() or "data:" in value.lower() for value in attrs.values())
    assert "<script" not in rendered.lower()
    return rendered


def _body(path) -> str:
    content = read_docx(path)
    dropped: list = []
    body = render_markdown(content.nodes, lambda src, alt: "", dropped_links=dropped)
    return body


@pytest.fixture
def project(tmp_path):
    return new_project(tmp_path / "site", with_sample_pages=False)


def _import(project, source):
    return import_docx(project, source, story_request(dt.datetime(2025, 3, 12, 9, 30, tzinfo=TIMEZONE)))


def test_safe_links_are_kept_and_encoded(project, tmp_path):
    source = links_docx(tmp_path / "稿件.docx", [
        ("https://www.mca.gov.cn/article/xw/", "民政部网站"),
        ("mailto:mzj@example.gov.cn?subject=咨询", "来信咨询"),
        (INJECTED, "办事指南"),
    ])
    result = _import(project, source)
    body = split(result.story.read_text(encoding="utf-8"), "x.md").body
    assert "详见[民政部网站](https://www.mca.gov.cn/article/xw/)。" in body
    assert "详见[来信咨询](mailto:mzj@example.gov.cn?subject=%E5%92%A8%E8%AF%A2)。" in body
    assert "详见[办事指南](https://example.gov.cn/a%20b%22%3E%3Cscript%3Ex%3C/script%3E)。" in body
    assert result.notes == []
    rendered = assert_harmless(body)
    assert '<a href="https://example.gov.cn/a%20b%22%3E%3Cscript%3Ex%3C/script%3E">办事指南</a>' in rendered


def test_unsafe_targets_lose_their_link_keep_their_text_and_are_named(project, tmp_path):
    source = links_docx(tmp_path / "稿件.docx", [
        ("javascript:alert(1)", "点击领取补贴"),
        (NEWLINE, "申请表下载"),
        ("data:text/html,<script>x</script>", "数据"),
        ("file:///C:/Users/writer/通知.docx", "本地通知"),
        ("../附件/名单.xlsx", "名单"),
        ("https://www.mca.gov.cn/", "民政部"),
    ])
    result = _import(project, source)
    body = split(result.story.read_text(encoding="utf-8"), "x.md").body
    for text in ("点击领取补贴", "申请表下载", "数据", "本地通知", "名单"):
        assert f"详见{text}。" in body
    assert "详见[民政部](https://www.mca.gov.cn/)。" in body
    assert "javascript" not in body and "onerror" not in body and "<img" not in body and "file:" not in body
    assert_harmless(body)
    assert result.notes == [
        "链接“点击领取补贴”的地址以“javascript:”开头，不是网址或邮箱地址，网站不能使用，已去掉链接，只保留文字。"
        "如需链接，请在 WPS/Word 中右键这段文字，选“编辑超链接”，把地址改成以 http://、https:// 开头的网址"
        "或 mailto: 加邮箱地址，再重新导入；也可以导入后在稿件中补写链接。",
        "链接“申请表下载”的地址里有换行、制表符或其他看不见的字符（在 WPS/Word 中看不出来），不能使用，"
        "已去掉链接，只保留文字。如需链接，请在 WPS/Word 中右键这段文字，选“编辑超链接”，把地址改成以 http://、"
        "https:// 开头的网址或 mailto: 加邮箱地址，再重新导入；也可以导入后在稿件中补写链接。",
        next(n for n in result.notes if n.startswith("链接“数据”")),
        next(n for n in result.notes if n.startswith("链接“本地通知”")),
        next(n for n in result.notes if n.startswith("链接“名单”")),
    ]
    assert "以“data:”开头" in result.notes[2] and "以“file:”开头" in result.notes[3]
    assert "不是完整的网址（可能是电脑上的文件或文件夹）" in result.notes[4]


def test_the_command_prints_each_dropped_link(project, tmp_path, capsys):
    source = links_docx(tmp_path / "稿件.docx", [("javascript:alert(1)", "点击领取补贴")])
    code, out, err = run_import_docx(project, capsys, str(source), "--unit", "elderly-care", "--author", "李晓梅",
                                     "--editor", "王建国", "--date", "2025-03-12 09:30")
    assert code == 0, err
    assert "请注意：链接“点击领取补贴”的地址以“javascript:”开头" in out


def test_link_text_cannot_make_markdown_or_html(tmp_path):
    source = links_docx(tmp_path / "稿件.docx", [
        ("https://www.mca.gov.cn/", "看这里](javascript:x) <b>粗</b>{onclick=y}"),
        ("javascript:x", "[伪造](javascript:y)<img src=x onerror=z>"),
    ])
    body = _body(source)
    assert ("详见[看这里\\](javascript:x) &lt;b>粗&lt;/b>\\{onclick=y}](https://www.mca.gov.cn/)。" in body), body
    assert "详见\\[伪造\\](javascript:y)&lt;img src=x onerror=z>。" in body, body
    rendered = assert_harmless(body)
    assert "看这里](javascript:x) &lt;b&gt;粗&lt;/b&gt;{onclick=y}</a>" in rendered
    assert "[伪造](javascript:y)&lt;img src=x onerror=z&gt;" in rendered


def test_text_after_a_link_cannot_add_attributes(tmp_path):
    """attr_list would read “{onclick=…}” right after a link (or bold text) as the element's attributes."""
    document = docx.Document()
    document.add_heading(TITLE, level=1)
    paragraph = document.add_paragraph("详见")
    _hyperlink(paragraph, "https://www.mca.gov.cn/", "民政部")
    paragraph.add_run('{: onclick="alert(1)" style="x"}')
    bold = document.add_paragraph()
    bold.add_run("加粗").bold = True
    bold.add_run("{onmouseover=alert(2)}")
    document.add_heading("小标题 {: onclick=alert(3)}", level=2)
    document.add_paragraph("!!! danger \"警告\"")
    path = tmp_path / "稿件.docx"
    document.save(path)
    body = _body(path)
    assert '[民政部](https://www.mca.gov.cn/)\\{: onclick="alert(1)" style="x"}' in body
    assert "\\!!! danger" in body
    assert "## 小标题 \\{: onclick=alert(3)}" in body
    rendered = assert_harmless(body)  # no onclick/onmouseover/style on the link, the bold text or the heading
    assert '<a href="https://www.mca.gov.cn/">民政部</a>{: onclick="alert(1)" style="x"}' in rendered
    assert 'class="admonition' not in rendered and "!!! danger" in rendered


def test_a_picture_link_is_named_as_such():
    from mzpress.editing.docx_import import link_note
    from mzpress.text.html_markdown import OTHER_SCHEME, DroppedLink, parse_html

    dropped: list = []
    text = render_markdown(parse_html('<p><a href="file:///C:/a.jpg"><img src="mzpress-image:1" alt="合影" /></a></p>'),
                           lambda src, alt: f"![{alt}](images/x-1.jpg)", dropped_links=dropped)
    assert text == "![合影](images/x-1.jpg)\n" and dropped == [DroppedLink("", OTHER_SCHEME, "file")]
    assert link_note(dropped[0]).startswith("图片上的链接的地址以“file:”开头，不是网址或邮箱地址，网站不能使用，已去掉链接")
