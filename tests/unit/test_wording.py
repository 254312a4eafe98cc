"""Wording rules (错敏词): starter dictionary, local rules, matching, positions, config errors."""

from __future__ import annotations

import random
import textwrap
from pathlib import Path

import pytest

from mzpress.checks.context import CheckContext
from mzpress.checks.registry import run_checks, text_checks
from mzpress.checks.wording import (
    CATEGORIES,
    CONFIG_FILE,
    WordingMatcher,
    WordingRule,
    check_wording,
    load_rules,
    load_starter,
    wording_findings,
    wording_settings_findings,
)
from mzpress.model.findings import Severity
from mzpress.model.source_text import SourceFile
from tests.support.project import REPO_ROOT


@pytest.fixture(scope="module")
def starter() -> WordingMatcher:
    rules, problems = load_starter()
    assert problems == []
    return WordingMatcher(rules)


def source(text: str, relpath: str = "content/stories/2025/a.md") -> SourceFile:
    return SourceFile(Path(relpath), relpath, text.encode("utf-8"), text)


def project(tmp_path: Path, wording_yml: str | None) -> Path:
    (tmp_path / "site_config").mkdir()
    if wording_yml is not None:
        (tmp_path / "site_config" / "wording.yml").write_text(textwrap.dedent(wording_yml), encoding="utf-8")
    return tmp_path


# --- the starter dictionary ------------------------------------------------------------------------------

def test_starter_has_at_least_150_entries_each_with_a_note_and_a_known_category():
    rules, problems = load_starter()
    assert problems == []
    assert len(rules) >= 150
    assert all(rule.note.strip() for rule in rules)
    assert {rule.category for rule in rules} == set(CATEGORIES.values())


def test_starter_default_severities():
    rules, _ = load_starter()
    by_wrong = {r.wrong: r for r in rules}
    assert by_wrong["既使"].severity is Severity.ERROR  # 错别字
    assert by_wrong["残废人"].severity is Severity.ERROR  # 敏感词
    assert by_wrong["五保户"].severity is Severity.WARNING  # 过时表述
    assert by_wrong["精神病人"].severity is Severity.WARNING  # 不规范表述
    assert by_wrong["其它"].severity is Severity.INFO  # explicit severity in the entry


def test_no_fix_loops_a_right_form_never_triggers_its_own_rule(starter):
    """Writing ``right`` must never be reported by the same rule (一带一路 → “一带一路”)."""
    looping = []
    for rule in starter.rules:
        if not rule.right:
            continue
        text = f"我们认真学习{rule.right}的要求。"
        hits = [m for m in starter.find(text) if m.rule.wrong == rule.wrong]
        if hits:
            looping.append(rule.wrong)
    assert looping == []


def test_no_fix_introduces_another_starter_error(starter):
    """Applying a suggestion never produces text that another rule reports."""
    bad = []
    for rule in starter.rules:
        if rule.right:
            hits = [m.rule.wrong for m in starter.find(f"对此，{rule.right}。")]
            if hits:
                bad.append((rule.wrong, rule.right, hits))
    assert bad == []


def test_exceptions_contain_their_wrong_form(starter):
    for rule in starter.rules:
        for phrase in rule.exceptions:
            assert rule.wrong in phrase, (rule.wrong, phrase)
            assert not [m for m in starter.find(phrase) if m.rule.wrong == rule.wrong], phrase


CORRECT_TEXT = """
---
title: 示例县民政局扎实推进“五社联动”助力基层治理
summary: 截至目前，全县已建成社区养老服务站 32 个。
---

截至目前，示例县已建成社区养老服务站 32 个，为特困人员、低保对象和独居老年人提供助餐、助洁、助医服务。
即使遇到雨雪天气，志愿者也坚持上门慰问。工作人员既使用线上平台受理申请，又深入村组走访核实，
确保符合条件的困难群众应保尽保。报名于 3 月 31 日截止，截止日期以后不再受理。

县民政局以经济建设为中心、以人民为中心，坚持移风易俗、厚养薄葬，推进婚姻登记“跨省通办”。
老年协会会员爱好象棋、书法，退休干部一贯切实履行志愿服务承诺，十四五岁的学生也参加了关爱活动。
农业部门、移民工作站和县文化和旅游局共同举办农民工返乡就业服务活动；因战因公伤残人员的抚恤金按时发放。
婚姻法律咨询服务进社区，帮助群众了解《中华人民共和国民法典》婚姻家庭编的规定。
救灾物资清单中登记帐篷 120 顶，工作人员逐一对帐篷进行编号，没有让群众吃哑巴亏。
社会组织是联系群众的重要纽带，县内登记的社会团体、民办非企业单位（社会服务机构）涵盖多个类别。
这座落成于 1998 年的敬老院经过修葺焕然一新，全体干部职工攻坚克难、砥砺前行、踔厉奋发、笃行不怠。
认真践行“两个维护”，增强“四个意识”、坚定“四个自信”，全面落实“放管服”改革和“一网通办”。
"""


def test_correct_government_text_gives_no_findings(starter):
    assert wording_findings(CORRECT_TEXT, "a.md", starter) == []


def test_sample_content_gives_no_wording_findings():
    rules, problems = load_rules(REPO_ROOT)
    assert problems == []
    matcher = WordingMatcher(rules)
    found = []
    for path in sorted((REPO_ROOT / "content").rglob("*.md")):
        found += wording_findings(path.read_text(encoding="utf-8"), path.as_posix(), matcher)
    assert found == []


# --- each category fires, with exact position, severity and suggestion -------------------------------------

@pytest.mark.parametrize("sentence, wrong, rule, severity, right", [
    ("即日起，既使遇到困难也要坚持。", "既使", "wording.typo", Severity.ERROR, "即使"),
    ("截止目前共救助 30 人。", "截止", "wording.typo", Severity.ERROR, "截至"),
    ("为精神病人送去棉被。", "精神病人", "wording.nonstandard", Severity.WARNING, "精神障碍患者"),
    ("国务院办公室印发通知。", "国务院办公室", "wording.fixed-term", Severity.ERROR, "国务院办公厅"),
    ("全县五保户共 120 户。", "五保户", "wording.outdated", Severity.WARNING, "特困人员"),
    ("依据《婚姻法》有关规定。", "《婚姻法》", "wording.outdated", Severity.WARNING, "《中华人民共和国民法典》婚姻家庭编"),
    ("为残废人发放补贴。", "残废人", "wording.sensitive", Severity.ERROR, "残疾人"),
])
def test_each_category_fires(starter, sentence, wrong, rule, severity, right):
    text = f"---\ntitle: 测试\n---\n\n第一段。\n{sentence}\n"
    findings = wording_findings(text, "a.md", starter)
    assert len(findings) == 1, findings
    finding = findings[0]
    assert (finding.rule, finding.severity, finding.line) == (rule, severity, 6)
    assert finding.column == sentence.index(wrong) + 1
    assert f"“{wrong}”" in finding.message
    if right:
        assert f"改为“{right}”" in finding.suggestion
    else:
        assert "删除或改写" in finding.suggestion
    note = next(r.note for r in starter.rules if r.wrong == wrong)
    assert note.rstrip("。") in finding.suggestion


def test_quoted_form_and_explained_rename_pass(starter):
    text = "走访特困人员（原五保户）；残疾人（原称残废人）。"
    assert wording_findings(text, "a.md", starter) == []
    assert [f.message for f in wording_findings("走访五保户", "a.md", starter)]


def test_front_matter_is_checked_code_and_urls_are_not(starter):
    text = textwrap.dedent("""\
        ---
        title: 截止目前已救助 30 人
        ---

        正文 `既使` 不查，链接 [说明](https://example.gov.cn/截止目前/) 不查，网址 https://x.gov.cn/既使 不查。

        ```text
        截止目前
        ```

        ~~~
        残废人
        ~~~
        最后一行既使有错也要查。
        """)
    findings = wording_findings(text, "a.md", starter)
    assert [(f.line, f.column, f.rule) for f in findings] == [(2, 8, "wording.typo"), (14, 5, "wording.typo")]


def test_longest_match_wins_and_positions_across_lines(starter):
    text = "第一行\n二、国家卫生计生委和国家卫生和计划生育委员会\n"
    findings = wording_findings(text, "a.md", starter)
    assert [(f.line, f.column, f.message.split("”")[0]) for f in findings] == [
        (2, 3, "“国家卫生计生委"), (2, 11, "“国家卫生和计划生育委员会")]


def test_several_occurrences_each_reported(starter):
    findings = wording_findings("既使…既使…\n既使", "a.txt", starter)
    assert [(f.line, f.column) for f in findings] == [(1, 1), (1, 4), (2, 1)]


# --- local rules in site_config/wording.yml -------------------------------------------------------------

def test_project_wording_file_has_three_local_rules_and_starter():
    rules, problems = load_rules(REPO_ROOT)
    assert problems == []
    local = [r for r in rules if r.origin.startswith(CONFIG_FILE)]
    assert len(local) == 3
    assert len(rules) > 150


def test_local_rule_fires_and_overrides_or_switches_off_starter(tmp_path):
    root = project(tmp_path, """\
        starter: true
        rules:
          - {wrong: 孝闲文化, right: 孝贤文化, category: 错别字, source: 测试, note: 本局文化品牌}
          - {wrong: 五保户, right: 特困供养人员, category: 过时表述, since: 2014-05-01, source: 测试, severity: error, note: 本县统一说法}
          - {wrong: 孤寡老人, category: 不规范表述, severity: off}
        """)
    ctx = CheckContext(root=root)
    text = "弘扬孝闲文化，走访五保户和孤寡老人。"
    findings = check_wording(source(text), ctx)
    assert [(f.rule, f.severity, f.column) for f in findings] == [
        ("wording.typo", Severity.ERROR, 3), ("wording.outdated", Severity.ERROR, 10)]
    assert "特困供养人员" in findings[1].suggestion and CONFIG_FILE in findings[1].suggestion


def test_starter_false_uses_only_local_rules(tmp_path):
    root = project(tmp_path, "starter: false\nrules:\n  - {wrong: 甲乙, right: 丙丁, category: 敏感词, source: 测试, note: 测试}\n")
    findings = check_wording(source("既使甲乙"), CheckContext(root=root))
    assert [(f.rule, f.column) for f in findings] == [("wording.sensitive", 3)]


def test_outside_a_project_the_starter_is_used(tmp_path):
    findings = check_wording(source("既使如此"), CheckContext(root=tmp_path, config=None))
    assert [f.rule for f in findings] == ["wording.typo"]


@pytest.mark.parametrize("yml, line, words", [
    ("starter: true\nrules:\n  - {wrong: 甲, right: 乙, category: 错字, note: x}\n", 3, "类别"),
    ("starter: true\nrules:\n  - {right: 乙, category: 错别字}\n", 3, "缺少 wrong"),
    ("starter: true\nrules:\n  - {wrong: 甲, right: 乙, category: 错别字, severity: high}\n", 3, "严重程度"),
    ("starter: true\nrules:\n  - {wrong: 甲, right: 乙, category: 错别字}\n  - {wrong: 甲, right: 丙, category: 错别字}\n",
     4, "重复"),
    ("starter: true\nrules:\n  - {wrong: 甲, right: 乙, category: 错别字, colour: red}\n", 3, "不认识"),
    ("starter: yes please\n", 1, "starter"),
    ("starter: true\nrules:\n  - {wrong: 甲, right: 乙, category: 错别字, exceptions: [丙丁]}\n", 3, "exceptions"),
    ("starter: true\nrules:\n  - {wrong: 甲\n", 4, "格式"),
    ("starter：true\n", 1, "中文冒号"),
])
def test_config_errors_have_file_and_line_and_are_reported_once(tmp_path, yml, line, words):
    """Reported by the run check, once per run; the text check (whose findings are kept per file) never does."""
    root = project(tmp_path, yml)
    ctx = CheckContext(root=root)
    assert [f for f in check_wording(source("正文"), ctx) if f.file == CONFIG_FILE] == []
    assert [f for f in check_wording(source("正文", "content/b.md"), ctx) if f.file == CONFIG_FILE] == []
    config = [f for f in wording_settings_findings(ctx) if f.file == CONFIG_FILE]
    assert config
    assert config[0].rule == "wording.config" and config[0].severity is Severity.ERROR
    assert config[0].line == line
    assert words in (config[0].message + config[0].suggestion)


def test_a_bad_local_rule_does_not_stop_the_others(tmp_path):
    root = project(tmp_path, "rules:\n  - {wrong: 甲, category: 乱写}\n  - {wrong: 乙丙, right: 丁, category: 错别字, source: 测试}\n")
    ctx = CheckContext(root=root)
    findings = check_wording(source("乙丙既使"), ctx) + wording_settings_findings(ctx)
    assert {f.rule for f in findings} == {"wording.config", "wording.typo"}
    assert len([f for f in findings if f.rule == "wording.typo"]) == 2


def test_wording_is_registered_as_a_text_check_and_its_settings_as_a_run_check():
    assert check_wording in text_checks()
    assert wording_settings_findings in run_checks()


def test_matcher_is_built_once_per_run(tmp_path):
    ctx = CheckContext(root=tmp_path)
    check_wording(source("甲"), ctx)
    matcher = ctx.memo("wording", lambda: None)["matcher"]
    check_wording(source("乙"), ctx)
    assert ctx.memo("wording", lambda: None)["matcher"] is matcher


# --- 10,000 rules: correctness of the multi-pattern matching -------------------------------------------

def test_ten_thousand_synthetic_rules_match_exactly_like_a_naive_search():
    rng = random.Random(20261129)
    alphabet = [chr(c) for c in range(0x4E00, 0x4E00 + 400)]  # a small alphabet: many overlaps
    words = set()
    while len(words) < 10_000:
        words.add("".join(rng.choice(alphabet) for _ in range(rng.randint(3, 6))))
    rules = [WordingRule(w, "正", "typo", Severity.ERROR, "synthetic") for w in sorted(words)]
    matcher = WordingMatcher(rules)
    assert len(matcher) == 10_000
    sample = rng.sample(sorted(words), 300)
    text = "".join(rng.choice(alphabet) for _ in range(20_000))
    text = "\n".join([text] + [f"前{w}后" for w in sample])
    found = {(m.start, m.rule.wrong) for m in matcher.find(text)}
    # Naive search; then the same rule as the matcher: drop a match nested inside a longer one.
    naive = sorted(((i, w) for w in words for i in _all_positions(text, w)), key=lambda x: (x[0], -len(x[1])))
    expected, covered = set(), -1
    for start, word in naive:
        end = start + len(word)
        if end <= covered:
            continue
        expected.add((start, word))
        covered = max(covered, end)
    assert found == expected
    assert all((text.index(f"前{w}后") + 1, w) in found for w in sample)


def _all_positions(text: str, word: str):
    position = text.find(word)
    while position != -1:
        yield position
        position = text.find(word, position + 1)


# --- what the reader reads: words split by markup that does not show --------------------------------

@pytest.mark.parametrize("written", [
    "残**废**人", "残*废*人", "残~~废~~人", "残`废`人", "残<b>废</b>人", '残<span class="x">废</span>人',
    "残&#x5E9F;人", "残&#24223;人", "<b>残</b>废人", "残废<!-- 注 -->人", "**残**废人",
])
def test_a_word_split_by_markup_is_found_at_its_line_and_column(starter, written):
    line = f"为{written}发放补贴。"
    text = f"---\ntitle: 测试\n---\n\n第一段。\n{line}\n"
    findings = wording_findings(text, "content/stories/2025/a.md", starter)
    assert [(f.rule, f.line, f.column) for f in findings] == [("wording.sensitive", 6, line.index("残") + 1)]
    assert "“残废人”" in findings[0].message and "改为“残疾人”" in findings[0].suggestion


def test_hidden_words_in_a_table_and_several_on_a_line(starter):
    text = "| 单位 | 说明 |\n|---|---|\n| 城关镇 | 为残**废**人服务，既<b>使</b>下雨也不停 |\n"
    findings = wording_findings(text, "a.md", starter)
    line = text.split("\n")[2]
    assert [(f.rule, f.line, f.column) for f in findings] == [
        ("wording.sensitive", 3, line.index("残") + 1), ("wording.typo", 3, line.index("既") + 1)]


def test_a_word_found_as_written_and_as_read_is_reported_once(starter):
    text = "为残废人和**残废人**发放，<b>既使</b>下雨。\n截止目前**共**救助。\n"
    findings = wording_findings(text, "a.md", starter)
    assert [(f.line, f.column, f.rule) for f in findings] == [
        (1, 2, "wording.sensitive"), (1, 8, "wording.sensitive"), (1, 19, "wording.typo"), (2, 1, "wording.typo")]


def test_code_urls_front_matter_and_fences_behave_as_before_when_split(starter):
    text = textwrap.dedent("""\
        ---
        title: 残**废**人
        ---

        代码 `残**废**人` 与 `残废人` 不查，链接 [说明](https://example.gov.cn/残**废**人/) 不查。

        ```text
        残**废**人
        ```

        ~~~
        残<b>废</b>人
        ~~~
        末行残<b>废</b>人要查。
        """)
    findings = wording_findings(text, "a.md", starter)
    assert [(f.line, f.column, f.rule) for f in findings] == [(14, 3, "wording.sensitive")]


def test_guards_apply_to_the_text_as_read(starter):
    text = "他**既使用**电脑也看书。民办非企业单位（**社会服务机构**）年检。推进“一带**一路**”建设。\n"
    assert wording_findings(text, "a.md", starter) == []


def test_only_markdown_files_are_read_as_rendered(starter):
    assert wording_findings("为残**废**人发放。\n", "notes.txt", starter) == []
    assert len(wording_findings("为残**废**人发放。\n", "a.md", starter)) == 1
    findings = check_wording(source("为残<b>废</b>人发放。\n"), CheckContext(root=None))
    assert [(f.rule, f.line, f.column) for f in findings] == [("wording.sensitive", 1, 2)]


def test_inline_exemptions_apply_to_hidden_words(starter):
    from mzpress.checks.exemptions import apply_exemptions

    relpath = "content/stories/2025/a.md"
    text = "<!-- mzpress: allow wording.sensitive 引用1990年文件原文 -->\n原文：残**废**人。\n\n又：残**废**人。\n"
    result = apply_exemptions(text, relpath, wording_findings(text, relpath, starter))
    assert sorted((f.rule, f.line) for f in result) == [("exemption.used", 1), ("wording.sensitive", 4)]
