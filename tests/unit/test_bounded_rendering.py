"""Bounded rendering: random nested markup never crashes the renderer and never takes more than 2 s a page.

Every generated page goes through ``page_rendering._render`` (bounds first, then Python-Markdown with the
site's extensions): it is either rendered or refused with a problem, within the time limit, and a refused
page has no HTML. Seeded and reproducible (``MZPRESS_BOUNDS_SEED``).
"""

from __future__ import annotations

import os
import random
import time

import pytest

from mzpress.checks.html_safety import LinkPolicy, html_safety_findings
from mzpress.model.markdown_settings import MarkdownSettings
from mzpress.text import page_rendering
from mzpress.text.render_bounds import bound_problems

SEED = int(os.environ.get("MZPRESS_BOUNDS_SEED", "20261207"))
SETTINGS = MarkdownSettings()
PAGES = 220
LIMIT_SECONDS = 2.0
MAX_PAGE = 1_000_000

_OPEN = ["*", "**", "***", "_", "__", "~~", "[", "> ", "- ", "1. ", "<div markdown>\n", "<span>", "`", "!!! note\n    ",
         "<details><summary>x</summary>\n", "<p>", "&", "\\", "{: .x }", "<!--", "(", "![a](", "|"]
_CLOSE = ["*", "**", "***", "_", "__", "~~", "]", "", "", "", "\n</div>\n", "</span>", "`", "", "\n</details>\n",
          "</p>", ";", "", "", "-->", ")", ")", "|"]
_WORDS = ["民政", "孝老爱亲", "138****5678", "王**", "a", "x", " ", "\n", "\n\n", "    ", "\t", "\r\n", "\r"]


def _nested(rng: random.Random, depth: int) -> str:
    """``depth`` levels of one or several markup kinds around a word, opened and (mostly) closed."""
    kinds = [rng.randrange(len(_OPEN)) for _ in range(rng.choice([1, 1, 2, 3]))]
    opened = []
    parts = []
    for level in range(depth):
        kind = kinds[level % len(kinds)]
        indent = "    " * min(level, 400) if _OPEN[kind] in ("- ", "1. ") and rng.random() < 0.7 else ""
        parts.append(indent + _OPEN[kind])
        opened.append(kind)
        if rng.random() < 0.3:
            parts.append(rng.choice(_WORDS))
    parts.append("内容")
    for kind in reversed(opened):
        if rng.random() < 0.9:
            parts.append(_CLOSE[kind])
    return "".join(parts)


def _page(rng: random.Random, index: int) -> str:
    size = rng.choice([1, 2, 3, 5, 8])
    blocks = []
    for _ in range(size):
        depth = rng.choice([1, 3, 10, 40, 120, 400, 1500, 5000]) if index % 5 else rng.choice([2000, 10000])
        blocks.append(_nested(rng, depth))
        blocks.append(rng.choice(["\n\n", "\n", "\r\n\r\n", "\r\r", ""]))
    return "".join(blocks)[:MAX_PAGE]  # the loader refuses larger Markdown files (content.max_markdown_kb)


def test_random_nested_markup_is_rendered_or_refused_within_two_seconds():
    rng = random.Random(SEED)
    refused = rendered = 0
    slowest = (0.0, -1)
    for index in range(PAGES):
        text = _page(rng, index)
        page_rendering.forget()
        start = time.process_time()  # CPU time: a shared CI machine may give the process a fraction of the wall clock
        result = page_rendering._render(text, SETTINGS)
        seconds = time.process_time() - start
        slowest = max(slowest, (seconds, index))
        assert seconds <= LIMIT_SECONDS, f"seed {SEED} page {index}: {seconds:.2f} s, {len(text)} characters"
        if result.problems:
            refused += 1
            assert result.html == ""
            assert all(problem.kind in ("bound", "attributes") for problem in result.problems), (
                f"seed {SEED} page {index}: {result.problems}")  # the bounds, not a crash or the timer
        else:
            rendered += 1
    assert refused and rendered, (refused, rendered)  # both kinds of page were generated
    print(f"seed {SEED}: {rendered} rendered, {refused} refused, slowest {slowest[0]:.2f} s (page {slowest[1]})")


@pytest.mark.parametrize("text, kind", [
    ("*" * 5000 + "x" + "*" * 5000, "emphasis"),
    ("*a " * 1000 + " a*" * 1000, "emphasis"),
    ("".join("    " * level + "- x\n" for level in range(300)), "list"),
    ("> " * 300 + "x\n", "blockquote"),
    ("[" * 10000 + "x" + "]" * 10000, "brackets"),
    ("<div markdown>\n" * 300 + "x\n" + "</div>\n" * 300, None),
])
def test_the_attacks_of_the_issue_are_refused_quickly_with_a_chinese_reason(text, kind):
    start = time.perf_counter()
    problems = bound_problems(text)
    assert time.perf_counter() - start < 1.0
    assert problems
    if kind is not None:
        assert problems[0].kind == kind
    findings = html_safety_findings(text, "content/stories/2026/a.md", LinkPolicy(("gov.cn",)), SETTINGS)
    assert [f.rule for f in findings] == ["render.too-deep"] * len(findings) and findings
    assert "网站" in findings[0].message and "，" in findings[0].message


def test_ordinary_pages_and_masked_lists_are_not_refused():
    gongshi = "公示名单：" + "王**（138****5678）、" * 300
    table = "| 姓名 | 身份证号 |\n|---|---|\n" + "| 王** | 360723********1234 |\n" * 500
    story = ("# 标题\n\n" + "全县开展**敬老**活动，[详情](https://www.gov.cn/)。\n\n- 第一项\n    - 第二层\n\n> 引用\n\n") * 50
    for text in (gongshi, table, story):
        assert bound_problems(text) == []
        assert page_rendering._render(text, SETTINGS).html
