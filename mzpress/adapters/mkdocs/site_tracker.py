"""The content model kept up to date while a writer edits: re-read and re-check only what changed.

The writer's preview (``mzpress preview``) loads the whole site once, then calls
:meth:`SiteTracker.refresh` whenever something may have changed. Files are
compared by size and modification time; only changed Markdown files are parsed
again (``load_site(..., only=...)``) and only changed files are checked. When
files were added or removed, the whole tree is read again (cross-file rules such
as duplicate names and missing covers depend on the set of files), but the
checks still run only on the new and changed files. The :class:`Site` returned is
the one a full :func:`~mzpress.model.content.load_site` would build for the same tree.

The time the site is judged at (what is published, scheduled or taken down, a notice's status)
comes from ``clock`` when one is given: every refresh reads it, and a site whose files did not
change is judged again at the new time without reading anything (:meth:`SiteTracker.refresh`).
:meth:`SiteTracker.due` says whether the clock has reached the next moment that changes what the
site shows (:func:`mzpress.publishing.preview_state.next_change`). Without a clock, ``now`` stays
as given (a build date that was set).
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable
from pathlib import Path

from mzpress.checks.context import CheckContext
from mzpress.checks.runner import run_content_checks
from mzpress.model.config import SiteConfig
from mzpress.model.content import CONTENT_DIR, Page, Site, load_site, walk_content
from mzpress.model.findings import Finding
from mzpress.publishing.preview_state import next_change

Stamp = tuple[int, int]  # (mtime_ns, size)
Clock = Callable[[], dt.datetime]


def content_stamps(content_dir: Path) -> dict[str, Stamp]:
    """Size and modification time of every file under content/ (the files load_site reads)."""
    stamps: dict[str, Stamp] = {}
    for src in walk_content(content_dir) if content_dir.is_dir() else []:
        try:
            info = os.stat(content_dir / src)
        except OSError:  # removed while we looked: it is simply gone
            continue
        stamps[src] = (info.st_mtime_ns, info.st_size)
    return stamps


class SiteTracker:
    """The current :class:`Site` of ``root`` and the findings of each file, updated incrementally."""

    def __init__(self, root: Path, now: dt.datetime, config: SiteConfig, config_findings: list[Finding],
                 clock: Clock | None = None):
        self.root, self.now, self.config = Path(root), now, config
        self.clock = clock  # None: ``now`` stays as given
        self.next_change: dt.datetime | None = None  # when the clock alone next changes the site
        self.config_findings = list(config_findings)
        self.content_dir = self.root / CONTENT_DIR
        self.ctx = CheckContext(root=self.root, config=config)
        self.site: Site | None = None
        self.stamps: dict[str, Stamp] = {}
        self.changed: set[str] = set()  # what the last refresh found changed (relative to content/)
        self.prefetched: dict[str, Stamp] | None = None  # stamps just taken by the caller, if any
        self._model: dict[str, list[Finding]] = {}  # content-model findings by file
        self._checks: dict[str, list[Finding]] = {}  # check findings by file
        self._project: list[Finding] = []  # site-check findings not about one file under content/

    def current_time(self) -> dt.datetime:
        """The clock's time, or the fixed ``now``."""
        return self.clock() if self.clock is not None else self.now

    def due(self, now: dt.datetime | None = None) -> bool:
        """Whether the clock (or ``now``) has reached a moment that changes what the loaded site shows."""
        now = self.current_time() if now is None else now
        return self.site is not None and self.next_change is not None and now >= self.next_change

    def refresh(self) -> tuple[Site, list[Finding]]:
        """The site as it is on disk now, judged at the current time, and the findings of the files that
        changed since last time."""
        self.now = self.current_time()
        stamps, self.prefetched = self.prefetched or content_stamps(self.content_dir), None
        if self.site is None:
            changed = set(stamps)
            self._load_all()
        else:
            changed = {src for src, stamp in stamps.items() if self.stamps.get(src) != stamp}
            removed = set(self.stamps) - set(stamps)
            if removed or any(src not in self.stamps for src in changed):
                self._load_all()
            elif changed:
                self._reload(changed)
            for src in removed:
                self._checks.pop(f"{CONTENT_DIR}/{src}", None)
        self.stamps, self.changed = stamps, changed
        assert self.site is not None
        if self.site.now != self.now:  # no file read again: the same pages, judged at the clock's time
            self.site = self._at_now(self.site)
        self.next_change = next_change(self.site)
        findings: list[Finding] = []
        if changed:
            checked = run_content_checks(self.site, self.ctx, only=changed)
            wanted = {f"{CONTENT_DIR}/{src}" for src in changed}
            for relpath in wanted:
                self._checks.pop(relpath, None)
            project = []  # findings of the whole project (site checks): shown again only when they change
            for finding in checked:
                if finding.file in wanted:
                    self._checks.setdefault(finding.file, []).append(finding)
                    findings.append(finding)
                elif not finding.file.startswith(CONTENT_DIR + "/"):
                    project.append(finding)
            if project != self._project:
                findings += [f for f in project if f not in self._project]
                self._project = project
        model = [f for src in sorted(changed) for f in self._model.get(f"{CONTENT_DIR}/{src}", [])]
        return self.site, self._dedupe(model + findings)

    def all_findings(self) -> list[Finding]:
        """Every finding currently known (configuration, model, checks) for all files."""
        found = list(self.config_findings)
        for findings in self._model.values():
            found += findings
        for findings in self._checks.values():
            found += findings
        return self._dedupe(found + self._project)

    @staticmethod
    def _dedupe(findings: list[Finding]) -> list[Finding]:
        seen, result = set(), []
        for finding in findings:
            if finding not in seen:
                seen.add(finding)
                result.append(finding)
        return result

    def _at_now(self, site: Site) -> Site:
        fresh = Site(self.config, self.content_dir, self.now, site.pages, site.files, site.invalid)
        fresh.sources = site.sources
        return fresh

    def _load_all(self) -> None:
        site, findings = load_site(self.root, self.now, self.config, self.config_findings)
        self.site = site
        self._model = {}
        for finding in findings:
            if finding.file.startswith(CONTENT_DIR + "/"):
                self._model.setdefault(finding.file, []).append(finding)

    def _reload(self, changed: set[str]) -> None:
        """Same files as before, some modified: parse only the modified Markdown files again."""
        old = self.site
        assert old is not None
        markdown = {src for src in changed if src.endswith(".md")}
        if not markdown:
            return
        fresh, findings = load_site(self.root, self.now, self.config, self.config_findings, only=markdown)
        for src in markdown:
            self._model.pop(f"{CONTENT_DIR}/{src}", None)
        for finding in findings:
            if finding.file.startswith(CONTENT_DIR + "/"):
                self._model.setdefault(finding.file, []).append(finding)
        order = {src: index for index, src in enumerate(fresh.files)}
        pages: dict[str, Page] = {page.src: page for page in old.pages if page.src not in markdown}
        pages.update({page.src: page for page in fresh.pages})
        invalid = (set(old.invalid) - markdown) | set(fresh.invalid)
        ordered = sorted(pages.values(), key=lambda page: order.get(page.src, len(order)))
        site = Site(self.config, self.content_dir, self.now, ordered, fresh.files, sorted(invalid))
        site.sources = {**old.sources, **fresh.sources}
        for src in markdown:
            if src not in fresh.sources:
                site.sources.pop(src, None)
        self.site = site
