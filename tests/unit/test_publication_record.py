"""首次发布 / 最后更新 from a real git repository."""

import datetime as dt
import os

import git

from mzpress.checks.context import CheckContext
from mzpress.model.content import load_site
from mzpress.model.schema import TIMEZONE
from mzpress.publishing.listings import StoryNeighbours
from mzpress.publishing.page_context import page_context
from mzpress.publishing.publication_record import publication_records
from tests.support.project import add_story, new_project

NOW = dt.datetime(2026, 11, 30, 23, 0, tzinfo=TIMEZONE)


def _commit(repo, message, when):
    stamp = when.isoformat()
    os.environ["GIT_AUTHOR_DATE"] = os.environ["GIT_COMMITTER_DATE"] = stamp
    try:
        repo.git.add(A=True)
        repo.git.commit("-m", message, "--author", "甲 <a@example.gov.cn>")
    finally:
        del os.environ["GIT_AUTHOR_DATE"], os.environ["GIT_COMMITTER_DATE"]


def _records(root):
    site, _ = load_site(root, NOW)
    return site, publication_records(site, CheckContext(root, site.config))


def test_records_for_imported_new_and_updated_pages(tmp_path):
    root = new_project(tmp_path / "p")
    (root / "site_config/site.yml").write_text(
        (root / "site_config/site.yml").read_text(encoding="utf-8").replace("start: 2026-12-01", "start: 2026-06-01"),
        encoding="utf-8")
    repo = git.Repo.init(root, initial_branch="main")
    repo.git.config("user.name", "甲")
    repo.git.config("user.email", "a@example.gov.cn")
    add_story(root, 2024, "old", title="旧网站迁移", date="2024-03-01 09:00")
    _commit(repo, "import", dt.datetime(2026, 5, 20, 10, 0, tzinfo=TIMEZONE))
    add_story(root, 2026, "new", title="新稿", date="2026-08-01 09:00")
    _commit(repo, "new story", dt.datetime(2026, 8, 1, 9, 30, tzinfo=TIMEZONE))
    story = root / "content/stories/2026/new.md"
    story.write_text(story.read_text(encoding="utf-8") + "\n补充一段。\n", encoding="utf-8")
    _commit(repo, "update", dt.datetime(2026, 8, 3, 15, 0, tzinfo=TIMEZONE))

    site, records = _records(root)
    old, new = records["content/stories/2024/old.md"], records["content/stories/2026/new.md"]
    assert old == (dt.datetime(2024, 3, 1, 9, 0, tzinfo=TIMEZONE),) * 2  # the import is not an update
    assert new[0] == dt.datetime(2026, 8, 1, 9, 30, tzinfo=TIMEZONE)  # merged after its date: the merge time
    assert new[1] == dt.datetime(2026, 8, 3, 15, 0, tzinfo=TIMEZONE)
    neighbours = StoryNeighbours(site)
    shown = page_context(site, site.by_src["stories/2026/new.md"], neighbours, new)["record"]
    assert shown == {"first_published": "2026-08-01 09:30", "last_updated": "2026-08-03 15:00", "online_later": True}
    shown_old = page_context(site, site.by_src["stories/2024/old.md"], neighbours, old)["record"]
    assert shown_old == {"first_published": "2024-03-01 09:00", "last_updated": "", "online_later": False}


def test_no_records_without_git(tmp_path):
    root = new_project(tmp_path / "p")
    add_story(root, 2025, "a", title="无仓库", date="2025-01-01")
    assert _records(root)[1] == {}
