"""The MkDocs plugin: a thin adapter from MkDocs' build events to the mzpress core.

* ``on_config``: load ``site_config/``, expose the site identity to templates.
* ``on_files``: load and check all content, drop drafts, scheduled, unpublished and
  invalid pages, add the generated listing pages as virtual files.
* ``on_page_read_source`` / ``on_page_markdown``: serve the Markdown body the core
  parsed (front matter stripped, encoding checked), give the templates the page's
  context and, as plain data in ``page.meta`` (``mz_listing``, ``mz_home``), the lists of
  listing, topic, campaign and home pages; the theme's partials render them.

The publish gate: ``on_files`` keeps only the files of ``content/`` that the check read and
passed (:mod:`mzpress.publishing.published_files`), and any error finding stops ``mkdocs build``,
strict or not, with the full list. ``mkdocs serve`` and ``mzpress preview`` keep serving: a page
with errors shows its errors instead of its text; drafts, scheduled and taken-down pages (and a
coming ``unpublish_at``) are shown under a banner (``page.meta.mz_preview``,
:mod:`mzpress.publishing.preview_state`), never listed, never in the search index.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
import os
from pathlib import Path
from urllib.parse import urlsplit

from mkdocs.config import config_options as c
from mkdocs.config.base import Config
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, CombinedEvent, event_priority
from mkdocs.structure.files import File, Files

from mzpress import __version__
from mzpress.adapters.mkdocs.fast_build import BuildInputs, BuildOptions, FastBuild
from mzpress.adapters.mkdocs.mkdocs_internals import check_supported
from mzpress.adapters.mkdocs.offline_assets import localise_script, unused_bundle_files
from mzpress.adapters.mkdocs.page_errors import ERROR_PAGE_MARKDOWN, ERROR_PAGE_TITLE, page_errors
from mzpress.adapters.mkdocs.plain_text import plain_text
from mzpress.adapters.mkdocs.retired import RETIRED_TITLE, notice_context, retired_document
from mzpress.adapters.mkdocs.shared_navigation import SharedNavigation
from mzpress.adapters.mkdocs.site_images import SiteImages
from mzpress.adapters.mkdocs.site_search import write_search_index
from mzpress.adapters.mkdocs.site_source import SiteSource, WholeSite
from mzpress.history.source_commit import source_commit
from mzpress.model.clock import build_time
from mzpress.model.config import load_config
from mzpress.model.content import Page, Site
from mzpress.model.finding_formats import format_text
from mzpress.model.findings import Finding, FindingsError, Severity, has_errors
from mzpress.model.schema import PASSTHROUGH_KEYS
from mzpress.publishing.feeds import atom_xml, base_url, feed_links, site_feeds
from mzpress.publishing.listings import (
    GeneratedPage,
    StoryNeighbours,
    campaign_members,
    generated_pages,
    home_sections,
    page_trail,
    topic_listing,
)
from mzpress.publishing.manifest import ManifestError, build_manifest, remove_manifest, write_manifest
from mzpress.publishing.page_context import page_context
from mzpress.publishing.preview_state import preview_states
from mzpress.publishing.publication_record import publication_records
from mzpress.publishing.published_files import blocked_files, published_files, references
from mzpress.publishing.search_scope import full_text_latest, summary_only
from mzpress.publishing.site_pages import footer_links
from mzpress.publishing.withdrawal import expired_link_edits, expired_pages, retired_pages
from mzpress.text.unbreakable import keep_together

log = logging.getLogger("mkdocs.plugins.mzpress")


class MzpressPluginConfig(Config):
    build_date = c.Optional(c.Type(str))
    cache = c.Type(bool, default=True)  # .mzpress-cache/ (also off with MZPRESS_NO_CACHE=1)
    jobs = c.Optional(c.Type(int))  # processes for `mkdocs build` (MZPRESS_BUILD_JOBS; default: cores, max 4)


# MkDocs commands that serve the writer's preview instead of publishing: pages with errors are shown as errors.
PREVIEW_COMMANDS = frozenset({"serve"})


def _report(findings: list[Finding]) -> None:
    for finding in sorted(findings, key=Finding.sort_key):
        text = format_text(finding)
        if finding.severity is Severity.ERROR:
            log.error(text)
        else:  # warnings inform the writer but do not fail a strict build
            log.info(text)


class MzpressPlugin(BasePlugin[MzpressPluginConfig]):
    supports_multiple_instances = False
    command = "build"
    dirty = False
    fast: FastBuild | None = None
    # Where on_files gets the site and its findings. None: each build loads and checks everything
    # (WholeSite); the writer's preview installs a TrackedSite (only changed files re-read).
    site_source: SiteSource | None = None
    _references: dict | None = None  # set by on_startup: the pages' file references (see published_files)

    def on_startup(self, *, command, dirty) -> None:
        # MkDocs reuses plugin instances across configurations loaded in one process: a preview's
        # site source must never serve a later build (of this or another project).
        self.command, self.dirty = command, dirty
        self.site_source = None
        self._references = {}  # the pages' file references, kept while the preview refreshes

    def on_config(self, config):
        self.root = Path(config.config_file_path).resolve().parent
        self.strict = bool(config.strict)
        if config.repo_url:
            raise PluginError("请不要设置 repo_url：它会让读者的浏览器访问境外的代码托管网站。")
        if not config.use_directory_urls:
            raise PluginError("mzpress 需要 use_directory_urls: true（生成的列表页使用目录式网址）。")
        try:
            self.now = build_time(self.config.build_date)
        except FindingsError as exc:
            _report(exc.findings)
            raise PluginError("构建时间设置有误。") from None
        self.site_config, self.config_findings = load_config(self.root)
        if has_errors(self.config_findings):
            _report(self.config_findings)
            raise PluginError("网站配置（site_config/）有错误，请按上面的提示修改后再构建。")
        site = self.site_config.site  # typed and checked by load_config: no fallbacks here
        if not config.site_name or config.site_name == "mzpress":
            config.site_name = site.name or config.site_name
        config.site_name = plain_text(config.site_name)  # Material writes it into <title> unescaped
        config.extra["mz"] = {  # plain data for the templates (config.extra.mz.footer.sponsor ...)
            "name": site.name,
            "county": site.county,
            "description": site.description,
            "footer": dataclasses.asdict(site.footer),
            "quick_links": [dataclasses.asdict(link) for link in site.quick_links],
            "columns": [{"name": column.name, "path": column.path} for column in self.site_config.columns],
            "build_time": self.now.strftime("%Y-%m-%d %H:%M"),
            "mourning": False,
            # 网站声明, 隐私声明, 订阅说明 (content/about/), linked from the footer while their files exist
            "info_pages": footer_links(lambda src: Path(config.docs_dir, src).is_file()),
        }
        if site.logo:  # the bureau's emblem (site.yml logo:): in the header and as the browser tab's icon
            config.theme["logo"] = config.theme["favicon"] = site.logo
        mourning = site.mourning_at(self.now)
        if mourning is not None:  # 一键置灰: every page grey (CSS only) until a rebuild after the period
            config.extra["mz"]["mourning"] = True
            log.info(f"网站置灰：{mourning.reason}（{mourning.start:%Y-%m-%d %H:%M}至{mourning.end:%Y-%m-%d %H:%M}）。")
        config.extra["mz"]["feeds"], config.extra["mz"]["topic_feeds"] = feed_links(self.site_config)
        if not config.site_description:
            config.site_description = site.description or None
        if config.site_description:
            config.site_description = plain_text(config.site_description)
        return config

    def on_files(self, files: Files, config) -> Files:
        self.site, findings, ctx = self._site_source.load()
        self.records = publication_records(self.site, ctx)  # 首次发布/最后更新 from git
        # Material's search (only the benchmark's baseline now): older stories by summary in its index. The site's
        # own search (site_search.py) indexes every published story in full and needs none of this.
        self.search_summaries = (summary_only(self.site, full_text_latest(self.site))
                                 if "material/search" in config.plugins else {})
        _report(findings)
        # The publish gate: every error of the check stops a build, strict or not. The writer's
        # preview (`mkdocs serve`, `mzpress preview`) shows each page with errors as its list of errors.
        gate = self._site_source.all_findings()
        errors = [f for f in gate if f.severity is Severity.ERROR]
        if errors and self.command not in PREVIEW_COMMANDS:  # a build loads the whole site: all were reported
            raise PluginError(f"内容检查发现{len(errors)}个错误，网站不会发布。请按上面每条提示修改（文件:行号）后再构建。")
        self.published = published_files(self.site, gate, self._references)
        self.page_errors = page_errors(self.site, errors) if errors else {}
        self.links_to_retarget = bool(expired_pages(self.site))
        self._preview_files(gate)
        self._keep_only_checked_files(files, config)
        if "material/search" not in config.plugins:  # only Material's search loads its bundle (overrides/main.html)
            for path in unused_bundle_files([file.src_uri for file in files]):
                files.remove(files.get_file_from_path(path))
        # Sizes and smaller renditions of exactly the published images (and the preview's own).
        self.images = SiteImages(Path(config.docs_dir), self.published.assets | self.preview_assets, self.site.files,
                                 self.site.config.site.content.extra_files,
                                 renditions=self.command not in PREVIEW_COMMANDS)
        if self.fast is not None:  # encoded before the pages, which offer a photo's WebP copies only where smaller
            self.images.prepare(self.fast.cache)
        self.neighbours = StoryNeighbours(self.site)
        self.generated: dict[str, GeneratedPage] = {}
        for page in generated_pages(self.site):  # their lists are page.meta data the templates render
            self.generated[page.src] = page
            existing = files.get_file_from_path(page.src)
            if existing is not None:
                files.remove(existing)
            files.append(File.generated(config, page.src, content=page.markdown))
        self.build_inputs.generated = set(self.generated)
        self.feeds = site_feeds(self.site)
        # Rendered bodies of the stories the feeds carry (page state: parallel workers hand theirs back).
        self.feed_html: dict[str, str] = self.build_inputs.page_state.track("feed_html")
        self.feed_srcs = {story.src for feed in self.feeds for story in feed.stories}
        return files

    def _preview_files(self, gate: list[Finding]) -> None:
        """The writer's preview also shows drafts, scheduled and taken-down pages (with their images),
        each under a banner that says so, and a coming take-down (``unpublish_at``) on a published page."""
        self.preview_states: dict[str, dict] = {}
        self.preview_assets: set[str] = set()
        if self.command not in PREVIEW_COMMANDS:
            return
        self.preview_states = {src: state for src, state in preview_states(self.site).items()
                               if src not in self.page_errors}
        blocked, files = blocked_files(gate), set(self.site.files)
        for src, state in self.preview_states.items():
            if not state["published"]:
                found = references(self.site, self.site.by_src[src], self._references)
                self.preview_assets |= {target for target in found if target in files and target not in blocked}

    def _keep_only_checked_files(self, files: Files, config) -> None:
        """Remove every file of docs_dir that the check did not read and pass (other types, links, backups)."""
        docs_dir = os.path.normpath(config.docs_dir) + os.sep
        for file in list(files):
            if file.generated_by or not file.abs_src_path or not os.path.normpath(file.abs_src_path).startswith(docs_dir):
                continue  # a theme file, or generated by a plugin
            src = file.src_uri
            if src not in self.published and src not in self.page_errors and src not in self.preview_states \
                    and src not in self.preview_assets:
                files.remove(file)

    def on_page_content(self, html: str, page, config, files) -> str:
        html = keep_together(html)  # no line break inside a phone number or a date (text/unbreakable.py)
        if page.file.src_uri in self.feed_srcs:  # feeds: the plain <img> (a relative srcset would not resolve)
            self.feed_html[page.file.src_uri] = html
        home = page.meta.get("mz_home") or {}
        for listing in (page.meta.get("mz_listing") or {}, home.get("notices") or {}, home.get("campaigns") or {}):
            # list entries' thumbnails: size and renditions of published photos only
            self.images.add_to_thumbnails(listing.get("items") or [], page.url)
        html = self.images.captioned(html)  # a photo's caption (图为…) shown under it
        html = self.images.with_cover(html, (page.meta.get("mz") or {}).get("cover"), page.url)  # a story's cover
        return self.images.rewrite(html, page.url)  # width/height, srcset/sizes, lazy below the first image

    def _post_build(self, config) -> None:
        base_path = urlsplit(config.site_url or "/").path
        for bundle in Path(config.site_dir, "assets", "javascripts").glob("bundle.*.js"):
            text = bundle.read_text(encoding="utf-8")
            localised = localise_script(text, base_path)
            if localised != text:
                bundle.write_text(localised, encoding="utf-8")
        self._write_feeds_and_retired(config)
        if self.fast is not None:
            self.images.write(Path(config.site_dir), self.fast.cache)  # before the manifest lists the files
            self.fast.finish(complete=True)

    @event_priority(-90)  # after every page, feed, retired notice and image is written; before the manifest
    def _write_search_index(self, config) -> None:
        """The site's search index of the built pages (adapters/mkdocs/site_search.py); the preview has none."""
        if self.command in PREVIEW_COMMANDS:
            return
        pages, seconds = write_search_index(Path(config.site_dir))
        log.info(f"搜索索引：{pages}个页面，用时{seconds:.1f}秒。")

    @event_priority(-100)  # last: after every plugin (search index included) has written its files
    def _write_manifest(self, config) -> None:
        """The integrity manifest of exactly the built files; the preview does not need one."""
        if self.command in PREVIEW_COMMANDS:
            return
        site_dir = Path(config.site_dir)
        built_at = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
        try:
            manifest = build_manifest(site_dir, source_commit(self.root), built_at, __version__)
        except ManifestError as exc:
            raise PluginError(f"{exc.message}{exc.suggestion}") from None
        write_manifest(site_dir, manifest)
        log.info(f"完整性清单：{len(manifest.files)}个文件，源提交 {manifest.short_commit}。")

    on_post_build = CombinedEvent(_post_build, _write_search_index, _write_manifest)

    def _write_feeds_and_retired(self, config) -> None:
        """Atom feeds (feeds/*.xml) and, at each unpublished page's old address, a redirect or the 本页已撤下
        notice: a page of the site, rendered with the theme's environment and the navigation of this build."""
        site_dir = Path(config.site_dir)
        for feed in self.feeds:
            target = site_dir / feed.path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(atom_xml(feed, self.site, self.feed_html), encoding="utf-8")
        name = self.site.config.site.name
        for retired in retired_pages(self.site):
            target = site_dir / retired.output_path
            if target.exists():
                log.error(f"content/{retired.src}: 撤下页面的原网址 /{retired.url} 已被其他页面占用，未生成跳转页。")
                continue
            context = None if retired.target is not None else notice_context(
                retired, page_trail(self.site, retired.url, RETIRED_TITLE), config, self._nav, self._files)
            target.parent.mkdir(parents=True, exist_ok=True)  # a site overrides the templates in its custom_dir
            target.write_text(retired_document(self._env, retired, name, base_url(self.site), context),
                              encoding="utf-8")

    # -- build speed hooks (FastBuild below) -----------------------------------------------------

    def on_pre_build(self, config) -> None:
        check_supported()  # the MkDocs version mkdocs_internals was written for
        remove_manifest(Path(config.site_dir))  # a build that does not finish must leave none behind
        self._site_dir = Path(config.site_dir)
        self.build_inputs = BuildInputs(self.root, BuildOptions(cache=self.config.cache, jobs=self.config.jobs),
                                        markdown=self.site_config.markdown)
        self.fast = FastBuild(self.build_inputs, config, self.command, self.dirty)
        self._site_source = self.site_source or WholeSite(
            self.root, self.now, self.site_config, self.config_findings,
            checks=self.fast.content_checks)  # run_content_checks, on every core

    @event_priority(-100)  # after every other plugin has shaped the navigation
    def on_nav(self, nav, config, files):
        self._nav, self._files = nav, files  # the 本页已撤下 notices are pages of the site (_write_feeds_and_retired)
        self.fast.start_workers(nav, files, config)
        return nav

    def on_pre_page(self, page, config, files):
        self.fast.prepare_page(page)
        return page

    def on_env(self, env, config, files):
        self._env = env  # the pages' environment also renders the notices at retired addresses
        SharedNavigation().install(env)  # one per build (and per page worker): Material's drawer, shared
        self.fast.on_env(env, config, files)
        return env

    def on_page_context(self, context, page, config, nav):
        self.fast.on_page_context(page)
        return context

    @event_priority(100)  # the theme's output, before any other plugin changes it
    def on_post_page(self, output: str, page, config) -> str:
        output = self.fast.store_output(page, output)
        self.fast.after_page(page)
        return output

    def on_build_error(self, error) -> None:
        if self.fast is not None:
            self.fast.finish(complete=False)
        site_dir = getattr(self, "_site_dir", None)
        if site_dir is not None:  # also after on_post_build: a strict build may still abort then
            remove_manifest(site_dir)

    def on_page_read_source(self, page, config):
        if page.file.src_uri in self.page_errors:
            return ERROR_PAGE_MARKDOWN
        authored = self.site.by_src.get(page.file.src_uri)
        if authored is None:
            return None
        return self._published_body(authored)

    def _published_body(self, authored: Page) -> str:
        """The Markdown the build renders for an authored page: its body as the check read it."""
        if self.links_to_retarget:  # links to pages past their unpublish_at lead to the take-down notice
            return expired_link_edits(self.site, authored, authored.body)
        return authored.body

    def on_page_markdown(self, markdown: str, page, config, files) -> str:
        if self.fast is not None and self.fast.is_delegated(page):
            page.meta = self.fast.placeholder_meta(page)
            return ""
        src = page.file.src_uri
        if src in self.page_errors:  # the writer's preview: the errors instead of the page
            page.meta = {"title": ERROR_PAGE_TITLE, "search": {"exclude": True}, "mz_errors": self.page_errors[src]}
            return markdown
        generated = self.generated.get(src)
        if generated is not None:  # its list: page.meta["mz_listing"] (or ["mz_home"]), for the templates
            page.meta = {"title": generated.title, "search": {"exclude": True}, **generated.meta}
            if "mz_search" in page.meta and self.command in PREVIEW_COMMANDS:  # no built site, so no index
                page.meta["mz_search"] = {**page.meta["mz_search"], "preview": True}
            return markdown
        authored = self.site.by_src.get(src)
        if authored is None:
            return markdown
        return self._authored_markdown(markdown, page, authored)

    def _authored_markdown(self, markdown: str, page, authored: Page) -> str:
        site: Site = self.site
        meta = {k: v for k, v in (authored.meta or {}).items() if k in PASSTHROUGH_KEYS}
        # Plain text, escaped here as well as checked (schema.markup): Material's base.html writes
        # page.meta.title, .description and .author into <title> and <meta> without escaping.
        meta["title"] = plain_text(authored.title or site.config.site.name)
        if isinstance(meta.get("description"), str):
            meta["description"] = plain_text(meta["description"])
        if authored.summary:
            meta.setdefault("description", plain_text(authored.summary))
        if authored.values.get("tags"):
            meta["tags"] = [plain_text(tag) for tag in authored.values["tags"]]
        if authored.kind != "home":
            meta["mz"] = page_context(site, authored, self.neighbours, self.records.get(authored.relpath))
        preview = self.preview_states.get(authored.src)
        if preview is not None:  # the writer's preview only: the banner of partials/mzpress/preview-banner.html
            meta["mz_preview"] = preview
        # Not search results: withdrawn pages, pages only the preview shows, and the home page (the site's
        # front door: its text is the identity banner and lists of other pages, found on their own).
        if authored.withdrawn or (preview is not None and not preview["published"]) or authored.kind == "home":
            meta["search"] = {"exclude": True}
        elif authored.src in self.search_summaries:
            meta["mz_search_text"] = self.search_summaries[authored.src]
        # The lists under the page's text: plain data in page.meta, rendered by partials/content.html
        # (partials/mzpress/listing.html, home.html). The page output cache keys on page.meta.
        if authored.kind == "topic":
            meta["mz_listing"] = topic_listing(site, authored.parts["slug"], authored.src)[0]
        elif authored.kind == "campaign":
            meta["mz_listing"] = campaign_members(site, authored)
        elif authored.kind == "home":
            meta["mz_home"] = home_sections(site)
            self.images.add_to_cards(meta["mz_home"]["latest"]["cards"], page.url)
        page.meta = meta
        # The body exactly as the check rendered it (MkDocs' reading of the source may have taken a leading
        # "key: value" block for metadata): the build must publish the rendering the check judged.
        return self._published_body(authored)
