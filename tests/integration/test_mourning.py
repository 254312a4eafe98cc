"""一键置灰: ``site.yml: mourning:`` periods make every page grey while the build time is inside one."""

from __future__ import annotations

import subprocess
import sys

import pytest

from mzpress.model.config import load_config
from tests.support.project import REPO_ROOT, add_story, build, new_project

GREY = "assets/stylesheets/mzpress-mourning.css"


def with_mourning(project, periods: str):
    site = project / "site_config/site.yml"
    site.write_text(site.read_text(encoding="utf-8") + "mourning:\n" + periods, encoding="utf-8")
    return project


def _project(tmp_path, periods: str | None):
    project = new_project(tmp_path / "project")
    add_story(project, 2026, "ceshi-gaojian", title="测试稿件", date="2026-11-20 09:00")
    return with_mourning(project, periods) if periods else project


def test_every_page_links_the_greyscale_stylesheet_during_a_period(tmp_path):
    project = _project(tmp_path, "  - {start: 2026-11-30 00:00, end: 2026-11-30 23:59, reason: 测试用哀悼日}\n")
    site = tmp_path / "site"
    result = build(project, site, build_date="2026-11-30 10:00")
    assert result.returncode == 0, result.stdout + result.stderr
    pages = list(site.rglob("*.html"))
    assert len(pages) > 10
    for page in pages:
        text = page.read_text(encoding="utf-8")
        if "<head" in text and 'http-equiv="refresh"' not in text:  # every real page; redirect stubs have no theme
            assert "mzpress-mourning.css" in text, page
    assert "grayscale(100%)" in (site / GREY).read_text(encoding="utf-8")


@pytest.mark.parametrize("build_date", ["2026-11-29 23:59", "2026-12-01 00:00"])
def test_outside_the_period_no_page_is_grey(tmp_path, build_date):
    project = _project(tmp_path, "  - {start: 2026-11-30, end: 2026-11-30, reason: 测试用哀悼日}\n")
    site = tmp_path / "site"
    assert build(project, site, build_date=build_date).returncode == 0
    assert not any("mzpress-mourning.css" in p.read_text(encoding="utf-8") for p in site.rglob("*.html"))


def test_check_warns_about_a_period_that_is_over_or_ends_before_it_starts(tmp_path):
    project = _project(tmp_path, "  - {start: 2026-04-04, end: 2026-04-04, reason: 清明节哀悼活动}\n"
                                 "  - {start: 2026-12-20 00:00, end: 2026-12-19 00:00, reason: 写反的时段}\n"
                                 "  - {start: 2026-12-13 00:00, end: 2026-12-13 23:59, reason: 国家公祭日}\n")
    run = subprocess.run([sys.executable, "-m", "mzpress.cli", "check", "--build-date", "2026-11-30 10:00"],
                         capture_output=True, text=True, timeout=120, cwd=project)
    output = run.stdout + run.stderr
    assert "“清明节哀悼活动”已于2026-04-04 23:59结束" in output and "早于开始时间" in output, output
    assert "国家公祭日" not in output  # a coming period is fine
    assert output.count("config.mourning") == 2 and "site_config/site.yml:" in output


@pytest.mark.parametrize(("periods", "words"), [
    ("  - {start: 明天, end: 2026-12-13, reason: 国家公祭日}\n", "时间写法不对"),
    ("  - {start: 2026-12-13, end: 2026-12-13}\n", "置灰的原因"),
    ("  当天\n", "应当是一个列表"),
])
def test_a_malformed_period_is_a_config_error_with_its_line(tmp_path, periods, words):
    project = with_mourning(new_project(tmp_path / "p", with_sample_pages=False), periods)
    _, findings = load_config(project)
    assert any(words in f.message + f.suggestion and f.file == "site_config/site.yml" and f.line for f in findings), \
        [f.message for f in findings]


def test_the_repository_site_has_no_stale_period():
    config, findings = load_config(REPO_ROOT)
    assert findings == [] and all(p.end >= p.start for p in config.site.mourning)
