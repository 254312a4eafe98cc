"""The writer's preview server: pages rendered on request from the files as they are now.

A small HTTP server on 127.0.0.1 in front of a *backend* that knows how to render
one address (the MkDocs adapter, :class:`mzpress.adapters.mkdocs.preview.PreviewSite`). Nothing is
built ahead: when the browser asks for a page, the backend first looks for changed
files (a quick scan of sizes and modification times), brings its content model up
to date (only changed files are read again), and renders just that page. So a
saved story is visible at the next request, and the listings that include it are
regenerated with it.

Open pages reload themselves: every HTML page gets a small script *file*
(``/__mzpress__/reload.js``, never an inline script) that waits on ``/__mzpress__/version``
(long polling) and reloads when a change was seen; a background thread looks for changes
every half second.

Two origins. The previewed pages are built from writers' files, including a branch nobody has
reviewed yet, so they are treated as the public site is: every response of the preview carries
the Content-Security-Policy of ``deploy/nginx.conf`` (:data:`SITE_CSP`, no inline script) and the
same other security headers. The writers' editor (``/admin/``, Decap CMS) and its backend
(``/api/v1``, which writes files) are *mounted routes* served on a second port of their own
(:attr:`PreviewServer.editor_port`): another origin, which a previewed page can neither script nor
read, and whose backend answers only JSON POSTs whose ``Origin`` is that editor origin. Both ports
answer only requests whose ``Host`` names this server (loopback names with the port, or the
configured bind address), so a page on a rebound DNS name cannot read drafts.
"""

from __future__ import annotations

import html
import ipaddress
import json
import socket
import sys
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Protocol
from urllib.parse import parse_qs, urlsplit

VERSION_PATH = "/__mzpress__/version"
RELOAD_SCRIPT_PATH = "/__mzpress__/reload.js"
_LONG_POLL_SECONDS = 20
_MAX_POST_BYTES = 80 * 1024 * 1024  # the editor's own limit (64MB of upload) plus the base64 and JSON around it

# The live reload, as a file of the preview's own origin: allowed by ``script-src 'self'``; the page's version is
# an attribute of its script element, so the site's policy needs nothing more than deploy/nginx.conf gives.
RELOAD_SCRIPT = """(function () {
  var script = document.currentScript, version = Number(script && script.getAttribute("data-version"));
  function poll() {
    fetch("__VERSION_PATH__?since=" + version, {cache: "no-store"})
      .then(function (r) { return r.json(); })
      .then(function (d) { if (d.version !== version) { location.reload(); } else { poll(); } })
      .catch(function () { setTimeout(poll, 2000); });
  }
  poll();
})();
""".replace("__VERSION_PATH__", VERSION_PATH)

# The site's Content-Security-Policy: exactly deploy/nginx.conf's (tests/unit/test_preview_server.py compares them
# directive by directive). No inline script, no eval, nothing from another origin: a check-clean page that slipped
# a script past the gate runs in the preview no more than on the public site.
SITE_CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
            "connect-src 'self'; worker-src 'self'; manifest-src 'self'; object-src 'none'; base-uri 'self'; "
            "form-action 'self'; frame-ancestors 'self'")

# The editor's page (Decap CMS): its own files only. Decap needs what the site does not: 'unsafe-eval' (its
# configuration validator, ajv, compiles schemas with new Function), inline styles (emotion writes <style>
# elements), blob: and data: images (an upload shown before it is saved; Decap also reads it back with fetch of its
# blob: address to send it). Never an inline script, so a story's
# markup shown in Decap's preview pane (which also sanitises it, cms_config's sanitize_preview) cannot run.
# No page may frame the editor.
EDITOR_CSP = ("default-src 'self'; script-src 'self' 'unsafe-eval'; style-src 'self' 'unsafe-inline'; "
              "img-src 'self' data: blob:; font-src 'self' data:; connect-src 'self' blob:; worker-src 'self' blob:; "
              "frame-src 'self' blob:; manifest-src 'self'; object-src 'none'; base-uri 'self'; "
              "form-action 'none'; frame-ancestors 'none'")

_COMMON_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=()",
    # Another origin's page may not embed or read these responses, nor keep a handle on these windows.
    "Cross-Origin-Resource-Policy": "same-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cache-Control": "no-store",
}
SITE_HEADERS: Mapping[str, str] = {
    "Content-Security-Policy": SITE_CSP, "X-Frame-Options": "SAMEORIGIN",
    "Referrer-Policy": "strict-origin-when-cross-origin", **_COMMON_HEADERS}
EDITOR_HEADERS: Mapping[str, str] = {
    "Content-Security-Policy": EDITOR_CSP, "X-Frame-Options": "DENY", "Referrer-Policy": "no-referrer",
    **_COMMON_HEADERS}

_ERROR_TEXT = {
    400: "请求的格式不对。",
    404: "没有这个地址。",
    405: "这个地址不接受这种请求。",
    413: "请求的内容太大。",
    414: "地址太长。",
    501: "预览不支持这种请求。",
}


@dataclass
class Response:
    status: int
    content_type: str
    body: bytes
    location: str | None = None


def text_response(status: int, message: str) -> Response:
    return Response(status, "text/plain; charset=utf-8", message.encode("utf-8"))


class PreviewBackend(Protocol):
    def refresh(self) -> bool:
        """Look for changed files and take them in; True when something changed."""

    def respond(self, path: str) -> Response:
        """The response for a request path such as ``/stories/2025/x/``."""


class Routes(Protocol):
    """The writers' editor (``editor_api.EditorApi``), served on the editor's own port."""

    def handles(self, path: str) -> bool: ...

    def get(self, path: str) -> Response: ...

    def post(self, path: str, body: bytes) -> Response: ...


LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost", "[::1]"})
_WILDCARDS = frozenset({"", "0.0.0.0", "::", "[::]"})


def _host_name(bind: str) -> str:
    """A bind address as it appears in a Host header (an IPv6 address in brackets), lower case."""
    bind = bind.lower()
    return f"[{bind}]" if ":" in bind and not bind.startswith("[") else bind


def _split_host(host: str) -> tuple[str, int | None]:
    """("name", port) of a Host header value, lower case; port None when absent or not a number."""
    host = host.strip().lower()
    if host.startswith("["):  # an IPv6 address: [::1]:8000
        end = host.find("]")
        name, rest = (host[:end + 1], host[end + 1:]) if end > 0 else (host, "")
    else:
        name, sep, port = host.rpartition(":")
        name, rest = (name, sep + port) if sep and ":" not in name else (host, "")
    port = rest[1:]
    if rest.startswith(":") and port.isascii() and port.isdigit() and len(port) <= 5:
        return name, int(port)
    return (name if not rest else host), None


def _is_ip_literal(name: str) -> bool:
    try:
        ipaddress.ip_address(name.strip("[]"))
    except ValueError:
        return False
    return True


def host_refusal(host: str | None, bind: str, port: int) -> str:
    """Why a request with this ``Host`` header is refused ("" when it names this server).

    Accepted: a loopback name (127.0.0.1, localhost, [::1]) or the bind address, with this server's own port. A
    preview bound to every interface (0.0.0.0) also answers an IP address (a colleague opening it over the LAN):
    DNS rebinding needs a host *name*, and names other than localhost are refused."""
    if not host:
        return f"预览只接受发往本机地址的请求（请求没有注明主机名）。请用 http://127.0.0.1:{port}/ 打开。"
    name, given_port = _split_host(host)
    if given_port is None and port == 80:
        given_port = 80
    names = set(LOOPBACK_HOSTS) | {_host_name(bind)}
    if given_port == port and (name in names or (_host_name(bind) in _WILDCARDS and _is_ip_literal(name))):
        return ""
    return f"预览只接受发往本机地址的请求（收到的主机名是“{host[:100]}”）。请用 http://127.0.0.1:{port}/ 打开。"


def cross_site_refusal(headers, port: int) -> str:
    """Why a POST to the editor's backend on the editor's ``port`` must be refused ("" when it may proceed).

    Only the editor's own page may write files: a JSON request (any other page could send it only after a CORS
    preflight this server never answers), to a loopback host name with this port (``Host``; a rebound DNS name is
    refused), from the editor's own address (``Origin`` equal to ``http://`` + ``Host``, which every browser sends
    with a POST; a previewed page has another origin, the preview's port), and not marked by the browser as coming
    from another site (``Sec-Fetch-Site``)."""
    host = (headers.get("Host") or "").strip().lower()
    refusal = host_refusal(host, "127.0.0.1", port)
    if refusal:
        return refusal
    if not (headers.get("Content-Type") or "").lower().startswith("application/json"):
        return "编辑器只接受 JSON 请求。"
    origin = headers.get("Origin")
    if origin is None or origin.strip().lower() != f"http://{host}":
        return f"编辑器只接受它自己页面（http://{host}/admin/）发出的请求，不接受来自“{(origin or '未注明')[:100]}”的请求。"
    fetch_site = headers.get("Sec-Fetch-Site")
    if fetch_site is not None and fetch_site.lower() != "same-origin":
        return "编辑器不接受其他网页发出的请求。"
    return ""


def with_live_reload(html_page: bytes, version: int) -> bytes:
    """The page with the reload script (a file of the preview, see :data:`RELOAD_SCRIPT`) before ``</body>``."""
    script = f'<script src="{RELOAD_SCRIPT_PATH}" data-version="{int(version)}"></script>'.encode()
    index = html_page.rfind(b"</body>")
    return html_page[:index] + script + html_page[index:] if index >= 0 else html_page + script


def _server_class(host: str) -> type[ThreadingHTTPServer]:
    if ":" not in host:
        return ThreadingHTTPServer

    class ServerV6(ThreadingHTTPServer):
        address_family = socket.AF_INET6

    return ServerV6


class PreviewServer:
    """Serves a backend; one request renders at a time (MkDocs is not thread-safe).

    With ``routes`` (the editor), a second server on ``editor_port`` serves them: ``None`` takes the port after
    ``port`` when it is free, or any free port (also when ``port`` is 0); a number is used as given."""

    def __init__(self, backend: PreviewBackend, host: str = "127.0.0.1", port: int = 8000,
                 poll_seconds: float = 0.5, log=None, routes: Routes | None = None, editor_port: int | None = None):
        self.backend = backend
        self.routes = routes
        self.host = host
        self.version = 0
        self.poll_seconds = poll_seconds
        self.log = log or (lambda message: print(message, file=sys.stderr, flush=True))
        self._lock = threading.RLock()
        self._changed = threading.Condition()
        self._stop = threading.Event()
        self.httpd = _server_class(host)((host, port), self._handler("site"))
        self.httpd.daemon_threads = True
        self.port = self.httpd.server_address[1]
        self.editor_httpd: ThreadingHTTPServer | None = None
        self.editor_port: int | None = None
        if routes is not None:
            try:
                self.editor_httpd = self._editor_server(host, port, editor_port)
            except OSError:
                self.httpd.server_close()
                raise
            self.editor_port = self.editor_httpd.server_address[1]
        self._editor_thread: threading.Thread | None = None

    def _editor_server(self, host: str, port: int, editor_port: int | None) -> ThreadingHTTPServer:
        handler, make = self._handler("editor"), _server_class(host)
        if editor_port is None and 0 < port < 65535:
            try:
                server = make((host, port + 1), handler)
            except OSError:
                server = make((host, 0), handler)
        else:
            server = make((host, editor_port or 0), handler)
        server.daemon_threads = True
        return server

    def _handler(self, role: str) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            server_version = "mzpress-preview"
            sys_version = ""

            def do_GET(self):  # noqa: N802 - the name http.server calls
                server._dispatch(self, role, "GET")

            def do_HEAD(self):  # noqa: N802
                server._dispatch(self, role, "HEAD")

            def do_POST(self):  # noqa: N802
                server._dispatch(self, role, "POST")

            def send_error(self, code, message=None, explain=None):
                """Malformed requests and other methods (PUT, OPTIONS ...): a short answer with the security
                headers of this origin, then the connection is closed."""
                self.close_connection = True
                server._send(self, text_response(code, _ERROR_TEXT.get(code, "请求无法处理。")), role,
                             head=self.command == "HEAD")

            def log_message(self, format, *args):  # requests are not worth a line each
                pass

        return Handler

    @property
    def lock(self) -> threading.RLock:
        """Held while a page renders or files are taken in (mounted routes writing files hold it too)."""
        return self._lock

    @property
    def editor_url(self) -> str | None:
        """The editor's address (``http://127.0.0.1:<editor_port>/admin/``), or None without an editor."""
        return None if self.editor_port is None else f"http://{_url_host(self.host)}:{self.editor_port}/admin/"

    # -- changes -------------------------------------------------------------------------------

    def scan(self) -> None:
        """Ask the backend for changes; wake the waiting pages when there were."""
        with self._lock:
            try:
                changed = self.backend.refresh()
            except Exception as exc:  # a broken edit must not stop the preview
                self.log(f"预览更新失败：{exc}")
                changed = False
        if changed:
            with self._changed:
                self.version += 1
                self._changed.notify_all()

    def _watch(self) -> None:
        while not self._stop.wait(self.poll_seconds):
            self.scan()

    # -- requests ------------------------------------------------------------------------------

    def _dispatch(self, request: BaseHTTPRequestHandler, role: str, method: str) -> None:
        # The editor answers loopback names only, whatever the site is bound to.
        port, bind = (self.port, self.host) if role == "site" else (self.editor_port or 0, "127.0.0.1")
        refusal = host_refusal(request.headers.get("Host"), bind, port)
        if refusal:
            self.log(f"拒绝了一个主机名不对的请求：{refusal}")
            request.close_connection = True  # its body, if any, is not read
            self._send(request, text_response(421, refusal), role, head=method == "HEAD")
            return
        if role == "editor":
            self._editor_request(request, method)
        elif method == "POST":
            request.close_connection = True
            message = "预览网站只能浏览，不能提交。"
            if self.editor_url:
                message += f"稿件编辑器的地址是 {self.editor_url}。"
            self._send(request, text_response(405, message), role, head=False)
        else:
            self._site_get(request, head=method == "HEAD")

    def _site_get(self, request: BaseHTTPRequestHandler, head: bool) -> None:
        parts = urlsplit(request.path)
        path = parts.path
        if path == VERSION_PATH:
            self._send(request, self._version_response(parse_qs(parts.query)), "site", head)
            return
        if path == RELOAD_SCRIPT_PATH:
            self._send(request, Response(200, "application/javascript; charset=utf-8", RELOAD_SCRIPT.encode()),
                       "site", head)
            return
        if self.routes is not None and self.routes.handles(path):
            # The editor lives on its own origin; the writer who typed the old address is sent there.
            if path.startswith("/admin"):
                name, _ = _split_host(request.headers.get("Host") or "")
                self._send(request, Response(302, "text/plain; charset=utf-8", b"",
                                             location=f"http://{name}:{self.editor_port}{path}"), "site", head)
            else:
                self._send(request, text_response(404, "编辑器后端不在预览网站的地址上。"), "site", head)
            return
        if path.endswith("/") or path.endswith(".html") or "." not in path.rsplit("/", 1)[-1]:
            self.scan()  # a page: make sure it reflects the files as they are now
        with self._lock:
            try:
                response = self.backend.respond(path)
            except Exception as exc:
                self.log(f"渲染 {path} 时出错：{exc}")
                message = (f"<!doctype html><meta charset='utf-8'><title>预览出错</title><h1>预览出错</h1>"
                           f"<p>{html.escape(str(exc))}</p><p>请查看运行 mzpress preview 的窗口中的提示。</p>")
                response = Response(500, "text/html; charset=utf-8", message.encode("utf-8"))
        if response.content_type.startswith("text/html"):
            response.body = with_live_reload(response.body, self.version)
        self._send(request, response, "site", head)

    def _editor_request(self, request: BaseHTTPRequestHandler, method: str) -> None:
        """The editor's origin: its page and files (GET), its backend (POST); nothing of the site."""
        assert self.routes is not None
        path = urlsplit(request.path).path
        if method != "POST":
            if path == "/":
                response = Response(302, "text/plain; charset=utf-8", b"", location="/admin/")
            elif path == "/favicon.ico":  # the browser asks for it; the editor has none
                response = Response(204, "image/x-icon", b"")
            elif self.routes.handles(path):
                response = self.routes.get(path)
            else:
                response = text_response(404, "稿件编辑器里没有这个地址。")
            self._send(request, response, "editor", head=method == "HEAD")
            return
        try:
            length = int(request.headers.get("Content-Length") or 0)
        except ValueError:
            length = -1
        refusal = "" if self.routes.handles(path) else "没有这个地址。"
        status = 404
        if not refusal:
            refusal, status = cross_site_refusal(request.headers, self.editor_port or 0), 403
        if not refusal and not 0 <= length <= _MAX_POST_BYTES:
            refusal, status = "上传的内容太大（超过64MB）。请把图片缩小后再上传。", 413
        if refusal:
            if status == 403:
                self.log(f"拒绝了一个不是来自稿件编辑器的请求：{refusal}")
            request.close_connection = True  # the body is not read
            self._send(request, Response(status, "application/json; charset=utf-8",
                                         json.dumps({"error": refusal}, ensure_ascii=False).encode("utf-8")),
                       "editor", head=False)
            return
        body = request.rfile.read(length) if length else b""
        try:
            response = self.routes.post(path, body)
        except Exception as exc:  # the editor shows the message; the preview keeps running
            self.log(f"编辑器请求 {path} 出错：{exc}")
            response = Response(500, "application/json; charset=utf-8",
                                json.dumps({"error": f"编辑器后端出错：{exc}"}, ensure_ascii=False).encode("utf-8"))
        self._send(request, response, "editor", head=False)
        self.scan()

    def _version_response(self, query: dict) -> Response:
        try:
            since = int(query.get("since", ["-1"])[0])
        except ValueError:
            since = -1
        with self._changed:
            if since == self.version:
                self._changed.wait(_LONG_POLL_SECONDS)
            body = json.dumps({"version": self.version}).encode("utf-8")
        return Response(200, "application/json", body)

    @staticmethod
    def _send(request: BaseHTTPRequestHandler, response: Response, role: str, head: bool) -> None:
        """Send ``response`` with the security headers of the origin (``role``: "site" or "editor")."""
        try:
            request.send_response(response.status)
            request.send_header("Content-Type", response.content_type)
            request.send_header("Content-Length", str(len(response.body)))
            for name, value in (EDITOR_HEADERS if role == "editor" else SITE_HEADERS).items():
                request.send_header(name, value)
            if response.location:
                request.send_header("Location", response.location)
            if request.close_connection:
                request.send_header("Connection", "close")
            request.end_headers()
            if not head:
                request.wfile.write(response.body)
        except (BrokenPipeError, ConnectionResetError):
            pass

    # -- running -------------------------------------------------------------------------------

    def serve_forever(self) -> None:
        watcher = threading.Thread(target=self._watch, name="mzpress-preview-watch", daemon=True)
        watcher.start()
        if self.editor_httpd is not None:
            self._editor_thread = threading.Thread(target=self.editor_httpd.serve_forever, kwargs={"poll_interval": 0.2},
                                                   name="mzpress-editor", daemon=True)
            self._editor_thread.start()
        try:
            self.httpd.serve_forever(poll_interval=0.2)
        finally:
            self._stop.set()
            self.httpd.server_close()
            if self.editor_httpd is not None:
                if self._editor_thread is not None:
                    self.editor_httpd.shutdown()
                    self._editor_thread.join(timeout=10)
                self.editor_httpd.server_close()

    def shutdown(self) -> None:
        self._stop.set()
        with self._changed:
            self._changed.notify_all()
        self.httpd.shutdown()


def _url_host(host: str) -> str:
    """The host part of an address for ``host`` (the loopback address for a wildcard bind)."""
    if host in _WILDCARDS:
        return "127.0.0.1"
    return _host_name(host)
