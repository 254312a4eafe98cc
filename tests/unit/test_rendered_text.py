"""What a reader sees of a Markdown line, with source columns (mzpress.text.rendered_text)."""

from __future__ import annotations

import time

import pytest

from mzpress.text.markdown_regions import fenced_code_lines, front_matter_line_count
from mzpress.text.rendered_text import has_markup, project, rendered_lines, rendered_markdown


def shown(line: str) -> str:
    return project(line)[0]


@pytest.mark.parametrize("source, reads", [
    ("138<span>1234</span>5678", "13812345678"),
    ('138<span class="x">1234</span>5678', "13812345678"),
    ("138<!-- 备注 -->12345678", "13812345678"),
    ("138**1234**5678", "13812345678"),
    ("138*1234*5678", "13812345678"),
    ("138***1234***5678", "13812345678"),
    ("138&#49;2345678", "13812345678"),
    ("13&#x38;12345678", "13812345678"),
    ("13&#X38;12345678", "13812345678"),
    ("残&amp;废", "残&废"),
    (r"138\*1234\*5678", "138*1234*5678"),
    (r"a\\b", "a\\b"),
    ("138`1234`5678", "13812345678"),
    ("138``1234``5678", "13812345678"),
    ("残**废**人", "残废人"),
    ("残*废*人", "残废人"),
    ("残~~废~~人", "残废人"),
    ("残<b>废</b>人", "残废人"),
    ("残&#x5E9F;人", "残废人"),
    ("| 张三 | 138**1234**5678 |", "| 张三 | 13812345678 |"),
    ("x _1234_ y", "x 1234 y"),
])
def test_hidden_markup_is_removed(source, reads):
    assert shown(source) == reads


@pytest.mark.parametrize("source", [
    "138****5678",  # a masked number: one unpaired run of stars
    "6222 **** **** 1234",
    "a * b * c",  # stars between spaces are no emphasis
    "snake_case_name",  # no emphasis inside a word
    "残_废_人",
    "3~5 岁，6~8 岁",  # a single tilde is text
    "138`12345678",  # a backtick without a closing one
    "a < b & c > d",
    "<https://www.example.gov.cn>",  # an autolink shows its address
    "&unknown; 与 &#; 与 & 号",
    "<!-- 没有结束",
    "138\\12345678",  # a backslash before a digit is no escape
])
def test_text_that_shows_as_written_stays(source):
    assert shown(source) == source


def test_code_spans_show_their_content_as_written():
    assert shown("`138**1234**5678`") == "138**1234**5678"
    assert shown("`&#49;<b>x</b>`") == "&#49;<b>x</b>"
    assert shown("`` a ` b ``") == " a ` b "
    assert shown(r"\`138`1234`") == "`1381234"  # an escaped backtick opens nothing


def test_every_character_keeps_its_source_column():
    line = "电话 138<span>1</span>2&#51;4**56**78，共 `2` 人"
    text, columns = project(line)
    assert text == "电话 13812345678，共 2 人"
    assert len(columns) == len(text)
    for index, char in enumerate(text):
        if line[columns[index]] != "&":  # a decoded reference sits at its "&"
            assert line[columns[index]] == char
    assert columns[text.index("3", 5)] == line.index("&#51;")
    assert columns == sorted(columns)


def test_rendered_line_spans_and_columns():
    [line] = list(rendered_lines("第一行\n为残**废**人发放\n"))
    assert (line.number, line.text) == (2, "为残废人发放")
    start = line.text.index("残废人")
    assert line.source_column(start) == 2
    assert line.source_span(start, start + 3) == (1, 8)
    assert line.columns == (0, 1, 4, 7, 8, 9)


def test_lines_without_markup_or_reading_as_written_are_not_listed():
    text = "普通一行\n138****5678\n有**加粗**的一行\r\n"
    assert [(r.number, r.text) for r in rendered_lines(text)] == [(3, "有加粗的一行")]
    assert not has_markup("普通一行 13812345678")
    assert has_markup("a_b")


def test_markdown_body_only_no_front_matter_no_fenced_code():
    text = ("---\ntitle: 残**废**人\ncover_alt: a_b\n---\n\n"
            "正文残**废**人\n\n```text\n残**废**人\n```\n\n~~~\n残<b>废</b>人\n~~~\n末行残<b>废</b>人\n")
    lines = text.split("\n")
    assert front_matter_line_count(lines) == 4
    assert fenced_code_lines(lines, 4) == {7, 8, 9, 11, 12, 13}  # 0-based
    assert [(r.number, r.text) for r in rendered_markdown(text)] == [(6, "正文残废人"), (15, "末行残废人")]
    # an unclosed front matter is body, as markdown_regions counts it
    assert [r.number for r in rendered_markdown("---\n残**废**人\n")] == [2]
    # only the lines the caller wants
    assert rendered_markdown(text, wanted=lambda line: "末行" in line)[0].number == 15


@pytest.mark.parametrize("unit", ["<", "*", "&", "`", "\\", "_", "~", "<!--", "<a ", "&#1", "` ``", "<b>", "*a"])
def test_a_500_kb_line_projects_in_linear_time(unit):
    line = unit * (500_000 // len(unit))
    started = time.perf_counter()
    text, columns = project(line)
    elapsed = time.perf_counter() - started
    assert len(text) == len(columns) <= len(line)
    # A guard against quadratic blow-ups (minutes on 500 kB), not a benchmark: generous for a busy CI machine.
    assert elapsed < 10.0, f"{unit!r}: {elapsed:.2f}s"


def test_index_of_maps_a_source_column_back_into_the_projection():
    [line] = list(rendered_lines("为残**废**人&#x53d1;放"))
    assert line.text == "为残废人发放"
    assert [line.index_of(column) for column in (0, 1, 2, 4, 7, 8)] == [0, 1, None, 2, 3, 4]
    assert line.index_of(16) == 5 and line.index_of(99) is None
