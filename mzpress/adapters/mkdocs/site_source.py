"""Where the plugin's ``on_files`` gets the site: its content model, the findings to report, the check context.

A build loads and checks all content (:class:`WholeSite`); the writer's preview keeps the site in
memory and re-reads and re-checks only the files changed since the last round (:class:`TrackedSite`,
installed by :class:`mzpress.adapters.mkdocs.preview.PreviewSite`). The plugin does the same with
either.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Protocol

from mzpress.adapters.mkdocs.site_tracker import SiteTracker
from mzpress.checks.context import CheckContext
from mzpress.checks.runner import run_content_checks
from mzpress.model.config import SiteConfig
from mzpress.model.content import Site, load_site
from mzpress.model.findings import Finding

ContentChecks = Callable[[Site, CheckContext], list[Finding]]


class SiteSource(Protocol):
    def load(self) -> tuple[Site, list[Finding], CheckContext]:
        """The site as it is on disk now, the findings to report, and the context the checks used."""
        ...

    def all_findings(self) -> list[Finding]:
        """Every finding of the site as last loaded (what the publish gate judges by)."""
        ...


class WholeSite:
    """Every build: load all content and run the content checks on all of it."""

    def __init__(self, root: Path, now: dt.datetime, config: SiteConfig, config_findings: list[Finding],
                 checks: ContentChecks = run_content_checks):
        self.root, self.now, self.config, self.config_findings = root, now, config, config_findings
        self.checks = checks  # the build passes FastBuild.content_checks (the same, on every core)

    def load(self) -> tuple[Site, list[Finding], CheckContext]:
        site, findings = load_site(self.root, self.now, self.config, self.config_findings)
        ctx = CheckContext(root=self.root, config=self.config)
        self.findings = findings + self.checks(site, ctx)
        return site, self.findings, ctx

    def all_findings(self) -> list[Finding]:
        return self.findings


class TrackedSite:
    """The writer's preview: the site kept up to date by a :class:`SiteTracker` (only changed files re-read).

    The findings are those of the files changed since the last load (the writer sees what the last save did).
    """

    def __init__(self, tracker: SiteTracker):
        self.tracker = tracker

    def load(self) -> tuple[Site, list[Finding], CheckContext]:
        site, findings = self.tracker.refresh()
        return site, findings, self.tracker.ctx

    def all_findings(self) -> list[Finding]:
        return self.tracker.all_findings()
