"""Word import quality (issue 28, item 5): notes, line breaks, fmt, duplicates, notice slugs, nested
tables, the summary message."""

from __future__ import annotations

import datetime as dt

import docx
import pytest

from mzpress.checks.html_safety import LinkPolicy, html_safety_findings
from mzpress.checks.runner import check_project
from mzpress.cli import main
from mzpress.editing.docx_import import DocxImportError, import_docx
from mzpress.model.frontmatter import split
from mzpress.model.markdown_settings import read_markdown_settings
from mzpress.model.schema import TIMEZONE
from mzpress.model.slugs import slugify
from mzpress.text.page_rendering import render
from tests.support.docx_fixtures import (
    add_note_parts,
    nested_table_docx,
    notes_docx,
    run_import_docx,
    story_request,
    wps_paragraph,
)
from tests.support.project import new_project

WHEN = dt.datetime(2026, 3, 12, 9, 30, tzinfo=TIMEZONE)


@pytest.fixture
def project(tmp_path):
    return new_project(tmp_path / "site", with_sample_pages=False)


def request(**overrides):
    return story_request(WHEN, **overrides)


def page(result):
    return split(result.story.read_text(encoding="utf-8"), result.story.name)


def test_footnotes_and_endnotes_become_markdown_footnotes_that_pass_the_gate(project, tmp_path):
    source = notes_docx(tmp_path / "注释.docx", footnotes=("数据来源：县民政局2026年统计。",),
                        endnotes=("本文经县民政局审核。", "养老服务点名单见县民政局网站。"))
    result = import_docx(project, source, request())
    body = page(result).body
    assert "今年以来，全县新建农村互助养老服务点40个，覆盖率达到85%以上。[^1]" in body
    assert "继续完善居家养老服务网络。[^2][^3]" in body
    assert body.endswith("[^1]:\n    数据来源：县民政局2026年统计。\n\n[^2]:\n    本文经县民政局审核。\n\n"
                         "[^3]:\n    养老服务点名单见县民政局网站。\n")
    assert "\\[" not in body and "↑" not in body
    assert "[1]" not in page(result).meta["summary"]  # the marker is not text
    settings = read_markdown_settings(project)
    assert "footnotes" in settings.extensions
    html = render(body, settings).html
    assert 'class="footnote-ref"' in html and '<div class="footnote">' in html and "本文经县民政局审核。" in html
    relpath = result.story.relative_to(project).as_posix()
    assert html_safety_findings(result.story.read_text(encoding="utf-8"), relpath, LinkPolicy(()), settings) == []
    _, findings = check_project(project, WHEN + dt.timedelta(days=1),
                                only={result.story.relative_to(project / "content").as_posix()})
    assert [f for f in findings if f.severity.value == "error" or f.rule.startswith(("html.", "render."))] == []


def test_a_line_break_after_a_half_width_comma_is_rejoined(project, tmp_path):
    document = docx.Document()
    wps_paragraph(document, "城关镇敬老院开展重阳节慰问活动", bold=True, size=22, center=True)
    wps_paragraph(document, "10月11日上午,城关镇组织志愿者走进敬老院,", "\n", "为80余位老人义务理发(", "\n",
                  "含失能老人12位)。")
    wps_paragraph(document, "联系人:", "\n", "县民政局养老股")
    source = tmp_path / "换行.docx"
    document.save(source)
    body = page(import_docx(project, source, request())).body
    assert "10月11日上午,城关镇组织志愿者走进敬老院,为80余位老人义务理发(含失能老人12位)。\n" in body
    assert "联系人:\n\n县民政局养老股" in body  # a label line keeps its break


def _typed_docx(path, title: str, *paragraphs: str):
    """A document as a writer types it in WPS: a centred bold title line and body paragraphs."""
    document = docx.Document()
    wps_paragraph(document, title, bold=True, size=22, center=True)
    for text in paragraphs:
        wps_paragraph(document, text)
    document.save(path)
    return path


LEAD = "３月１２日上午,城关镇组织志愿者走进敬老院(福利中心),为80余位老人义务理发、测量血压!"


def test_title_and_summary_get_the_corrections_of_fmt(project, tmp_path):
    source = _typed_docx(tmp_path / "a.docx", '城关镇开展"孝老爱亲"志愿服务活动!', LEAD)
    result = import_docx(project, source, request())
    meta = page(result).meta
    assert result.title == meta["title"] == "城关镇开展“孝老爱亲”志愿服务活动！"
    assert meta["summary"] == result.summary == "3月12日上午，城关镇组织志愿者走进敬老院（福利中心），为80余位老人义务理发、测量血压！"


def test_a_reimport_after_fmt_is_recognised(project, tmp_path, capsys):
    source = _typed_docx(tmp_path / "a.docx", "城关镇开展孝老爱亲志愿服务活动", LEAD, "活动结束后,志愿者与老人合影留念.")
    first = import_docx(project, source, request())
    assert main(["--root", str(project), "fmt", str(first.story)]) == 0
    capsys.readouterr()
    assert "3月12日上午，" in page(first).body  # fmt changed the body the fingerprint is taken from
    with pytest.raises(DocxImportError, match="这份文档已经导入过") as refused:
        import_docx(project, source, request(title="另一个标题"))
    assert first.story.relative_to(project).as_posix() in str(refused.value)
    assert sorted(p.name for p in first.story.parent.iterdir()) == [first.story.name]  # no …-2.md


def test_a_second_page_with_the_same_title_is_pointed_out(project, tmp_path):
    first = import_docx(project, _typed_docx(tmp_path / "a.docx", "城关镇开展孝老爱亲志愿服务活动", LEAD), request())
    other = _typed_docx(tmp_path / "b.docx", "城关镇开展孝老爱亲志愿服务活动 ",
                        "4月2日，城关镇再次组织志愿者走进敬老院，为老人打扫房间、清洗衣物。")
    second = import_docx(project, other, request())
    assert second.story != first.story
    same = [n for n in second.notes if "已有同样标题的稿件" in n]
    assert len(same) == 1 and first.story.relative_to(project).as_posix() in same[0] and "--update" in same[0]
    assert not [n for n in first.notes if "同样标题" in n]


@pytest.mark.parametrize(("title", "slug"), [
    ("关于2026年12月城乡低保对象拟认定名单的公示", "chengxiang-dibao-duixiang-ni"),
    ("2026年度特困人员救助供养名单公示", "tekun-renyuan-jiuzhu-gongyang"),
])
def test_a_notice_slug_comes_from_the_title_words_not_its_date(project, tmp_path, title, slug):
    source = _typed_docx(tmp_path / "n.docx", title,
                         "经入户调查、民主评议，现将拟认定名单予以公示。公示期为2026年12月1日至12月7日。")
    result = import_docx(project, source, request(kind="notice"))
    assert result.story.name == f"{slug}.md"
    assert "nian" not in result.story.stem and "yue" not in result.story.stem


def test_a_footnote_marker_is_never_the_title(project, tmp_path):
    # a document without a title line whose first paragraph starts with the note's reference
    document = docx.Document()
    first = document.add_paragraph()
    first._p.append(docx.oxml.parse_xml(
        '<w:r xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        '<w:footnoteReference w:id="1"/></w:r>'))
    document.add_paragraph("全县养老服务体系建设情况")
    document.add_paragraph("今年以来，全县新建农村互助养老服务点40个，覆盖率达到85%以上。")
    source = tmp_path / "marker.docx"
    document.save(source)
    add_note_parts(source, {"footnote": ["数据来源：县民政局。"], "endnote": []})
    result = import_docx(project, source, request())
    assert result.title == "全县养老服务体系建设情况"
    assert result.story.stem == slugify("全县养老服务体系建设情况") and result.story.stem != "1"


def test_a_nested_table_is_flattened_with_a_note(project, tmp_path):
    result = import_docx(project, nested_table_docx(tmp_path / "t.docx"), request())
    body = page(result).body
    assert "<table" not in body
    assert "| 项目 | 情况 |\n| --- | --- |\n| 入住老人 | 男 20；女 16 |" in body
    assert any("表格中套表格" in note for note in result.notes)
    settings = read_markdown_settings(project)
    relpath = result.story.relative_to(project).as_posix()
    assert html_safety_findings(result.story.read_text(encoding="utf-8"), relpath, LinkPolicy(()), settings) == []


def test_the_summary_message_says_when_the_summary_is_empty(project, tmp_path, capsys):
    flags = ["--unit", "elderly-care", "--author", "李晓梅", "--editor", "王建国", "--date", "2026-03-12 09:30"]
    short = _typed_docx(tmp_path / "short.docx", "县民政局召开年终工作会", "12月30日", "县民政局办公室")
    code, out, err = run_import_docx(project, capsys, str(short), *flags)
    assert code == 0, err
    assert "摘要（summary）是空的" in out and "自动截取" not in out
    assert page_meta(project, "xian-minzhengju")["summary"] in ("", None)
    code, out, err = run_import_docx(project, capsys, str(_typed_docx(tmp_path / "long.docx", "城关镇开展孝老爱亲志愿服务活动", LEAD)), *flags)
    assert code == 0, err
    assert "摘要（summary）是从正文第一段自动截取的" in out and "是空的" not in out


def page_meta(project, prefix):
    path = next(p for p in (project / "content/stories/2026").glob(f"{prefix}*.md"))
    return split(path.read_text(encoding="utf-8"), path.name).meta
