"""Every message a writer sees from ``mzpress``, argparse's own included, is Chinese; a typo gets a suggestion."""

from __future__ import annotations

import re

import pytest

from mzpress.cli import COMMANDS, main

ENGLISH = re.compile(r"positional arguments|options:|show this help|usage:|invalid choice|unrecognized|error:|"
                     r"the following arguments|expected one argument|show program")


def _run(capsys, monkeypatch, *argv):
    monkeypatch.setattr("sys.argv", ["mzpress", *argv])
    with pytest.raises(SystemExit) as stop:
        main(list(argv))
    out, err = capsys.readouterr()
    return stop.value.code, out, err


@pytest.mark.parametrize("command", [None, *(name.replace("_", "-") for name in COMMANDS)])
def test_every_help_page_is_chinese_in_house_style(capsys, monkeypatch, command):
    code, out, _ = _run(capsys, monkeypatch, *([command] if command else []), "--help")
    assert code == 0 and "用法：" in out and "显示本帮助并退出" in out
    assert not ENGLISH.search(out), ENGLISH.search(out)
    assert "选项：" in out and "选项:" not in out


@pytest.mark.parametrize(("argv", "words"), [
    (["chek"], ["没有“chek”这一项", "你是不是想写 check？", "运行 scripts/mzpress --help 查看说明"]),
    (["check", "--formt", "json"], ["无法识别的参数：--formt", "你是不是想写 --format（不是 --formt）？"]),
    (["report", "--perod", "2026-11"], ["你是不是想写 --period（不是 --perod）？"]),
    (["check", "--format"], ["参数 --format：后面需要写一个值", "运行 scripts/mzpress check --help 查看说明"]),
    (["check", "--format", "xml"], ["没有“xml”这一项"]),
    (["history"], ["缺少必填参数"]),
])
def test_usage_errors_are_chinese_and_suggest_the_nearest_word(capsys, monkeypatch, argv, words):
    code, _, err = _run(capsys, monkeypatch, *argv)
    assert code == 2
    for word in words:
        assert word in err, err
    assert "mzpress mzpress" not in err and not ENGLISH.search(err), err


def test_a_word_far_from_every_command_gets_no_wrong_suggestion(capsys, monkeypatch):
    code, _, err = _run(capsys, monkeypatch, "xyzzy")
    assert code == 2 and "你是不是想写" not in err and "没有“xyzzy”这一项" in err
