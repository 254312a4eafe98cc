"""``site.yml: mourning:`` periods that cannot take effect: already over, or ending before they start."""

from __future__ import annotations

from mzpress.model.findings import Finding, warning

SITE_FILE = "site_config/site.yml"


def check_mourning_periods(site, ctx) -> list[Finding]:
    """A warning for each mourning period that is over at the time of the check or ends before it starts."""
    findings = []
    for period in site.config.site.mourning:
        if period.end < period.start:
            findings.append(warning(
                "config.mourning", SITE_FILE, period.line,
                f"置灰时段“{period.reason}”的结束时间（{period.end:%Y-%m-%d %H:%M}）早于开始时间"
                f"（{period.start:%Y-%m-%d %H:%M}），网站不会置灰。",
                "核对开始和结束时间（年份、月份是否写反）。"))
        elif period.end < site.now:
            findings.append(warning(
                "config.mourning", SITE_FILE, period.line,
                f"置灰时段“{period.reason}”已于{period.end:%Y-%m-%d %H:%M}结束。",
                "哀悼日过后请删除这一项，以免日后误以为仍在执行。"))
    return findings
