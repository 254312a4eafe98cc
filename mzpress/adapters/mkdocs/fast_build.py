"""Build speed for the MkDocs adapter: caches and parallel page rendering (:class:`FastBuild`).

MkDocs-specific (it drives MkDocs' own page pipeline, through :mod:`.mkdocs_internals`), so it lives
beside the plugin, outside the core. It knows nothing of the plugin: the plugin hands it a
:class:`BuildInputs`. See the comment block below for what is cached and the rules for new plugin hooks.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Collection
from dataclasses import dataclass, field
from pathlib import Path

import jinja2
from mkdocs import utils
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import InclusionLevel

from mzpress.adapters.mkdocs import mkdocs_internals as internals
from mzpress.adapters.mkdocs.cache_keys import nav_signature, plain, toc_signature
from mzpress.adapters.mkdocs.search_index import install_cached_index
from mzpress.checks import kept_findings
from mzpress.checks.forked_worker import ForkedWorker, WorkerFailed, fork_available
from mzpress.checks.runner import JOBS_ENV, check_jobs, keep_results_in, parallel_content_checks
from mzpress.model.build_cache import (
    BuildCache,
    cache_enabled,
    code_fingerprint,
    package_versions,
)
from mzpress.model.fingerprints import fingerprint
from mzpress.model.markdown_settings import MarkdownSettings
from mzpress.text import page_rendering
from mzpress.text.html_document import anchor_ids
from mzpress.text.html_sanitiser import sanitise

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
#   tags) and, below that, jieba's segmentation of each text (key: the text); see search_index.py.
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
# * Per-page results a hook collects (a dict keyed by src_uri) must be a dict from
#   BuildInputs.page_state.track(name), so the parallel build hands them back from the workers.
# * The page output key is computed in on_env from the page (HTML, headings, front matter incl.
#   page.meta["mz"]), the navigation, the configuration and the templates. A hook of this plugin
#   that later changes what the templates see (on_page_context adding context, say) must add
#   those inputs to FastBuild._look_up_outputs' key. Other plugins with such hooks switch the
#   page output cache off by themselves (see _only_known_page_plugins).
# * Anything that changes the search index must go through SearchIndex.add_entry_from_context
#   (cached per page by search_index.CachedSearchIndex) or be applied after it in on_post_build.
# * MkDocs' private functions and classes are used only through mkdocs_internals.py.

_DELEGATED_TEMPLATE = "mzpress-delegated-page.html"
_CACHED_TEMPLATE = "mzpress-cached-page.html"  # renders the stored output of an unchanged page
_CACHE_NAMESPACES = ("markdown", "search-page", "search-segment", "page-output", "image-rendition",
                     page_rendering.STORE_NAMESPACE, kept_findings.STORE_NAMESPACE)
# Plugins whose per-page hooks the page output cache knows (their modules): with any other plugin
# hooking into a page's context or the template environment, whole pages are not cached (Markdown
# still is). tests/unit/test_mkdocs_adapter.py checks that the project's own configuration qualifies.
_KNOWN_PAGE_PLUGINS = ("material.plugins.search.plugin", "mzpress.adapters.mkdocs.plugin")
# Markdown extensions that read other files while rendering: their output is not a function of
# the page alone, so Markdown caching turns itself off when one is configured.
_FILE_READING_EXTENSIONS = ("pymdownx.snippets", "markdown_include", "mdx_include")


# --- what FastBuild needs from the plugin -------------------------------------------------------


@dataclass(frozen=True)
class BuildOptions:
    cache: bool = True  # .mzpress-cache/ (also off with MZPRESS_NO_CACHE=1)
    jobs: int | None = None  # processes for `mkdocs build` (MZPRESS_BUILD_JOBS; default: cores, max 4)


class PageState:
    """Per-page results the plugin's hooks collect while pages render: name -> {src_uri: value}.

    A forked worker renders some of the pages, so what the hooks collect for those is in the
    worker's memory: the worker hands back its share and the parent merges it into the same dicts.
    """

    def __init__(self):
        self._tracked: dict[str, dict] = {}

    def track(self, name: str) -> dict:
        """A new, empty dict for the results called ``name`` (it replaces any earlier one)."""
        values: dict = {}
        self._tracked[name] = values
        return values

    def share(self, srcs: Collection[str]) -> dict[str, dict]:
        """The results about the pages ``srcs`` (a worker's share)."""
        return {name: {src: value for src, value in values.items() if src in srcs}
                for name, values in self._tracked.items()}

    def merge(self, share: dict[str, dict]) -> None:
        for name, values in share.items():
            self._tracked[name].update(values)


@dataclass
class BuildInputs:
    """What FastBuild needs from the plugin (and nothing else of it)."""

    root: Path  # the project (the cache lives in root/.mzpress-cache)
    options: BuildOptions
    page_state: PageState = field(default_factory=PageState)
    # src_uri of the generated listing pages (cheaper to render than stories: weighs the workers'
    # shares); the plugin's on_files fills it in, before the navigation.
    generated: set[str] = field(default_factory=set)
    # The build's Markdown configuration as the check read it (SiteConfig.markdown, from mkdocs.yml):
    # pages are rendered by the core with it, so the build publishes the rendering the check judged.
    markdown: MarkdownSettings = field(default_factory=MarkdownSettings)


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


class FastBuild:
    """Caches and parallel rendering for one MkDocs run (see the comment above)."""

    def __init__(self, inputs: BuildInputs, config, command: str, dirty: bool):
        self.inputs = inputs
        self.cache = BuildCache(inputs.root, enabled=inputs.options.cache and cache_enabled())
        keep_results_in(self.cache, inputs.root)  # renderings and text-check findings, kept across builds
        self.jobs = check_jobs(inputs.options.jobs)
        # Small sites are not worth a fork, unless the number of jobs is asked for explicitly.
        self.min_pages = 0 if os.environ.get(JOBS_ENV, "").strip() else 200
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
        extensions = [plain(e) for e in config.markdown_extensions]
        self.markdown_cached = not any(str(e) in _FILE_READING_EXTENSIONS for e in extensions)
        versions = package_versions("mkdocs", "markdown", "pymdown-extensions", "mkdocs-material", "jieba",
                                    "backrefs")
        self.render_salt = fingerprint(
            "markdown-1", code_fingerprint(), versions, extensions, plain(config.mdx_configs),
            plain(config.validation), config.use_directory_urls)
        self.search = install_cached_index(config, self.cache, versions)  # None: search is off

    # -- rendering ------------------------------------------------------------------------------

    def prepare_page(self, page) -> None:
        internals.route_rendering(page, self)  # MkDocs' Page.render now calls render_page below

    def is_delegated(self, page) -> bool:
        return self.role == "parent" and page.file.src_uri in self.delegated

    def render_page(self, page, config, files) -> None:
        if self.is_delegated(page):  # a worker renders it; keep an empty placeholder here
            internals.set_placeholder(page)
            return
        if not self.markdown_cached or not self.cache.enabled:
            self._render_published(page, config, files)
            return
        key = fingerprint(self.render_salt, internals.links_recorded(), page.file.src_uri, page.file.url,
                          page.file.inclusion.value, page.markdown)
        cached = self.cache.get("markdown", key)
        if cached is not None and all(internals.resolution(files.get_file_from_path(path)) == expected
                                      for path, expected in cached["deps"].items()):
            internals.set_render_result(page, cached, files)
            for name, level, message in cached["logs"]:
                logging.getLogger(name).log(level, message)
            page_rendering.keep_stored(page.markdown, self.inputs.markdown)  # the next check may need it
            return
        recorder = internals.RecordingFiles(files)
        capture = _LogCapture()
        # Record what MkDocs says at INFO and above even under -q, so that the cached result can
        # be replayed at any verbosity; the handlers still show only what they showed before.
        mkdocs_log = logging.getLogger("mkdocs")
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
            self._render_published(page, config, recorder)
        finally:
            mkdocs_log.setLevel(saved_level)
            for logger in watched:
                logger.removeHandler(capture)
            for handler in handlers:
                handler.removeFilter(gate)
        self.cache.put("markdown", key, {**internals.render_result(page), "deps": recorder.lookups,
                                         "logs": capture.records})

    def _render_published(self, page, config, files) -> None:
        """The page as published: the core's rendering of its Markdown (the one the check judged), relative
        links resolved by MkDocs, through the sanitiser (the floor under the check)."""
        settings = self.inputs.markdown
        rendering = page_rendering.render(page.markdown, settings)
        if rendering.problems:  # the check judged a rendering (maybe kept from an earlier run); this one failed
            raise PluginError(f"{page.file.src_uri}：这次构建没能渲染这一页（{rendering.problems[0].kind}），"
                              "没有发布任何内容。机器繁忙时可能出现：请重新构建；仍然出现时运行 scripts/mzpress check 查看原因。")
        links = internals.relative_links(page, files, config)
        html = sanitise(rendering.html, settings, rewrite_url=links.path_to_url) if rendering.html else ""
        internals.set_rendered(page, html, rendering.toc_tokens, rendering.title, anchor_ids(html),
                               links.links_to_anchors)

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
        generated = self.inputs.generated
        weight = {f.src_uri: (1 if f.src_uri in generated else 3) for f in candidates}
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
        self.cache.start_worker()
        self.wanted = wanted
        in_nav = {id(page) for page in nav.pages}
        for file in files.documentation_pages(inclusion=InclusionLevel.is_included):
            if file.src_uri in wanted or id(file.page) in in_nav:
                internals.populate_page(file.page, config, files)
        env = config.plugins.on_env(config.theme.get_env(), config=config, files=files)
        doc_files = files.documentation_pages(inclusion=InclusionLevel.is_included)
        index = self.search.search_index if self.search is not None else None
        pages = {}
        for file in doc_files:
            if file.src_uri not in wanted:
                continue
            start = len(index.entries) if index is not None else 0
            internals.build_page(file.page, config, doc_files, nav, env, excluded=file.inclusion.is_excluded())
            pages[file.src_uri] = {"entries": index.entries[start:] if index is not None else [],
                                   **internals.anchor_state(file.page)}
        return {"pages": pages, "state": self.inputs.page_state.share(wanted), "cache": self.cache.hand_over()}

    def content_checks(self, site, ctx) -> list:
        """``run_content_checks`` for the whole site; in a parallel build, on every core."""
        jobs = self.jobs if self.parallel else 1
        try:
            return parallel_content_checks(site, ctx, jobs, min_files=self.min_pages)
        except WorkerFailed as exc:
            log.error(exc.details or str(exc))
            raise PluginError("并行检查内容时出错（见上面的信息）。可以设置环境变量 "
                              f"{JOBS_ENV}=1 改为单进程构建。") from None

    def placeholder_meta(self, page) -> dict:
        return {"title": page.file.name, "template": _DELEGATED_TEMPLATE, "search": {"exclude": True}}

    def on_env(self, env, config, files) -> None:
        if not getattr(env, "_mz_templates", False):  # once per environment (the preview keeps its own)
            templates = {_DELEGATED_TEMPLATE: "", _CACHED_TEMPLATE: "{{ page._mz_output }}"}
            env.loader = jinja2.ChoiceLoader([jinja2.DictLoader(templates), env.loader])
            env._mz_templates = True
        if self.delegated and self.role == "parent":
            logging.getLogger(internals.BUILD_LOGGER).addFilter(self._quiet_placeholders)
        if self.outputs_cached and self.nav is not None:
            self._look_up_outputs(env, config, files)

    # -- the page output cache --------------------------------------------------------------------

    @staticmethod
    def _only_known_page_plugins(config) -> bool:
        owners = internals.event_hook_owners(config, ("page_context", "env", "pre_template", "template_context"))
        return all(type(owner).__module__ in _KNOWN_PAGE_PLUGINS for owner in owners)

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

        values = {}
        for key in config:
            if not used(key):  # e.g. site_dir, config_file_path: no template reads them
                continue
            value = config[key]
            if key == "plugins":
                values[key] = {name: plain(dict(plugin.config)) for name, plugin in value.items()}
            elif key == "theme":  # its folders are in the templates' text (relative names, in order)
                values[key] = plain(value)
            elif key == "extra":
                extra = plain(value)
                mz = extra.get("mz")
                if isinstance(mz, dict):  # our own values: drop those no template uses (build_time)
                    extra["mz"] = {k: v for k, v in mz.items() if used(k)}
                values[key] = extra
            else:
                values[key] = plain(value)
        versions = package_versions("mkdocs", "mkdocs-material", "jinja2", "markupsafe", "markdown",
                                    "pymdown-extensions", "babel")
        signature = fingerprint("page-output-1", code_fingerprint(), versions, fingerprint(text), values,
                                nav_signature(nav.items), sorted(env.filters), sorted(env.globals),
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
                              page.content, toc_signature(page.toc), plain(page.meta),
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
        key = getattr(page, "_mz_output_key", None)  # set on the pages whose output is not cached yet
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
        src = internals.skipped_page_src(record)
        return src is None or src not in self.delegated

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
                                  f"{JOBS_ENV}=1 改为单进程构建，以便定位出错的页面。") from None
            for src, data in result["pages"].items():
                internals.set_anchor_state(files.get_file_from_path(src).page, data, files)
                if src in self.insert_at:
                    splices.append((self.insert_at[src], order[src], data["entries"]))
            self.inputs.page_state.merge(result["state"])
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
        logging.getLogger(internals.BUILD_LOGGER).removeFilter(self._quiet_placeholders)
        if self.role == "parent":
            if complete:  # a failed build writes no more entries (those written early are as valid as any)
                if self.cache.enabled and self.prune:
                    log.info(f"构建缓存（.mzpress-cache）：复用{self.cache.hits}项，新计算{self.cache.misses}项。")
                self.cache.flush(prune=_CACHE_NAMESPACES if self.prune else ())
            self.cache.close()
            keep_results_in(None)
