"""Tables readers can read on a phone (issue 29): a table too wide for its box is shown as stacked rows, each cell
under its column's name, in the default mode and in 适老化模式, at 320 and 375 px; a table that fits stays a table;
table text follows 字号; a table that cannot be stacked scrolls in its own box under a visible cue; 连读 reads a table
row by row with its headers, and 指读 a cell with its column's name.

Why stacked rows and not a sticky first column with a 左右滑动 cue: measured on the sample notice's table (4 columns,
6 rows) at 375 px in Chromium, text at 14.4 px (适老化模式 26.4 px). With the first column sticky, the default mode
shows 序号 and 社会组织名称, 57 % of 类别 and none of 拟评等级, the result the notice is about: every row needs 163 px
of sideways scrolling; 适老化模式 shows 序号 and 58 % of 社会组织名称 with 589 px to scroll, and the column kept in
view is 序号, which does not say whose row it is (at 320 px: 218 and 644 px). Stacked, all four columns of every row
are on screen with their names in both modes and nothing scrolls sideways; the cost is height, 864 px instead of 358
(适老化模式 1,828 instead of 650), which a reader scrolls through as through the text.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import NOTICE, new_page, open_page
from tests.browser.test_reader_toolbar import SPEECH, ZH_VOICE, open_panel, spoken

HEADERS = ["序号", "社会组织名称", "类别", "拟评等级"]
FIRST_ROW = "序号：1，社会组织名称：示例县老年协会，类别：社会团体，拟评等级：4A"

# Every body cell of the first table: where it is, whether its text is cut off, its label (the ::before content).
CELLS = """() => {
  const t = document.querySelector('article table'), width = document.documentElement.clientWidth;
  return [...t.tBodies[0].rows].map(row => [...row.cells].map(cell => {
    const box = cell.getBoundingClientRect(), range = document.createRange();
    range.selectNodeContents(cell);
    const text = [...range.getClientRects()];
    const style = getComputedStyle(cell);
    return {text: cell.innerText.trim(), left: box.left, right: box.right, width,
            textLeft: Math.min(...text.map(r => r.left)), textRight: Math.max(...text.map(r => r.right)),
            clipped: cell.scrollWidth > cell.clientWidth + 1, visible: style.visibility === 'visible' && box.height > 0,
            label: getComputedStyle(cell, '::before').content, fontSize: parseFloat(style.fontSize)};
  }));
}"""


def _doc_width(page) -> dict:
    return page.evaluate("""() => ({doc: document.documentElement.scrollWidth, body: document.body.scrollWidth,
                                     client: document.documentElement.clientWidth})""")


@pytest.mark.parametrize("width", [320, 375])
@pytest.mark.parametrize("elder", [False, True], ids=["default", "elder"])
def test_a_wide_table_on_a_phone_shows_every_column_with_its_name(browser, recorder, server, width, elder):
    context, page = new_page(browser, recorder, width=width, height=740)
    try:
        open_page(page, server, NOTICE, elder=elder)
        widths = _doc_width(page)
        assert widths["doc"] <= widths["client"] == width and widths["body"] <= width, widths  # no page overflow
        wrap = page.locator("article .md-typeset__scrollwrap").first
        assert "mz-table-stacked" in wrap.get_attribute("class")
        assert wrap.evaluate("w => w.scrollWidth <= w.clientWidth + 1")  # nothing hidden to the right
        assert wrap.get_attribute("tabindex") is None and wrap.get_attribute("role") is None
        rows = page.evaluate(CELLS)
        assert len(rows) == 6 and all(len(row) == 4 for row in rows)
        paragraph = page.evaluate("parseFloat(getComputedStyle(document.querySelector('article .mz-article > p')).fontSize)")
        for row in rows:
            for header, cell in zip(HEADERS, row, strict=True):
                assert cell["visible"] and not cell["clipped"], cell
                assert cell["left"] >= 0 and cell["right"] <= width, cell  # on screen, whole
                assert cell["textLeft"] >= 0 and cell["textRight"] <= width, cell  # and its text too
                assert cell["label"].startswith(f'"{header}：'), cell  # “列名：值”
                assert cell["fontSize"] >= paragraph * 0.9 - 0.01, (cell, paragraph)
                if elder:
                    assert cell["fontSize"] >= 24, cell  # 适老化: main text ≥ 24 px, tables included
        # Each row is one card: its cells one under another, the rows apart.
        tops = page.evaluate("""() => [...document.querySelectorAll('article tbody tr')].map(r => [...r.cells]
            .map(c => c.getBoundingClientRect().top))""")
        assert all(row == sorted(row) and len(set(row)) == 4 for row in tops), tops
        assert [row[0] for row in tops] == sorted(row[0] for row in tops)
        # The header row is still there for screen readers (the cells' headers), not on screen.
        header = page.locator("article thead").first
        assert header.evaluate("h => { const r = h.getBoundingClientRect(); return r.width <= 1 && r.height <= 1; }")
        assert header.locator("th").all_inner_texts() == HEADERS
        assert page.locator("article table").first.get_attribute("role") == "table"
        assert page.locator("article tbody td").first.get_attribute("role") == "cell"
        assert recorder.console_errors == []
    finally:
        context.close()


def test_a_table_that_fits_stays_a_table_and_restacks_when_the_text_grows(browser, recorder, server):
    context, page = new_page(browser, recorder, width=1280, height=900)
    try:
        open_page(page, server, NOTICE)
        wrap = page.locator("article .md-typeset__scrollwrap").first
        assert "mz-table-stacked" not in (wrap.get_attribute("class") or "")
        assert page.locator("article table").first.get_attribute("role") is None
        heads = page.evaluate("""() => [...document.querySelectorAll('article thead th')].map(th => {
            const r = th.getBoundingClientRect(); return [th.innerText.trim(), r.width > 20, r.right]; })""")
        right = wrap.evaluate("w => w.getBoundingClientRect().right")
        assert [h[0] for h in heads] == HEADERS and all(h[1] and h[2] <= right + 1 for h in heads), heads
        # 字号 follows to the table: 小 < 中 < 大, like the text around it (Material fixed it at 12.8 px).
        sizes = {}
        for size in ("s", "m", "l"):
            page.locator(f"[data-mz-size='{size}']").click()
            sizes[size] = page.evaluate("""() => [parseFloat(getComputedStyle(document.querySelector('article td')).fontSize),
                parseFloat(getComputedStyle(document.querySelector('article .mz-article > p')).fontSize)]""")
        assert sizes["s"][0] < sizes["m"][0] < sizes["l"][0], sizes
        assert all(abs(cell / text - 0.9) < 0.02 for cell, text in sizes.values()), sizes
        # A narrower window: the table no longer fits, and is stacked without a reload.
        page.set_viewport_size({"width": 375, "height": 740})
        expect(wrap).to_have_class("md-typeset__scrollwrap mz-table-stacked")
        assert _doc_width(page)["doc"] <= 375
        page.set_viewport_size({"width": 1280, "height": 900})
        expect(wrap).to_have_class("md-typeset__scrollwrap")
        assert recorder.console_errors == []
    finally:
        context.close()


def test_a_table_with_merged_cells_scrolls_in_its_box_under_a_cue(browser, recorder, server):
    """Merged cells have no one column name per cell: such a table is not stacked; it scrolls in its own box,
    a focusable, named region with a visible cue, and the page still does not scroll sideways."""
    context, page = new_page(browser, recorder, width=375, height=740)
    try:
        open_page(page, server, NOTICE, elder=True)
        page.evaluate("""() => {
            const t = document.createElement('table'), head = t.createTHead().insertRow(), body = t.createTBody();
            const wide = ['一季度救助人数', '二季度救助人数', '三季度救助人数', '四季度救助人数', '全年合计'];
            const th = document.createElement('th'); th.textContent = '乡镇'; th.rowSpan = 1; head.append(th);
            wide.forEach(w => { const c = document.createElement('th'); c.textContent = w; head.append(c); });
            for (let i = 0; i < 3; i++) { const r = body.insertRow(); r.insertCell().textContent = '城关镇' + i;
                const c = r.insertCell(); c.colSpan = 2; c.textContent = '合并单元格' + i;
                for (let j = 0; j < 3; j++) r.insertCell().textContent = String(100 + i * 10 + j); }
            document.querySelector('article .mz-article').append(t);
        }""")
        page.set_viewport_size({"width": 360, "height": 740})  # mzpress.js measures tables again on a resize
        wrap = page.locator("article .md-typeset__scrollwrap").last
        expect(wrap).to_have_attribute("role", "region")
        assert wrap.get_attribute("tabindex") == "0" and "表格" in wrap.get_attribute("aria-label")
        assert "mz-table-stacked" not in wrap.get_attribute("class")
        assert page.locator("article table").last.get_attribute("data-mz-table") == "complex"
        cue = page.locator("article .mz-table-cue").last
        expect(cue).to_be_visible()
        expect(cue).to_contain_text("左右滑动")
        assert _doc_width(page)["doc"] <= 360
        wrap.focus()
        page.keyboard.press("ArrowRight")
        page.wait_for_function("() => [...document.querySelectorAll('article .md-typeset__scrollwrap')].pop().scrollLeft > 0")
        # The notice's own table is still stacked and carries no cue.
        first = page.locator("article .md-typeset__scrollwrap").first
        assert "mz-table-stacked" in first.get_attribute("class")
        assert page.locator("article .mz-table-cue:visible").count() == 1
        assert recorder.console_errors == []
    finally:
        context.close()


def test_continuous_reading_reads_a_table_row_by_row_with_its_headers(page, server):
    page.add_init_script(SPEECH % ZH_VOICE)
    open_page(page, server, NOTICE)
    paragraphs = page.evaluate("[...document.querySelectorAll('article .mz-article > p:not([class])')].map(p => p.innerText.trim())")
    open_panel(page).get_by_role("button", name="连读").click()
    marked = []
    for _ in range(200):
        last = spoken(page)[-1]
        if "：" in last and last.startswith("序号："):
            marked.append(page.evaluate("document.querySelector('.mz-reading').tagName"))
        if not page.evaluate("__finish()"):
            break
    texts = spoken(page)
    rows_seen = [t for t in texts if t.startswith("序号：")]
    assert rows_seen[0] == FIRST_ROW
    assert len(rows_seen) == 6 and all(all(f"{h}：" in row for h in HEADERS) for row in rows_seen), rows_seen
    assert rows_seen[-1] == "序号：6，社会组织名称：示例县青山镇老年协会，类别：社会团体，拟评等级：2A"
    assert marked == ["TR"] * 6  # the row being read is marked, not a cell
    # No cell alone, and not the header row: 6 utterances for the table, not 33.
    assert not [t for t in texts if t in ("4A", "3A", "社会团体", "序号", "拟评等级", "序号 社会组织名称 类别 拟评等级")]
    # The table is read where it stands: after the paragraph before it, before the one after it.
    assert texts.index(paragraphs[0]) < texts.index(FIRST_ROW) < texts.index(paragraphs[1])


def test_point_reading_reads_a_cell_with_its_column_name(page, server):
    page.add_init_script(SPEECH % ZH_VOICE)
    open_page(page, server, NOTICE)
    open_panel(page).get_by_role("button", name="指读").click()
    page.locator("article td").filter(has_text="社会服务机构").first.hover()
    page.wait_for_function("() => __speech.spoken.length > 0 && __speech.spoken.at(-1).text === '类别：社会服务机构'",
                           timeout=3000)
