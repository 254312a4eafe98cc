"""Build speed for the MkDocs adapter: caches, parallel page rendering and the writer's preview.

MkDocs-specific (it drives MkDocs' own page pipeline), so it lives beside the plugin, outside the
core. See the comment block below for what is cached and the rules for new plugin hooks.
"""

from __future__ import annotations

import json
import logging
import mimetypes
import os
import shutil
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import unquote

import jinja2
from material.plugins.search.plugin import SearchIndex, SearchPlugin
from mkdocs import utils
from mkdocs.commands import build as mkdocs_build
from mkdocs.config import load_config as mkdocs_load_config
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import Files, InclusionLevel, get_files, set_exclusions
from mkdocs.structure.nav import get_navigation
from mkdocs.structure.pages import Page as MkDocsPage
from mkdocs.structure.toc import get_toc

from mzpress.adapters.mkdocs.build_cache import (
    BuildCache,
    cache_enabled,
    code_fingerprint,
    files_fingerprint,
    fingerprint,
    package_versions,
)
from mzpress.adapters.mkdocs.forked_worker import ForkedWorker, WorkerFailed, fork_available
from mzpress.adapters.mkdocs.site_tracker import SiteTracker, content_stamps
from mzpress.checks.runner import run_content_checks

if TYPE_CHECKING:
    from mzpress.adapters.mkdocs.plugin import MzpressPlugin

log = logging.getLogger("mkdocs.plugins.mzpress")


# --- build speed: caches and parallel page rendering (issue 6) ----------------------------------
#
# Everything below produces exactly the files a plain serial, uncached MkDocs build produces
# (tests/integration/test_build_cache.py compares them); it only avoids repeating work:
#
# * Markdown -> HTML is cached per page (key: the Markdown after every plugin, the page's
#   address, the Markdown configuration, library versions, mzpress code). The links MkDocs
#   resolved while rendering are recorded and re-checked, so a cached page whose link target
#   appeared, vanished or moved renders again; its log messages are replayed, so `--strict`
#   fails exactly as it would without the cache.
# * Material's search index: the entries of a page (key: its HTML, headings, address, title,
#   tags) and, below that, jieba's segmentation of each text (key: the text).
# * The finished page: its HTML as the theme rendered it (key: everything the templates see:
#   the page's HTML, headings, front matter, address; the navigation with every title; the
#   configuration; every template file; library versions and mzpress code). An unchanged page
#   is then written from the cache instead of rendering Material's templates again.
# * `mkdocs build` forks one worker per extra CPU core once navigation is known; each renders
#   its share of the pages that are not in the navigation (stories, notices, listings) and
#   sends back their search entries, anchors, log records and per-page plugin state. The
#   parent keeps a placeholder for those pages (empty template, no file written) and splices
#   the entries back in document order, so search_index.json is byte-identical.
#
# Rules for anyone adding hooks to MzpressPlugin:
# * Per-page results a hook collects into a plugin attribute (a dict keyed by src_uri) must be
#   named in MzpressPlugin.PAGE_STATE, so the parallel build hands them back from the workers.
# * The page output key is computed in on_env from the page (HTML, headings, front matter incl.
#   page.meta["mz"]), the navigation, the configuration and the templates. A hook of this plugin
#   that later changes what the templates see (on_page_context adding context, say) must add
#   those inputs to FastBuild._look_up_outputs' key. Other plugins with such hooks switch the
#   page output cache off by themselves (see _only_known_page_plugins).
# * Anything that changes the search index must go through SearchIndex.add_entry_from_context
#   (cached per page by _CachedSearchIndex) or be applied after it in on_post_build.

_DELEGATED_TEMPLATE = "mzpress-delegated-page.html"
_CACHED_TEMPLATE = "mzpress-cached-page.html"  # renders the stored output of an unchanged page
_JOBS_ENV = "MZPRESS_BUILD_JOBS"
_CACHE_NAMESPACES = ("markdown", "search-page", "search-segment", "page-output")
# Plugins whose per-page hooks the page output cache knows: with any other plugin hooking into a
# page's context or the template environment, whole pages are not cached (Markdown still is).
_KNOWN_PAGE_PLUGINS = ("material.plugins.search.plugin", __name__)
# Markdown extensions that read other files while rendering: their output is not a function of
# the page alone, so Markdown caching turns itself off when one is configured.
_FILE_READING_EXTENSIONS = ("pymdownx.snippets", "markdown_include", "mdx_include")


def _plain(value):
    """MkDocs Config objects (nested) as plain dicts, for fingerprints."""
    if isinstance(value, dict) or hasattr(value, "items") and not isinstance(value, str):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value if isinstance(value, str | int | float | bool | type(None)) else repr(value)


def _build_jobs(configured: int | None) -> int:
    text = os.environ.get(_JOBS_ENV, "").strip()
    if text.isdigit() and int(text) > 0:
        return int(text)
    if configured:
        return max(1, configured)
    return max(1, min(4, os.cpu_count() or 1))


class _LogCapture(logging.Handler):
    """Records what is logged while a page renders, to replay it when the cached result is used."""

    def __init__(self):
        super().__init__(logging.NOTSET)
        self.records: list[tuple[str, int, str]] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append((record.name, record.levelno, record.getMessage()))


class _LevelGate(logging.Filter):
    """Lets a handler see only records at or above the level the logger had before we lowered it."""

    def __init__(self, level: int):
        super().__init__()
        self.level = level

    def filter(self, record: logging.LogRecord) -> bool:
        return record.levelno >= self.level


class _RecordingFiles:
    """The site's Files, noting every path MkDocs looks up while rendering a page's links."""

    def __init__(self, files: Files):
        self._files = files
        self.lookups: dict[str, tuple | None] = {}

    def get_file_from_path(self, path: str):
        file = self._files.get_file_from_path(path)
        self.lookups[path] = _resolution(file)
        return file

    def __getattr__(self, name):
        return getattr(self._files, name)


def _resolution(file) -> tuple | None:
    return None if file is None else (file.src_uri, file.url, file.inclusion.value)


def _nav_signature(items) -> list:
    """The navigation as the templates show it: kinds, titles, addresses, front matter (icons, status), nesting."""
    return [(type(item).__name__, item.title, getattr(item, "url", None), _plain(getattr(item, "meta", None)),
             _nav_signature(item.children or [])) for item in items or []]


def _toc_signature(items) -> list:
    return [(item.id, item.url, item.title, item.level, _toc_signature(item.children)) for item in items or []]


class _FastPage(MkDocsPage):
    """A MkDocs page whose rendering goes through :class:`FastBuild` (cache, or placeholder)."""

    _mz_fast: FastBuild | None = None

    def render(self, config, files) -> None:
        fast = self._mz_fast
        if fast is None:
            super().render(config, files)
        else:
            fast.render_page(self, config, files)


class _CachedSearchIndex(SearchIndex):
    """Material's search index, with each page's entries and each text's segmentation cached."""

    def __init__(self, fast: FastBuild, **config):
        super().__init__(**config)
        self._fast = fast
        self._segments: list[str] = []

    def add_entry_from_context(self, page) -> None:
        fast = self._fast
        if (page.meta.get("search") or {}).get("exclude"):  # nothing to index, nothing to cache
            return
        summary = page.meta.get("mz_search_text")
        if summary is not None:  # an older story: title, summary and tags only (mzpress/search_scope.py)
            entry = {"location": page.url, "title": self._segment_chinese(page.title or ""),
                     "text": self._segment_chinese(summary)}
            if page.meta.get("tags"):
                entry["tags"] = [str(tag) for tag in page.meta["tags"]]
            self.entries.append(entry)
            return
        key = fingerprint(fast.search_salt, page.url, page.content, _toc_signature(page.toc),
                          _plain(page.meta.get("title")), page.title, _plain(page.meta.get("tags")),
                          _plain(page.meta.get("search")))
        cached = fast.cache.get("search-page", key)
        if cached is not None:
            self.entries.extend(cached["entries"])
            fast.cache.touch("search-segment", cached["segments"])  # keep them for the next edit
            return
        start, self._segments = len(self.entries), []
        super().add_entry_from_context(page)
        fast.cache.put("search-page", key, {"entries": self.entries[start:], "segments": self._segments})

    def generate_search_index(self, prev):
        """Material's index file, with Chinese written as UTF-8 rather than \\u escapes (half the bytes)."""
        return json.dumps(json.loads(super().generate_search_index(prev)), ensure_ascii=False,
                          separators=(",", ":"))

    def _segment_chinese(self, data):
        fast = self._fast
        key = fingerprint(fast.search_salt, data)
        self._segments.append(key)
        cached = fast.cache.get("search-segment", key)
        if cached is None:
            cached = super()._segment_chinese(data)
            fast.cache.put("search-segment", key, cached)
        return cached


class FastBuild:
    """Caches and parallel rendering for one MkDocs run (see the comment above)."""

    def __init__(self, plugin: MzpressPlugin, config, command: str, dirty: bool):
        self.plugin = plugin
        self.cache = BuildCache(plugin.root, enabled=plugin.config.cache and cache_enabled())
        self.jobs = _build_jobs(plugin.config.jobs)
        # Small sites are not worth a fork, unless the number of jobs is asked for explicitly.
        self.min_pages = 0 if os.environ.get(_JOBS_ENV, "").strip() else 200
        self.parallel = command == "build" and not dirty and self.jobs > 1 and fork_available()
        self.role = "parent"
        self.delegated: dict[str, int] = {}  # src_uri -> index of the worker rendering it
        self.insert_at: dict[str, int] = {}  # src_uri -> position in the search index
        self.workers: list[ForkedWorker] = []
        self.join_src: str | None = None
        self.nav = None
        # Whole pages are cached for builds; the preview renders only the pages asked for.
        self.outputs_cached = (command != "serve" and self.cache.enabled
                               and self._only_known_page_plugins(config))
        self.prune = True  # a full build may forget unused entries; the preview renders only some pages
        extensions = [_plain(e) for e in config.markdown_extensions]
        self.markdown_cached = not any(str(e) in _FILE_READING_EXTENSIONS for e in extensions)
        versions = package_versions("mkdocs", "markdown", "pymdown-extensions", "mkdocs-material", "jieba",
                                    "backrefs")
        self.render_salt = fingerprint(
            "markdown-1", code_fingerprint(), versions, extensions, _plain(config.mdx_configs),
            _plain(config.validation), config.use_directory_urls)
        self.search = next((p for p in config.plugins.values()
                            if isinstance(p, SearchPlugin) and p.config.enabled), None)
        self.search_salt = ""
        if self.search is not None:
            search_config = _plain(dict(self.search.config))
            dictionaries = [search_config.get("jieba_dict"), search_config.get("jieba_dict_user")]
            self.search_salt = fingerprint("search-1", code_fingerprint(), versions, search_config,
                                           files_fingerprint(Path(p) for p in dictionaries if p))
            self.search.search_index = _CachedSearchIndex(self, **self.search.config)

    # -- rendering ------------------------------------------------------------------------------

    def prepare_page(self, page) -> None:
        if type(page) is MkDocsPage:
            page.__class__ = _FastPage
        if isinstance(page, _FastPage):
            page._mz_fast = self

    def is_delegated(self, page) -> bool:
        return self.role == "parent" and page.file.src_uri in self.delegated

    def render_page(self, page, config, files) -> None:
        if self.is_delegated(page):  # a worker renders it; keep an empty placeholder here
            page.content, page.toc, page._title_from_render = "", get_toc([]), None
            page.present_anchor_ids, page.links_to_anchors = set(), {}
            return
        if not self.markdown_cached or not self.cache.enabled:
            MkDocsPage.render(page, config, files)
            return
        mkdocs_log = logging.getLogger("mkdocs")
        debug = mkdocs_log.getEffectiveLevel() <= logging.DEBUG  # MkDocs records anchors only above DEBUG
        key = fingerprint(self.render_salt, debug, page.file.src_uri, page.file.url,
                          page.file.inclusion.value, page.markdown)
        cached = self.cache.get("markdown", key)
        if cached is not None and all(_resolution(files.get_file_from_path(path)) == expected
                                      for path, expected in cached["deps"].items()):
            page.content, page.toc, page._title_from_render = cached["content"], cached["toc"], cached["title"]
            page.present_anchor_ids = set(cached["anchors"])
            links = cached["links"]
            page.links_to_anchors = None if links is None else {
                files.get_file_from_path(src): dict(anchors) for src, anchors in links.items()}
            for name, level, message in cached["logs"]:
                logging.getLogger(name).log(level, message)
            return
        recorder = _RecordingFiles(files)
        capture = _LogCapture()
        # Record what MkDocs says at INFO and above even under -q, so that the cached result can
        # be replayed at any verbosity; the handlers still show only what they showed before.
        level = mkdocs_log.getEffectiveLevel()
        gate = _LevelGate(level)
        handlers = list(mkdocs_log.handlers)
        for handler in handlers:
            handler.addFilter(gate)
        watched = [mkdocs_log, logging.getLogger()]
        for logger in watched:
            logger.addHandler(capture)
        saved_level = mkdocs_log.level
        mkdocs_log.setLevel(min(level, logging.INFO))
        try:
            MkDocsPage.render(page, config, recorder)
        finally:
            mkdocs_log.setLevel(saved_level)
            for logger in watched:
                logger.removeHandler(capture)
            for handler in handlers:
                handler.removeFilter(gate)
        links = page.links_to_anchors
        self.cache.put("markdown", key, {
            "content": page.content, "toc": page.toc, "title": page._title_from_render,
            "anchors": sorted(page.present_anchor_ids or ()),
            "links": None if links is None else {f.src_uri: dict(a) for f, a in links.items()},
            "deps": recorder.lookups, "logs": capture.records})

    # -- parallel build ---------------------------------------------------------------------------

    def start_workers(self, nav, files, config) -> None:
        """Fork the workers and hand each a share of the pages outside the navigation."""
        self.nav = nav
        if not self.parallel:
            return
        doc_files = files.documentation_pages(inclusion=InclusionLevel.is_included)
        if len(doc_files) < self.min_pages:
            return
        self.files = files
        in_nav = {id(page) for page in nav.pages}
        candidates = [f for f in doc_files[:-1] if f.page is not None and id(f.page) not in in_nav]
        # Weights: an authored page (search, segmentation) costs about three listing pages. The
        # parent also renders the navigation pages and writes the index, so it takes a bit less.
        weight = {f.src_uri: (1 if f.src_uri in self.plugin.generated else 3) for f in candidates}
        total = sum(weight.values()) + 3 * len(in_nav)
        loads = [total * 0.02 + 3 * len(in_nav)] + [0.0] * (self.jobs - 1)
        for file in candidates:
            index = min(range(self.jobs), key=loads.__getitem__)
            loads[index] += weight[file.src_uri]
            if index:
                self.delegated[file.src_uri] = index
        if not self.delegated:
            return
        self.join_src = doc_files[-1].src_uri
        for index in range(1, self.jobs):
            share = [f.src_uri for f in candidates if self.delegated.get(f.src_uri) == index]
            self.workers.append(ForkedWorker(lambda share=share: self._work(share, nav, files, config)))

    def _work(self, share: list[str], nav, files, config) -> dict:
        """In a worker: render ``share`` like MkDocs would, return what the parent must merge."""
        self.role, wanted, self.workers = "worker", set(share), []
        self.wanted = wanted
        in_nav = {id(page) for page in nav.pages}
        for file in files.documentation_pages(inclusion=InclusionLevel.is_included):
            if file.src_uri in wanted or id(file.page) in in_nav:
                mkdocs_build._populate_page(file.page, config, files)
        env = config.plugins.on_env(config.theme.get_env(), config=config, files=files)
        doc_files = files.documentation_pages(inclusion=InclusionLevel.is_included)
        index = self.search.search_index if self.search is not None else None
        pages = {}
        for file in doc_files:
            if file.src_uri not in wanted:
                continue
            start = len(index.entries) if index is not None else 0
            mkdocs_build._build_page(file.page, config, doc_files, nav, env, False,
                                     excluded=file.inclusion.is_excluded())
            page = file.page
            links = page.links_to_anchors
            pages[file.src_uri] = {
                "entries": index.entries[start:] if index is not None else [],
                "anchors": page.present_anchor_ids,
                "links": None if links is None else {f.src_uri: a for f, a in links.items()},
            }
        state = {name: {src: value for src, value in getattr(self.plugin, name, {}).items() if src in wanted}
                 for name in self.plugin.PAGE_STATE}
        return {"pages": pages, "state": state, "cache": self.cache.take_pending()}

    def content_checks(self, site, ctx) -> list:
        """``run_content_checks`` for the whole site; in a parallel build, half the files in a worker."""
        if not self.parallel or len(site.files) < max(self.min_pages, 2):
            return run_content_checks(site, ctx)
        shares = [set(site.files[index::self.jobs]) for index in range(self.jobs)]
        workers = [ForkedWorker(lambda share=share: run_content_checks(site, ctx, only=share))
                   for share in shares[1:]]
        findings = run_content_checks(site, ctx, only=shares[0])
        try:
            for worker in workers:
                findings += worker.result()
        except WorkerFailed as exc:
            for worker in workers:
                worker.abandon()
            log.error(exc.details or str(exc))
            raise PluginError("并行检查内容时出错（见上面的信息）。可以设置环境变量 "
                              f"{_JOBS_ENV}=1 改为单进程构建。") from None
        unique = []  # findings about the whole project come from every share: keep one of each
        seen = set()
        for finding in findings:
            if finding not in seen:
                seen.add(finding)
                unique.append(finding)
        return unique

    def placeholder_meta(self, page) -> dict:
        return {"title": page.file.name, "template": _DELEGATED_TEMPLATE, "search": {"exclude": True}}

    def on_env(self, env, config, files) -> None:
        if not getattr(env, "_mz_templates", False):  # once per environment (the preview keeps its own)
            templates = {_DELEGATED_TEMPLATE: "", _CACHED_TEMPLATE: "{{ page._mz_output }}"}
            env.loader = jinja2.ChoiceLoader([jinja2.DictLoader(templates), env.loader])
            env._mz_templates = True
        if self.delegated and self.role == "parent":
            logging.getLogger("mkdocs.commands.build").addFilter(self._quiet_placeholders)
        if self.outputs_cached and self.nav is not None:
            self._look_up_outputs(env, config, files)

    # -- the page output cache --------------------------------------------------------------------

    @staticmethod
    def _only_known_page_plugins(config) -> bool:
        for event in ("page_context", "env", "pre_template", "template_context"):
            for method in config.plugins.events.get(event, []):
                owner = getattr(method, "__self__", None)
                if type(owner).__module__ not in _KNOWN_PAGE_PLUGINS:
                    return False
        return True

    def _templates_text(self, config) -> str:
        """Every page template of the theme (for the fingerprint, and to see which names they use)."""
        parts = []
        for folder in config.theme.dirs:
            for path in sorted(Path(folder).rglob("*")):
                if path.suffix in (".html", ".xml", ".yml") and path.is_file():
                    parts.append(f"{path.relative_to(folder).as_posix()}\0{path.read_text('utf-8', 'replace')}")
        return "\n".join(parts)

    def _global_signature(self, env, config, nav) -> tuple[str, str]:
        """A hash of everything outside the page that the templates see, and the templates' text."""
        text = self._templates_text(config)

        def used(name: str) -> bool:
            return name in text

        plain = {}
        for key in config:
            if not used(key):  # e.g. site_dir, config_file_path: no template reads them
                continue
            value = config[key]
            if key == "plugins":
                plain[key] = {name: _plain(dict(plugin.config)) for name, plugin in value.items()}
            elif key == "theme":  # its folders are in the templates' text (relative names, in order)
                plain[key] = _plain(value)
            elif key == "extra":
                extra = _plain(value)
                mz = extra.get("mz")
                if isinstance(mz, dict):  # our own values: drop those no template uses (build_time)
                    extra["mz"] = {k: v for k, v in mz.items() if used(k)}
                plain[key] = extra
            else:
                plain[key] = _plain(value)
        versions = package_versions("mkdocs", "mkdocs-material", "jinja2", "markupsafe", "markdown",
                                    "pymdown-extensions", "babel")
        signature = fingerprint("page-output-1", code_fingerprint(), versions, fingerprint(text), plain,
                                _nav_signature(nav.items), sorted(env.filters), sorted(env.globals),
                                utils.get_build_date() if used("build_date_utc") else None)
        return signature, text

    def _look_up_outputs(self, env, config, files) -> None:
        """Give every unchanged page to render here the template that writes its stored output."""
        signature, text = self._global_signature(env, config, self.nav)
        dates = "update_date" in text
        for file in files.documentation_pages(inclusion=InclusionLevel.is_included):
            page = file.page
            if page is None or page.content is None or self.is_delegated(page):
                continue
            if self.role == "worker" and file.src_uri not in self.wanted:
                continue
            key = fingerprint(signature, file.src_uri, file.url, file.inclusion.value, page.url,
                              page.canonical_url, page.abs_url, page.edit_url, page.is_homepage, page.title,
                              page.content, _toc_signature(page.toc), _plain(page.meta),
                              page.update_date if dates else None)
            cached = self.cache.get("page-output", key)
            if cached is not None:
                page._mz_output = cached
                page._mz_template = page.meta.get("template")
                page.meta["template"] = _CACHED_TEMPLATE
            else:
                page._mz_output_key = key

    def store_output(self, page, output: str) -> str:
        """The theme's output of a page rendered here, before any plugin changes it: keep it."""
        key = getattr(page, "_mz_output_key", None)
        if key is not None:
            self.cache.put("page-output", key, output)
            page._mz_output_key = None
        if getattr(page, "_mz_output", None) is not None:  # rendered from the cache
            if page._mz_template is None:
                page.meta.pop("template", None)
            else:
                page.meta["template"] = page._mz_template
            page._mz_output = None
        return output

    def _quiet_placeholders(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if message.startswith("Page skipped: '"):
            return message[len("Page skipped: '"):].split("'", 1)[0] not in self.delegated
        return True

    def on_page_context(self, page) -> None:
        if self.is_delegated(page) and self.search is not None:
            self.insert_at[page.file.src_uri] = len(self.search.search_index.entries)

    def after_page(self, page) -> None:
        """After the last page: wait for the workers and merge what they rendered."""
        if self.role != "parent" or not self.workers or page.file.src_uri != self.join_src:
            return
        files = self.files
        workers, self.workers = self.workers, []
        order = {src: n for n, src in enumerate(self.delegated)}
        splices = []
        for position, worker in enumerate(workers):
            try:
                result = worker.result()
            except WorkerFailed as exc:
                for other in workers[position + 1:]:
                    other.abandon()
                log.error(exc.details or str(exc))
                raise PluginError("并行渲染页面时出错（见上面的信息）。可以设置环境变量 "
                                  f"{_JOBS_ENV}=1 改为单进程构建，以便定位出错的页面。") from None
            for src, data in result["pages"].items():
                page_obj = files.get_file_from_path(src).page
                page_obj.present_anchor_ids = set(data["anchors"] or ())
                page_obj.links_to_anchors = None if data["links"] is None else {
                    files.get_file_from_path(target): anchors for target, anchors in data["links"].items()}
                if src in self.insert_at:
                    splices.append((self.insert_at[src], order[src], data["entries"]))
            for name, values in result["state"].items():
                getattr(self.plugin, name).update(values)
            self.cache.merge(result["cache"])
        if self.search is not None and splices:  # one pass, in document order
            entries, merged, taken = self.search.search_index.entries, [], 0
            for position, _, page_entries in sorted(splices):
                merged += entries[taken:position]
                merged += page_entries
                taken = position
            self.search.search_index.entries = merged + entries[taken:]

    def finish(self, complete: bool) -> None:
        """Write the cache; after a complete build also forget entries nothing used any more."""
        for worker in self.workers:
            worker.abandon()
        self.workers = []
        logging.getLogger("mkdocs.commands.build").removeFilter(self._quiet_placeholders)
        if self.role == "parent":
            if complete:  # a failed build leaves nothing behind, not even cache entries
                if self.cache.enabled and self.prune:
                    log.info(f"构建缓存（.mzpress-cache）：复用 {self.cache.hits} 项，新计算 {self.cache.misses} 项。")
                self.cache.flush(prune=_CACHE_NAMESPACES if self.prune else ())
            self.cache.close()


# --- the writer's preview (mzpress preview): MkDocs renders one page at a time, on request -------


class PreviewSite:
    """A project kept loaded in memory; :meth:`respond` renders the requested page with MkDocs.

    The backend of :class:`mzpress.adapters.mkdocs.preview_server.PreviewServer`. Rendering goes through
    MkDocs' own functions (``_populate_page``, ``_build_page``), so a page looks exactly as in
    the built site. :meth:`refresh` takes in changed files: content changes re-run MkDocs'
    file collection, our ``on_files`` (the content model re-reads and re-checks only changed
    files, see :class:`~mzpress.adapters.mkdocs.site_tracker.SiteTracker`) and the navigation, which takes well
    under a second for 10,000 stories; configuration or template changes reload everything.
    The search index holds the pages rendered so far (the preview does not build it ahead).
    """

    def __init__(self, config_file: Path):
        self.config_file = Path(config_file).resolve()
        self.root = self.config_file.parent
        self.site_dir = Path(tempfile.mkdtemp(prefix="mzpress-preview-"))
        self.config = None
        self._load()

    def close(self) -> None:
        if self.plugin is not None and self.plugin.fast is not None:
            self.plugin.fast.finish(complete=True)
        shutil.rmtree(self.site_dir, ignore_errors=True)

    # -- loading ----------------------------------------------------------------------------------

    def _settings_stamps(self) -> dict[str, tuple[int, int]]:
        """mkdocs.yml, site_config/ and the template folder: a change there reloads everything."""
        paths = [self.config_file]
        folders = [self.root / "site_config"]
        if self.config is not None and self.config.theme.custom_dir:
            folders.append(Path(self.config.theme.custom_dir))
        for folder in folders:
            paths += [p for p in folder.rglob("*") if p.is_file()] if folder.is_dir() else []
        stamps = {}
        for path in paths:
            try:
                info = path.stat()
            except OSError:
                continue
            stamps[str(path)] = (info.st_mtime_ns, info.st_size)
        return stamps

    def _load(self) -> None:
        config = mkdocs_load_config(str(self.config_file), site_dir=str(self.site_dir), strict=False)
        config.plugins.on_startup(command="serve", dirty=False)
        config = config.plugins.on_config(config)
        from mzpress.adapters.mkdocs.plugin import MzpressPlugin  # the plugin module imports this one

        plugin = next(p for p in config.plugins.values() if isinstance(p, MzpressPlugin))
        plugin.tracker = SiteTracker(plugin.root, plugin.now, plugin.site_config, plugin.config_findings)
        self.config, self.plugin, self.theme_env = config, plugin, None
        self.settings = self._settings_stamps()
        self._gather()

    def _gather(self) -> None:
        """MkDocs' build up to (not including) rendering the pages, with the files as they are now."""
        config, plugin = self.config, self.plugin
        if plugin.fast is not None:
            plugin.fast.finish(complete=True)  # keep what the last round computed
        config.plugins.on_pre_build(config=config)
        plugin.fast.prune = False  # only some pages are rendered: never drop the others' entries
        files = get_files(config)
        if self.theme_env is None:  # kept until the templates change: Jinja keeps them compiled
            self.theme_env = config.theme.get_env()
        env = self.theme_env
        files.add_files_from_theme(env, config)
        files = config.plugins.on_files(files, config=config)
        set_exclusions(files, config)
        nav = get_navigation(files, config)
        nav = config.plugins.on_nav(nav, config=config, files=files)
        for page in nav.pages:  # the navigation shows their titles on every page
            mkdocs_build._populate_page(page, config, files)
        self.env = config.plugins.on_env(env, config=config, files=files)
        self.files, self.nav = files, nav
        self.doc_files = files.documentation_pages(inclusion=InclusionLevel.is_in_serve)
        self.by_dest = {file.dest_uri: file for file in files}
        self.rendered: dict[str, bytes] = {}

    def refresh(self) -> bool:
        """Take in changed files; True when anything changed."""
        if self._settings_stamps() != self.settings:
            log.info("网站配置或模板有改动，重新载入全部内容……")
            self._load()
            return True
        stamps = content_stamps(self.root / "content")
        if stamps == self.plugin.tracker.stamps:
            return False
        self.plugin.tracker.prefetched = stamps  # on_files' refresh need not look again
        self._gather()
        return True

    # -- responding -------------------------------------------------------------------------------

    def url_of(self, relpath: str) -> str | None:
        """The preview address of a file given relative to the project (``content/...``)."""
        src = relpath[len("content/"):] if relpath.startswith("content/") else relpath
        file = self.files.get_file_from_path(src)
        return None if file is None else "/" + file.url

    def respond(self, path: str):
        from mzpress.adapters.mkdocs.preview_server import Response

        rel = unquote(path).lstrip("/")
        if rel == "search/search_index.json" and self.plugin.fast.search is not None:
            index = self.plugin.fast.search.search_index.generate_search_index(None)
            return Response(200, "application/json", index.encode("utf-8"))
        dest = rel + "index.html" if rel == "" or rel.endswith("/") else rel
        file = self.by_dest.get(dest)
        if file is None and self.by_dest.get(dest + "/index.html") is not None:
            return Response(301, "text/plain", b"", location="/" + rel + "/")
        if file is None and dest in self.config.theme.static_templates:
            return Response(200, mimetypes.guess_type(dest)[0] or "text/plain", self._theme_template(dest))
        if file is None:
            return Response(404, "text/html; charset=utf-8", self._theme_template("404.html"))
        if file.is_documentation_page():
            return Response(200, "text/html; charset=utf-8", self._page(file))
        kind = mimetypes.guess_type(dest)[0] or "application/octet-stream"
        if kind.startswith("text/") or kind in ("application/javascript", "application/json"):
            kind += "; charset=utf-8"
        return Response(200, kind, file.content_bytes)

    def _page(self, file) -> bytes:
        cached = self.rendered.get(file.src_uri)
        if cached is None:
            config, page = self.config, file.page
            mkdocs_build._populate_page(page, config, self.files)
            mkdocs_build._build_page(page, config, self.doc_files, self.nav, self.env,
                                     excluded=file.inclusion.is_excluded())
            cached = Path(file.abs_dest_path).read_bytes()
            self.rendered[file.src_uri] = cached
        return cached

    def _theme_template(self, name: str) -> bytes:
        key = "theme:" + name
        if key not in self.rendered:
            mkdocs_build._build_theme_template(name, self.env, self.files, self.config, self.nav)
            path = self.site_dir / name
            self.rendered[key] = path.read_bytes() if path.is_file() else b"<h1>404</h1>"
        return self.rendered[key]
