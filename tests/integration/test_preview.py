"""The writer's preview: what it serves is what the build writes, and a saved file shows at the next request."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import threading
import urllib.request

import pytest
import yaml

from tests.support.project import BUILD_DATE, REPO_ROOT, build
from tools.synthetic_corpus import generate


@pytest.fixture
def project(tmp_path, monkeypatch):
    monkeypatch.setenv("MZPRESS_BUILD_DATE", BUILD_DATE)
    monkeypatch.setenv("NO_MKDOCS_2_WARNING", "1")
    root = tmp_path / "project"
    root.mkdir()
    shutil.copy(REPO_ROOT / "mkdocs.yml", root / "mkdocs.yml")
    shutil.copytree(REPO_ROOT / "site_config", root / "site_config")
    shutil.copytree(REPO_ROOT / "overrides", root / "overrides")
    if (REPO_ROOT / "content" / "assets").is_dir():
        shutil.copytree(REPO_ROOT / "content" / "assets", root / "content" / "assets")
    srcs = generate(root, 20).story_srcs
    return root, list(srcs)


@pytest.fixture
def preview(project):
    from mzpress.adapters.mkdocs.preview import PreviewSite

    root, _ = project
    site = PreviewSite(root / "mkdocs.yml")
    yield site
    site.close()


def _url(src: str) -> str:
    return "/" + src[: -len(".md")] + "/"


def _text(site, url: str) -> str:
    response = site.respond(url)
    assert response.status == 200, (url, response.status)
    return response.body.decode("utf-8")


def _save(path, text):
    path.write_text(text, encoding="utf-8")
    info = path.stat()
    os.utime(path, ns=(info.st_atime_ns, info.st_mtime_ns + 1_000_000))


def _topic(path) -> str:
    return yaml.safe_load(path.read_text(encoding="utf-8").split("---")[1])["topics"][0]


def test_the_preview_serves_exactly_the_pages_the_build_writes(project, preview, tmp_path):
    root, srcs = project
    built = build(root, tmp_path / "out")
    assert built.returncode == 0, built.stderr
    for url in (_url(srcs[-1]), _url(srcs[0]), "/stories/", "/", "/topics/xiaoxian/"):
        written = (tmp_path / "out" / url.strip("/") / "index.html").read_bytes()
        assert preview.respond(url).body == written, url


def test_a_saved_story_shows_at_the_next_request_with_its_listings(project, preview):
    root, srcs = project
    newest = root / "content" / srcs[-1]
    year, topic = srcs[-1].split("/")[1], _topic(newest)
    for url in (_url(srcs[-1]), "/", "/stories/", f"/stories/{year}/", f"/topics/{topic}/"):
        _text(preview, url)  # rendered once before the edit, as an open browser tab would
    assert preview.refresh() is False
    text = newest.read_text(encoding="utf-8")
    text = re.sub(r"^title: .*$", "title: 预览里改过的标题", text, count=1, flags=re.MULTILINE)
    _save(newest, text + "\n预览里新增的一段。\n")
    assert preview.refresh() is True
    assert "预览里新增的一段" in _text(preview, _url(srcs[-1]))
    for url in ("/", "/stories/", f"/stories/{year}/", f"/topics/{topic}/"):
        assert "预览里改过的标题" in _text(preview, url), url


def test_new_drafted_and_deleted_stories_appear_and_disappear(project, preview):
    root, srcs = project
    assert preview.respond(_url(srcs[-2])).status == 200
    new = root / "content" / "stories" / "2026" / "preview-new-story.md"
    source = (root / "content" / srcs[-1]).read_text(encoding="utf-8")
    _save(new, re.sub(r"^title: .*$", "title: 新写的一篇稿件", source, count=1, flags=re.MULTILINE))
    draft = root / "content" / srcs[-2]
    _save(draft, draft.read_text(encoding="utf-8").replace("---\n\n", "draft: true\n---\n\n", 1))
    (root / "content" / srcs[-3]).unlink()
    assert preview.refresh() is True
    assert "新写的一篇稿件" in _text(preview, "/stories/2026/preview-new-story/")
    assert "新写的一篇稿件" in _text(preview, "/stories/")
    assert "草稿：本页不会发布到网站上" in _text(preview, _url(srcs[-2]))  # the writer still sees the draft
    assert preview.respond(_url(srcs[-3])).status == 404
    listing = _text(preview, "/stories/")
    assert _url(srcs[-2]).strip("/").split("/")[-1] not in listing


def test_a_configuration_change_reloads_everything(project, preview):
    root, srcs = project
    assert "0000-0000000" in _text(preview, _url(srcs[0]))
    site = root / "site_config" / "site.yml"
    _save(site, site.read_text(encoding="utf-8").replace("phone: 0000-0000000", "phone: 0000-7654321"))
    assert preview.refresh() is True
    assert "0000-7654321" in _text(preview, _url(srcs[0]))


def test_addresses_assets_and_errors(project, preview):
    root, srcs = project
    moved = preview.respond(_url(srcs[0]).rstrip("/"))
    assert moved.status == 301 and moved.location == _url(srcs[0])
    assert preview.respond("/no/such/page/").status == 404
    image = next((root / "content" / "stories").rglob("*.jpg"))
    served = preview.respond("/" + image.relative_to(root / "content").as_posix())
    assert served.status == 200 and served.body == image.read_bytes() and served.content_type == "image/jpeg"
    css = preview.respond("/assets/stylesheets/mzpress.css")
    assert css.status == 200 and css.content_type.startswith("text/css")
    _text(preview, _url(srcs[0]))
    search = _text(preview, "/search/")  # the search page; the preview has no built site, so no index
    assert "data-mz-search" in search and preview.respond("/search-index/index.json").status == 404
    assert "写作预览里没有站内搜索" in search
    assert preview.url_of("content/" + srcs[0]) == _url(srcs[0])
    assert preview.url_of("content/stories/2026/missing.md") is None


def test_the_command_serves_pages_that_reload_themselves(project):
    root, srcs = project
    process = subprocess.Popen([sys.executable, "-m", "mzpress.cli", "--root", str(root), "preview", "--port", "0",
                                str(root / "content" / srcs[-1])],
                               cwd=root, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    lines: list[str] = []
    found = threading.Event()

    def read():
        for line in process.stderr:
            lines.append(line)
            if "稿件编辑器" in line:
                found.set()
        found.set()

    threading.Thread(target=read, daemon=True).start()
    try:
        assert found.wait(120), "".join(lines)
        address = re.search(r"预览地址：(http://127\.0\.0\.1:\d+)(\S*)", "".join(lines))
        assert address and address.group(2) == _url(srcs[-1])
        # The editor has a port of its own (another origin than the previewed pages).
        editor = re.search(r"稿件编辑器：(http://127\.0\.0\.1:(\d+))/admin/", "".join(lines))
        assert editor and editor.group(1) != address.group(1), "".join(lines)
        with urllib.request.urlopen(address.group(1) + address.group(2), timeout=60) as response:
            page = response.read().decode("utf-8")
            policy = response.headers["Content-Security-Policy"]
        assert '<script src="/__mzpress__/reload.js" data-version="0"></script></body>' in page
        assert "script-src 'self';" in policy and "unsafe-inline" not in policy
        with urllib.request.urlopen(address.group(1) + "/__mzpress__/reload.js", timeout=60) as response:
            assert "/__mzpress__/version?since=" in response.read().decode("utf-8")
        with urllib.request.urlopen(address.group(1) + "/__mzpress__/version?since=-1", timeout=60) as response:
            assert response.read() == b'{"version": 0}'
        path = root / "content" / srcs[-1]
        _save(path, path.read_text(encoding="utf-8") + "\n命令行预览新增的一段。\n")
        with urllib.request.urlopen(address.group(1) + address.group(2), timeout=60) as response:
            assert "命令行预览新增的一段" in response.read().decode("utf-8")
    finally:
        process.terminate()
        process.wait(timeout=30)


def test_a_page_with_an_error_shows_its_errors_until_it_is_fixed(project, preview):
    root, srcs = project
    path = root / "content" / srcs[-1]
    original = path.read_text(encoding="utf-8")
    assert "本页有错误" not in _text(preview, _url(srcs[-1]))
    _save(path, original + "\n联系电话13912345678。\n")
    assert preview.refresh() is True
    shown = _text(preview, _url(srcs[-1]))
    assert "本页有错误，暂不发布" in shown and "privacy.mobile" in shown and "13912345678" not in shown
    assert "本页有错误" not in _text(preview, _url(srcs[-2]))  # the other pages are served as usual
    _save(path, original + "\n联系电话139****5678。\n")
    assert preview.refresh() is True
    assert "本页有错误" not in _text(preview, _url(srcs[-1]))


def _set(path, line: str) -> None:
    """Add ``line`` to the front matter of ``path`` (saved as a writer would)."""
    _save(path, path.read_text(encoding="utf-8").replace("---\n\n", f"{line}\n---\n\n", 1))


def _banner(html: str) -> str:
    found = re.search(r'<div class="mz-preview-banner[^"]*"[^>]*>(.*?)</div>', html, re.S)
    return " ".join(re.sub(r"<[^>]+>", "", found.group(1)).split()) if found else ""


def test_drafts_scheduled_and_expiring_pages_show_a_banner_in_the_preview_only(project, preview, tmp_path):
    root, srcs = project
    draft_src, gone_src, going_src, later_src = srcs[-4:]
    assert later_src.startswith("stories/2026/")  # its new date stays in its year folder
    draft, gone, going, later = (root / "content" / src for src in srcs[-4:])
    title = yaml.safe_load(later.read_text(encoding="utf-8").split("---")[1])["title"]
    _set(draft, "draft: true")
    _save(later, re.sub(r"^date: .*$", "date: 2026-12-20 09:30", later.read_text(encoding="utf-8"),
                        count=1, flags=re.MULTILINE))
    _set(gone, "unpublish_at: 2026-11-01 18:00")
    _set(going, "unpublish_at: 2026-12-31 18:00")
    assert preview.refresh() is True
    assert _banner(_text(preview, _url(draft_src))).startswith("草稿：本页不会发布到网站上。")
    scheduled = _text(preview, _url(later_src))
    assert _banner(scheduled).startswith("定时发布：将于2026-12-20 09:30上线。") and title in scheduled
    assert _banner(_text(preview, _url(gone_src))).startswith("已下线：本页已于2026-11-01 18:00按计划下线")
    assert _banner(_text(preview, _url(going_src))).startswith("定时下线：将于2026-12-31 18:00下线。")
    assert _banner(_text(preview, _url(srcs[0]))) == ""  # an ordinary page: no banner
    assert preview.url_of("content/" + draft_src) == _url(draft_src)  # `mzpress preview DRAFT` opens it
    listing = _text(preview, "/stories/")
    assert title not in listing
    for src in (draft_src, gone_src, later_src):  # not public: in no listing, not in the search index
        assert src.split("/")[-1][: -len(".md")] not in listing
    assert going_src.split("/")[-1][: -len(".md")] in listing
    assert preview.respond("/search-index/index.json").status == 404  # no search index that could hold them
    # The public build of the same files: draft and scheduled not built, the expired one a notice,
    # the expiring one without a banner; no banner anywhere.
    built = build(root, tmp_path / "out")
    assert built.returncode == 0, built.stderr
    out = tmp_path / "out"
    assert not (out / _url(draft_src).strip("/") / "index.html").exists()
    assert not (out / _url(later_src).strip("/") / "index.html").exists()
    assert "本页已撤下" in (out / _url(gone_src).strip("/") / "index.html").read_text(encoding="utf-8")
    assert (out / _url(going_src).strip("/") / "index.html").is_file()
    assert not [p for p in out.rglob("*.html") if b"mz-preview-banner" in p.read_bytes()]


# --------------------------------------------------------------------------- the preview's clock


class _Clock:
    """A clock the test moves by hand."""

    def __init__(self, now):
        self.now = now

    def __call__(self):
        return self.now


def _new_story(root, srcs, slug: str, title: str, date: str):
    source = (root / "content" / srcs[-1]).read_text(encoding="utf-8")
    source = re.sub(r"^title: .*$", f"title: {title}", source, count=1, flags=re.MULTILINE)
    source = re.sub(r"^date: .*$", f"date: {date}", source, count=1, flags=re.MULTILINE)
    path = root / "content" / "stories" / date[:4] / f"{slug}.md"
    _save(path, source)
    return path


def test_scheduled_pages_go_online_when_the_clock_reaches_them(project):
    import datetime as dt

    from mzpress.adapters.mkdocs.preview import PreviewSite
    from mzpress.model.schema import TIMEZONE

    root, srcs = project  # MZPRESS_BUILD_DATE is set: a clock given to the preview wins
    clock = _Clock(dt.datetime(2026, 12, 7, 14, 30, tzinfo=TIMEZONE))
    preview = PreviewSite(root / "mkdocs.yml", clock=clock)
    try:
        assert preview.clock_line().startswith("预览按当前时间（2026-12-07 14:30）判断定时发布和下线")
        assert preview.refresh() is False
        _text(preview, "/stories/")  # an open listing, rendered before anything changes
        _new_story(root, srcs, "clock-later", "五分钟后上线的稿件", "2026-12-07 14:35")
        assert preview.refresh() is True
        page = _text(preview, "/stories/2026/clock-later/")
        assert _banner(page).startswith("定时发布：将于2026-12-07 14:35上线。")
        assert "预览按当前时间（2026-12-07 14:30）判断定时发布和下线" in _banner(page)
        assert "五分钟后上线的稿件" not in _text(preview, "/stories/")
        clock.now += dt.timedelta(minutes=2)  # nothing reaches its time: no work, the banner shows the minute
        assert preview.refresh() is False
        assert "预览按当前时间（2026-12-07 14:32）" in _banner(_text(preview, "/stories/2026/clock-later/"))
        clock.now += dt.timedelta(minutes=3)  # 14:35: no file changed, the story goes online
        assert preview.refresh() is True
        assert "五分钟后上线的稿件" in _text(preview, "/stories/")
        assert _banner(_text(preview, "/stories/2026/clock-later/")) == ""
        assert preview.refresh() is False
        # Written at 14:40 with a time that has passed (14:38, after the preview started): online at once.
        clock.now += dt.timedelta(minutes=5)
        _new_story(root, srcs, "clock-past", "写得晚、时间已过的稿件", "2026-12-07 14:38")
        assert preview.refresh() is True
        assert _banner(_text(preview, "/stories/2026/clock-past/")) == ""
        assert "写得晚、时间已过的稿件" in _text(preview, "/stories/")
    finally:
        preview.close()


def test_a_build_date_keeps_the_preview_clock_fixed_and_says_so(project, preview):
    root, srcs = project
    assert preview.clock_fixed == "环境变量 MZPRESS_BUILD_DATE"
    assert preview.clock_line().startswith("预览按设定的时间（2026-11-30 23:59，来自环境变量 MZPRESS_BUILD_DATE）")
    _new_story(root, srcs, "fixed-later", "定时稿件", "2026-12-01 09:00")
    assert preview.refresh() is True
    banner = _banner(_text(preview, "/stories/2026/fixed-later/"))
    assert banner.startswith("定时发布：将于2026-12-01 09:00上线。")
    assert "预览按设定的时间（2026-11-30 23:59，来自环境变量 MZPRESS_BUILD_DATE）判断定时发布和下线" in banner
    assert preview.refresh() is False


def test_the_command_lists_a_story_when_its_time_comes_without_a_restart(project):
    """The real command on the real clock: a story dated a few seconds ahead appears in the list by itself."""
    import datetime as dt
    import time

    from mzpress.model.schema import TIMEZONE

    root, srcs = project
    env = {k: v for k, v in os.environ.items() if k != "MZPRESS_BUILD_DATE"}
    process = subprocess.Popen([sys.executable, "-m", "mzpress.cli", "--root", str(root), "preview", "--port", "0"],
                               cwd=root, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    lines: list[str] = []
    ready, online = threading.Event(), threading.Event()

    def read():
        for line in process.stderr:
            lines.append(line)
            if "预览按当前时间（" in line:
                ready.set()
            if "《秒级定时稿件》上线" in line:
                online.set()
        ready.set()

    threading.Thread(target=read, daemon=True).start()
    try:
        assert ready.wait(120) and "预览按当前时间（" in "".join(lines), "".join(lines)
        address = re.search(r"预览地址：(http://127\.0\.0\.1:\d+)/", "".join(lines)).group(1)

        def get(path: str) -> str:
            with urllib.request.urlopen(address + path, timeout=60) as response:
                return response.read().decode("utf-8")

        due = dt.datetime.now(TIMEZONE).replace(microsecond=0) + dt.timedelta(seconds=6)
        _new_story(root, srcs, "seconds-ahead", "秒级定时稿件", due.strftime("%Y-%m-%d %H:%M:%S"))
        page = get(f"/stories/{due.year}/seconds-ahead/")
        seen_scheduled = dt.datetime.now(TIMEZONE) < due
        if seen_scheduled:  # answered before its time (the usual case): scheduled, and not in the list
            assert _banner(page).startswith("定时发布：将于") and "预览按当前时间（" in _banner(page)
            assert "秒级定时稿件" not in get("/stories/")
        deadline = due + dt.timedelta(seconds=20)
        while "秒级定时稿件" not in get("/stories/"):
            assert dt.datetime.now(TIMEZONE) < deadline, "the story was not listed without a restart"
            time.sleep(0.5)
        assert dt.datetime.now(TIMEZONE) >= due
        assert _banner(get(f"/stories/{due.year}/seconds-ahead/")) == ""
        if seen_scheduled:  # the clock took it online: the console says so
            assert online.wait(10), "".join(lines)
    finally:
        process.terminate()
        process.wait(timeout=30)
