"""Render bounds (mzpress/text/render_bounds.py): depth limits, the render-time estimate and their messages.

The property test feeds seeded random nested markup (emphasis, brackets, lists, blockquotes, HTML,
backticks, escapes, entities, tables, headings without blank lines…) to :func:`bound_problems`; every
page it does not refuse is rendered with the site's Python-Markdown configuration and must render
without an exception within 2 s. ``MZPRESS_BOUNDS_SEED`` picks another seed.
"""

from __future__ import annotations

import inspect
import os
import random
import re
import sys
import time

import markdown
import pytest

from mzpress.text.render_bounds import (
    CAUSES,
    DEPTH_KINDS,
    LIMITS,
    TIME_BUDGET_US,
    BoundProblem,
    bound_problems,
    describe,
    estimated_microseconds,
)

SEED = int(os.environ.get("MZPRESS_BOUNDS_SEED", "5120"))
RENDER_SECONDS = 2.0
SCAN_SECONDS = 1.0  # bound_problems on a page of up to 1 MB
PROSE = "城关镇民政所开展敬老活动，走访慰问80岁以上老人共120户。\n\n"


def _render(text: str) -> str:
    md = markdown.Markdown(extensions=["toc", "tables", "fenced_code", "attr_list", "md_in_html", "admonition"],
                           extension_configs={"tables": {"use_align_attribute": True}, "toc": {"permalink": False}})
    return md.convert(text)


def _seconds(function, text: str, limit: float) -> float:
    """Seconds ``function(text)`` takes: the best wall-clock time of up to three runs.

    The test machine is shared: when every run is over ``limit`` and the process got less than half of
    the wall-clock time, the CPU time of the best run is returned instead (the work itself).
    """
    best_wall = best_cpu = float("inf")
    for _ in range(3):
        wall, cpu = time.perf_counter(), time.process_time()
        function(text)
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        if wall < best_wall:
            best_wall, best_cpu = wall, cpu
        if best_wall <= limit:
            return best_wall
    return best_cpu if best_cpu < best_wall / 2 else best_wall


def _timed_render(text: str) -> float:
    return _seconds(_render, text, RENDER_SECONDS)


def _scan_seconds(text: str) -> float:
    return _seconds(bound_problems, text, SCAN_SECONDS)


def _kinds(text: str) -> list[str]:
    return [problem.kind for problem in bound_problems(text)]


def _only(text: str, kind: str) -> BoundProblem:
    found = [problem for problem in bound_problems(text) if problem.kind == kind]
    assert len(found) == 1, bound_problems(text)
    return found[0]


# --- each depth at its limit and just past it ---------------------------------------------------------


def _list(levels: int) -> str:
    return "".join("    " * level + "- 第" + str(level + 1) + "层\n" for level in range(levels))


def _quotes(levels: int) -> str:
    return "> " * levels + "引用\n"


def _html(levels: int) -> str:
    return "<div>" * levels + "\n内容\n" + "</div>" * levels + "\n"


def _emphasis(levels: int) -> str:
    return "*加 " * levels + "粗" + " 体*" * levels + "\n"


def _brackets(levels: int) -> str:
    return "[" * levels + "文字" + "]" * levels + "\n"


def _nesting(extra: int) -> str:
    """16 blockquotes holding a list 16 deep (32 levels), inside ``extra`` markdown="1" elements."""
    body = "".join("> " * 16 + "    " * level + "- 项\n" for level in range(16))
    return '<div markdown="1">\n' * extra + body + "</div>\n" * extra


@pytest.mark.parametrize("kind, make", [
    ("list", _list), ("blockquote", _quotes), ("html", _html), ("emphasis", _emphasis), ("brackets", _brackets),
])
def test_a_depth_at_its_limit_passes_and_one_more_level_is_reported_at_its_line(kind, make):
    limit = LIMITS[kind]
    assert bound_problems(PROSE * 3 + make(limit)) == []
    problem = _only(PROSE * 3 + make(limit + 1), kind)
    first_line = 7  # after three paragraphs of prose
    expected = {"list": first_line + limit, "html": first_line}.get(kind, first_line)
    assert (problem.line, problem.depth_or_count, problem.limit) == (expected, limit + 1, limit)


def test_lists_blockquotes_and_markdown_html_together_are_bounded():
    assert LIMITS["nesting"] == LIMITS["list"] + LIMITS["blockquote"]
    assert bound_problems(_nesting(0)) == []
    problem = _only(_nesting(1), "nesting")
    assert problem.depth_or_count == LIMITS["nesting"] + 1
    assert problem.line == 1 + 16  # the deepest item


def test_indentation_nests_only_below_a_list_or_an_admonition():
    centred = "                                                            关于做好2026年元旦春节期间困难群众走访慰问工作的通知\n"
    assert bound_problems(PROSE + centred) == []  # an indented code block, not a nested list
    assert "list" in _kinds("- 项\n\n" + "    " * 20 + "- 深\n")
    assert "list" in _kinds("!!! note\n" + "".join("    " * i + "!!! note\n" for i in range(1, 20)))


def test_blockquote_markers_after_list_markers_and_tabs_count():
    assert "blockquote" in _kinds("- " + "> " * 20 + "x\n")
    assert "list" in _kinds("".join("\t" * level + "* 项\n" for level in range(20)))
    assert "list" in _kinds("1. " * 20 + "x\n")
    assert "list" in _kinds("x\r" + "- " * 20 + "y\n")  # a lone \r ends a line for Python-Markdown


def test_markers_after_an_html_block_on_the_same_line_start_a_new_block():
    # Python-Markdown puts what follows a raw block's end tag into a new block: 300 "> " there nest 300 deep
    assert "blockquote" in _kinds('<p markdown="1">网址</p> ' + "> " * 300 + "x\n")
    assert "list" in _kinds("<div>块</div>" + "- " * 40 + "x\n")
    assert "blockquote" in _kinds("<!-- 注释 -->" + "> " * 40 + "x\n")
    assert bound_problems("年龄 > 60 > 50 > 40，" * 30 + "\n") == []  # comparisons in prose are not markers


def test_masked_names_and_numbers_do_not_count_as_emphasis_but_stacked_markers_do():
    gongshi = "公示名单：" + "王**（138****5678）、李*明（139****1234）、" * 300 + "\n"
    assert bound_problems(gongshi) == []
    assert "emphasis" in _kinds("****a " * 300 + "x" + " b****" * 300)  # separated runs of four nest
    assert "emphasis" in _kinds("".join("a" + "*" * n + "b " for n in range(60, 0, -1)) + "x"
                                + "".join(" a" + "*" * n + "b" for n in range(1, 61)))  # falling lengths nest
    assert "emphasis" in _kinds("*" * 5000 + "x" + "*" * 5000)


def test_an_element_with_a_markdown_attribute_is_one_paragraph_whatever_its_other_attributes():
    # <p markdown="1"> is one paragraph across blank lines; a ">" or "<" in another attribute must not hide it
    for start in ('<p markdown="1">', '<p title=">" markdown="1">', '<p title="<" markdown="1">',
                  '<p\n  markdown="span">'):
        page = start + "\n" + "[未闭合\n\n" * 3000 + "</p>\n"
        assert "time" in _kinds(page), start
    nested = '<div title=">" markdown="1">\n' * 40 + "x\n" + "</div>\n" * 40
    assert "nesting" in _kinds(nested)


def test_the_attacks_of_the_issue_are_refused_quickly():
    attacks = {
        "emphasis": "*" * 5000 + "攻击" + "*" * 5000,
        "list": "".join("    " * level + "- 项\n" for level in range(300)),
        "brackets": "[" * 10000 + "x" + "]" * 10000,
        "blockquote": "> " * 1000 + "x\n",
        "html": '<div markdown="1">\n' * 600 + "x\n" + "</div>\n" * 600,
    }
    for kind, text in attacks.items():
        assert kind in _kinds(text)
        assert _scan_seconds(text) < SCAN_SECONDS


_MEGABYTE_UNITS = ["*", "_", "`", "[", "<", ">", "&", "\\", "{", "|", "\n", "> ", "- ", "1. ", "    - a\n", "> a\n",
                   "# a\n", "a\n\n", "<a ", '<a b="', '<div markdown="1">\n', "</div>", "[a](", "](", "(", "``a`",
                   "|a|b|\n", "|-|-|\n", "!!! note\n", "```\n", "\t", "\r", "a_b ", "<!--", "<?", "<![", "a{: #x}\n",
                   "- - -\n", "===\n"]


@pytest.mark.parametrize("unit", _MEGABYTE_UNITS)
def test_a_megabyte_of_one_construct_is_judged_in_under_a_second(unit):
    text = (unit * (1_000_000 // len(unit) + 1))[:1_000_000]
    assert _scan_seconds(text) < SCAN_SECONDS


# --- the render-time estimate ------------------------------------------------------------------------------


def _smallest_refused(make, upto: int) -> int:
    """The smallest ``k`` for which ``make(k)`` is refused for its estimated time (bisection)."""
    low, high = 1, upto
    assert "time" in _kinds(make(high))
    while high - low > 1:
        middle = (low + high) // 2
        if "time" in _kinds(make(middle)):
            high = middle
        else:
            low = middle
    return high


@pytest.mark.parametrize("cause, make, upto", [
    ("brackets", lambda k: "[未闭合 " * k, 5000),
    ("parentheses", lambda k: "[链接]( " * k, 5000),
    ("backticks", lambda k: "``a`" * k, 5000),
    ("tags", lambda k: "<a " * k, 10000),
    ("block-splits", lambda k: "标题\n===\n" * k, 10000),
    ("table", lambda k: "|" + "列|" * k + "\n|" + "-|" * k + "\n" + "|x\n" * k, 1000),
    ("blocks", lambda k: "- 项\n" * k, 100000),
])
def test_a_page_just_past_the_time_budget_is_refused_and_one_step_less_renders_in_time(cause, make, upto):
    k = _smallest_refused(make, upto)
    problem = _only(PROSE + make(k), "time")
    assert problem.cause == cause
    assert problem.limit == TIME_BUDGET_US and problem.depth_or_count > TIME_BUDGET_US
    assert problem.line in (1, 3)  # where the offending paragraph or block begins
    passing = make(k - 1)
    assert "time" not in _kinds(passing)
    if not bound_problems(passing):
        assert _timed_render(passing) <= RENDER_SECONDS


def test_the_estimate_is_the_sum_of_its_causes_and_a_real_story_is_far_below_the_budget():
    story = _story()
    parts = estimated_microseconds(story)
    assert set(parts) == set(CAUSES)
    assert 0 < sum(parts.values()) < TIME_BUDGET_US / 20


# --- ordinary pages ----------------------------------------------------------------------------------------


def _story() -> str:
    return (
        "# 县民政局开展“情暖重阳”敬老活动\n\n"
        "10月11日，县民政局联合各乡镇民政所开展**敬老月**走访慰问活动，为80岁以上老人送去慰问金和"
        "生活用品。详见[活动通知](https://www.example.gov.cn/tzgg/202610/t20261011_1.html)。\n\n"
        "## 一、活动安排\n\n"
        "1. 走访慰问：各乡镇民政所负责辖区内的高龄老人；\n"
        "2. 健康义诊：邀请县人民医院医生开展*免费*体检；\n"
        "    - 测量血压、血糖\n"
        "    - 发放健康手册\n"
        "3. 文艺演出：由县老年大学组织。\n\n"
        "> 联系人：王**，电话：0791-8888****。\n\n"
        "| 乡镇 | 走访户数 | 慰问金（元） |\n"
        "|---|---:|---:|\n"
        "| 城关镇 | 120 | 24,000 |\n"
        "| 石门乡 | 86 | 17,200 |\n\n"
        "!!! note \"温馨提示\"\n"
        "    如需申请临时救助，请携带身份证到户籍所在地乡镇民政所办理。\n\n"
        "![活动现场](../../assets/2026/chongyang.jpg){: .photo }\n"
    )


def test_ordinary_pages_are_not_refused():
    pages = [
        _story(),
        _story() * 40,  # a very long page
        "| 序号 | 姓名 | 身份证号 | 金额 |\n|---|---|---|---:|\n"
        + "".join(f"| {i} | 王** | 360723********{i:04d} | 300 |\n" for i in range(2000)),  # a 公示 table
        "".join(f"- [{i}号文件](https://www.example.gov.cn/{i}.html)：关于**低保**标准的通知\n" for i in range(1000)),
        "<table>\n<tr><td><p><span><b>表格</b></span></p></td></tr>\n</table>\n\n" * 50,  # pasted HTML
    ]
    for page in pages:
        assert bound_problems(page) == [], bound_problems(page)[:3]
        assert _timed_render(page) <= RENDER_SECONDS


# --- messages ----------------------------------------------------------------------------------------------

_ASCII_PUNCTUATION = re.compile(r"[,;:!?()]")
_SPACE_BY_CHINESE = re.compile(r"[\u4e00-\u9fff] | [\u4e00-\u9fff]")
_QUOTED = re.compile(r"“[^”]*”")  # a symbol the writer should look for, quoted


@pytest.mark.parametrize("problem", [BoundProblem(12, kind, LIMITS[kind] + 5, LIMITS[kind]) for kind in DEPTH_KINDS]
                         + [BoundProblem(3, "time", TIME_BUDGET_US * 3, TIME_BUDGET_US, cause) for cause in CAUSES])
def test_each_problem_is_described_in_plain_chinese(problem):
    message, suggestion = describe(problem)
    assert message.startswith(f"第{problem.line}行起")
    for text in (message, suggestion):
        assert text.endswith("。")
        assert not _SPACE_BY_CHINESE.search(text), text
        assert not _ASCII_PUNCTUATION.search(_QUOTED.sub("", text)), text
    if problem.kind == "time":
        assert "倍" in message
    else:
        assert f"{problem.depth_or_count}层" in message and f"最多允许{problem.limit}层" in message


# --- headroom: every page within the bounds leaves most of the recursion limit to the caller --------------


def test_every_depth_at_its_limit_at_once_needs_few_python_frames():
    inline = ("*a " * 100 + "**b " * 50 + "[" * 31 + "![c](d) x" + "](u)" * 31 + " b**" * 50 + " a*" * 100)
    pages = [
        "\n".join("> " * 16 + "    " * i + "- 项" for i in range(16)) + "\n" + "> " * 16 + "    " * 16 + inline + "\n",
        '<div markdown="1">\n' * 16 + _list(16) + "\n" + "    " * 16 + inline + "\n\n" + "</div>\n" * 16,
        "<div>" * 64 + "\n\n" + inline + "\n",
    ]
    depth = len(inspect.stack(0))
    previous = sys.getrecursionlimit()
    for page in pages:
        assert bound_problems(page) == []
        sys.setrecursionlimit(depth + 300)  # Python-Markdown may use 300 frames; the default allows 1,000
        try:
            _render(page)
        finally:
            sys.setrecursionlimit(previous)


# --- the property test -------------------------------------------------------------------------------------

_WORDS = ["民政", "救助", "a", "x1", "2025", "王**", "138****5678", "http://x.gov.cn/a_b", " ", "\n", "\n\n"]
_FRAGMENTS = ["*", "**", "_", "__", "***", "****", "`", "``", "```", "[", "]", "](", "(", ")", "![", "\\", "\\*", "&",
              "&amp;", "&#123;", "<", ">", "<a ", "<b>", "</b>", "<div>", "</div>", '<div markdown="1">\n', "<span>",
              "<!--", "-->", "<![CDATA[", "<?", "{", "}", "{: .x}", "|", "~~", "#", "!!! note", "- ", "* ", "1. ",
              "> ", "    ", "\t", "\n", "\n\n", " ", "  \n", "---", "===", '"', "'", "=", "@", "://", "词", "\r"]
_OPEN = ["*", "**", "***", "_", "__", "[", "![", "> ", "- ", "1. ", '<div markdown="1">\n', "<span>", "`", "<b>",
         "!!! note\n    ", "<p>", "&", "\\", "{: .x }", "<!--", "(", "|", "<a ", '<i title="']
_CLOSE = ["*", "**", "***", "_", "__", "]", "](http://x)", "", "", "", "\n</div>\n", "</span>", "`", "</b>", "",
          "</p>", ";", "", "", "-->", ")", "|", ">", '">']


def _word(rng: random.Random) -> str:
    return rng.choice(_WORDS)


def _nested(rng: random.Random, depth: int) -> str:
    """``depth`` levels of one to three kinds of markup around a word, opened and mostly closed."""
    kinds = [rng.randrange(len(_OPEN)) for _ in range(rng.choice([1, 1, 2, 3]))]
    indent = rng.random() < 0.5
    parts, opened = [], []
    for level in range(depth):
        kind = kinds[level % len(kinds)]
        if _OPEN[kind] in ("- ", "1. ", "> ") and indent:
            parts.append("\n" + "    " * min(level, 300))
        parts.append(_OPEN[kind])
        opened.append(kind)
        if rng.random() < 0.3:
            parts.append(_word(rng))
    parts.append("内容")
    close = rng.random()
    for kind in reversed(opened):
        if rng.random() < close:
            parts.append(_CLOSE[kind])
    return "".join(parts)


def _runs(rng: random.Random, depth: int) -> str:
    """Emphasis runs of random lengths, separated or inside words (sometimes of falling length)."""
    lengths = [rng.choice([1, 2, 3, 4, 5, 8, 12]) for _ in range(depth)]
    if rng.random() < 0.3:
        lengths.sort(reverse=True)
    mark = rng.choice("*_*")
    opening = "".join(rng.choice([" ", "a", "王", "1"]) + mark * n + rng.choice(["a", " ", "（", "8"]) for n in lengths)
    closing = "".join(rng.choice([" ", "a", ""]) + mark * n + rng.choice([" ", "a", "、"]) for n in reversed(lengths))
    return opening + "x" + closing


def _table(rng: random.Random, columns: int, rows: int) -> str:
    cells = ["字", "`a|b`", "**b**", "[l](x)", "", "{a", "\\|"]
    return "\n".join(["|" + "|".join(_word(rng) for _ in range(columns)) + "|",
                      "|" + "|".join(rng.choice(["-", ":-", "-:"]) for _ in range(columns)) + "|"]
                     + ["|" + "|".join(rng.choice(cells) for _ in range(rng.randint(1, columns)))
                        for _ in range(rows)])


def _lines(rng: random.Random, count: int) -> str:
    return "\n".join(rng.choice(["# 标题", "## 标题 {: #x}", "---", "===", "***", "!!! note", "正文", "- - -", "```",
                                 "~~~", "<div>", "- 项", "> 引", "    缩进"]) for _ in range(count))


def _repeated(rng: random.Random, size: int) -> str:
    unit = "".join(rng.choice(_FRAGMENTS) for _ in range(rng.randint(1, 8)))
    return unit * max(1, size // len(unit))


def _piece(rng: random.Random, room: int) -> str:
    depth = int(rng.choice([1, 3, 10, 30, 100, 300, 1000, 3000]) * rng.random()) + 1
    kind = rng.randrange(9)
    if kind == 0:
        return _nested(rng, depth)
    if kind == 1:
        return _runs(rng, min(depth, 600))
    if kind == 2:
        return _table(rng, min(depth, 200), min(depth, 300))
    if kind == 3:
        return _lines(rng, depth)
    if kind == 4:
        return " ".join("`" * rng.randint(1, 6) + _word(rng) for _ in range(depth))
    if kind == 5:
        return _repeated(rng, min(room, depth * 30) + 10)
    if kind == 6:
        return "".join(rng.choice(_FRAGMENTS) if rng.random() < 0.6 else _word(rng) for _ in range(min(room, depth * 30)))
    return PROSE + "**加粗**、*斜体*、[链接](https://x.gov.cn/a)、`代码`、&amp;。\n"


def _page(rng: random.Random, size: int) -> str:
    parts, total = [], 0
    while total < size:
        piece = _piece(rng, size - total)
        parts.append(piece + rng.choice(["\n\n", "\n", " ", "", "\r\n\r\n"]))
        total += len(piece) + 1
    return "".join(parts)[:1_000_000]  # the loader refuses larger Markdown files


def _adversarial_megabytes(rng: random.Random) -> list[str]:
    """1 MB pages of one repeated construct: each must be judged quickly, and rendered in time if not refused."""
    units = ["[a ", "<a ", "``a`", "**a** ", "- a\n", "> " * 8 + "a\n", "a\n===\n", "|" + "x|" * 40 + "\n",
             "正文" * 40 + "\n\n", "王**（138****5678）、"]
    return [(unit * (1_000_000 // len(unit) + 1))[:1_000_000] for unit in units] + [_repeated(rng, 1_000_000)]


def test_random_nested_markup_is_refused_or_renders_in_time():
    rng = random.Random(SEED)
    pages = [_page(rng, rng.choice([300, 1000, 3000, 10000, 30000] * 3 + [100_000, 200_000])) for _ in range(400)]
    pages += _adversarial_megabytes(rng)
    rendered = refused = 0
    slowest = (0.0, -1)
    for index, page in enumerate(pages):
        problems = bound_problems(page)
        scan = _scan_seconds(page)
        assert scan <= SCAN_SECONDS * max(1.0, len(page) / 1_000_000), f"seed {SEED} page {index}: judged in {scan:.2f} s"
        if problems:
            refused += 1
            continue
        rendered += 1
        try:
            seconds = _timed_render(page)
        except RecursionError as error:  # pragma: no cover - what the bounds exist to prevent
            pytest.fail(f"seed {SEED} page {index} ({len(page)} characters): {error!r}")
        slowest = max(slowest, (seconds, index))
        assert seconds <= RENDER_SECONDS, f"seed {SEED} page {index}: {seconds:.2f} s, {len(page)} characters"
    assert rendered > 100 and refused > 50, (rendered, refused)  # both kinds of page were generated
    print(f"seed {SEED}: {rendered} rendered, {refused} refused, slowest {slowest[0]:.2f} s (page {slowest[1]})")
