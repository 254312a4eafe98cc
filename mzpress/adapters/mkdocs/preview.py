"""The writer's preview (``mzpress preview``): MkDocs renders one page at a time, on request.

The preview's clock runs: a build judges drafts, scheduled pages and take-downs at one fixed time
(the build date), while the preview judges them at the current time on every refresh. A story
written with a date that has passed is online at once, and one dated a little ahead goes online,
into every list, when its time comes, without a restart (:meth:`PreviewSite.refresh`). A build date
set for the preview (the plugin's ``build_date`` in mkdocs.yml or ``MZPRESS_BUILD_DATE``) keeps the
clock fixed at that time. The console says which clock the preview uses, and so does every banner.
"""

from __future__ import annotations

import datetime as dt
import logging
import mimetypes
import os
import shutil
import tempfile
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import unquote

from mkdocs.config import load_config as mkdocs_load_config
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import InclusionLevel

from mzpress.adapters.mkdocs import mkdocs_internals as internals
from mzpress.adapters.mkdocs.fast_build import FastBuild
from mzpress.adapters.mkdocs.preview_server import Response
from mzpress.adapters.mkdocs.site_source import SiteSource, TrackedSite
from mzpress.adapters.mkdocs.site_tracker import Clock, SiteTracker, content_stamps
from mzpress.model.clock import BUILD_DATE_ENV
from mzpress.model.config import SiteConfig
from mzpress.model.findings import Finding
from mzpress.model.schema import TIMEZONE
from mzpress.publishing.listings import minute
from mzpress.publishing.preview_state import clock_events

log = logging.getLogger("mkdocs.plugins.mzpress")

PLUGIN_NAME = "mzpress"  # the plugin's entry point name, its key in config.plugins
EVENTS_NAMED = 5  # pages named in the console line when the clock takes pages online or offline


def current_time() -> dt.datetime:
    """The preview's running clock: now, Beijing time."""
    return dt.datetime.now(TIMEZONE)


class _Plugin(Protocol):
    """What the preview uses of the mzpress plugin (set by its on_config and on_pre_build)."""

    root: Path
    now: dt.datetime
    config: Any  # the plugin's own options (build_date, cache, jobs)
    preview_states: dict[str, dict]
    site_config: SiteConfig
    config_findings: list[Finding]
    site_source: SiteSource | None
    fast: FastBuild | None


class PreviewSite:
    """A project kept loaded in memory; :meth:`respond` renders the requested page with MkDocs.

    The backend of :class:`mzpress.adapters.mkdocs.preview_server.PreviewServer`. Rendering goes through
    MkDocs' own functions (see :mod:`.mkdocs_internals`), so a page looks exactly as in the built
    site. :meth:`refresh` takes in changed files: content changes re-run MkDocs' file collection,
    our ``on_files`` (its site source is a :class:`~mzpress.adapters.mkdocs.site_source.TrackedSite`:
    the content model re-reads and re-checks only changed files, see
    :class:`~mzpress.adapters.mkdocs.site_tracker.SiteTracker`) and the navigation, which takes well
    under a second for 10,000 stories; configuration or template changes reload everything.
    With no file changed, the same happens when the clock reaches a page's ``date`` or
    ``unpublish_at`` (or another moment that changes the site, ``SiteTracker.due``); in between a
    refresh costs a comparison of two times. ``clock`` is for tests; by default the clock is the
    current time, or fixed at a build date that is set.
    The search index holds the pages rendered so far (the preview does not build it ahead).

    Everything MkDocs does runs on one thread of its own, whichever request thread asks: MkDocs is not
    thread-safe, and the build cache's SQLite connection may only be used by the thread that opened it.
    """

    def __init__(self, config_file: Path, clock: Clock | None = None):
        self.config_file = Path(config_file).resolve()
        self._clock = clock
        self.clock_fixed = ""  # where a fixed time comes from; "" while the clock runs
        self.clock_label = ""  # the minute every banner shows
        self._announced = False
        self.root = self.config_file.parent
        self.site_dir = Path(tempfile.mkdtemp(prefix="mzpress-preview-"))
        self.config = None
        self._worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="mzpress-preview-render")
        self._worker_thread: threading.Thread | None = None
        try:
            self._on_worker(self._load)
        except BaseException:
            self._worker.shutdown(wait=False)
            shutil.rmtree(self.site_dir, ignore_errors=True)
            raise

    def _on_worker(self, work, *args):
        """``work(*args)`` on the preview's own thread (directly when already on it)."""
        if threading.current_thread() is self._worker_thread:
            return work(*args)

        def run():
            self._worker_thread = threading.current_thread()
            return work(*args)

        return self._worker.submit(run).result()

    def close(self) -> None:
        def finish() -> None:
            if self.plugin.fast is not None:
                self.plugin.fast.finish(complete=True)

        try:
            self._on_worker(finish)
        finally:
            self._worker.shutdown(wait=True)
            shutil.rmtree(self.site_dir, ignore_errors=True)

    def all_findings(self) -> list[Finding]:
        """Every finding currently known (configuration, content model, checks) for all files."""
        return self._on_worker(self.tracker.all_findings)

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
        plugin: _Plugin | None = config.plugins.get(PLUGIN_NAME)
        if plugin is None:
            raise PluginError(f"{self.config_file.name} 的 plugins 中没有 {PLUGIN_NAME}，无法预览。")
        fixed = self._fixed_time_source(plugin)
        clock = self._clock or (None if fixed else current_time)
        self.clock_fixed = "" if clock is not None else fixed
        tracker = SiteTracker(plugin.root, clock() if clock else plugin.now, plugin.site_config,
                              plugin.config_findings, clock=clock)
        plugin.site_source = TrackedSite(tracker)  # on_files re-reads and re-checks only changed files
        self.config, self.plugin, self.tracker, self.theme_env = config, plugin, tracker, None
        self.settings = self._settings_stamps()
        self._gather()

    def _gather(self) -> None:
        """MkDocs' build up to (not including) rendering the pages, with the files as they are now."""
        config, plugin = self.config, self.plugin
        if plugin.fast is not None:
            plugin.fast.finish(complete=True)  # keep what the last round computed
        config.plugins.on_pre_build(config=config)
        plugin.fast.prune = False  # only some pages are rendered: never drop the others' entries
        if self.theme_env is None:  # kept until the templates change: Jinja keeps them compiled
            self.theme_env = config.theme.get_env()
        files, nav = internals.files_and_nav(config, self.theme_env)
        self._judged_at(self.tracker.site.now)
        for page in nav.pages:  # the navigation shows their titles on every page
            internals.populate_page(page, config, files)
        self.env = config.plugins.on_env(self.theme_env, config=config, files=files)
        self.files, self.nav = files, nav
        self.doc_files = files.documentation_pages(inclusion=InclusionLevel.is_in_serve)
        self.by_dest = {file.dest_uri: file for file in files}
        self.rendered: dict[str, bytes] = {}

    @staticmethod
    def _fixed_time_source(plugin: _Plugin) -> str:
        """Where a build date set for this run comes from ("" when none is: the clock runs)."""
        if plugin.config.build_date is not None:
            return "mkdocs.yml 的 build_date"
        if os.environ.get(BUILD_DATE_ENV, "").strip():
            return f"环境变量 {BUILD_DATE_ENV}"
        return ""

    def clock_line(self) -> str:
        """The console's word on the clock the preview judges scheduled pages by."""
        now = minute(self.tracker.current_time())
        if self.clock_fixed:
            return (f"预览按设定的时间（{now}，来自{self.clock_fixed}）判断定时发布和下线，这个时间不会走动；"
                    "要按当前时间预览，去掉这一设置后重新启动预览。")
        return (f"预览按当前时间（{now}）判断定时发布和下线：到了发布时间的稿件会自动上线并进入列表，"
                "不用重新启动预览。")

    def _judged_at(self, now: dt.datetime) -> None:
        """What the templates show of the time the site was just judged at: banners, 一键置灰."""
        self.clock_label = minute(now)
        for state in self.plugin.preview_states.values():
            state["clock"], state["clock_fixed"] = self.clock_label, self.clock_fixed
        self.plugin.now = now
        mz = self.config.extra.get("mz")
        if isinstance(mz, dict):  # as the plugin's on_config sets them for a build
            mz["build_time"] = now.strftime("%Y-%m-%d %H:%M")
            mz["mourning"] = self.plugin.site_config.site.mourning_at(now) is not None

    def _tick(self, now: dt.datetime) -> None:
        """A new minute and nothing to judge again: the banners show it when next rendered."""
        label = minute(now)
        if label == self.clock_label:
            return
        self.clock_label = label
        for src, state in self.plugin.preview_states.items():
            state["clock"] = label
            self.rendered.pop(src, None)

    def refresh(self) -> bool:
        """Take in changed files, and judge the site again when the clock has reached a page's publish or
        take-down time; True when anything changed."""
        return self._on_worker(self._refresh)

    def _refresh(self) -> bool:
        if not self._announced:
            log.info(self.clock_line())
            self._announced = True
        if self._settings_stamps() != self.settings:
            log.info("网站配置或模板有改动，重新载入全部内容……")
            self._load()
            return True
        stamps = content_stamps(self.root / "content")
        now = self.tracker.current_time()
        due = self.tracker.due(now)
        if stamps == self.tracker.stamps and not due:
            self._tick(now)
            return False
        if due:
            self._log_clock_events(now)
        self.tracker.prefetched = stamps  # on_files' refresh need not look again
        self._gather()
        return True

    def _log_clock_events(self, now: dt.datetime) -> None:
        site = self.tracker.site
        events = clock_events(site, site.now, now)
        if not events:
            return
        named = "、".join(f"《{page.title}》{what}" for page, what in events[:EVENTS_NAMED])
        more = f"等{len(events)}个页面" if len(events) > EVENTS_NAMED else ""
        log.info(f"{minute(now)}：{named}{more}（到了信息区写的时间），预览已更新。")

    # -- responding -------------------------------------------------------------------------------

    def url_of(self, relpath: str) -> str | None:
        """The preview address of a file given relative to the project (``content/...``)."""
        return self._on_worker(self._url_of, relpath)

    def _url_of(self, relpath: str) -> str | None:
        src = relpath[len("content/"):] if relpath.startswith("content/") else relpath
        file = self.files.get_file_from_path(src)
        return None if file is None else "/" + file.url

    def respond(self, path: str) -> Response:
        return self._on_worker(self._respond, path)

    def _respond(self, path: str) -> Response:
        rel = unquote(path).lstrip("/")
        search = self.plugin.fast.search
        if rel == "search/search_index.json" and search is not None:
            index = search.search_index.generate_search_index(None)
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
            internals.populate_page(page, config, self.files)
            internals.build_page(page, config, self.doc_files, self.nav, self.env,
                                 excluded=file.inclusion.is_excluded())
            cached = Path(file.abs_dest_path).read_bytes()
            self.rendered[file.src_uri] = cached
        return cached

    def _theme_template(self, name: str) -> bytes:
        key = "theme:" + name
        if key not in self.rendered:
            internals.build_theme_template(name, self.env, self.files, self.config, self.nav)
            path = self.site_dir / name
            self.rendered[key] = path.read_bytes() if path.is_file() else b"<h1>404</h1>"
        return self.rendered[key]
