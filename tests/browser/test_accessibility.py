"""axe-core on the home, story, topic and notice pages, in the normal and the elder-friendly mode."""

from __future__ import annotations

import pytest

from tests.browser.conftest import SAMPLE_PAGES, open_page, run_axe


@pytest.mark.parametrize("name", sorted(SAMPLE_PAGES))
@pytest.mark.parametrize("elder", [False, True], ids=["normal", "elder"])
def test_no_serious_or_critical_violation(page, server, recorder, name, elder):
    open_page(page, server, SAMPLE_PAGES[name], elder=elder)
    assert page.evaluate("document.documentElement.classList.contains('mz-elder')") == elder
    violations = run_axe(page, server)
    serious = [v for v in violations if v["impact"] in ("serious", "critical")]
    assert serious == [], serious
    assert recorder.console_errors == []


def test_axe_does_report_a_broken_page(page, server):
    """The check can fail: the same run flags a page with an unlabeled image and low-contrast text."""
    open_page(page, server, SAMPLE_PAGES["story"])
    page.evaluate("""() => { const img = document.querySelector('article img') || document.createElement('img');
        img.removeAttribute('alt'); img.src = img.src || '../../../assets/images/dangzheng.svg';
        document.querySelector('article').append(img);
        const p = document.querySelector('article p'); p.style.setProperty('color', '#eeeeee'); }""")
    ids = {v["id"] for v in run_axe(page, server) if v["impact"] in ("serious", "critical")}
    assert {"image-alt", "color-contrast"} <= ids
