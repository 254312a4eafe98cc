"""首次发布 / 最后更新 for every page, from the git ledger ("Updates to this page").

One ``git log`` pass over the main line for the whole site (shared with the
backdating check through the check context). The first publication is the page's
``date`` unless it reached the main line later than that (then the merge time); a
page imported from the old site keeps its ``date``. Without git history (a tarball,
a shallow clone, a page not merged yet) there is no record and the page shows only
its ``changes:`` notes.
"""

from __future__ import annotations

import datetime as dt

import git

from mzpress.checks.backdating import backdating_judge
from mzpress.checks.context import CheckContext
from mzpress.history.ledger import (
    BackdatingJudge,
    Ledger,
    LedgerConfigError,
    LedgerUnavailable,
    PathDates,
)
from mzpress.model.content import DATED_KINDS, Site

Record = tuple[dt.datetime, dt.datetime]


def _spans(site: Site, ctx: CheckContext) -> tuple[dict[str, PathDates], BackdatingJudge] | None:
    """The main-line spans and the ledger judgement, or None without usable history.

    A ``ledger.start`` the repository lacks is reported by the backdating check (config.ledger).
    """
    settings = site.config.site.ledger
    if not settings.valid:
        return None
    try:
        ledger = ctx.memo("ledger", lambda: Ledger(ctx.root))
        if ledger.shallow:
            return None
        spans = ctx.memo("ledger.first_and_last", lambda: ledger.first_and_last(
            [p.relpath for p in site.pages if p.kind in DATED_KINDS]))
        judge = backdating_judge(ctx, ledger, settings)
    except (LedgerUnavailable, LedgerConfigError, git.GitCommandError):
        return None
    return spans, judge


def publication_records(site: Site, ctx: CheckContext) -> dict[str, Record]:
    """relpath -> (first published, last updated) for the published dated pages with git history.

    "Last updated" equals "first published" when nothing changed after the publication.
    """
    found = _spans(site, ctx)
    if found is None:
        return {}
    spans, judge = found
    records: dict[str, Record] = {}
    for page in site.published:
        span = spans.get(page.relpath)
        if page.kind not in DATED_KINDS or page.date is None or span is None:
            continue
        imported = judge.is_imported(span)
        first = page.date if imported else max(page.date, span.first.astimezone(page.date.tzinfo))
        last_change = PathDates(span.last, span.last, span.last_commit, span.last_commit)
        untouched = judge.is_imported(last_change)  # since the import: the import commit is not an update
        last = first if untouched else max(first, span.last.astimezone(page.date.tzinfo))
        records[page.relpath] = (first, last)
    return records
