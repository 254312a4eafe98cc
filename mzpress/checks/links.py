"""Dead links inside the site (a deduction item in government website inspections).

Every link and image a page writes is resolved the way the built site resolves it:
``.md`` and file links relative to the Markdown file (MkDocs rewrites them),
directory-style links (``../other/``) relative to the page's URL (the browser
resolves them). A target that does not exist, or a page that is not published
(draft, scheduled, unpublished, invalid), is an error with line:column.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterable
from urllib.parse import unquote, urlsplit

from mzpress.checks.context import CheckContext
from mzpress.model.addresses import listing_srcs, sources_of_url
from mzpress.model.content import CONTENT_DIR, Page, Site, page_url
from mzpress.model.findings import Finding, error
from mzpress.text.markdown_regions import LineIndex, find_links, prose

# A tag ends at the first “>” and holds no “<” (not a tag to Python-Markdown either): without the
# “<”, each of 250,000 unclosed “<a” on one line would scan to the end of the file.
_HTML_TARGET = re.compile(r"""<(?:a|img|source)\b[^<>]*?\s(?:href|src)\s*=\s*["']([^"']+)["']""", re.I)
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")


def _targets(text: str) -> Iterable[tuple[int, str, bool]]:
    """(offset, destination, is_image) for Markdown links and raw-HTML href/src attributes."""
    for link in find_links(text):
        if link.kind in ("inline", "image", "reference"):
            yield link.start, link.url, link.kind == "image"
    for match in _HTML_TARGET.finditer(text):
        yield match.start(1), match.group(1), match.group(0).lower().startswith(("<img", "<source"))


def _resolve(page: Page, destination: str) -> tuple[str, str] | None:
    """("file", src) or ("url", url) that the destination points at inside the site; None if external/anchor."""
    parts = urlsplit(destination)
    if _SCHEME.match(destination) or destination.startswith("//") or not parts.path:
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
    for _, destination, _ in _targets(prose(text)):
        resolved = _resolve(page, destination)
        if resolved is not None and resolved[0] == "file":
            found.add(resolved[1])
    return found


def check_internal_links(site: Site, ctx: CheckContext) -> list[Finding]:
    files = set(site.files)
    generated = listing_srcs(site)
    generated_urls = {page_url(src) for src in generated}
    findings: list[Finding] = []
    for page in site.pages:
        source = site.sources.get(page.src)
        if source is None or source.text is None:
            continue
        text = prose(source.text)
        index = None
        for offset, destination, is_image in _targets(text):
            resolved = _resolve(page, destination)
            if resolved is None:
                continue
            kind, target = resolved
            problem = None
            if target.startswith(".."):
                problem = "指向了网站内容文件夹之外"
            elif kind == "file" and target.endswith(".md"):
                if target not in files and target not in generated:
                    problem = "指向的页面不存在"
                elif target not in generated and not site.publishes(target):
                    problem = "指向的页面尚未发布（草稿、定时发布、已撤下或有错误）"
            elif kind == "file" and target not in files:
                problem = "指向的文件不存在"
            elif kind == "url" and target not in generated_urls and not any(
                    site.publishes(src) for src in sources_of_url(target)):
                problem = "指向的网址在本站找不到"
            if problem is None:
                continue
            index = index or LineIndex(source.text)
            line, column = index.position(offset)
            what = "图片" if is_image else "链接"
            findings.append(error(
                "images.missing" if is_image else "links.broken", page.relpath, line,
                f"{what}“{destination}”{problem}。",
                "核对路径和文件名（区分大小写和扩展名）；链接到站内稿件请写相对路径，例如 ../2025/xxx.md；"
                f"图片请放在 {CONTENT_DIR}/ 里并写相对于本文件的路径，例如 images/xxx.jpg。",
                column=column))
    return findings
