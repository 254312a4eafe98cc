"""The writer's preview server: pages rendered on request from the files as they are now.

A small HTTP server on 127.0.0.1 in front of a *backend* that knows how to render
one address (the MkDocs adapter, :class:`mzpress.adapters.mkdocs.preview.PreviewSite`). Nothing is
built ahead: when the browser asks for a page, the backend first looks for changed
files (a quick scan of sizes and modification times), brings its content model up
to date (only changed files are read again), and renders just that page. So a
saved story is visible at the next request, and the listings that include it are
regenerated with it.

Open pages reload themselves: every HTML page gets a tiny script that waits on
``/__mzpress__/version`` (long polling) and reloads when a change was seen; a
background thread looks for changes every half second.
"""

from __future__ import annotations

import json
import sys
import threading
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Protocol
from urllib.parse import parse_qs, urlsplit

VERSION_PATH = "/__mzpress__/version"
_LONG_POLL_SECONDS = 20
_RELOAD_SCRIPT = (
    "<script>(function(){{var v={version};function poll(){{fetch('" + VERSION_PATH + "?since='+v)"
    ".then(function(r){{return r.json()}}).then(function(d){{if(d.version!==v){{location.reload()}}else{{poll()}}}})"
    ".catch(function(){{setTimeout(poll,2000)}})}}poll()}})();</script>"
)

@dataclass
class Response:
    status: int
    content_type: str
    body: bytes
    location: str | None = None

class PreviewBackend(Protocol):
    def refresh(self) -> bool:
        """Look for changed files and take them in; True when something changed."""

    def respond(self, path: str) -> Response:
        """The response for a request path such as ``/stories/2025/x/``."""


class Routes(Protocol):
    """Extra routes mounted on the preview (the writers' editor, ``editor_api.EditorApi``)."""

    def handles(self, path: str) -> bool: ...

    def get(self, path: str) -> Response: ...

    def post(self, path: str, body: bytes) -> Response: ...

LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost", "[::1]"})


def cross_site_refusal(headers) -> str:
    """Why a POST to the editor's backend must be refused ("" when it may proceed).

    Any web page the writer has open can send a form or a ``text/plain`` request to 127.0.0.1. The editor
    posts JSON (which a foreign page can send only after a CORS preflight this server never answers), from
    its own address (``Origin``), to a loopback host name (``Host``; a rebound DNS name is refused)."""
    host = (headers.get("Host") or "").lower()
    name = host.rsplit(":", 1)[0] if not host.endswith("]") else host
    if name not in LOOPBACK_HOSTS:
        return f"编辑器只接受发往本机地址的请求（收到的主机名是“{host}”）。"
    if not (headers.get("Content-Type") or "").lower().startswith("application/json"):
        return "编辑器只接受 JSON 请求。"
    origin = headers.get("Origin")
    if origin is not None and origin.lower() != f"http://{host}":
        return f"编辑器不接受来自“{origin}”的请求。"
    return ""


def with_live_reload(html: bytes, version: int) -> bytes:
    """The page with the reload script added before ``</body>`` (or at the end)."""
    script = _RELOAD_SCRIPT.format(version=version).encode("utf-8")
    index = html.rfind(b"</body>")
    return html[:index] + script + html[index:] if index >= 0 else html + script

class PreviewServer:
    """Serves a backend; one request renders at a time (MkDocs is not thread-safe)."""

    def __init__(self, backend: PreviewBackend, host: str = "127.0.0.1", port: int = 8000,
                 poll_seconds: float = 0.5, log=None, routes: Routes | None = None):
        self.backend = backend
        self.routes = routes
        self.version = 0
        self.poll_seconds = poll_seconds
        self.log = log or (lambda message: print(message, file=sys.stderr, flush=True))
        self._lock = threading.RLock()
        self._changed = threading.Condition()
        self._stop = threading.Event()
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self):  # noqa: N802 - the name http.server calls
                server._handle(self, head=False)

            def do_HEAD(self):  # noqa: N802
                server._handle(self, head=True)

            def do_POST(self):  # noqa: N802
                server._handle_post(self)

            def log_message(self, format, *args):  # requests are not worth a line each
                pass

        self.httpd = ThreadingHTTPServer((host, port), Handler)
        self.httpd.daemon_threads = True
        self.port = self.httpd.server_address[1]

    @property
    def lock(self) -> threading.RLock:
        """Held while a page renders or files are taken in (mounted routes writing files hold it too)."""
        return self._lock

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

    def _handle(self, request: BaseHTTPRequestHandler, head: bool) -> None:
        parts = urlsplit(request.path)
        if parts.path == VERSION_PATH:
            self._send(request, self._version_response(parse_qs(parts.query)), head)
            return
        if self.routes is not None and self.routes.handles(parts.path):
            self._send(request, self.routes.get(parts.path), head)
            return
        if parts.path.endswith("/") or parts.path.endswith(".html") or "." not in parts.path.rsplit("/", 1)[-1]:
            self.scan()  # a page: make sure it reflects the files as they are now
        with self._lock:
            try:
                response = self.backend.respond(parts.path)
            except Exception as exc:
                self.log(f"渲染 {parts.path} 时出错：{exc}")
                message = f"<h1>预览出错</h1><p>{exc}</p><p>请查看运行 mzpress preview 的窗口中的提示。</p>"
                response = Response(500, "text/html; charset=utf-8", message.encode("utf-8"))
        if response.content_type.startswith("text/html"):
            response.body = with_live_reload(response.body, self.version)
        self._send(request, response, head)

    def _handle_post(self, request: BaseHTTPRequestHandler) -> None:
        """POSTs go to the mounted routes only (the editor's backend); the scan afterwards shows a save."""
        path = urlsplit(request.path).path
        try:
            length = int(request.headers.get("Content-Length") or 0)
        except ValueError:
            length = -1
        if self.routes is None or not self.routes.handles(path) or length < 0:
            self._send(request, Response(404, "text/plain; charset=utf-8", "没有这个地址。".encode()), False)
            return
        refusal = cross_site_refusal(request.headers)
        if refusal:
            self.log(f"拒绝了一个来自其他网站的编辑器请求：{refusal}")
            self._send(request, Response(403, "text/plain; charset=utf-8", refusal.encode("utf-8")), False)
            return
        body = request.rfile.read(length) if length else b""
        try:
            response = self.routes.post(path, body)
        except Exception as exc:  # the editor shows the message; the preview keeps running
            self.log(f"编辑器请求 {path} 出错：{exc}")
            response = Response(500, "application/json; charset=utf-8",
                                json.dumps({"error": f"编辑器后端出错：{exc}"}, ensure_ascii=False).encode("utf-8"))
        self._send(request, response, False)
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
    def _send(request: BaseHTTPRequestHandler, response: Response, head: bool) -> None:
        try:
            request.send_response(response.status)
            request.send_header("Content-Type", response.content_type)
            request.send_header("Content-Length", str(len(response.body)))
            request.send_header("Cache-Control", "no-store")
            if response.location:
                request.send_header("Location", response.location)
            request.end_headers()
            if not head:
                request.wfile.write(response.body)
        except (BrokenPipeError, ConnectionResetError):
            pass

    # -- running -------------------------------------------------------------------------------

    def serve_forever(self) -> None:
        watcher = threading.Thread(target=self._watch, name="mzpress-preview-watch", daemon=True)
        watcher.start()
        try:
            self.httpd.serve_forever(poll_interval=0.2)
        finally:
            self._stop.set()
            self.httpd.server_close()

    def shutdown(self) -> None:
        self._stop.set()
        with self._changed:
            self._changed.notify_all()
        self.httpd.shutdown()
