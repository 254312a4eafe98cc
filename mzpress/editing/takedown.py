"""An emergency take-down (应急撤稿, ``mzpress takedown``): the page unpublished and every copy of it removed.

What one take-down changes, each change of the kind ``mzpress.history.review_check.takedown_problems``
accepts on a single 应急 signature:

* the page: a ``withdrawn:`` block ``{date, reason, reason_category, unpublish: true}`` added at the end of
  its front matter (every other byte kept). ``reason`` is the category's fixed public wording, never the
  free-text note (that goes into the commit message only);
* every 民政简报 (``content/bulletins/``) quoting it: the passage (its heading, byline and text) replaced by
  :data:`TAKEDOWN_MARKER` under a heading that keeps its anchor, and its line in 本期目录 likewise; the
  bulletin's front matter is unchanged;
* photos and attachments only the page used are left in place: the publish gate
  (:func:`mzpress.publishing.published_files.only_used_by`) stops publishing them once the page is
  unpublished and the bulletins no longer point at them.

Listings, feeds, the sitemap and the search index follow from the page being unpublished.
"""

from __future__ import annotations

import datetime as dt
import posixpath
import re
from dataclasses import dataclass

from mzpress.checks.links import link_targets
from mzpress.editing.withdraw import withdraw_text
from mzpress.model.frontmatter import split
from mzpress.model.review_policy import TAKEDOWN_MARKER
from mzpress.text.markdown_regions import fenced_code_lines, prose

BULLETIN_DIR = "bulletins/"
# The public wording of each reason category (withdrawn.reason): what the old address says.
CATEGORY_REASONS = {
    "个人信息": "应急撤稿（个人信息）",
    "舆情": "应急撤稿（舆情）",
    "事实错误": "应急撤稿（事实错误）",
    "其他": "应急撤稿（其他）",
}
_STORY_HEADING = re.compile(r"^## .*\{#(story-\d+)\}\s*$")
_TOC_LINE = re.compile(r"^(\d+\. )\[.*\]\(#(story-\d+)\)\s*$")


@dataclass(frozen=True)
class TakedownPlan:
    src: str  # the page, relative to content/
    page_text: str  # its new text
    bulletins: dict[str, str]  # bulletin src -> its new text
    passages: int  # how many passages were replaced


def _quotes(bulletin_src: str, destination: str, src: str) -> bool:
    path = destination.split("#", 1)[0].split("?", 1)[0]
    if not path or ":" in path.split("/", 1)[0] or path.startswith("/"):
        return False
    return posixpath.normpath(posixpath.join(posixpath.dirname(bulletin_src), path)) == src


def bulletin_without(text: str, bulletin_src: str, src: str) -> tuple[str, int]:
    """``text`` (a bulletin's file) with each passage quoting ``src`` replaced by the take-down marker.

    A passage is a ``## title {#story-N}`` section whose byline links to ``src`` (``[查看原文](…)``); it
    becomes ``## （此条已撤下） {#story-N}`` with nothing under it, and its 本期目录 line
    ``N. [（此条已撤下）](#story-N)``. Only text is removed and the marker written (the 应急 lane's rule).
    """
    document = split(text, bulletin_src)
    lines = text.splitlines(keepends=True)
    body_start = len(lines) - len(document.body.splitlines(keepends=True))
    body_lines = document.body.splitlines(keepends=True)
    fenced = fenced_code_lines([line.rstrip("\r\n") for line in body_lines])
    sections: list[tuple[int, int, str]] = []  # (first line, end line, anchor) in body lines
    for index, line in enumerate(body_lines):
        match = _STORY_HEADING.match(line.rstrip("\r\n"))
        if match and index not in fenced:
            if sections:
                sections[-1] = (sections[-1][0], index, sections[-1][2])
            sections.append((index, len(body_lines), match.group(1)))
        elif line.startswith("## ") and sections and sections[-1][1] == len(body_lines) and index not in fenced:
            sections[-1] = (sections[-1][0], index, sections[-1][2])
    hits = []
    for first, end, anchor in sections:
        passage = "".join(body_lines[first:end])
        if any(not is_image and _quotes(bulletin_src, destination, src)
               for _, destination, is_image in link_targets(prose(passage))):
            hits.append((first, end, anchor))
    if not hits:
        return text, 0
    anchors = {anchor for _, _, anchor in hits}
    newline = "\r\n" if body_lines and body_lines[0].endswith("\r\n") else "\n"
    for first, end, anchor in sorted(hits, reverse=True):
        body_lines[first:end] = [f"## {TAKEDOWN_MARKER} {{#{anchor}}}{newline}", newline]
    for index, line in enumerate(body_lines):
        match = _TOC_LINE.match(line.rstrip("\r\n"))
        if match and match.group(2) in anchors:
            ending = line[len(line.rstrip("\r\n")):]
            body_lines[index] = f"{match.group(1)}[{TAKEDOWN_MARKER}](#{match.group(2)}){ending}"
    return "".join(lines[:body_start]) + "".join(body_lines), len(hits)


def plan_takedown(src: str, page_text: str, bulletin_texts: dict[str, str], when: dt.date,
                  category: str) -> TakedownPlan:
    """What the take-down of ``src`` writes. ``bulletin_texts``: each bulletin's current file text.

    Raises FindingsError (from :func:`withdraw_text`) when the page's front matter is broken or it
    already has a ``withdrawn:`` record.
    """
    new_page = withdraw_text(page_text, f"content/{src}", when, CATEGORY_REASONS[category], unpublish=True)
    closing = new_page.index("  unpublish: true")
    newline = "\r\n" if "\r\n" in page_text.split("\n", 1)[0] + "\n" else "\n"
    new_page = new_page[:closing] + f"  reason_category: {category}{newline}" + new_page[closing:]
    changed: dict[str, str] = {}
    passages = 0
    for bulletin_src, text in sorted(bulletin_texts.items()):
        if bulletin_src == src:
            continue
        new_text, count = bulletin_without(text, bulletin_src, src)
        if count:
            changed[bulletin_src] = new_text
            passages += count
    return TakedownPlan(src, new_page, changed, passages)
