"""Atom feeds of the published stories: one for all stories and one per culture topic; and one of the
bureau's responses to public concerns (回应关切, ``feeds/responses.xml``).

The county paper and the mobile newspaper (手机报) subscribe to them. Pure: this module
turns a :class:`Site` into feed descriptions and Atom XML text; the MkDocs plugin writes
the files (``feeds/all.xml``, ``feeds/responses.xml``, ``feeds/<topic>.xml``) and links them from every page.

Only listed pages appear (``Site.stories``, ``Site.responses``): drafts, scheduled, withdrawn and
unpublished ones never do. Every URL in a feed is absolute, built from ``url`` in
``site_config/site.yml``.
"""

from __future__ import annotations

import datetime as dt
import mimetypes
import re
import xml.etree.ElementTree as ET
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

from mzpress.model.config import SiteConfig
from mzpress.model.content import Page, Site

FEED_DIR = "feeds"
FEED_SIZE = 50  # entries per feed: the newest stories
ATOM_NS = "http://www.w3.org/2005/Atom"
_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
# Characters XML 1.0 cannot carry (control characters other than tab and newlines).
_INVALID_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_URL_ATTRIBUTE = re.compile(r'(\s(?:href|src)=")([^"]*)(")')


@dataclass(frozen=True)
class Feed:
    path: str  # relative to the site root, e.g. "feeds/all.xml"
    title: str
    page_url: str  # the HTML page the feed mirrors, relative to the site root
    stories: tuple[Page, ...]
    topic_id: str | None = None


def _all_title(config: SiteConfig) -> str:
    return f"{config.site.name}·民政故事"


RESPONSES_FEED = f"{FEED_DIR}/responses.xml"


def _responses_title(config: SiteConfig) -> str:
    return f"{config.site.name}·回应关切"


def _topic_title(config: SiteConfig, topic) -> str:
    return f"{config.site.name}·{topic.name}"


def site_feeds(site: Site, size: int = FEED_SIZE) -> list[Feed]:
    """The feed of all stories, the responses' (回应关切), then one per topic in ``topics.yml`` order (empty
    topics too)."""
    feeds = [Feed(f"{FEED_DIR}/all.xml", _all_title(site.config), "stories/", tuple(site.stories[:size])),
             Feed(RESPONSES_FEED, _responses_title(site.config), "responses/", tuple(site.responses[:size]))]
    for topic in site.config.topics:
        stories = site.stories_by_topic.get(topic.id, [])[:size]
        feeds.append(Feed(f"{FEED_DIR}/{topic.id}.xml", _topic_title(site.config, topic), f"topics/{topic.id}/",
                          tuple(stories), topic.id))
    return feeds


def feed_links(config: SiteConfig) -> tuple[list[dict[str, str]], dict[str, dict[str, str]]]:
    """For templates: the site-wide feeds, and each topic page's own feed keyed by its source path."""
    site_wide = [{"title": _all_title(config), "path": f"{FEED_DIR}/all.xml"},
                 {"title": _responses_title(config), "path": RESPONSES_FEED}]
    per_topic = {f"topics/{t.id}.md": {"title": _topic_title(config, t), "path": f"{FEED_DIR}/{t.id}.xml"}
                 for t in config.topics}
    return site_wide, per_topic


def base_url(site: Site) -> str:
    """The site's public address with a trailing slash (``url`` in site.yml)."""
    url = site.config.site.url or "/"
    return url if url.endswith("/") else url + "/"


def absolute_urls(html: str, page_url: str) -> str:
    """Make every ``href``/``src`` in rendered HTML absolute, relative to the page's address."""
    def fix(match: re.Match) -> str:
        value = match.group(2)
        if not value or urlsplit(value).scheme:
            return match.group(0)
        return match.group(1) + urljoin(page_url, value.replace("&amp;", "&")).replace("&", "&amp;") + match.group(3)

    return _URL_ATTRIBUTE.sub(fix, html)


def _text(value: object) -> str:
    return _INVALID_XML.sub("", str(value))


def _sub(parent: ET.Element, tag: str, text: object | None = None, **attributes: str) -> ET.Element:
    element = ET.SubElement(parent, tag, {k: _text(v) for k, v in attributes.items()})
    if text is not None:
        element.text = _text(text)
    return element


def _stamp(value: dt.datetime) -> str:
    return value.isoformat(timespec="seconds")


def updated_at(story: Page) -> dt.datetime:
    """The story's publish time, or its latest 更新记录 entry when that is later."""
    times = [story.date] + [change["date"] for change in story.changes]
    return max(t for t in times if t is not None)


def atom_xml(feed: Feed, site: Site, content_html: Mapping[str, str] | None = None) -> str:
    """The feed as an Atom 1.0 document. ``content_html`` (src -> rendered body) adds full text."""
    root_url = base_url(site)
    feed_url = urljoin(root_url, feed.path)
    root = ET.Element("feed", {"xmlns": ATOM_NS, _XML_LANG: "zh-CN"})
    _sub(root, "id", feed_url)
    _sub(root, "title", feed.title)
    if site.config.site.description:
        _sub(root, "subtitle", site.config.site.description)
    _sub(root, "link", rel="self", type="application/atom+xml", href=feed_url)
    _sub(root, "link", rel="alternate", type="text/html", href=urljoin(root_url, feed.page_url))
    newest = max((updated_at(s) for s in feed.stories), default=site.now)
    _sub(root, "updated", _stamp(newest))
    author = _sub(root, "author")
    _sub(author, "name", site.config.site.footer.sponsor)
    _sub(author, "uri", root_url)
    _sub(root, "generator", "mzpress")
    for story in feed.stories:
        root.append(_entry(story, root_url, (content_html or {}).get(story.src)))
    ET.indent(root, space="  ")
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def _entry(story: Page, root_url: str, html: str | None) -> ET.Element:
    url = urljoin(root_url, story.url)
    entry = ET.Element("entry")
    _sub(entry, "id", url)
    _sub(entry, "title", story.title)
    _sub(entry, "link", rel="alternate", type="text/html", href=url)
    _sub(entry, "published", _stamp(story.date))
    _sub(entry, "updated", _stamp(updated_at(story)))
    author = _sub(entry, "author")
    _sub(author, "name", story.author)
    if story.kind == "response":  # a 情况通报 is the issuing office's (发布机关), whoever wrote it
        contributor = _sub(entry, "contributor")
        _sub(contributor, "name", story.issuer)
    elif story.unit:
        contributor = _sub(entry, "contributor")
        _sub(contributor, "name", story.unit.name)
    for topic in story.topics:
        _sub(entry, "category", term=topic.id, label=topic.name)
    cover = story.values.get("cover")
    if cover:
        kind = mimetypes.guess_type(cover)[0] or "application/octet-stream"
        _sub(entry, "link", rel="enclosure", type=kind, href=urljoin(root_url, story.asset_src(cover)),
             title=story.values.get("cover_alt") or "")
    if story.summary:
        _sub(entry, "summary", story.summary)
    if html:
        _sub(entry, "content", absolute_urls(html, url), type="html")
    return entry
