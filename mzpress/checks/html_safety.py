"""HTML and link safety in Markdown: an allowlist of raw HTML, no scripts, no unexpected external links.

Python-Markdown passes raw HTML through to the page unchanged, and the ``attr_list``
extension lets ``{: onclick=... }`` add any attribute, so a pasted snippet can run
scripts on a government site. Rules:

* ``html.forbidden-tag`` (error): ``script``, ``iframe``, ``object``, ``embed``, ``form``,
  ``style`` and other tags that run code, embed other sites or collect input.
* ``html.tag-not-allowed`` (error): any other tag outside :data:`ALLOWED_TAGS`.
* ``html.event-handler`` (error): ``on*`` attributes (``onclick``, ``onerror`` ...), in raw
  HTML or in ``{: ...}`` attribute lists.
* ``html.unsafe-url`` (error): ``javascript:``, ``vbscript:`` and ``data:text/html`` URLs, in
  HTML attributes and in Markdown links and images.
* ``html.attribute-not-allowed`` (warning): attributes outside the allowlist (``style`` ...).
* ``links.external`` (warning): http(s) links and images outside the allowed domains
  (``links.allowed_domains`` in ``site_config/site.yml``, default ``gov.cn``; subdomains
  included) and the site's own host.

Fenced code and inline code are skipped (they are shown, not run); HTML comments are fine.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from html.parser import HTMLParser
from urllib.parse import urlsplit

from mzpress.model.findings import Finding, error, warning
from mzpress.model.site_settings import SiteSettings
from mzpress.model.source_text import SourceFile
from mzpress.text.markdown_regions import AUTOLINK, LineIndex, find_links, mask, prose

MARKDOWN_SUFFIXES = (".md", ".markdown")

TABLE_TAGS = frozenset({"table", "caption", "colgroup", "col", "thead", "tbody", "tfoot", "tr", "th", "td"})
ALLOWED_TAGS = frozenset({
    "p", "br", "hr", "span", "div", "figure", "figcaption", "sup", "sub", "abbr", "details", "summary",
    "img", "a", "strong", "em", "b", "i", "u", "s", "del", "ins", "mark", "small", "blockquote", "q", "cite",
    "ul", "ol", "li", "dl", "dt", "dd", "h2", "h3", "h4", "h5", "h6", "code", "pre", "kbd",
    *TABLE_TAGS,
})
FORBIDDEN_TAGS = frozenset({
    "script", "iframe", "frame", "frameset", "object", "embed", "applet", "form", "input", "button", "select",
    "textarea", "style", "link", "meta", "base", "svg", "math", "template", "noscript", "portal",
})
GLOBAL_ATTRIBUTES = frozenset({"class", "id", "title", "lang", "dir", "markdown", "aria-label", "aria-hidden",
                               "role"})
TAG_ATTRIBUTES = {
    "a": frozenset({"href", "target", "rel", "download"}),
    "img": frozenset({"src", "alt", "width", "height", "loading"}),
    "abbr": frozenset(),
    "details": frozenset({"open"}),
    "ol": frozenset({"start", "type", "reversed"}),
    "li": frozenset({"value"}),
    "td": frozenset({"colspan", "rowspan", "align"}),
    "th": frozenset({"colspan", "rowspan", "align", "scope"}),
    "col": frozenset({"span"}),
    "colgroup": frozenset({"span"}),
    "q": frozenset({"cite"}),
    "blockquote": frozenset({"cite"}),
}
ATTR_LIST_ATTRIBUTES = GLOBAL_ATTRIBUTES | {"width", "height", "target", "rel", "loading", "align"}
URL_ATTRIBUTES = frozenset({"href", "src", "action", "formaction", "poster", "background", "cite", "data",
                            "xlink:href", "srcset", "lowsrc", "dynsrc"})
_UNSAFE_SCHEMES = ("javascript:", "vbscript:", "livescript:", "data:text/html", "data:application/xhtml")
_INVISIBLE = re.compile(r"[\x00-\x20\x7f-\x9f\u200b-\u200d\u2060\ufeff]+")
_ATTR_LIST = re.compile(r"\{:?[ \t]*(?P<body>[^{}\n]*=[^{}\n]*)\}")
_ATTR_PAIR = re.compile(r"""(?P<name>[^\s=#.'"]+)\s*=\s*(?P<value>"[^"]*"|'[^']*'|[^\s}]*)""")
_ANGLE = re.compile(r"<!--|[<>]")


def unsafe_scheme(url: str) -> str | None:
    """The dangerous scheme ``url`` starts with (entities, case and hidden characters undone), else None."""
    normalized = _INVISIBLE.sub("", html.unescape(url)).lower()
    for scheme in _UNSAFE_SCHEMES:
        if normalized.startswith(scheme):
            return scheme
    return None


@dataclass(frozen=True)
class LinkPolicy:
    """Hosts that links may point to without a warning."""

    domains: tuple[str, ...]
    own_hosts: tuple[str, ...] = ()

    def external_host(self, url: str) -> str | None:
        """The host of an http(s)/ftp link outside the allowed domains, else None."""
        candidate = html.unescape(url).strip()
        lowered = candidate.lower()
        if lowered.startswith("www."):
            candidate = "http://" + candidate
        elif not lowered.startswith(("http://", "https://", "ftp://", "//")):
            return None
        try:
            host = (urlsplit(candidate).hostname or "").rstrip(".").lower()
        except ValueError:
            return None
        if not host:
            return None
        if host in self.own_hosts:
            return None
        if any(host == d or host.endswith("." + d) for d in self.domains):
            return None
        return host


def link_policy(config) -> LinkPolicy:
    """The policy from a SiteConfig (``links.allowed_domains``, the site URL); the defaults without one."""
    settings = config.site if config is not None else SiteSettings()
    own = urlsplit(settings.url).hostname if settings.url else None  # load_config checked the URL
    return LinkPolicy(settings.links.allowed_domains, (own.lower(),) if own else ())


class _TagCollector(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, list[tuple[str, str | None]], int, int, str]] = []

    def handle_starttag(self, tag, attrs):
        text = self.get_starttag_text() or ""
        if "<" in text[1:]:
            return  # “a<b 和 <c>”: not a tag to Python-Markdown either
        line, offset = self.getpos()
        self.tags.append((tag, attrs, line, offset + 1, text))

    handle_startendtag = handle_starttag


def _parser_input(body: str) -> str:
    """``body`` as the tag collector reads it: each “<” followed by another “<” before any “>”
    blanked, HTML comments left whole (offsets kept).

    Such a “<” starts no tag Python-Markdown keeps (the tag would hold a “<”; ``_TagCollector``
    skipped them already), but HTMLParser rescans the rest of the text from each of them looking
    for the tag's end: minutes on a long line of “<a<a<a…”. Blanking them also finds the
    ``<script>`` in “<a <script>”, which used to hide inside the broken ``<a`` tag.
    """
    blanked: list[tuple[int, int]] = []
    last_close = body.rfind("-->")
    pending = -1  # the last “<” not yet followed by “>”
    position = 0
    while (match := _ANGLE.search(body, position)) is not None:
        position = match.end()
        if match.group() == ">":
            pending = -1
            continue
        if pending >= 0:
            blanked.append((pending, pending + 1))
        pending = match.start()
        if match.group() == "<!--" and match.end() <= last_close:
            pending = -1  # a comment: HTMLParser skips it whole
            position = body.find("-->", match.end()) + 3
    return mask(body, blanked) if blanked else body


def _attribute_position(tag_text: str, name: str, line: int, column: int) -> tuple[int, int]:
    match = re.search(rf"[\s/\"']({re.escape(name)})\s*(?:=|[\s/>])", tag_text, re.I)
    if not match:
        return line, column
    prefix = tag_text[:match.start(1)]
    if "\n" in prefix:
        return line + prefix.count("\n"), len(prefix) - prefix.rfind("\n")
    return line, column + len(prefix)


class _AttributePositions:
    """Where each attribute of one tag is, asked in the order HTMLParser lists them.

    :func:`_attribute_position` for each one, but each search starts after the attribute found
    before it, so a tag with 50,000 attributes takes linear time, not minutes.
    """

    def __init__(self, tag_text: str, line: int, column: int):
        self.text, self.line, self.column = tag_text, line, column
        lowered = tag_text.lower()
        self.lowered = lowered if len(lowered) == len(tag_text) else None
        self.start = 0  # where the next attribute is looked for
        self.newlines, self.last_newline = 0, -1  # in text[:start]

    def _find(self, name: str) -> int:
        if self.lowered is None or not name:
            return -1
        at = self.lowered.find(name, self.start)
        while at > 0:
            before, after = self.text[at - 1], self.text[at + len(name):at + len(name) + 1]
            if (before.isspace() or before in "/\"'") and after and (after.isspace() or after in "=/>"):
                return at
            at = self.lowered.find(name, at + 1)
        return -1

    def of(self, name: str) -> tuple[int, int]:
        at = self._find(name)
        if at < 0:  # not after the previous one (or unusual letters): search the whole tag
            return _attribute_position(self.text, name, self.line, self.column)
        newlines = self.text.count("\n", self.start, at)
        if newlines:
            self.newlines += newlines
            self.last_newline = self.text.rfind("\n", self.start, at)
        self.start = at + len(name)
        if self.newlines:
            return self.line + self.newlines, at - self.last_newline
        return self.line, self.column + at


class _Reporter:
    def __init__(self, relpath: str, policy: LinkPolicy):
        self.relpath = relpath
        self.policy = policy
        self.findings: list[Finding] = []

    def url(self, url: str, line: int, column: int, where: str) -> None:
        scheme = unsafe_scheme(url)
        if scheme:
            self.findings.append(error(
                "html.unsafe-url", self.relpath, line,
                f"{where}的地址以 {scheme} 开头，打开时会执行脚本或代码，政府网站不允许使用。",
                "改成以 https:// 开头的正常网址，或删除这个链接。", column=column))
            return
        host = self.policy.external_host(url)
        if host:
            allowed = "、".join(self.policy.domains)
            self.findings.append(warning(
                "links.external", self.relpath, line,
                f"{where}指向外部网站 {host}，不在允许链接的域名（{allowed} 及其下级域名）之内。",
                "政府网站原则上只链接政府网站：请改用政府网站上的同一内容；确需链接的，经审核同意后把域名加入 "
                "site_config/site.yml 的 links.allowed_domains，或在该行写豁免注释说明理由。", column=column))

    def tag(self, tag: str, attrs, line: int, column: int, text: str) -> None:
        label = f"<{tag}> 标签"
        if tag in FORBIDDEN_TAGS:
            self.findings.append(error(
                "html.forbidden-tag", self.relpath, line,
                f"正文里有 <{tag}> 标签，它可能执行脚本、嵌入其他网站或收集信息，政府网站不允许使用。",
                "删除这段 HTML；需要放视频、地图或表单时，请联系网站管理员用安全的方式添加。", column=column))
            return
        if tag not in ALLOWED_TAGS:
            self.findings.append(error(
                "html.tag-not-allowed", self.relpath, line,
                f"正文里的 <{tag}> 标签不在允许使用的 HTML 标签范围内（常见于从网页或 Word 复制的内容）。",
                f"删除 <{tag}> 和对应的 </{tag}>，保留其中的文字；排版请用 Markdown 写法（如 **加粗**、表格）。",
                column=column))
        self.attributes(label, GLOBAL_ATTRIBUTES | TAG_ATTRIBUTES.get(tag, frozenset()), attrs, line, column, text)

    def attributes(self, label: str, allowed: frozenset[str] | None, attrs, line: int, column: int,
                   text: str) -> None:
        """Check attributes; ``allowed`` None: only the dangerous ones are reported."""
        positions = _AttributePositions(text, line, column)
        for name, value in attrs:
            name = name.lower()
            at_line, at_column = positions.of(name)
            if name.startswith("on"):
                self.findings.append(error(
                    "html.event-handler", self.relpath, at_line,
                    f"{label}带有事件属性 {name}，会在浏览页面时执行脚本。",
                    f"删除 {name}=\"…\" 这一整段属性。", column=at_column))
            elif name in URL_ATTRIBUTES:
                self.url(value or "", at_line, at_column, f"{label}的 {name} 属性")
                if allowed is not None and name not in allowed:
                    self._not_allowed(label, name, at_line, at_column)
            elif allowed is not None and name not in allowed:
                self._not_allowed(label, name, at_line, at_column)

    def _not_allowed(self, label: str, name: str, line: int, column: int) -> None:
        self.findings.append(warning(
            "html.attribute-not-allowed", self.relpath, line,
            f"{label}的 {name} 属性不在允许范围内（如 style 会使文字与网站统一样式不一致）。",
            f"删除 {name}=\"…\"；需要特殊样式时请联系网站管理员。", column=column))


def html_safety_findings(text: str, relpath: str, policy: LinkPolicy) -> list[Finding]:
    """All HTML and link findings for a Markdown text, with file line:column."""
    if "<" not in text and "](" not in text and "]:" not in text and "//" not in text \
            and "www." not in text and "{" not in text:
        return []
    body = prose(text)  # code and front matter blanked, offsets kept
    index = LineIndex(text)
    reporter = _Reporter(relpath, policy)

    tag_spans: list[tuple[int, int]] = []
    if "<" in body:
        parser = _TagCollector()
        parser.feed(_parser_input(mask(body, [m.span() for m in AUTOLINK.finditer(body)])))
        parser.close()
        for tag, attrs, line, column, tag_text in parser.tags:
            reporter.tag(tag, attrs, line, column, tag_text)
            start = index.offset(line, column)
            tag_spans.append((start, start + len(tag_text)))

    for link in find_links(body):
        if any(start <= link.start < end for start, end in tag_spans):
            continue  # a URL inside an HTML attribute: reported with its tag
        line, column = index.position(link.start)
        where = {"image": "图片", "bare": "正文里的网址"}.get(link.kind, "链接")
        reporter.url(link.url, line, column, where)

    if "{" in body:
        for match in _ATTR_LIST.finditer(body):
            line, column = index.position(match.start())
            pairs = [(m["name"], m["value"].strip("\"'")) for m in _ATTR_PAIR.finditer(match["body"])]
            # Only the explicit “{: …}” form is surely an attribute list; “{a=b}” may be prose.
            allowed = ATTR_LIST_ATTRIBUTES if match.group(0).startswith("{:") else None
            reporter.attributes("属性列表“{: … }”", allowed, pairs, line, column, match.group(0))
    return reporter.findings


def check_html_safety(source: SourceFile, ctx) -> list[Finding]:
    """Text check for Markdown files: raw HTML allowlist, scripts, unsafe and external links."""
    if source.text is None or not source.relpath.lower().endswith(MARKDOWN_SUFFIXES):
        return []
    policy = ctx.memo("html_safety.link_policy", lambda: link_policy(getattr(ctx, "config", None)))
    return html_safety_findings(source.text, source.relpath, policy)
