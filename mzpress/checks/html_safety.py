"""HTML and link safety, judged on the rendered page as a browser parses it.

Python-Markdown passes raw HTML through, ``attr_list`` lets ``{: onclick=… }`` add attributes, and a
regular expression over the source and a browser reading the HTML disagree in many corners (``<!-->``
ends a comment for a browser, ``<`` inside an attribute value, reference definitions, unclosed
fences…). So this check reads the page body as the build renders it and as a browser builds its
tree (:mod:`mzpress.checks.page_reading`), with the allowlist the build's sanitiser enforces
(:mod:`mzpress.text.html_sanitiser`). Rules, all errors unless said otherwise; none can be exempted
by a comment in the page (:data:`mzpress.checks.exemptions.NOT_EXEMPTABLE`):

* ``html.forbidden-tag``: ``script``, ``iframe``, ``object``, ``form``, ``style``, ``meta``… (run
  code, embed other sites, collect input or change the page around them);
* ``html.tag-not-allowed``: any other element outside the allowlist;
* ``html.event-handler``: ``on*`` attributes;
* ``html.unsafe-url``: a URL whose scheme (as the browser's URL parser reads it: tabs and newlines
  removed, entities decoded, any case) is not http, https, mailto or tel;
* ``html.attribute-not-allowed``, ``html.class-not-allowed``: attributes, values, classes and ids
  the sanitiser would remove;
* ``html.sanitised``: anything else the sanitiser would change (the floor caught what the rules
  above did not name);
* ``render.too-deep``, ``render.too-slow``, ``render.failed``: the page was not rendered at all;
* ``links.external`` (warning): links and images to hosts outside ``links.allowed_domains``.

Each finding names the source line where the offending text is found, else the page.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlsplit

from mzpress.checks.page_reading import PageReading, page_reading, read_page
from mzpress.model.findings import Finding, Severity, error, warning
from mzpress.model.markdown_settings import MarkdownSettings
from mzpress.model.site_settings import SiteSettings
from mzpress.model.source_text import SourceFile
from mzpress.text.html_document import elements
from mzpress.text.html_sanitiser import (
    FORBIDDEN_TAGS,
    RESERVED_ID,
    URL_ATTRIBUTES,
    Allowlist,
    allowlist_for,
    url_allowed,
    url_scheme,
)
from mzpress.text.render_bounds import describe

_MAX_PER_RULE = 20  # a pasted web page can hold thousands of the same problem: the first ones say enough


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


class _Reporter:
    def __init__(self, reading: PageReading, policy: LinkPolicy, allowlist: Allowlist):
        self.reading, self.policy, self.allowlist = reading, policy, allowlist
        self.relpath = reading.relpath
        self.findings: list[Finding] = []
        self.counts: dict[str, int] = {}
        self.seen: set[tuple] = set()

    def add(self, make, rule: str, where: Callable[[], int | None], message: str, suggestion: str) -> None:
        """One finding, located (``where()``) only when it is reported."""
        if self.counts.get(rule, 0) >= _MAX_PER_RULE:
            return
        line = where()
        key = (rule, line, message)
        if key in self.seen:
            return
        self.seen.add(key)
        self.counts[rule] = self.counts.get(rule, 0) + 1
        self.findings.append(make(rule, self.relpath, line, message, suggestion))

    def element(self, tag: str, attributes: dict[str, str]) -> None:
        locate = self.reading.locate

        def line() -> int | None:
            return locate(f"<{tag}")

        if tag in FORBIDDEN_TAGS:
            self.add(error, "html.forbidden-tag", line,
                     f"页面里有 <{tag}> 元素，它可能执行脚本、嵌入其他网站、收集信息或改变整个页面，政府网站不允许使用。",
                     "删除这段 HTML；需要放视频、地图或表单时，请联系网站管理员用安全的方式添加。")
        elif tag not in self.allowlist.tags:
            self.add(error, "html.tag-not-allowed", line,
                     f"页面里的 <{tag}> 元素不在允许使用的 HTML 范围内（常见于从网页或 Word 复制的内容），发布时会被删除。",
                     f"删除 <{tag}> 和对应的 </{tag}>，保留其中的文字；排版请用 Markdown 写法（如 **加粗**、表格）。")
        for name, value in attributes.items():
            self.attribute(tag, name, value)

    def attribute(self, tag: str, name: str, value: str) -> None:
        label = f"<{tag}> 的 {name} 属性"
        locate = self.reading.locate

        def line() -> int | None:
            return locate(f"{name}=", name)

        if name.startswith("on"):
            self.add(error, "html.event-handler", line,
                     f"{label}是事件属性，会在浏览页面时执行脚本。", f"删除 {name}=\"…\" 这一整段。")
            return
        if name in URL_ATTRIBUTES and not url_allowed(value):
            scheme = url_scheme(value)
            self.add(error, "html.unsafe-url", lambda: locate(value[:40], f"{scheme}:", name),
                     f"{label}的地址以 {scheme}: 开头，打开时会执行脚本或代码，或不是网页地址，政府网站不允许使用。",
                     "改成以 https:// 开头的正常网址，或删除这个链接。")
            return
        if tag not in self.allowlist.tags:
            return  # the element itself is reported
        if not self.allowlist.attribute_allowed(tag, name):
            self.add(error, "html.attribute-not-allowed", line,
                     f"{label}不在允许范围内（如 style 会使文字与网站统一样式不一致），发布时会被删除。",
                     f"删除 {name}=\"…\"；需要特殊样式时请联系网站管理员。")
        elif name == "class":
            for token in value.split():
                if not self.allowlist.class_allowed(token):
                    self.add(error, "html.class-not-allowed", lambda token=token: locate(token, "class"),
                             f"<{tag}> 的样式类“{token}”不是网站提供给稿件使用的，发布时会被删除。",
                             f"删除 .{token}（或 class=\"{token}\"）；需要特殊样式时请联系网站管理员。")
        elif name == "id" and RESERVED_ID.match(value):
            self.add(error, "html.attribute-not-allowed", lambda: locate(value, "id"),
                     f"{label}“{value}”以网站自身使用的前缀开头，会干扰网站的功能。", "换一个不以 mz-、md- 或 __ 开头的名称。")
        elif not self.allowlist.value_allowed(tag, name, value):
            self.add(error, "html.attribute-not-allowed", line,
                     f"{label}的值“{value[:20]}”不在允许范围内，发布时会被删除。", f"删除 {name}=\"…\"。")

    def link(self, tag: str, url: str) -> None:
        host = self.policy.external_host(url)
        if host:
            allowed = "、".join(self.policy.domains)
            where = "图片" if tag == "img" else "链接"
            self.add(warning, "links.external", lambda: self.reading.locate(url[:60], host),
                     f"{where}指向外部网站 {host}，不在允许链接的域名（{allowed} 及其下级域名）之内。",
                     "政府网站原则上只链接政府网站：请改用政府网站上的同一内容；确需链接的，经审核同意后把域名加入 "
                     "site_config/site.yml 的 links.allowed_domains，或在该行写豁免注释说明理由。")


def _render_findings(reading: PageReading) -> list[Finding]:
    findings = []
    for problem in reading.rendering.problems:
        line = reading.body_line + problem.line - 1 if problem.line else None
        if problem.kind == "bound" and problem.detail is not None:
            message, suggestion = describe(problem.detail)
            findings.append(error("render.too-deep", reading.relpath, line, message, suggestion))
        elif problem.kind == "attributes":
            findings.append(error(
                "render.too-deep", reading.relpath, line,
                f"页面里有一个 HTML 标签带了约{problem.message}个属性，浏览器和网站都难以处理，网站不会发布它。",
                "删除这段 HTML（常见于从网页复制或被篡改的内容），改用 Markdown 写法。"))
        elif problem.kind == "time":
            findings.append(error(
                "render.too-slow", reading.relpath, line,
                f"这个页面生成网页用了{problem.message}秒以上仍未完成，网站不会发布它。",
                "检查是否粘贴了大量重复的符号（如很多层括号、星号或尖括号），删除后再检查。"))
        else:
            findings.append(error(
                "render.failed", reading.relpath, line,
                f"这个页面无法生成网页（{problem.message}），网站不会发布它。",
                "检查最近修改的内容里是否有大量嵌套的符号；无法判断时请把文件发给网站管理员。"))
    return findings


def _text(tree) -> str:
    return tree.body.text(separator="") if tree.body is not None else ""


def _signature(tree) -> list[tuple]:
    return [(element.tag, tuple(sorted(element.attributes.items()))) for element in elements(tree)]


def reading_findings(reading: PageReading, policy: LinkPolicy) -> list[Finding]:
    """Every HTML and link finding of one rendered page."""
    if reading.rendering.problems:
        return _render_findings(reading)
    if not reading.rendering.html:
        return []
    reporter = _Reporter(reading, policy, allowlist_for(reading.settings))
    for element in elements(reading.tree):
        reporter.element(element.tag, element.attributes)
        if element.tag == "a" and "href" in element.attributes:
            reporter.link("a", element.attributes["href"])
        elif element.tag == "img" and "src" in element.attributes:
            reporter.link("img", element.attributes["src"])
    if not any(f.severity is Severity.ERROR for f in reporter.findings):
        before, after = _signature(reading.tree), _signature(reading.published_tree)
        if before != after or _text(reading.tree) != _text(reading.published_tree):
            changed = next((b for b, a in zip(before, after) if b != a), before[len(after)] if len(before) > len(after)
                           else None)
            what = f"<{changed[0]}> 元素" if changed else "其中的文字"
            reporter.add(error, "html.sanitised", lambda: reading.locate(f"<{changed[0]}") if changed else None,
                         f"页面的 HTML 在发布时会被安全过滤改动（{what}），读者看到的将与预览不同。",
                         "删除这段 HTML，改用 Markdown 写法；无法判断时请联系网站管理员。")
    return reporter.findings


def html_safety_findings(text: str, relpath: str, policy: LinkPolicy,
                         settings: MarkdownSettings | None = None) -> list[Finding]:
    """All HTML and link findings for a Markdown text, rendered with ``settings`` (default: a new project's)."""
    return reading_findings(read_page(text, relpath, settings or MarkdownSettings()), policy)


def check_html_safety(source: SourceFile, ctx) -> list[Finding]:
    """Text check for Markdown files: the rendered page's HTML against the allowlist; unsafe and external links."""
    reading = page_reading(source, ctx)
    if reading is None:
        return []
    policy = ctx.memo("html_safety.link_policy", lambda: link_policy(getattr(ctx, "config", None)))
    return reading_findings(reading, policy)
