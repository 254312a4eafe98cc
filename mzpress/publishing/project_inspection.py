"""Inspecting a project: load it at the inspection moment, gather the evidence, evaluate.

Only what the indicators need runs: the configuration, the content model (every page's front
matter), the internal-link scan of the published pages, and the backdating check on the git
ledger; not the text checks of ``mzpress check`` (wording, privacy, typography), which read
every page's text and have their own command. Inline exemptions apply as in ``mzpress check``.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from pathlib import Path

import git

from mzpress.checks.backdating import backdating_check
from mzpress.checks.context import CheckContext
from mzpress.checks.exemptions import apply_exemptions
from mzpress.checks.links import broken_links
from mzpress.history.approvals import STAGE_TRAILER
from mzpress.history.ledger import Ledger, LedgerUnavailable
from mzpress.history.review_check import ReviewCheckError, review_commit
from mzpress.model.config import load_config
from mzpress.model.content import Site, load_site
from mzpress.model.findings import Finding, FindingsError, Severity
from mzpress.model.review_policy import EMERGENCY_STAGE
from mzpress.publishing.inspection import (
    BackdatingEvidence,
    Inspection,
    LinkProblem,
    PendingTakedown,
    evaluate,
)
from mzpress.publishing.site_probe import Fetch, fetch_url, probe_site

NOT_JUDGED_RULES = ("ledger.unavailable", "ledger.shallow", "config.ledger")


def _exempted(site: Site, findings: Iterable[Finding]) -> set[Finding]:
    """The findings an inline exemption (``<!-- mzpress: allow RULE REASON -->``) silences."""
    by_file: dict[str, list[Finding]] = {}
    for finding in findings:
        by_file.setdefault(finding.file, []).append(finding)
    silenced: set[Finding] = set()
    for page in site.pages:
        mine = by_file.get(page.relpath)
        source = site.sources.get(page.src)
        if not mine or source is None or source.text is None:
            continue
        kept = set(apply_exemptions(source.text, page.relpath, mine))
        silenced |= {f for f in mine if f not in kept}
    return silenced


def link_problems(site: Site) -> list[LinkProblem]:
    """Broken links, missing images and attachments, and missing cover images of the published pages."""
    links = broken_links(site, site.published)
    findings = [link.finding() for link in links]
    silenced = _exempted(site, findings)
    problems = [LinkProblem(link.page.relpath, link.line,
                            "图片" if link.is_image else "附件" if link.is_attachment else "链接",
                            link.destination, link.problem)
                for link, finding in zip(links, findings, strict=True) if finding not in silenced]
    files = set(site.files)
    for page in site.published:
        cover = page.values.get("cover")
        if cover and page.asset_src(cover) not in files:
            problems.append(LinkProblem(page.relpath, page.line_of("cover"), "图片", cover, "（封面图片）找不到"))
    return sorted(problems, key=lambda p: (p.relpath, p.line or 0))


_CJK_SPACE = re.compile(r"(?<=[\u3000-\u9fff\uff00-\uffef]) (?=[0-9A-Za-z])|(?<=[0-9A-Za-z]) (?=[\u3000-\u9fff\uff00-\uffef])")
_IMPORTED_COUNT = re.compile(r"^(\d+)\s*个页面")


def _first_sentence(text: str) -> str:
    """The first sentence of a check's message, in house style (no space between Chinese and digits)."""
    head, dot, _ = text.partition("。")
    return _CJK_SPACE.sub("", head + dot)


def backdating_evidence(site: Site, ctx: CheckContext) -> BackdatingEvidence:
    """The backdating check's judgement on every dated page, or why git could not judge."""
    if not site.config.site.ledger.valid:
        return BackdatingEvidence(False, note="site_config/site.yml 的台账设置（ledger）有误，"
                                              "请运行 scripts/mzpress check 查看修改方法。")
    findings = backdating_check(site, ctx)
    blocked = [f for f in findings if f.rule in NOT_JUDGED_RULES]
    if blocked:
        first = blocked[0]
        fix = f"（修改方法：{first.suggestion}）" if first.suggestion else ""
        return BackdatingEvidence(False, note=f"{first.message}{fix}")
    backdated = [f for f in findings if f.rule == "ledger.backdated" and f.severity is Severity.ERROR]
    silenced = _exempted(site, backdated)
    note = ""
    start = site.config.site.ledger.start
    for finding in findings:
        count = _IMPORTED_COUNT.match(finding.message) if finding.rule == "ledger.imported" else None
        if count and start is not None:
            note = (f"{count.group(1)}个页面首次提交在台账起点（site.yml 的 ledger.start：{start.describe()}）"
                    "当时或之前，属于从旧网站迁移的内容，不做倒填检查。")
    return BackdatingEvidence(
        True, tuple((f.location, _first_sentence(f.message)) for f in backdated if f not in silenced), note)


def _content_notes(findings: list[Finding]) -> list[str]:
    errors = [f for f in findings if f.severity is Severity.ERROR]
    if not errors:
        return []
    files = {f.file for f in errors}
    return [f"读取内容时发现{len(errors)}个错误（涉及{len(files)}个文件）。有错误的页面不会发布，"
            "而且有错误时网站构建会停止，首页和各栏目都不会更新：请运行 scripts/mzpress check 查看并修改。"]


def pending_takedowns(root: Path) -> list[PendingTakedown]:
    """The emergency take-downs on the main line (commits signed 应急 that ``review-check`` passes as such)
    whose 三审 still awaits after-the-fact approvals; [] without a usable git repository."""
    try:
        ledger = Ledger(root)
        shas = ledger.git_text("rev-list", "--first-parent", "-F", f"--grep={STAGE_TRAILER}: {EMERGENCY_STAGE}",
                               "HEAD").split()
    except (LedgerUnavailable, git.GitCommandError):  # no history to judge: no such row
        return []
    result = []
    for sha in shas:
        try:
            verdict = review_commit(root, sha)
        except (ReviewCheckError, FindingsError, git.GitCommandError):  # not judged: not flagged here
            continue
        if not verdict.emergency or not verdict.awaiting_review:
            continue
        commit = ledger.repo.commit(sha)
        result.append(PendingTakedown(sha[:10], commit.summary, commit.committed_datetime,
                                      tuple(r.label for r in verdict.awaiting_review)))
    return result


def inspect_project(root: Path, at: dt.datetime, warn_days: int | None = None, url: str | None = None,
                    fetch: Fetch = fetch_url) -> Inspection:
    """The self-inspection of the project at ``root`` at the moment ``at``.

    Raises FindingsError for configuration errors (the command's exit code 2).
    """
    root = Path(root)
    config, config_findings = load_config(root)
    config_errors = [f for f in config_findings if f.severity is Severity.ERROR]
    if config_errors:
        raise FindingsError(config_errors)
    site, findings = load_site(root, at, config, config_findings)
    ctx = CheckContext(root=root, config=config)
    probe = probe_site(url, config.site.footer, fetch) if url else None
    return evaluate(site, link_problems(site), backdating_evidence(site, ctx), probe, warn_days,
                    _content_notes(findings), pending_takedowns(root))
