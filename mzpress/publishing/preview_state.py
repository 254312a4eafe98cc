"""What the writer's preview says about a page's publication: draft, scheduled, taken down, or going.

The public build leaves drafts, scheduled pages and taken-down pages out (``Page.is_published``)
and says nothing about a coming take-down. The writer's preview shows each such page as the
public would see it once it is published, under a banner that says why the public does not
see it (yet, or any more) or when it goes (``unpublish_at``). Plain data for the theme's
``partials/mzpress/preview-banner.html``; only the preview asks for it.
"""

from __future__ import annotations

from typing import Any

from mzpress.model.content import Page, Site
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
    }


def preview_states(site: Site) -> dict[str, dict[str, Any]]:
    """src -> banner data, for every valid page the preview shows with a banner."""
    states = {}
    for page in site.pages:
        state = preview_state(page, site.now)
        if state is not None:
            states[page.src] = state
    return states
