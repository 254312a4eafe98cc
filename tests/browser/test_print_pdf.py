"""Print read back from the PDF Chromium makes (Playwright's page.pdf, print media): every text black in every
colour scheme (the bulletin's red masthead excepted), and the house style's sizes: a story's text at 16 pt with
its headings larger, a bulletin's headings larger than its 15 pt body."""

from __future__ import annotations

import io
from collections import Counter

import pytest
from pypdf import PdfReader

from tests.browser.conftest import BULLETIN, NOTICE, STORY, open_page

BLACK = (0.0, 0.0, 0.0)


def text_runs(pdf: bytes) -> list[tuple[str, float, tuple]]:
    """Each piece of text drawn: (text, size in points, fill colour as RGB 0–1)."""
    runs = []
    for sheet in PdfReader(io.BytesIO(pdf)).pages:
        fill = {"rgb": BLACK}

        def before(op, args, cm, tm, fill=fill):
            if op in (b"rg", b"sc", b"scn") and len(args) == 3:
                fill["rgb"] = tuple(round(float(a), 3) for a in args)
            elif op == b"g" and len(args) == 1:
                fill["rgb"] = (round(float(args[0]), 3),) * 3

        def text(t, cm, tm, font, size, fill=fill):
            if t.strip():
                a, b = cm[0] * tm[0] + cm[2] * tm[1], cm[1] * tm[0] + cm[3] * tm[1]
                runs.append((t.strip(), round(size * (a * a + b * b) ** .5, 1), fill["rgb"]))

        sheet.extract_text(visitor_operand_before=before, visitor_text=text)
    return runs


def printed(page, server, path, scheme=None, elder=False, size=None):
    if scheme:
        page.add_init_script(f"localStorage.setItem('mzpress.scheme', '{scheme}')")
    if size:
        page.add_init_script(f"localStorage.setItem('mzpress.size', '{size}')")
    open_page(page, server, path, elder=elder)
    headings = page.evaluate("""() => Object.fromEntries(['h1', 'h2', 'h3'].map(h => [h,
        [...document.querySelectorAll('article ' + h)].map(e => e.innerText.trim()).filter(Boolean)]))""")
    return text_runs(page.pdf(format="A4")), headings


def size_of(runs, text):
    """The size of a heading's text in the PDF (the runs that spell it)."""
    sizes = [s for t, s, _ in runs if t and t in text and len(t) >= 1]
    return Counter(sizes).most_common(1)[0][0] if sizes else None


@pytest.mark.parametrize("scheme", [None, "contrast", "mono"])
@pytest.mark.parametrize("path", [STORY, NOTICE, BULLETIN])
def test_printed_text_is_black_in_every_scheme(page, server, path, scheme):
    runs, _ = printed(page, server, path, scheme=scheme, elder=scheme == "contrast")
    masthead = page.evaluate("(document.querySelector('.mz-bulletin-masthead__name') || {}).innerText || ''")
    coloured = [(t, c) for t, _, c in runs if c != BLACK and not (masthead and t in masthead)]
    assert len(runs) > 20 and coloured == [], coloured[:10]


@pytest.mark.parametrize("size", [None, "l"])
def test_printed_story_sizes_follow_the_house_style(page, server, size):
    runs, headings = printed(page, server, STORY, elder=size == "l", size=size)
    body = Counter(s for t, s, _ in runs if len(t) >= 8).most_common(1)[0][0]
    assert 15.5 <= body <= 16.5, body  # 三号, whatever the screen's 字号 and 适老化模式
    assert headings["h2"], headings
    h1 = size_of(runs, headings["h1"][0])
    assert h1 >= 21, h1
    for h in headings["h2"] + headings["h3"]:
        assert size_of(runs, h) > body, (h, size_of(runs, h), body)


def test_printed_bulletin_headings_are_larger_than_its_body(page, server):
    runs, headings = printed(page, server, BULLETIN)
    body = Counter(s for t, s, _ in runs if len(t) >= 8).most_common(1)[0][0]
    assert 14.5 <= body <= 15.5, body
    subheads = headings["h2"] + headings["h3"]
    assert subheads, headings
    for h in subheads:
        assert size_of(runs, h) > body, (h, size_of(runs, h), body)
