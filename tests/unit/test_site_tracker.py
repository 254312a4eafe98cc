"""The incrementally updated site equals a fresh load, and only changed files are read and checked again."""

from __future__ import annotations

import os
import shutil

import pytest

import mzpress.model.content as content_module
from mzpress.adapters.mkdocs.site_tracker import SiteTracker
from mzpress.model.clock import build_time
from mzpress.model.config import load_config
from mzpress.model.content import load_site
from tests.support.project import BUILD_DATE, REPO_ROOT
from tools.synthetic_corpus import generate

NOW = build_time(BUILD_DATE)


@pytest.fixture
def project(tmp_path):
    root = tmp_path / "project"
    root.mkdir()
    shutil.copy(REPO_ROOT / "mkdocs.yml", root / "mkdocs.yml")
    shutil.copytree(REPO_ROOT / "site_config", root / "site_config")
    srcs = generate(root, 30).story_srcs
    return root, list(srcs)


def _tracker(root):
    config, findings = load_config(root)
    return SiteTracker(root, NOW, config, findings)


def _shape(site):
    """What the listings and pages are made of, comparable between two Site objects."""
    return {
        "stories": [(p.src, p.title, p.date, [t.id for t in p.topics]) for p in site.stories],
        "notices": [p.src for p in site.notices],
        "by_topic": {k: [p.src for p in v] for k, v in site.stories_by_topic.items()},
        "members": {k: [p.src for p in v] for k, v in site.members_by_campaign.items()},
        "invalid": list(site.invalid),
        "excluded": sorted(site.excluded_srcs),
        "pages": [p.src for p in site.pages],
        "files": list(site.files),
    }


def _fresh(root):
    config, findings = load_config(root)
    return load_site(root, NOW, config, findings)[0]


def _touch(path, text):
    path.write_text(text, encoding="utf-8")
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000))  # a visibly newer file


def test_editing_a_story_rereads_only_that_file_and_matches_a_fresh_load(project, monkeypatch):
    root, srcs = project
    tracker = _tracker(root)
    tracker.refresh()
    path = root / "content" / srcs[3]
    _touch(path, path.read_text(encoding="utf-8").replace("title: ", "title: 改过的", 1))
    parsed = []
    original = content_module._load_page
    monkeypatch.setattr(content_module, "_load_page",
                        lambda content_dir, src, config: parsed.append(src) or original(content_dir, src, config))
    site, findings = tracker.refresh()
    assert parsed == [srcs[3]]
    assert tracker.changed == {srcs[3]}
    assert site.by_src[srcs[3]].title.startswith("改过的")
    assert _shape(site) == _shape(_fresh(root))
    assert findings == []


def test_an_edit_that_breaks_a_story_reports_it_and_drops_it_like_a_fresh_load(project):
    root, srcs = project
    tracker = _tracker(root)
    tracker.refresh()
    path = root / "content" / srcs[5]
    _touch(path, path.read_text(encoding="utf-8").replace("unit: ", "unit: no-such-", 1))
    site, findings = tracker.refresh()
    assert [f.rule for f in findings] == ["schema.unknown-unit"]
    assert srcs[5] in site.invalid and srcs[5] not in site.by_src
    assert _shape(site) == _shape(_fresh(root))
    _touch(path, path.read_text(encoding="utf-8").replace("unit: no-such-", "unit: ", 1))
    site, findings = tracker.refresh()
    assert findings == [] and srcs[5] in site.by_src
    assert tracker.all_findings() == [f for f in tracker.all_findings() if f.file != f"content/{srcs[5]}"]


def test_added_drafted_and_removed_files_match_a_fresh_load(project):
    root, srcs = project
    tracker = _tracker(root)
    tracker.refresh()
    new = root / "content" / "stories" / "2026" / "brand-new-story.md"
    new.write_text((root / "content" / srcs[-1]).read_text(encoding="utf-8"), encoding="utf-8")
    (root / "content" / srcs[0]).unlink()
    draft = root / "content" / srcs[1]
    _touch(draft, draft.read_text(encoding="utf-8").replace("---\n\n", "draft: true\n---\n\n", 1))
    site, _ = tracker.refresh()
    assert tracker.changed >= {"stories/2026/brand-new-story.md", srcs[1]}
    assert "stories/2026/brand-new-story.md" in {p.src for p in site.stories}
    assert srcs[0] not in site.files and srcs[1] in site.excluded_srcs
    assert _shape(site) == _shape(_fresh(root))


def test_nothing_changed_means_nothing_reread(project):
    root, _ = project
    tracker = _tracker(root)
    first, _ = tracker.refresh()
    second, findings = tracker.refresh()
    assert second is first and findings == [] and tracker.changed == set()
