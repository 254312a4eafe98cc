import datetime as dt

from mzpress.model.content import load_site
from mzpress.model.schema import TIMEZONE
from mzpress.publishing.search_scope import DEFAULT_FULL_TEXT_LATEST, full_text_latest, summary_only
from tests.support.project import add_story, new_project

NOW = dt.datetime(2026, 11, 30, tzinfo=TIMEZONE)


def test_older_stories_are_indexed_by_summary_and_tags(tmp_path):
    root = new_project(tmp_path / "p")
    for day in range(1, 6):
        add_story(root, 2025, f"s{day}", title=f"稿{day}", date=f"2025-03-0{day}", summary=f"摘要{day}",
                  extra="tags: [敬老, 志愿服务]\n")
    site, _ = load_site(root, NOW)
    scope = summary_only(site, 2)
    assert set(scope) == {"stories/2025/s3.md", "stories/2025/s2.md", "stories/2025/s1.md"}
    assert scope["stories/2025/s1.md"] == "摘要1　敬老 志愿服务"
    assert summary_only(site, 10) == {}


def test_setting_is_read_and_validated(tmp_path):
    root = new_project(tmp_path / "p")
    site, _ = load_site(root, NOW)
    assert full_text_latest(site) == (DEFAULT_FULL_TEXT_LATEST, [])
    site.config.site["search"] = {"full_text_latest": 50}
    assert full_text_latest(site) == (50, [])
    site.config.site["search"] = {"full_text_latest": "很多"}
    value, (finding,) = full_text_latest(site)
    assert value == DEFAULT_FULL_TEXT_LATEST and finding.rule == "config.search"
