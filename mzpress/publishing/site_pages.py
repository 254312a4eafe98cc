"""The site's own information pages: 网站声明, 隐私声明 and 订阅说明.

They are ordinary Markdown pages under ``content/about/`` that the bureau edits (the sample's text is a
placeholder), at fixed addresses so that every page's footer can link them: a page that is deleted is no
longer linked. 订阅说明 also lists the site's feeds under its text (``feed_list``), so the list follows
``site_config/topics.yml`` by itself. Pure: plain data for the templates.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from mzpress.model.config import SiteConfig
from mzpress.model.content import page_url, relative_url
from mzpress.publishing.feeds import feed_links


@dataclass(frozen=True)
class InfoPage:
    name: str  # as the footer and the site map name it
    src: str  # relative to content/

    @property
    def url(self) -> str:
        return page_url(self.src)


STATEMENT = InfoPage("网站声明", "about/statement.md")
PRIVACY = InfoPage("隐私声明", "about/privacy.md")
SUBSCRIBE = InfoPage("订阅说明", "about/subscribe.md")
INFO_PAGES = (STATEMENT, PRIVACY, SUBSCRIBE)


def footer_links(exists: Callable[[str], bool]) -> list[dict[str, str]]:
    """The information pages whose file ``exists`` (a source path relative to content/): name and address
    relative to the site root, for the footer (``config.extra.mz.info_pages``)."""
    return [{"name": page.name, "path": page.url} for page in INFO_PAGES if exists(page.src)]


def feed_list(config: SiteConfig, here: str) -> list[dict[str, Any]]:
    """Every feed of the site for the 订阅说明 page at ``here``: its title, link and full address to copy."""
    base = config.site.url if config.site.url.endswith("/") else config.site.url + "/"
    site_wide, per_topic = feed_links(config)
    return [{"title": feed["title"], "url": relative_url(here, feed["path"]), "address": base + feed["path"]}
            for feed in [*site_wide, *per_topic.values()]]
