"""CODEOWNERS generated from units.yml: the mapping, both dialects, the check and the command."""

from __future__ import annotations

import datetime as dt
import fnmatch
import re

import pytest

from mzpress.checks.runner import check_project
from mzpress.model.codeowners import (
    GITEA_FILE,
    GITHUB_FILE,
    plan_from_config,
    plan_owners,
    render_gitea,
    render_github,
    stale_files,
)
from mzpress.model.config import load_config
from mzpress.model.schema import TIMEZONE
from tests.support.project import REPO_ROOT, mzpress, new_project, tree_digest

NOW = dt.datetime(2026, 11, 30, 23, 59, tzinfo=TIMEZONE)
PATHS = ("content/stories/2025/x.md", "content/notices/2025/files/list.xlsx", "site_config/units.yml",
         "mkdocs.yml", "overrides/main.html", "mzpress/cli.py", ".github/workflows/pr.yml", "README.md")


def _rules(text: str) -> list[tuple[str, list[str]]]:
    return [(line.split()[0], line.split()[1:]) for line in text.splitlines()
            if line.strip() and not line.startswith("#")]


def github_owners(text: str, path: str) -> set[str]:
    """GitHub semantics for the patterns we generate: the last matching line wins."""
    owners: set[str] = set()
    for pattern, who in _rules(text):
        if pattern == "*" or (pattern.endswith("/") and ("/" + path).startswith(pattern)) \
                or fnmatch.fnmatch("/" + path, pattern):
            owners = set(who)
    return owners


def gitea_owners(text: str, path: str) -> set[str]:
    """Gitea semantics: anchored Go regexps, every matching rule adds owners, ``!`` negates."""
    owners: set[str] = set()
    for pattern, who in _rules(text):
        negative = pattern.startswith("!")
        matched = re.fullmatch(pattern.lstrip("!"), path) is not None
        if matched != negative:
            owners |= set(who)
    return owners


@pytest.fixture
def config(tmp_path):
    config, findings = load_config(new_project(tmp_path / "p", with_sample_pages=False))
    assert findings == []
    return config


def _handles(people, stage=None):
    return {f"@{p.github}" for p in people if p.github and (stage is None or p.stage == stage)}


def test_content_asks_the_second_and_final_reviewers_and_everything_else_the_technical_one_too(config):
    second = _handles(config.bureau_reviewers, "复审")
    final = _handles(config.bureau_reviewers, "终审")
    technical = _handles(config.bureau_reviewers, "技术")
    assert second and final and technical and len(second | final | technical) == 3  # the sample names each once
    plan = plan_from_config(config)
    for render, owners in ((render_github, github_owners), (render_gitea, gitea_owners)):
        text = render(plan)
        for path in PATHS:
            expected = second | final if path.startswith("content/") else second | final | technical
            assert owners(text, path) == expected, (render.__name__, path)
        assert "复审和终审" in text and "mzpress review-check" in text


def test_content_rule_leaves_out_bureau_reviewers_of_no_stage():
    bureau = [{"stage": "复审", "name": "王建国", "github": "wangjianguo"},
              {"stage": "终审", "name": "陈志强", "github": "chenzhiqiang"},
              {"stage": "", "name": "赵秘书", "github": "zhaomishu"}]
    text = render_github(plan_owners([], bureau))
    assert github_owners(text, "content/stories/2026/x.md") == {"@wangjianguo", "@chenzhiqiang"}
    assert github_owners(text, "mkdocs.yml") == {"@wangjianguo", "@chenzhiqiang", "@zhaomishu"}


def test_the_header_explains_the_limits_and_lists_each_unit_first_reviewer(config):
    text = render_github(plan_from_config(config))
    assert text.startswith("# 本文件由 mzpress codeowners 根据 site_config/units.yml 自动生成")
    assert "无法按文件路径区分单位" in text and "Reviewed-by" in text and "mzpress history" in text
    for unit in config.units:
        for reviewer in unit.reviewers:
            line = next(line for line in text.splitlines() if f"（{unit.id}）" in line)
            assert line.startswith("#") and f"@{reviewer.github}" in line and reviewer.name in line
    # Unit heads are listed for reference only: no rule names them.
    unit_handles = {h for u in config.units for h in _handles(u.reviewers)}
    assert not unit_handles & {h for _, who in _rules(text) for h in who}


def test_reviewers_without_an_account_are_named_not_dropped():
    units = [{"id": "office", "name": "办公室", "reviewers": [{"stage": "初审", "name": "刘芳"}]}]
    bureau = [{"stage": "复审", "name": "王建国", "github": ""},
              {"stage": "终审", "name": "陈志强", "github": "chen zhi"}]
    plan = plan_owners(units, bureau)
    assert not plan.has_handles
    text = render_github(plan)
    assert _rules(text) == []  # no rule without an owner
    assert "没有填写（或填错了）github 账号" in text
    for name in ("刘芳", "王建国", "陈志强"):
        assert f"#   {name}（" in text
    assert _rules(render_gitea(plan)) == []


def test_the_committed_file_matches_the_sample_units():
    config, _ = load_config(REPO_ROOT)
    assert stale_files(REPO_ROOT, plan_from_config(config)) == []


# ------------------------------------------------------------------ the check


def _outdated(project):
    _, findings = check_project(project, NOW)
    return [f for f in findings if f.rule == "codeowners.outdated"]


def test_check_is_quiet_without_pull_request_folders(tmp_path):
    project = new_project(tmp_path / "p")
    assert _outdated(project) == []


def test_check_reports_a_missing_file_in_a_project_with_github_folder(tmp_path):
    project = new_project(tmp_path / "p")
    (project / ".github").mkdir()
    (finding,) = _outdated(project)
    assert finding.file == GITHUB_FILE and finding.severity == "error"
    assert "scripts/mzpress codeowners" in finding.suggestion


def test_check_reports_a_file_that_no_longer_matches_units_yml(tmp_path):
    project = new_project(tmp_path / "p")
    assert mzpress(project, "codeowners").returncode == 0
    assert _outdated(project) == []
    units = project / "site_config/units.yml"
    units.write_text(units.read_text(encoding="utf-8").replace("github: wangjianguo", "github: wangjg"), "utf-8")
    (finding,) = _outdated(project)
    assert finding.file == GITHUB_FILE and "不一致" in finding.message
    # A hand edit is reported too.
    assert mzpress(project, "codeowners").returncode == 0
    with (project / GITHUB_FILE).open("a", encoding="utf-8") as handle:
        handle.write("/content/stories/ @someone\n")
    assert [f.file for f in _outdated(project)] == [GITHUB_FILE]


def test_check_compares_an_existing_gitea_file(tmp_path):
    project = new_project(tmp_path / "p")
    assert mzpress(project, "codeowners", "--gitea").returncode == 0
    assert (project / GITEA_FILE).is_file() and _outdated(project) == []
    (project / GITEA_FILE).write_text("content/.* @someone\n", encoding="utf-8")
    assert [f.file for f in _outdated(project)] == [GITEA_FILE]


# ---------------------------------------------------------------- the command


def test_command_writes_then_check_mode_passes_and_fails(tmp_path):
    project = new_project(tmp_path / "p")
    missing = mzpress(project, "codeowners", "--check")
    assert missing.returncode == 1 and "不存在" in missing.stderr
    assert not (project / GITHUB_FILE).exists()  # --check never writes
    written = mzpress(project, "codeowners")
    assert written.returncode == 0 and "已更新 .github/CODEOWNERS" in written.stdout
    config, _ = load_config(project)
    assert (project / GITHUB_FILE).read_text(encoding="utf-8") == render_github(plan_from_config(config))
    before = tree_digest(project)
    again = mzpress(project, "codeowners")
    assert again.returncode == 0 and "已是最新" in again.stdout and tree_digest(project) == before
    ok = mzpress(project, "codeowners", "--check")
    assert ok.returncode == 0 and "一致" in ok.stdout
    (project / GITHUB_FILE).write_text("* @someone\n", encoding="utf-8")
    stale = mzpress(project, "codeowners", "--check")
    content_rule = " ".join(["/content/ ", *(f"@{p.github}" for p in config.bureau_reviewers
                                             if p.stage in ("复审", "终审"))])
    assert stale.returncode == 1 and f"+{content_rule}" in stale.stderr


def test_command_with_bad_configuration_exits_2(tmp_path):
    project = new_project(tmp_path / "p")
    (project / "site_config/units.yml").write_text("units: [\n", encoding="utf-8")
    result = mzpress(project, "codeowners")
    assert result.returncode == 2 and "units.yml" in result.stderr
    assert "Traceback" not in result.stderr and not (project / GITHUB_FILE).exists()
