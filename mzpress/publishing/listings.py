"""Generated listing pages and the per-page context templates show (related stories, prev/next).

Everything here is pure: it turns a :class:`Site` into Markdown (with small HTML
blocks) for virtual pages, with links relative to each generated page, so any
engine that renders Markdown can serve them. Page sizes never depend on the
number of stories beyond the configured page size.
"""

from __future__ import annotations

import datetime as dt
import html
from dataclasses import dataclass, field
from typing import Any

from mzpress.model.addresses import (
    CAMPAIGNS_INDEX,
    HOME,
    NOTICES_INDEX,
    STORY_ARCHIVE,
    TOPICS_INDEX,
    listing_page_size,
    paged_src,
    paged_url,
    topic_listing_base,
)
from mzpress.model.content import Page, Site, page_url, relative_url

RELATED_COUNT = 5


@dataclass
class GeneratedPage:
    src: str
    title: str
    body: str
    meta: dict[str, Any] = field(default_factory=dict)

    @property
    def url(self) -> str:
        return page_url(self.src)

    @property
    def markdown(self) -> str:
        return f"# {esc(self.title)}\n\n{self.body}"


def esc(text: Any) -> str:
    return html.escape(str(text), quote=True)


def day(value: dt.datetime | dt.date | None) -> str:
    return value.strftime("%Y-%m-%d") if value else ""


def minute(value: dt.datetime | None) -> str:
    return value.strftime("%Y-%m-%d %H:%M") if value else ""


def _time(value: dt.datetime | dt.date | None) -> str:
    if not value:
        return ""
    return f'<time datetime="{esc(value.isoformat())}">{day(value)}</time>'


def _item(page: Page, here: str, site: Site, extra: str = "") -> str:
    href = relative_url(here, page.url)
    unit = f'<span class="mz-item-unit">{esc(page.unit.name)}</span>' if page.unit else ""
    summary = f'<p class="mz-item-summary">{esc(page.summary)}</p>' if page.summary else ""
    return (f'<li class="mz-item"><a class="mz-item-title" href="{esc(href)}">{esc(page.title)}</a>'
            f'<span class="mz-item-meta">{_time(page.date)}{unit}{extra}</span>{summary}</li>')


def _list(items: list[str], css: str = "mz-list", empty: str = "暂无内容。") -> str:
    if not items:
        return f'<p class="mz-empty">{esc(empty)}</p>'
    return f'<ul class="{css}">' + "".join(items) + "</ul>"


def _block(inner: str, css: str) -> str:
    """A raw HTML block Markdown passes through untouched (blank lines around, none inside)."""
    return f'\n\n<div class="{css}">{inner}</div>\n\n'


def notice_badge(page: Page, now: dt.datetime) -> str:
    status = page.notice_status(now)
    css = {"公示中": "mz-status-open", "未开始": "mz-status-upcoming", "已结束": "mz-status-closed"}[status]
    period = f'公示期 {day(page.values.get("start"))} 至 {day(page.values.get("end"))}'
    return f'<span class="mz-status {css}">{status}</span><span class="mz-period">{esc(period)}</span>'


def _pagination(base_src: str, number: int, total: int, here: str) -> str:
    if total <= 1:
        return ""

    def url(n: int) -> str:
        return relative_url(here, paged_url(base_src, n))

    links = []
    if number > 1:
        links.append(f'<a class="mz-page-prev" href="{esc(url(number - 1))}" rel="prev">上一页</a>')
    for n in range(max(1, number - 3), min(total, number + 3) + 1):
        if n == number:
            links.append(f'<span class="mz-page-current" aria-current="page">{n}</span>')
        else:
            links.append(f'<a href="{esc(url(n))}">{n}</a>')
    if number < total:
        links.append(f'<a class="mz-page-next" href="{esc(url(number + 1))}" rel="next">下一页</a>')
    return (f'<nav class="mz-pagination" aria-label="分页">{"".join(links)}'
            f'<span class="mz-page-total">共 {total} 页</span></nav>')


def paginate(base_src: str, title: str, pages: list[Page], site: Site, intro: str = "",
             extra=None, empty: str = "暂无内容。") -> list[GeneratedPage]:
    """Split ``pages`` into listing pages of ``listing.page_size`` items."""
    size = listing_page_size(site)
    chunks = [pages[i:i + size] for i in range(0, len(pages), size)] or [[]]
    result = []
    for number, chunk in enumerate(chunks, start=1):
        src = paged_src(base_src, number)
        here = src[: -len("index.md")]
        items = [_item(p, here, site, extra(p) if extra else "") for p in chunk]
        heading = title if number == 1 else f"{title}（第 {number} 页）"
        body = intro if number == 1 else ""
        body += _block(_list(items, empty=empty) + _pagination(base_src, number, len(chunks), here), "mz-listing")
        result.append(GeneratedPage(src, heading, body, {"mz_listing": True}))
    return result


def topic_list_markdown(site: Site, topic_id: str, topic_src: str) -> tuple[str, list[GeneratedPage]]:
    """The story list appended to a topic page, and its further pages."""
    stories = site.stories_by_topic.get(topic_id, [])
    topic = site.config.topic_by_id[topic_id]
    base = topic_listing_base(topic_src)  # topics/xiaoxian/index.md, never written
    pages = paginate(base, f"{topic.name}相关稿件", stories, site, empty="这个专题还没有稿件。")
    # The first page lives on the topic page itself (topics/<id>.md), same URL as the base folder.
    return f"\n\n## {esc(topic.name)}相关稿件\n{pages[0].body}", pages[1:]


def campaign_members_markdown(site: Site, campaign: Page) -> str:
    members = site.members_by_campaign.get(campaign.campaign_id, [])
    label = "候选对象" if campaign.values.get("kind") == "selection" else "活动场次"
    items = [_item(m, campaign.url, site) for m in members]
    return f"\n\n## {label}\n" + _block(_list(items, empty="暂无内容。"), "mz-listing")


def _story_card(story: Page, here: str) -> str:
    href = esc(relative_url(here, story.url))
    cover = story.values.get("cover")
    image = ""
    if cover:
        src = relative_url(here, story.asset_src(cover))
        image = (f'<img class="mz-card-cover" src="{esc(src)}" alt="{esc(story.values.get("cover_alt") or "")}" '
                 f'loading="lazy" width="400" height="250">')
    unit = esc(story.unit.name) if story.unit else ""
    return (f'<li class="mz-card">{image}<a class="mz-card-title" href="{href}">{esc(story.title)}</a>'
            f'<span class="mz-item-meta">{_time(story.date)}<span class="mz-item-unit">{unit}</span></span></li>')


def home_sections(site: Site) -> str:
    here = ""
    latest = site.stories[: int(site.config.setting("listing", "home_latest", 8))]
    open_notices = [n for n in site.notices if n.notice_status(site.now) == "公示中"]
    parts = []
    parts.append(_section("最新动态", "stories/", here,
                          _list([_story_card(s, here) for s in latest], "mz-cards", "暂无稿件。")))
    notice_items = [_item(n, here, site, f'<span class="mz-period">公示截止 {day(n.values.get("end"))}</span>')
                    for n in open_notices]
    parts.append(_section("公示公告", "notices/", here, _list(notice_items, empty="目前没有正在公示的公告。")))
    campaign_items = [_item(c, here, site, f'<span class="mz-status">{c.campaign_status(site.now)}</span>')
                      for c in site.campaigns]
    parts.append(_section("专题活动", "campaigns/", here, _list(campaign_items, empty="暂无专题活动。")))
    parts.append(_section("文化专题", "topics/", here, _topic_grid(site, here)))
    links = site.config.site.get("quick_links") or []
    if links:
        items = "".join(f'<li><a href="{esc(link.get("url", ""))}">{esc(link.get("name", ""))}</a></li>'
                        for link in links if isinstance(link, dict))
        parts.append(f'<section class="mz-section mz-quick-links" aria-label="快捷链接"><h2>快捷链接</h2>'
                     f'<ul class="mz-links">{items}</ul></section>')
    return _block("".join(parts), "mz-home")


def _section(title: str, more_url: str, here: str, inner: str) -> str:
    more = f'<a class="mz-more" href="{esc(relative_url(here, more_url))}">更多{esc(title)}</a>'
    return f'<section class="mz-section"><h2>{esc(title)}</h2>{inner}{more}</section>'


def _topic_grid(site: Site, here: str) -> str:
    cells = []
    for topic in site.config.topics:
        count = len(site.stories_by_topic.get(topic.id, []))
        href = esc(relative_url(here, f"topics/{topic.id}/"))
        cells.append(f'<li class="mz-topic"><a href="{href}"><span class="mz-topic-name">{esc(topic.name)}</span>'
                     f'<span class="mz-topic-desc">{esc(topic.description)}</span>'
                     f'<span class="mz-topic-count">{count} 篇</span></a></li>')
    return '<ul class="mz-topics">' + "".join(cells) + "</ul>"


def generated_pages(site: Site) -> list[GeneratedPage]:
    """Every virtual page of the site (archives, indexes, further pages of topic lists)."""
    pages: list[GeneratedPage] = []
    years = site.stories_by_year()
    year_links = "".join(
        f'<li><a href="{esc(relative_url("stories/", f"stories/{year}/"))}">{year} 年</a>'
        f'<span class="mz-count">{len(items)} 篇</span></li>' for year, items in sorted(years.items(), reverse=True))
    archive_intro = _block(f'<h2>按年份浏览</h2><ul class="mz-years">{year_links}</ul>', "mz-archive-years")
    pages += paginate(STORY_ARCHIVE, "民政故事", site.stories, site, intro=archive_intro, empty="暂无稿件。")
    for year, items in sorted(years.items()):
        pages += paginate(f"stories/{year}/index.md", f"{year} 年民政故事", items, site)
    pages += paginate(NOTICES_INDEX, "通知公告", site.notices, site,
                      extra=lambda n: notice_badge(n, site.now), empty="暂无公告。")
    campaign_items = [_item(c, "campaigns/", site, f'<span class="mz-status">{c.campaign_status(site.now)}</span>')
                      for c in site.campaigns]
    pages.append(GeneratedPage(CAMPAIGNS_INDEX, "专题活动",
                               _block(_list(campaign_items, empty="暂无专题活动。"), "mz-listing"),
                               {"mz_listing": True}))
    pages.append(GeneratedPage(TOPICS_INDEX, "文化专题",
                               _block(_topic_grid(site, "topics/"), "mz-listing"),
                               {"mz_listing": True}))
    for topic_id, topic_page in site.topic_pages.items():
        pages += topic_list_markdown(site, topic_id, topic_page.src)[1]
    if HOME not in site.by_src:
        title = site.config.site.get("name", "首页")
        pages.append(GeneratedPage(HOME, title, home_sections(site), {"mz_listing": True}))
    return pages


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
