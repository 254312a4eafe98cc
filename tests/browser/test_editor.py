"""The writers' browser editor (Decap CMS at /admin/ of the preview, local backend in Python).

A writer creates a story with unit, topic, a photo carrying GPS EXIF and a body, and saves: the file is
written under the mzpress slug, ``mzpress check`` passes on it, the photo has no GPS, and the story renders
in the preview. A body with a mobile number is refused with the privacy error, shown once, and nothing is written;
一键脱敏 applies mask's fix to it. Warnings are shown and written only once confirmed (仍然保存 / 返回修改). The
labels are Chinese (保存草稿, never 发布), the rarely used fields are folded, the date picker is Chinese, 封面图片说明
is required once a cover is chosen, the preview pane shows unit and topic names and Chinese dates, and a published
page's delete is refused with 撤回/撤下. Every request stays on the loopback host; the editor's panels are axe-clean.
The screenshots of the writer's guide (docs/screenshots/editor-*.png) are taken here.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from urllib.parse import urlsplit
from urllib.request import urlopen

import pytest
import yaml
from playwright.sync_api import expect

from mzpress.adapters.mkdocs.editor_page import NEXT_STEP
from tests.browser.conftest import AXE, BuiltSite, Recorder, new_page, running_preview
from tests.support.docx_fixtures import gps_of, photo_bytes
from tests.support.project import REPO_ROOT, add_story, mzpress, new_project

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


def _open_new_story(page, url: str, shots: bool = False) -> None:
    page.goto(url + "/admin/")
    page.get_by_role("button", name="登录").click()
    expect(page.get_by_text("＋ 民政故事")).to_be_visible()
    if shots:
        page.screenshot(path=str(SCREENSHOTS / "editor-open.png"))
    page.get_by_text("＋ 民政故事").click()
    expect(page.locator("[id^=title-field]")).to_be_visible()


def _new_story(page, url: str, title: str, body: str, photo: Path | None = None, shots: bool = False,
               cover_alt: str = "志愿者为老人理发", summary: str = "城关镇组织志愿者为辖区老人理发、打扫卫生。") -> None:
    _open_new_story(page, url, shots)
    page.locator("[id^=title-field]").fill(title)
    page.locator("[id^=unit-field]").fill("办公室")
    page.keyboard.press("Enter")
    page.locator("[id^=author-field]").fill("李晓梅")
    page.locator("[id^=editor-field]").fill("王建国")
    _pick_date(page, "发布时间", "2026", "11", "20", "9", "30")
    page.locator("[id^=summary-field]").fill(summary)
    page.locator("[id^=topics-field]").fill("孝贤")
    page.keyboard.press("Enter")
    if photo is not None:
        page.get_by_role("button", name="选择图片").click()
        page.locator("input[type=file]").set_input_files(str(photo))
        expect(page.get_by_text(photo.name)).to_be_visible()
        if shots:
            page.screenshot(path=str(SCREENSHOTS / "editor-photo.png"))
        page.get_by_role("button", name="选用已选中项目").click()
        if cover_alt:
            page.locator("[id^=cover_alt-field]").fill(cover_alt)
    page.locator("[contenteditable=true]").last.click()
    page.keyboard.type(body)
    if shots:
        page.locator("[id^=title-field]").scroll_into_view_if_needed()
        page.screenshot(path=str(SCREENSHOTS / "editor-write.png"))
    _save(page)


def _pick_date(page, label: str, year: str, month: str, day: str, hour: str | None = None,
               minute: str | None = None) -> None:
    """The Chinese date picker: 年 typed, 月、日、时、分 chosen."""
    page.get_by_label(f"{label}：年").fill(year)
    page.get_by_label(f"{label}：月").select_option(month)
    page.get_by_label(f"{label}：日").select_option(day)
    if hour is not None:
        page.get_by_label(f"{label}：时").select_option(hour)
        page.get_by_label(f"{label}：分").select_option(minute)


def _save(page) -> None:
    page.get_by_role("button", name="保存草稿", exact=True).click()
    page.get_by_text("保存草稿（之后提交审核）").click()


def _no_red_toast(page) -> None:
    """A refusal is shown once, in the panel: Decap's red toast of it stays hidden."""
    page.wait_for_timeout(1500)
    assert page.locator(".Toastify__toast--error:visible").count() == 0


def test_a_story_written_in_the_editor_is_saved_checked_and_previewed(editor_page, editor, tmp_path):
    page, recorder = editor_page
    root, url, preview = editor
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    photo = tmp_path / "photo.jpg"
    photo.write_bytes(photo_bytes())
    assert gps_of(photo.read_bytes()), "the fixture photo must carry GPS"
    _new_story(page, url, TITLE, BODY, photo, shots=True)
    story = root / "content" / "stories" / "2026" / f"{SLUG}.md"
    panel = page.locator("#mzpress-findings")
    expect(panel).to_contain_text("稿件已保存（草稿）", timeout=20000)
    assert NEXT_STEP in panel.inner_text()  # what happens next: 提交审核, nothing published yet
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
    _no_red_toast(page)  # shown once: in the panel (and under the field), not again in a red toast
    page.get_by_role("button", name="转到正文第3段").click()
    expect(findings).to_be_visible()  # the list stays, for the next finding
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
    questions = []
    page.on("dialog", lambda dialog: (questions.append(dialog.message), dialog.accept()))  # Decap's "are you sure"
    page.get_by_role("button", name="删除稿件").click()
    refusal = page.locator("#mzpress-findings")
    expect(refusal).to_contain_text("已经发布，不能在编辑器里删除", timeout=20000)
    text = refusal.inner_text()
    assert text.startswith("没有删除") and "撤回" in text and "撤下" in text, text
    assert "scripts/mzpress withdraw content/about/contact.md" in text
    assert "scripts/mzpress takedown content/about/contact.md" in text
    assert questions and "撤回或撤下" in questions[0], questions
    _no_red_toast(page)
    page.screenshot(path=str(SCREENSHOTS / "editor-delete.png"))
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


def _saved(page) -> None:
    """Wait for the save: confirmed with 仍然保存 when the backend answers warnings."""
    panel = page.locator("#mzpress-findings")
    expect(panel).to_contain_text("稿件", timeout=20000)
    expect(panel).not_to_contain_text("正在", timeout=20000)
    if page.get_by_role("button", name="仍然保存").is_visible():
        page.get_by_role("button", name="仍然保存").click()
    expect(panel).to_contain_text("稿件已保存（草稿）", timeout=20000)


def _axe(page, *selectors: str) -> list[dict]:
    """axe-core's violations inside ``selectors`` (the editor's own panels, not Decap's UI). axe is evaluated by
    the test driver, so the editor's CSP (scripts of its own origin only) stays as it is."""
    if not AXE.exists():
        pytest.fail(f"{AXE} is missing: run scripts/install-tools", pytrace=False)
    page.evaluate(AXE.read_text(encoding="utf-8"))
    return page.evaluate("""async (selectors) => {
        const present = selectors.filter(s => document.querySelector(s));
        const r = await axe.run({include: present.map(s => [s])}, {resultTypes: ['violations']});
        return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                                       nodes: v.nodes.slice(0, 5).map(n => n.target.join(' '))}));
    }""", list(selectors))


def _story_files(root: Path) -> set[Path]:
    return set((root / "content" / "stories" / "2026").glob("*.md"))


def test_the_editor_speaks_chinese_and_folds_the_rarely_used_fields(editor_page, editor):
    page, _ = editor_page
    _, url, _ = editor
    page.goto(url + "/admin/")  # the login page says what this editor is, in Chinese
    expect(page.locator("#mzpress-findings")).to_contain_text("不需要账号和密码")
    assert _axe(page, "#mzpress-findings") == []
    _open_new_story(page, url)
    expect(page.locator("#mzpress-findings")).to_be_hidden()
    text = page.locator("body").inner_text()
    for wrong in ("修改已保存", "立即发布", "已发布", "发布，然后", "unit:", "例如 unit", "(mm/dd/yyyy)"):
        assert wrong not in text, wrong
    assert "返回“民政故事”" in text and "稿件来自哪个股室或乡镇" in text
    # Every string of Decap's English a writer can meet has a Chinese one (Decap's zh_Hans lacks some): not the
    # notes pane and the workflow's tooltips, which the preview's editor does not show.
    untranslated = page.evaluate("""() => { const out = [];
        const walk = (en, zh, path) => { for (const k of Object.keys(en)) { const p = path ? path + '.' + k : k;
            if (typeof en[k] === 'object') walk(en[k], (zh || {})[k], p);
            else if (!zh || typeof zh[k] !== 'string') out.push(p); } };
        walk(CMS.getLocale('en'), CMS.getLocale('zh_Hans'), ''); return out; }""")
    assert [k for k in untranslated if "note" not in k.lower() and "statusInfoTooltip" not in k
            and k != "auth.loginWithForgejo"] == [], untranslated
    page.get_by_role("button", name="保存草稿", exact=True).click()
    for item in ("保存草稿（之后提交审核）", "保存草稿，然后新建一篇"):
        expect(page.get_by_text(item)).to_be_visible()
    page.keyboard.press("Escape")
    # 撤回说明, 下线时间, 录用记录: folded under 更多设置 at the end of the form.
    for name in ("withdrawn", "unpublish_at", "adopted_by"):
        expect(page.locator(f'label[for^="{name}-field-"]')).to_be_hidden()
    expect(page.get_by_text("更多设置").first).to_be_visible()
    # 封面图片说明 says when it is required, and is not marked 可选.
    cover_alt = page.locator('label[for^="cover_alt-field-"]').inner_text()
    assert "选了封面图片时必填" in cover_alt and "可选" not in cover_alt, cover_alt
    # The date picker: 年、月、日、时、分 in Chinese, stored as the check reads it.
    _pick_date(page, "发布时间", "2026", "12", "8", "9", "30")
    expect(page.locator(".mzpress-date-shown").first).to_have_text("2026年12月8日9时30分")
    assert page.get_by_label("发布时间：月").locator("option:checked").inner_text() == "12月"
    page.get_by_label("发布时间：年").scroll_into_view_if_needed()
    page.screenshot(path=str(SCREENSHOTS / "editor-labels.png"))
    page.get_by_role("button", name="展开").last.click()  # 更多设置, the last folded section
    expect(page.locator('label[for^="unpublish_at-field-"]').first).to_be_visible()
    expect(page.get_by_label("下线时间：年")).to_be_visible()
    assert _axe(page, ".mzpress-date") == []


def test_a_cover_needs_its_description_in_the_form(editor_page, editor, tmp_path):
    page, _ = editor_page
    root, url, _ = editor
    before = _story_files(root)
    photo = tmp_path / "cover.jpg"
    photo.write_bytes(photo_bytes())
    _new_story(page, url, "城关镇开展冬季送温暖活动", BODY, photo, cover_alt="")
    message = page.get_by_text("选了封面图片，请在“封面图片说明”里用一句话说明照片内容")
    expect(message).to_be_visible(timeout=20000)
    assert _story_files(root) == before  # the form refused it before any request
    page.locator("[id^=cover_alt-field]").fill("志愿者为老人送棉被")
    _save(page)
    _saved(page)
    (new,) = _story_files(root) - before
    assert "cover_alt: 志愿者为老人送棉被" in new.read_text(encoding="utf-8")


def test_warnings_are_shown_and_saved_only_once_confirmed(editor_page, editor):
    page, _ = editor_page
    root, url, _ = editor
    before = _story_files(root)
    _new_story(page, url, "民政干部走访慰问五保户", "民政干部走访辖区五保户，送去米面油。")
    panel = page.locator("#mzpress-findings")
    expect(panel).to_contain_text("个提醒，还没有保存", timeout=20000)
    assert "五保户" in panel.inner_text()
    expect(page.get_by_role("button", name="仍然保存")).to_be_visible()
    expect(page.get_by_role("button", name="返回修改")).to_be_visible()
    page.screenshot(path=str(SCREENSHOTS / "editor-warning.png"))
    assert _axe(page, "#mzpress-findings", ".mzpress-field-error") == []
    assert _story_files(root) == before  # not saved silently
    page.get_by_role("button", name="返回修改").click()
    expect(panel).to_contain_text("稿件还没有保存")
    _no_red_toast(page)
    assert _story_files(root) == before
    expect(page.locator("[id^=title-field]")).to_have_value("民政干部走访慰问五保户")  # the writer's text is kept
    _save(page)
    expect(page.get_by_role("button", name="仍然保存")).to_be_visible(timeout=20000)
    page.get_by_role("button", name="仍然保存").click()
    expect(panel).to_contain_text("稿件已保存（草稿）", timeout=20000)
    (new,) = _story_files(root) - before
    assert "五保户" in new.read_text(encoding="utf-8")


def test_one_click_masking_applies_masks_fix_to_the_finding(editor_page, editor):
    page, _ = editor_page
    root, url, _ = editor
    before = _story_files(root)
    _new_story(page, url, "社区食堂招募厨师", "社区食堂招募厨师。\n报名请联系社区王主任，电话13812345678。")
    panel = page.locator("#mzpress-findings")
    expect(panel).to_contain_text("手机号", timeout=20000)
    assert _axe(page, "#mzpress-findings", ".mzpress-field-error") == []
    page.get_by_role("button", name="一键脱敏").click()
    expect(panel).to_contain_text("已按脱敏规则改好这一处", timeout=20000)
    body = page.locator("[contenteditable=true]").last
    expect(body).to_contain_text("电话138****5678。")
    assert "13812345678" not in body.inner_text()
    page.screenshot(path=str(SCREENSHOTS / "editor-mask.png"))
    _save(page)
    _saved(page)
    (new,) = _story_files(root) - before
    text = new.read_text(encoding="utf-8")
    assert "电话138****5678。" in text and "13812345678" not in text


def test_one_click_masking_fixes_a_front_matter_field(editor_page, editor):
    """A mobile number in 摘要: the finding sits under 摘要 with 一键脱敏, which puts mask's fix into the field."""
    page, _ = editor_page
    root, url, _ = editor
    before = _story_files(root)
    _new_story(page, url, "社区食堂招募帮厨", "社区食堂招募帮厨，每周三上午服务。",
               summary="社区食堂招募帮厨，报名请联系王主任13812345678。")
    panel = page.locator("#mzpress-findings")
    expect(panel).to_contain_text("手机号", timeout=20000)
    assert "「摘要」" in panel.inner_text()
    assert _story_files(root) == before
    page.get_by_role("button", name="一键脱敏").click()
    expect(panel).to_contain_text("已按脱敏规则改好“摘要”", timeout=20000)
    summary = page.locator("[id^=summary-field]")
    expect(summary).to_have_value("社区食堂招募帮厨，报名请联系王主任138****5678。")
    expect(page.locator(".mzpress-field-error")).to_have_count(0)  # the note under 摘要 is gone with the number
    _save(page)
    _saved(page)
    (new,) = _story_files(root) - before
    meta = yaml.safe_load(new.read_text(encoding="utf-8").split("---\n")[1])
    assert meta["summary"] == "社区食堂招募帮厨，报名请联系王主任138****5678。", meta
    check = mzpress(root, "check", new.relative_to(root).as_posix())
    assert check.returncode == 0, check.stdout + check.stderr


def test_a_response_written_in_the_editor_passes_the_check(editor_page, editor):
    """回应关切 is a collection: a new one goes where `mzpress new response` puts it, with 发布机关 and 首页置顶天数."""
    page, _ = editor_page
    root, url, preview = editor
    folder = root / "content" / "responses" / "2026"
    before = set(folder.glob("*.md"))
    page.goto(url + "/admin/")
    page.get_by_role("button", name="登录").click()
    expect(page.get_by_text("回应关切").first).to_be_visible(timeout=20000)
    page.goto(url + "/admin/#/collections/responses/new")
    expect(page.locator("[id^=title-field]")).to_be_visible(timeout=20000)
    text = page.locator("main, body").first.inner_text()
    assert "发布这份情况通报的机关" in text and "在首页最上方置顶几天" in text, text
    page.locator("[id^=title-field]").fill("关于网民反映城关镇助餐点暂停服务问题的情况通报")
    page.locator("[id^=unit-field]").fill("办公室")
    page.keyboard.press("Enter")
    page.locator("[id^=author-field]").fill("周明")
    page.locator("[id^=editor-field]").fill("王建国")
    _pick_date(page, "发布时间", "2026", "11", "20", "9", "30")
    page.locator("[id^=summary-field]").fill("城关镇助餐点因设备检修暂停服务，已于11月20日恢复。")
    page.locator("[id^=issuer-field]").fill("示例县民政局")
    page.locator("[id^=pin_days-field]").fill("5")
    page.locator("[contenteditable=true]").last.click()
    page.keyboard.type("经核查，助餐点因设备检修暂停服务，现已恢复。")
    _save(page)
    _saved(page)
    (new,) = set(folder.glob("*.md")) - before
    meta = yaml.safe_load(new.read_text(encoding="utf-8").split("---\n")[1])
    assert meta["issuer"] == "示例县民政局" and meta["pin_days"] == 5 and meta["unit"] == "office", meta
    assert meta["date"] == "2026-11-20 09:30" and "more" not in meta, meta
    check = mzpress(root, "check", new.relative_to(root).as_posix())
    assert check.returncode == 0, check.stdout + check.stderr


def test_the_preview_pane_shows_names_and_chinese_dates_with_the_sites_stylesheet(editor_page, editor):
    page, recorder = editor_page
    _, url, _ = editor
    _open_new_story(page, url)
    page.locator("[id^=title-field]").fill(TITLE)
    page.locator("[id^=unit-field]").fill("办公室")
    page.keyboard.press("Enter")
    page.locator("[id^=author-field]").fill("李晓梅")
    page.locator("[id^=editor-field]").fill("王建国")
    _pick_date(page, "发布时间", "2026", "12", "8", "9", "30")
    page.locator("[id^=topics-field]").fill("孝贤")
    page.keyboard.press("Enter")
    page.locator("[contenteditable=true]").last.click()
    page.keyboard.type(BODY)
    frame = page.frame_locator("iframe").first
    expect(frame.locator("h1")).to_have_text(TITLE, timeout=20000)
    meta = frame.locator(".mz-article-meta")
    expect(meta).to_contain_text("发布时间：2026年12月8日9时30分")
    expect(meta).to_contain_text("来源：办公室")
    expect(frame.locator(".mzpress-preview-topics")).to_have_text("文化专题：孝贤文化")
    expect(frame.locator("article")).to_contain_text(BODY)
    shown = frame.locator("body").inner_text()
    assert "office" not in shown and "xiaoxian" not in shown and "2026-12-08" not in shown, shown
    styles = frame.locator("link[rel=stylesheet]").evaluate_all("links => links.map(l => l.href)")
    assert any(s.endswith("/admin/site-preview.css") for s in styles), styles
    # The site's stylesheet applies: Material's typeset rules (its heading weight) on the article.
    weight = frame.locator("h1").evaluate("h => getComputedStyle(h).fontWeight")
    assert weight in ("300", "400", "700"), weight
    page.screenshot(path=str(SCREENSHOTS / "editor-preview.png"))


def test_an_edited_page_keeps_its_flat_front_matter_and_its_records(editor_page, editor):
    """下线时间 and 报送记录 (submitted_to) are shown under 更多设置 and written back flat, where mzpress check reads
    them."""
    page, _ = editor_page
    root, url, _ = editor
    story = add_story(root, 2026, "baosong-gaojian", title="报送过的稿件", date="2026-05-01 09:00",
                      extra="submitted_to:\n  - {outlet: city-mz-site, date: 2026-05-02, kind: text}\n"
                            "unpublish_at: 2026-12-31 18:00\n")
    page.goto(url + "/admin/#/collections/stories/entries/2026/baosong-gaojian")
    page.get_by_role("button", name="登录").click()
    expect(page.locator("[id^=title-field]")).to_have_value("报送过的稿件", timeout=20000)
    page.get_by_role("button", name="展开").last.click()
    expect(page.locator(".mzpress-date-shown").filter(has_text="2026年12月31日18时")).to_be_visible()
    expect(page.locator('label[for^="submitted_to-field-"]').first).to_be_visible()
    expect(page.get_by_text("报送记录").first).to_be_visible()
    page.locator("[id^=title-field]").fill("报送过的稿件（修改）")
    _save(page)
    _saved(page)
    meta = yaml.safe_load(story.read_text(encoding="utf-8").split("---\n")[1])
    assert meta["title"] == "报送过的稿件（修改）" and meta["unpublish_at"] == "2026-12-31 18:00" and "more" not in meta
    assert meta["submitted_to"] == [{"outlet": "city-mz-site", "date": dt.date(2026, 5, 2), "kind": "text"}]
    check = mzpress(root, "check", story.relative_to(root).as_posix())
    assert check.returncode == 0, check.stdout + check.stderr


def test_the_public_build_has_no_editor(built_site: BuiltSite):
    for path in built_site.site.rglob("*"):
        if path.is_file() and path.suffix in (".html", ".js", ".json", ".xml", ".txt", ".css"):
            text = path.read_text(encoding="utf-8", errors="replace")
            for needle in ("decap-cms", "/admin/", "/api/v1", "netlify-cms"):
                assert needle not in text, f"{path}: {needle}"
    assert not (built_site.site / "admin").exists()
    nginx = (REPO_ROOT / "deploy" / "nginx.conf").read_text(encoding="utf-8")
    assert "admin" not in nginx and "decap" not in nginx.lower() and "api/v1" not in nginx
