"""Each kind of bad input fails both `mzpress check` and the strict build with a Chinese message
naming file:line and the fix, and leaves every file as it was."""

from __future__ import annotations

import json

import pytest

from tests.support.project import add_story, build, mzpress, new_project, story_text, tree_digest, write

STORY = "content/stories/2025/bad.md"


def _gbk(root):
    path = root / STORY
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(story_text(title="旧编码稿件", date="2025-01-01").encode("gbk"))


CASES = {
    "yaml": (lambda root: write(root / STORY, "---\ntitle: 标题\nunit: office: x\n---\n正文\n"),
             "frontmatter.yaml", 3, "冒号"),
    "unknown-unit": (lambda root: add_story(root, 2025, "bad", title="单位写错", date="2025-01-01", unit="ofice"),
                     "schema.unknown-unit", 4, "office"),
    "unknown-topic": (lambda root: add_story(root, 2025, "bad", title="专题写错", date="2025-01-01",
                                             topics=("xiaoxin",)), "schema.unknown-topic", 7, "xiaoxian"),
    "missing-title": (lambda root: write(root / STORY, "---\ndate: 2025-01-01\nunit: office\nauthor: 甲\n"
                                                       "editor: 乙\nsummary: 摘要\n---\n正文\n"),
                      "schema.missing", 2, "title:"),
    "impossible-date": (lambda root: add_story(root, 2025, "bad", title="日期", date="2025-02-30"),
                        "schema.date", 3, "年-月-日"),
    "gbk": (_gbk, "encoding.not-utf8", 2, "fix-encoding"),
    "duplicate-slug": (lambda root: (add_story(root, 2024, "bad", title="甲", date="2024-01-01"),
                                     add_story(root, 2025, "bad", title="乙", date="2025-01-01")),
                       "content.duplicate-slug", None, "改个文件名"),
}


@pytest.fixture
def project(tmp_path):
    root = new_project(tmp_path / "p")
    add_story(root, 2025, "fine", title="正常稿件", date="2025-03-01", topics=("xiaoxian",))
    return root


@pytest.mark.parametrize("case", sorted(CASES))
def test_bad_input_is_explained_and_nothing_changes(project, tmp_path, case):
    make, rule, line, fix_hint = CASES[case]
    make(project)
    before = tree_digest(project)

    result = mzpress(project, "check", "--format", "json")
    assert result.returncode == 1, result.stdout + result.stderr
    findings = [f for f in json.loads(result.stdout) if f["rule"] == rule and f["file"] == STORY]
    assert findings, result.stdout
    finding = findings[0]
    assert finding["file"] == STORY and finding["severity"] == "error"
    assert finding["line"] == line
    assert fix_hint in finding["suggestion"] + finding["message"]
    assert any("\u4e00" <= ch <= "\u9fff" for ch in finding["message"])

    text = mzpress(project, "check")
    location = STORY + (f":{line}" if line else "")
    assert location in text.stdout and "修改方法：" in text.stdout

    built = build(project, tmp_path / "out")
    assert built.returncode != 0
    assert location in built.stderr and "网站不会发布" in built.stderr
    assert "Traceback" not in built.stderr + text.stderr
    assert tree_digest(project) == before


def test_clean_project_checks_and_builds(project, tmp_path):
    assert mzpress(project, "check").returncode == 0
    built = build(project, tmp_path / "out")
    assert built.returncode == 0, built.stderr
    assert (tmp_path / "out/stories/2025/fine/index.html").is_file()


def test_bad_config_is_a_configuration_error(project, tmp_path):
    write(project / "site_config/topics.yml", "topics:\n  - id: xiaoxian\n    name: 孝贤文化\n  - id: Bad Id\n    name: 乙\n")
    result = mzpress(project, "check")
    assert result.returncode == 2
    assert "site_config/topics.yml:4" in result.stdout
    built = build(project, tmp_path / "out")
    assert built.returncode != 0 and "site_config/topics.yml:4" in built.stderr


def test_repo_url_is_refused_because_it_makes_readers_contact_another_host(project, tmp_path):
    config = project / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8") + "\nrepo_url: https://github.com/example/site\n",
                      encoding="utf-8")
    built = build(project, tmp_path / "out")
    assert built.returncode != 0 and "repo_url" in built.stderr
