"""Generated listing pages, the lists shown on topic, campaign and home pages, and the per-page
context templates show (related stories, prev/next).

Everything here is pure and engine-neutral: it turns a :class:`Site` into plain data (dicts,
lists, strings, numbers) with links relative to the page that shows them, and the theme's
templates turn that data into HTML (``overrides/partials/mzpress/``: ``listing.html``,
``item.html``, ``pagination.html``, ``topic-grid.html``, ``home.html``), so a site can change
the markup by overriding a template. No HTML is written here. Page sizes never depend on the
number of stories beyond the configured page size.

A listing (what ``listing.html`` renders)::

    {"kind": "archive" | "year" | "notices" | "responses" | "bulletins" | "campaigns" | "topics" | "topic" | "members",
     "title": str,               # the page's title, or the heading of a list on an authored page
     "heading_id": str | None,   # set: the list opens with <h2 id=heading_id>title</h2>
     "items": [item, ...],       # see _item
     "topics": [cell, ...] | None,   # the topics index: a grid of topics instead of items
     "years": [{"year", "url", "count"}] | None,   # the story archive's first page: links to years
     "pagination": {"current", "total", "prev_url", "next_url", "pages": [{"number", "url", "current"}]},
     "empty_text": str}
"""

from __future__ import annotations

import datetime as dt
import html
from dataclasses import dataclass, field
from typing import Any

from mzpress.model.addresses import (
    BULLETINS_INDEX,
    CAMPAIGNS_INDEX,
    HOME,
    NOTICES_INDEX,
    RESPONSES_INDEX,
    SEARCH,
    SITEMAP,
    STORY_ARCHIVE,
    TOPICS_INDEX,
    listing_page_size,
    paged_src,
    paged_url,
    topic_listing_base,
)
from mzpress.model.content import Page, Site, page_url, relative_url
from mzpress.publishing.breadcrumbs import places, trail
from mzpress.publishing.feeds import feed_links
from mzpress.publishing.full_text_index import FOLDER as FULL_TEXT_FOLDER
from mzpress.publishing.site_pages import SUBSCRIBE

RELATED_COUNT = 5
# The ids of the headings that open the lists on authored pages (links and the templates use them).
TOPIC_STORIES_ID = "mz-topic-stories"
CAMPAIGN_MEMBERS_ID = "mz-campaign-members"
# A notice's status -> the modifier of its badge's CSS class (mz-status-open, ...).
NOTICE_STATUS_KEYS = {"公示中": "open", "未开始": "upcoming", "已结束": "closed"}
# The titles of the generated sections' index pages (the bulletins' is the bulletin's name, from site.yml).
STORY_ARCHIVE_TITLE, NOTICES_TITLE, CAMPAIGNS_TITLE, TOPICS_TITLE = "民政故事", "通知公告", "专题活动", "文化专题"
RESPONSES_TITLE = "回应关切"  # the column's name in the national website guideline (情况通报 are its pages)


@dataclass
class GeneratedPage:
    """A virtual page: its source path, title and what its templates render (``mz_listing`` or ``mz_home``)."""

    src: str
    title: str
    meta: dict[str, Any] = field(default_factory=dict)

    @property
    def url(self) -> str:
        return page_url(self.src)

    @property
    def markdown(self) -> str:
        """The page's own Markdown: its title as the heading (the templates add the list under it)."""
        return f"# {html.escape(self.title, quote=True)}\n"

    @property
    def listing(self) -> dict[str, Any] | None:
        return self.meta.get("mz_listing")


def day(value: dt.datetime | dt.date | None) -> str:
    return value.strftime("%Y-%m-%d") if value else ""


def minute(value: dt.datetime | None) -> str:
    return value.strftime("%Y-%m-%d %H:%M") if value else ""


def _iso(value: dt.datetime | dt.date | None) -> str:
    return value.isoformat() if value else ""


def _item(page: Page, here: str, extra: dict[str, Any] | None = None) -> dict[str, Any]:
    """One entry of a list, linked relative to ``here`` (the URL of the page showing it); with a cover photo, its
    ``thumbnail`` {src} (the adapter adds the size and renditions of a published image, and only those show)."""
    item = {
        "title": page.title,
        "url": relative_url(here, page.url),
        "date": day(page.date),
        "date_iso": _iso(page.date),
        "unit": page.unit.name if page.unit else "",
        "summary": page.summary or "",
        "extra": extra or {},
    }
    cover = page.values.get("cover")
    if cover:
        item["thumbnail"] = {"src": relative_url(here, page.asset_src(cover))}
    return item


def notice_extra(page: Page, now: dt.datetime) -> dict[str, Any]:
    """A notice's status badge and publicity period, as the notices listing shows them."""
    status = page.notice_status(now)
    return {"status": status, "status_key": NOTICE_STATUS_KEYS[status],
            "period": {"start": day(page.values.get("start")), "end": day(page.values.get("end"))}}


def response_item(page: Page, here: str) -> dict[str, Any]:
    """A response (回应关切) in a list: like any entry, but its source is the issuing office (发布机关), which
    a 情况通报 is published under, rather than the unit (股室) that wrote it."""
    return {**_item(page, here), "unit": page.issuer}


def pinned_item(page: Page, here: str) -> dict[str, Any]:
    """A response pinned on the home page (``partials/mzpress/pinned.html``): its 发布机关 and time to the minute."""
    return {**response_item(page, here), "issuer": page.issuer, "time": minute(page.date)}


def _campaign_extra(page: Page, now: dt.datetime) -> dict[str, Any]:
    return {"status": page.campaign_status(now)}


def _pagination(base_src: str, number: int, total: int, here: str) -> dict[str, Any]:
    """Page ``number`` of ``total``: previous/next and the page numbers around it (three either side)."""

    def url(n: int) -> str:
        return relative_url(here, paged_url(base_src, n))

    return {
        "current": number,
        "total": total,
        "prev_url": url(number - 1) if number > 1 else None,
        "next_url": url(number + 1) if number < total else None,
        "pages": [{"number": n, "url": url(n), "current": n == number}
                  for n in range(max(1, number - 3), min(total, number + 3) + 1)],
    }


def _listing(kind: str, title: str, items: list[dict[str, Any]], *, empty: str = "暂无内容。",
             heading_id: str | None = None, pagination: dict[str, Any] | None = None,
             years: list[dict[str, Any]] | None = None,
             topics: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    return {"kind": kind, "title": title, "heading_id": heading_id, "items": items, "topics": topics,
            "years": years, "empty_text": empty,
            "pagination": pagination or {"current": 1, "total": 1, "prev_url": None, "next_url": None,
                                         "pages": [{"number": 1, "url": "./", "current": True}]}}


def paginate(base_src: str, kind: str, title: str, pages: list[Page], site: Site, *, years=None,
             extra=None, empty: str = "暂无内容。", item=None) -> list[GeneratedPage]:
    """Split ``pages`` into listing pages of ``listing.page_size`` items.

    ``years(here)`` gives the year links of the first page (the story archive); ``extra(page)``
    what an item shows beside its date and unit (a notice's status, say); ``item(page, here)`` an entry
    other than ``_item``'s (a response under its 发布机关).
    """
    size = listing_page_size(site)
    chunks = [pages[i:i + size] for i in range(0, len(pages), size)] or [[]]
    result = []
    for number, chunk in enumerate(chunks, start=1):
        src = paged_src(base_src, number)
        here = src[: -len("index.md")]
        heading = title if number == 1 else f"{title}（第{number}页）"
        listing = _listing(
            kind, heading, [item(p, here) if item else _item(p, here, extra(p) if extra else None) for p in chunk],
            empty=empty,
            pagination=_pagination(base_src, number, len(chunks), here),
            years=years(here) if years and number == 1 else None)
        result.append(GeneratedPage(src, heading, {"mz_listing": listing}))
    return result


def topic_listing(site: Site, topic_id: str, topic_src: str) -> tuple[dict[str, Any], list[GeneratedPage]]:
    """The story list shown on a topic page (under its heading), and the list's further pages."""
    stories = site.stories_by_topic.get(topic_id, [])
    topic = site.config.topic_by_id[topic_id]
    base = topic_listing_base(topic_src)  # topics/xiaoxian/index.md, never written
    pages = paginate(base, "topic", f"{topic.name}相关稿件", stories, site, empty="这个专题还没有稿件。")
    # The first page lives on the topic page itself (topics/<id>.md), same URL as the base folder.
    first = dict(pages[0].listing, heading_id=TOPIC_STORIES_ID)
    return first, pages[1:]


def campaign_members(site: Site, campaign: Page) -> dict[str, Any]:
    """The candidates (a selection) or sessions of a campaign, listed on its page under a heading."""
    members = site.members_by_campaign.get(campaign.campaign_id, [])
    label = "候选对象" if campaign.values.get("kind") == "selection" else "活动场次"
    return _listing("members", label, [_item(m, campaign.url) for m in members], heading_id=CAMPAIGN_MEMBERS_ID)


def _story_card(story: Page, here: str) -> dict[str, Any]:
    cover = story.values.get("cover")
    return {
        **_item(story, here),
        "cover": {"src": relative_url(here, story.asset_src(cover)), "alt": story.values.get("cover_alt") or ""}
        if cover else None,
    }


def topic_grid(site: Site, here: str) -> list[dict[str, Any]]:
    """Every topic of site_config/topics.yml with its story count, linked relative to ``here``."""
    return [{"id": topic.id, "name": topic.name, "description": topic.description or "",
             "url": relative_url(here, f"topics/{topic.id}/"),
             "count": len(site.stories_by_topic.get(topic.id, []))}
            for topic in site.config.topics]


@dataclass(frozen=True)
class HomeLists:
    """The pages the home page lists: its newest information (the inspection's 首页更新 reads it)."""

    latest: list[Page]  # 最新动态: the newest stories
    notices: list[Page]  # 通知公告 (the column's name in the menu): those in their period first, then the newest
    campaigns: list[Page]  # 专题活动
    # 回应关切 pinned above everything else, newest first: every response within its ``pin_days``, however many
    # stories came after it (they are not counted against ``home_latest``).
    pinned: list[Page] = field(default_factory=list)

    @property
    def pages(self) -> list[Page]:
        return [*self.pinned, *self.latest, *self.notices, *self.campaigns]


def pinned_responses(site: Site) -> list[Page]:
    """The listed responses pinned at ``site.now`` (from their ``date`` for ``pin_days``), newest first."""
    return [page for page in site.responses if page.pinned(site.now)]


def home_lists(site: Site) -> HomeLists:
    count = site.config.site.listing.home_latest
    open_now = [n for n in site.notices if n.notice_status(site.now) == "公示中"]
    rest = [n for n in site.notices if n not in open_now]
    return HomeLists(site.stories[:count], (open_now + rest)[:max(count, len(open_now))], site.campaigns,
                     pinned_responses(site))


def home_sections(site: Site) -> dict[str, Any]:
    """The home page's sections (``home.html``): pinned responses (回应关切, ``pinned.html``), latest stories,
    open notices, campaigns, topics, quick links."""
    here = ""
    lists = home_lists(site)
    latest, notices = lists.latest, lists.notices
    links = site.config.site.quick_links

    def section(title: str, more: str, empty: str, **content) -> dict[str, Any]:
        return {"title": title, "more_url": relative_url(here, more), "empty_text": empty, **content}

    return {
        "pinned": section(RESPONSES_TITLE, "responses/", "", items=[pinned_item(r, here) for r in lists.pinned]),
        "latest": section("最新动态", "stories/", "暂无稿件。", cards=[_story_card(s, here) for s in latest]),
        "notices": section("通知公告", "notices/", "暂无公告。",
                           items=[_item(n, here, notice_extra(n, site.now)) for n in notices]),
        "campaigns": section("专题活动", "campaigns/", "暂无专题活动。",
                             items=[_item(c, here, _campaign_extra(c, site.now)) for c in lists.campaigns]),
        "topics": section("文化专题", "topics/", "", topics=topic_grid(site, here)),
        "quick_links": [{"name": link.name, "url": link.url} for link in links],
    }


def _years(site: Site, here: str) -> list[dict[str, Any]]:
    return [{"year": year, "url": relative_url(here, f"stories/{year}/"), "count": len(items)}
            for year, items in sorted(site.stories_by_year().items(), reverse=True)]


def section_titles(site: Site) -> dict[str, str]:
    """The generated sections' index pages, address -> title (the 当前位置 trail names them so)."""
    return {page_url(STORY_ARCHIVE): STORY_ARCHIVE_TITLE, page_url(NOTICES_INDEX): NOTICES_TITLE,
            page_url(RESPONSES_INDEX): RESPONSES_TITLE,
            page_url(BULLETINS_INDEX): site.config.site.bulletin_name, page_url(CAMPAIGNS_INDEX): CAMPAIGNS_TITLE,
            page_url(TOPICS_INDEX): TOPICS_TITLE}


def page_trail(site: Site, url: str, title: str, *, article: bool = False) -> dict[str, Any]:
    """当前位置 of the page at ``url`` (:mod:`mzpress.publishing.breadcrumbs`), through the site's columns."""
    return trail(places(site, section_titles(site)), url, title, article=article)


def generated_pages(site: Site) -> list[GeneratedPage]:
    """Every virtual page of the site (archives, indexes, further pages of topic lists), in the order
    of :func:`mzpress.model.addresses.generated_srcs`; each but the home page with its 当前位置 (``mz_trail``)."""
    pages: list[GeneratedPage] = []
    pages += paginate(STORY_ARCHIVE, "archive", STORY_ARCHIVE_TITLE, site.stories, site,
                      years=lambda here: _years(site, here), empty="暂无稿件。")
    for year, items in sorted(site.stories_by_year().items()):
        pages += paginate(f"stories/{year}/index.md", "year", f"{year}年民政故事", items, site)
    pages += paginate(NOTICES_INDEX, "notices", NOTICES_TITLE, site.notices, site,
                      extra=lambda n: notice_extra(n, site.now), empty="暂无公告。")
    pages += _response_pages(site)
    pages += paginate(BULLETINS_INDEX, "bulletins", site.config.site.bulletin_name, site.bulletins, site,
                      empty="暂无简报。")
    here = page_url(CAMPAIGNS_INDEX)
    campaigns = [_item(c, here, _campaign_extra(c, site.now)) for c in site.campaigns]
    pages.append(GeneratedPage(CAMPAIGNS_INDEX, CAMPAIGNS_TITLE, {"mz_listing": _listing(
        "campaigns", CAMPAIGNS_TITLE, campaigns, empty="暂无专题活动。")}))
    pages.append(GeneratedPage(TOPICS_INDEX, TOPICS_TITLE, {"mz_listing": _listing(
        "topics", TOPICS_TITLE, [], topics=topic_grid(site, page_url(TOPICS_INDEX)))}))
    for topic_id, topic_page in site.topic_pages.items():
        pages += topic_listing(site, topic_id, topic_page.src)[1]
    if HOME not in site.by_src:
        title = site.config.site.name or "首页"
        pages.append(GeneratedPage(HOME, title, {"mz_home": home_sections(site)}))
    pages.append(sitemap_page(site))
    pages.append(GeneratedPage(SEARCH, "站内搜索", {"mz_search": search_page()}))
    for page in pages:
        if page.src != HOME:
            page.meta["mz_trail"] = page_trail(site, page.url, page.title)
    return pages


def _response_pages(site: Site) -> list[GeneratedPage]:
    """回应关切's listing pages: every listed response, newest first, each under its 发布机关."""
    return paginate(RESPONSES_INDEX, "responses", RESPONSES_TITLE, site.responses, site, empty="暂无回应关切信息。",
                    item=response_item)


def sitemap_page(site: Site) -> GeneratedPage:
    """网站地图: every column of columns.yml, the campaigns and the site's own pages, grouped."""
    here = page_url(SITEMAP)

    def link(title: str, target: str) -> dict[str, str]:
        return {"title": title, "url": relative_url(here, target)}

    columns = [link(c.name, c.path) for c in site.config.columns]
    subscribe_page = site.by_src.get(SUBSCRIBE.src)
    subscribe_page = subscribe_page if subscribe_page in site.listed else None
    column_paths = {c.path for c in site.config.columns}
    topics = [link(t.name, f"topics/{t.id}/") for t in site.config.topics if f"topics/{t.id}/" not in column_paths]
    groups = [
        {"title": "首页和栏目", "links": [link("首页", ""), *columns, *topics]},
        {"title": "专题活动", "links": [link(c.title, c.url) for c in site.campaigns]},
        {"title": "本站信息", "links": [link(p.title, p.url) for p in sorted(site.listed, key=lambda p: p.src)
                                     if p.kind == "page" and p.src != HOME]},
        {"title": "订阅", "links": [*([link(SUBSCRIBE.name, SUBSCRIBE.url)] if subscribe_page else []),
                                  *(link(f"{feed_title}（订阅地址）", path) for feed_title, path in _feeds(site))]},
    ]
    listing = _listing("sitemap", "网站地图", [], empty="暂无栏目。")
    listing["groups"] = [group for group in groups if group["links"]]
    return GeneratedPage(SITEMAP, "网站地图", {"mz_listing": listing})


def search_page() -> dict[str, str]:
    """What the search page's template needs, relative to the page: the folder of the search index (written by
    the build, :mod:`mzpress.publishing.full_text_index`) and the site root its results' addresses start from."""
    here = page_url(SEARCH)
    return {"index": relative_url(here, FULL_TEXT_FOLDER + "/"), "root": relative_url(here, "")}


def _feeds(site: Site) -> list[tuple[str, str]]:
    site_wide, per_topic = feed_links(site.config)
    return [(feed["title"], feed["path"]) for feed in [*site_wide, *per_topic.values()]]


class StoryNeighbours:
    """Related stories and previous/next within a topic, computed once for the whole site."""

    def __init__(self, site: Site):
        self.site = site
        self._position = {
            topic_id: {id(story): index for index, story in enumerate(stories)}
            for topic_id, stories in site.stories_by_topic.items()
        }

    def related(self, story: Page) -> list[Page]:
        if not story.topics:
            return []
        topic_id = story.topics[0].id
        stories = self.site.stories_by_topic[topic_id]
        index = self._position[topic_id].get(id(story))
        if index is None:
            return stories[:RELATED_COUNT]
        window = stories[max(0, index - RELATED_COUNT): index + RELATED_COUNT + 1]
        others = [s for s in window if s is not story]
        others.sort(key=lambda s: abs(self._position[topic_id][id(s)] - index))
        nearest = others[:RELATED_COUNT]
        return sorted(nearest, key=lambda s: self._position[topic_id][id(s)])  # shown newest first

    def previous_next(self, story: Page) -> tuple[Page | None, Page | None]:
        """Older and newer story in the story's first topic (lists are newest first)."""
        if not story.topics:
            return None, None
        topic_id = story.topics[0].id
        stories = self.site.stories_by_topic[topic_id]
        index = self._position[topic_id].get(id(story))
        if index is None:
            return None, None
        older = stories[index + 1] if index + 1 < len(stories) else None
        newer = stories[index - 1] if index > 0 else None
        return older, newer
