"""deploy/nginx.conf serving a built site on a loopback port: for the load test and the browser tests.

``Nginx(site)`` fills in the template's two placeholders (``${MZ_LISTEN}``, ``${MZ_ROOT}``) as
envsubst would, with a free loopback port and a temporary prefix; as a context manager it starts
nginx in the foreground, returns once nginx answers, and stops it and removes the prefix on exit.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import tempfile
import time
import urllib.request
from pathlib import Path

from tools.processes import stop_process

REPO = Path(__file__).resolve().parents[1]
NGINX = Path("/usr/sbin/nginx")
NGINX_TEMPLATE = REPO / "deploy" / "nginx.conf"
START_TIMEOUT_S = 20


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def render_nginx_conf(listen: str, root: Path) -> str:
    """deploy/nginx.conf with its two placeholders filled in, as envsubst would."""
    text = NGINX_TEMPLATE.read_text(encoding="utf-8")
    if "${MZ_LISTEN}" not in text or "${MZ_ROOT}" not in text:
        raise RuntimeError(f"{NGINX_TEMPLATE} lost its ${{MZ_LISTEN}} or ${{MZ_ROOT}} placeholder")
    return text.replace("${MZ_LISTEN}", listen).replace("${MZ_ROOT}", str(root))


class Nginx:
    """nginx with deploy/nginx.conf serving ``site`` on ``url`` (http://127.0.0.1:PORT/)."""

    def __init__(self, site: Path, prefix_name: str = "mzpress-nginx-"):
        self.site = Path(site).resolve()
        self.prefix = Path(tempfile.mkdtemp(prefix=prefix_name))
        for sub in ("logs", "temp"):
            (self.prefix / sub).mkdir()
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}/"
        self.conf = self.prefix / "nginx.conf"
        self.conf.write_text(render_nginx_conf(f"127.0.0.1:{self.port}", self.site), encoding="utf-8")
        self.process: subprocess.Popen | None = None

    def config_test(self) -> subprocess.CompletedProcess:
        """``nginx -t`` on the rendered configuration."""
        return subprocess.run([str(NGINX), "-t", "-q", "-c", str(self.conf), "-p", f"{self.prefix}/"],
                              capture_output=True, text=True)

    def __enter__(self) -> Nginx:
        self.process = subprocess.Popen([str(NGINX), "-c", str(self.conf), "-p", f"{self.prefix}/", "-g", "daemon off;"],
                                        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        deadline = time.monotonic() + START_TIMEOUT_S
        while True:  # polls until nginx answers (not a timing assumption)
            try:
                with urllib.request.urlopen(self.url, timeout=2):
                    return self
            except OSError:
                if self.process.poll() is not None or time.monotonic() > deadline:
                    self.__exit__()
                    raise RuntimeError("nginx did not start: "
                                       + self.process.stderr.read().decode(errors="replace")) from None
                time.sleep(0.05)

    def __exit__(self, *exc) -> None:
        if self.process is not None:
            stop_process(self.process)
        shutil.rmtree(self.prefix, ignore_errors=True)
