"""Site check ``ledger.backdated``: a publish date earlier than the page reached the main line (倒填发稿日期)."""

from __future__ import annotations

import git

from mzpress.history.ledger import (
    BackdatingJudge,
    DatedPage,
    Ledger,
    LedgerConfigError,
    LedgerUnavailable,
    describe_duration,
    first_line,
    format_time,
)
from mzpress.model.content import DATED_KINDS
from mzpress.model.findings import Finding, Severity, error
from mzpress.model.ledger_settings import LedgerSettings

SITE_YML = "site_config/site.yml"


def backdating_judge(ctx, ledger: Ledger, settings: LedgerSettings) -> BackdatingJudge:
    """The judgement for this run, shared through the check context with the publication record.

    Raises LedgerConfigError when ``ledger.start`` names a commit this repository lacks.
    """
    return ctx.memo("ledger.judge", lambda: BackdatingJudge.resolve(settings, ledger))


def backdating_check(site, ctx) -> list[Finding]:
    """Site check ``ledger.backdated``: publish dates earlier than the page reached the main line."""
    settings = site.config.site.ledger
    if not settings.valid:
        return []  # load_config reported the ledger settings; no judgement on guessed ones
    findings: list[Finding] = []
    pages = [DatedPage(p.relpath, p.date, p.line_of("date"))
             for p in site.pages if p.kind in DATED_KINDS and p.date is not None and not p.draft]
    if not pages:
        return findings
    try:
        ledger = ctx.memo("ledger", lambda: Ledger(ctx.root))
    except LedgerUnavailable as exc:
        return findings + [Finding("ledger.unavailable", Severity.INFO, "", None, None,
                                   f"{exc}已跳过发稿日期倒填检查。",
                                   "在完整克隆的 git 仓库中运行 scripts/mzpress check。")]
    if ledger.shallow:
        return findings + [Finding(
            "ledger.shallow", Severity.INFO, "", None, None,
            "这是浅克隆（只取回了最近的提交），看不到页面首次发布的时间，已跳过发稿日期倒填检查。",
            "CI 中检出代码时设置 fetch-depth: 0；本地可运行 git fetch --unshallow。")]
    try:
        judge = backdating_judge(ctx, ledger, settings)
    except LedgerConfigError as exc:
        return findings + [error("config.ledger", SITE_YML, settings.start_line, str(exc),
                                 "写成迁移截止的日期（如2026-12-01）或迁移提交的编号。")]
    try:
        spans = ctx.memo("ledger.first_and_last", lambda: ledger.first_and_last(
            [p.relpath for p in site.pages if p.kind in DATED_KINDS]))
    except git.GitCommandError as exc:
        return findings + [Finding("ledger.unavailable", Severity.INFO, "", None, None,
                                   f"读取 git 历史失败（{first_line(exc.stderr)}），已跳过发稿日期倒填检查。",
                                   "在完整克隆的 git 仓库中运行 scripts/mzpress check。")]
    report = judge.judge(pages, spans)
    hours = f"{judge.tolerance_hours:g}"
    for item in report.backdated:
        earliest = judge.earliest_date(item.span)
        findings.append(error(
            "ledger.backdated", item.page.relpath, item.page.line,
            f"发布时间 {format_time(item.page.date)} 比本页首次合并到主线的时间 {format_time(item.span.first)}"
            f"（提交 {item.span.first_commit[:10]}）早{describe_duration(item.hours_early)}，超过允许的{hours}小时。"
            "倒填发稿日期（伪造发稿日期）在政府网站检查中属于单项否决。",
            f"把 date 改成实际发布的时间（不早于 {format_time(earliest)}），活动发生的日期写在正文里。"
            f"如果本页确实是从旧网站迁移的内容，请管理员在 {SITE_YML} 的 ledger.start 中登记迁移截止点。"
            f"运行 scripts/mzpress history {item.page.relpath} 可查看提交记录。"))
    start = settings.start
    if report.imported and start is not None:
        findings.append(Finding(
            "ledger.imported", Severity.INFO, SITE_YML, settings.start_line, None,
            f"{len(report.imported)}个页面首次提交在台账起点（ledger.start: {start.describe()}）当时或之前，"
            "视为从旧网站迁移的内容，不做发稿日期倒填检查。",
            "运行 scripts/mzpress history 文件名 可查看某个页面是否属于迁移内容。"))
    return findings
