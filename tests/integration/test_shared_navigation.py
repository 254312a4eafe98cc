"""Material's navigation drawer is rendered once per distinct output (adapters/mkdocs/shared_navigation.py).

The site built with the shared drawer is byte for byte the site built with the drawer rendered on every page
(``MZPRESS_SHARED_NAV=0``, Material's way), across page kinds and folder depths: stories of two years,
notices, topic and column pages (in the navigation), listings and the home page. And the drawer really is
shared: a build renders it a handful of times, not once per page.
"""

from __future__ import annotations

from mkdocs.commands import build as mkdocs_build
from mkdocs.config import load_config

from mzpress.adapters.mkdocs import shared_navigation
from tests.support.project import BUILD_DATE, add_story, build, new_project, tree_digest

ENV = {"MZPRESS_NO_CACHE": "1", "MZPRESS_BUILD_JOBS": "2"}


def _project(tmp_path):
    root = new_project(tmp_path / "p")
    for year in (2025, 2026):
        for index in range(12):
            add_story(root, year, f"story-{year}-{index}", title=f"示例稿件{year}年第{index + 1}篇",
                      date=f"{year}-0{1 + index % 9}-1{index % 9}", topics=("xiaoxian",) if index % 2 else ())
    return root


def test_the_shared_drawer_builds_the_same_site_as_materials_own(tmp_path):
    root = _project(tmp_path)
    shared = build(root, tmp_path / "shared", extra_env=ENV)
    assert shared.returncode == 0, shared.stderr
    own = build(root, tmp_path / "own", extra_env={**ENV, shared_navigation.SWITCH_ENV: "0"})
    assert own.returncode == 0, own.stderr
    built, reference = tree_digest(tmp_path / "shared"), tree_digest(tmp_path / "own")
    for digests in (built, reference):
        digests.pop(".mzpress-manifest.json")  # records when the build finished
    assert built.keys() == reference.keys()
    assert [name for name in built if built[name] != reference[name]] == []
    page = (tmp_path / "shared" / "index.html").read_text(encoding="utf-8")
    assert 'class="md-nav md-nav--primary' in page


def test_a_build_renders_the_drawer_a_few_times_not_once_per_page(tmp_path, monkeypatch):
    root = _project(tmp_path)
    made: list[shared_navigation.SharedNavigation] = []
    real_init = shared_navigation.SharedNavigation.__init__

    def recording_init(self):
        real_init(self)
        made.append(self)
    monkeypatch.setattr(shared_navigation.SharedNavigation, "__init__", recording_init)
    for name, value in {**ENV, "MZPRESS_BUILD_JOBS": "1", "MZPRESS_BUILD_DATE": BUILD_DATE,
                        "NO_MKDOCS_2_WARNING": "1"}.items():
        monkeypatch.setenv(name, value)
    monkeypatch.chdir(root)
    mkdocs_build.build(load_config(str(root / "mkdocs.yml"), site_dir=str(tmp_path / "site")))
    pages = sum(1 for _ in (tmp_path / "site").rglob("index.html"))
    (navigation,) = made
    # Pages in the navigation (topics, columns, about) render their own drawer; the 24 stories, the notices and
    # the listings share a few (one per folder of a different relative address).
    assert pages > 40
    assert len(navigation.outputs) <= 10, len(navigation.outputs)
    assert navigation.rendered <= pages - 24, (navigation.rendered, pages)
