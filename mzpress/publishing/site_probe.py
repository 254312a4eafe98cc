"""Looking at the deployed site over HTTP (``mzpress inspect --url``): reachability, footer identity, HTTPS.

The home page is fetched, then a sample of pages: the home page's own links and entries of
``/sitemap.xml`` (re-based onto the address given when the sitemap names the production host).
Each answer is timed; one that takes ``unreachable_seconds`` (15 s, gov-site-rules §1) or more, or
never comes, counts as unreachable. HTML pages are searched for the identity the footer must
show (网站标识码, ICP 备案号, 公安机关备案号 of ``site.yml``). Only the standard library is used;
network errors never escape: each becomes a page that could not be opened, with the reason.

The parsing (:func:`parse_page`, :func:`sitemap_locations`, :func:`sample_urls`) is pure and
tested without a network; :func:`probe_site` takes the fetching function as a parameter.
"""

from __future__ import annotations

import html
import http.client
import re
import socket
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urldefrag, urljoin, urlsplit, urlunsplit

from mzpress.model.site_settings import Footer

UNREACHABLE_SECONDS = 15.0
SAMPLE_SIZE = 10
MAX_BYTES = 5 * 1024 * 1024
USER_AGENT = "mzpress-inspect (government website self-inspection)"
_LOC = re.compile(r"<loc>\s*([^<\s]+)\s*</loc>", re.I)
_SKIPPED_SCHEMES = ("mailto", "tel", "javascript", "data")
_WHITESPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class Fetched:
    """One HTTP answer (or its absence): ``status`` None with ``error`` when nothing usable came back."""

    url: str
    status: int | None
    seconds: float
    content_type: str = ""
    body: bytes = b""
    final_url: str = ""
    error: str = ""


Fetch = Callable[[str, float], Fetched]


def _reason(exc: BaseException) -> str:
    """A network failure in plain Chinese."""
    if isinstance(exc, urllib.error.URLError):
        exc = exc.reason if isinstance(exc.reason, BaseException) else exc
    if isinstance(exc, TimeoutError | socket.timeout):
        return "等待超时"
    if isinstance(exc, ConnectionRefusedError):
        return "连接被拒绝（服务器没有在这个端口提供服务）"
    if isinstance(exc, socket.gaierror):
        return "域名无法解析"
    if isinstance(exc, ConnectionResetError | http.client.RemoteDisconnected):
        return "连接被服务器中断"
    if isinstance(exc, http.client.HTTPException):
        return f"服务器的回答不符合HTTP协议（{type(exc).__name__}）"
    if isinstance(exc, ValueError):
        return "网址格式不对"
    detail = getattr(exc, "strerror", None) or type(exc).__name__
    return f"网络错误（{detail}）"


def fetch_url(url: str, timeout: float) -> Fetched:
    """GET ``url`` with urllib; never raises for network problems."""
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT, "Accept": "text/html,*/*"})
    start = time.monotonic()
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 (http/https only)
            body = response.read(MAX_BYTES)
            return Fetched(url, response.status, time.monotonic() - start, response.headers.get_content_type(),
                           body, response.geturl())
    except urllib.error.HTTPError as exc:
        try:
            body = exc.read(MAX_BYTES)
        except (OSError, http.client.HTTPException):
            body = b""
        content_type = exc.headers.get_content_type() if exc.headers else ""
        return Fetched(url, exc.code, time.monotonic() - start, content_type, body, exc.geturl() or url)
    except (urllib.error.URLError, OSError, http.client.HTTPException, ValueError) as exc:
        return Fetched(url, None, time.monotonic() - start, error=_reason(exc))


# ----------------------------------------------------------------------------------- parsing


class _PageParser(HTMLParser):
    """The ``<a href>`` targets of a page and the text of its ``<footer>`` elements."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self.footer: list[str] = []
        self.text: list[str] = []
        self._footer_depth = 0
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            href = dict(attrs).get("href")
            if href:
                self.links.append(href.strip())
        elif tag == "footer":
            self._footer_depth += 1
        elif tag in ("script", "style", "template"):
            self._skip += 1

    def handle_endtag(self, tag):
        if tag == "footer" and self._footer_depth:
            self._footer_depth -= 1
        elif tag in ("script", "style", "template") and self._skip:
            self._skip -= 1

    def handle_data(self, data):
        if self._skip:
            return
        self.text.append(data)
        if self._footer_depth:
            self.footer.append(data)


@dataclass(frozen=True)
class ParsedPage:
    links: tuple[str, ...]
    footer_text: str  # whitespace removed; the whole page's text when it has no <footer>
    has_footer: bool


def decode_body(body: bytes) -> str:
    """A page's text: UTF-8 (the site's encoding), undecodable bytes replaced."""
    return body.decode("utf-8", errors="replace")


def parse_page(text: str) -> ParsedPage:
    parser = _PageParser()
    try:
        parser.feed(text)
        parser.close()
    except (AssertionError, ValueError):  # malformed markup from a broken server: use what was read
        pass
    has_footer = bool(parser.footer)
    footer = "".join(parser.footer if has_footer else parser.text)
    return ParsedPage(tuple(parser.links), _WHITESPACE.sub("", footer), has_footer)


def sitemap_locations(text: str) -> list[str]:
    """The ``<loc>`` entries of a sitemap, in order."""
    return [html.unescape(match.group(1)) for match in _LOC.finditer(text)]


def _same_site(url: str, base: str) -> bool:
    one, other = urlsplit(url), urlsplit(base)
    return (one.scheme, one.netloc) == (other.scheme, other.netloc)


def _rebased(location: str, base: str) -> str | None:
    """A sitemap entry on the address being probed (the sitemap names the production host)."""
    try:
        parts, root = urlsplit(location), urlsplit(base)
    except ValueError:
        return None
    if parts.scheme not in ("http", "https"):
        return None
    return urlunsplit((root.scheme, root.netloc, parts.path or "/", parts.query, ""))


def sample_urls(home_url: str, links: Sequence[str], sitemap: Sequence[str], size: int = SAMPLE_SIZE) -> list[str]:
    """Up to ``size`` pages besides the home page: half from its links, the rest spread over the sitemap."""
    def clean(candidates, resolve) -> list[str]:
        seen, result = {urldefrag(home_url)[0]}, []
        for candidate in candidates:
            if urlsplit(candidate).scheme.lower() in _SKIPPED_SCHEMES:
                continue
            try:
                url = resolve(candidate)
            except ValueError:
                continue
            if url is None:
                continue
            url = urldefrag(url)[0]
            if url in seen or not _same_site(url, home_url):
                continue
            seen.add(url)
            result.append(url)
        return result

    from_home = clean(links, lambda href: urljoin(home_url, href))
    from_map = [u for u in clean(sitemap, lambda loc: _rebased(loc, home_url)) if u not in from_home]
    chosen = from_home[: size // 2]
    wanted = size - len(chosen)
    if from_map and wanted > 0:
        step = max(1, len(from_map) // wanted)
        chosen += from_map[::step][:wanted]
    for url in from_home[size // 2:]:
        if len(chosen) >= size:
            break
        chosen.append(url)
    return chosen[:size]


# ----------------------------------------------------------------------------------- results


@dataclass(frozen=True)
class PageCheck:
    """What one page of the deployed site answered."""

    url: str
    status: int | None
    seconds: float
    error: str
    limit: float = UNREACHABLE_SECONDS
    identity: tuple[tuple[str, bool], ...] = ()  # (label, shown in the footer), for HTML pages

    @property
    def reachable(self) -> bool:
        """The server answered in time and without a server error (a 404 is an answer: a broken link)."""
        return self.status is not None and self.status < 500 and self.seconds < self.limit

    def describe(self) -> str:
        took = f"{self.seconds:.2f}秒"
        if self.status is None:
            return f"无法打开（{self.error}，用时{took}）"
        if self.seconds >= self.limit:
            return f"HTTP {self.status}，用时{took}，超过{self.limit:g}秒，按无法访问计"
        meaning = {200: "正常", 404: "页面不存在"}.get(self.status, "")
        if not meaning:
            meaning = "服务器错误" if self.status >= 500 else ("正常" if self.status < 300 else "异常")
        return f"HTTP {self.status}（{meaning}），用时{took}"


@dataclass(frozen=True)
class SiteProbe:
    url: str
    pages: tuple[PageCheck, ...]  # the home page first
    expected_identity: tuple[tuple[str, str], ...]  # (label, value configured in site.yml)
    sample_source: str
    unreachable_seconds: float = UNREACHABLE_SECONDS
    notes: tuple[str, ...] = field(default=())

    @property
    def https(self) -> bool:
        return urlsplit(self.url).scheme == "https"

    @property
    def home(self) -> PageCheck | None:
        return self.pages[0] if self.pages else None

    def identity_summary(self) -> list[tuple[str, str, int]]:
        """(label, expected value, on how many checked pages the footer shows it)."""
        checked = [p for p in self.pages if p.identity]
        return [(label, expected, sum(1 for p in checked if dict(p.identity).get(label)))
                for label, expected in self.expected_identity]


def footer_identity(footer: Footer) -> tuple[tuple[str, str], ...]:
    return (("网站标识码", footer.site_code), ("ICP备案号", footer.icp), ("公安机关备案号", footer.police))


def _check(fetched: Fetched, expected: Sequence[tuple[str, str]], limit: float) -> tuple[PageCheck, ParsedPage | None]:
    parsed = None
    identity: tuple[tuple[str, bool], ...] = ()
    if fetched.status is not None and fetched.status < 400 and fetched.content_type in ("text/html", "application/xhtml+xml"):
        parsed = parse_page(decode_body(fetched.body))
        identity = tuple((label, bool(value) and _WHITESPACE.sub("", value) in parsed.footer_text)
                         for label, value in expected)
    return PageCheck(fetched.url, fetched.status, fetched.seconds, fetched.error, limit, identity), parsed


def probe_site(url: str, footer: Footer, fetch: Fetch = fetch_url, sample_size: int = SAMPLE_SIZE,
               limit: float = UNREACHABLE_SECONDS) -> SiteProbe:
    """Fetch the home page at ``url`` and a sample of pages; ``fetch(url, timeout)`` does the HTTP."""
    expected = footer_identity(footer)
    home_fetched = fetch(url, limit)
    home, parsed = _check(home_fetched, expected, limit)
    if not home.reachable or parsed is None:
        note = "首页无法正常打开，未抽查其他页面。" if not home.reachable else "首页不是网页（HTML），未抽查其他页面。"
        return SiteProbe(url, (home,), expected, "只检查了首页", limit, (note,))
    base = home_fetched.final_url or url
    sitemap_fetched = fetch(urljoin(base, "sitemap.xml"), limit)
    sitemap: list[str] = []
    notes = []
    if sitemap_fetched.status == 200:
        sitemap = sitemap_locations(decode_body(sitemap_fetched.body))
    else:
        notes.append("没有找到网站地图（sitemap.xml），只从首页的链接中抽查。")
    sample = sample_urls(base, parsed.links, sitemap, sample_size)
    source = "首页链接和网站地图" if sitemap else "首页链接"
    checks = [home]
    for page_url in sample:
        check, _ = _check(fetch(page_url, limit), expected, limit)
        checks.append(check)
    return SiteProbe(url, tuple(checks), expected, source, limit, tuple(notes))
