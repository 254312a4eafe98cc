"""一键置灰 in a real browser: during a mourning period every page's root element is greyscale (CSS only)."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import pytest

from tests.browser.conftest import HOME, STORY, open_page
from tests.support.project import add_story, build, new_project
from tools.nginx_server import Nginx

FILTER = "getComputedStyle(document.documentElement).filter"


@pytest.fixture(scope="module")
def mourning_server():
    base = Path(tempfile.mkdtemp(prefix="mzpress-mourning-"))
    try:
        project = new_project(base / "project")
        add_story(project, 2026, "ceshi-gaojian", title="测试稿件", date="2026-11-20 09:00")
        site_yml = project / "site_config/site.yml"
        site_yml.write_text(site_yml.read_text(encoding="utf-8")
                            + "mourning:\n  - {start: 2026-11-30 00:00, end: 2026-11-30 23:59, reason: 测试用哀悼日}\n",
                            encoding="utf-8")
        site = base / "site"
        result = build(project, site, build_date="2026-11-30 10:00")
        assert result.returncode == 0, result.stdout + result.stderr
        for folder in (base, site, *site.rglob("*")):
            if folder.is_dir():
                folder.chmod(0o755)  # nginx's workers run as nobody when the tests run as root
        with Nginx(site) as nginx:
            yield nginx
    finally:
        shutil.rmtree(base, ignore_errors=True)


def test_every_page_is_grey_during_a_mourning_period(browser, mourning_server):
    context = browser.new_context(locale="zh-CN", service_workers="block")
    try:
        page = context.new_page()
        requests = []
        page.on("request", lambda r: requests.append(r.url))
        for path in ("", "stories/2026/ceshi-gaojian/", "no-such-page/"):
            page.goto(mourning_server.url + path)
            assert page.evaluate(FILTER) == "grayscale(1)", path
        assert all(url.startswith(mourning_server.url) or url.startswith("data:") for url in requests)
    finally:
        context.close()


def test_outside_a_period_nothing_is_grey(page, server):
    for path in (HOME, STORY):
        open_page(page, server, path)
        assert page.evaluate(FILTER) == "none"
