"""Retiring content: withdraw (stays online with a banner) and unpublish (removed, redirected).

Front matter ``withdrawn: {date, reason}`` keeps the page online with a banner and takes it
out of every listing, feed and the search index (see :mod:`mzpress.model.content`). With
``unpublish: true`` the page is not built at all; its old address then serves a tiny
page that forwards readers to ``redirect`` (a page of this site), or, without a
redirect, says when and why the page was taken down. Both are recorded in the file and
in git, never silent (gov-site-rules §6). A page with ``unpublish_at`` (a scheduled take-down) is
unpublished the same way from that time on (``Page.taken_down``): the scheduled rebuild leaves it
out of the build, its listings, feeds, sitemap and search, and its old address says it expired.

Here: :func:`retired_pages`, what the build writes at each unpublished page's old address,
:func:`retired_context`, the plain data the theme's ``mzpress/retired.html`` template renders there, and
:func:`expired_link_edits`, which points the links to a page past its ``unpublish_at`` at that notice.
Editing the front matter is :mod:`mzpress.editing.withdraw`; checking redirect targets is
:mod:`mzpress.checks.redirects`; which addresses exist is :mod:`mzpress.model.addresses`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any
from urllib.parse import urljoin, urlsplit

from mzpress.checks.links import expired_page, has_links, link_targets, resolve_destination
from mzpress.model.addresses import RedirectTargets, unpublished
from mzpress.model.content import Page, Site, page_url, relative_url
from mzpress.text.markdown_regions import prose

# What the old address of a page taken down by its ``unpublish_at`` says as the reason.
SCHEDULED_REASON = "本页为限时发布的内容，已到期按计划下线。"

# --- what replaces an unpublished page ------------------------------------------------------------------

@dataclass(frozen=True)
class RetiredPage:
    src: str
    url: str  # the old address, relative to the site root
    target: str | None  # where it redirects (relative to the site root), None: a "taken down" notice
    date: dt.datetime
    reason: str
    category: str | None = None  # withdrawn.reason_category (a take-down): shown instead of the reason text

    @property
    def output_path(self) -> str:
        """The file to write, relative to the site directory."""
        return f"{self.url}index.html"


def retired_pages(site: Site) -> list[RetiredPage]:
    targets = RedirectTargets(site)
    result = []
    for page in unpublished(site):
        withdrawn = page.withdrawn if page.withdrawn and page.withdrawn.get("unpublish") else None
        if withdrawn is None:  # a scheduled take-down (unpublish_at): a notice, no redirect
            result.append(RetiredPage(page.src, page_url(page.src), None, page.unpublish_at, SCHEDULED_REASON))
            continue
        value = withdrawn.get("redirect")
        target = targets.resolve(page.src, value) if value else None
        if target == page.url:
            target = None
        result.append(RetiredPage(page.src, page_url(page.src), target, withdrawn["date"], withdrawn["reason"],
                                  withdrawn.get("reason_category")))
    return result


def retired_context(retired: RetiredPage, site_name: str, site_url: str) -> dict[str, Any]:
    """What the page at the old address shows (the theme's ``mzpress/retired.html`` renders it).

    A redirect (``target_url`` set, relative to the old address; ``canonical`` its absolute
    address) forwards at once; without one the page says when and why the page was taken down: the
    reason category of a take-down (``reason_category``, then ``reason`` is left out), else the public reason.
    """
    moved = retired.target is not None
    return {
        "site_name": site_name,
        "url": retired.url,
        "target_url": relative_url(retired.url, retired.target) if moved else None,
        "canonical": urljoin(site_url, retired.target) if moved else None,
        "date": retired.date.strftime("%Y-%m-%d"),
        "reason": None if retired.category else retired.reason,
        "reason_category": retired.category,
        "home_url": relative_url(retired.url, ""),
    }


def expired_pages(site: Site) -> list[Page]:
    """The pages whose scheduled take-down (``unpublish_at``) has come (see :func:`expired_link_edits`)."""
    return [page for page in unpublished(site) if expired_page(site, page.src) is not None]


def expired_link_edits(site: Site, page: Page, body: str) -> str:
    """``body`` (``page``'s Markdown) with each link to a page whose scheduled take-down has come pointed at that
    page's old address, where the take-down notice is (a ``.md`` link would otherwise lead nowhere)."""
    if not has_links(body):
        return body
    edits = []
    for offset, destination, is_image in link_targets(prose(body)):
        resolved = None if is_image else resolve_destination(page, destination)
        if resolved is None or resolved[0] != "file" or not resolved[1].endswith(".md"):
            continue
        target = expired_page(site, resolved[1])
        if target is None or site.publishes(target.src):
            continue
        fragment = urlsplit(destination).fragment
        address = relative_url(page.url, target.url) + (f"#{fragment}" if fragment else "")
        edits.append((offset, offset + len(destination), address))
    for start, end, address in sorted(edits, reverse=True):
        body = body[:start] + address + body[end:]
    return body
