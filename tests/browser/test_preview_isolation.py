"""A previewed story cannot be turned against the writer (Chromium, the preview with its editor mounted).

The attack found on an earlier version: a story that passed the checks hid an ``onerror`` handler behind a ``<!-->``
comment; opened in the preview (same origin as the editor's backend, no CSP), it overwrote
``content/about/contact.md`` through ``/api/v1`` with no click. Now the preview sends deploy/nginx.conf's CSP (no
inline script) and the editor with its backend lives on another port (another origin) that answers only its own page.
The publish gate may refuse or clean such a story (the preview then shows its errors); so besides opening the stories,
these tests run in the previewed page what an injected script would run (``page.evaluate``), with the page's CSP and
without it, and check that the project's files are unchanged byte for byte.
"""

from __future__ import annotations

import json

import pytest

from tests.browser.conftest import running_preview
from tests.support.project import REPO_ROOT, add_story, new_project
from tests.unit.test_preview_server import directives, nginx_csp

DIST = REPO_ROOT / "node_modules" / "decap-cms" / "dist"
CONTACT = "content/about/contact.md"
# What an injected script sends: the same request.
PERSIST = json.dumps({"action": "persistEntry", "params": {"dataFiles": [{
    "path": CONTACT, "raw": "---\ntitle: 联系我们\nunit: office\nauthor: 周明\neditor: 王建国\n"
                            "summary: 新的联系方式。\n---\n请拨打0000-1234567。\n"}], "assets": []}})
# An inline handler trying the preview's own origin and the editor's likely port (the preview's plus one), with a
# check-clean page over the bureau's contact page (no double quote: it sits in an HTML attribute).
BODY_JS = ("JSON.stringify({action:'persistEntry',params:{dataFiles:[{path:'content/about/contact.md',"
           "raw:'---\\ntitle: 联系我们\\nunit: office\\nauthor: 周明\\neditor: 王建国\\nsummary: 新的联系方式。"
           "\\n---\\n请拨打0000-1234567。\\n'}],assets:[]}})")
HANDLER = (f"fetch('/api/v1',{{method:'POST',headers:{{'Content-Type':'application/json'}},body:{BODY_JS}}});"
           f"fetch('//'+location.hostname+':'+(+location.port+1)+'/api/v1',{{method:'POST',"
           f"headers:{{'Content-Type':'application/json'}},body:{BODY_JS}}});document.title='pwned'")
ONERROR_BODY = f'正文第一段。\n\n<!--> <img src="data:," onerror="{HANDLER}"> -->\n\n正文第二段。\n'
SCRIPT_BODY = f"正文。\n\n<script>{HANDLER}</script>\n\n<svg><script>{HANDLER}</script></svg>\n"
# Records the page's CSP violations before any of its scripts run (an init script is not subject to the CSP).
RECORD_VIOLATIONS = """window.__violations = [];
document.addEventListener('securitypolicyviolation', e => window.__violations.push(e.violatedDirective));"""


REACHED: list[str] = []  # the actions that got past the server's own checks to the editor's backend


@pytest.fixture(scope="module")
def preview(tmp_path_factory):
    if not (DIST / "decap-cms.js").is_file():
        pytest.fail("node_modules/decap-cms is missing: run scripts/install-tools")
    from mzpress.adapters.mkdocs.editor_api import EditorApi

    root = new_project(tmp_path_factory.mktemp("isolation") / "p")
    add_story(root, 2026, "onerror", title="社区开展敬老活动", date="2026-05-01 09:00", body=ONERROR_BODY)
    add_story(root, 2026, "script", title="社区开展助老活动", date="2026-05-02 09:00", body=SCRIPT_BODY)
    api = EditorApi(root, dist=DIST)
    answer = api.post

    def recorded(path: str, body: bytes):
        REACHED.append(json.loads(body).get("action"))
        return answer(path, body)

    api.post = recorded
    with running_preview(root, routes=api) as server:
        yield root, f"http://127.0.0.1:{server.port}", f"http://127.0.0.1:{server.editor_port}"


def _files(root) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*"))
            if p.is_file() and ".mzpress-cache" not in p.parts}


@pytest.fixture
def context(browser):
    context = browser.new_context(service_workers="block")
    context.add_init_script(RECORD_VIOLATIONS)
    yield context
    context.close()


def test_opening_a_story_with_a_script_changes_no_file(preview, context):
    root, site, editor = preview
    before = _files(root)
    REACHED.clear()
    page = context.new_page()
    posts = []
    page.on("request", lambda r: r.method == "POST" and posts.append(r.url))
    for slug in ("onerror", "script"):
        response = page.goto(f"{site}/stories/2026/{slug}/")
        assert response.status == 200
        headers = response.headers
        assert directives(headers["content-security-policy"]) == nginx_csp()
        assert headers["x-content-type-options"] == "nosniff" and headers["x-frame-options"] == "SAMEORIGIN"
        page.wait_for_load_state("load")  # not "networkidle": the live reload keeps a request open
        page.wait_for_timeout(1500)
        assert page.title() != "pwned"
        # Whatever the gate made of the payload: if a handler reached the page, the CSP stopped it.
        reached = page.evaluate("!!document.querySelector('[onerror], article script')")
        violations = page.evaluate("window.__violations")
        assert not reached or violations, (slug, violations)
    assert posts == [] and REACHED == []
    assert _files(root) == before


def _attacks(page, editor: str) -> dict[str, str]:
    """What a script injected into the previewed page could try; each answer says how the attempt ended."""
    return page.evaluate("""async ([editor, body]) => {
        const json = {method: 'POST', headers: {'Content-Type': 'application/json'}, body};
        const outcome = async (request) => {
            try { const r = await request; return 'answered ' + r.status + (r.type === 'opaque' ? ' (opaque)' : ''); }
            catch (e) { return 'failed: ' + e.name; }
        };
        const xhr = (url) => new Promise(resolve => {
            const x = new XMLHttpRequest();
            x.open('POST', url);
            x.setRequestHeader('Content-Type', 'application/json');
            x.onload = () => resolve('answered ' + x.status);
            x.onerror = () => resolve('failed: network');
            try { x.send(body); } catch (e) { resolve('failed: ' + e.name); }
        });
        const results = {
            same_origin_fetch: await outcome(fetch('/api/v1', json)),
            same_origin_xhr: await xhr('/api/v1'),
            editor_fetch: await outcome(fetch(editor + '/api/v1', json)),
            editor_plain_no_cors: await outcome(fetch(editor + '/api/v1', {method: 'POST', mode: 'no-cors',
                                                                            headers: {'Content-Type': 'text/plain'}, body})),
            editor_xhr: await xhr(editor + '/api/v1'),
        };
        // The editor in a new window: once it has loaded, nothing of it can be read from here.
        const opened = window.open(editor + '/admin/');
        await new Promise(resolve => setTimeout(resolve, 1500));
        try {
            results.read_editor_window = !opened || opened.closed ? 'failed: no window'
                : 'read: ' + opened.location.href + ' ' + opened.document.title;
        } catch (e) { results.read_editor_window = 'failed: ' + e.name; }
        try { if (opened) opened.close(); } catch (e) {}
        return results;
    }""", [editor, PERSIST])


def test_a_script_in_a_previewed_page_cannot_reach_the_editors_backend(preview, context):
    root, site, editor = preview
    before = _files(root)
    REACHED.clear()
    page = context.new_page()
    page.goto(f"{site}/about/contact/")
    results = _attacks(page, editor)
    assert results["same_origin_fetch"] == "answered 405" and results["same_origin_xhr"] == "answered 405", results
    for name in ("editor_fetch", "editor_plain_no_cors", "editor_xhr", "read_editor_window"):
        assert results[name].startswith("failed"), (name, results)
    assert "connect-src" in page.evaluate("window.__violations")  # the page's CSP stopped them before sending
    page.wait_for_timeout(500)
    assert REACHED == []
    assert _files(root) == before


def test_without_the_csp_the_editors_origin_still_refuses_a_previewed_page(preview, browser):
    """Defence in depth: with the page's CSP switched off, the browser's same-origin policy and the backend's own
    checks (JSON only, Origin of the editor only, no CORS) still refuse every attempt."""
    root, site, editor = preview
    before = _files(root)
    REACHED.clear()
    context = browser.new_context(service_workers="block", bypass_csp=True)
    try:
        page = context.new_page()
        page.goto(f"{site}/about/contact/")
        results = _attacks(page, editor)
        page.wait_for_timeout(500)
    finally:
        context.close()
    assert results["same_origin_fetch"] == "answered 405", results
    assert results["editor_fetch"].startswith("failed") and results["editor_xhr"].startswith("failed"), results
    # A "simple" request needs no preflight: it is sent, the server refuses it (not JSON, not the editor's Origin)
    # before the backend sees it, and the page cannot even read that answer (Cross-Origin-Resource-Policy).
    assert results["editor_plain_no_cors"].startswith("failed"), results
    assert results["read_editor_window"].startswith("failed"), results
    assert REACHED == []
    assert _files(root) == before


def test_the_editors_own_page_reaches_its_backend(preview, context):
    """The control: the same request from the editor's page (its origin) is answered, so the refusals above are the
    isolation at work, not a broken backend."""
    root, _, editor = preview
    REACHED.clear()
    page = context.new_page()
    response = page.goto(f"{editor}/admin/")
    assert "'unsafe-inline'" not in directives(response.headers["content-security-policy"])["script-src"]
    assert response.headers["x-frame-options"] == "DENY"
    answer = page.evaluate("""async () => {
        const r = await fetch('/api/v1', {method: 'POST', headers: {'Content-Type': 'application/json'},
            body: JSON.stringify({action: 'getEntry', params: {path: 'content/about/contact.md'}})});
        return [r.status, (await r.json()).data];
    }""")
    assert answer == [200, (root / CONTACT).read_text(encoding="utf-8")]
    assert "getEntry" in REACHED
