"""The preview's running clock: when the clock alone changes the site, and the tracker judging again without reading."""

import dataclasses
import datetime as dt

import mzpress.adapters.mkdocs.site_tracker as tracker_module
from mzpress.adapters.mkdocs.site_tracker import SiteTracker
from mzpress.model.config import load_config
from mzpress.model.content import load_site
from mzpress.model.schema import TIMEZONE
from mzpress.model.site_settings import MourningPeriod
from mzpress.publishing.preview_state import clock_events, next_change, preview_states
from tests.support.project import add_story, new_project, write

NOW = dt.datetime(2026, 12, 7, 14, 30, tzinfo=TIMEZONE)


def _at(hour: int, minute: int = 0, day: int = 7) -> dt.datetime:
    return dt.datetime(2026, 12, day, hour, minute, tzinfo=TIMEZONE)


def _project(tmp_path):
    root = new_project(tmp_path / "p", with_sample_pages=False)
    add_story(root, 2026, "old", title="早已发布", date="2026-12-01 09:00")
    add_story(root, 2026, "soon", title="下午三点上线", date="2026-12-07 15:00")
    add_story(root, 2026, "going", title="下午四点下线", date="2026-12-01 09:00", extra="unpublish_at: 2026-12-07 16:00\n")
    add_story(root, 2026, "draft", title="草稿", date="2026-12-07 14:45", extra="draft: true\n")  # never by the clock
    write(root / "content" / "notices" / "2026" / "gongshi.md",
          "---\ntitle: 公示\ndate: 2026-12-01 09:00\nunit: office\nauthor: 甲\neditor: 乙\nsummary: 公示。\n"
          "start: 2026-12-09\nend: 2026-12-10\n---\n\n公示内容。\n")
    return root


def test_the_next_moment_the_clock_alone_changes_the_site(tmp_path):
    root = _project(tmp_path)
    site, _ = load_site(root, NOW)
    assert next_change(site) == _at(15)  # the draft's 14:45 does not count
    assert next_change(load_site(root, _at(15))[0]) == _at(16)  # published at exactly its date: the next is 16:00
    assert next_change(load_site(root, _at(16))[0]) == _at(0, day=9)  # the notice's publicity period begins
    assert next_change(load_site(root, _at(0, day=9))[0]) == _at(0, day=11)  # ... and ends after its end day
    assert next_change(load_site(root, _at(0, day=11))[0]) is None
    mourning = MourningPeriod(_at(14, 40), _at(14, 50), "哀悼日", 1)
    site.config = dataclasses.replace(site.config, site=dataclasses.replace(site.config.site, mourning=(mourning,)))
    assert next_change(site) == _at(14, 40)


def test_clock_events_name_the_pages_going_online_and_offline(tmp_path):
    site, _ = load_site(_project(tmp_path), NOW)
    assert [(page.title, what) for page, what in clock_events(site, NOW, _at(16, 30))] == [
        ("下午四点下线", "下线"), ("下午三点上线", "上线")]
    assert clock_events(site, NOW, _at(14, 59)) == []
    states = preview_states(site)
    assert states["stories/2026/soon.md"]["clock"] == "2026-12-07 14:30"
    assert states["stories/2026/soon.md"]["clock_fixed"] == ""


def test_the_tracker_judges_again_at_the_clocks_time_without_reading_files(tmp_path, monkeypatch):
    root = _project(tmp_path)
    config, findings = load_config(root)
    now = [NOW]
    tracker = SiteTracker(root, NOW, config, findings, clock=lambda: now[0])
    site, _ = tracker.refresh()
    assert [p.title for p in site.stories] == ["早已发布", "下午四点下线"]
    assert tracker.next_change == _at(15) and not tracker.due()
    loads = []
    original = tracker_module.load_site
    monkeypatch.setattr(tracker_module, "load_site", lambda *a, **k: loads.append(a) or original(*a, **k))
    now[0] = _at(15, 1)
    assert tracker.due()
    site, findings = tracker.refresh()
    assert loads == [] and findings == []  # nothing read or checked again
    assert site.now == _at(15, 1) and [p.title for p in site.stories] == ["下午三点上线", "早已发布", "下午四点下线"]
    assert tracker.next_change == _at(16) and not tracker.due()
    fixed = SiteTracker(root, NOW, config, findings)  # no clock: a build date that was set stays
    fixed.refresh()
    assert fixed.current_time() == NOW and fixed.next_change == _at(15) and not fixed.due()
    assert fixed.due(_at(15))
