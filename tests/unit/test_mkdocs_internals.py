"""What mzpress relies on inside MkDocs and Material (mzpress/adapters/mkdocs/mkdocs_internals.py, search_index.py).

These tests fail when an upgrade changes a private function, an attribute, a log message or a
behaviour the build-speed code and the writer's preview depend on. After an upgrade: adapt
mkdocs_internals.py (or search_index.py) until they pass, then change WRITTEN_FOR.
"""

from __future__ import annotations

import inspect
import json
import logging
import textwrap
from pathlib import Path

import jinja2
import mkdocs
import pytest
from material.plugins.search.plugin import SearchIndex, SearchPlugin
from mkdocs.commands import build as mkdocs_build
from mkdocs.config import load_config
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import InclusionLevel
from mkdocs.structure.pages import Page

from mzpress.adapters.mkdocs import mkdocs_internals as internals
from mzpress.adapters.mkdocs.search_index import CachedSearchIndex, install_cached_index
from mzpress.model.build_cache import BuildCache


def _signature(function) -> str:
    """The parameters of ``function`` without annotations, e.g. ``(page, config, files, dirty=False)``."""
    parameters = [p.replace(annotation=inspect.Parameter.empty) for p in inspect.signature(function).parameters.values()]
    return str(inspect.Signature(parameters))


# --- the version guard ------------------------------------------------------------------------


def test_the_installed_mkdocs_is_the_version_the_internals_were_written_for():
    assert mkdocs.__version__.split(".")[:2] == internals.WRITTEN_FOR.split(".")
    internals.check_supported()


@pytest.mark.parametrize("version", ["1.7.0", "2.0.0", "1.5.3"])
def test_another_mkdocs_version_stops_the_build_with_a_message_in_chinese(version):
    with pytest.raises(PluginError, match=f"MkDocs {version}.*mkdocs_internals.py"):
        internals.check_supported(version)


def test_patch_releases_of_the_same_version_are_accepted():
    internals.check_supported(internals.WRITTEN_FOR + ".99")


# --- signatures -------------------------------------------------------------------------------


@pytest.mark.parametrize(("function", "expected"), [
    (mkdocs_build._populate_page, "(page, config, files, dirty=False)"),
    (mkdocs_build._build_page, "(page, config, doc_files, nav, env, dirty=False, excluded=False)"),
    (mkdocs_build._build_theme_template, "(template_name, env, files, config, nav)"),
    (Page.__init__, "(self, title, file, config)"),
    (mkdocs_build.get_context, "(nav, files, config, page=None, base_url='')"),
    (Page.render, "(self, config, files)"),
    (Page.validate_anchor_links, "(self, *, files, log_level)"),
], ids=lambda value: getattr(value, "__qualname__", None))
def test_the_mkdocs_functions_we_call_keep_their_parameters(function, expected):
    assert _signature(function) == expected


@pytest.mark.parametrize(("method", "expected"), [
    (SearchIndex.__init__, "(self, **config)"),
    (SearchIndex.add_entry_from_context, "(self, page)"),
    (SearchIndex.generate_search_index, "(self, prev)"),
    (SearchIndex._segment_chinese, "(self, data)"),
    (SearchIndex._find_toc_by_id, "(self, toc, id)"),
], ids=lambda value: getattr(value, "__qualname__", None))
def test_materials_search_index_has_the_methods_we_override(method, expected):
    assert _signature(method) == expected
    assert getattr(CachedSearchIndex, method.__name__) is not method  # and we do override them


# --- behaviour, on a small real project -------------------------------------------------------


@pytest.fixture
def project(tmp_path, monkeypatch):
    """A two-page Material project, configured (plugin ``on_config`` run), files and navigation collected."""
    monkeypatch.setenv("NO_MKDOCS_2_WARNING", "1")
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "index.md").write_text("# 民政工作\n\n## 第一部分\n\n[乙](other.md#target)\n", encoding="utf-8")
    (docs / "other.md").write_text("# Other\n\n## Target\n\n社区服务。\n", encoding="utf-8")
    (tmp_path / "mkdocs.yml").write_text(textwrap.dedent("""\
        site_name: test
        docs_dir: docs
        theme:
          name: material
          language: zh
        plugins:
          - search:
              lang: zh
        """), encoding="utf-8")
    config = load_config(str(tmp_path / "mkdocs.yml"), site_dir=str(tmp_path / "site"))
    config = config.plugins.on_config(config)
    env = config.theme.get_env()
    files, nav = internals.files_and_nav(config, env)
    return config, files, nav, env


def _page(files, src: str) -> Page:
    return files.get_file_from_path(src).page


def test_a_page_outside_the_navigation_gets_the_context_a_built_page_gets(project):
    """The 本页已撤下 notice (adapters/mkdocs/retired.py): a page at an address no file builds, rendered by
    the theme's main.html with MkDocs' context, its links relative to its address."""
    config, files, nav, env = project
    page = internals.page_outside_nav(config, "stories/2026/gone.md", "本页已撤下", {"title": "本页已撤下"})
    assert page.url == "stories/2026/gone/" and page.title == "本页已撤下" and page.meta == {"title": "本页已撤下"}
    assert page.content == "" and list(page.toc) == [] and page not in nav.pages
    assert files.get_file_from_path("stories/2026/gone.md") is None  # the site's files are left alone
    context = internals.template_context(nav, files, config, page)
    assert context["page"] is page and context["nav"] is nav and context["base_url"] == "../../.."
    html = env.get_template("main.html").render(context)
    assert "<title>本页已撤下 - test</title>" in html and 'href="../../../other/"' in html


def test_files_and_nav_collect_the_pages(project):
    config, files, nav, env = project
    assert sorted(f.src_uri for f in files.documentation_pages()) == ["index.md", "other.md"]
    assert [page.file.src_uri for page in nav.pages] == ["index.md", "other.md"]


def test_a_fresh_page_has_the_attributes_render_sets(project):
    config, files, nav, env = project
    page = _page(files, "index.md")
    assert "_title_from_render" in vars(page) and page._title_from_render is None
    assert page.present_anchor_ids is None and page.links_to_anchors is None and page.content is None


def test_render_results_are_saved_and_restored_as_mkdocs_left_them(project):
    config, files, nav, env = project
    internals.populate_page(_page(files, "other.md"), config, files)
    page = _page(files, "index.md")
    internals.populate_page(page, config, files)
    result = internals.render_result(page)
    assert result["title"] == "民政工作" and page.title == "民政工作"
    assert result["anchors"] == sorted(page.present_anchor_ids) and len(result["anchors"]) == 2  # the headings
    assert result["links"] == {"other.md": {"target": "other.md#target"}}
    assert "<h2" in result["content"] and [item.title for item in result["toc"]] == ["民政工作"]

    copy = Page(None, page.file, config)
    copy.markdown = page.markdown  # read, as when MkDocs renders it
    internals.set_render_result(copy, result, files)
    assert (copy.content, copy.title, copy.present_anchor_ids) == (page.content, page.title, page.present_anchor_ids)
    assert copy.links_to_anchors == page.links_to_anchors  # keyed by MkDocs' File objects again
    copy.validate_anchor_links(files=files, log_level=logging.WARNING)  # MkDocs reads what we restored

    internals.set_placeholder(copy)
    assert (copy.content, copy.present_anchor_ids, copy.links_to_anchors, list(copy.toc)) == ("", set(), {}, [])
    assert copy._title_from_render is None


def test_links_to_anchors_are_recorded_only_above_debug(project):
    config, files, nav, env = project
    pages_log = logging.getLogger("mkdocs.structure.pages")
    saved = pages_log.level
    pages_log.setLevel(logging.DEBUG)
    try:
        assert not internals.links_recorded()
        page = _page(files, "index.md")
        internals.populate_page(page, config, files)
        assert page.links_to_anchors is None
    finally:
        pages_log.setLevel(saved)
    assert internals.links_recorded()


def test_page_render_resolves_links_through_the_files_we_pass(project):
    config, files, nav, env = project
    page = _page(files, "index.md")
    page.read_source(config)
    recorder = internals.RecordingFiles(files)
    internals.render_markdown(page, config, recorder)
    other = files.get_file_from_path("other.md")
    assert recorder.lookups == {"other.md": internals.resolution(other)}
    assert internals.resolution(other) == ("other.md", "other/", InclusionLevel.INCLUDED.value)


def test_rendering_is_routed_to_our_renderer(project):
    config, files, nav, env = project
    calls = []

    class Renderer:
        def render_page(self, page, config, files):
            calls.append(page.file.src_uri)
            internals.render_markdown(page, config, files)

    page = _page(files, "index.md")
    assert type(page) is Page
    internals.route_rendering(page, Renderer())
    assert isinstance(page, Page) and type(page) is not Page
    internals.populate_page(page, config, files)
    assert calls == ["index.md"] and page.title == "民政工作"


def test_a_page_whose_template_renders_nothing_is_skipped_with_the_message_we_filter(project, caplog):
    config, files, nav, env = project
    env.loader = jinja2.ChoiceLoader([jinja2.DictLoader({"empty.html": ""}), env.loader])
    doc_files = files.documentation_pages(inclusion=InclusionLevel.is_included)
    for file in doc_files:
        internals.populate_page(file.page, config, files)
    page = _page(files, "index.md")
    page.meta["template"] = "empty.html"
    caplog.set_level(logging.INFO, logger=internals.BUILD_LOGGER)
    internals.build_page(page, config, doc_files, nav, env, excluded=False)
    assert not Path(page.file.abs_dest_path).exists()
    skipped = [r for r in caplog.records if r.name == internals.BUILD_LOGGER and internals.skipped_page_src(r)]
    assert [internals.skipped_page_src(r) for r in skipped] == ["index.md"]

    other = _page(files, "other.md")
    internals.build_page(other, config, doc_files, nav, env, excluded=False)
    assert "Target" in Path(other.file.abs_dest_path).read_text(encoding="utf-8")
    internals.build_theme_template("404.html", env, files, config, nav)
    assert Path(config.site_dir, "404.html").is_file()


def test_event_hook_owners_are_the_plugins(project):
    config, files, nav, env = project
    owners = internals.event_hook_owners(config, ("page_context",))
    assert [type(owner) for owner in owners] == [SearchPlugin]


def test_our_search_index_replaces_materials_and_writes_the_same_entries(project, tmp_path):
    config, files, nav, env = project
    search = next(p for p in config.plugins.values() if isinstance(p, SearchPlugin))
    assert type(search.search_index) is SearchIndex  # Material's on_config created it
    doc_files = files.documentation_pages(inclusion=InclusionLevel.is_included)
    for file in doc_files:
        internals.populate_page(file.page, config, files)
    plain = SearchIndex(**search.config)
    for file in doc_files:
        plain.add_entry_from_context(file.page)

    assert install_cached_index(config, BuildCache(tmp_path, enabled=False), "versions") is search
    assert isinstance(search.search_index, CachedSearchIndex)
    for file in doc_files:  # Material's on_page_context hands each page to the index
        search.on_page_context({}, page=file.page, config=config, nav=nav)
    assert search.search_index.entries == plain.entries and plain.entries
    search.on_post_build(config=config)  # Material writes the index with our generate_search_index
    written = (tmp_path / "site" / "search" / "search_index.json").read_text(encoding="utf-8")
    assert "社区" in written and json.loads(written) == json.loads(plain.generate_search_index(None))
