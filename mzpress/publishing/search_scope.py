"""How much of each page goes into the site's search index.

Material's client-side search downloads one index file of every indexed word. With
full text for a ten-year archive that file grows to many megabytes, which elderly
readers on rural mobile connections would pay for on their first visit. So the
newest stories (``site.yml`` ``search.full_text_latest``, default 300) and every
other page are indexed in full; older stories by title, summary and tags, which is
what people search an archive for.
"""

from __future__ import annotations

from mzpress.model.content import Page, Site
from mzpress.model.findings import Finding, error

DEFAULT_FULL_TEXT_LATEST = 300


def full_text_latest(site: Site) -> tuple[int, list[Finding]]:
    """The configured number of newest stories indexed in full, and a finding when it is invalid."""
    section = site.config.site.get("search") or {}
    value = section.get("full_text_latest", DEFAULT_FULL_TEXT_LATEST) if isinstance(section, dict) else None
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        line = section.line_of("full_text_latest") if hasattr(section, "line_of") else None
        return DEFAULT_FULL_TEXT_LATEST, [error(
            "config.search", "site_config/site.yml", line,
            f"search.full_text_latest 应当是不小于 0 的整数（全文进入搜索的最新稿件篇数），现在是“{value}”。",
            f"例如 full_text_latest: {DEFAULT_FULL_TEXT_LATEST}")]
    return value, []


def summary_only(site: Site, latest: int) -> dict[str, str]:
    """src -> the text indexed instead of the full text (summary and tags), for older stories."""
    return {story.src: _summary_text(story) for story in site.stories[latest:]}


def _summary_text(story: Page) -> str:
    tags = story.values.get("tags") or []
    return "　".join(part for part in (story.summary, " ".join(tags)) if part)
