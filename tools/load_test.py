"""A bounded load test: the built site served by nginx with deploy/nginx.conf on loopback, hit by an asyncio client.

    scripts/load-test [--site site] [--seconds 5] [--connections 32]

Starts nginx (``/usr/sbin/nginx``) on a free loopback port with a temporary prefix, then opens
``--connections`` keep-alive HTTP/1.1 connections that request every page and file of the site's
integrity manifest in turn (gzip accepted, as browsers do) for ``--seconds``. Prints requests per
second, bytes, latency percentiles and errors (any status other than 200, any connection error)
and one JSON line; exit 1 when there was any error. Loopback only: nothing leaves the machine.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from mzpress.publishing.manifest import MANIFEST_NAME, read_manifest
from tools.nginx_server import NGINX, Nginx

REPO = Path(__file__).resolve().parent.parent


@dataclass
class Stats:
    requests: int = 0
    errors: int = 0
    bytes: int = 0
    latencies: list[float] = field(default_factory=list)
    error_samples: list[str] = field(default_factory=list)

    def error(self, what: str) -> None:
        self.errors += 1
        if len(self.error_samples) < 5:
            self.error_samples.append(what)


def site_paths(site: Path) -> list[str]:
    """Every address of the site: pages as their directory URL, other files as themselves."""
    paths = []
    for name in sorted(read_manifest(site / MANIFEST_NAME).files):
        if name == "index.html" or name.endswith("/index.html"):
            paths.append("/" + name[: -len("index.html")])
        elif name != "404.html":
            paths.append("/" + name)
    return [urllib.request.quote(p) for p in paths]


async def _read_body(reader: asyncio.StreamReader, headers: dict[str, str]) -> int:
    if headers.get("transfer-encoding", "").lower() == "chunked":
        total = 0
        while True:
            size = int((await reader.readline()).split(b";")[0].strip(), 16)
            if size == 0:
                await reader.readline()
                return total
            total += len(await reader.readexactly(size))
            await reader.readline()
    length = int(headers.get("content-length", "0"))
    return len(await reader.readexactly(length))


async def _connection(port: int, paths: list[str], start: int, deadline: float, stats: Stats) -> None:
    index = start
    reader = writer = None
    while time.monotonic() < deadline:
        try:
            if writer is None:
                reader, writer = await asyncio.open_connection("127.0.0.1", port)
            path = paths[index % len(paths)]
            index += 1
            began = time.monotonic()
            writer.write(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept-Encoding: gzip\r\n\r\n".encode())
            status = (await reader.readline()).split()
            headers = {}
            while (line := await reader.readline()) not in (b"\r\n", b""):
                key, _, value = line.decode("latin-1").partition(":")
                headers[key.strip().lower()] = value.strip()
            stats.bytes += await _read_body(reader, headers)
            stats.latencies.append(time.monotonic() - began)
            stats.requests += 1
            if len(status) < 2 or status[1] != b"200":
                stats.error(f"{path}: {b' '.join(status).decode('latin-1')}")
            if headers.get("connection", "").lower() == "close":
                writer.close()
                writer = None
        except (OSError, asyncio.IncompleteReadError, ValueError) as exc:
            stats.error(f"connection: {exc!r}")
            if writer is not None:
                writer.close()
            writer = None
    if writer is not None:
        writer.close()


async def load(port: int, paths: list[str], seconds: float, connections: int) -> Stats:
    stats = Stats()
    deadline = time.monotonic() + seconds
    step = max(1, len(paths) // connections)
    await asyncio.gather(*(_connection(port, paths, n * step, deadline, stats) for n in range(connections)))
    return stats


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * share))] if ordered else 0.0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="scripts/load-test", description=__doc__.split("\n\n")[0])
    parser.add_argument("--site", type=Path, default=REPO / "site", help="built site with its manifest (default site/)")
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--connections", type=int, default=32)
    args = parser.parse_args(argv)
    if not (args.site / MANIFEST_NAME).is_file():
        print(f"没有找到构建好的网站（{args.site}/{MANIFEST_NAME}）。请先运行 scripts/build。", file=sys.stderr)
        return 2
    if not NGINX.exists():
        print("没有找到 nginx（/usr/sbin/nginx）。请先运行 scripts/system-deps。", file=sys.stderr)
        return 2
    paths = site_paths(args.site)
    with Nginx(args.site, "mzpress-load-") as nginx:
        started = time.monotonic()
        stats = asyncio.run(load(nginx.port, paths, args.seconds, args.connections))
        elapsed = time.monotonic() - started
    result = {"seconds": round(elapsed, 2), "connections": args.connections, "addresses": len(paths),
              "requests": stats.requests, "requests_per_s": round(stats.requests / elapsed, 1),
              "mb_per_s": round(stats.bytes / elapsed / 1e6, 1), "errors": stats.errors,
              "p50_ms": round(percentile(stats.latencies, 0.5) * 1000, 2),
              "p99_ms": round(percentile(stats.latencies, 0.99) * 1000, 2)}
    print(f"{elapsed:.1f}秒内{args.connections}个连接共请求{stats.requests}次（{len(paths)}个网址轮流），"
          f"每秒{result['requests_per_s']}次，{result['mb_per_s']} MB/秒，"
          f"延迟中位数{result['p50_ms']}毫秒、99%分位{result['p99_ms']}毫秒，错误{stats.errors}个。")
    for sample in stats.error_samples:
        print(f"  错误：{sample}", file=sys.stderr)
    print(json.dumps(result, ensure_ascii=False))
    return 1 if stats.errors else 0


if __name__ == "__main__":
    sys.exit(main())
