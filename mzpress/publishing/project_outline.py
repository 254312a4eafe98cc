"""Gathering the half-year outline of a project: git's record of the period and the self-inspection at its end.

The information report is made first (``mzpress report``'s own figures); this adds what
:func:`mzpress.history.period_record.read_period_record` reads and runs ``mzpress inspect``'s
evaluation (:func:`mzpress.publishing.project_inspection.inspect_project`) as of the period's end on
the site as it was committed then: the last main-line commit of the period, checked out in a
temporary clone (:func:`mzpress.history.period_record.snapshot`) so the backdating check sees the
history up to that commit and nothing after it. When that clone cannot be made or its configuration
has errors, the inspection runs on the current files at the same moment and the outline says so.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from mzpress.history.ledger import LedgerUnavailable
from mzpress.history.period_record import SnapshotUnavailable, read_period_record, snapshot
from mzpress.model.config import SiteConfig
from mzpress.model.findings import FindingsError
from mzpress.publishing.half_year_outline import (
    CURRENT,
    NOT_INSPECTED,
    PERIOD_END,
    InspectionSummary,
    Outline,
    build_outline,
    inspection_summary,
)
from mzpress.publishing.information_report import InformationReport
from mzpress.publishing.project_inspection import inspect_project


def _findings_text(exc: FindingsError) -> str:
    first = exc.findings[0]
    where = f"{first.file}:{first.line}" if first.line else first.file
    return f"{where}：{first.message}"


def period_end_inspection(root: Path, commit: str | None, moment: dt.datetime) -> InspectionSummary:
    """``mzpress inspect`` at ``moment`` on the project as committed in ``commit``, else on the current files."""
    reason = "期末之前主线上还没有提交"
    if commit is not None:
        try:
            with snapshot(root, commit) as project:
                return inspection_summary(inspect_project(project, moment), PERIOD_END, commit)
        except SnapshotUnavailable as exc:
            reason = str(exc).rstrip("。")
        except FindingsError as exc:
            reason = f"期末版本的网站配置有错误（{_findings_text(exc)}）"
        except LedgerUnavailable as exc:
            reason = str(exc).rstrip("。")
    note = f"未能按期末主线上的网站版本自查：{reason}。下面按现在的网站文件、以期末为检查时间自查，结果只能作参考。"
    try:
        return inspection_summary(inspect_project(root, moment), CURRENT, note=note)
    except FindingsError as exc:
        return InspectionSummary(NOT_INSPECTED, moment,
                                 note=f"{reason}；现在的网站配置也有错误（{_findings_text(exc)}），请先运行 mzpress check 修改。")


def project_outline(root: Path | str, config: SiteConfig, report: InformationReport) -> Outline:
    """The outline of ``report``'s period as of ``report.at``. Raises ``LedgerUnavailable`` without a
    usable repository and ``git.GitCommandError`` when git fails (as ``mzpress report`` does)."""
    root = Path(root)
    period, at = report.period, report.at
    end = period.end if at >= period.end else at + dt.timedelta(microseconds=1)  # commits up to ``at``
    record = read_period_record(root, period.start, end)
    moment = min(at, period.end - dt.timedelta(seconds=1))
    inspection = period_end_inspection(root, record.last.sha if record.last else None, moment)
    return build_outline(report, config, record, inspection)
