"""Site check ``adoptions.future``: an adoption (``adopted_by``) dated after the check time.

The front-matter schema checks every ``adopted_by`` entry on its own (the outlet exists, the date
is not before the story's date, the kind, the address); whether a date is still to come depends on
when the check runs (``mzpress check --build-date``, the build's ``MZPRESS_BUILD_DATE``), so it is
judged here, against ``Site.now``. A recorded adoption has happened: a later date is a typo.
"""

from __future__ import annotations

from mzpress.model.findings import Finding, error


def check_adoption_dates(site, ctx) -> list[Finding]:
    """Every adoption whose date is after the day of the check."""
    today = site.now.date()
    findings = []
    for page in site.pages:
        for adoption in page.values.get("adopted_by") or ():
            if adoption.date > today:
                findings.append(error(
                    "adoptions.future", page.relpath, adoption.line,
                    f"录用日期{adoption.date:%Y-%m-%d}还没有到（今天是{today:%Y-%m-%d}），录用记录只能记已经录用的稿件。",
                    "核对录用日期（年份、月份是否写错）；还没有录用的稿件不要写 adopted_by。"))
    return findings
