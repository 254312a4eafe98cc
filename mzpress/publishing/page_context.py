"""What the page templates show around an authored page's text.

当前位置 (``trail``), the article meta line (发布时间, 来源, 作者, 责任编辑), the withdrawn banner, the
publicity status of a notice, a response's 发布机关 (回应关切, shown as its 来源), a bulletin's masthead (报头), 更新记录, topics, related stories and previous/next
within a topic, and on 订阅说明 the site's feeds. Plain data with URLs relative to the page, so a template of any
engine can render it.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from mzpress.model.content import Page, Site, bulletin_month, relative_url
from mzpress.model.report_period import day_label
from mzpress.model.schema import KIND_LABELS
from mzpress.publishing.breadcrumbs import ARTICLE_KINDS
from mzpress.publishing.listings import StoryNeighbours, day, minute, page_trail
from mzpress.publishing.site_pages import SUBSCRIBE, feed_list


def _link(here: str, page: Page | None) -> dict[str, str] | None:
    if page is None:
        return None
    return {"title": page.title, "url": relative_url(here, page.url), "date": day(page.date)}


def page_context(site: Site, page: Page, neighbours: StoryNeighbours,
                 record: tuple[dt.datetime, dt.datetime] | None = None) -> dict[str, Any]:
    """``record`` is (first published, last updated) from the git ledger, when known.

    发布时间 is the page's ``date``; 首次发布 is when it reached the site (the later merge time when it
    was merged after its date). ``record.online_later`` tells the template to explain the difference.
    """
    here = page.url
    context: dict[str, Any] = {
        "kind": page.kind,
        "kind_label": KIND_LABELS[page.kind],
        "title": page.title,
        "published": minute(page.date),
        "published_iso": page.date.isoformat() if page.date else "",
        "source": page.unit.name if page.unit else "",
        "author": page.author,
        "editor": page.editor,
        "summary": page.summary,
        "topics": [{"name": t.name, "url": relative_url(here, f"topics/{t.id}/")} for t in page.topics],
        "changes": [{"date": day(c["date"]), "note": c["note"]} for c in page.changes],
        "withdrawn": None,
        "notice": None,
        "campaign": None,
        "bulletin": None,
        "response": None,
        "related": [],
        "older": None,
        "newer": None,
        "record": None,
        "cover": None,  # for Open Graph: path relative to the site root, and its alt text
        "trail": page_trail(site, here, page.title, article=page.kind in ARTICLE_KINDS),
        "feeds": feed_list(site.config, here) if page.src == SUBSCRIBE.src else [],
    }
    if page.values.get("cover"):
        context["cover"] = {"src": page.asset_src(page.values["cover"]), "alt": page.values.get("cover_alt") or ""}
    if page.withdrawn:
        context["withdrawn"] = {"date": day(page.withdrawn["date"]), "reason": page.withdrawn["reason"]}
    if page.kind == "notice":
        context["notice"] = {"status": page.notice_status(site.now), "start": day(page.values.get("start")),
                             "end": day(page.values.get("end"))}
    if page.kind == "campaign":
        context["campaign"] = {"status": page.campaign_status(site.now), "start": day(page.values.get("start")),
                               "end": day(page.values.get("end"))}
    if page.kind == "bulletin":
        context["bulletin"] = bulletin_masthead(site, page)
    if page.kind == "response":
        # A 情况通报 is published under its issuing office: that is the 来源 the article meta line shows.
        context["source"] = page.issuer
        until = page.pinned_until()
        context["response"] = {"issuer": page.issuer, "pin_days": page.pin_days,
                               "pinned_until": minute(until), "pinned": page.pinned(site.now)}
    if page.kind == "member":
        campaign = site.by_src.get(f"campaigns/{page.campaign_id}/index.md")
        context["parent"] = _link(here, campaign)
    if page.kind == "story":
        context["related"] = [_link(here, s) for s in neighbours.related(page)]
        older, newer = neighbours.previous_next(page)
        context["older"], context["newer"] = _link(here, older), _link(here, newer)
    if record is not None:
        first, last = record
        updated = minute(last) if minute(last) != minute(first) else ""
        # 首次发布 later than 发布时间 (merged after its date): the page says why the two differ.
        later = minute(first) != minute(page.date)
        context["record"] = {"first_published": minute(first), "last_updated": updated, "online_later": later}
    return context


def bulletin_masthead(site: Site, page: Page) -> dict[str, Any]:
    """A bulletin's 报头: its name, 2026年第4期（总第52期）, who compiles it and when it came out."""
    month = bulletin_month(page)  # published pages are well named (a misnamed bulletin is an error)
    return {
        "name": site.config.site.bulletin_name,
        "issue": page.values["issue"],
        "issue_total": page.values["issue_total"],
        "year": month.year,
        "month": month.month,
        "compiled_by": page.unit.name if page.unit else "",
        "date": day_label(page.date.date()) if page.date else "",
    }
