"""The site's search index, written after every page of the built site is written.

The index itself is the core's (:mod:`mzpress.publishing.full_text_index`): this module reads the built pages
(only what the build published, so only what ``mzpress check`` passed), hands them over and writes the files
into ``search-index/`` (an index of an earlier build is removed first).

Which pages are results is the templates' decision (partials/content.html marks the article and its text only on
pages that are search results: not the home page, listings, withdrawn pages, the notices left at a taken-down
page's address, error pages). The writer's preview renders pages on request and has no built site: it has no
index, and its search page says so.
"""

from __future__ import annotations

import shutil
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from mzpress.publishing.full_text_index import FOLDER, SearchDocument, index_files, page_document

_WRITERS = 8


def site_documents(site_dir: Path) -> list[SearchDocument]:
    """The search result of every built page that the templates marked as one (address from the site root)."""
    documents = []
    for path in sorted(site_dir.rglob("*.html")):
        relative = path.relative_to(site_dir).as_posix()
        if relative.startswith(FOLDER + "/"):
            continue
        url = relative[: -len("index.html")] if path.name == "index.html" else relative
        document = page_document(url, path.read_text(encoding="utf-8", errors="replace"))
        if document is not None:
            documents.append(document)
    return documents


def write_search_index(site_dir: Path) -> tuple[int, float]:
    """Index ``site_dir``'s pages into ``site_dir/search-index/``; returns (pages indexed, seconds it took)."""
    started = time.perf_counter()
    documents = site_documents(site_dir)
    files = index_files(documents)
    folder = site_dir / FOLDER
    if folder.is_dir() and not folder.is_symlink():
        shutil.rmtree(folder)  # an index of an earlier build never survives
    elif folder.exists() or folder.is_symlink():
        folder.unlink()
    targets = {folder / relative: content for relative, content in files.items()}
    for parent in {target.parent for target in targets}:
        parent.mkdir(parents=True, exist_ok=True)
    # Thousands of small files: opening them is most of the time, and it waits on the file system, not Python.
    with ThreadPoolExecutor(max_workers=_WRITERS) as pool:
        for _ in pool.map(Path.write_bytes, targets, targets.values()):
            pass
    return len(documents), time.perf_counter() - started
