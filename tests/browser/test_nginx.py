"""deploy/nginx.conf serving the built site: security headers, CSP, gzip, caching, 404 — and the CSP in Chromium."""

from __future__ import annotations

import base64
import gzip
import hashlib
import re
import urllib.error
import urllib.request
from html.parser import HTMLParser

import pytest

from tests.browser.conftest import SAMPLE_PAGES, open_page
from tools.nginx_server import NGINX_TEMPLATE, render_nginx_conf


def fetch(url: str, gzip_ok: bool = True) -> tuple[int, dict[str, str], bytes]:
    request = urllib.request.Request(url, headers={"Accept-Encoding": "gzip"} if gzip_ok else {})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, {k.lower(): v for k, v in response.headers.items()}, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, {k.lower(): v for k, v in exc.headers.items()}, exc.read()


def csp_directives(header: str) -> dict[str, list[str]]:
    result = {}
    for part in header.split(";"):
        words = part.split()
        if words:
            result[words[0]] = words[1:]
    return result


class _Scripts(HTMLParser):
    """Inline scripts a browser would execute, and elements with a style attribute."""

    def __init__(self):
        super().__init__()
        self.inline: list[str] = []
        self.styled: list[str] = []
        self._current: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "style" in attrs:
            self.styled.append(f"<{tag} style={attrs['style']}>")
        if tag == "script" and "src" not in attrs:
            kind = (attrs.get("type") or "text/javascript").lower()
            executable = kind in ("text/javascript", "module", "application/javascript", "")
            self._current = [] if executable else None

    def handle_data(self, data):
        if self._current is not None:
            self._current.append(data)

    def handle_endtag(self, tag):
        if tag == "script" and self._current is not None:
            self.inline.append("".join(self._current))
            self._current = None


def _sha256(source: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(source.encode("utf-8")).digest()).decode() + "'"


def test_template_renders_and_nginx_accepts_it(server):
    text = render_nginx_conf("127.0.0.1:8080", server.site)
    assert "${" not in text
    assert "listen 127.0.0.1:8080;" in text and f"root {server.site};" in text
    assert "error_page 404 /404.html;" in NGINX_TEMPLATE.read_text(encoding="utf-8")


@pytest.mark.parametrize("path", ["", "stories/2024/chengguan-xiaolao-zhiyuan/", "assets/stylesheets/mzpress.css",
                                  "assets/javascripts/mzpress.js", "no/such/page/"])
def test_security_headers(server, path):
    _, headers, _ = fetch(server.url(path))
    csp = csp_directives(headers["content-security-policy"])
    assert csp["default-src"] == ["'self'"]
    assert csp["script-src"][:1] == ["'self'"]  # the search needs nothing more (no WebAssembly, no eval)
    assert all(s.startswith("'sha256-") for s in csp["script-src"][1:])  # only hashes besides it
    assert csp["frame-ancestors"] == ["'self'"]
    assert csp["object-src"] == ["'none'"]
    for name, values in csp.items():
        assert "'unsafe-inline'" not in values and "'unsafe-eval'" not in values, name
        assert not any(v.startswith(("http:", "https:", "*")) or "." in v.strip("'") and not v.startswith("'sha")
                       for v in values), (name, values)
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["x-frame-options"] == "SAMEORIGIN"
    assert headers["referrer-policy"] == "strict-origin-when-cross-origin"
    assert "server" not in headers or "/" not in headers["server"]  # no version number


def test_every_inline_script_is_allowed_by_the_csp(server):
    """Material's inline scripts were moved into files; any executable inline script left must be hashed."""
    _, headers, _ = fetch(server.url(""))
    allowed = set(csp_directives(headers["content-security-policy"])["script-src"])
    pages = sorted(server.site.rglob("*.html"))
    assert len(pages) > 40
    for html_file in pages:
        parser = _Scripts()
        parser.feed(html_file.read_text(encoding="utf-8"))
        for source in parser.inline:
            assert _sha256(source) in allowed, (html_file, source[:80])
        assert parser.styled == [], (html_file, parser.styled[:3])  # style-src 'self': no style attributes


@pytest.mark.parametrize("path,kind", [
    ("", "text/html"),
    ("assets/stylesheets/mzpress.css", "text/css"),
    ("assets/javascripts/mzpress.js", "application/javascript"),
    ("assets/javascripts/mzpress-search.js", "application/javascript"),  # the search page's script
    ("search-index/documents/0.json", "application/json"),  # a piece of the search index (index.json is too small to gzip)
    ("feeds/all.xml", "application/atom+xml"),
    ("sitemap.xml", "application/xml"),
    ("assets/images/dangzheng.svg", "image/svg+xml"),
])
def test_gzip_for_text(server, path, kind):
    status, headers, body = fetch(server.url(path))
    assert status == 200
    assert headers["content-type"].startswith(kind)
    assert headers.get("content-encoding") == "gzip"
    plain_status, plain_headers, plain = fetch(server.url(path), gzip_ok=False)
    assert "content-encoding" not in plain_headers
    assert gzip.decompress(body) == plain


def test_long_caching_for_fingerprinted_assets_only(server):
    html = (server.site / "index.html").read_text(encoding="utf-8")
    # Material's stylesheets (its JavaScript bundle is not loaded: overrides/main.html).
    fingerprinted = re.findall(r'(assets/stylesheets/(?:main|palette)\.[0-9a-f]{8}\.min\.css)', html)
    assert len(fingerprinted) == 2
    for path in fingerprinted:
        _, headers, _ = fetch(server.url(path))
        assert headers["cache-control"] == "public, max-age=31536000, immutable", path
    for path in ("", "stories/2024/chengguan-xiaolao-zhiyuan/", "feeds/all.xml", "search/", "search-index/index.json"):
        _, headers, _ = fetch(server.url(path))
        assert headers["cache-control"] == "no-cache", path
        assert "etag" in headers
    for path in ("assets/stylesheets/mzpress.css", "assets/javascripts/mzpress.js"):
        _, headers, _ = fetch(server.url(path))
        assert "immutable" not in headers["cache-control"] and "max-age=3600" in headers["cache-control"]


def test_404_is_the_sites_own_page(server):
    status, headers, body = fetch(server.url("stories/no-such-story/"), gzip_ok=False)
    assert status == 404
    text = body.decode("utf-8")
    assert "页面不存在" in text and "主办单位" in text
    assert "content-security-policy" in headers


def test_backups_and_dot_files_are_never_served(server):
    (server.site / "stories" / "leak.md.bak").write_text("secret", encoding="utf-8")
    (server.site / ".hidden").write_text("secret", encoding="utf-8")
    try:
        for path in ("stories/leak.md.bak", ".hidden"):
            status, _, body = fetch(server.url(path), gzip_ok=False)
            assert status == 404 and b"secret" not in body
    finally:
        (server.site / "stories" / "leak.md.bak").unlink()
        (server.site / ".hidden").unlink()


@pytest.mark.parametrize("name", sorted(SAMPLE_PAGES))
@pytest.mark.parametrize("elder", [False, True], ids=["normal", "elder"])
def test_csp_causes_no_console_error_and_nothing_leaves_loopback(page, server, recorder, name, elder):
    open_page(page, server, SAMPLE_PAGES[name], elder=elder)
    page.mouse.wheel(0, 20000)  # load lazy images too
    page.wait_for_load_state("networkidle")
    assert recorder.console_errors == []
    assert recorder.foreign_requests == []
    assert any(u.endswith("/assets/javascripts/mzpress.js") for u in recorder.requests)
    # The scripts really ran under the CSP: Material's and ours.
    assert page.evaluate("typeof __md_get === 'function' && document.documentElement.classList.contains('mz-js')")
    assert page.locator("[data-mz-elder-toggle]").get_attribute("data-mz-bound") is not None


def test_csp_blocks_inline_script(page, server, recorder):
    """The policy is really enforced: an injected inline script does not run and is reported."""
    open_page(page, server, SAMPLE_PAGES["home"])
    page.evaluate("""() => { const s = document.createElement('script');
        s.textContent = 'window.__inline = 1'; document.head.append(s); }""")
    assert page.evaluate("window.__inline") is None
    assert any("Content Security Policy" in m for m in recorder.console_errors)
