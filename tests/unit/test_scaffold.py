"""mzpress new: complete front matter in the right folder, prompts on a terminal, never overwriting."""

from __future__ import annotations

import datetime as dt

import pytest
import yaml

from mzpress.cli import main, prompting
from mzpress.editing.atomic_files import TargetExistsError, write_new_files
from mzpress.editing.scaffold import ScaffoldError, parse_date, yaml_value
from mzpress.model.config import require_config
from mzpress.model.frontmatter import split
from mzpress.model.schema import validate
from mzpress.model.slugs import slugify
from tests.support.project import new_project, tree_digest

PEOPLE = ["--author", "李晓梅", "--editor", "王建国"]


@pytest.fixture
def project(tmp_path):
    return new_project(tmp_path / "site", with_sample_pages=False)


def new(project, capsys, *args):
    code = main(["--root", str(project), "new", *args])
    out = capsys.readouterr()
    return code, out.out, out.err


def load(project, relpath, kind):
    document = split((project / relpath).read_text(encoding="utf-8"), relpath)
    values, findings = validate(kind, document.meta, relpath, require_config(project))
    return document.meta, values, findings


def test_new_story_has_valid_complete_front_matter(project, capsys):
    title = "城关镇开展“孝老爱亲”志愿服务: 走进敬老院"
    code, out, err = new(project, capsys, "story", "--title", title, "--unit", "养老服务股", "--topic", "xiaoxian",
                         "--topic", "shequ", "--date", "2025-03-12 09:30", "--summary", "志愿者为老人理发。", *PEOPLE)
    assert code == 0, err
    relpath = f"content/stories/2025/{slugify(title)}.md"
    assert f"已新建民政故事：{relpath}" in out
    meta, values, findings = load(project, relpath, "story")
    assert findings == []
    assert meta["title"] == title  # the colon was quoted, the title reads back unchanged
    assert meta["unit"] == "elderly-care"  # the unit's name was accepted and written as its id
    assert meta["topics"] == ["xiaoxian", "shequ"]
    assert meta["date"] == "2025-03-12 09:30" and values["date"].hour == 9


def test_new_notice_defaults_to_a_seven_day_publicity_period(project, capsys):
    code, out, _ = new(project, capsys, "notice", "--title", "关于2025年第一批低保对象的公示", "--unit", "social-assistance",
                       "--date", "2025/3/1", "--summary", "公示名单。", *PEOPLE)
    assert code == 0
    relpath = out.split("：", 1)[1].split("\n", 1)[0]
    assert relpath.startswith("content/notices/2025/")
    meta, values, findings = load(project, relpath, "notice")
    assert findings == []
    assert values["start"] == dt.date(2025, 3, 1) and values["end"] == dt.date(2025, 3, 7)
    code, out, _ = new(project, capsys, "notice", "--title", "第二批公示", "--unit", "office", "--date", "2025-03-01",
                       "--start", "2025-03-02", "--end", "2025-03-10", "--summary", "x", *PEOPLE)
    meta, values, _ = load(project, out.split("：", 1)[1].split("\n", 1)[0], "notice")
    assert (values["start"], values["end"]) == (dt.date(2025, 3, 2), dt.date(2025, 3, 10))
    code, _, err = new(project, capsys, "notice", "--title", "倒着的公示", "--unit", "office", "--date", "2025-03-05",
                       "--end", "2025-03-01", *PEOPLE)
    assert code == 2 and "早于开始日期" in err


def test_new_campaign_is_a_folder_with_index(project, capsys):
    code, out, err = new(project, capsys, "campaign", "--title", "最美民政窗口评选", "--slug", "zuimei-chuangkou",
                         "--unit", "office", "--kind", "selection", "--date", "2025-04-01", "--summary", "评选。", *PEOPLE)
    assert code == 0, err
    meta, values, findings = load(project, "content/campaigns/zuimei-chuangkou/index.md", "campaign")
    assert findings == [] and values["kind"] == "selection" and values["start"] == dt.date(2025, 4, 1)
    code, _, err = new(project, capsys, "campaign", "--title", "再来一次", "--slug", "zuimei-chuangkou",
                       "--unit", "office", "--kind", "training", *PEOPLE)
    assert code == 2 and "已经被使用" in err


def test_empty_summary_is_left_for_check_to_report(project, capsys):
    code, out, _ = new(project, capsys, "story", "--title", "敬老", "--unit", "office", "--date", "2025-01-02", *PEOPLE)
    assert code == 0 and "摘要（summary）还是空的" in out
    _, _, findings = load(project, "content/stories/2025/jinglao.md", "story")
    assert [f.rule for f in findings] == ["schema.missing"]


def test_never_overwrites_and_numbers_slugs_across_years(project, capsys):
    args = ["story", "--title", "敬老", "--unit", "office", "--summary", "s", *PEOPLE]
    assert new(project, capsys, *args, "--date", "2024-05-01")[0] == 0
    first = project / "content/stories/2024/jinglao.md"
    first.write_text(first.read_text(encoding="utf-8") + "作者写的正文。\n", encoding="utf-8")
    before = tree_digest(project)
    code, out, _ = new(project, capsys, *args, "--date", "2025-05-01")
    assert code == 0 and "content/stories/2025/jinglao-2.md" in out  # unique across years
    after = tree_digest(project)
    assert all(after[name] == digest for name, digest in before.items())
    code, _, err = new(project, capsys, *args, "--date", "2025-06-01", "--slug", "jinglao-2")
    assert code == 2 and "已经被使用" in err
    assert tree_digest(project) == after


def test_exclusive_create_refuses_an_existing_target(tmp_path):
    target = tmp_path / "a" / "story.md"
    target.parent.mkdir()
    target.write_text("writer's words", encoding="utf-8")
    with pytest.raises(TargetExistsError):
        write_new_files({tmp_path / "a" / "new.png": b"x", target: b"replacement"})
    assert target.read_text(encoding="utf-8") == "writer's words"
    assert sorted(p.name for p in tmp_path.rglob("*")) == ["a", "story.md"]


def test_failure_midway_removes_everything_written(tmp_path, monkeypatch):
    import os

    real_replace = os.replace
    calls = []

    def flaky_replace(src, dst):
        calls.append(dst)
        if len(calls) == 2:
            raise OSError(28, "No space left on device")
        return real_replace(src, dst)

    monkeypatch.setattr(os, "replace", flaky_replace)
    files = {tmp_path / "stories/2025/images/x-1.jpg": b"1", tmp_path / "stories/2025/x.md": b"2"}
    with pytest.raises(OSError):
        write_new_files(files)
    assert list(tmp_path.rglob("*")) == []  # no files, no temporary files, no new folders


def test_missing_flags_without_terminal_are_listed(project, capsys):
    code, _, err = new(project, capsys, "story", "--title", "敬老")
    assert code == 2
    assert "缺少必填项：--unit（来源单位）、--author（作者）、--editor（责任编辑）" in err
    code, _, err = new(project, capsys, "campaign", "--title", "评选", "--unit", "office", *PEOPLE)
    assert code == 2 and "--kind（活动类型）" in err
    assert not (project / "content/stories").exists() and not (project / "content/campaigns").exists()


def test_unknown_unit_and_topic_suggest_the_right_id(project, capsys):
    code, _, err = new(project, capsys, "story", "--title", "敬老", "--unit", "eldercare", *PEOPLE)
    assert code == 2 and "你是不是想写 elderly-care（养老服务股）" in err and "office（办公室）" in err
    code, _, err = new(project, capsys, "story", "--title", "敬老", "--unit", "office", "--topic", "cishang", *PEOPLE)
    assert code == 2 and "cishan（慈善文化）" in err
    code, _, err = new(project, capsys, "notice", "--title", "公示", "--unit", "office", "--topic", "cishan", *PEOPLE)
    assert code == 2 and "只有民政故事" in err
    code, _, err = new(project, capsys, "story", "--title", "敬老", "--unit", "社会", *PEOPLE)
    assert code == 2 and "“社会”不是已登记的单位（--unit）" in err  # matches two units: not guessed
    code, _, err = new(project, capsys, "story", "--title", "！？", "--unit", "office", *PEOPLE)
    assert code == 2 and "无法生成文件名" in err
    assert not (project / "content/stories").exists()


def test_prompts_on_a_terminal_until_answers_are_valid(project, capsys, monkeypatch):
    answers = iter([
        "！！！",          # title with nothing to spell a file name with: asked again
        "走访慰问困难群众",
        "social-asistance",  # unit typo: did-you-mean, asked again
        "2",              # the second unit in the list (social-assistance)
        "张三",
        "",               # editor is required: asked again
        "李四",
        "cishan, 孝贤文化，2",  # topics by id, by name and by number
        "2025年1月20日 10:00",
        "春节前走访慰问困难群众。",
    ])
    monkeypatch.setattr(prompting, "stdin_is_terminal", lambda: True)
    monkeypatch.setattr("mzpress.cli.commands.new.stdin_is_terminal", lambda: True)
    monkeypatch.setattr("builtins.input", lambda prompt="": next(answers))
    code, out, err = new(project, capsys, "story")
    assert code == 0, err
    assert "无法生成文件名" in out and "你是不是想写 social-assistance" in out and "责任编辑不能为空" in out
    assert "1. office（办公室）" in out  # the list of units was shown
    relpath = f"content/stories/2025/{slugify('走访慰问困难群众')}.md"
    meta, values, findings = load(project, relpath, "story")
    assert findings == []
    assert (meta["unit"], meta["author"], meta["editor"]) == ("social-assistance", "张三", "李四")
    assert meta["topics"] == ["cishan", "xiaoxian", "shequ"] and meta["date"] == "2025-01-20 10:00"


def test_end_of_input_at_a_prompt_cancels_without_files(project, capsys, monkeypatch):
    def no_more(prompt=""):
        raise EOFError

    monkeypatch.setattr("mzpress.cli.commands.new.stdin_is_terminal", lambda: True)
    monkeypatch.setattr("builtins.input", no_more)
    code = main(["--root", str(project), "new", "notice"])
    assert code == 130 and "已取消" in capsys.readouterr().err
    assert not (project / "content/notices").exists()


@pytest.mark.parametrize(("text", "expected", "has_time"), [
    ("2025-03-12", dt.datetime(2025, 3, 12), False),
    ("2025/3/2 8:05", dt.datetime(2025, 3, 2, 8, 5), True),
    ("2025年3月12日", dt.datetime(2025, 3, 12), False),
    ("2025-03-12 09:30:15", dt.datetime(2025, 3, 12, 9, 30, 15), True),
])
def test_dates_writers_type(text, expected, has_time):
    value, timed = parse_date(text)
    assert value.replace(tzinfo=None) == expected and timed is has_time


@pytest.mark.parametrize("text", ["2025-02-30", "明天", "12/03/2025"])
def test_bad_dates_are_explained(text):
    with pytest.raises(ScaffoldError, match="无法识别或不存在"):
        parse_date(text)


@pytest.mark.parametrize("value", ["普通标题", "标题: 副标题", "- 开头是减号", "# 井号", "yes", "2025", "null",
                                   "带 #号", "“引号”与\"英文引号\"", "[方括号]", "a, b", "  前后空格 "])
def test_yaml_values_read_back_unchanged(value):
    assert yaml.safe_load(f"key: {yaml_value(value)}")["key"] == value


def test_unit_by_a_unique_part_of_its_name(project, capsys):
    code, out, err = new(project, capsys, "story", "--title", "集体婚礼", "--unit", "婚姻登记", "--date", "2025-05-20",
                         "--summary", "s", *PEOPLE)
    assert code == 0, err
    meta, _, findings = load(project, "content/stories/2025/jitihunli.md", "story")
    assert findings == [] and meta["unit"] == "marriage-registry"
