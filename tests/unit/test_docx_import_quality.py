"""Word import quality (issue 28, item 5): notes, line breaks, fmt, duplicates, notice slugs, nested
tables, the summary message."""

from __future__ import annotations

import datetime as dt

import docx
import pytest

from mzpress.checks.html_safety import LinkPolicy, html_safety_findings
from mzpress.checks.runner import check_project
from mzpress.editing.docx_import import import_docx
from mzpress.model.frontmatter import split
from mzpress.model.markdown_settings import read_markdown_settings
from mzpress.model.schema import TIMEZONE
from mzpress.text.page_rendering import render
from tests.support.docx_fixtures import notes_docx, story_request, wps_paragraph
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
