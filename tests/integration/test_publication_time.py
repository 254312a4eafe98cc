"""One publication time on the page: 发布时间 and 首次发布 agree, or the page says in words why they differ.

发布时间 is the page's ``date``; 首次发布 comes from the git ledger (when the page reached the main
line). A story merged after its date went online later than its 发布时间: the built page says so.
"""

from __future__ import annotations

import datetime as dt
import os
import re

import git

from mzpress.model.schema import TIMEZONE
from tests.support.project import add_story, build, new_project


def _commit(repo, message: str, when: dt.datetime) -> None:
    env = {"GIT_AUTHOR_DATE": when.isoformat(), "GIT_COMMITTER_DATE": when.isoformat()}
    repo.git.add(A=True)
    repo.git.commit("-m", message, "--author", "甲 <a@example.gov.cn>", env={**os.environ, **env})


def _text(html: str, css_class: str) -> str:
    found = re.search(rf'<(?:section|div) class="{css_class}"[^>]*>(.*?)</(?:section|div)>', html, re.S)
    assert found, css_class
    return " ".join(re.sub(r"<[^>]+>", " ", found.group(1)).split())


def test_the_page_explains_a_first_publication_later_than_its_date(tmp_path):
    root = new_project(tmp_path / "p")
    site_yml = root / "site_config/site.yml"
    site_yml.write_text(site_yml.read_text(encoding="utf-8").replace("start: 2026-12-01", "start: 2026-06-01"),
                        encoding="utf-8")
    repo = git.Repo.init(root, initial_branch="main")
    repo.git.config("user.name", "甲")
    repo.git.config("user.email", "a@example.gov.cn")
    _commit(repo, "import", dt.datetime(2026, 5, 20, 10, 0, tzinfo=TIMEZONE))
    add_story(root, 2026, "late", title="审核后上线", date="2026-11-20 14:49")
    _commit(repo, "late story", dt.datetime(2026, 11, 20, 14, 51, tzinfo=TIMEZONE))  # merged 2 minutes later
    add_story(root, 2026, "ontime", title="按时上线", date="2026-11-21 09:00")
    _commit(repo, "scheduled story", dt.datetime(2026, 11, 20, 16, 0, tzinfo=TIMEZONE))  # merged before its date
    result = build(root, tmp_path / "site")
    assert result.returncode == 0, result.stdout + result.stderr

    late = (tmp_path / "site/stories/2026/late/index.html").read_text(encoding="utf-8")
    assert "发布时间： 2026-11-20 14:49" in _text(late, "mz-article-meta")
    assert _text(late, "mz-record") == (
        "更新记录 首次发布：2026-11-20 14:51 （本文注明的发布时间为2026-11-20 14:49，经审核后于此时在本网站上线）")

    ontime = (tmp_path / "site/stories/2026/ontime/index.html").read_text(encoding="utf-8")
    assert "发布时间： 2026-11-21 09:00" in _text(ontime, "mz-article-meta")
    assert _text(ontime, "mz-record") == "更新记录 首次发布：2026-11-21 09:00"  # the two agree: no note
