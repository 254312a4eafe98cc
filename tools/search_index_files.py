"""What a built site's search index (search-index/, mzpress/publishing/full_text_index.py) holds: each indexed
page's address, text and result data.

Read from the index's own document files, so a test sees exactly what a reader's search can find and show,
not what the templates meant to give it."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from mzpress.publishing.full_text_index import FOLDER


@dataclass(frozen=True)
class IndexedPage:
    id: str  # the document number (its file's name), as the search page's results know it
    url: str  # from the site root: /stories/2024/x/
    text: str  # what a query is matched against: the title, a line break, the page's text
    meta: dict[str, str]  # title, date, unit


def indexed_pages(site: Path) -> dict[str, IndexedPage]:
    """Every page in ``site``'s search index, by address (``/stories/2024/x/``)."""
    pages = {}
    for path in sorted((site / FOLDER / "documents").glob("*.json")):
        entry = json.loads(path.read_text(encoding="utf-8"))
        url = "/" + entry["url"]
        pages[url] = IndexedPage(path.stem, url, entry["title"] + "\n" + entry["text"],
                                 {"title": entry["title"], "date": entry["date"], "unit": entry["unit"]})
    return pages
