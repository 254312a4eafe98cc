"""axe-core on every page kind, at 1280 px and 375 px, in every 配色 and in 适老化模式:
no violation of any impact, including the toolbar buttons' hover and focus states.

One browser context per width; each page is loaded once and taken through the display states with the
toolbar's own buttons (the choices are the same classes the head script applies before the first paint).
"""

from __future__ import annotations

import time

import pytest

from tests.browser.conftest import (
    BULLETIN,
    HOME,
    NOTICE,
    RESPONSE,
    SAMPLE_PAGES,
    STORY,
    TOPIC,
    new_page,
    open_page,
    run_axe,
)

# The page kinds of the sample site (the 404 page is any unknown address), each with its 当前位置.
PAGE_KINDS = {"home": HOME, "story": STORY, "topic": TOPIC, "notices": "notices/", "notice": NOTICE,
              "campaign": "campaigns/zuimei-minzhengren/", "member": "campaigns/zuimei-minzhengren/chen-xiulan/",
              "bulletin": BULLETIN, "responses": "responses/", "response": RESPONSE, "archive": "stories/", "search": "search/", "sitemap": "sitemap/",
              "about": "about/", "subscribe": "about/subscribe/", "404": "no-such-page/"}
# (state name, toolbar buttons clicked from the previous state) in order; 重置 between pages.
STATES = (
    ("default", []),
    ("黑底黄字", ["[data-mz-panel-toggle]", "[data-mz-scheme='contrast']"]),
    ("白底黑字", ["[data-mz-scheme='mono']"]),
    ("适老化", ["[data-mz-scheme='default']", "[data-mz-elder-toggle]"]),
    ("适老化+黑底黄字", ["[data-mz-scheme='contrast']"]),
)
CLASSES = {"default": set(), "黑底黄字": {"mz-scheme-contrast"}, "白底黑字": {"mz-scheme-mono"},
           "适老化": {"mz-elder"}, "适老化+黑底黄字": {"mz-elder", "mz-scheme-contrast"}}

# axe on the toolbar alone, for the states axe's page run cannot see (hover, focus).
TOOLBAR_CONTRAST = """async () => {
    const r = await axe.run('.mz-toolbar', {runOnly: ['color-contrast', 'focus-order-semantics', 'nested-interactive'],
                                            resultTypes: ['violations']});
    return r.violations.map(v => ({id: v.id, impact: v.impact, nodes: v.nodes.slice(0, 5).map(n => n.target.join(' '))}));
}"""


# Colours change with a CSS transition (Material's links and buttons, 125 to 250 ms): axe must read the
# settled colours, so the test turns transitions off with a stylesheet served next to axe (the CSP allows
# no inline style). The colours checked are the same: only the fade between them is skipped.
NO_TRANSITIONS = "*, *::before, *::after { transition: none !important; animation: none !important; }\n"


def _no_transitions(page, server) -> None:
    served = server.site / "__tests__" / "no-transitions.css"
    if not served.exists():
        served.parent.mkdir(mode=0o755, exist_ok=True)
        served.write_text(NO_TRANSITIONS, encoding="utf-8")
        served.chmod(0o644)
    page.add_style_tag(url=server.url("__tests__/no-transitions.css"))


def _toolbar_states(page) -> list[dict]:
    """Hover, then focus, each kind of toolbar button (pressed, not pressed, the panel toggle); axe each time."""
    found = []
    for selector in ("[data-mz-elder-toggle]", "[data-mz-size='l']", "[data-mz-size][aria-pressed='true']",
                     "[data-mz-panel-toggle]", "[data-mz-scheme][aria-pressed='true']", "[data-mz-read='start']"):
        button = page.locator(selector).first
        if not button.is_visible():
            continue
        button.hover()
        found += [dict(v, state=f"hover {selector}") for v in page.evaluate(TOOLBAR_CONTRAST)]
        button.focus()
        page.mouse.move(0, 0)
        found += [dict(v, state=f"focus {selector}") for v in page.evaluate(TOOLBAR_CONTRAST)]
    return found


@pytest.mark.parametrize("width,height", [(1280, 900), (375, 740)], ids=["1280px", "375px"])
def test_no_axe_violation_on_any_page_kind_in_any_display_state(browser, server, recorder, width, height):
    context, page = new_page(browser, recorder, width=width, height=height)
    try:
        started, runs, found = time.monotonic(), 0, []
        for kind, path in PAGE_KINDS.items():
            response = open_page(page, server, path)
            assert response.status == (404 if kind == "404" else 200), (kind, response.status)
            _no_transitions(page, server)
            for state, clicks in STATES:
                for selector in clicks:
                    page.locator(selector).first.click()
                classes = set(page.evaluate("[...document.documentElement.classList]"))
                assert CLASSES[state] <= classes and not ({"mz-elder", "mz-scheme-contrast", "mz-scheme-mono"}
                                                          - CLASSES[state]) & classes, (state, classes)
                page.mouse.move(0, 0)
                found += [dict(v, page=kind, state=state) for v in run_axe(page, server)]
                runs += 1
                if kind == "home":  # the toolbar is the same partial on every page
                    found += [dict(v, page=kind, where=state) for v in _toolbar_states(page)]
            page.locator("[data-mz-reset]").click()
        assert found == [], "\n".join(f"{v.get('page')} {v.get('state')} {v.get('where', '')} {v['id']} {v['impact']} {v['nodes']}" for v in found)
        assert runs == len(PAGE_KINDS) * len(STATES)
        # The 404 page's own status is the only console error.
        assert [e for e in recorder.console_errors if "status of 404" not in e] == []
        assert len(recorder.console_errors) <= 1, recorder.console_errors
        print(f"axe: {runs} runs at {width}px in {time.monotonic() - started:.1f}s")
    finally:
        context.close()
    assert recorder.foreign_requests == []


def test_sample_page_kinds_cover_the_shared_sample_pages():
    assert set(SAMPLE_PAGES.values()) <= set(PAGE_KINDS.values())


def test_axe_does_report_a_broken_page(page, server):
    """The check can fail: the same run flags a page with an unlabeled image and low-contrast text."""
    open_page(page, server, SAMPLE_PAGES["story"])
    page.evaluate("""() => { const img = document.querySelector('article img') || document.createElement('img');
        img.removeAttribute('alt'); img.src = img.src || '../../../assets/images/dangzheng.svg';
        document.querySelector('article').append(img);
        const p = document.querySelector('article p'); p.style.setProperty('color', '#eeeeee'); }""")
    ids = {v["id"] for v in run_axe(page, server) if v["impact"] in ("serious", "critical")}
    assert {"image-alt", "color-contrast"} <= ids
