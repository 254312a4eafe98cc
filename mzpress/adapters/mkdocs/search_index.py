"""Material's search index with each page's entries and each text's segmentation cached.

Material builds ``search/search_index.json`` in its search plugin's ``on_page_context``
(``SearchIndex.add_entry_from_context``), segmenting Chinese text with jieba
(``SearchIndex._segment_chinese``), the most expensive part of a build. :func:`install_cached_index`
replaces the plugin's index with :class:`CachedSearchIndex`, which produces exactly the same entries.
Anything else that changes the search index must go through ``add_entry_from_context`` or be applied
after it in ``on_post_build``. ``tests/unit/test_mkdocs_internals.py`` checks that Material's
``SearchIndex`` still has the methods overridden here.
"""

from __future__ import annotations

import json
import warnings
from pathlib import Path

from mzpress.adapters.mkdocs.cache_keys import plain, toc_signature
from mzpress.model.build_cache import BuildCache, code_fingerprint, files_fingerprint
from mzpress.model.fingerprints import fingerprint

with warnings.catch_warnings():  # Material's search imports jieba, which imports pkg_resources: an English warning
    warnings.filterwarnings("ignore", message="pkg_resources is deprecated as an API", category=UserWarning)
    from material.plugins.search.plugin import SearchIndex, SearchPlugin


class CachedSearchIndex(SearchIndex):
    """Material's search index, with each page's entries and each text's segmentation cached."""

    def __init__(self, cache: BuildCache, salt: str, **config):
        super().__init__(**config)
        self._cache = cache
        self._salt = salt  # the code and configuration the entries depend on
        self._segments: list[str] = []
        self._toc, self._toc_ids = None, {}  # the last table of contents searched, its items by id

    def add_entry_from_context(self, page) -> None:
        cache = self._cache
        if (page.meta.get("search") or {}).get("exclude"):  # nothing to index, nothing to cache
            return
        summary = page.meta.get("mz_search_text")
        if summary is not None:  # an older story: title, summary and tags only (mzpress/publishing/search_scope.py)
            entry = {"location": page.url, "title": self._segment_chinese(page.title or ""),
                     "text": self._segment_chinese(summary)}
            if page.meta.get("tags"):
                entry["tags"] = [str(tag) for tag in page.meta["tags"]]
            self.entries.append(entry)
            return
        key = fingerprint(self._salt, page.url, page.content, toc_signature(page.toc),
                          plain(page.meta.get("title")), page.title, plain(page.meta.get("tags")),
                          plain(page.meta.get("search")))
        cached = cache.get("search-page", key)
        if cached is not None:
            self.entries.extend(cached["entries"])
            cache.touch("search-segment", cached["segments"])  # keep them for the next edit
            return
        start, self._segments = len(self.entries), []
        super().add_entry_from_context(page)
        cache.put("search-page", key, {"entries": self.entries[start:], "segments": self._segments})

    def generate_search_index(self, prev):
        """Material's index file, with Chinese written as UTF-8 rather than \\u escapes (half the bytes)."""
        return json.dumps(json.loads(super().generate_search_index(prev)), ensure_ascii=False,
                          separators=(",", ":"))

    def _find_toc_by_id(self, toc, id):
        """Material's lookup (the first item with ``id``, depth first) from a table built once per page.

        Material walks the whole table of contents again for every section of the page: quadratic
        in the number of headings (18 s for a story with 10,000 headings).
        """
        if toc is not self._toc:
            ids: dict = {}
            stack = list(reversed(list(toc)))
            while stack:
                item = stack.pop()
                ids.setdefault(item.id, item)
                stack.extend(reversed(list(item.children)))
            self._toc, self._toc_ids = toc, ids
        return self._toc_ids.get(id)

    def _segment_chinese(self, data):
        key = fingerprint(self._salt, data)
        self._segments.append(key)
        cached = self._cache.get("search-segment", key)
        if cached is None:
            cached = super()._segment_chinese(data)
            self._cache.put("search-segment", key, cached)
        return cached


def install_cached_index(config, cache: BuildCache, versions: str) -> SearchPlugin | None:
    """The enabled Material search plugin of ``config``, its index now a :class:`CachedSearchIndex` (or None).

    ``versions``: the library versions the entries depend on (see build_cache.package_versions).
    Call it after the search plugin's ``on_config`` (which creates the index) and before any page.
    """
    search = next((p for p in config.plugins.values() if isinstance(p, SearchPlugin) and p.config.enabled), None)
    if search is not None:
        search_config = plain(dict(search.config))
        dictionaries = [search_config.get("jieba_dict"), search_config.get("jieba_dict_user")]
        salt = fingerprint("search-1", code_fingerprint(), versions, search_config,
                           files_fingerprint(Path(p) for p in dictionaries if p))
        search.search_index = CachedSearchIndex(cache, salt, **search.config)
    return search
