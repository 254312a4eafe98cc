"""Browser tests: the sample site built once, served by nginx with deploy/nginx.conf, driven by Chromium.

One build, one nginx and one browser per test session (per xdist worker; the tests carry
``xdist_group("browser")`` so ``--dist loadgroup`` keeps them on one worker). Each test
gets a fresh browser context (empty localStorage) whose page records console errors and
every request, so any test can assert that nothing left the loopback host. axe-core comes
from node_modules (scripts/install-tools) and is served by nginx next to the site copy.

The build is the repository's sample content plus three fixture stories retired with the
real ``mzpress withdraw`` command: one withdrawn (banner), one unpublished with a redirect,
one unpublished without (a "taken down" notice); the sample bulletin made again with
``mzpress bulletin --force`` so that it is out by the build date; and the sample response (回应关切) dated
the day before the build date, so that the home page pins it.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
import threading
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests.support.project import BUILD_DATE, REPO_ROOT, build, mzpress, story_text, write
from tools.chromium import CHROMIUM, CHROMIUM_ARGS
from tools.nginx_server import NGINX, Nginx

AXE = REPO_ROOT / "node_modules" / "axe-core" / "axe.min.js"

# Pages every check visits (paths below the site root). Verified against the sample content
# by test_sample_pages_exist.
HOME = ""
STORY = "stories/2024/chengguan-xiaolao-zhiyuan/"  # contains 孝老 (title and text), has a cover image
TOPIC = "topics/xiaoxian/"
NOTICE = "notices/2026/shehui-zuzhi-pinggu-2026/"
SAMPLE_PAGES = {"home": HOME, "story": STORY, "topic": TOPIC, "notice": NOTICE}
BULLETIN = "bulletins/2026/2026-10/"
# The sample response (回应关切), dated in the copy so that it is out and pinned on the home page at the build date.
RESPONSE = "responses/2026/yanglao-fuwuzhan-tingye-qingkuang-tongbao/"
RESPONSE_DATE = "2026-11-29 09:00"

# The fixture stories added to the copy of the sample (never to the repository).
WITHDRAWN = "stories/2026/zz-fixture-withdrawn/"
WITHDRAWN_TITLE = "测试用撤回稿件：孝亲敬老宣传周延期"
WITHDRAWN_REASON = "活动延期举办，本文所述时间安排不再有效"
UNPUBLISHED = "stories/2026/zz-fixture-unpublished/"
UNPUBLISHED_TITLE = "测试用撤下稿件：误发的名单"
UNPUBLISHED_REDIRECT = "stories/2024/chengguan-xiaolao-zhiyuan.md"
GONE = "stories/2026/zz-fixture-gone/"
GONE_TITLE = "测试用撤下稿件：重复发布"
GONE_REASON = "与另一篇稿件重复"


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in item.nodeid.replace(os.sep, "/"):
            item.add_marker(pytest.mark.browser)
            item.add_marker(pytest.mark.xdist_group("browser"))


def _require(path: Path, how: str) -> None:
    if not path.exists():
        pytest.fail(f"{path} is missing: {how}", pytrace=False)


@dataclass
class BuiltSite:
    project: Path
    site: Path
    log: str


def _add_fixture_stories(project: Path) -> None:
    stories = project / "content" / "stories" / "2026"
    fixtures = (
        ("zz-fixture-withdrawn", WITHDRAWN_TITLE, ["--reason", WITHDRAWN_REASON]),
        ("zz-fixture-unpublished", UNPUBLISHED_TITLE,
         ["--reason", "误发了含个人信息的名单", "--unpublish", "--redirect", UNPUBLISHED_REDIRECT]),
        ("zz-fixture-gone", GONE_TITLE, ["--reason", GONE_REASON, "--unpublish"]),
    )
    for slug, title, options in fixtures:
        path = write(stories / f"{slug}.md", story_text(
            title, "2026-05-01 09:00", unit="elderly-care", topics=("xiaoxian",),
            summary=f"{title}（摘要）。", body=f"{title}的正文。孝老爱亲测试稿件。"))
        result = mzpress(project, "withdraw", str(path), "--date", "2026-06-01", *options)
        assert result.returncode == 0, result.stdout + result.stderr
    result = mzpress(project, "bulletin", "2026-10", "--force", "--date", "2026-11-05 09:00")
    assert result.returncode == 0, result.stdout + result.stderr
    response = project / "content" / (RESPONSE.rstrip("/") + ".md")
    text = response.read_text(encoding="utf-8")
    dated = re.sub(r"(?m)^date: .*$", f"date: {RESPONSE_DATE}", text, count=1)
    assert dated != text, "the sample response's date line"
    response.write_text(dated, encoding="utf-8")


@pytest.fixture(scope="session")
def built_site() -> BuiltSite:
    # World-readable folders: nginx's workers run as "nobody" when the tests run as root.
    base = Path(tempfile.mkdtemp(prefix="mzpress-browser-"))
    try:
        base.chmod(0o755)
        project = base / "project"
        project.mkdir()
        for name in ("mkdocs.yml", "site_config", "overrides", "content"):
            source = REPO_ROOT / name
            (shutil.copytree if source.is_dir() else shutil.copy)(source, project / name)
        _add_fixture_stories(project)
        site = base / "site"
        result = build(project, site)
        assert result.returncode == 0, result.stdout + result.stderr
        for folder in (base, site, *site.rglob("*")):
            if folder.is_dir():
                folder.chmod(0o755)
        yield BuiltSite(project, site, result.stdout + result.stderr)
    finally:
        shutil.rmtree(base, ignore_errors=True)


@dataclass
class Server:
    base_url: str
    prefix: Path
    site: Path

    def url(self, path: str = "") -> str:
        return self.base_url + path


@pytest.fixture(scope="session")
def server(built_site: BuiltSite):
    _require(NGINX, "run scripts/system-deps (installs nginx)")
    with Nginx(built_site.site) as nginx:
        check = nginx.config_test()
        assert check.returncode == 0, check.stderr
        yield Server(nginx.url, nginx.prefix, built_site.site)


@pytest.fixture(scope="session")
def browser():
    _require(CHROMIUM, "run scripts/system-deps (installs chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


@dataclass
class Recorder:
    """What a page did: console errors, uncaught exceptions, every request URL."""

    host: str
    console_errors: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)

    @property
    def foreign_requests(self) -> list[str]:
        return [u for u in self.requests
                if urlsplit(u).scheme not in ("data", "blob", "about") and urlsplit(u).netloc != self.host]


@pytest.fixture
def recorder(server: Server) -> Recorder:
    return Recorder(urlsplit(server.base_url).netloc)


def new_page(browser, recorder: Recorder, width: int = 1280, height: int = 900):
    context = browser.new_context(viewport={"width": width, "height": height}, locale="zh-CN",
                                  service_workers="block")
    page = context.new_page()
    page.on("console", lambda m: m.type == "error" and recorder.console_errors.append(m.text))
    page.on("pageerror", lambda e: recorder.console_errors.append(f"uncaught: {e}"))
    page.on("request", lambda r: recorder.requests.append(r.url))
    return context, page


@pytest.fixture
def page(browser, recorder: Recorder):
    context, page = new_page(browser, recorder)
    yield page
    context.close()
    # Whatever a test did, nothing may have been fetched from another host.
    assert recorder.foreign_requests == [], recorder.foreign_requests


@pytest.fixture
def mobile_page(browser, recorder: Recorder):
    context, page = new_page(browser, recorder, width=375, height=740)
    yield page
    context.close()
    assert recorder.foreign_requests == [], recorder.foreign_requests


def open_page(page, server: Server, path: str, elder: bool = False, idle: bool = False):
    """Go to ``path``; with ``elder`` the reader's stored choice is 适老化模式 (set before any script runs).

    ``idle`` also waits until the network is quiet (lazy images, the search index)."""
    if elder:
        page.add_init_script("try { localStorage.setItem('mzpress.elder', 'on'); } catch (e) {}")
    response = page.goto(server.url(path))
    if idle:
        page.wait_for_load_state("networkidle")
    return response


def run_axe(page, server: Server) -> list[dict]:
    """axe-core's violations. The npm package's file is served by nginx from the test's copy of the
    site (same origin), so the page runs under its real CSP: never a CDN, never an inline script."""
    _require(AXE, "run scripts/install-tools (installs axe-core from npm)")
    served = server.site / "__tests__" / "axe.min.js"
    if not served.exists():
        served.parent.mkdir(mode=0o755, exist_ok=True)
        shutil.copy(AXE, served)
        served.chmod(0o644)
    page.add_script_tag(url=server.url("__tests__/axe.min.js"))
    return page.evaluate("""async () => {
        const r = await axe.run(document, {resultTypes: ['violations']});
        return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                                       nodes: v.nodes.slice(0, 5).map(n => n.target.join(' '))}));
    }""")


@contextmanager
def running_preview(root: Path, routes=None):
    """The writers' preview (``mzpress preview``) of ``root`` on a free loopback port, served from a thread, with
    the build date of the tests; ``routes`` (the editor's backend) is mounted and shares the preview's lock."""
    from mzpress.adapters.mkdocs.preview import PreviewSite
    from mzpress.adapters.mkdocs.preview_server import PreviewServer

    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    old = os.environ.get("MZPRESS_BUILD_DATE")
    os.environ["MZPRESS_BUILD_DATE"] = BUILD_DATE
    site = PreviewSite(root / "mkdocs.yml")
    server = PreviewServer(site, "127.0.0.1", 0, log=lambda message: None, routes=routes)
    if routes is not None:
        routes.lock = server.lock
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        thread.join(timeout=30)
        site.close()
        if old is None:
            os.environ.pop("MZPRESS_BUILD_DATE", None)
        else:
            os.environ["MZPRESS_BUILD_DATE"] = old
