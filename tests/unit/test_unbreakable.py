"""Phone numbers and dates are kept on one line in the rendered page."""

from __future__ import annotations

import pytest

from mzpress.text.unbreakable import keep_together


@pytest.mark.parametrize(("html", "expected"), [
    ("<p>咨询电话：0797-1234567。</p>", '<p>咨询电话：<span class="mz-nowrap">0797-1234567</span>。</p>'),
    ("<p>公示期为2026-11-25至2026-12-05。</p>",
     '<p>公示期为<span class="mz-nowrap">2026-11-25</span>至<span class="mz-nowrap">2026-12-05</span>。</p>'),
    ("<td>400-123-4567</td>", '<td><span class="mz-nowrap">400-123-4567</span></td>'),
    ("<p>2026-12-03 09:30 发布</p>", '<p><span class="mz-nowrap">2026-12-03 09:30</span> 发布</p>'),
])
def test_numbers_are_wrapped(html, expected):
    assert keep_together(html) == expected
    assert keep_together(keep_together(html)) == keep_together(html)  # idempotent


@pytest.mark.parametrize("html", [
    '<a href="tel:0797-1234567" title="2026-12-05">拨打电话</a>',  # attributes untouched
    "<pre><code>date: 2026-12-05\nphone: 0797-1234567</code></pre>",  # code untouched
    "<p>编号 ABC-2026-12-05-X 和 12-345-6789</p>",  # parts of other tokens
    "<p>没有号码。</p>",
    "<!-- 0797-1234567 -->",
])
def test_attributes_code_and_other_tokens_are_left_alone(html):
    assert keep_together(html) == html
