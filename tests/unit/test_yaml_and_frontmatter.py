import pytest

from mzpress.model.findings import FindingsError
from mzpress.model.frontmatter import split, title_of
from mzpress.model.yaml_source import load_yaml


def _finding(text, **kwargs):
    with pytest.raises(FindingsError) as info:
        load_yaml(text, "x.yml", **kwargs)
    (finding,) = info.value.findings
    return finding


def test_lines_of_keys_and_items():
    data = load_yaml("a: 1\nb:\n  - x\n  - y\nc: {d: 2}\n", "x.yml")
    assert data.line_of("b") == 2
    assert data["b"].line_of(1) == 4
    assert data["c"].line == 5


def test_colon_error_names_the_line_with_offset():
    finding = _finding("a: 1\nb: x: y\n", line_offset=1)
    assert finding.line == 3
    assert "冒号" in finding.message


def test_fullwidth_colon_key():
    finding = _finding("title：你好\n")
    assert finding.line == 1
    assert "中文冒号" in finding.message and "title: " in finding.suggestion


def test_duplicate_key_is_an_error():
    finding = _finding("title: a\ntitle: b\n")
    assert finding.line == 2 and "两次" in finding.message


def test_impossible_date_stays_text():
    assert load_yaml("d: 2025-02-30\n", "x.yml")["d"] == "2025-02-30"


def test_front_matter_split_and_body_line():
    doc = split("---\ntitle: 你好\ndate: 2024-01-02\n---\n\n正文\n", "a.md")
    assert doc.meta["title"] == "你好"
    assert doc.meta.line_of("date") == 3
    assert doc.body_line == 5 and doc.body.strip() == "正文"


@pytest.mark.parametrize("text, rule", [
    ("正文没有信息区\n", "frontmatter.missing"),
    ("---\ntitle: a\n正文\n", "frontmatter.unclosed"),
])
def test_front_matter_problems(text, rule):
    with pytest.raises(FindingsError) as info:
        split(text, "a.md")
    assert info.value.findings[0].rule == rule


def test_title_of_reads_the_title_or_gives_nothing():
    assert title_of("---\ntitle: 2026年度“最美民政窗口”评选\nkind: selection\n---\n正文\n") == "2026年度“最美民政窗口”评选"
    for text in ("---\ntitle: [\n---\n", "---\ntitle: 没有结束\n", "没有信息区\n", "---\nunit: office\n---\n", ""):
        assert title_of(text) == "", text
