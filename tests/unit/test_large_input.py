"""Large and pathological Markdown: the size limit, and checks that stay linear and never crash below it.

AutoCorrect (the typography library) raises “call limit reached” on large texts and overflows the
stack on very long lines; see ``mzpress/checks/typography.py``. These tests are guards against
blow-ups (generous time bounds), not benchmarks.
"""

from __future__ import annotations

import datetime as dt
import re
import subprocess
import time
from types import SimpleNamespace

import autocorrect_py
import pytest
from material.plugins.search.plugin import SearchIndex

import mzpress.checks.typography as typography
from mzpress.adapters.mkdocs.search_index import CachedSearchIndex
from mzpress.checks.exemptions import parse_exemptions
from mzpress.checks.html_safety import LinkPolicy, html_safety_findings
from mzpress.checks.runner import check_project
from mzpress.cli import main
from mzpress.model.config import load_config
from mzpress.model.content import load_site
from mzpress.model.schema import TIMEZONE
from mzpress.model.site_settings import DEFAULT_MAX_MARKDOWN_KB
from mzpress.text.markdown_regions import AUTOLINK, code_spans, url_spans
from tests.support.project import add_story, new_project, story_text, write

NOW = dt.datetime(2026, 11, 30, tzinfo=TIMEZONE)
BOUND = 20.0  # seconds: far above what these take (a few seconds at most on 2 cores)
SENTENCE = "城关镇民政所开展 2025 年敬老活动,走访慰问 80 岁以上老人共120户。"  # 4 spacing, 1 punctuation issue
FIELDS = {"title": "稿件", "date": "2025-03-01 09:00"}


def _warm() -> None:
    """AutoCorrect's call limit applies from its second call in a process: make every test see it."""
    autocorrect_py.lint_for("热身abc", "md")


def _timed(function, *args):
    start = time.perf_counter()
    result = function(*args)
    elapsed = time.perf_counter() - start
    assert elapsed < BOUND, f"{function.__name__} took {elapsed:.1f}s"
    return result


def _set_limit(root, kb) -> None:
    path = root / "site_config/site.yml"
    text = path.read_text(encoding="utf-8")
    changed, count = re.subn(r"max_markdown_kb: \S+", f"max_markdown_kb: {kb}", text)
    assert count == 1
    path.write_text(changed, encoding="utf-8")


def _story_of_size(root, slug: str, size: int, extra: str = ""):
    """A story of exactly ``size`` bytes (UTF-8), with ``extra`` at the start of the body."""
    head = story_text(body=extra + "\n", **FIELDS)
    padding = size - len(head.encode("utf-8"))
    assert padding > 0
    lines, rest = divmod(padding, 298)  # lines of 99 “正” (297 bytes and a newline), then letters
    text = story_text(body=extra + "\n" + ("正" * 99 + "\n") * lines + "a" * rest, **FIELDS)
    path = write(root / f"content/stories/2025/{slug}.md", text)
    assert path.stat().st_size == size
    return path


# --- the size limit ------------------------------------------------------------------------------------


@pytest.fixture
def limited(tmp_path):
    """A project with a 64 KB limit, one story just over it and one exactly at it."""
    root = new_project(tmp_path / "p", with_sample_pages=False)
    _set_limit(root, 64)
    _story_of_size(root, "over", 64 * 1024 + 1, extra="值班电话13812345678，开展2025年活动。")
    _story_of_size(root, "under", 64 * 1024)
    return root


def test_a_file_over_the_limit_is_an_error_at_line_1_and_is_not_read_or_published(limited):
    site, findings = load_site(limited, NOW)
    (too_large,) = [f for f in findings if f.rule == "content.too-large"]
    assert too_large.file == "content/stories/2025/over.md" and too_large.line == 1
    assert too_large.severity.value == "error"
    assert "65KB" in too_large.message and "64KB" in too_large.message
    assert "拆成几篇" in too_large.suggestion and "附件" in too_large.suggestion
    assert "stories/2025/over.md" in site.invalid and "stories/2025/over.md" not in site.by_src
    assert site.sources["stories/2025/over.md"].too_large
    assert "stories/2025/under.md" in site.by_src and "stories/2025/under.md" not in site.invalid


def test_every_mode_of_check_reports_it_and_runs_no_other_check_on_it(limited, capsys):
    _, findings = check_project(limited, NOW)
    over = [f for f in findings if f.file == "content/stories/2025/over.md"]
    assert [f.rule for f in over] == ["content.too-large"]  # no privacy or typography findings inside
    assert not [f for f in findings if f.file == "content/stories/2025/under.md" and f.rule.startswith("content.")]
    under = str(limited / "content/stories/2025/under.md")
    assert main(["--root", str(limited), "check", "--build-date", "2026-11-30", under]) == 0
    capsys.readouterr()

    git = ["git", "-c", "user.name=测试", "-c", "user.email=test@example.gov.cn"]
    subprocess.run([*git, "init", "-q"], cwd=limited, check=True)
    subprocess.run([*git, "add", "-A"], cwd=limited, check=True)
    subprocess.run([*git, "commit", "-q", "-m", "稿件"], cwd=limited, check=True)
    with (limited / "content/stories/2025/over.md").open("a", encoding="utf-8") as story:
        story.write("补充。\n")  # the one change since HEAD
    for args in ([], [str(limited / "content/stories/2025/over.md")], ["--changed-since", "HEAD"]):
        code = main(["--root", str(limited), "check", "--build-date", "2026-11-30", *args])
        out = capsys.readouterr().out
        assert code == 1, args
        assert "content/stories/2025/over.md:1: 错误 [content.too-large]" in out, args


def test_the_default_limit_is_1_mb(tmp_path):
    root = new_project(tmp_path / "p", with_sample_pages=False)
    path = root / "site_config/site.yml"
    path.write_text(re.sub(r"\n *max_markdown_kb: \d+", "", path.read_text(encoding="utf-8")), encoding="utf-8")
    assert load_config(root)[0].site.content.max_markdown_bytes == DEFAULT_MAX_MARKDOWN_KB * 1024 == 1_048_576
    _story_of_size(root, "big", 1_048_577)
    _, findings = load_site(root, NOW)
    assert [f.rule for f in findings if f.rule == "content.too-large"] == ["content.too-large"]


@pytest.mark.parametrize("value, shown", [("很大", "很大"), ("0", "0"), ("20000", "20000"), ("true", "true")])
def test_bad_limits_are_config_errors_at_their_line(tmp_path, value, shown):
    root = new_project(tmp_path / "p", with_sample_pages=False)
    _set_limit(root, value)
    path = root / "site_config/site.yml"
    config, findings = load_config(root)
    (finding,) = findings
    line = next(i for i, text in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if "max_markdown_kb:" in text)
    assert (finding.rule, finding.file, finding.line) == ("config.invalid", "site_config/site.yml", line)
    assert "content.max_markdown_kb" in finding.message and f"“{shown}”" in finding.message
    assert "64到10240之间的整数" in finding.message
    assert config.site.content.max_markdown_kb == DEFAULT_MAX_MARKDOWN_KB


# --- typography on large and pathological input -----------------------------------------------------------


def _one_mb_story() -> str:
    paragraph = SENTENCE + "\n\n"
    return story_text(body=paragraph * (1_040_000 // len(paragraph.encode())), **FIELDS)


def _headings_story() -> str:
    return story_text(body="".join(f"## 第 {i} 节标题 Title{i}\n\n内容{i}段落 text。\n\n" for i in range(10_000)), **FIELDS)


def _long_line_story() -> str:
    line = (SENTENCE * 20_000)[:222_000]  # a single line of about 500 kB
    assert len(line.encode()) > 500_000
    return story_text(body="开展 2025年活动。\n\n" + line + "\n\n最后2025 年。", **FIELDS)


def _line_of(text: str, fragment: str) -> int:
    return next(i for i, line in enumerate(text.split("\n"), 1) if fragment in line)


def test_a_1_mb_story_is_checked_and_fixed_whole_with_the_right_line_numbers():
    _warm()
    text = _one_mb_story()
    findings = _timed(typography.typography_findings, text, "a.md")
    last = _line_of(text, SENTENCE) + 2 * (text.count(SENTENCE) - 1)
    each = typography.typography_findings(SENTENCE, "a.md")
    assert len(findings) == len(each) * text.count(SENTENCE)
    assert [(f.line, f.column, f.rule) for f in findings[-len(each):]] == [(last, f.column, f.rule) for f in each]
    fixed = _timed(typography.fix, text)
    assert fixed.count("开展2025年敬老活动，走访慰问80岁以上") == text.count(SENTENCE)


def test_a_story_with_10000_headings():
    _warm()
    text = _headings_story()
    findings = _timed(typography.typography_findings, text, "a.md")
    assert len(findings) == 20_000  # the three spaces of a heading are one place to fix, one in each paragraph
    line = _line_of(text, "## 第 9999 节标题")
    assert [(f.line, f.column, f.suggestion.split("；")[0]) for f in findings if f.line == line] == [
        (line, 5, "把“## 第 9999 节标题 Title9999”改为“## 第9999节标题Title9999”")]
    assert "## 第9999节标题Title9999" in _timed(typography.fix, text)


def test_a_500_kb_line_is_left_unchecked_with_a_warning_and_the_rest_is_checked():
    _warm()
    text = _long_line_story()
    findings = _timed(typography.typography_findings, text, "a.md")
    long_line = _line_of(text, SENTENCE)
    assert [(f.rule, f.line) for f in findings] == [
        ("typography.spacing", long_line - 2), ("typography.line-too-long", long_line),
        ("typography.spacing", long_line + 2)]
    assert "222000个字符" in findings[1].message and "分成几段" in findings[1].suggestion
    fixed = _timed(typography.fix, text)
    assert fixed.split("\n")[long_line - 1] == text.split("\n")[long_line - 1]  # byte for byte
    assert "开展2025年活动。" in fixed and fixed.endswith("最后2025年。\n")


def test_lines_autocorrect_chokes_on_are_not_checked_and_left_alone():
    _warm()
    brackets = "[" * 3_999
    text = f"开展 2025年活动。\n{brackets}\n最后2025 年。\n"
    findings = _timed(typography.typography_findings, text, "a.md")
    assert [(f.rule, f.line) for f in findings] == [
        ("typography.spacing", 1), ("typography.not-checked", 2), ("typography.spacing", 3)]
    assert typography.fix(text) == f"开展2025年活动。\n{brackets}\n最后2025年。\n"


def test_a_piece_autocorrect_rejects_is_split_until_the_bad_line_is_found(monkeypatch):
    real_lint, real_format = autocorrect_py.lint_for, autocorrect_py.format_for

    def refusing(real):
        def call(text, filetype):
            if "坏" in text:
                raise ValueError("call limit reached")
            return real(text, filetype)
        return call

    monkeypatch.setattr(autocorrect_py, "lint_for", refusing(real_lint))
    monkeypatch.setattr(autocorrect_py, "format_for", refusing(real_format))
    lines = [f"第{i}行 abc" if i != 37 else "坏 abc" for i in range(1, 101)]
    text = "\n".join(lines) + "\n"
    findings = typography.typography_findings(text, "a.md")
    assert [f.line for f in findings if f.rule == "typography.not-checked"] == [37]
    assert {f.line for f in findings if f.rule == "typography.spacing"} == set(range(1, 101)) - {37}
    fixed = typography.fix(text).split("\n")
    assert fixed[36] == "坏 abc" and fixed[0] == "第1行abc" and fixed[99] == "第100行abc"


def test_small_pieces_give_the_same_findings_and_fix_as_one_piece(monkeypatch):
    _warm()
    body = "\n".join([
        "# 标题Title", "", SENTENCE, "- 列表2025年", "  续行abc", "", "> 引用100人", "",
        "| 序号 | 姓名abc | 金额 |", "|---|---|---|", "| 1 | 张三 | 3000元 |", "",
        "```", "代码abc,不改", "```", "", "这是 `code中文` 和 [链接](https://a.gov.cn/中文abc)。", "真的吗？？",
    ] * 30)
    text = story_text(body=body, **FIELDS)
    whole, fixed = typography.typography_findings(text, "a.md"), typography.fix(text)
    monkeypatch.setattr(typography, "MAX_CHUNK_CHARS", 200)
    assert typography.typography_findings(text, "a.md") == whole and whole
    assert typography.fix(text) == fixed


def test_long_lines_are_compared_in_linear_time_with_the_same_result(monkeypatch):
    _warm()
    text = "\n".join([(SENTENCE + "使用 Word文档 ， 报送ＡＢＣ。") * 40] * 3) + "\n"  # lines of 2,400 characters
    fast = _timed(typography.typography_findings, text, "a.md")
    monkeypatch.setattr(typography, "_DIFFLIB_CHARS", 10**9)  # difflib for every line, as before
    assert typography.typography_findings(text, "a.md") == fast and len(fast) > 3 * 40 * 4


# --- the whole check on pathological files ----------------------------------------------------------------


def test_the_full_check_on_the_three_pathological_stories(tmp_path):
    _warm()
    root = new_project(tmp_path / "p", with_sample_pages=False)
    for slug, text in (("mb", _one_mb_story()), ("headings", _headings_story()), ("line", _long_line_story())):
        path = write(root / f"content/stories/2025/{slug}.md", text)
        assert path.stat().st_size < 1_048_576
    start = time.perf_counter()
    _, findings = check_project(root, NOW)
    assert time.perf_counter() - start < 3 * BOUND
    # 11,000 paragraphs or 10,000 headings in one page: past the render bounds' time estimate (an upper
    # bound kept well under the 2 s a page may take), so refused with a reason and the advice to split the
    # page, never rendered for minutes; the 500 kB single line passes.
    errors = sorted((f.file.rsplit("/", 1)[-1], f.rule) for f in findings if f.severity.value == "error")
    assert errors == [("headings.md", "render.too-deep"), ("mb.md", "render.too-deep")]
    assert all("分成几个页面" in f.suggestion for f in findings if f.rule == "render.too-deep")
    line = _line_of(_long_line_story(), SENTENCE)
    assert [(f.file, f.line) for f in findings if f.rule == "typography.line-too-long"] == [
        ("content/stories/2025/line.md", line)]


# --- other text checks on a 500 kB line ----------------------------------------------------------------


def _increasing_ticks(size: int) -> str:
    """Backtick runs of lengths 1, 2, 3 ...: none is ever closed."""
    parts, length = [], 1
    while sum(map(len, parts)) < size:
        parts.append("`" * length + "x")
        length += 1
    return "".join(parts)


@pytest.mark.parametrize("name, line", [
    ("unclosed-code", _increasing_ticks(500_000)),
    ("email-autolink", "<a@" + "b." * 250_000),
    ("unclosed-tags", "<a" * 250_000),
    ("unclosed-comments", "<!--" * 125_000),
    ("unclosed-exemptions", "<!-- mzpress:" * 40_000),
    ("tag-attributes", "<p " + " ".join(f"x{i}=1" for i in range(60_000)) + ">"),
    ("prose", (SENTENCE * 20_000)[:222_000]),
])
def test_a_pathological_500_kb_line_passes_every_check(tmp_path, name, line):
    root = new_project(tmp_path / "p", with_sample_pages=False)
    add_story(root, 2025, "line", body=line, **FIELDS)
    start = time.perf_counter()
    check_project(root, NOW)
    assert time.perf_counter() - start < BOUND, name


def test_code_spans_are_what_the_regular_expression_found():
    old = re.compile(r"(?<!`)(?P<ticks>`+)(?!`)(?P<code>(?:(?!\n[ \t]*\n).)+?)(?<!`)(?P=ticks)(?!`)", re.S)
    samples = ["a `b` c", "``a`b``", "`a\n\nb`", "`a\nb`", "` `` `", "```x``` `y`", "`a", "``a`", "`a\n \nb` `c`",
               "x``y``z`w`", "`` a `` b `"]
    for text in samples:
        assert code_spans(text, skip_front_matter=False) == [m.span() for m in old.finditer(text)], text
    assert _timed(code_spans, _increasing_ticks(500_000)) == []


def test_the_email_autolink_pattern_is_unchanged_and_linear():
    old = re.compile(r"<(?P<url>(?:[A-Za-z][A-Za-z0-9+.-]{1,31}:[^\s<>]*)|(?:[^\s<>@]+@[^\s<>@]+\.[^\s<>@]+))>")
    for text in ["<a@b.c>", "<a@.b.c>", "<a@b..c>", "<a@b.>", "<a@.b>", "<a@b>", "<x@y.z.w>", "<https://a.b/c>", "<a@b.c"]:
        assert [m.span() for m in AUTOLINK.finditer(text)] == [m.span() for m in old.finditer(text)], text
    assert _timed(url_spans, "<a@" + "b." * 250_000) == []


def test_html_safety_reads_broken_tags_and_comments_as_a_browser_does():
    policy = LinkPolicy(("gov.cn",))
    # Python-Markdown escapes the broken "<a " and passes the <script> through: the page would run it.
    rules = [f.rule for f in html_safety_findings("见<a <script>alert(1)</script>", "a.md", policy)]
    assert rules == ["html.forbidden-tag"]
    assert html_safety_findings("<!-- <script>x</script> a < b -->正文", "a.md", policy) == []
    assert [f.rule for f in html_safety_findings("a<b 和 <font>c</font>", "a.md", policy)] == [
        "html.tag-not-allowed"]  # Python-Markdown escapes "a<b"; the <font> stays
    findings = html_safety_findings("<p\nstyle=x\n  onclick=y>", "a.md", policy)
    assert sorted((f.rule, f.line) for f in findings) == [
        ("html.attribute-not-allowed", 2), ("html.event-handler", 3)]


def test_unclosed_exemption_comments_take_linear_time():
    assert _timed(parse_exemptions, "<!-- mzpress:" * 40_000, "a.md") == ([], [])
    exemptions, _ = parse_exemptions("<!-- mzpress: allow typography 原文" + " " * 100_000 + "-->\n", "a.md")
    assert [e.reason for e in exemptions] == ["原文"]


def test_the_search_index_finds_toc_items_as_material_does():
    def item(id, *children):
        return SimpleNamespace(id=id, children=list(children), url=f"#{id}")

    toc = [item("a", item("b", item("c")), item("d")), item("e", item("b")), item(None), item("f")]
    ours = CachedSearchIndex.__new__(CachedSearchIndex)
    ours._toc, ours._toc_ids = None, {}
    material = SearchIndex()
    for wanted in ["a", "b", "c", "d", "e", "f", None, "missing"]:
        assert ours._find_toc_by_id(toc, wanted) is material._find_toc_by_id(toc, wanted), wanted
