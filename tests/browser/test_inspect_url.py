"""``mzpress inspect --url`` against the built sample site served by nginx (deploy/nginx.conf) on loopback.

The shared ``server`` serves the sample as built; a second nginx serves a damaged copy: one page the
home page links to is gone (404) and the home page's footer lacks the ICP number.
"""

from __future__ import annotations

import json
import shutil
import tempfile
from pathlib import Path

import pytest

from tests.support.project import mzpress
from tools.nginx_server import Nginx, free_port

ICP = "赣ICP备00000000号-1"  # site_config/site.yml of the sample
GONE = "notices/"  # linked from the home page (通知公告 → 更多); the folder and every notice in it


def _inspect_json(project: Path, url: str) -> dict:
    result = mzpress(project, "inspect", "--url", url, "--at", "2026-11-30", "--format", "json")
    assert result.returncode in (0, 1), result.stdout + result.stderr
    return json.loads(result.stdout)


def _indicator(data: dict, key: str) -> dict:
    return next(i for i in data["indicators"] if i["key"] == key)


def test_the_deployed_sample_site_is_reachable_and_shows_its_identity(built_site, server):
    data = _inspect_json(built_site.project, server.base_url)
    probe = data["probe"]
    assert probe["url"] == server.base_url and probe["https"] is False
    pages = probe["pages"]
    assert pages[0]["url"] == server.base_url and len(pages) == 11  # the home page and a sample of 10
    assert all(p["status"] == 200 and p["reachable"] and p["seconds"] < 15 for p in pages), pages
    assert all(p["url"].startswith(server.base_url) for p in pages)  # the sitemap's production host re-based
    assert probe["sample_source"] == "首页链接和网站地图"
    assert {i["label"]: (i["expected"], i["found_on"]) for i in probe["identity"]} == {
        "网站标识码": ("0000000000", 11), "ICP备案号": (ICP, 11), "公安机关备案号": ("赣公网安备00000000000000号", 11)}
    reachability = _indicator(data, "reachability")
    assert reachability["judged"] and not reachability["triggered"] and reachability["veto"]
    assert _indicator(data, "footer-identity")["problems"] == 0
    assert _indicator(data, "online-links")["problems"] == 0
    https = _indicator(data, "https")
    assert https["problems"] == 1 and "没有使用HTTPS" in https["evidence"][0]

    table = mzpress(built_site.project, "inspect", "--url", server.base_url, "--at", "2026-11-30",
                    "--format", "markdown").stdout
    for name in ("| 网站可访问性 |", "| 线上页面可用性 |", "| 网站标识 |", "| HTTPS安全访问 |"):
        assert name in table


@pytest.fixture
def damaged_server(built_site):
    """nginx on a copy of the built site with one linked page removed and the home footer's ICP number cut."""
    base = Path(tempfile.mkdtemp(prefix="mzpress-inspect-"))
    try:
        base.chmod(0o755)
        site = base / "site"
        shutil.copytree(built_site.site, site)
        shutil.rmtree(site / GONE)
        home = site / "index.html"
        text = home.read_text(encoding="utf-8")
        assert ICP in text
        home.write_text(text.replace(ICP, ""), encoding="utf-8")
        for path in (base, site, *site.rglob("*")):
            path.chmod(0o755 if path.is_dir() else 0o644)
        with Nginx(site) as nginx:
            yield nginx.url
    finally:
        shutil.rmtree(base, ignore_errors=True)


def test_a_missing_page_and_a_footer_without_icp_are_reported(built_site, damaged_server):
    data = _inspect_json(built_site.project, damaged_server)
    pages = {p["url"]: p for p in data["probe"]["pages"]}
    gone = pages[damaged_server + GONE]
    assert gone["status"] == 404 and gone["reachable"]  # the server answered: a broken page, not a dead site
    online = _indicator(data, "online-links")
    removed = [url for url in pages if url.startswith(damaged_server + GONE)]  # the folder and any sampled notice
    assert all(pages[url]["status"] == 404 for url in removed)
    assert online["problems"] == len(removed) >= 1 and any(damaged_server + GONE in line and "页面不存在" in line
                                                           for line in online["evidence"])
    assert all(p["status"] == 200 for url, p in pages.items() if url not in removed)
    identity = _indicator(data, "footer-identity")
    assert identity["problems"] == 1
    checked = sum(1 for p in data["probe"]["pages"] if p["identity"])
    assert f"ICP备案号“{ICP}”：抽查的{checked}个页面中1个页脚没有。" in identity["evidence"]
    assert data["probe"]["pages"][0]["identity"]["ICP备案号"] is False
    assert not _indicator(data, "reachability")["triggered"]

    # nothing listens any more on a port: unreachable, a single veto, and no crash
    port = free_port()
    result = mzpress(built_site.project, "inspect", "--url", f"http://127.0.0.1:{port}/", "--at", "2026-11-30")
    assert result.returncode == 1, result.stdout + result.stderr
    assert "[不合格] 网站可访问性" in result.stdout and "连接被拒绝" in result.stdout
    assert "Traceback" not in result.stderr
