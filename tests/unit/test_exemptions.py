"""Inline exemptions ``<!-- mzpress: allow RULE REASON -->``."""

from __future__ import annotations

from mzpress.checks.exemptions import apply_exemptions, exempted_lines, parse_exemptions, rule_matches
from mzpress.checks.wording import WordingMatcher, load_starter, wording_findings
from mzpress.model.findings import Finding, Severity, error, warning

FILE = "content/stories/2025/a.md"


def finding(rule: str, line: int | None, column: int = 1, file: str = FILE) -> Finding:
    return error(rule, file, line, "问题", "修改", column=column)


def test_exemption_with_reason_covers_same_and_next_line_and_is_listed():
    text = "第一行\n原文引用：既使<!-- mzpress: allow wording.typo 引用1998年文件原文 -->\n既使\n既使\n"
    findings = [finding("wording.typo", 2, 6), finding("wording.typo", 3), finding("wording.typo", 4),
                finding("wording.typo", 1)]
    result = apply_exemptions(text, FILE, findings)
    assert sorted((f.rule, f.line) for f in result) == [
        ("exemption.used", 2), ("wording.typo", 1), ("wording.typo", 4)]
    used = next(f for f in result if f.rule == "exemption.used")
    assert used.severity is Severity.INFO
    assert used.column == 8
    assert "引用1998年文件原文" in used.message and "2个问题" in used.message and "wording.typo" in used.message


def test_exemption_on_its_own_line_covers_the_next_line_only():
    text = "<!-- mzpress: allow links.external 上级部门要求链接该平台 -->\n[平台](https://example.com)\n[又一个](https://example.org)\n"
    result = apply_exemptions(text, FILE, [warning("links.external", FILE, 2, "m", column=1),
                                          warning("links.external", FILE, 3, "m", column=1)])
    assert sorted((f.rule, f.line) for f in result) == [("exemption.used", 1), ("links.external", 3)]


def test_exemption_without_reason_is_an_error_and_silences_nothing():
    text = "<!-- mzpress: allow wording.typo -->\n既使\n"
    original = finding("wording.typo", 2)
    result = apply_exemptions(text, FILE, [original])
    assert original in result
    problem = next(f for f in result if f.rule == "exemption.missing-reason")
    assert (problem.severity, problem.line, problem.column) == (Severity.ERROR, 1, 1)
    assert "理由" in problem.message and "wording.typo" in problem.suggestion


def test_exemption_without_reason_is_reported_even_when_nothing_else_is():
    result = apply_exemptions("<!--mzpress: allow typography.spacing-->\n", FILE, [])
    assert [f.rule for f in result] == ["exemption.missing-reason"]


def test_malformed_exemptions_are_errors():
    text = "<!-- mzpress: alow wording.typo 理由 -->\n<!-- mzpress: allow 错别字 理由 -->\n<!-- mzpress: allow -->\n"
    result = apply_exemptions(text, FILE, [])
    assert [(f.rule, f.line) for f in result] == [
        ("exemption.malformed", 1), ("exemption.malformed", 2), ("exemption.malformed", 3)]


def test_rule_must_match_and_unrelated_findings_stay():
    text = "<!-- mzpress: allow wording.outdated 历史回顾 -->\n既使\n"
    findings = [finding("wording.typo", 2), finding("wording.typo", 2, file="content/other.md"),
                finding("privacy.id-number", 2)]
    assert apply_exemptions(text, FILE, findings) == findings


def test_family_and_several_rules():
    text = "<!-- mzpress: allow wording,typography.spacing 引用原件 -->\n内容\n"
    findings = [finding("wording.outdated", 2), finding("typography.spacing", 2), finding("typography.punctuation", 2)]
    result = apply_exemptions(text, FILE, findings)
    assert [f.rule for f in result if f.rule != "exemption.used"] == ["typography.punctuation"]
    assert rule_matches("wording.*", "wording.typo") and rule_matches("wording", "wording.typo")
    assert not rule_matches("wording.typo", "wording.typos") and not rule_matches("word", "wording.typo")


def test_file_level_and_exemption_findings_cannot_be_exempted():
    text = "<!-- mzpress: allow exemption,encoding 测试 -->\n"
    findings = [finding("encoding.not-utf8", None), finding("exemption.malformed", 1)]
    assert apply_exemptions(text, FILE, findings) == findings


def test_multi_line_comment_covers_through_the_line_after_it():
    text = "<!-- mzpress: allow wording.typo\n  引用文件原文，\n  不作改动 -->\n既使\n既使\n"
    exemptions, problems = parse_exemptions(text, FILE)
    assert problems == []
    assert (exemptions[0].first_line, exemptions[0].last_line) == (1, 4)
    assert exemptions[0].reason.startswith("引用文件原文")


def test_comments_in_fenced_code_are_examples_not_exemptions():
    text = "```\n<!-- mzpress: allow wording.typo -->\n```\n既使\n"
    assert parse_exemptions(text, FILE) == ([], [])


def test_full_width_colon_after_mzpress_is_accepted():
    exemptions, problems = parse_exemptions("<!-- mzpress： allow wording.typo 原文 -->\n", FILE)
    assert problems == [] and exemptions[0].rules == ("wording.typo",)


def test_exempted_lines_for_autofixers():
    text = "a\n<!-- mzpress: allow typography.spacing 英文原名 -->\nb\n<!-- mzpress: allow wording 原文 -->\nc\n"
    assert exempted_lines(text, FILE, "typography") == {2, 3}
    assert exempted_lines(text, FILE, "wording") == {4, 5}


def test_end_to_end_with_wording_findings():
    matcher = WordingMatcher(load_starter()[0])
    text = ("---\ntitle: 测试\n---\n\n"
            "<!-- mzpress: allow wording.outdated 回顾2019年工作，保留当时名称 -->\n"
            "2019年，国家卫计委开展义诊。\n"
            "现在，国家卫计委仍在开展义诊。\n")
    result = apply_exemptions(text, FILE, wording_findings(text, FILE, matcher))
    assert sorted((f.rule, f.line) for f in result) == [("exemption.used", 5), ("wording.outdated", 7)]
