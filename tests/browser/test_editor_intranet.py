"""The intranet build's editor (``scripts/build --with-editor``: ``site/admin/``, Decap saving on a Gitea server).

No real Gitea runs here. ``site/admin/`` as the build writes it is served by a static server: with the address of a
Gitea elsewhere, Decap stops at its login page, and what is tested is what a writer sees before logging in and what
the page loads: Decap starts with the configuration (its "gitea" backend refused the editorial workflow, which is why
the configuration names its "forgejo" backend), the editor's setup script is loaded (Chinese strings worded for the
Gitea workflow, the date picker, the conditional 封面图片说明), the login note says in Chinese what a save does there
and that the checks run in the merge request, and nothing is requested from another host (the Gitea server is only
reached when the writer logs in).

Then the same folder is written for :class:`FakeGitea`, a few endpoints of Gitea's API (``/api/v1``: user, repository,
branches, trees, blobs, contents, pulls, labels, compare) kept in memory, on the same loopback server, with a writer
already logged in (a token in Decap's local storage). A story written in the form is saved as Decap's editorial
workflow saves it (a ``cms/...`` branch, a commit, a pull request labelled as a draft), is listed on the 审核流程 page
and set to 待审核 (the pull request's label), and the file committed has the flat front matter ``mzpress check``
reads and passes it. This fake is what this repository knows of Gitea's API,
not Gitea: a real server may differ.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import http.server
import json
import re
import threading
from urllib.parse import parse_qs, unquote, urlsplit

import pytest
import yaml
from playwright.sync_api import expect

from mzpress.adapters.mkdocs.editor_page import GIT_LOGIN_NOTE
from tests.browser.conftest import AXE, Recorder, new_page
from tests.browser.test_editor import _pick_date
from tests.support.project import REPO_ROOT, mzpress, new_project

DIST = REPO_ROOT / "node_modules" / "decap-cms" / "dist"
GITEA = "https://git.example.gov.cn"


REPO = "minzheng/website"
EXISTING = "content/stories/2026/chunjie-kunnan-weiwen.md"


def _sha(data: bytes) -> str:
    return hashlib.sha1(data).hexdigest()


class FakeGitea:
    """The Gitea API endpoints Decap's editorial workflow uses (``decap-cms-backend-forgejo``'s API.ts), in memory."""

    def __init__(self, files: dict[str, bytes]):
        self.lock = threading.Lock()
        self.blobs: dict[str, bytes] = {}
        self.trees: dict[str, dict[str, str]] = {}  # commit id -> path -> blob sha
        self.branches: dict[str, str] = {"main": self._commit(files)}
        self.pulls: list[dict] = []
        self.labels: list[dict] = []
        self.commits: list[tuple[str, str]] = []  # (branch, message)
        self.unknown: list[str] = []

    def _commit(self, files: dict[str, bytes]) -> str:
        tree = {}
        for path, data in files.items():
            self.blobs[_sha(data)] = data
            tree[path] = _sha(data)
        commit = _sha(json.dumps(sorted(tree.items())).encode())
        self.trees[commit] = tree
        return commit

    def files(self, branch: str) -> dict[str, bytes]:
        return {path: self.blobs[sha] for path, sha in self.trees[self.branches[branch]].items()}

    def answer(self, method: str, path: str, query: dict, body: dict | None) -> tuple[int, object]:
        with self.lock:
            return self._answer(method, path, query, body)

    def _answer(self, method, path, query, body):  # noqa: C901 - one route per branch
        repo = f"/repos/{REPO}"
        if path == "/user":
            return 200, {"id": 1, "login": "writer", "full_name": "李晓梅", "email": "w@example", "avatar_url": ""}
        if path == repo:
            return 200, {"name": "website", "full_name": REPO, "owner": {"login": "minzheng"},
                         "permissions": {"admin": False, "push": True, "pull": True}, "default_branch": "main"}
        if not path.startswith(repo + "/"):
            return self._missing(method, path)
        rest = path[len(repo):]
        if match := re.fullmatch(r"/branches/(.+)", rest):
            name = unquote(match.group(1))
            if method == "DELETE":
                self.branches.pop(name, None)
                return 204, {}
            if name not in self.branches:
                return 404, {"message": "branch does not exist"}
            return 200, {"name": name, "commit": {"id": self.branches[name], "message": ""}}
        if rest == "/branches" and method == "POST":
            self.branches[body["new_branch_name"]] = self.branches[body.get("old_ref_name") or "main"]
            return 201, {"name": body["new_branch_name"], "commit": {"id": self.branches[body["new_branch_name"]]}}
        if match := re.fullmatch(r"/git/trees/([0-9a-f]+)", rest):
            tree = self.trees.get(match.group(1), {})
            return 200, {"sha": match.group(1), "truncated": False, "tree": [
                {"path": p, "type": "blob", "sha": s, "size": len(self.blobs[s])} for p, s in sorted(tree.items())]}
        if match := re.fullmatch(r"/git/blobs/([0-9a-f]+)", rest):
            data = self.blobs.get(match.group(1))
            if data is None:
                return 404, {"message": "blob not found"}
            return 200, {"sha": match.group(1), "encoding": "base64", "content": base64.b64encode(data).decode()}
        if match := re.fullmatch(r"/contents/(.+)", rest):
            branch = query.get("ref", ["main"])[0]
            file = unquote(match.group(1))
            sha = self.trees[self.branches.get(branch, self.branches["main"])].get(file)
            if sha is None:
                return 404, {"message": "file does not exist"}
            return 200, {"path": file, "sha": sha, "type": "file"}
        if rest == "/contents" and method == "POST":
            files = self.files(body["branch"])
            for operation in body["files"]:
                if operation.get("from_path"):
                    files.pop(operation["from_path"], None)
                if operation["operation"] == "delete":
                    files.pop(operation["path"], None)
                else:
                    files[operation["path"]] = base64.b64decode(operation["content"])
            self.branches[body["branch"]] = self._commit(files)
            self.commits.append((body["branch"], body["message"]))
            return 201, {"commit": {"sha": self.branches[body["branch"]]}}
        if rest == "/pulls" and method == "GET":
            state = query.get("state", ["open"])[0]
            return 200, [p for p in self.pulls if state == "all" or p["state"] == state]
        if rest == "/pulls" and method == "POST":
            ref = body["head"].split(":")[-1]
            pull = {"number": len(self.pulls) + 1, "title": body["title"], "state": "open", "labels": [],
                    "head": {"ref": ref, "label": body["head"], "sha": self.branches[ref],
                             "repo": {"owner": {"login": "minzheng"}}},
                    "base": {"ref": body["base"]}, "user": {"login": "writer"}, "updated_at": "2026-12-08T09:30:00Z"}
            self.pulls.append(pull)
            return 201, pull
        if match := re.fullmatch(r"/pulls/(\d+)/files", rest):
            return 200, self._changes(self.pulls[int(match.group(1)) - 1]["head"]["ref"])
        if match := re.fullmatch(r"/compare/main\.\.\.(.+)", rest):
            ref = unquote(match.group(1)).split(":")[-1]
            return 200, {"files": self._changes(ref), "commits": [{"commit": {"message": m}}
                                                                   for b, m in self.commits if b == ref]}
        if rest == "/labels" and method == "GET":
            return 200, self.labels
        if rest == "/labels" and method == "POST":
            label = {"id": len(self.labels) + 1, "name": body["name"], "color": body.get("color", "")}
            self.labels.append(label)
            return 201, label
        if (match := re.fullmatch(r"/issues/(\d+)/labels", rest)) and method == "PUT":
            pull = self.pulls[int(match.group(1)) - 1]
            pull["labels"] = [label for label in self.labels if label["id"] in body["labels"]]
            return 200, pull["labels"]
        if rest == "/commits":
            return 200, [{"commit": {"author": {"name": "writer", "email": "w@example", "date": "2026-12-08T09:30:00Z"}}}]
        return self._missing(method, path)

    def _changes(self, ref: str) -> list[dict]:
        main, head = self.trees[self.branches["main"]], self.trees[self.branches.get(ref, self.branches["main"])]
        return [{"filename": p, "status": "added" if p not in main else "changed", "sha": s}
                for p, s in sorted(head.items()) if main.get(p) != s]

    def _missing(self, method: str, path: str):
        self.unknown.append(f"{method} {path}")
        return 404, {"message": "not found"}


class _Handler(http.server.SimpleHTTPRequestHandler):
    """The static files of the built site, and ``/api/v1`` answered by the server's :class:`FakeGitea`."""

    def log_message(self, *args) -> None:
        pass

    def _api(self, method: str) -> bool:
        parts = urlsplit(self.path)
        if not parts.path.startswith("/api/v1/"):
            return False
        length = int(self.headers.get("Content-Length") or 0)
        body = json.loads(self.rfile.read(length) or b"null") if length else None
        status, answer = self.server.gitea.answer(method, parts.path[len("/api/v1"):], parse_qs(parts.query), body)
        data = json.dumps(answer).encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)
        return True

    def do_GET(self) -> None:
        if not self._api("GET"):
            super().do_GET()

    def do_POST(self) -> None:
        self._api("POST")

    def do_PUT(self) -> None:
        self._api("PUT")

    def do_PATCH(self) -> None:
        self._api("PATCH")

    def do_DELETE(self) -> None:
        self._api("DELETE")


@pytest.fixture(scope="module")
def intranet(tmp_path_factory):
    """The intranet build's admin folders on one loopback server: ``/admin/`` for a Gitea elsewhere, ``/fake/admin/``
    for the :class:`FakeGitea` answering at ``/api/v1`` of the same server."""
    if not (DIST / "decap-cms.js").is_file():
        pytest.fail("node_modules/decap-cms is missing: run scripts/install-tools")
    from mzpress.cli import main

    site = tmp_path_factory.mktemp("intranet") / "site"
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Handler, directory=str(site)))
    server.gitea = FakeGitea({EXISTING: (REPO_ROOT / EXISTING).read_bytes()})
    url = f"http://127.0.0.1:{server.server_address[1]}"
    for folder, api_root in (("admin", f"{GITEA}/api/v1"), ("fake/admin", f"{url}/api/v1")):
        assert main(["--root", str(REPO_ROOT), "cms-config", "--backend", "gitea", "--repo", REPO,
                     "--api-root", api_root, "--base-url", api_root.removesuffix("/api/v1"),
                     "--app-id", "mzpress-editor", "--admin-dir", str(site / folder)]) == 0
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield url, server.gitea
    finally:
        server.shutdown()
        server.server_close()


def test_the_intranet_editor_loads_the_setup_script_and_says_what_a_save_does(browser, intranet):
    intranet, _ = intranet
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
                    workflow: t.app.header.workflow, date: !!CMS.getWidget('datetime'),
                    coverAlt: !!CMS.getWidget('mzpress-cover-alt'), backend: window.MZPRESS_SITE.backend}; }""")
        assert loaded["save"] == "保存草稿" and loaded["publish"] == "合并发布", loaded
        assert loaded["inReview"].startswith("待审核") and "合并请求" in loaded["saved"], loaded
        assert loaded["workflow"] == "审核流程" and loaded["date"] and loaded["coverAlt"], loaded
        assert loaded["backend"] == "forgejo", loaded
        # Every string of Decap's English has a Chinese one (but the editorial notes pane, which is not used).
        untranslated = page.evaluate("""() => { const out = [];
            const walk = (en, zh, path) => { for (const k of Object.keys(en)) { const p = path ? path + '.' + k : k;
                if (typeof en[k] === 'object') walk(en[k], (zh || {})[k], p);
                else if (!zh || typeof zh[k] !== 'string') out.push(p); } };
            walk(CMS.getLocale('en'), CMS.getLocale('zh_Hans'), ''); return out; }""")
        assert [k for k in untranslated if "note" not in k.lower()] == [], untranslated
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


def test_a_story_saved_in_the_intranet_editor_goes_to_a_branch_and_a_pull_request_and_passes_the_check(
        browser, intranet, tmp_path):
    url, gitea = intranet
    recorder = Recorder(urlsplit(url).netloc)
    context, page = new_page(browser, recorder)
    context.add_init_script("localStorage.setItem('decap-cms-user', JSON.stringify("
                            "{backendName: 'forgejo', token: 'test-token', login: 'writer', name: '李晓梅'}))")
    try:
        page.goto(url + "/fake/admin/#/collections/stories/new")
        expect(page.locator("[id^=title-field]")).to_be_visible(timeout=30000)
        expect(page.locator("#mzpress-login-note")).to_be_hidden()
        text = page.locator("body").inner_text()
        for wrong in ("修改已保存", "立即发布", "已发布", "发布，然后", "Publish", "Save", "(mm/dd/yyyy)"):
            assert wrong not in text, wrong
        assert "【更多设置】" in text and "选了封面图片时必填" in text, text
        page.locator("[id^=title-field]").fill("城关镇开展冬季送温暖活动")
        page.locator("[id^=unit-field]").fill("办公室")
        page.keyboard.press("Enter")
        page.locator("[id^=author-field]").fill("李晓梅")
        page.locator("[id^=editor-field]").fill("王建国")
        _pick_date(page, "发布时间", "2026", "11", "20", "9", "30")
        expect(page.locator(".mzpress-date-shown").first).to_have_text("2026年11月20日9时30分")
        page.locator("[id^=summary-field]").fill("城关镇为困难群众送去棉被和米面油。")
        page.locator("[contenteditable=true]").last.click()
        page.keyboard.type("11月20日，城关镇为辖区困难群众送去棉被和米面油。")
        # The preview pane as in the writers' preview: names, Chinese dates, the site's stylesheet next to the page.
        frame = page.frame_locator("iframe").first
        expect(frame.locator(".mz-article-meta")).to_contain_text("发布时间：2026年11月20日9时30分", timeout=20000)
        expect(frame.locator(".mz-article-meta")).to_contain_text("来源：办公室")
        styles = frame.locator("link[rel=stylesheet]").evaluate_all("links => links.map(l => l.href)")
        assert f"{url}/fake/admin/site-preview.css" in styles, styles
        page.get_by_role("button", name="保存草稿", exact=True).click()
        expect(page.get_by_text("已保存为草稿").first).to_be_visible(timeout=30000)
        page.wait_for_url(re.compile(r".*/entries/2026/20261120$"), timeout=30000)  # Decap opens the saved entry
        expect(page.locator("#mzpress-login-note")).to_be_hidden()
        # The 审核流程 page lists it as a draft, in Chinese (the day too).
        page.goto(url + "/fake/admin/#/workflow")
        workflow = page.locator("main, body").first
        expect(workflow).to_contain_text("城关镇开展冬季送温暖活动", timeout=30000)
        listed = workflow.inner_text()
        for words in ("审核流程", "草稿", "待审核", "审核通过", "1篇", "删除草稿", "合并发布新稿件"):
            assert words in listed, (words, listed)
        assert not re.search(r"January|February|March|April|May|June|July|August|September|October|November|December"
                             r"|Draft|Ready|Review|Delete|Publish", listed), listed
        # Opened again from there: its status (草稿) and what the toolbar offers, in the Gitea workflow's words.
        page.get_by_text("城关镇开展冬季送温暖活动").first.click()
        expect(page.locator("[id^=title-field]")).to_have_value("城关镇开展冬季送温暖活动", timeout=30000)
        for words in ("保存草稿", "状态：草稿", "合并发布", "删除这份草稿（关闭合并请求）"):
            expect(page.get_by_text(words, exact=True).first).to_be_visible()
        # 提交审核: the status 待审核 is the pull request's label.
        page.get_by_text("状态：草稿", exact=True).click()
        page.get_by_text("待审核（已提交审核）", exact=True).click()
        expect(page.get_by_text("状态：待审核（已提交审核）", exact=True)).to_be_visible(timeout=30000)
    finally:
        context.close()
    assert recorder.foreign_requests == [], recorder.foreign_requests
    assert gitea.unknown == [], gitea.unknown
    (pull,) = gitea.pulls
    branch = pull["head"]["ref"]
    assert branch.startswith("cms/stories/") and [label["name"] for label in pull["labels"]] == [
        "decap-cms/pending_review"]  # saved as a draft, then 待审核
    assert [message for _, message in gitea.commits] == ["新增民政故事：2026/20261120"]
    assert gitea.files("main") == {EXISTING: (REPO_ROOT / EXISTING).read_bytes()}  # nothing published
    (path,) = set(gitea.files(branch)) - {EXISTING}
    assert path == "content/stories/2026/20261120.md", path  # the day of 发布时间 (UTC): a name content.slug accepts
    text = gitea.files(branch)[path].decode("utf-8")
    meta = yaml.safe_load(text.split("---\n")[1])
    assert meta == {"title": "城关镇开展冬季送温暖活动", "unit": "office", "author": "李晓梅", "editor": "王建国",
                    "date": "2026-11-20 09:30", "summary": "城关镇为困难群众送去棉被和米面油。"}, text
    root = new_project(tmp_path / "p", with_sample_pages=False)
    (root / path).parent.mkdir(parents=True, exist_ok=True)
    (root / path).write_text(text, encoding="utf-8")
    check = mzpress(root, "check", path)
    assert check.returncode == 0, check.stdout + check.stderr
