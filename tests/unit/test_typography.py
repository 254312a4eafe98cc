"""Chinese typography warnings in government house style (no space between Chinese and digits or Latin
letters; AutoCorrect for punctuation width; repeated punctuation) and the fix used by ``mzpress fmt``."""

from __future__ import annotations

from pathlib import Path

import pytest

from mzpress.checks.context import CheckContext
from mzpress.checks.registry import text_checks
from mzpress.checks.typography import check_typography, fix, issues, typography_findings
from mzpress.model.findings import Severity
from mzpress.model.source_text import SourceFile
from tests.support.project import REPO_ROOT

FRONT = "---\ntitle: 标题abc，已检查\nauthor: 作者abc,不检查\n---\n\n"  # title and summary are checked, other fields not


def at(text: str, line: int, fragment: str) -> int:
    return text.split("\n")[line - 1].index(fragment) + 1


@pytest.mark.parametrize("body, rule, fragment", [
    ("今天开展了 2025年度活动。", "typography.spacing", " 2025"),
    ("使用 Word文档报送。", "typography.spacing", " Word"),
    ("为老人理发,送去温暖。", "typography.punctuation", ","),
    ("ＡＢＣ三类人员已核实。", "typography.fullwidth-alnum", "ＡＢＣ"),
    ("真的吗？？", "typography.repeated-punctuation", "？？"),
    ("太好了！！！", "typography.repeated-punctuation", "！！！"),
    ("我们来了。。", "typography.repeated-punctuation", "。。"),
    ("大家都说好!!", "typography.repeated-punctuation", "!!"),
    ("一行文字中文 ， 空格", "typography.spacing", " ，"),
])
def test_each_rule_fires_with_position(body, rule, fragment):
    text = FRONT + "第一段没有问题。\n" + body + "\n"
    findings = typography_findings(text, "a.md")
    assert [f.rule for f in findings] == [rule], findings
    finding = findings[0]
    assert finding.severity is Severity.WARNING
    assert finding.line == 7
    assert finding.column == at(text, 7, fragment)
    assert "scripts/mzpress fmt a.md" in finding.suggestion


def test_spacing_issue_points_at_the_space():
    text = "示例县 2025年共有100 人\n"
    found = issues(text)
    assert [(i.line, i.column, i.rule) for i in found] == [
        (1, 4, "typography.cjk-spacing"), (1, 15, "typography.cjk-spacing")]  # where the space is
    assert found[0].old == "示例县 2025" and found[0].new == "示例县2025"


def test_correct_text_and_latin_text_are_quiet():
    text = FRONT + ("示例县2025年共有100人参加，使用Word文档报送，GDP增长5%。\n"
                    "他问：“这是真的吗？！”大家说：“是的……”\n"
                    "English only: Hello world!! Is it ok?? 1..3\n"
                    "省略号写作……，破折号写作——。\n")
    assert typography_findings(text, "a.md") == []


def test_front_matter_and_fenced_code_are_not_checked_inline_code_and_urls_are_skipped():
    text = FRONT + ("```python\nx = \"中文 abc,好\"\n```\n\n"
                    "~~~\n中文 abc！！\n~~~\n"
                    "这是`code 中文 a`和[链接](https://example.gov.cn/中文 abc)。\n")
    assert typography_findings(text, "a.md") == []


def test_sample_content_is_clean():
    found = []
    for path in sorted((REPO_ROOT / "content").rglob("*.md")):
        found += typography_findings(path.read_text(encoding="utf-8"), path.as_posix())
    assert found == []


def test_check_only_runs_on_markdown_and_is_registered():
    text = "中文 abc"
    md = SourceFile(Path("a.md"), "a.md", text.encode(), text)
    csv = SourceFile(Path("a.csv"), "a.csv", text.encode(), text)
    ctx = CheckContext(root=Path("."))
    assert [f.rule for f in check_typography(md, ctx)] == ["typography.spacing"]
    assert check_typography(csv, ctx) == []
    assert check_typography in text_checks()


# --- fix ------------------------------------------------------------------------------------------------

def test_fix_changes_only_the_body():
    text = FRONT + ("今天开展了 2025 年度活动,参加人数 100 人!!\n"
                    "```\n代码 abc,不改\n```\n"
                    "真的吗？？我们走。。。\n")
    fixed = fix(text)
    assert fixed.startswith(FRONT)
    assert "今天开展了2025年度活动，参加人数100人！\n" in fixed
    assert "```\n代码 abc,不改\n```\n" in fixed
    assert "真的吗？我们走……\n" in fixed
    assert typography_findings(fixed, "a.md") == []
    assert fix(fixed) == fixed  # idempotent
    assert fix(fix("中文 ABC? 好")) == fix("中文 ABC? 好")


def test_html_tags_and_comments_keep_their_spaces():
    text = '<!-- 注释 2025 年 --> <img src="a.jpg" alt="图 1 说明"> 共 3 人\n'
    assert fix(text) == '<!-- 注释 2025 年 --> <img src="a.jpg" alt="图 1 说明"> 共3人\n'


def test_fix_keeps_crlf_line_endings_and_final_newline_state():
    assert fix("中文 abc\r\n第二行 x\r\n") == "中文abc\r\n第二行x\r\n"
    assert fix("中文 abc") == "中文abc"


def test_fix_leaves_exempted_lines_alone():
    text = ("<!-- mzpress: allow typography.spacing 产品名称按原样书写 -->\n"
            "保留 abc 原样\n"
            "修改 abc 这里\n")
    assert fix(text, "a.md") == ("<!-- mzpress: allow typography.spacing 产品名称按原样书写 -->\n"
                                 "保留 abc 原样\n"
                                 "修改abc这里\n")


def test_fix_without_front_matter_and_with_unclosed_front_matter():
    assert fix("正文 abc\n") == "正文abc\n"
    # an unclosed front matter is reported by the front matter check; the text is treated as body
    assert fix("---\ntitle: 标题\n正文 abc\n").endswith("正文abc\n")


# --- one place, one finding; brackets and exclamation marks; the title and summary ---------------------------

def test_a_spaced_date_is_one_finding_with_the_whole_fix():
    text = "今天是 12 月 5 日，天气好。\n"
    (finding,) = typography_findings(text, "a.md")
    assert (finding.rule, finding.line, finding.column) == ("typography.spacing", 1, 4)
    assert finding.suggestion.startswith("把“今天是 12 月 5 日，天气”改为“今天是12月5日，天气”")
    assert fix(text) == "今天是12月5日，天气好。\n"


def test_spaces_far_apart_stay_separate_findings():
    found = typography_findings("示例县 2025年共有100 人参加。\n", "a.md")
    assert [f.column for f in found] == [4, 15]


@pytest.mark.parametrize(("written", "house"), [
    ("城关镇(社区),开展活动!", "城关镇（社区），开展活动！"),
    ("国内生产总值(GDP)增长。", "国内生产总值（GDP）增长。"),
    ("“好!”他说。", "“好！”他说。"),
    ("欢迎你 !", "欢迎你！"),
    ("开展活动! 大家好", "开展活动！大家好"),
    ("好!<br>", "好！<br>"),
    ("参见[文件(二)](a.md)。", "参见[文件（二）](a.md)。"),
])
def test_brackets_and_exclamation_marks_in_chinese_text(written, house):
    findings = typography_findings(written + "\n", "a.md")
    assert {f.rule for f in findings} == {"typography.punctuation"}
    assert fix(written + "\n") == house + "\n"
    assert typography_findings(house + "\n", "a.md") == []


def test_brackets_and_a_mark_after_them_are_one_finding():
    (finding, _) = typography_findings("城关镇(社区),开展活动!\n", "a.md")
    assert finding.column == 4 and "改为“城关镇（社区），开展活动”" in finding.suggestion


@pytest.mark.parametrize("untouched", [
    "欢迎你![图片说明](images/a.jpg)",  # an image, not an exclamation mark
    "函数f(x)的值",
    "见`f(中文)`和(see below)。",
    "加油!2026",
    "好!  ",  # the two spaces of a line break stay
])
def test_images_code_and_latin_brackets_are_left_alone(untouched):
    fixed = fix(untouched + "\n")
    assert "![" not in untouched or "![" in fixed
    assert "f(x)" not in untouched or "f(x)" in fixed
    assert "(see below)" not in untouched or "(see below)" in fixed
    assert not untouched.endswith("  ") or fixed == "好！  \n"
    if untouched == "加油!2026":
        assert fixed == "加油!2026\n"


def test_title_and_summary_get_every_correction_and_stay_valid_yaml():
    import yaml

    text = ("---\ntitle: 城关镇(社区),好!\nsummary: 共评出 10 个窗口,２０２６年!\nauthor: 作者abc,不改\n---\n\n正文。\n")
    found = typography_findings(text, "a.md")
    assert [f.line for f in found] == [2, 3, 3] and found[1].rule == "typography.spacing"
    assert all(f.message.startswith(("标题（title）：", "摘要（summary）：")) for f in found)
    fixed = fix(text)
    assert fixed.splitlines()[1:4] == ["title: 城关镇（社区），好！", "summary: 共评出10个窗口，2026年！",
                                       "author: 作者abc,不改"]
    assert typography_findings(fixed, "a.md") == [] and fix(fixed) == fixed
    assert yaml.safe_load(fixed.split("---")[1])["title"] == "城关镇（社区），好！"


@pytest.mark.parametrize(("line", "fixed_line", "value"), [
    ("title: ２０２６", "title: '2026'", "2026"),  # plain 2026 would read as a number
    ("title: '他说\"好\"'", "title: '他说“好”'", "他说“好”"),
    ('title: "测试,标题"', 'title: "测试，标题"', "测试，标题"),
    ("summary: 'It''s 中文 ,好'", "summary: 'It''s中文，好'", "It's中文，好"),
])
def test_fmt_quotes_a_title_when_yaml_needs_it_and_keeps_the_quotes_it_had(line, fixed_line, value):
    import yaml

    text = f"---\n{line}\n---\n\n正文。\n"
    fixed = fix(text)
    assert fixed.splitlines()[1] == fixed_line
    key = line.split(":", 1)[0]
    assert yaml.safe_load(fixed.split("---")[1])[key] == value


@pytest.mark.parametrize("front", [
    "title: 摘要 # 注释, 这里",  # a comment: left as written
    "summary: >\n  多行,摘要",  # a block scalar
    "title: 第一行,\n  第二行,续",  # a plain value over two lines
])
def test_titles_fmt_cannot_rewrite_safely_are_left_as_written(front):
    text = f"---\n{front}\n---\n\n正文。\n"
    assert fix(text) == text
