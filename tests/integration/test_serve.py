"""`scripts/serve` serves the sample site on 127.0.0.1 (the first of the two commands in README)."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import time
import urllib.request

from tests.support.project import BUILD_DATE, REPO_ROOT


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_scripts_serve_serves_the_sample_site():
    port = _free_port()
    env = dict(os.environ, MZPRESS_BUILD_DATE=BUILD_DATE)
    process = subprocess.Popen([str(REPO_ROOT / "scripts/serve"), "--port", str(port)], cwd=REPO_ROOT, env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        deadline = time.monotonic() + 180
        body = None
        while time.monotonic() < deadline and process.poll() is None:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/topics/xiaoxian/", timeout=5) as response:
                    body = response.read().decode("utf-8")
                    break
            except OSError:
                time.sleep(0.5)
        assert body is not None, process.stdout.read1().decode("utf-8", "replace") if process.poll() is not None else "timeout"
        assert "孝贤文化" in body and "mz-listing" in body
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)
