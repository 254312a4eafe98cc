"""Retiring content: withdraw (stays online with a banner) and unpublish (removed, redirected).

Front matter ``withdrawn: {date, reason}`` keeps the page online with a banner and takes it
out of every listing, feed and the search index (see :mod:`mzpress.model.content`). With
``unpublish: true`` the page is not built at all; its old address then serves a tiny
page that forwards readers to ``redirect`` (a page of this site), or, without a
redirect, says when and why the page was taken down. Both are recorded in the file and
in git, never silent (gov-site-rules §6).

Pure: :func:`withdraw_text` edits front matter text (the ``mzpress withdraw`` command
writes it), :func:`redirect_findings` checks redirect targets (a site check, so the build
and ``mzpress check`` report them with file:line), :func:`retired_pages` and the HTML
functions give the plugin what to write at the old addresses.
"""

from __future__ import annotations

import datetime as dt
import html
import json
import posixpath
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

from mzpress.model.content import Page, Site, page_url, relative_url
from mzpress.model.findings import Finding, FindingsError, error, warning
from mzpress.model.frontmatter import split
from mzpress.model.yaml_source import LineDict

REDIRECT_HELP = ("redirect 写网站内另一页的文件路径（如 stories/2025/xin-gaojian.md）"
                 "或网址路径（如 /stories/2025/xin-gaojian/、/notices/）。")


# --- editing front matter -------------------------------------------------------------------------------

def _yaml_string(value: str) -> str:
    """A YAML double-quoted scalar (JSON strings are valid YAML), keeping Chinese readable."""
    return json.dumps(value, ensure_ascii=False)


def withdrawn_block(date: dt.date, reason: str, unpublish: bool = False, redirect: str | None = None,
                    newline: str = "\n") -> str:
    lines = ["withdrawn:", f"  date: {date.isoformat()}", f"  reason: {_yaml_string(reason)}"]
    if unpublish:
        lines.append("  unpublish: true")
    if redirect:
        lines.append(f"  redirect: {_yaml_string(redirect)}")
    return newline.join(lines) + newline


def withdraw_text(text: str, relpath: str, date: dt.date, reason: str, unpublish: bool = False,
                  redirect: str | None = None) -> str:
    """``text`` with a ``withdrawn:`` block added at the end of its front matter.

    Every other byte stays as it was (line endings included). Raises FindingsError when
    the front matter is missing or broken, or when the page already has a withdrawn record.
    """
    reason = " ".join(reason.split())
    if not reason:
        raise FindingsError([error("withdrawn.reason", relpath, None, "撤回原因不能为空，公众需要知道为什么撤回。",
                                   "用 --reason 写明原因，例如 --reason \"活动已取消，相关信息不再有效\"。")])
    document = split(text, relpath)  # raises with file:line when the front matter is broken
    if "withdrawn" in document.meta:
        raise FindingsError([error(
            "withdrawn.exists", relpath, document.meta.line_of("withdrawn"), "这个页面已经有撤回记录（withdrawn）。",
            "如需改为撤下，在 withdrawn 下手动加两行：unpublish: true 和 redirect: 目标页面。")])
    lines = text.splitlines(keepends=True)
    newline = "\r\n" if lines[0].endswith("\r\n") else "\n"
    closing = next(i for i in range(1, len(lines)) if lines[i].rstrip("\r\n") == "---")
    block = withdrawn_block(date, reason, unpublish, redirect, newline)
    return "".join(lines[:closing]) + block + "".join(lines[closing:])


# --- redirect targets -----------------------------------------------------------------------------------

def _withdrawn_meta(page: Page) -> LineDict | None:
    raw = page.meta.get("withdrawn") if page.meta is not None else None
    return raw if isinstance(raw, LineDict) else None


def redirect_line(page: Page) -> int | None:
    """The line of ``redirect:`` inside ``withdrawn:`` (or of ``withdrawn:`` itself)."""
    raw = _withdrawn_meta(page)
    if raw is not None and "redirect" in raw:
        return raw.line_of("redirect")
    return page.line_of("withdrawn")


class _Targets:
    """Addresses a redirect may point at: published pages, generated listings, files under content/."""

    def __init__(self, site: Site):
        self.site = site
        self.pages = {p.url: p for p in site.published}
        self._generated: set[str] | None = None

    @property
    def generated(self) -> set[str]:
        if self._generated is None:  # computed only when a redirect names a listing address
            from mzpress.publishing.listings import generated_pages

            self._generated = {g.url for g in generated_pages(self.site)}
        return self._generated

    def resolve(self, src: str, value: str) -> str | None:
        """The target's URL relative to the site root ("" is the home page), or None if it does not exist."""
        value = value.strip()
        parts = urlsplit(value)
        if parts.scheme or parts.netloc:
            own = urlsplit(str(self.site.config.site.get("url") or ""))
            if (parts.scheme, parts.netloc) != (own.scheme, own.netloc):
                return None
            value = parts.path
        if value.endswith(".md"):
            for candidate in (value.removeprefix("/").removeprefix("content/"),
                              posixpath.normpath(posixpath.join(posixpath.dirname(src), value))):
                target = self.site.by_src.get(candidate)
                if target is not None and target.is_published(self.site.now):
                    return target.url
            return None
        path = urlsplit(value).path.strip("/")
        if path in self.site.files:  # an attachment, e.g. /notices/2025/files/x.pdf
            return path
        url = path + "/" if path else ""
        if url.endswith("index.html/"):
            url = url[: -len("index.html/")]
        if url in self.pages or url in self.generated:
            return url
        return None


def resolve_redirect(site: Site, src: str, value: str) -> str | None:
    """Where ``redirect: value`` written in ``src`` leads (URL relative to the site root), None if nowhere."""
    return _Targets(site).resolve(src, value)


def unpublished(site: Site) -> list[Page]:
    """Pages that would be public but are unpublished: not drafts, not scheduled, withdrawn with unpublish."""
    return [p for p in site.pages
            if p.withdrawn and p.withdrawn.get("unpublish") and not p.draft
            and (p.date is None or p.date <= site.now)]


def redirect_findings(site: Site, ctx=None) -> Iterable[Finding]:
    """Site check: every ``redirect`` must name a published page of this site."""
    targets = _Targets(site)
    for page in site.pages:
        withdrawn = page.withdrawn
        if not withdrawn or not withdrawn.get("redirect"):
            continue
        value = withdrawn["redirect"]
        if not withdrawn.get("unpublish"):
            yield warning(
                "withdrawn.redirect-ignored", page.relpath, redirect_line(page),
                "写了 redirect 但没有写 unpublish: true：页面仍然在线（带撤回提示），不会跳转。",
                "要撤下并跳转，在 withdrawn 下加一行 unpublish: true；只想保留撤回提示，就删掉 redirect 这一行。")
            continue
        target = targets.resolve(page.src, value)
        if target is None:
            yield error(
                "withdrawn.redirect-missing", page.relpath, redirect_line(page),
                f"撤下后要跳转到的页面“{value}”不存在（或未发布、已撤下）。",
                "改成网站内一个已发布页面。" + REDIRECT_HELP)
        elif target == page.url:
            yield error(
                "withdrawn.redirect-missing", page.relpath, redirect_line(page),
                "撤下后要跳转到的页面就是这个页面本身。", "改成另一个已发布页面。" + REDIRECT_HELP)


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
    targets = _Targets(site)
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
