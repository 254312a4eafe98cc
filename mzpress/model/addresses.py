"""The addresses a site has: authored pages, generated listings (and their further pages), redirect targets.

Pure and cheap: listings, link checks and redirects all ask this module which addresses exist,
so a check and the build agree without either rendering a listing.
"""

from __future__ import annotations

import posixpath
from urllib.parse import urlsplit

from mzpress.model.content import Page, Site, page_url
from mzpress.model.yaml_source import LineDict

REDIRECT_HELP = ("redirect 写网站内另一页的文件路径（如 stories/2025/xin-gaojian.md）"
                 "或网址路径（如 /stories/2025/xin-gaojian/、/notices/）。")

STORY_ARCHIVE = "stories/index.md"
NOTICES_INDEX = "notices/index.md"
RESPONSES_INDEX = "responses/index.md"  # 回应关切
CAMPAIGNS_INDEX = "campaigns/index.md"
TOPICS_INDEX = "topics/index.md"
BULLETINS_INDEX = "bulletins/index.md"
HOME = "index.md"
SITEMAP = "sitemap/index.md"  # 网站地图, generated from the columns
SEARCH = "search/index.md"  # 站内搜索: the search page (its index is written by the build, see publishing/full_text_index.py)


def paged_src(base_src: str, number: int) -> str:
    """``stories/2025/index.md`` page 3 -> ``stories/2025/page/3/index.md``."""
    if number == 1:
        return base_src
    folder = base_src[: -len("index.md")]
    return f"{folder}page/{number}/index.md"


def paged_url(base_src: str, number: int) -> str:
    return paged_src(base_src, number)[: -len("index.md")]


def listing_srcs(site: Site) -> set[str]:
    """The first pages of every generated listing (what authored pages may link to), cheaply."""
    srcs = {STORY_ARCHIVE, NOTICES_INDEX, RESPONSES_INDEX, CAMPAIGNS_INDEX, TOPICS_INDEX, BULLETINS_INDEX, HOME}
    return srcs | {f"stories/{year}/index.md" for year in site.stories_by_year()}


def listing_page_size(site: Site) -> int:
    return site.config.site.listing.page_size


def page_count(items: int, size: int) -> int:
    """How many listing pages ``items`` entries fill (an empty listing still has its first page)."""
    return max(1, -(-items // size))


def paged_srcs(base_src: str, items: int, size: int) -> list[str]:
    return [paged_src(base_src, n) for n in range(1, page_count(items, size) + 1)]


def topic_listing_base(topic_src: str) -> str:
    """``topics/xiaoxian.md`` -> ``topics/xiaoxian/index.md``: its first page is the topic page itself."""
    return topic_src[: -len(".md")] + "/index.md"


def generated_srcs(site: Site) -> list[str]:
    """Every virtual page the build generates (the sources of :func:`mzpress.publishing.listings.generated_pages`)."""
    size = listing_page_size(site)
    srcs = paged_srcs(STORY_ARCHIVE, len(site.stories), size)
    for year, items in sorted(site.stories_by_year().items()):
        srcs += paged_srcs(f"stories/{year}/index.md", len(items), size)
    srcs += paged_srcs(NOTICES_INDEX, len(site.notices), size)
    srcs += paged_srcs(RESPONSES_INDEX, len(site.responses), size)
    srcs += paged_srcs(BULLETINS_INDEX, len(site.bulletins), size)
    srcs += [CAMPAIGNS_INDEX, TOPICS_INDEX]
    for topic_id, topic_page in site.topic_pages.items():
        srcs += paged_srcs(topic_listing_base(topic_page.src), len(site.stories_by_topic.get(topic_id, [])), size)[1:]
    if HOME not in site.by_src:
        srcs.append(HOME)
    srcs += [SITEMAP, SEARCH]
    return srcs


# --- redirect targets ----------------------------------------------------------------------

def _withdrawn_meta(page: Page) -> LineDict | None:
    raw = page.meta.get("withdrawn") if page.meta is not None else None
    return raw if isinstance(raw, LineDict) else None


def redirect_line(page: Page) -> int | None:
    """The line of ``redirect:`` inside ``withdrawn:`` (or of ``withdrawn:`` itself)."""
    raw = _withdrawn_meta(page)
    if raw is not None and "redirect" in raw:
        return raw.line_of("redirect")
    return page.line_of("withdrawn")


class RedirectTargets:
    """Addresses a redirect may point at: published pages, generated listings, files under content/."""

    def __init__(self, site: Site):
        self.site = site
        self.pages = {p.url: p for p in site.published}
        self._generated: set[str] | None = None

    @property
    def generated(self) -> set[str]:
        if self._generated is None:  # computed only when a redirect names a listing address
            self._generated = {page_url(src) for src in generated_srcs(self.site)}
        return self._generated

    def resolve(self, src: str, value: str) -> str | None:
        """The target's URL relative to the site root ("" is the home page), or None if it does not exist."""
        value = value.strip()
        try:
            parts = urlsplit(value)
        except ValueError:  # an invalid host ("https://a.]b/"): not a page of this site
            return None
        if parts.scheme or parts.netloc:
            own = urlsplit(self.site.config.site.url)
            if (parts.scheme, parts.netloc) != (own.scheme, own.netloc):
                return None
            value = parts.path
        if value.endswith(".md"):
            for candidate in (value.removeprefix("/").removeprefix("content/"),
                              posixpath.normpath(posixpath.join(posixpath.dirname(src), value))):
                if self.site.publishes(candidate):
                    return self.site.page_at(candidate).url
            return None
        path = urlsplit(value).path.strip("/")
        if path in self.site.files:  # an attachment, e.g. /notices/2025/files/x.pdf
            return path
        url = path + "/" if path else ""
        if url.endswith("index.html/"):
            url = url[: -len("index.html/")]
        if url in self.pages or url in self.generated or any(self.site.publishes(c) for c in sources_of_url(url)):
            return url
        return None


def sources_of_url(url: str) -> tuple[str, ...]:
    """The Markdown sources (relative to content/) that MkDocs would build at ``url``."""
    if not url:
        return ("index.md",)
    stem = url.rstrip("/")
    return (f"{stem}.md", f"{stem}/index.md")


def resolve_redirect(site: Site, src: str, value: str) -> str | None:
    """Where ``redirect: value`` written in ``src`` leads (URL relative to the site root), None if nowhere."""
    return RedirectTargets(site).resolve(src, value)


def unpublished(site: Site) -> list[Page]:
    """Pages that would be public but are unpublished: not drafts, not scheduled, withdrawn with unpublish
    or past their ``unpublish_at``."""
    return [p for p in site.pages
            if p.taken_down(site.now) and not p.draft and (p.date is None or p.date <= site.now)]
