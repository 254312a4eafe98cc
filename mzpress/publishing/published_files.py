"""The one file set the build publishes from ``content/``: exactly what the checks read and passed.

* Pages: Markdown files that are valid and published at build time (not drafts, not scheduled,
  not unpublished), with no error finding.
* Images, SVG pictures, attachments and ``content.extra_files``: every such file with no error
  finding, except those that only unpublished pages use (a take-down takes its photos and
  attachments offline with it; a file no page uses at all stays, as before: the footer mark,
  a download linked from outside).
* Smaller renditions of the published JPEG/PNG images (``photo.480w.jpg``, made at build time:
  :mod:`mzpress.publishing.image_renditions`), and of no other file.
* Nothing else: backups, links, other file types (:mod:`mzpress.model.content_files`) and every
  file with an error finding stay out, whatever MkDocs found under ``content/``.

The MkDocs adapter removes every other file of ``docs_dir`` from the build; ``mzpress withdraw``
tells which files a take-down stops publishing (:func:`only_used_by`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from mzpress.checks.links import file_references
from mzpress.model.content import CONTENT_DIR, Page, Site
from mzpress.model.content_files import Kind, kind_of
from mzpress.model.findings import Finding, Severity

ASSET_KINDS = frozenset({Kind.IMAGE, Kind.SVG, Kind.ATTACHMENT, Kind.EXTRA})


@dataclass(frozen=True)
class PublishedFiles:
    pages: frozenset[str]  # Markdown sources built into pages (relative to content/)
    assets: frozenset[str]  # other files copied as they are

    def __contains__(self, src: str) -> bool:
        return src in self.pages or src in self.assets


def blocked_files(findings: Iterable[Finding]) -> set[str]:
    """Files under content/ (relative to it) that have an error finding."""
    prefix = CONTENT_DIR + "/"
    return {f.file[len(prefix):] for f in findings
            if f.severity is Severity.ERROR and f.file.startswith(prefix)}


def _cover(page: Page) -> set[str]:
    cover = page.values.get("cover")
    return {page.asset_src(cover)} if cover else set()


# src -> (the page and source it was computed from, its references): the writer's preview keeps one
# across refreshes, so only the pages of changed files are read again.
ReferenceCache = dict[str, tuple[object, object, set[str]]]


def references(site: Site, page: Page, cache: ReferenceCache | None = None) -> set[str]:
    """The files under content/ that ``page`` shows or links to (body and cover image)."""
    source = site.sources.get(page.src)
    if cache is not None:
        hit = cache.get(page.src)
        if hit is not None and hit[0] is page and hit[1] is source:
            return hit[2]
    text = source.text if source is not None and source.text is not None else ""
    found = file_references(page, text) | _cover(page)
    if cache is not None:
        cache[page.src] = (page, source, found)
    return found


def _users(site: Site, cache: ReferenceCache | None = None) -> dict[str, set[str]]:
    """Asset -> the pages (sources) that use it."""
    users: dict[str, set[str]] = {}
    for page in site.pages:
        for target in references(site, page, cache):
            users.setdefault(target, set()).add(page.src)
    return users


def published_files(site: Site, findings: Iterable[Finding], cache: ReferenceCache | None = None) -> PublishedFiles:
    """What the build may publish from content/, given every finding of the check (see the module docstring).

    ``cache``: kept by a caller that asks again after some files changed (the preview).
    """
    blocked = blocked_files(findings)
    extra = site.config.site.content.extra_files
    refused = blocked | set(site.invalid)
    pages = frozenset(p.src for p in site.published if p.src not in refused)
    users = _users(site, cache)
    assets = set()
    for src in site.files:
        if kind_of(src, extra) not in ASSET_KINDS or src in blocked:
            continue
        used_by = users.get(src)
        if used_by and not used_by & pages:
            continue  # only unpublished pages use it: it goes offline with them
        assets.add(src)
    return PublishedFiles(pages, frozenset(assets))


def only_used_by(site: Site, src: str) -> list[str]:
    """The files under content/ that no page but ``src`` uses (a take-down of ``src`` stops publishing them)."""
    page = site.page_at(src)
    if page is None:
        return []
    users = _users(site)
    return sorted(target for target in references(site, page)
                  if target in site.files and users.get(target, set()) <= {src})
