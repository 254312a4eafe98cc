"""The intranet build's editor (``scripts/build --with-editor``: ``site/admin/``, Decap saving on a Gitea server).

No Gitea runs here: ``site/admin/`` as the build writes it is served by a static server, and Decap stops at its login
page. What is tested is what a writer sees before logging in and what the page loads: Decap starts with the
configuration (its "gitea" backend refused the editorial workflow, which is why the configuration names its
"forgejo" backend), the editor's setup script is loaded (Chinese strings worded for the Gitea workflow, the date
picker, the conditional 封面图片说明), the login note says in Chinese what a save does there and that the checks
run in the merge request, and nothing is requested from another host (the Gitea server is only reached when the
writer logs in).
"""

from __future__ import annotations

import functools
import http.server
import threading
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from mzpress.adapters.mkdocs.editor_page import GIT_LOGIN_NOTE
from tests.browser.conftest import AXE, Recorder, new_page
from tests.support.project import REPO_ROOT

DIST = REPO_ROOT / "node_modules" / "decap-cms" / "dist"
GITEA = "https://git.example.gov.cn"


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass


@pytest.fixture(scope="module")
def intranet(tmp_path_factory):
    if not (DIST / "decap-cms.js").is_file():
        pytest.fail("node_modules/decap-cms is missing: run scripts/install-tools")
    from mzpress.cli import main

    site = tmp_path_factory.mktemp("intranet") / "site"
    assert main(["--root", str(REPO_ROOT), "cms-config", "--backend", "gitea", "--repo", "minzheng/website",
                 "--api-root", f"{GITEA}/api/v1", "--base-url", GITEA, "--app-id", "mzpress-editor",
                 "--admin-dir", str(site / "admin")]) == 0
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(site)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def test_the_intranet_editor_loads_the_setup_script_and_says_what_a_save_does(browser, intranet):
    recorder = Recorder(urlsplit(intranet).netloc)
    context, page = new_page(browser, recorder)
    try:
        page.goto(intranet + "/admin/")
        login = page.get_by_role("button", name="用单位 Gitea 账号登录")
        expect(login).to_be_visible(timeout=20000)  # Decap started with the configuration (no config error)
        note = page.locator("#mzpress-login-note")
        expect(note).to_be_visible()
        assert GIT_LOGIN_NOTE in note.inner_text()
        text = page.locator("body").inner_text()
        assert "Error" not in text and "Login" not in text and "Forgejo" not in text, text
        # The setup script ran: the strings of the Gitea workflow and the widgets of the configuration.
        loaded = page.evaluate("""() => { const t = CMS.getLocale('zh_Hans');
            return {save: t.editor.editorToolbar.save, publish: t.editor.editorToolbar.publish,
                    inReview: t.editor.editorToolbar.inReview, saved: t.ui.toast.entrySaved,
                    workflow: t.app.header.workflow, date: !!CMS.getWidget('mzpress-datetime'),
                    coverAlt: !!CMS.getWidget('mzpress-cover-alt'), backend: window.MZPRESS_SITE.backend}; }""")
        assert loaded["save"] == "保存草稿" and loaded["publish"] == "合并发布", loaded
        assert loaded["inReview"].startswith("待审核") and "合并请求" in loaded["saved"], loaded
        assert loaded["workflow"] == "审核流程" and loaded["date"] and loaded["coverAlt"], loaded
        assert loaded["backend"] == "forgejo", loaded
        # The findings panel of the writers' preview (warnings, 一键脱敏, delete refused) needs its backend: not here.
        assert page.locator("#mzpress-findings").count() == 0
        assert page.evaluate("() => typeof window.mzpressBody") == "object"  # the body widget is registered
        page.evaluate(AXE.read_text(encoding="utf-8"))
        violations = page.evaluate("""async () => (await axe.run({include: [['#mzpress-login-note']]},
            {resultTypes: ['violations']})).violations.map(v => v.id)""")
        assert violations == []
        assert recorder.console_errors == [], recorder.console_errors
    finally:
        context.close()
    assert recorder.foreign_requests == [], recorder.foreign_requests  # Gitea only once the writer logs in
