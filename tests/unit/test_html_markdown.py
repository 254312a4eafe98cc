"""Markdown from mammoth's HTML: each construct, checked by rendering it back with Python-Markdown."""

from __future__ import annotations

import re

import markdown
import pytest

from mzpress.text.html_markdown import (
    IN_HTML_TABLE,
    INVISIBLE,
    NO_HOST,
    NOT_ADDRESS,
    OTHER_SCHEME,
    DroppedLink,
    escape_text,
    has_nested_table,
    link_target,
    parse_html,
    render_markdown,
)


def md(html: str, shift: int = 0) -> str:
    return render_markdown(parse_html(html), lambda src, alt: f"![{alt or 'ALT'}]({src})", heading_shift=shift)


def to_html(text: str) -> str:
    return markdown.markdown(text, extensions=["tables"])


def test_headings_shift_and_never_rise_above_h2():
    assert md("<h1>一级</h1><h3>三级</h3>", shift=1) == "## 一级\n\n#### 三级\n"
    assert md("<h1><strong>加粗标题</strong></h1>") == "## 加粗标题\n"  # no bold markers in headings
    assert md("<h2> </h2><p>x</p>") == "x\n"  # empty headings dropped


def test_paragraph_bold_italic_and_line_breaks():
    text = md("<p>\u3000\u3000开头缩进，<strong>加粗 </strong>和<em>斜体</em>。<br />第二行<strong>跨<br />行</strong></p>")
    assert text == "开头缩进，**加粗** 和*斜体*。\n\n第二行**跨**\n\n**行**\n"
    html = to_html(text)
    assert "<strong>加粗</strong>" in html and "<em>斜体</em>" in html


@pytest.mark.parametrize("raw", ["a*b*c", "snake_case_name", "[1]", "`code`", "# 不是标题", "1. 不是列表",
                                 "- 不是列表", "> 不是引用", "&amp; 与 &#1234;", "<b>不是标签</b>", "100% 完成 < 5 岁"])
def test_text_is_shown_as_typed(raw):
    from html import escape

    rendered = to_html(md(f"<p>{escape(raw)}</p>"))
    assert rendered == f"<p>{escape(raw, quote=False)}</p>", rendered


def test_nested_lists():
    text = md("<ul><li>甲<ul><li>甲一</li><li>甲二<ol><li>数字</li></ol></li></ul></li><li>乙</li></ul>"
              "<ol><li><p>第一</p></li><li>第二</li></ol>")
    assert text == ("- 甲\n    - 甲一\n    - 甲二\n        1. 数字\n- 乙\n\n<!-- -->\n\n1. 第一\n2. 第二\n")
    html = to_html(text)
    assert html.count("<ul>") == 2 and html.count("<ol>") == 2


def test_simple_table_becomes_a_pipe_table():
    text = md("<table><tr><td><p>姓名</p></td><td><p>备注</p></td></tr>"
              "<tr><td><p><strong>张*</strong></p></td><td><p>a|b</p></td></tr>"
              "<tr><td></td><td><p><img src=\"i.jpg\" alt=\"图\" /></p></td></tr></table>")
    assert text == "| 姓名 | 备注 |\n| --- | --- |\n| **张\\*** | a\\|b |\n|   | ![图](i.jpg) |\n"
    html = to_html(text)
    assert "<th>姓名</th>" in html and "<td><strong>张*</strong></td>" in html and "<td>a|b</td>" in html


def test_merged_cells_keep_an_html_table_with_images_after_it():
    text = md("<table><thead><tr><th colspan=\"2\"><p>合并表头</p></th></tr></thead>"
              "<tbody><tr><td><p>一段</p><p>两段 &lt;x&gt;</p></td><td><p><img src=\"c.jpg\" /></p></td></tr></tbody></table>")
    assert text == ("<table>\n<thead>\n<tr><th colspan=\"2\">合并表头</th></tr>\n</thead>\n<tbody>\n"
                    "<tr><td>一段 两段 &lt;x&gt;</td><td></td></tr>\n</tbody>\n</table>\n\n![ALT](c.jpg)\n")
    html = to_html(text)
    assert '<th colspan="2">合并表头</th>' in html and '<img alt="ALT" src="c.jpg" />' in html


def test_links_anchors_and_footnotes():
    text = md('<p><a id="_Toc1"></a><a href="https://www.mca.gov.cn/a b">民政部</a>'
              '<sup><a href="#footnote-1" id="footnote-ref-1">[1]</a></sup></p>'
              '<ol><li id="footnote-1"><p>注释内容 <a href="#footnote-ref-1">↑</a></p></li></ol>')
    assert text == "[民政部](https://www.mca.gov.cn/a%20b)[^1]\n\n[^1]:\n    注释内容\n"


def test_footnotes_and_endnotes_are_numbered_in_order_of_reference():
    text = md('<p>甲<sup><a href="#endnote-1" id="endnote-ref-1">[1]</a></sup>乙'
              '<sup><a href="#footnote-1" id="footnote-ref-1">[2]</a></sup>'
              '<sup><a href="#footnote-2" id="footnote-ref-2">[3]</a></sup></p>'
              '<ol><li id="footnote-1"><p> 脚注*一* <a href="#footnote-ref-1">↑</a></p><p>第二段</p></li>'
              '<li id="footnote-2"><p> <a href="#footnote-ref-2">↑</a></p></li>'
              '<li id="endnote-1"><p> 尾注 <a href="#endnote-ref-1">↑</a></p></li></ol>')
    # an empty note (footnote-2) loses its reference; markup in a note's text is escaped
    assert text == "甲[^1]乙[^2]\n\n[^1]:\n    尾注\n\n[^2]:\n    脚注\\*一\\*\n\n    第二段\n"


def test_an_ordinary_numbered_list_is_not_taken_for_notes():
    assert md('<ol><li id="x"><p>一</p></li></ol>') == "1. 一\n"


def test_empty_paragraphs_are_dropped():
    assert md("<p></p><p> \u3000 </p><p>正文</p>") == "正文\n"
    assert escape_text("a_b") == "a\\_b"


@pytest.mark.parametrize(("href", "target"), [
    ("https://www.mca.gov.cn/", "https://www.mca.gov.cn/"),
    (" HTTP://Example.gov.cn/a?b=1&c=2#d ", "http://Example.gov.cn/a?b=1&c=2#d"),
    ("mailto:mzj@example.gov.cn", "mailto:mzj@example.gov.cn"),
    ("https://x.gov.cn/已编码%E6%B0%91%zz", "https://x.gov.cn/%E5%B7%B2%E7%BC%96%E7%A0%81%E6%B0%91%25zz"),
    ("https://x.gov.cn/a b\"'<>()[]{}\\`*|^", "https://x.gov.cn/a%20b%22%27%3C%3E%28%29%5B%5D%7B%7D%5C%60%2A%7C%5E"),
])
def test_web_and_mail_targets_are_kept_with_only_url_characters(href, target):
    assert link_target(href) == (target, "", "")


@pytest.mark.parametrize(("href", "reason", "scheme"), [
    ("javascript:alert(1)", OTHER_SCHEME, "javascript"),
    ("JavaScript:alert(1)", OTHER_SCHEME, "javascript"),
    ("vbscript:x", OTHER_SCHEME, "vbscript"),
    ("data:text/html;base64,PHNjcmlwdD4=", OTHER_SCHEME, "data"),
    ("file:///C:/a.docx", OTHER_SCHEME, "file"),
    ("C:\\Users\\a.docx", NOT_ADDRESS, ""),
    ("附件/名单.xlsx", NOT_ADDRESS, ""),
    ("//evil.example/x.js", NOT_ADDRESS, ""),
    ("https://x.gov.cn/\n<img src=x onerror=y>", INVISIBLE, ""),
    ("java\tscript:x", INVISIBLE, ""),
    ("https://x.gov.cn/\u200b", INVISIBLE, ""),
    ("https://x.gov.cn/\u202e", INVISIBLE, ""),
    ("https://x.gov.cn/\u3000a", INVISIBLE, ""),
    ("https:\\\\evil.example", NO_HOST, "https"),
    ("https:evil.example", NO_HOST, "https"),
    ("mailto:", NO_HOST, "mailto"),
])
def test_other_targets_are_refused_with_a_reason(href, reason, scheme):
    assert link_target(href) == (None, reason, scheme)


def test_a_refused_link_keeps_its_escaped_text_and_is_reported():
    dropped: list[DroppedLink] = []
    text = render_markdown(parse_html('<p>见<a href="javascript:alert(1)"><strong>*通知*</strong></a>，'
                                      '<a href="https://x.gov.cn/">官网</a>。</p>'
                                      '<table><tr><td colspan="2"><p><a href="https://x.gov.cn/t">表内</a></p></td></tr>'
                                      '<tr><td>a</td><td>b</td></tr></table>'),
                           lambda src, alt: "", dropped_links=dropped)
    assert text.startswith("见**\\*通知\\***，[官网](https://x.gov.cn/)。\n\n<table>")
    assert dropped == [DroppedLink("*通知*", OTHER_SCHEME, "javascript"), DroppedLink("表内", IN_HTML_TABLE)]


@pytest.mark.parametrize("raw", ["*粗*{onclick=y}", "{: onclick=y}", "!!! danger 警告"])
def test_attribute_lists_and_admonitions_are_shown_as_typed(raw):
    from html import escape

    text = md(f"<p><strong>x</strong>{escape(raw)}</p><h2>题{escape(raw)}</h2><p>{escape(raw)}</p>")
    rendered = markdown.markdown(text, extensions=["attr_list", "md_in_html", "tables", "toc", "admonition"])
    without_ids = re.sub(r' id="[a-z0-9_-]*"', "", rendered)  # toc's heading ids, made from the text
    assert without_ids.split("\n") == [f"<p><strong>x</strong>{escape(raw, quote=False)}</p>",
                                        f"<h2>题{escape(raw, quote=False)}</h2>",
                                        f"<p>{escape(raw, quote=False)}</p>"], rendered


@pytest.mark.parametrize(("markup", "markdown"), [
    ("<p>城关镇组织志愿者走进敬老院,<br />为老人义务理发。</p>", "城关镇组织志愿者走进敬老院,为老人义务理发。\n"),
    ("<p>全县共有特困人员(<br />集中供养)320人。</p>", "全县共有特困人员(集中供养)320人。\n"),
    ("<p>新增低保对象，<br />120户。</p>", "新增低保对象，120户。\n"),
    ("<p>Hello,<br />world</p>", "Hello, world\n"),
    ("<p>活动结束.<br />志愿者合影留念。</p>", "活动结束.\n\n志愿者合影留念。\n"),  # a full stop ends the line
    ("<p>联系人:<br />张三</p>", "联系人:\n\n张三\n"),
])
def test_line_breaks_after_half_width_punctuation(markup, markdown):
    assert md(markup) == markdown


def test_a_nested_table_is_flattened_into_its_cell():
    markup = ('<table><tr><td><p>项目</p></td><td><p>情况</p></td></tr>'
              '<tr><td><p>入住老人</p></td><td><p>共36名</p><table><tr><td><p>男</p></td><td><p>20</p></td></tr>'
              '<tr><td><p><img src="a.png" alt="图"/></p></td><td><p><a href="https://www.mca.gov.cn/">16</a></p></td>'
              '</tr></table></td></tr></table>')
    nodes = parse_html(markup)
    assert has_nested_table(nodes) and not has_nested_table(parse_html("<table><tr><td>1</td></tr></table>"))
    text = md(markup)
    assert "<table" not in text
    assert text == ("| 项目 | 情况 |\n| --- | --- |\n"
                    "| 入住老人 | 共36名；男 20；![图](a.png) [16](https://www.mca.gov.cn/) |\n")


def test_a_note_referred_to_in_a_merged_cell_table_keeps_its_number_and_text():
    text = md('<p>正文<sup><a href="#footnote-1" id="footnote-ref-1">[1]</a></sup></p>'
              '<table><tr><td colspan="2"><p>合计<sup><a href="#footnote-2" id="footnote-ref-2">[2]</a></sup></p></td></tr>'
              '<tr><td>甲</td><td>乙</td></tr></table>'
              '<ol><li id="footnote-1"><p>一 <a href="#footnote-ref-1">↑</a></p></li>'
              '<li id="footnote-2"><p>二 <a href="#footnote-ref-2">↑</a></p></li></ol>')
    assert '<td colspan="2">合计[2]</td>' in text
    assert text.startswith("正文[^1]\n\n") and text.endswith("[^1]:\n    一\n\n[^2]:\n    二\n")
    html = markdown.markdown(text, extensions=["footnotes", "tables"])
    assert html.count('<li id="fn:') == 2 and "合计[2]" in html
