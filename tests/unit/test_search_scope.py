import datetime as dt
import re

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


def test_setting_is_read_from_site_yml(tmp_path):
    root = new_project(tmp_path / "p")
    site, _ = load_site(root, NOW)
    assert full_text_latest(site) == 300  # the sample site.yml
    site_yml = root / "site_config/site.yml"
    site_yml.write_text(site_yml.read_text(encoding="utf-8").replace("full_text_latest: 300", "full_text_latest: 50"),
                        encoding="utf-8")
    assert full_text_latest(load_site(root, NOW)[0]) == 50
    site_yml.write_text(re.sub(r"search:\n(  .*\n)+", "", site_yml.read_text(encoding="utf-8")), encoding="utf-8")
    assert full_text_latest(load_site(root, NOW)[0]) == DEFAULT_FULL_TEXT_LATEST
    # A bad value is a load_config error (tests/integration/test_config_validation.py), never read here.
