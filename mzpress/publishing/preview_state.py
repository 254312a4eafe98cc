"""What the writer's preview says about a page's publication: draft, scheduled, taken down, or going.

The public build leaves drafts, scheduled pages and taken-down pages out (``Page.is_published``)
and says nothing about a coming take-down. The writer's preview shows each such page as the
public would see it once it is published, under a banner that says why the public does not
see it (yet, or any more) or when it goes (``unpublish_at``). Plain data for the theme's
``partials/mzpress/preview-banner.html``; only the preview asks for it.

The preview's clock runs (unless a build date is set): :func:`next_change` says when, with no file
changed, the clock alone next changes what the site shows (a page's ``date`` or ``unpublish_at``
reached, a notice's or campaign's ``start`` or ``end`` day begun or over, a mourning period begun or
over), so the preview judges again exactly then; :func:`clock_events` names the pages going online
or offline in between. Each banner says which time it judged by (``clock``).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from mzpress.model.content import Page, Site
from mzpress.model.schema import TIMEZONE
from mzpress.publishing.listings import day, minute

# States, in the order they are judged (the first that applies):
DRAFT = "draft"  # draft: true — never published until the line goes
SCHEDULED = "scheduled"  # date after now — published from that time on
TAKEN_DOWN = "taken-down"  # withdrawn with unpublish, or unpublish_at reached
GOING = "going"  # published now, taken down at its unpublish_at


def preview_state(page: Page, now) -> dict[str, Any] | None:
    """The preview banner's data for ``page`` at ``now``; None for a published page with no take-down ahead."""
    withdrawn = page.withdrawn if page.withdrawn and page.withdrawn.get("unpublish") else None
    if page.draft:
        state = DRAFT
    elif page.date is not None and page.date > now:
        state = SCHEDULED
    elif page.taken_down(now):
        state = TAKEN_DOWN
    elif page.unpublish_at is not None:
        state = GOING
    else:
        return None
    return {
        "state": state,
        "published": state == GOING,  # the public sees the page now
        "online": minute(page.date),  # when it goes online (发布时间)
        "offline": minute(page.unpublish_at),  # when unpublish_at takes it down ("" without one)
        # Taken down by ``mzpress withdraw --unpublish``: when and why (else "").
        "withdrawn_date": day(withdrawn["date"]) if withdrawn else "",
        "withdrawn_reason": withdrawn["reason"] if withdrawn else "",
        # The time the state was judged by (the preview updates it as its clock runs), and where a fixed
        # time comes from ("" for the current time; the preview fills it in).
        "clock": minute(now),
        "clock_fixed": "",
    }


def preview_states(site: Site) -> dict[str, dict[str, Any]]:
    """src -> banner data, for every valid page the preview shows with a banner."""
    states = {}
    for page in site.pages:
        state = preview_state(page, site.now)
        if state is not None:
            states[page.src] = state
    return states


def _midnight(day_value: dt.date) -> dt.datetime:
    return dt.datetime.combine(day_value, dt.time(0, 0), TIMEZONE)


def _moments(page: Page) -> list[dt.datetime]:
    """The moments at which the clock alone changes how ``page`` is shown or listed."""
    moments = []
    if page.date is not None and not page.draft:
        moments.append(page.date)  # published from then on (Page.is_published)
    if page.unpublish_at is not None:
        moments.append(page.unpublish_at)  # taken down from then on
    start, end = page.values.get("start"), page.values.get("end")
    if isinstance(start, dt.date) and not isinstance(start, dt.datetime):
        moments.append(_midnight(start))  # 未开始 -> 公示中 / 进行中
    if isinstance(end, dt.date) and not isinstance(end, dt.datetime):
        moments.append(_midnight(end + dt.timedelta(days=1)))  # -> 已结束 (the end day is included)
    return moments


def next_change(site: Site) -> dt.datetime | None:
    """The first moment after ``site.now`` at which the clock alone changes what the site shows; None if never."""
    later = [moment for page in site.pages for moment in _moments(page) if moment > site.now]
    for period in site.config.site.mourning:  # 一键置灰 from start to end, both included
        later += [m for m in (period.start, period.end + dt.timedelta(microseconds=1)) if m > site.now]
    return min(later, default=None)


def clock_events(site: Site, after: dt.datetime, until: dt.datetime) -> list[tuple[Page, str]]:
    """Pages going online (上线) or offline (下线) when the clock moves from ``after`` to ``until``."""
    events = []
    for page in site.pages:
        before, now = page.is_published(after), page.is_published(until)
        if before != now:
            events.append((page, "上线" if now else "下线"))
    return sorted(events, key=lambda event: event[0].src)
