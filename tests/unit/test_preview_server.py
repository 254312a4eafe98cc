"""The preview server's two origins: the previewed site (nginx's security headers and CSP, no inline script) and the
editor (its own port, its own policy), each answering only its own Host; the editor's backend only its own page."""

from __future__ import annotations

import http.client
import json
import re
import threading

import pytest

from mzpress.adapters.mkdocs.preview_server import (
    EDITOR_CSP,
    RELOAD_SCRIPT_PATH,
    SITE_CSP,
    VERSION_PATH,
    PreviewServer,
    Response,
    cross_site_refusal,
    host_refusal,
)
from tests.support.project import REPO_ROOT

PAGE = b"<!doctype html><html><head><title>t</title></head><body><p>page</p></body></html>"


class FakeSite:
    """A backend with one page, one image, an error page and a 404."""

    def refresh(self) -> bool:
        return False

    def respond(self, path: str) -> Response:
        if path == "/":
            return Response(200, "text/html; charset=utf-8", PAGE)
        if path == "/a.jpg":
            return Response(200, "image/jpeg", b"\xff\xd8\xff")
        if path == "/broken/":
            raise RuntimeError("<img src=x onerror=alert(1)>")
        return Response(404, "text/html; charset=utf-8", b"<!doctype html><title>404</title><body>404</body>")


class FakeEditor:
    """Routes like EditorApi's: records what reached it."""

    def __init__(self):
        self.posts: list[bytes] = []

    def handles(self, path: str) -> bool:
        return path in ("/api/v1", "/__mzpress/check", "/admin") or path.startswith("/admin/")

    def get(self, path: str) -> Response:
        return Response(200, "text/html; charset=utf-8", b"<!doctype html><title>editor</title>")

    def post(self, path: str, body: bytes) -> Response:
        self.posts.append(body)
        return Response(200, "application/json", b"{}")


@pytest.fixture
def servers():
    editor = FakeEditor()
    server = PreviewServer(FakeSite(), "127.0.0.1", 0, log=lambda message: None, routes=editor)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server, editor
    server.shutdown()
    thread.join(timeout=10)


def request(port: int, method: str, path: str, body: bytes | None = None, headers: dict | None = None,
            host: str | None = None):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.putrequest(method, path, skip_host=True, skip_accept_encoding=True)
        connection.putheader("Host", host if host is not None else f"127.0.0.1:{port}")
        for name, value in (headers or {}).items():
            connection.putheader(name, value)
        if body is not None:
            connection.putheader("Content-Length", str(len(body)))
        connection.endheaders(body)
        response = connection.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        connection.close()


def nginx_csp() -> dict[str, set[str]]:
    text = (REPO_ROOT / "deploy" / "nginx.conf").read_text(encoding="utf-8")
    found = re.search(r'add_header Content-Security-Policy "([^"]+)" always;', text)
    assert found, "deploy/nginx.conf has no Content-Security-Policy"
    return directives(found.group(1))


def directives(policy: str) -> dict[str, set[str]]:
    parsed = {}
    for part in policy.split(";"):
        if part.strip():
            name, *sources = part.split()
            parsed[name] = set(sources)
    return parsed


def test_the_preview_sends_the_public_sites_policy():
    """Directive by directive what deploy/nginx.conf sends: the preview is at least as strict as the public site."""
    assert directives(SITE_CSP) == nginx_csp()
    assert "'unsafe-inline'" not in directives(SITE_CSP)["script-src"]


def test_the_editors_policy_allows_no_inline_script_and_no_framing():
    editor = directives(EDITOR_CSP)
    assert editor["script-src"] == {"'self'", "'unsafe-eval'"}  # Decap's ajv; never 'unsafe-inline'
    assert editor["frame-ancestors"] == {"'none'"} and editor["object-src"] == {"'none'"}
    assert editor["connect-src"] == {"'self'", "blob:"} and editor["default-src"] == {"'self'"}


def _site_headers_ok(headers: dict, name: str) -> None:
    assert directives(headers["Content-Security-Policy"]) == nginx_csp(), name
    assert headers["X-Content-Type-Options"] == "nosniff" and headers["X-Frame-Options"] == "SAMEORIGIN", name
    assert headers["Referrer-Policy"] == "strict-origin-when-cross-origin", name
    assert headers["Cross-Origin-Resource-Policy"] == "same-origin", name


def test_every_response_of_the_site_carries_the_security_headers(servers):
    server, editor = servers
    port = server.port
    answers = {
        "page": request(port, "GET", "/"), "image": request(port, "GET", "/a.jpg"),
        "404": request(port, "GET", "/missing/"), "500": request(port, "GET", "/broken/"),
        "version": request(port, "GET", VERSION_PATH + "?since=-1"), "reload": request(port, "GET", RELOAD_SCRIPT_PATH),
        "head": request(port, "HEAD", "/"), "post": request(port, "POST", "/api/v1", b"{}"),
        "put": request(port, "PUT", "/", b"x"), "options": request(port, "OPTIONS", "/api/v1"),
        "wrong host": request(port, "GET", "/", host=f"evil.example:{port}"),
    }
    for name, (_, headers, _) in answers.items():
        _site_headers_ok(headers, name)
    assert answers["page"][0] == 200 and answers["image"][0] == 200 and answers["404"][0] == 404
    assert answers["500"][0] == 500 and b"<img" not in answers["500"][2]  # the exception's text is escaped
    assert answers["post"][0] == 405 and answers["put"][0] == 501 and answers["options"][0] == 501
    assert "Access-Control-Allow-Origin" not in answers["options"][1]
    assert editor.posts == []


def test_pages_reload_themselves_with_a_script_file_not_an_inline_script(servers):
    server, _ = servers
    status, headers, body = request(server.port, "GET", "/")
    assert body.endswith(b'<script src="/__mzpress__/reload.js" data-version="0"></script></body></html>')
    assert re.findall(rb"<script[^>]*>", body) == [b'<script src="/__mzpress__/reload.js" data-version="0">']
    status, headers, script = request(server.port, "GET", RELOAD_SCRIPT_PATH)
    assert status == 200 and headers["Content-Type"].startswith("application/javascript")
    assert b"/__mzpress__/version?since=" in script and b"location.reload()" in script


def test_the_editor_has_an_origin_of_its_own(servers):
    """/admin/ on the preview's port sends the writer to the editor's port; the API is not on the preview's port."""
    server, editor = servers
    assert server.editor_port not in (None, server.port)
    assert server.editor_url == f"http://127.0.0.1:{server.editor_port}/admin/"
    status, headers, _ = request(server.port, "GET", "/admin/")
    assert status == 302 and headers["Location"] == f"http://127.0.0.1:{server.editor_port}/admin/"
    status, headers, _ = request(server.port, "GET", "/admin/", host=f"localhost:{server.port}")
    assert headers["Location"] == f"http://localhost:{server.editor_port}/admin/"
    assert request(server.port, "GET", "/api/v1")[0] == 404
    # The editor's port serves the editor, never the site's pages.
    status, headers, _ = request(server.editor_port, "GET", "/admin/")
    assert status == 200 and directives(headers["Content-Security-Policy"]) == directives(EDITOR_CSP)
    assert headers["X-Frame-Options"] == "DENY" and headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Cross-Origin-Opener-Policy"] == "same-origin"
    for path in ("/", "/a.jpg", "/stories/", RELOAD_SCRIPT_PATH):
        status, headers, body = request(server.editor_port, "GET", path)
        assert status in (302, 404) and b"page" not in body, path
        assert "Content-Security-Policy" in headers
    assert editor.posts == []


def _api_headers(origin: str | None, **extra) -> dict:
    headers = {"Content-Type": "application/json; charset=utf-8", **extra}
    if origin is not None:
        headers["Origin"] = origin
    return headers


def test_the_editors_backend_answers_only_the_editors_own_page(servers):
    server, editor = servers
    port, own = server.editor_port, f"http://127.0.0.1:{server.editor_port}"
    body = json.dumps({"action": "info", "params": {}}).encode()
    refused = {
        "a previewed page": _api_headers(f"http://127.0.0.1:{server.port}"),
        "another site": _api_headers("https://evil.example"),
        "no origin": _api_headers(None),
        "the null origin": _api_headers("null"),
        "a form": {"Content-Type": "text/plain", "Origin": own},
        "marked same-site by the browser": _api_headers(own, **{"Sec-Fetch-Site": "same-site"}),
    }
    for name, headers in refused.items():
        status, answer_headers, answer = request(port, "POST", "/api/v1", body, headers)
        assert status == 403, name
        assert "编辑器" in json.loads(answer)["error"], name
        assert "Access-Control-Allow-Origin" not in answer_headers
    status, _, _ = request(port, "POST", "/api/v1", body, _api_headers(own), host=f"evil.example:{port}")
    assert status == 421
    assert editor.posts == []
    status, _, _ = request(port, "POST", "/api/v1", body, _api_headers(own, **{"Sec-Fetch-Site": "same-origin"}))
    assert status == 200 and editor.posts == [body]
    localhost = f"http://localhost:{port}"
    assert request(port, "POST", "/api/v1", body, _api_headers(localhost), host=f"localhost:{port}")[0] == 200
    # A CORS preflight, which a cross-origin fetch with a JSON body needs first, is never granted.
    status, headers, _ = request(port, "OPTIONS", "/api/v1", headers={
        "Origin": f"http://127.0.0.1:{server.port}", "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "content-type"})
    assert status >= 400 and "Access-Control-Allow-Origin" not in headers


def test_both_origins_answer_only_their_own_host_names(servers):
    """A page on a rebound DNS name (evil.example resolving to 127.0.0.1) can read neither drafts nor the editor."""
    server, _ = servers
    for port in (server.port, server.editor_port):
        other = server.editor_port if port == server.port else server.port
        for host in (f"evil.example:{port}", f"127.0.0.1.evil.example:{port}", f"127.0.0.1:{other}", "127.0.0.1",
                     f"localhost.:{port}", ""):
            status, headers, body = request(port, "GET", "/admin/" if port == server.editor_port else "/", host=host)
            assert status == 421, (port, host)
            assert "预览只接受发往本机地址的请求" in body.decode("utf-8") and "Content-Security-Policy" in headers
        for host in (f"127.0.0.1:{port}", f"localhost:{port}", f"LOCALHOST:{port}", f"[::1]:{port}"):
            status, _, _ = request(port, "GET", "/admin/" if port == server.editor_port else "/", host=host)
            assert status == 200, (port, host)


@pytest.mark.parametrize("host,bind,refused", [
    ("127.0.0.1:8000", "127.0.0.1", False),
    ("localhost:8000", "127.0.0.1", False),
    ("[::1]:8000", "::1", False),
    ("127.0.0.1:8001", "127.0.0.1", True),  # another port: another server
    ("127.0.0.1", "127.0.0.1", True),
    ("evil.example:8000", "127.0.0.1", True),
    ("192.168.1.5:8000", "127.0.0.1", True),
    ("192.168.1.5:8000", "0.0.0.0", False),  # a LAN preview answers an address
    ("evil.example:8000", "0.0.0.0", True),  # but no other name
    ("192.168.1.5:8000", "192.168.1.5", False),
    (None, "127.0.0.1", True),
])
def test_host_refusal(host, bind, refused):
    assert bool(host_refusal(host, bind, 8000)) is refused


@pytest.mark.parametrize("headers,refused", [
    ({"Host": "127.0.0.1:8001", "Content-Type": "application/json; charset=utf-8", "Origin": "http://127.0.0.1:8001"},
     False),
    ({"Host": "localhost:8001", "Content-Type": "application/json", "Origin": "http://localhost:8001",
      "Sec-Fetch-Site": "same-origin"}, False),
    ({"Host": "localhost:8001", "Content-Type": "application/json"}, True),  # no Origin
    ({"Host": "127.0.0.1:8001", "Content-Type": "text/plain", "Origin": "http://127.0.0.1:8001"}, True),  # a form
    ({"Host": "127.0.0.1:8001", "Content-Type": "application/json", "Origin": "http://127.0.0.1:8000"}, True),
    ({"Host": "127.0.0.1:8001", "Content-Type": "application/json", "Origin": "https://evil.example"}, True),
    ({"Host": "evil.example:8001", "Content-Type": "application/json", "Origin": "http://evil.example:8001"}, True),
    ({"Host": "127.0.0.1:8000", "Content-Type": "application/json", "Origin": "http://127.0.0.1:8000"}, True),
    ({"Content-Type": "application/json"}, True),
])
def test_requests_from_other_web_pages_are_refused(headers, refused):
    """Only the editor's page (port 8001 here) can save, delete or upload through the editor's backend."""
    assert bool(cross_site_refusal(headers, 8001)) is refused
