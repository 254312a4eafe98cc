"""unpublish_at in the publish gate (Page.is_published, unpublished, retired_pages) and the preview banner's data."""

import datetime as dt

from mzpress.model.addresses import unpublished
from mzpress.model.content import load_site
from mzpress.model.schema import TIMEZONE
from mzpress.publishing.preview_state import preview_states
from mzpress.publishing.withdrawal import SCHEDULED_REASON, retired_pages
from tests.support.project import add_story, new_project

NOW = dt.datetime(2026, 11, 30, 12, 0, tzinfo=TIMEZONE)
UNPUBLISH = "withdrawn:\n  date: 2026-06-01\n  reason: 误发\n  unpublish: true\n"


def _site(tmp_path):
    root = new_project(tmp_path / "p", with_sample_pages=False)
    add_story(root, 2026, "plain", title="普通", date="2026-05-01 09:00")
    add_story(root, 2026, "draft", title="草稿", date="2026-05-01 09:00", extra="draft: true\n")
    add_story(root, 2026, "later", title="定时", date="2026-12-20 09:00", extra="unpublish_at: 2027-01-20 09:00\n")
    add_story(root, 2026, "expired", title="到期", date="2026-05-01 09:00", extra="unpublish_at: 2026-11-30 12:00\n")
    add_story(root, 2026, "going", title="将到期", date="2026-05-01 09:00", extra="unpublish_at: 2026-11-30 12:01\n")
    add_story(root, 2026, "removed", title="撤下", date="2026-05-01 09:00", extra=UNPUBLISH)
    site, findings = load_site(root, NOW)
    assert not [f for f in findings if f.severity.name == "ERROR"], findings
    return site


def test_unpublish_at_takes_the_page_down_from_that_minute_on(tmp_path):
    site = _site(tmp_path)
    published = {p.slug for p in site.published}
    assert published == {"plain", "going"}  # "expired" is taken down at exactly its unpublish_at
    assert {p.slug for p in unpublished(site)} == {"expired", "removed"}
    retired = {r.src: r for r in retired_pages(site)}
    expired = retired["stories/2026/expired.md"]
    assert (expired.target, expired.reason, expired.date) == (None, SCHEDULED_REASON, site.by_src[expired.src].unpublish_at)
    assert retired["stories/2026/removed.md"].reason == "误发"


def test_the_preview_banner_data(tmp_path):
    states = preview_states(_site(tmp_path))
    assert "stories/2026/plain.md" not in states
    assert states["stories/2026/draft.md"]["state"] == "draft"
    later = states["stories/2026/later.md"]
    assert (later["state"], later["online"], later["offline"], later["published"]) == \
        ("scheduled", "2026-12-20 09:00", "2027-01-20 09:00", False)
    assert states["stories/2026/expired.md"]["state"] == "taken-down"
    assert states["stories/2026/expired.md"]["withdrawn_reason"] == ""
    going = states["stories/2026/going.md"]
    assert (going["state"], going["offline"], going["published"]) == ("going", "2026-11-30 12:01", True)
    removed = states["stories/2026/removed.md"]
    assert (removed["state"], removed["withdrawn_date"], removed["withdrawn_reason"]) == \
        ("taken-down", "2026-06-01", "误发")
