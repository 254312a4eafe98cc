"""The writer's preview (``mzpress preview``): MkDocs renders one page at a time, on request."""

from __future__ import annotations

import datetime as dt
import logging
import mimetypes
import shutil
import tempfile
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Protocol
from urllib.parse import unquote

from mkdocs.config import load_config as mkdocs_load_config
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import InclusionLevel

from mzpress.adapters.mkdocs import mkdocs_internals as internals
from mzpress.adapters.mkdocs.fast_build import FastBuild
from mzpress.adapters.mkdocs.preview_server import Response
from mzpress.adapters.mkdocs.site_source import SiteSource, TrackedSite
from mzpress.adapters.mkdocs.site_tracker import SiteTracker, content_stamps
from mzpress.model.config import SiteConfig
from mzpress.model.findings import Finding

log = logging.getLogger("mkdocs.plugins.mzpress")

PLUGIN_NAME = "mzpress"  # the plugin's entry point name, its key in config.plugins


class _Plugin(Protocol):
    """What the preview uses of the mzpress plugin (set by its on_config and on_pre_build)."""

    root: Path
    now: dt.datetime
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
    The search index holds the pages rendered so far (the preview does not build it ahead).

    Everything MkDocs does runs on one thread of its own, whichever request thread asks: MkDocs is not
    thread-safe, and the build cache's SQLite connection may only be used by the thread that opened it.
    """

    def __init__(self, config_file: Path):
        self.config_file = Path(config_file).resolve()
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
        tracker = SiteTracker(plugin.root, plugin.now, plugin.site_config, plugin.config_findings)
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
        for page in nav.pages:  # the navigation shows their titles on every page
            internals.populate_page(page, config, files)
        self.env = config.plugins.on_env(self.theme_env, config=config, files=files)
        self.files, self.nav = files, nav
        self.doc_files = files.documentation_pages(inclusion=InclusionLevel.is_in_serve)
        self.by_dest = {file.dest_uri: file for file in files}
        self.rendered: dict[str, bytes] = {}

    def refresh(self) -> bool:
        """Take in changed files; True when anything changed."""
        return self._on_worker(self._refresh)

    def _refresh(self) -> bool:
        if self._settings_stamps() != self.settings:
            log.info("网站配置或模板有改动，重新载入全部内容……")
            self._load()
            return True
        stamps = content_stamps(self.root / "content")
        if stamps == self.tracker.stamps:
            return False
        self.tracker.prefetched = stamps  # on_files' refresh need not look again
        self._gather()
        return True

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
