"""The sourced, date-aware and context-aware wording rules (issue 17): a passing and a failing example each.

The dictionary in effect is the built-in one plus a small ``site_config/wording.yml`` written by
each test (proper names, leaders), so the figures do not depend on the bureau's own file.
"""

from __future__ import annotations

import datetime as dt
import textwrap

import pytest

from mzpress.checks.mojibake import mojibake_findings
from mzpress.checks.wording import WordingMatcher, wording_findings
from mzpress.model.findings import Severity
from mzpress.model.wording_dictionary import builtin_sources, builtin_unsourced, load_builtin, load_wording

TODAY = dt.date(2026, 12, 3)
LOCAL = """\
starter: true
outdated_grace_days: 90
sources:
  brand: 示例县民政局文化品牌名称（示民发〔2026〕1号）
rules:
  - {wrong: 孝闲文化, right: 孝贤文化, category: typo, source: brand, note: 品牌名称}
proper_names:
  - 香港政府新闻网
  - 五保户之家公益项目
leaders:
  - {name: 某某甲, titles: [县委副书记, 县长]}
"""


@pytest.fixture(scope="module")
def matcher(tmp_path_factory):
    root = tmp_path_factory.mktemp("project")
    (root / "site_config").mkdir()
    (root / "site_config/wording.yml").write_text(LOCAL, encoding="utf-8")
    settings = load_wording(root)
    assert settings.findings == ()
    return WordingMatcher.from_settings(settings)


def _rules(matcher, text: str, page: dt.date | None = None) -> list[str]:
    return [f.rule for f in wording_findings(text, "content/stories/2026/x.md", matcher, page, TODAY)]


# --- every entry sourced ----------------------------------------------------------------------------------


def test_every_built_in_entry_has_a_source_that_is_a_citation():
    assert builtin_unsourced() == ()
    rules, problems = load_builtin()
    assert problems == [] and len(rules) >= 250
    sources = builtin_sources()
    for rule in rules:
        assert rule.source, rule.wrong
        cited = sources.get(rule.source, rule.source)
        assert "《" in cited or "GB" in cited, (rule.wrong, cited)  # a named document, not a bare key
        if rule.category == "outdated":
            assert rule.since is not None, rule.wrong


def test_a_local_entry_without_a_source_is_reported_and_listed(tmp_path):
    (tmp_path / "site_config").mkdir()
    (tmp_path / "site_config/wording.yml").write_text(
        "rules:\n  - {wrong: 老干部局长, right: 老干部局局长, category: non-standard, note: 无依据}\n", encoding="utf-8")
    settings = load_wording(tmp_path)
    assert [u.what for u in settings.unsourced] == ["老干部局长"]
    (finding,) = [f for f in settings.findings if f.rule == "wording.unsourced"]
    assert finding.file == "site_config/wording.yml" and finding.line == 2 and "source" in finding.suggestion


@pytest.mark.parametrize("text", ["民办非企业单位登记管理工作", "走访慰问孤寡老人"])
def test_entries_that_did_not_hold_against_their_sources_are_gone(matcher, text):
    assert _rules(matcher, text) == []


# --- categories --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("wrong_text", "right_text", "rule", "severity"), [
    ("志愿者再接再励，服务群众。", "志愿者再接再厉，服务群众。", "wording.typo", Severity.ERROR),
    ("请携带户口薄办理。", "请携带户口簿办理。", "wording.typo", Severity.ERROR),
    ("全县五保户得到集中供养。", "全县特困人员得到集中供养。", "wording.outdated", Severity.WARNING),
    ("慰问维族同胞。", "慰问维吾尔族同胞。", "wording.nonstandard", Severity.ERROR),
    ("不得称其为私生子。", "非婚生子女与婚生子女权利相同。", "wording.sensitive", None),
    ("国务院总里考察民政工作。", "国务院总理考察民政工作。", "wording.fixed-term", Severity.ERROR),
])
def test_each_category_reports_the_wrong_form_and_passes_the_right_one(matcher, wrong_text, right_text, rule,
                                                                        severity):
    found = wording_findings(wrong_text, "x.md", matcher, None, TODAY)
    assert [f.rule for f in found] == [rule]
    if severity is not None:
        assert found[0].severity is severity
    assert _rules(matcher, right_text) == []


def test_the_bureaus_own_sourced_rule_applies(matcher):
    assert _rules(matcher, "弘扬孝闲文化。") == ["wording.typo"] and _rules(matcher, "弘扬孝贤文化。") == []


# --- date-aware --------------------------------------------------------------------------------------------


def test_an_outdated_term_is_an_error_only_after_its_change_date_and_the_grace_period(matcher):
    text = "全县五保户得到集中供养。"  # 特困人员 since 2014-05-01 (《社会救助暂行办法》)
    assert _rules(matcher, text, dt.date(2012, 6, 1)) == []  # an archive story of its time
    assert _rules(matcher, text, dt.date(2014, 6, 1)) == []  # within the 90 days of grace
    (finding,) = wording_findings(text, "x.md", matcher, dt.date(2026, 11, 20), TODAY)
    assert finding.rule == "wording.outdated"
    assert "2014年5月1日" in finding.message and "国务院令第649号" in finding.message + finding.suggestion
    assert "2026年11月20日" in finding.message + finding.suggestion  # the page's own date is named


def test_the_page_date_comes_from_the_front_matter(matcher):
    old = "---\ntitle: 回顾\ndate: 2013-03-01 09:00\n---\n\n全县五保户得到集中供养。\n"
    new = old.replace("2013-03-01", "2026-11-01")
    assert _rules(matcher, old) == [] and _rules(matcher, new) == ["wording.outdated"]


def test_a_sentence_naming_a_year_before_the_change_is_history(matcher):
    assert _rules(matcher, "2012年，全县五保户全部纳入供养。") == []
    assert _rules(matcher, "2025年，全县五保户全部纳入供养。") == ["wording.outdated"]


# --- context-aware -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(("inside", "outside"), [
    ("认真学习《农村五保户供养工作手册》。", "认真做好五保户供养工作。"),  # a title in 《》
    ("据香港政府新闻网报道。", "据香港政府新闻报道，户口薄。"),  # a configured proper name
    ("参加五保户之家公益项目。", "走访五保户家庭。"),  # a proper name containing an outdated term
    ("当年时称“五保户”的老人，如今是特困人员。", "当年的五保户，如今生活改善。"),  # a marked historical quotation
])
def test_no_finding_inside_titles_proper_names_or_marked_quotations(matcher, inside, outside):
    assert _rules(matcher, inside) == []
    assert _rules(matcher, outside) != []


def test_a_paragraph_marked_as_historical_text_is_not_checked(matcher):
    text = "【历史原文】全县五保户一律实行集中供养。\n\n现在，全县五保户生活有保障。\n"
    assert [f.line for f in wording_findings(text, "x.md", matcher, None, TODAY)] == [3]


def test_an_inline_exemption_with_a_reason_still_works(matcher):
    from mzpress.checks.exemptions import apply_exemptions

    text = "<!-- mzpress: allow wording.outdated 引用2013年文件原文 -->\n全县五保户得到集中供养。\n"
    result = apply_exemptions(text, "x.md", wording_findings(text, "x.md", matcher, None, TODAY))
    assert [f.rule for f in result] == ["exemption.used"]


# --- coverage: fixed terms, congress names, leaders, variants, typo pairs -------------------------------


@pytest.mark.parametrize(("slip", "right"), [
    ("中华人民共合国成立七十七周年。", "中华人民共和国成立七十七周年。"),
    ("全国人民代表大全会议。", "全国人民代表大会会议。"),
])
def test_one_character_slips_in_fixed_names_are_errors(matcher, slip, right):
    found = wording_findings(slip, "x.md", matcher, None, TODAY)
    assert [(f.rule, f.severity) for f in found] == [("wording.fixed-term", Severity.ERROR)]
    assert _rules(matcher, right) == []


def test_fixed_name_slips_are_caught_even_inside_a_title(matcher):
    assert _rules(matcher, "学习《中华人民共合国民法典》。") == ["wording.fixed-term"]


def test_a_bare_party_congress_name_is_a_warning(matcher):
    (finding,) = wording_findings("深入学习十八大精神。", "x.md", matcher, None, TODAY)
    assert finding.rule == "wording.fixed-term" and finding.severity is Severity.WARNING and "党的十八大" in finding.message
    for right in ("深入学习党的十八大精神。", "党的十八大、十九大和二十大以来。", "中共二十大代表。"):
        assert _rules(matcher, right) == [], right


def test_leaders_titles_in_the_wrong_order(matcher):
    assert _rules(matcher, "县长、县委副书记某某甲出席会议。") == ["wording.leader-order"]
    assert _rules(matcher, "县委副书记、县长某某甲出席会议。") == []


def test_variants_of_one_stem_come_from_one_entry(matcher):
    rules, _ = load_builtin()
    stems = [rule for rule in rules if rule.wrong in ("五保户", "五保对象", "五保老人")]
    assert len({rule.origin for rule in stems}) == 1  # one line of the dictionary
    for text in ("全县五保户。", "全县五保对象。", "全县五保老人。", "清理“三无”对象。", "三无人员。"):
        assert _rules(matcher, text) == ["wording.outdated"], text


@pytest.mark.parametrize(("wrong_text", "right_text"), [
    ("截止3月31日，共办理。", "报名截止日期为3月31日。"),  # 截至 before a time; 截止 is right otherwise
    ("按排志愿者上门。", "安排志愿者上门。"),
    ("认真布署今年工作。", "认真部署今年工作。"),
])
def test_common_typos_of_government_writing_by_context(matcher, wrong_text, right_text):
    assert _rules(matcher, wrong_text) == ["wording.typo"] and _rules(matcher, right_text) == []


# --- mojibake -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("broken", [
    "全县共有\ufffd\ufffd名特困人员。",
    "锟斤拷锟斤拷民政局",
    "烫烫烫烫烫",
    "鍏ㄥ幙锛屽叡鏈夛細銆傛皯鏀垮眬",  # UTF-8 read as GBK
    "â€œæ°‘æ”¿â€",  # UTF-8 read as Windows-1252
])
def test_mojibake_is_an_encoding_error_with_line_and_column(broken):
    (finding,) = mojibake_findings(f"正常的一行。\n{broken}\n", "content/x.md")
    assert finding.rule == "encoding.mojibake" and finding.severity is Severity.ERROR and finding.line == 2
    assert "fix-encoding" in finding.suggestion


@pytest.mark.parametrize("fine", ["烫伤后及时就医。", "屯田戍边的历史。", "锟是一个罕用字。", "民政局（示例县）。"])
def test_correct_text_is_not_mojibake(fine):
    assert mojibake_findings(fine, "x.md") == []


def test_mojibake_is_reported_by_check_and_by_scan(tmp_path):
    from mzpress.checks.registry import TEXT_CHECKS

    assert "check_mojibake" in [check.__name__ for check in TEXT_CHECKS]  # scan runs the same text checks
    text = textwrap.dedent("""\
        ---
        title: 测试
        ---

        正文\ufffd。
        """)
    assert [f.line for f in mojibake_findings(text, "x.md")] == [5]


# --- the context helpers -----------------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "explained"), [
    ("全县孤儿院已全部转型为儿童福利机构。", True),
    ("从五保供养到特困人员救助供养。", True),
    ("全县五保户统一纳入特困人员救助供养。", True),
    ("全县五保户和特困人员都得到了照顾。", False),  # both named, no word of change
    ("全县五保户得到照顾；特困人员改为集中供养。", False),  # the new term is in the next sentence
])
def test_a_sentence_that_tells_of_the_rename_is_not_an_error(matcher, text, explained):
    assert (_rules(matcher, text) == []) is explained


@pytest.mark.parametrize(("text", "mention"), [
    ("不要叫他们“乞丐”。", True),
    ("“乞丐”一词带有贬义。", True),
    ("帮助“乞丐”回家。", False),  # quotation marks alone do not make a word a mention
    ("不要叫他们乞丐。", False),
])
def test_a_quoted_word_being_talked_about_is_not_an_error(matcher, text, mention):
    assert (_rules(matcher, text) == []) is mention


def test_a_single_line_break_does_not_end_a_sentence_but_a_comment_does(matcher):
    assert _rules(matcher, "2012年，全县\n五保户全部纳入供养。") == []  # a soft wrap
    assert _rules(matcher, "2012年，全县。\n五保户全部纳入供养。") == ["wording.outdated"]
    assert _rules(matcher, "<!-- 2012年的材料 -->\n全县五保户全部纳入供养。") == ["wording.outdated"]
