"""The writers' browser editor (Decap CMS at /admin/ of the preview, local backend in Python).

A writer creates a story with unit, topic, a photo carrying GPS EXIF and a body, and saves: the file is
written under the mzpress slug, ``mzpress check`` passes on it, the photo has no GPS, and the story renders
in the preview. A body with a mobile number is refused with the privacy error, and nothing is written.
Every request stays on the loopback host. The screenshots of the writer's guide (docs/screenshots/editor-*.png)
are taken here.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit
from urllib.request import urlopen

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import BuiltSite, Recorder, new_page, running_preview
from tests.support.docx_fixtures import gps_of, photo_bytes
from tests.support.project import REPO_ROOT, mzpress, new_project

SCREENSHOTS = REPO_ROOT / "docs" / "screenshots"
DIST = REPO_ROOT / "node_modules" / "decap-cms" / "dist"
TITLE = "城关镇开展敬老志愿服务活动"
SLUG = "chengguanzhen-kaizhan-jinglao"
BODY = "11月18日，城关镇组织志愿者走进敬老院，为老人理发、打扫卫生。"
PHONE_TITLE = "社区食堂招募志愿者"


@pytest.fixture(scope="module")
def editor(tmp_path_factory):
    if not (DIST / "decap-cms.js").is_file():
        pytest.fail("node_modules/decap-cms is missing: run scripts/install-tools")
    from mzpress.adapters.mkdocs.editor_api import EditorApi

    root = new_project(tmp_path_factory.mktemp("editor") / "p")
    with running_preview(root, routes=EditorApi(root, dist=DIST)) as server:
        # The editor has a port (an origin) of its own; the preview's pages are on server.port.
        yield root, f"http://127.0.0.1:{server.editor_port}", f"http://127.0.0.1:{server.port}"


@pytest.fixture
def editor_page(browser, editor):
    _, url, _ = editor
    recorder = Recorder(urlsplit(url).netloc)
    context, page = new_page(browser, recorder)
    yield page, recorder
    context.close()
    assert recorder.foreign_requests == [], recorder.foreign_requests
    assert all(urlsplit(u).hostname in ("127.0.0.1", None, "") for u in recorder.requests
               if urlsplit(u).scheme in ("http", "https", "ws", "wss")), recorder.requests


def _new_story(page, url: str, title: str, body: str, photo: Path | None = None, shots: bool = False) -> None:
    page.goto(url + "/admin/")
    page.get_by_role("button", name="登录").click()
    expect(page.get_by_text("＋ 民政故事")).to_be_visible()
    if shots:
        page.screenshot(path=str(SCREENSHOTS / "editor-open.png"))
    page.get_by_text("＋ 民政故事").click()
    page.locator("[id^=title-field]").fill(title)
    page.locator("[id^=unit-field]").fill("办公室")
    page.keyboard.press("Enter")
    page.locator("[id^=author-field]").fill("李晓梅")
    page.locator("[id^=editor-field]").fill("王建国")
    page.locator("input[id^=date-field]").first.fill("2026-11-20T09:30")
    page.locator("[id^=summary-field]").fill("城关镇组织志愿者为辖区老人理发、打扫卫生。")
    page.locator("[id^=topics-field]").fill("孝贤")
    page.keyboard.press("Enter")
    if photo is not None:
        page.get_by_role("button", name="选择图片").click()
        page.locator("input[type=file]").set_input_files(str(photo))
        expect(page.get_by_text(photo.name)).to_be_visible()
        if shots:
            page.screenshot(path=str(SCREENSHOTS / "editor-photo.png"))
        page.get_by_role("button", name="选用已选中项目").click()
        page.locator("[id^=cover_alt-field]").fill("志愿者为老人理发")
    page.locator("[contenteditable=true]").last.click()
    page.keyboard.type(body)
    if shots:
        page.locator("[id^=title-field]").scroll_into_view_if_needed()
        page.screenshot(path=str(SCREENSHOTS / "editor-write.png"))
    page.get_by_role("button", name="发布").first.click()
    page.get_by_text("立即发布").click()


def test_a_story_written_in_the_editor_is_saved_checked_and_previewed(editor_page, editor, tmp_path):
    page, recorder = editor_page
    root, url, preview = editor
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    photo = tmp_path / "photo.jpg"
    photo.write_bytes(photo_bytes())
    assert gps_of(photo.read_bytes()), "the fixture photo must carry GPS"
    _new_story(page, url, TITLE, BODY, photo, shots=True)
    story = root / "content" / "stories" / "2026" / f"{SLUG}.md"
    expect(page.get_by_text("已发布")).to_be_visible(timeout=20000)
    page.screenshot(path=str(SCREENSHOTS / "editor-saved.png"))
    text = story.read_text(encoding="utf-8")
    assert text.startswith("---\ntitle: " + TITLE + "\n"), text
    for line in ("unit: office", "author: 李晓梅", "topics: [xiaoxian]", "date: 2026-11-20 09:30",
                 "cover: images/photo.jpg", "cover_alt: 志愿者为老人理发"):
        assert line in text, text
    assert BODY in text
    saved_photo = story.parent / "images" / "photo.jpg"
    assert gps_of(saved_photo.read_bytes()) == {}
    check = mzpress(root, "check", f"content/stories/2026/{SLUG}.md")
    assert check.returncode == 0, check.stdout + check.stderr
    assert recorder.console_errors == [], recorder.console_errors  # Decap runs under the editor's CSP
    with urlopen(f"{preview}/stories/2026/{SLUG}/", timeout=30) as response:
        html = response.read().decode("utf-8")
    assert TITLE in html and BODY in html and "images/photo.jpg" in html


def test_a_story_with_a_mobile_number_is_refused_with_the_privacy_error(editor_page, editor):
    page, _ = editor_page
    root, url, _ = editor
    before = sorted(p.relative_to(root).as_posix() for p in (root / "content").rglob("*"))
    _new_story(page, url, PHONE_TITLE, "社区食堂招募志愿者。\n每周三上午服务。\n报名请联系社区王主任，电话13812345678。")
    findings = page.locator("#mzpress-findings")
    expect(findings).to_be_visible(timeout=20000)
    message = findings.inner_text()
    assert "没有保存" in message and "手机号" in message and "正文第3段：" in message, message
    assert "行：" not in message  # the place the writer sees in the editor, not a line of a file they never see
    assert "13812345678" not in message  # findings never print personal data in full
    # The message is next to the body too, and the list's button goes to it.
    note = page.evaluate("""() => { const label = document.querySelector('label[for^="body-field-"]');
        const note = document.querySelector('.mzpress-field-error');
        const field = note && note.parentElement;  // the body's field: its label and its editor
        return field && field.contains(label) && field.querySelector('[contenteditable=true]') && note.textContent; }""")
    assert note and note.startswith("正文第3段：") and "手机号" in note, note
    assert page.locator(".mzpress-field-error").count() == 1
    page.screenshot(path=str(SCREENSHOTS / "editor-error.png"))
    page.get_by_role("button", name="转到正文第3段").click()
    expect(findings).to_be_hidden()  # the list makes way; the message stays under the field
    # The caret is at the start of that paragraph, in the body's editor.
    caret = page.evaluate("""() => { const s = getSelection(); const node = s.anchorNode;
        const editor = document.activeElement; let block = node && (node.nodeType === 1 ? node : node.parentElement);
        while (block && block.parentElement !== editor) block = block.parentElement;
        const box = block && block.getBoundingClientRect();
        return {editor: editor.isContentEditable, offset: s.anchorOffset, block: block && block.textContent,
                seen: !!box && box.top >= 0 && box.bottom <= innerHeight}; }""")
    assert caret["editor"] and caret["offset"] == 0 and caret["block"].startswith("报名请联系"), caret
    assert caret["seen"], caret  # on screen
    after = sorted(p.relative_to(root).as_posix() for p in (root / "content").rglob("*"))
    assert after == before


def test_a_published_page_cannot_be_deleted_in_the_editor(editor_page, editor):
    """Deleting is for drafts: the writer is told to withdraw a published page with mzpress withdraw instead."""
    page, _ = editor_page
    root, url, _ = editor
    contact = root / "content" / "about" / "contact.md"
    before = contact.read_bytes()
    page.goto(url + "/admin/#/collections/about/entries/contact")
    page.get_by_role("button", name="登录").click()
    page.on("dialog", lambda dialog: dialog.accept())  # Decap's "are you sure"
    page.get_by_role("button", name="删除内容").click()
    refusal = page.get_by_text("已经发布，不能在编辑器里删除")
    expect(refusal).to_be_visible(timeout=20000)
    assert "mzpress withdraw content/about/contact.md" in refusal.inner_text()
    assert contact.read_bytes() == before


def test_campaigns_are_listed_by_kind_and_each_has_its_pages(editor_page, editor):
    """The sample's three campaigns, each in the collection of its kind (评选 or 培训), none missing; each campaign's
    pages in a collection of their own, without the campaign."""
    page, _ = editor_page
    _, url, _ = editor
    page.goto(url + "/admin/")
    page.get_by_role("button", name="登录").click()
    expect(page.get_by_text("＋ 民政故事")).to_be_visible()
    listed = {}
    for name in ("campaigns-selection", "campaigns-training"):
        page.goto(f"{url}/admin/#/collections/{name}")
        expect(page.locator("main")).to_contain_text("年", timeout=20000)
        listed[name] = page.locator("main").inner_text()
    assert "2025年度“最美民政窗口”评选" in listed["campaigns-selection"]
    assert "2026年度“最美基层民政人”评选" in listed["campaigns-selection"]
    assert "每月一训" not in listed["campaigns-selection"]
    assert "2026年“每月一训”业务培训" in listed["campaigns-training"] and "评选" not in listed["campaigns-training"]
    # Each campaign's own pages, in a collection of their own: the three people, not the campaign itself.
    page.goto(f"{url}/admin/#/collections/members-zuimei-minzhengren")
    expect(page.locator("main")).to_contain_text("陈秀兰", timeout=20000)
    entries = page.locator("main a[href*='/collections/members-zuimei-minzhengren/entries/']")
    people = entries.all_inner_texts()
    assert len(people) == 3 and all(any(name in text for text in people) for name in ("陈秀兰", "刘玉红", "张磊")), people
    assert "活动页面：2026年度“最美基层民政人”评选" in page.locator("body").inner_text()


def test_the_public_build_has_no_editor(built_site: BuiltSite):
    for path in built_site.site.rglob("*"):
        if path.is_file() and path.suffix in (".html", ".js", ".json", ".xml", ".txt", ".css"):
            text = path.read_text(encoding="utf-8", errors="replace")
            for needle in ("decap-cms", "/admin/", "/api/v1", "netlify-cms"):
                assert needle not in text, f"{path}: {needle}"
    assert not (built_site.site / "admin").exists()
    nginx = (REPO_ROOT / "deploy" / "nginx.conf").read_text(encoding="utf-8")
    assert "admin" not in nginx and "decap" not in nginx.lower() and "api/v1" not in nginx
