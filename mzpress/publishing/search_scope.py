"""How much of each page goes into Material's search index (``search/search_index.json``).

The site's own search is its n-gram index (mzpress/publishing/full_text_index.py): every published story in full
text, fetched piece by piece. Material's search plugin remains the baseline ``scripts/bench --search``
measures it against (a site that lists ``- search`` under ``plugins:`` in mkdocs.yml gets it), and this
module bounds its index as before.

Material's client-side search downloads one index file of every indexed word. With
full text for a ten-year archive that file grows to many megabytes, which elderly
readers on rural mobile connections would pay for on their first visit. So the
newest stories (``site.yml`` ``search.full_text_latest``, default 300) and every
other page are indexed in full; older stories by title, summary and tags, which is
what people search an archive for. Bulletins only by title and summary: their text is
their stories' text, which the stories themselves bring to the index.
"""

from __future__ import annotations

from mzpress.model.content import Page, Site
from mzpress.model.site_settings import DEFAULT_FULL_TEXT_LATEST as DEFAULT_FULL_TEXT_LATEST


def full_text_latest(site: Site) -> int:
    """How many of the newest stories are indexed in full (``search.full_text_latest``, checked by load_config)."""
    return site.config.site.search.full_text_latest


def summary_only(site: Site, latest: int) -> dict[str, str]:
    """src -> the text indexed instead of the full text (summary and tags), for older stories."""
    summaries = {story.src: _summary_text(story) for story in site.stories[latest:]}
    summaries.update({bulletin.src: bulletin.summary for bulletin in site.bulletins})
    return summaries


def _summary_text(story: Page) -> str:
    tags = story.values.get("tags") or []
    return "　".join(part for part in (story.summary, " ".join(tags)) if part)
