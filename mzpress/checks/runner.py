"""Running every registered check: over a project (``mzpress check``, the build) or any paths (``mzpress scan``).

A full check runs on every core (:func:`parallel_content_checks`): rendering every page for the gate
(:mod:`mzpress.text.page_rendering`) is most of its work and independent per file, so ``jobs - 1``
forked workers each check a share of the files once the content model is in memory, and hand back
their findings and the renderings they made (the build's page workers, forked later, reuse them).
Findings about the whole project come from every share: one of each is kept.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import replace
from pathlib import Path

from mzpress.checks import kept_findings
from mzpress.checks.context import CheckContext
from mzpress.checks.exemptions import apply_exemptions
from mzpress.checks.forked_worker import ForkedWorker, fork_available
from mzpress.checks.links import file_references
from mzpress.checks.registry import TEXT_SUFFIXES, attachment_checks, run_checks, site_checks, text_checks
from mzpress.model.build_cache import BuildCache, cache_enabled
from mzpress.model.config import load_config
from mzpress.model.content import CONTENT_DIR, Site, load_site
from mzpress.model.findings import Finding, error
from mzpress.model.path_walk import files_under
from mzpress.model.source_text import Policy, SourceFile, for_scanning, read_source
from mzpress.text import page_rendering


def _file_findings(source: SourceFile | None, path: Path, relpath: str, ctx: CheckContext,
                   decode_findings: bool, texts: dict[str, str]) -> list[Finding]:
    """Findings of the per-file checks; the decoded text of a text file goes into ``texts``."""
    findings: list[Finding] = []
    if path.suffix.lower() in TEXT_SUFFIXES:
        if source is None:
            source, problems = read_source(path, relpath, Policy.SCAN)
            if decode_findings:
                findings += problems
        # The loader read Markdown for publishing: still look inside a GBK or UTF-16 file (the
        # encoding findings say it must be converted; a leak must be found before that).
        source = for_scanning(source)
        if source.text is not None:
            texts[relpath] = source.text
            findings += kept_findings.findings_of(
                source, decode_findings, lambda: [finding for check in text_checks() for finding in check(source, ctx)])
    else:
        for check in attachment_checks():
            findings += check(path, relpath, ctx)
    return findings


def _with_exemptions(findings: list[Finding], texts: dict[str, str]) -> list[Finding]:
    """Apply each text file's ``<!-- mzpress: allow RULE REASON -->`` comments to that file's findings."""
    by_file: dict[str, list[Finding]] = {}
    for finding in findings:
        by_file.setdefault(finding.file, []).append(finding)
    result: list[Finding] = []
    for relpath, text in texts.items():
        result += apply_exemptions(text, relpath, by_file.pop(relpath, []))
    for rest in by_file.values():
        result += rest
    return result


def run_content_checks(site: Site, ctx: CheckContext, only: set[str] | None = None) -> list[Finding]:
    """Text and attachment checks on files under content/ (all, or those in ``only``), then site checks."""
    findings: list[Finding] = []
    texts: dict[str, str] = {}
    for src in site.files:
        if only is not None and src not in only:
            continue
        relpath = f"{CONTENT_DIR}/{src}"
        path = site.content_dir / src
        # Markdown was decoded by the loader, which already reported encoding problems.
        source = site.sources.get(src)
        loaded = src in site.sources
        findings += _file_findings(source, path, relpath, ctx, decode_findings=not loaded, texts=texts)
    for run_check in run_checks():
        findings += run_check(ctx)
    checked = site.for_checks()  # a page with a schema error still has its links and the rest judged
    focused = ctx if only is None else replace(ctx, focus=frozenset(only))  # the memo is shared
    for check in site_checks():
        findings += check(checked, focused)
    findings = _with_exemptions(findings, texts)
    if only is not None:
        wanted = {f"{CONTENT_DIR}/{src}" for src in only}
        findings = [f for f in findings if f.file in wanted or not f.file.startswith(CONTENT_DIR + "/")]
    return findings


JOBS_ENV = "MZPRESS_BUILD_JOBS"  # also the check's: one setting for "how many processes"
MIN_FILES = 200  # a small site is not worth a fork


def check_jobs(configured: int | None = None) -> int:
    """Processes to use: ``MZPRESS_BUILD_JOBS``, else ``configured``, else the cores (at most 4)."""
    text = os.environ.get(JOBS_ENV, "").strip()
    if text.isdigit() and int(text) > 0:
        return int(text)
    if configured:
        return max(1, configured)
    return max(1, min(4, os.cpu_count() or 1))


def parallel_content_checks(site: Site, ctx: CheckContext, jobs: int, min_files: int = MIN_FILES) -> list[Finding]:
    """Every finding ``run_content_checks(site, ctx)`` gives, computed by ``jobs`` processes."""
    if jobs < 2 or not fork_available() or len(site.files) < max(min_files, 2):
        return run_content_checks(site, ctx)
    shares = [set(site.files[index::jobs]) for index in range(jobs)]
    workers = [ForkedWorker(lambda share=share: (run_content_checks(site, ctx, only=share), page_rendering.take_new(),
                                                 kept_findings.take_new()))
               for share in shares[1:]]
    findings = run_content_checks(site, ctx, only=shares[0])
    try:
        for worker in workers:
            found, renderings, kept = worker.result()
            findings += found
            page_rendering.add_results(renderings)
            kept_findings.add_new(kept)
    except BaseException:
        for worker in workers:
            worker.abandon()
        raise
    unique: list[Finding] = []
    seen: set[Finding] = set()
    for finding in findings:
        if finding not in seen:
            seen.add(finding)
            unique.append(finding)
    return unique


def used_files(site: Site, srcs: set[str]) -> set[str]:
    """The photos and attachments under content/ (relative to it) that the pages ``srcs`` show or link to,
    cover images included: a partial check (``check FILE``) checks them with the page."""
    used: set[str] = set()
    for page in site.for_checks().pages:
        source = site.sources.get(page.src)
        if page.src not in srcs or source is None or source.text is None:
            continue
        used |= file_references(page, source.text)
        cover = page.values.get("cover")
        if isinstance(cover, str) and cover:
            used.add(page.asset_src(cover))
    existing = set(site.files)
    return {src for src in used if src in existing and not src.endswith(".md")}


def keep_results_in(cache: BuildCache | None, root: Path | None = None) -> None:
    """Keep the pages' renderings and the text checks' findings of the project at ``root`` in ``cache`` across runs
    (the caller flushes it); None: in memory only, for this run."""
    page_rendering.keep_in(cache)
    kept_findings.keep_in(cache, root)


def check_project(root: Path, now: dt.datetime, only: set[str] | None = None,
                  jobs: int = 1) -> tuple[Site, list[Finding]]:
    """Everything ``mzpress check`` reports: configuration, content model and every registered check
    (a full check on ``jobs`` processes, see :func:`parallel_content_checks`). A partial check (``only``)
    also checks the photos and attachments its pages use (:func:`used_files`)."""
    config, config_findings = load_config(root)
    site, findings = load_site(root, now, config, config_findings, only=only)
    ctx = CheckContext(root=Path(root), config=config)
    if only is not None:
        only = only | used_files(site, only)
    # The pages' renderings and the text checks' findings are kept in the build cache: the next check or
    # build renders and judges only what changed.
    cache = BuildCache(Path(root), enabled=cache_enabled())
    keep_results_in(cache, Path(root))
    try:
        if only is None and jobs > 1:
            findings += parallel_content_checks(site, ctx, jobs)
        else:
            findings += run_content_checks(site, ctx, only)
        cache.flush()
    finally:
        keep_results_in(None)
        cache.close()
    return site, findings


def scan_paths(paths: list[Path], ctx: CheckContext) -> list[Finding]:
    """The content-independent checks on any files or folders (``mzpress scan``).

    Files of an unknown type, unreadable files and backups: see ``scan_targets``.
    """
    from mzpress.checks.scan_targets import checked_file, scan_target

    findings: list[Finding] = []
    texts: dict[str, str] = {}
    for given in paths:
        if not given.exists():
            findings.append(error("scan.not-found", str(given), None, f"找不到文件或文件夹“{given}”。",
                                  "检查路径是否写对（可以把文件直接拖进终端窗口得到完整路径）。"))
            continue
        named = not given.is_dir()
        for path in files_under(given) if given.is_dir() else [given]:
            target = scan_target(path, path.as_posix(), named)
            findings += target.findings
            if target.name is None:
                continue
            with checked_file(path, target.name) as checked:
                findings += _file_findings(None, checked, path.as_posix(), ctx, decode_findings=True, texts=texts)
    if texts:
        for run_check in run_checks():
            findings += run_check(ctx)
    return _with_exemptions(findings, texts)
