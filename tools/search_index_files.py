"""What a built site's search index (search-index/, mzpress/publishing/full_text_index.py) holds: each indexed
page's address, text and result data.

Read from the index's own files (index.json and the document packs), so a test sees exactly what a reader's search
can find and show, not what the templates meant to give it."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from mzpress.publishing.full_text_index import FOLDER, index_documents, pack_of


@dataclass(frozen=True)
class IndexedPage:
    id: str  # the document number, as the search page's results know it
    pack: str  # the number of the pack file that holds it (documents/<pack>.json), which a result fetches
    url: str  # from the site root: /stories/2024/x/
    text: str  # what a query is matched against: the title, a line break, the page's text
    meta: dict[str, str]  # title, date, unit


def indexed_pages(site: Path) -> dict[str, IndexedPage]:
    """Every page in ``site``'s search index, by address (``/stories/2024/x/``)."""
    folder = site / FOLDER
    files = {path.relative_to(folder).as_posix(): path.read_bytes()
             for path in (folder / "index.json", *(folder / "documents").glob("*.json"))}
    size = json.loads(files["index.json"])["pack"]
    pages = {}
    for number, entry in enumerate(index_documents(files)):
        url = "/" + entry["url"]
        pages[url] = IndexedPage(str(number), str(pack_of(number, size)[0]), url,
                                 entry["title"] + "\n" + entry["text"],
                                 {"title": entry["title"], "date": entry["date"], "unit": entry["unit"]})
    return pages
