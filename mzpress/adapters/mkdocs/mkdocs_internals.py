"""Every use of MkDocs internals by the MkDocs adapter, in one module. Written against MkDocs 1.6.1.

MkDocs has no public API for rendering one page, for reusing a page's rendered Markdown, or for
running its build in parts (the parallel build and the writer's preview need all three). What we
use instead is here and nowhere else:

* the private functions of ``mkdocs.commands.build``: ``_populate_page`` (read, run the page
  events, render the Markdown), ``_build_page`` (render the theme template, write the file) and
  ``_build_theme_template`` (404.html, sitemap.xml ...), and the order in which ``build()`` runs
  the steps before them (:func:`files_and_nav`);
* ``_RelativePathTreeprocessor.path_to_url``: how ``Page.render`` resolves, validates and logs one
  relative link (:func:`relative_links`; the build renders pages with the core and rewrites links with it);
* the replacement of ``Page.render`` on MkDocs' own page objects (:func:`route_rendering`: the
  page's class becomes a subclass whose ``render`` asks our renderer first), and the attributes
  ``Page.render`` sets, some of them private (``_title_from_render``, ``present_anchor_ids``,
  ``links_to_anchors``), which we save and restore (:func:`render_result`, :func:`set_render_result`);
* that ``Page.render`` resolves links through ``Files.get_file_from_path`` (:class:`RecordingFiles`)
  and records links to anchors only when its logger is above DEBUG (:func:`links_recorded`);
* that ``_build_page`` writes no file for a page whose template renders nothing and logs
  ``Page skipped: '<src_uri>'`` (:func:`skipped_page_src`);
* ``PluginCollection.events``, the registered methods of each event (:func:`event_hook_owners`);
* ``get_context``, the template context ``_build_page`` gives a page, and a ``Page`` made for an address no
  source file builds (:func:`page_outside_nav`, :func:`template_context`: the notice at a taken-down page's address).

``tests/unit/test_mkdocs_internals.py`` fails when an upgrade changes any of them (signatures,
attributes, messages, behaviour). :func:`check_supported` stops a build on a MkDocs version this
module was not written for, so that an upgrade is never silently slower or wrong: after an upgrade,
run those tests, adapt this module, then change :data:`WRITTEN_FOR`.
"""

from __future__ import annotations

import logging

import mkdocs
from mkdocs.commands import build as mkdocs_build
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files, get_files, set_exclusions
from mkdocs.structure.nav import get_navigation
from mkdocs.structure.pages import Page as MkDocsPage
from mkdocs.structure.pages import _RelativePathTreeprocessor
from mkdocs.structure.toc import get_toc

WRITTEN_FOR = "1.6"  # MkDocs major.minor this module was written against (tested with 1.6.1)
BUILD_LOGGER = "mkdocs.commands.build"  # the logger of _build_page's "Page skipped" message
_PAGES_LOGGER = "mkdocs.structure.pages"  # the logger Page.render consults
_SKIPPED = "Page skipped: '"


def check_supported(version: str | None = None) -> None:
    """Raise PluginError unless the installed MkDocs (or ``version``) is the major.minor :data:`WRITTEN_FOR`."""
    version = mkdocs.__version__ if version is None else version
    if ".".join(version.split(".")[:2]) != WRITTEN_FOR:
        raise PluginError(
            f"当前安装的是 MkDocs {version}，而 mzpress 的构建加速和预览是按 MkDocs {WRITTEN_FOR} 编写的，"
            "换了版本可能构建出错误的页面或变慢。请用 scripts/bootstrap 安装 requirements/lock.txt 中的版本；"
            "要升级 MkDocs，请先按新版本修改 mzpress/adapters/mkdocs/mkdocs_internals.py，"
            "并运行 tests/unit/test_mkdocs_internals.py。")


# --- MkDocs' build, in parts (mkdocs/commands/build.py) -------------------------------------------


def files_and_nav(config, env):
    """``build()`` from collecting the files to the navigation, with the plugin events in its order.

    The theme's static files are listed once per environment (``Files.add_files_from_theme`` walks every
    template folder: about 0.9 s on each preview refresh); the preview makes a new environment whenever a
    template folder changes."""
    files = get_files(config)
    _add_theme_files(files, env, config)
    files = config.plugins.on_files(files, config=config)
    set_exclusions(files, config)
    nav = get_navigation(files, config)
    nav = config.plugins.on_nav(nav, config=config, files=files)
    return files, nav


def _add_theme_files(files, env, config) -> None:
    """``files.add_files_from_theme(env, config)``, with the theme's files listed once per ``env``."""
    key = (tuple(config.theme.dirs), config.site_dir, config.use_directory_urls)
    listed = getattr(env, "_mz_theme_files", None)
    if listed is None or listed[0] != key:
        theme = Files([])
        theme.add_files_from_theme(env, config)
        listed = env._mz_theme_files = (key, [(file.src_uri, file.src_dir) for file in theme])
    for src_uri, folder in listed[1]:
        if files.get_file_from_path(src_uri) is None:  # theme files do not override docs_dir files
            files.append(File(src_uri, folder, config.site_dir, config.use_directory_urls))


def populate_page(page, config, files) -> None:
    """Read the page and render its Markdown, running the page events (``pre_page`` to ``page_content``)."""
    mkdocs_build._populate_page(page, config, files)


def build_page(page, config, doc_files, nav, env, *, excluded: bool) -> None:
    """Render the page's template (``page_context``, ``post_page``) and write its file (none when empty)."""
    mkdocs_build._build_page(page, config, doc_files, nav, env, False, excluded=excluded)


def build_theme_template(name: str, env, files, config, nav) -> None:
    """Render a static template of the theme (``404.html``, ``sitemap.xml`` ...) into the site folder."""
    mkdocs_build._build_theme_template(name, env, files, config, nav)


def page_outside_nav(config, src_uri: str, title: str, meta: dict) -> MkDocsPage:
    """A MkDocs page at ``src_uri``'s address that no file of ``files`` builds and the navigation does not list:
    its title and ``meta`` as given, no content and no headings (its template renders what it shows)."""
    page = MkDocsPage(title, File.generated(config, src_uri, content=""), config)
    page.meta, page.content, page.toc = dict(meta), "", get_toc([])
    return page


def template_context(nav, files, config, page):
    """The template context ``_build_page`` gives ``page`` (``get_context``): ``nav`` as the plugins left it
    in ``on_nav``, ``files`` the site's Files; links made with the ``url`` filter are relative to ``page``."""
    return mkdocs_build.get_context(nav, files, config, page)


def skipped_page_src(record: logging.LogRecord) -> str | None:
    """The src_uri of the page a ``Page skipped`` record of :data:`BUILD_LOGGER` is about, else None."""
    message = record.getMessage()
    if not message.startswith(_SKIPPED):
        return None
    return message[len(_SKIPPED):].split("'", 1)[0]


def event_hook_owners(config, events) -> list:
    """The objects (plugins) whose methods are registered for any of ``events``."""
    return [getattr(method, "__self__", None)
            for event in events for method in config.plugins.events.get(event, [])]


# --- Page.render, replaced and its results saved --------------------------------------------------


class _FastPage(MkDocsPage):
    """A MkDocs page whose ``render`` goes to a renderer (``renderer.render_page(page, config, files)``)."""

    _mz_renderer = None

    def render(self, config, files) -> None:
        renderer = self._mz_renderer
        if renderer is None:
            super().render(config, files)
        else:
            renderer.render_page(self, config, files)


def route_rendering(page, renderer) -> None:
    """From now on, MkDocs rendering ``page`` calls ``renderer.render_page`` (which may call :func:`render_markdown`)."""
    if type(page) is MkDocsPage:  # MkDocs' own pages only: another plugin's subclass is left alone
        page.__class__ = _FastPage
    if isinstance(page, _FastPage):
        page._mz_renderer = renderer


def render_markdown(page, config, files) -> None:
    """MkDocs' own ``Page.render``: Markdown to HTML, headings, title, anchors, links."""
    MkDocsPage.render(page, config, files)


def relative_links(page, files, config):
    """MkDocs' resolution of one page's relative links (``_RelativePathTreeprocessor.path_to_url``), which
    validates and logs them as ``Page.render`` does; its ``links_to_anchors`` fill up as it is called."""
    return _RelativePathTreeprocessor(page.file, files, config)


def set_rendered(page, content: str, toc_tokens, title: str | None, anchors: set[str], links_to_anchors) -> None:
    """Leave ``page`` as ``Page.render`` would have, from a rendering made elsewhere (the core's)."""
    page.content, page.toc, page._title_from_render = content, get_toc(list(toc_tokens)), title
    page.present_anchor_ids = set(anchors)
    page.links_to_anchors = links_to_anchors if links_recorded() else None


def links_recorded() -> bool:
    """Whether ``Page.render`` records links to anchors now (only when its logger is above DEBUG)."""
    return logging.getLogger(_PAGES_LOGGER).getEffectiveLevel() > logging.DEBUG


def anchor_state(page) -> dict:
    """The anchors a rendered page has and its links to anchors (targets by src_uri): picklable."""
    links = page.links_to_anchors
    return {"anchors": sorted(page.present_anchor_ids or ()),
            "links": None if links is None else {file.src_uri: dict(anchors) for file, anchors in links.items()}}


def set_anchor_state(page, state: dict, files) -> None:
    """Give ``page`` the anchors and links :func:`anchor_state` saved (targets looked up in ``files``)."""
    page.present_anchor_ids = set(state["anchors"])
    links = state["links"]
    page.links_to_anchors = None if links is None else {
        files.get_file_from_path(src): dict(anchors) for src, anchors in links.items()}


def render_result(page) -> dict:
    """Everything ``Page.render`` set on ``page``: picklable, for :func:`set_render_result`."""
    return {"content": page.content, "toc": page.toc, "title": page._title_from_render, **anchor_state(page)}


def set_render_result(page, result: dict, files) -> None:
    """Leave ``page`` as ``Page.render`` would have (``result`` from :func:`render_result`)."""
    page.content, page.toc, page._title_from_render = result["content"], result["toc"], result["title"]
    set_anchor_state(page, result, files)


def set_placeholder(page) -> None:
    """Leave ``page`` rendered as empty (another process renders it)."""
    page.content, page.toc, page._title_from_render = "", get_toc([]), None
    page.present_anchor_ids, page.links_to_anchors = set(), {}


class RecordingFiles:
    """The site's Files, noting every path ``Page.render`` looks up while resolving the page's links."""

    def __init__(self, files: Files):
        self._files = files
        self.lookups: dict[str, tuple | None] = {}

    def get_file_from_path(self, path: str):
        file = self._files.get_file_from_path(path)
        self.lookups[path] = resolution(file)
        return file

    def __getattr__(self, name):
        return getattr(self._files, name)


def resolution(file) -> tuple | None:
    """What a link to ``file`` depends on: its source, address and inclusion (None: no such file)."""
    return None if file is None else (file.src_uri, file.url, file.inclusion.value)
