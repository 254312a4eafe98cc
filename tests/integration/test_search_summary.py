"""The search index reads a built page's summary (the template's data-mz-search-summary) as searchable text."""

from __future__ import annotations

from mzpress.publishing.full_text_index import index_files, page_document, search

PAGE = ('<html><body><div class="mz-article" data-mz-search data-mz-search-title="标题" data-mz-search-summary="{summary}">'
        '<h1>标题</h1><!--mz-search-text--><p>{text}</p><!--/mz-search-text--></div></body></html>')


def test_summary_words_are_searchable_and_not_doubled():
    only_summary = page_document("/a/", PAGE.format(summary="营造孝老爱亲氛围 &amp; &#34;引号&#34;", text="正文只写了别的。"))
    assert only_summary.text.splitlines() == ['营造孝老爱亲氛围 & "引号"', "正文只写了别的。"]
    in_text = page_document("/b/", PAGE.format(summary="正文第一句。", text="正文第一句。还有第二句。"))
    assert in_text.text == "正文第一句。还有第二句。"  # already in the text: not added twice
    files = index_files([only_summary, in_text])
    assert search(files, "营造") == ["/a/"]
    assert search(files, "第二句") == ["/b/"]


def test_a_page_without_a_summary_is_unchanged():
    page = PAGE.replace(' data-mz-search-summary="{summary}"', "").format(text="只有正文。")
    assert page_document("/c/", page).text == "只有正文。"
