"""The search index's core (mzpress/publishing/full_text_index.py): what it reads of a built page, the keys, the
file format, and a reference search that finds exactly the pages containing a query."""

from __future__ import annotations

import json
import random

import pytest

from mzpress.publishing.full_text_index import (
    FORMAT,
    PACK,
    SearchDocument,
    decode_ids,
    encode_ids,
    html_text,
    index_documents,
    index_files,
    pack_of,
    page_document,
    query_keys,
    search,
    shard_of,
    text_keys,
)


def _page(article_attributes: str, body: str, before: str = "") -> str:
    return (f"<html><body>{before}<div class=\"mz-article\"{article_attributes}><h1>标题</h1>"
            f"<div class=\"mz-article-meta\">发布时间：2024-05-06</div>{body}</div>"
            "<section><h2>相关稿件</h2><ul><li>别的稿件</li></ul></section></body></html>")


MARKED = ' data-mz-search data-mz-search-title="敬老&amp;爱老" data-mz-search-date="2024-05-06 09:30" data-mz-search-unit="养老服务股"'


def test_a_marked_page_gives_its_title_date_unit_and_only_its_own_text():
    page = _page(MARKED, "<!--mz-search-text--><p>第一段<strong>文字</strong>。</p><ul><li>一</li><li>二</li></ul>"
                 "<p>电话&#xFF1A;0000&nbsp;1234</p><script>alert(1)</script><!--/mz-search-text-->")
    document = page_document("stories/2024/x/", page)
    assert document == SearchDocument("stories/2024/x/", "敬老&爱老", "2024-05-06 09:30", "养老服务股",
                                      "第一段文字。\n一\n二\n电话：0000 1234")


def test_an_unmarked_page_is_no_result_even_when_its_text_imitates_the_marker():
    fake = ('<!--mz-search-text--><div class="mz-article" data-mz-search data-mz-search-title="假">撤回的文字</div>'
            "<!--/mz-search-text-->")
    assert page_document("stories/2024/withdrawn/", _page("", fake)) is None
    assert page_document("404.html", "<html><body><h1>404</h1></body></html>") is None


def test_an_end_marker_inside_the_text_ends_only_that_text():
    page = _page(MARKED, "<!--mz-search-text--><p>前半</p><!--/mz-search-text--><p>后半</p><!--/mz-search-text-->")
    assert page_document("a/", page).text == "前半"


def test_html_text_keeps_blocks_apart_and_drops_markup():
    assert html_text("<h2>一</h2><p>二<br>三</p><table><tr><td>四</td><td>五</td></tr></table>") == "一\n二\n三\n四\n五"
    assert html_text("<p>甲<!-- 注释 -->乙 &amp; <em>丙</em></p><style>p{}</style>") == "甲乙 & 丙"


def test_keys_are_chinese_one_to_three_grams_and_whole_latin_words():
    assert text_keys("民政局 ABC-12") == {"民", "政", "局", "民政", "政局", "民政局", "abc", "12"}
    assert query_keys("民政") == (["民政"], True)
    assert query_keys("民政局") == (["民政局"], True)
    assert query_keys("婚姻登记") == (["婚姻登", "姻登记"], False)  # four characters: confirmed in the text
    assert query_keys("哈哈哈哈") == (["哈哈哈"], False)
    assert query_keys("2024年") == (["2024", "年"], False)
    assert query_keys("WPS") == (["wps"], True)
    assert query_keys("，。") == ([], False)


def test_ids_round_trip_as_base36_gaps():
    ids = [0, 1, 4, 40, 1339, 1340, 99999]
    assert encode_ids([0, 1, 4]) == "0,1,3"
    assert decode_ids(encode_ids(ids)) == ids and decode_ids("") == []


def test_shards_are_fnv1a_of_the_code_points():
    # FNV-1a 32-bit of "a" is 0xe40c292c; the search page's script computes the same (tests/browser/test_search.py)
    assert shard_of("a", 1 << 32) == 0xE40C292C
    assert shard_of("民政", 256) == shard_of("民政", 256) and 0 <= shard_of("民政", 7) < 7


def _documents(count: int, seed: int) -> list[SearchDocument]:
    rng = random.Random(seed)
    alphabet = "民政局养老服务婚姻登记社区慈善救助孝贤文化，。"
    return [SearchDocument(f"stories/{i}/", "".join(rng.choice(alphabet) for _ in range(6)),
                           f"2024-{1 + i % 12:02d}-{1 + i % 28:02d} 09:00", "单位",
                           "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 120))))
            for i in range(count)]


def test_documents_are_packed_newest_first_a_fixed_number_to_a_file():
    documents = _documents(2 * PACK + 3, seed=5)
    files = index_files(documents)
    meta = json.loads(files["index.json"])
    assert meta == {"format": FORMAT, "documents": 2 * PACK + 3, "shards": meta["shards"], "pack": PACK}
    assert FORMAT == 2
    packs = sorted(name for name in files if name.startswith("documents/"))
    assert packs == ["documents/0.json", "documents/1.json", "documents/2.json"]  # one file per PACK documents
    assert [len(json.loads(files[name])) for name in packs] == [PACK, PACK, 3]  # the last one holds the rest
    newest = sorted(documents, key=lambda d: (d.date, d.url), reverse=True)
    first = json.loads(files["documents/0.json"])[0]
    assert first == {"url": newest[0].url, "title": newest[0].title, "date": newest[0].date, "unit": newest[0].unit,
                     "text": newest[0].text}
    assert [d["url"] for d in index_documents(files)] == [d.url for d in newest]
    # document n is item n % pack of pack n // pack, in the search page's script too
    assert pack_of(0, PACK) == (0, 0) and pack_of(PACK + 2, PACK) == (1, 2)
    assert json.loads(files["documents/1.json"])[2]["url"] == newest[PACK + 2].url


def test_the_pack_size_is_the_index_s_own_and_any_size_finds_the_same():
    documents = _documents(50, seed=9)
    queries = ["民政", "养老服务", "敬老 慈善", "孝贤文化"]
    expected = {query: search(index_files(documents, pack=1), query) for query in queries}
    for pack in (1, 3, 50, 64):
        files = index_files(documents, pack=pack)
        assert len([name for name in files if name.startswith("documents/")]) == -(-50 // pack)
        assert json.loads(files["index.json"])["pack"] == pack
        assert {query: search(files, query) for query in queries} == expected, pack
    with pytest.raises(ValueError):
        index_files(documents, pack=0)


def test_an_index_of_another_format_is_refused():
    files = index_files(_documents(3, seed=1))
    files["index.json"] = json.dumps({"format": 1, "documents": 3, "shards": 1}).encode()
    with pytest.raises(ValueError, match="format"):
        search(files, "民政")


def test_the_reference_search_finds_exactly_the_pages_containing_the_query():
    documents = _documents(300, seed=7)
    files = index_files(documents)
    assert json.loads(files["index.json"])["documents"] == 300
    rng = random.Random(8)
    for _ in range(300):
        source = rng.choice(documents)
        whole = source.title + "\n" + source.text
        start = rng.randrange(max(1, len(whole) - 5))
        query = whole[start:start + rng.randint(1, 5)].strip()
        if not query_keys(query)[0]:
            continue
        # terms are separated by white space (here the line break between title and text): every one is required
        truth = {d.url for d in documents if all(t in d.title + "\n" + d.text for t in query.split())}
        found = search(files, query)
        assert set(found) == truth, query
        assert len(found) == len(set(found))


def test_title_matches_first_then_newest_first():
    documents = [SearchDocument("old-title/", "敬老院", "2020-01-01 09:00", "", "正文"),
                 SearchDocument("new-body/", "新闻", "2026-01-01 09:00", "", "走访敬老院"),
                 SearchDocument("mid-body/", "新闻", "2023-01-01 09:00", "", "敬老院里"),
                 SearchDocument("about/", "机构概况", "", "", "敬老院")]
    files = index_files(documents)
    assert search(files, "敬老院") == ["old-title/", "new-body/", "mid-body/", "about/"]
    assert search(files, "敬老院 走访") == ["new-body/"]  # every term
    assert search(files, "走访敬老院里") == []  # five characters, confirmed: no page holds them together


def test_latin_words_match_whole_and_ignore_case_and_an_empty_index_works():
    files = index_files([SearchDocument("a/", "WPS 写作", "", "", "用Word或wps排版，电话0000-1234567")])
    assert search(files, "wps") == ["a/"] and search(files, "WORD") == ["a/"]
    assert search(files, "0000-1234567") == ["a/"] and search(files, "0000-7654321") == []
    assert search(index_files([]), "民政") == []


def test_markup_in_a_page_is_no_markup_in_the_index_files():
    hostile = '<script>alert(1)</script>"><img src=x onerror=alert(1)>&amp;'
    files = index_files([SearchDocument("a/", "敬老" + hostile, "2024-05-06 09:30", hostile, "敬老院" + hostile)])
    for name, data in files.items():
        assert b"<" not in data and b">" not in data and b"&" not in data, name
    assert search(files, "敬老院") == ["a/"]
    document = json.loads(files["documents/0.json"])[0]
    assert document["title"] == "敬老" + hostile and document["unit"] == hostile  # the reader's script shows it as text
