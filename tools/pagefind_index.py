"""What a built site's search index (Pagefind, pagefind/) holds: each indexed page's address, text and meta.

Read from Pagefind's own fragment files (gzip; JSON after a ``pagefind_dcd`` signature), so a test sees
exactly what a reader's search can find, not what the templates meant to give it."""

from __future__ import annotations

import gzip
import json
from dataclasses import dataclass
from pathlib import Path

SIGNATURE = b"pagefind_dcd"


@dataclass(frozen=True)
class IndexedPage:
    id: str  # Pagefind's result id (its fragment file's name)
    url: str
    text: str  # Pagefind's segmentation spaces (U+200B) removed
    meta: dict[str, str]


def indexed_pages(site: Path) -> dict[str, IndexedPage]:
    """Every page in ``site``'s search index, by address (``/stories/2024/x/``)."""
    pages = {}
    for fragment in sorted((site / "pagefind" / "fragment").glob("*.pf_fragment")):
        data = gzip.decompress(fragment.read_bytes())
        assert data.startswith(SIGNATURE), fragment
        entry = json.loads(data[len(SIGNATURE):])
        pages[entry["url"]] = IndexedPage(fragment.name.removesuffix(".pf_fragment"), entry["url"],
                                          entry["content"].replace("\u200b", ""), entry.get("meta", {}))
    return pages
