"""The writer's preview in Chromium: a broken page shows its findings (file:line, message, fix) in the
page, a scheduled page its 定时发布 banner above the page as it will look, an expiring page when it goes; an open
page reloads itself when its file is saved."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import Recorder, new_page, running_preview
from tests.support.project import add_story, new_project

SCHEDULED_TITLE = "定时发布的稿件：元旦慰问安排"
GOING_TITLE = "限时公告：冬季救助申请"


@pytest.fixture(scope="module")
def preview_site(tmp_path_factory):
    root = new_project(tmp_path_factory.mktemp("preview") / "p")
    add_story(root, 2026, "ok", title="正常稿件", date="2026-05-01 09:00")
    add_story(root, 2026, "broken", title="单位写错的稿件", date="2026-05-02 09:00", unit="minzheng-ju",
              body="<script>alert(1)</script>正文。")
    add_story(root, 2026, "later", title=SCHEDULED_TITLE, date="2026-12-30 09:00", body="元旦前走访慰问的安排。")
    add_story(root, 2026, "going", title=GOING_TITLE, date="2026-11-01 09:00", extra="unpublish_at: 2026-12-31 18:00\n")
    with running_preview(root) as server:
        yield root, f"http://127.0.0.1:{server.port}"


@pytest.fixture(scope="module")
def preview_url(preview_site):
    return preview_site[1]


@pytest.fixture
def preview_page(browser, preview_url):
    recorder = Recorder(urlsplit(preview_url).netloc)
    context, page = new_page(browser, recorder)
    yield page, recorder
    context.close()
    assert recorder.foreign_requests == [], recorder.foreign_requests


def test_a_broken_page_shows_its_findings_in_the_page(preview_page, preview_url):
    page, recorder = preview_page
    response = page.goto(preview_url + "/stories/2026/broken/")
    assert response.status == 200
    errors = page.locator(".mz-page-errors")
    expect(errors).to_be_visible()
    expect(page.locator("article h1")).to_have_text("本页有错误，暂不发布")
    first = errors.locator("li").filter(has_text="schema.unknown-unit")
    expect(first).to_contain_text("content/stories/2026/broken.md 第4行")
    expect(first).to_contain_text("来源单位“minzheng-ju”不在单位名单")
    expect(first).to_contain_text("修改方法：请改成下列之一：office（办公室）")
    expect(errors.locator("li").filter(has_text="html.forbidden-tag")).to_contain_text("broken.md 第10行")
    assert "<script>alert(1)</script>" not in page.content()  # the refused text is not served
    assert recorder.console_errors == []


def test_a_scheduled_page_shows_when_it_goes_online_above_its_preview(preview_page, preview_url):
    page, recorder = preview_page
    response = page.goto(preview_url + "/stories/2026/later/")
    assert response.status == 200
    banner = page.locator(".mz-preview-banner")
    expect(banner).to_be_visible()
    expect(banner).to_contain_text("定时发布：将于2026-12-30 09:00上线。")
    expect(page.locator("article h1")).to_have_text(SCHEDULED_TITLE)
    expect(page.locator("article")).to_contain_text("元旦前走访慰问的安排。")
    assert page.evaluate("document.querySelector('.mz-preview-banner').getBoundingClientRect().top") < \
        page.evaluate("document.querySelector('article h1').getBoundingClientRect().top")
    page.goto(preview_url + "/stories/")
    expect(page.locator("article")).not_to_contain_text(SCHEDULED_TITLE)  # not listed before it is out
    assert recorder.console_errors == []


def test_an_expiring_page_says_when_it_goes(preview_page, preview_url):
    page, _ = preview_page
    page.goto(preview_url + "/stories/2026/going/")
    expect(page.locator(".mz-preview-banner")).to_contain_text("定时下线：将于2026-12-31 18:00下线。")
    expect(page.locator("article h1")).to_have_text(GOING_TITLE)


def test_an_open_page_reloads_itself_under_the_sites_csp(preview_page, preview_site):
    """The live reload is a script file of the preview (no inline script), allowed by nginx's policy."""
    page, recorder = preview_page
    root, url = preview_site
    response = page.goto(url + "/stories/2026/ok/")
    assert "script-src 'self';" in response.headers["content-security-policy"]
    expect(page.locator("script[src='/__mzpress__/reload.js']")).to_have_count(1)
    story = root / "content" / "stories" / "2026" / "ok.md"
    story.write_text(story.read_text(encoding="utf-8") + "\n保存后自动出现的一段。\n", encoding="utf-8")
    expect(page.locator("article")).to_contain_text("保存后自动出现的一段。", timeout=20000)
    assert recorder.console_errors == []
