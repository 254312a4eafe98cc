"""The site's search index: every published page in full text, as static files a browser fetches piece by piece.

Why not a word index: Chinese has no spaces, and an index of segmented words (Material's lunr, Pagefind) misses
a query that falls inside a longer word or is segmented differently in the story (measured by
``scripts/bench --search``: 20–96 % recall). This index keeps, for every page, the set of its **character
n-grams** (every single character, every pair and every triple of adjacent Chinese characters; Latin letters and
digits as whole lower-cased words), so a query of 1–3 Chinese characters finds exactly the pages that contain it
and a longer one finds every page that contains it (the browser then confirms the words in the page's text
before it shows the result).

The files (``search-index/`` of the built site; the search page's script is ``mzpress-search.js``):

- ``index.json``: ``{"format", "documents", "shards", "pack"}``: how to find the rest.
- ``postings/<shard>.json``: ``{key: ids}`` for the keys whose hash (:func:`shard_of`, FNV-1a 32-bit over the
  code points, the same in the script) falls in the shard; ``ids`` are the ascending document numbers as
  base-36 gaps joined by commas (``"0,1,3"`` is 0, 1, 4). A key ``^`` + n-gram lists the pages whose *title*
  holds the n-gram (title matches are shown first).
- ``documents/<pack>.json``: a list of ``pack`` consecutive documents (the last pack may hold fewer), each
  ``{"url", "title", "date", "unit", "text"}`` of one page: document ``n`` is item ``n % pack`` of pack
  ``n // pack`` (:func:`pack_of`). Packs are fetched only for the results shown (their excerpt is cut from
  ``text``), each once however many of its documents a query shows.

Document numbers follow the publication date, newest first, so a result list in number order is newest first and
its first results mostly fall in the same few packs. A query fetches ``index.json``, one shard per distinct key
(at most a few kilobytes each) and the packs of the results shown (at most one per result, a few kilobytes each
gzipped): the first query stays small at any archive size, and no page other than the search page loads any
of it. Packing the documents writes one file per :data:`PACK` pages instead of one per page (creating a file
costs about as much as indexing a page). What goes in is what the build published (:func:`page_document` reads
the built page, between the template's markers, and the summary the template writes on the article), so the
publish gate decides the index too.
"""

from __future__ import annotations

import html
import json
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

FORMAT = 2  # 2: documents packed, PACK to a file (1: one file per document)
FOLDER = "search-index"
# The template's markers (overrides/partials/content.html): the page's result data on the article's element,
# its searchable text between two comments.
ARTICLE_OPENING = '<div class="mz-article"'
ARTICLE = re.compile(r'<div class="mz-article" data-mz-search((?: data-mz-search-[a-z]+="[^"]*")*)>')
ARTICLE_FIELD = re.compile(r'data-mz-search-([a-z]+)="([^"]*)"')
TEXT_START = "<!--mz-search-text-->"
TEXT_END = "<!--/mz-search-text-->"

CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
WORD = re.compile(r"[0-9a-z]+")  # after lower-casing ASCII letters
TITLE_KEY = "^"
TARGET_SHARD_BYTES = 2048  # uncompressed; gzip makes it a few hundred bytes to a few kilobytes
MAX_SHARDS = 4096
# Documents to a pack file. A first query shows 10 results, so it fetches at most 10 packs: 8 documents (about 1 KB
# each gzipped on their own, less together) keep that well inside the first query's 200 KB at any archive size,
# while 8,000 stories make 1,000 files instead of 8,000 (README, 站内搜索: measured by scripts/bench --search).
PACK = 8

_DROPPED = re.compile(r"<(script|style|template)\b[^>]*>.*?</\1\s*>|<!--.*?-->", re.IGNORECASE | re.DOTALL)
_BLOCK_TAG = re.compile(r"</?(?:p|div|li|ul|ol|h[1-6]|tr|td|th|table|thead|tbody|blockquote|figure|figcaption|"
                        r"pre|section|article|details|summary|dl|dt|dd|br|hr)\b[^>]*>", re.IGNORECASE)
_TAG = re.compile(r"<[^>]*>")
_QUERY_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+|[0-9a-z]+")
_SPACES = re.compile(r"[ \t\r\f\v\u00a0\u3000]+")
_LINES = re.compile(r"\s*\n\s*")
_ASCII_UPPER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")


@dataclass(frozen=True)
class SearchDocument:
    """One search result: its address (from the site root, ``/stories/2024/x/``) and what the reader sees."""

    url: str
    title: str
    date: str  # 发布时间 as the page shows it ("2024-05-06 09:30"), or ""
    unit: str  # 来源 (the unit's name), or ""
    text: str  # the page's text, one line per paragraph


def html_text(fragment: str) -> str:
    """What a reader reads of an HTML fragment: one line per block, tags gone, character references decoded."""
    text = _DROPPED.sub("", fragment)
    text = _BLOCK_TAG.sub("\n", text)
    text = html.unescape(_TAG.sub("", text))
    text = _SPACES.sub(" ", text)
    return _LINES.sub("\n", text).strip()


def page_document(url: str, page_html: str) -> SearchDocument | None:
    """The search result a built page makes, or None when the templates did not mark it as one."""
    # Only the template's own article element counts (the first one): markup in a page's text cannot make a
    # page that is no result (a withdrawn one) into one. Its text ends at the first end marker after the start.
    first = page_html.find(ARTICLE_OPENING)
    article = ARTICLE.match(page_html, first) if first >= 0 else None
    if article is None:
        return None
    fields = {name: html.unescape(value) for name, value in ARTICLE_FIELD.findall(article.group(1))}
    start = page_html.find(TEXT_START, article.end())
    end = page_html.find(TEXT_END, start) if start >= 0 else -1
    text = html_text(page_html[start + len(TEXT_START):end]) if 0 <= start < end else ""
    # The page's summary (front matter) is searchable too: words a writer put only there find the page.
    summary = _LINES.sub(" ", _SPACES.sub(" ", fields.get("summary", ""))).strip()
    if summary and summary not in text:
        text = f"{summary}\n{text}" if text else summary
    return SearchDocument(url, fields.get("title", ""), fields.get("date", ""), fields.get("unit", ""), text)


def folded(text: str) -> str:
    """The text as keys are made from it: ASCII letters lower-cased (the script does the same)."""
    return text.translate(_ASCII_UPPER)


def text_keys(text: str) -> set[str]:
    """Every key of ``text``: its Chinese 1-, 2- and 3-grams and its Latin/digit words."""
    keys: set[str] = set()
    for run in CJK.findall(text):
        keys.update(run)
        pairs = list(map(str.__add__, run, run[1:]))
        keys.update(pairs)
        keys.update(map(str.__add__, pairs, run[2:]))
    keys.update(WORD.findall(folded(text)))
    return keys


def query_keys(term: str) -> tuple[list[str], bool]:
    """The keys every page containing ``term`` has, and whether they are exact: a page with them all contains
    ``term`` when it is one Chinese run of 1–3 characters or one Latin/digit word (matched as a whole word);
    otherwise (longer, mixed, with punctuation) the page's text must still confirm it."""
    term = folded(term)
    keys: list[str] = []
    runs = _QUERY_RUN.findall(term)
    for run in runs:
        if CJK.fullmatch(run) and len(run) > 3:
            keys.extend(run[i:i + 3] for i in range(len(run) - 2))
        else:
            keys.append(run)
    exact = len(runs) == 1 and runs[0] == term and len(keys) == 1
    return list(dict.fromkeys(keys)), exact


def shard_of(key: str, shards: int) -> int:
    """FNV-1a (32-bit) of the key's code points, modulo ``shards`` (the search script computes the same)."""
    value = 0x811C9DC5
    for character in key:
        value = ((value ^ ord(character)) * 0x01000193) & 0xFFFFFFFF
    return value % shards


_DIGITS = "0123456789abcdefghijklmnopqrstuvwxyz"
# Every number below 36³ spelled out once: nearly every gap of a postings list is one of them.
_BASE36 = [*_DIGITS, *(a + b for a in _DIGITS[1:] for b in _DIGITS),
           *(a + b + c for a in _DIGITS[1:] for b in _DIGITS for c in _DIGITS)]


def _base36(number: int) -> str:
    if number < len(_BASE36):
        return _BASE36[number]
    digits = []
    while number:
        number, digit = divmod(number, 36)
        digits.append(_DIGITS[digit])
    return "".join(reversed(digits))


def encode_ids(ids: list[int]) -> str:
    """Ascending numbers as base-36 gaps: [0, 1, 4] -> "0,1,3"."""
    table, size = _BASE36, len(_BASE36)
    gaps = map(int.__sub__, ids, [0, *ids[:-1]])
    return ",".join([table[gap] if gap < size else _base36(gap) for gap in gaps])


def decode_ids(encoded: str) -> list[int]:
    ids, total = [], 0
    for part in encoded.split(",") if encoded else []:
        total += int(part, 36)
        ids.append(total)
    return ids


def pack_of(number: int, pack: int) -> tuple[int, int]:
    """Which pack file holds document ``number`` and where in it: ``(pack number, position)``."""
    return divmod(number, pack)


def _newest_first(documents: Iterable[SearchDocument]) -> list[SearchDocument]:
    dated = sorted((d for d in documents if d.date), key=lambda d: (d.date, d.url), reverse=True)
    undated = sorted((d for d in documents if not d.date), key=lambda d: d.url)
    return dated + undated


def _json(value) -> bytes:
    """``value`` as compact UTF-8 JSON. The index holds text from untrusted pages: "<", ">" and "&" are written as
    JSON escapes, so no file of it reads as markup to anything that sniffs or embeds it (json.loads and the
    browser's JSON.parse undo them)."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e").encode("utf-8")


def index_files(documents: Iterable[SearchDocument], pack: int = PACK) -> dict[str, bytes]:
    """The index of ``documents``: path (under :data:`FOLDER`) -> file content; ``pack`` documents to a file."""
    if pack < 1:
        raise ValueError(f"pack must be at least 1, not {pack}")
    ordered = _newest_first(documents)
    postings: dict[str, list[int]] = defaultdict(list)
    files: dict[str, bytes] = {}
    for number, document in enumerate(ordered):
        for key in text_keys(document.title + "\n" + document.text):
            postings[key].append(number)
        for key in text_keys(document.title):
            postings[TITLE_KEY + key].append(number)
    for first in range(0, len(ordered), pack):
        files[f"documents/{first // pack}.json"] = _json([
            {"url": document.url, "title": document.title, "date": document.date, "unit": document.unit,
             "text": document.text} for document in ordered[first:first + pack]])
    encoded = {key: encode_ids(ids) for key, ids in postings.items()}
    size = sum(len(key.encode("utf-8")) + len(value) + 6 for key, value in encoded.items())
    shards = 1
    while shards < MAX_SHARDS and size / shards > TARGET_SHARD_BYTES:
        shards *= 2
    by_shard: list[dict[str, str]] = [{} for _ in range(shards)]
    for key in sorted(encoded):
        by_shard[shard_of(key, shards)][key] = encoded[key]
    for number, content in enumerate(by_shard):
        files[f"postings/{number}.json"] = _json(content)
    files["index.json"] = _json({"format": FORMAT, "documents": len(ordered), "shards": shards, "pack": pack})
    return files


def index_documents(files: dict[str, bytes]) -> list[dict[str, str]]:
    """Every document of an index made by :func:`index_files`, in number order (newest first)."""
    meta = json.loads(files["index.json"])
    packs = -(-meta["documents"] // meta["pack"])
    documents = [document for number in range(packs) for document in json.loads(files[f"documents/{number}.json"])]
    if len(documents) != meta["documents"]:
        raise ValueError(f"the index names {meta['documents']} documents, its packs hold {len(documents)}")
    return documents


def search(files: dict[str, bytes], query: str) -> list[str]:
    """The addresses ``query`` finds in an index made by :func:`index_files`, as the search page lists them
    (title matches first, then newest first; a term that needs confirming is confirmed in the text).

    The search page's script (overrides/assets/javascripts/mzpress-search.js) does the same in the browser;
    this is the reference the unit tests hold the file format to."""
    meta = json.loads(files["index.json"])
    if meta.get("format") != FORMAT:
        raise ValueError(f"search index format {meta.get('format')}, this reads {FORMAT}")
    shard_cache: dict[int, dict] = {}
    pack_cache: dict[int, list] = {}

    def ids(key: str) -> set[int]:
        shard = shard_of(key, meta["shards"])
        if shard not in shard_cache:
            shard_cache[shard] = json.loads(files[f"postings/{shard}.json"])
        return set(decode_ids(shard_cache[shard].get(key, "")))

    terms = [t for t in query.split() if query_keys(t)[0]]
    if not terms:
        return []
    found: set[int] | None = None
    titled: set[int] | None = None
    confirm = []
    for term in terms:
        keys, exact = query_keys(term)
        if not exact:
            confirm.append(folded(term))
        for key in keys:
            found = ids(key) if found is None else found & ids(key)
            titled = ids(TITLE_KEY + key) if titled is None else titled & ids(TITLE_KEY + key)
    ordered = sorted(found & titled) + sorted(found - titled)
    results = []
    for number in ordered:
        pack, position = pack_of(number, meta["pack"])
        if pack not in pack_cache:  # one pack is read once, however many of its documents are results
            pack_cache[pack] = json.loads(files[f"documents/{pack}.json"])
        document = pack_cache[pack][position]
        if all(term in folded(document["title"] + "\n" + document["text"]) for term in confirm):
            results.append(document["url"])
    return results
