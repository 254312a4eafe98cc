"""当前位置: the trail of links from the home page to a page, and the top-menu section it belongs to.

A page's trail follows its address through the places a reader knows from the menu and
``site_config/columns.yml``: every column (民政故事 ``stories/``, 孝贤文化 ``topics/xiaoxian/``, 最美民政窗口评选
``campaigns/zuimei-chuangkou/`` …, named as in columns.yml) and every section's own index page (文化专题
``topics/``, 专题活动 ``campaigns/``), each linked only where a page exists at that address. So a story reads
首页 › 民政故事 › 正文, a 情况通报 首页 › 回应关切 › 正文, a campaign's member 首页 › 专题活动 › 最美民政窗口评选 › 正文, a topic page
首页 › 文化专题 › 孝贤文化 and the site map 首页 › 网站地图.

Pure and engine-neutral: plain data with links relative to the page, rendered by
``overrides/partials/mzpress/trail.html``; ``section`` (the page's first folder, ``stories/``) tells
``overrides/partials/tabs-item.html`` which menu tab to mark as the current section.
"""

from __future__ import annotations

from typing import Any
from weakref import WeakKeyDictionary

from mzpress.model.addresses import generated_srcs
from mzpress.model.content import Site, page_url, relative_url

HOME_TITLE = "首页"
# What an article's own entry says: the convention of government sites (当前位置：首页 › 通知公告 › 正文);
# its title is the heading right under the trail.
ARTICLE_KINDS = frozenset({"story", "notice", "member", "bulletin", "response"})
ARTICLE_ENTRY = "正文"

_PLACES: WeakKeyDictionary[Site, dict[str, str]] = WeakKeyDictionary()


def places(site: Site, section_titles: dict[str, str]) -> dict[str, str]:
    """Address -> name of every place a trail passes through, computed once per site.

    ``section_titles``: the generated sections' index pages (address -> title, from listings). Columns
    come first (their names as in columns.yml), then those index pages, then an authored page at a
    section's folder (``about/``: 机构概况); an address without a page is no place (no dead link).
    """
    found = _PLACES.get(site)
    if found is not None:
        return found
    existing = {page.url for page in site.published} | {page_url(src) for src in generated_srcs(site)}
    named: dict[str, str] = {}
    for column in site.config.columns:
        if column.path in existing:
            named.setdefault(column.path, column.name)
    for url, title in section_titles.items():
        if url in existing:
            named.setdefault(url, title)
    by_url = {page.url: page for page in site.published}
    for url in {path.split("/", 1)[0] + "/" for path in existing if "/" in path}:
        if url not in named and url in by_url:
            named[url] = by_url[url].title
    named.pop("", None)  # the home page opens every trail
    _PLACES[site] = named
    return named


def section_of(url: str) -> str:
    """The top-level folder a page is in (``stories/`` for ``stories/2024/x/``); "" for the home page."""
    return url.split("/", 1)[0] + "/" if "/" in url else ""


def trail(named: dict[str, str], url: str, title: str, *, article: bool = False) -> dict[str, Any]:
    """The trail of the page at ``url`` (relative to the site root) titled ``title``.

    ``{"links": [{"title", "url"}], "current": str, "section": str}``: the places above the page,
    home first, linked relative to it; ``current`` is the page's own entry (正文 for an article);
    ``section`` its top-level folder, for the menu.
    """
    links = [{"title": HOME_TITLE, "url": relative_url(url, "")}]
    parts = url.split("/")[:-1]  # directory URLs end in "/": "a/b/" -> ["a", "b"]
    for depth in range(1, len(parts)):
        prefix = "/".join(parts[:depth]) + "/"
        if prefix in named:
            links.append({"title": named[prefix], "url": relative_url(url, prefix)})
    return {"links": links, "current": ARTICLE_ENTRY if article else title, "section": section_of(url)}
