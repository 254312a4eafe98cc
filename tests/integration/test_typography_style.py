"""House style by default, the spaced style as a per-site option (``site.yml: typography: spacing``)."""

from __future__ import annotations

import subprocess
import sys

import pytest

from mzpress.checks.typography import GOVERNMENT, SPACED, fix, typography_findings
from mzpress.model.config import load_config
from tests.support.project import REPO_ROOT, add_story, new_project

HOUSE = "---\ntitle: 测试\n---\n\n3月10日，120位老人参加GDP知识讲座，活动持续2小时。\n"
SPACED_TEXT = "---\ntitle: 测试\n---\n\n3 月 10 日，120 位老人参加 GDP 知识讲座，活动持续 2 小时。\n"


def test_government_style_is_the_default_and_fmt_keeps_it():
    assert typography_findings(HOUSE, "a.md") == [] and fix(HOUSE) == HOUSE
    assert {f.rule for f in typography_findings(SPACED_TEXT, "a.md")} == {"typography.spacing"}
    assert fix(SPACED_TEXT) == HOUSE


def test_the_spaced_style_is_the_mirror_image():
    assert typography_findings(SPACED_TEXT, "a.md", SPACED) == [] and fix(SPACED_TEXT, "", SPACED) == SPACED_TEXT
    found = typography_findings(HOUSE, "a.md", SPACED)
    assert found and all("typography.spacing: latin" in f.message for f in found)
    assert fix(HOUSE, "", SPACED) == SPACED_TEXT and fix(fix(HOUSE, "", SPACED), "", SPACED) == SPACED_TEXT
    assert fix(HOUSE, "", GOVERNMENT) == HOUSE  # switching back restores the government configuration


def _project(tmp_path, spacing: str | None):
    project = new_project(tmp_path / "project", with_sample_pages=False)
    if spacing is not None:
        site = project / "site_config/site.yml"
        text = site.read_text(encoding="utf-8")
        assert "typography:\n  spacing: none\n" in text
        site.write_text(text.replace("typography:\n  spacing: none\n", f"typography:\n  spacing: {spacing}\n"),
                        encoding="utf-8")
    return project


@pytest.mark.parametrize(("spacing", "expected"), [(None, HOUSE), ("none", HOUSE), ("latin", SPACED_TEXT)])
def test_fmt_follows_the_sites_option(tmp_path, spacing, expected):
    project = _project(tmp_path, spacing)
    story = project / "content/stories/2026/ceshi.md"
    story.parent.mkdir(parents=True)
    story.write_text(SPACED_TEXT if expected == HOUSE else HOUSE, encoding="utf-8")
    run = subprocess.run([sys.executable, "-m", "mzpress.cli", "fmt", str(story)], capture_output=True, text=True,
                         timeout=120, cwd=project)
    assert run.returncode == 0, run.stderr
    assert story.read_text(encoding="utf-8") == expected


def test_check_reads_the_option_and_a_wrong_value_is_a_config_error(tmp_path):
    project = _project(tmp_path, "latin")
    add_story(project, 2026, "ceshi-gaojian", title="测试稿件", date="2026-11-20 09:00")
    config, findings = load_config(project)
    assert config.site.typography.spacing == "latin" and findings == []
    wrong = _project(tmp_path / "wrong", "pangu")
    _, findings = load_config(wrong)
    (finding,) = [f for f in findings if "typography.spacing" in f.message]
    assert finding.file == "site_config/site.yml" and finding.line and "spacing: none" in finding.suggestion


def test_the_sample_content_passes_and_fmt_changes_nothing():
    stories = sorted((REPO_ROOT / "content").rglob("*.md"))
    assert len(stories) > 20
    for path in stories:
        text = path.read_text(encoding="utf-8")
        assert [f for f in typography_findings(text, path.name) if f.rule == "typography.spacing"] == [], path
        assert fix(text, path.name) == text, path


@pytest.mark.parametrize(("written", "house"), [
    ('见表1 "幸福食堂"情况。', "见表1“幸福食堂”情况。"),
    ('他说:"好的"。', "他说：“好的”。"),
    ("学习《民法典》,做好工作.", "学习《民法典》，做好工作。"),
    ("走访（城关镇）;慰问老人。", "走访（城关镇）；慰问老人。"),
])
def test_quotation_marks_and_marks_next_to_full_width_ones(written, house):
    text, expected = f"---\ntitle: 测试\n---\n\n{written}\n", f"---\ntitle: 测试\n---\n\n{house}\n"
    assert "typography.punctuation" in {f.rule for f in typography_findings(text, "a.md")}
    assert fix(text) == expected and fix(expected) == expected and typography_findings(expected, "a.md") == []


@pytest.mark.parametrize("untouched", [
    '见[链接](https://www.mca.gov.cn/ "民政部网站")。',
    '<img alt="图片说明" src="a.png">',
    '命令`mzpress new "标题"`可以新建稿件。',
    'He said "hello" to us.',
    '"只有一个引号的行',
    "活动于2026年12月3日举行，电话0000-0000000。",
])
def test_markup_code_latin_text_and_unpaired_quotes_are_left_alone(untouched):
    text = f"---\ntitle: 测试\n---\n\n{untouched}\n"
    assert fix(text) == text
    assert "typography.punctuation" not in {f.rule for f in typography_findings(text, "a.md")}


def test_title_and_summary_in_the_front_matter_follow_the_house_style_too():
    text = ("---\ntitle: 2026 年度“最美民政窗口”评选\nsummary: 共评出 10 个窗口。\ntags: [2026 年]\n"
            'description: "引号是语法的一部分"\n---\n\n正文。\n')
    found = typography_findings(text, "a.md")
    assert sorted((f.line, f.rule) for f in found) == [(2, "typography.spacing"), (3, "typography.spacing")]
    assert "把“共评出 10 个窗口。”改为“共评出10个窗口。”" in found[1].suggestion  # one finding, the whole fix
    fixed = fix(text)
    assert fixed.splitlines()[1:5] == ["title: 2026年度“最美民政窗口”评选", "summary: 共评出10个窗口。",
                                       "tags: [2026 年]", 'description: "引号是语法的一部分"']
    assert fix(fixed) == fixed and typography_findings(fixed, "a.md") == []
