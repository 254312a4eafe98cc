"""The writer's preview of a page that the publish gate refuses: its errors instead of its text.

``mkdocs serve`` and ``mzpress preview`` never stop on an error (the writer is fixing them); a page
with an error finding is served as the list of its errors (``page.meta.mz_errors``, rendered by
``overrides/partials/mzpress/page-errors.html``), never as the page the public would get. A build
publishes no such page: it stops instead.
"""

from __future__ import annotations

from typing import Any

from mzpress.model.content import CONTENT_DIR, Site
from mzpress.model.findings import Finding

ERROR_PAGE_TITLE = "本页有错误，暂不发布"
ERROR_PAGE_MARKDOWN = f"# {ERROR_PAGE_TITLE}\n"


def page_errors(site: Site, errors: list[Finding]) -> dict[str, list[dict[str, Any]]]:
    """Markdown source (relative to content/) -> its errors as plain data, for every page with an error."""
    prefix = CONTENT_DIR + "/"
    files = set(site.files)
    result: dict[str, list[dict[str, Any]]] = {}
    for finding in sorted(errors, key=Finding.sort_key):
        src = finding.file[len(prefix):] if finding.file.startswith(prefix) else None
        if src is None or not src.endswith(".md") or src not in files:
            continue
        result.setdefault(src, []).append({
            "file": finding.file, "line": finding.line, "rule": finding.rule,
            "message": finding.message, "suggestion": finding.suggestion})
    return result
