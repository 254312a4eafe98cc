"""Retiring content: withdraw (stays online with a banner) and unpublish (removed, redirected).

Front matter ``withdrawn: {date, reason}`` keeps the page online with a banner and takes it
out of every listing, feed and the search index (see :mod:`mzpress.model.content`). With
``unpublish: true`` the page is not built at all; its old address then serves a tiny
page that forwards readers to ``redirect`` (a page of this site), or, without a
redirect, says when and why the page was taken down. Both are recorded in the file and
in git, never silent (gov-site-rules §6).

Here: :func:`retired_pages`, what the build writes at each unpublished page's old address.
Editing the front matter is :mod:`mzpress.editing.withdraw`; checking redirect targets is
:mod:`mzpress.checks.redirects`; which addresses exist is :mod:`mzpress.model.addresses`.
"""

from __future__ import annotations

import datetime as dt
import html
from dataclasses import dataclass
from urllib.parse import urljoin

from mzpress.model.addresses import RedirectTargets, unpublished
from mzpress.model.content import Site, page_url, relative_url

# --- what replaces an unpublished page ------------------------------------------------------------------

@dataclass(frozen=True)
class RetiredPage:
    src: str
    url: str  # the old address, relative to the site root
    target: str | None  # where it redirects (relative to the site root), None: a "taken down" notice
    date: dt.datetime
    reason: str

    @property
    def output_path(self) -> str:
        """The file to write, relative to the site directory."""
        return f"{self.url}index.html"


def retired_pages(site: Site) -> list[RetiredPage]:
    targets = RedirectTargets(site)
    result = []
    for page in unpublished(site):
        value = page.withdrawn.get("redirect")
        target = targets.resolve(page.src, value) if value else None
        if target == page.url:
            target = None
        result.append(RetiredPage(page.src, page_url(page.src), target, page.withdrawn["date"],
                                  page.withdrawn["reason"]))
    return result


def _document(title: str, head: str, body: str) -> str:
    return ("<!doctype html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n"
            "<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">\n"
            "<link rel=\"icon\" href=\"data:,\">\n"
            f"<title>{html.escape(title)}</title>\n<meta name=\"robots\" content=\"noindex\">\n{head}</head>\n"
            f"<body>\n{body}</body>\n</html>\n")


def redirect_html(retired: RetiredPage, site_name: str, site_url: str) -> str:
    """A tiny page at the old address that forwards at once (no script: the CSP forbids inline script)."""
    href = html.escape(relative_url(retired.url, retired.target or ""), quote=True)
    canonical = html.escape(urljoin(site_url, retired.target or ""), quote=True)
    head = (f"<link rel=\"canonical\" href=\"{canonical}\">\n"
            f"<meta http-equiv=\"refresh\" content=\"0; url={href}\">\n")
    body = f"<p>本页已撤下，内容请见：<a href=\"{href}\">{canonical}</a></p>\n"
    return _document(f"页面已迁移 - {site_name}", head, body)


def gone_html(retired: RetiredPage, site_name: str) -> str:
    """A tiny page at the old address saying when and why the page was taken down."""
    home = html.escape(relative_url(retired.url, ""), quote=True)
    body = (f"<h1>本页已撤下</h1>\n<p>本页内容已于 {retired.date.strftime('%Y-%m-%d')} 撤下。"
            f"原因：{html.escape(retired.reason)}</p>\n<p><a href=\"{home}\">返回{html.escape(site_name)}首页</a></p>\n")
    return _document(f"本页已撤下 - {site_name}", "", body)


def retired_html(retired: RetiredPage, site_name: str, site_url: str) -> str:
    if retired.target is not None:
        return redirect_html(retired, site_name, site_url)
    return gone_html(retired, site_name)
