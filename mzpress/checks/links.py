"""Dead links inside the site (a deduction item in government website inspections).

Every link and image a page writes is resolved the way the built site resolves it:
``.md`` and file links relative to the Markdown file (MkDocs rewrites them),
directory-style links (``../other/``) relative to the page's URL (the browser
resolves them). A target that does not exist, or a page that is not published
(draft, scheduled, unpublished, invalid), is an error with line:column.

A scheduled take-down (``unpublish_at``) is the one kind of unpublishing that no commit makes: the daily
rebuild does it. A link to such a page is a warning before that time (``links.expiring``) and after it
(``links.expired``), never an error: the rebuild must not stop on the day (that would leave the expired page
online), and the link is not dead: the old address shows the take-down notice, and the build points the link
there (``publishing.withdrawal.expired_link_edits``). A page unpublished by ``mzpress withdraw --unpublish``
is unpublished by a commit, which must fix the links to it: those stay errors.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

from mzpress.checks.context import CheckContext
from mzpress.model.addresses import listing_srcs, sources_of_url
from mzpress.model.content import CONTENT_DIR, Page, Site, page_url
from mzpress.model.findings import Finding, error, warning
from mzpress.text.markdown_regions import LineIndex, find_links, prose

# A tag ends at the first “>” and holds no “<” (not a tag to Python-Markdown either): without the
# “<”, each of 250,000 unclosed “<a” on one line would scan to the end of the file.
_HTML_TARGET = re.compile(r"""<(?:a|img|source)\b[^<>]*?\s(?:href|src)\s*=\s*["']([^"']+)["']""", re.I)
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")


def link_targets(text: str) -> Iterable[tuple[int, str, bool]]:
    """(offset, destination, is_image) for Markdown links and raw-HTML href/src attributes."""
    for link in find_links(text):
        if link.kind in ("inline", "image", "reference"):
            yield link.start, link.url, link.kind == "image"
    for match in _HTML_TARGET.finditer(text):
        yield match.start(1), match.group(1), match.group(0).lower().startswith(("<img", "<source"))


def resolve_destination(page: Page, destination: str) -> tuple[str, str] | None:
    """("file", src) or ("url", url) that the destination points at inside the site; None if external/anchor."""
    if _SCHEME.match(destination) or destination.startswith("//"):
        return None
    try:
        parts = urlsplit(destination)
    except ValueError:  # "https://a.]b/": not a link into the site (the HTML check judges its scheme)
        return None
    if not parts.path:
        return None
    path = unquote(parts.path)
    if path.startswith("/"):
        target = posixpath.normpath(path.lstrip("/"))
        kind = "url" if path.endswith("/") or "." not in posixpath.basename(path) else "file"
        return kind, target + ("/" if kind == "url" and target != "." else "")
    if path.endswith("/") or "." not in posixpath.basename(path):
        url = posixpath.normpath(posixpath.join(page.url or ".", path))
        return "url", "" if url == "." else url + "/"
    return "file", posixpath.normpath(posixpath.join(posixpath.dirname(page.src), path))


def file_references(page: Page, text: str) -> set[str]:
    """The files under content/ (relative to it) that ``page`` links to or shows, from its Markdown ``text``."""
    found = set()
    for _, destination, _ in link_targets(prose(text)):
        resolved = resolve_destination(page, destination)
        if resolved is not None and resolved[0] == "file":
            found.add(resolved[1])
    return found


@dataclass(frozen=True, slots=True)
class BrokenLink:
    """A link or image of a page whose target the built site does not have."""

    page: Page
    line: int
    column: int
    destination: str  # as written
    target: str  # what it resolves to: a path relative to content/ or a site URL
    is_image: bool
    is_file: bool  # the target is a file (an image, an attachment or a .md page), not a directory URL
    problem: str  # why, e.g. “指向的文件不存在”

    @property
    def is_attachment(self) -> bool:
        """A linked file that is neither a page nor shown as an image (a .pdf, .xlsx, .docx ...)."""
        return self.is_file and not self.is_image and not self.target.endswith(".md")

    def finding(self) -> Finding:
        what = "图片" if self.is_image else "链接"
        return error(
            "images.missing" if self.is_image else "links.broken", self.page.relpath, self.line,
            f"{what}“{self.destination}”{self.problem}。",
            "核对路径和文件名（区分大小写和扩展名）；链接到站内稿件请写相对路径，例如 ../2025/xxx.md；"
            f"图片请放在 {CONTENT_DIR}/ 里并写相对于本文件的路径，例如 images/xxx.jpg。",
            column=self.column)


def broken_links(site: Site, pages: Iterable[Page] | None = None) -> list[BrokenLink]:
    """Every link and image of ``pages`` (default: every valid page) that leads nowhere on the built site."""
    files = set(site.files)
    generated = listing_srcs(site)
    generated_urls = {page_url(src) for src in generated}
    found: list[BrokenLink] = []
    for page in site.pages if pages is None else pages:
        source = site.sources.get(page.src)
        if source is None or source.text is None:
            continue
        text = prose(source.text)
        index = None
        for offset, destination, is_image in link_targets(text):
            resolved = resolve_destination(page, destination)
            if resolved is None:
                continue
            kind, target = resolved
            problem = None
            if target.startswith(".."):
                problem = "指向了网站内容文件夹之外"
            elif kind == "file" and target.endswith(".md"):
                if target not in files and target not in generated:
                    problem = "指向的页面不存在"
                elif target not in generated and not site.publishes(target) and expired_page(site, target) is None:
                    problem = "指向的页面尚未发布（草稿、定时发布、已撤下或有错误）"
            elif kind == "file" and target not in files:
                problem = "指向的文件不存在"
            elif kind == "url" and target not in generated_urls and not any(
                    site.publishes(src) or expired_page(site, src) is not None for src in sources_of_url(target)):
                problem = "指向的网址在本站找不到"
            if problem is None:
                continue
            index = index or LineIndex(source.text)
            line, column = index.position(offset)
            found.append(BrokenLink(page, line, column, destination, target, is_image, kind == "file", problem))
    return found


def expired_page(site: Site, src: str) -> Page | None:
    """The page at ``src`` if its scheduled take-down (``unpublish_at``) has come and nothing else unpublished it:
    its old address shows the take-down notice."""
    page = site.by_src.get(src)
    if page is None or page.unpublish_at is None or page.unpublish_at > site.now or page.draft:
        return None
    if page.withdrawn and page.withdrawn.get("unpublish"):
        return None
    return page if page.date is None or page.date <= site.now else None


def _takedown_target(site: Site, page: Page, destination: str) -> tuple[Page, bool] | None:
    """(the linked page, whether its take-down has come) for a link to a page with a scheduled take-down."""
    resolved = resolve_destination(page, destination)
    if resolved is None:
        return None
    kind, target = resolved
    candidates = (target,) if kind == "file" else sources_of_url(target) if kind == "url" else ()
    for src in candidates:
        linked = site.by_src.get(src)
        if linked is None or linked.unpublish_at is None:
            continue
        if expired_page(site, src) is not None:
            return linked, True
        if linked.unpublish_at > site.now and site.publishes(src):
            return linked, False
    return None


def has_links(source_text: str) -> bool:
    """Whether ``source_text`` may hold a link at all (a quick test before the full search)."""
    return any(mark in source_text for mark in ("](", "]:", "href"))


def takedown_links(site: Site, pages: Iterable[Page] | None = None) -> list[Finding]:
    """Warnings for links (of ``pages``; default: every valid page) to pages with a scheduled take-down: still
    to come (``links.expiring``) or come (``links.expired``, the link leads to the take-down notice)."""
    found: list[Finding] = []
    if not any(page.unpublish_at is not None for page in site.pages):  # no page to warn about: no second pass
        return found
    for page in site.pages if pages is None else pages:
        source = site.sources.get(page.src)
        if source is None or source.text is None or not has_links(source.text):
            continue
        index = None
        for offset, destination, is_image in link_targets(prose(source.text)):
            if is_image:
                continue
            linked = _takedown_target(site, page, destination)
            if linked is None:
                continue
            target, expired = linked
            index = index or LineIndex(source.text)
            line, column = index.position(offset)
            when = f"{target.unpublish_at:%Y-%m-%d %H:%M}"
            if expired:
                found.append(warning(
                    "links.expired", page.relpath, line,
                    f"链接“{destination}”指向的页面已于{when}按计划下线（unpublish_at），读者点开只能看到下线说明。",
                    "删掉这个链接，或改为链接到其他页面。", column=column))
            else:
                found.append(warning(
                    "links.expiring", page.relpath, line,
                    f"链接“{destination}”指向的页面将于{when}按计划下线（unpublish_at），"
                    "到时读者点开只能看到下线说明。",
                    "在下线之前删掉这个链接，或改为链接到其他页面。", column=column))
    return found


def check_internal_links(site: Site, ctx: CheckContext) -> list[Finding]:
    """Site check: the links of every page (of the pages in ``ctx.focus`` only, in a partial check)."""
    focus = getattr(ctx, "focus", None)
    pages = None if focus is None else [page for page in site.pages if page.src in focus]
    return [link.finding() for link in broken_links(site, pages)] + takedown_links(site, pages)
