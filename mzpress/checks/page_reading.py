"""One Markdown page as the public gets it, for the checks that judge the rendering.

``mzpress check``, ``mzpress scan`` and the build's checks ask :func:`page_reading` for a Markdown
file: its body rendered by the build's configuration (:mod:`mzpress.text.page_rendering`, the same
rendering the build publishes), that HTML parsed as a browser parses it, the sanitised HTML the
build would publish, and the text a reader reads of it. The reading of the last file asked is kept,
so the HTML check and the text checks of one file render and parse it once.

Source lines: a rendering has no positions. :func:`locate` finds the first body line holding a given
piece of text (a tag's name, an attribute, the digits of a number) so a finding still names the
writer's line when it can; otherwise the finding is about the page.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import cached_property

from selectolax.lexbor import LexborHTMLParser

from mzpress.model.frontmatter import split_body
from mzpress.model.markdown_settings import MarkdownSettings, read_markdown_settings
from mzpress.model.source_text import SourceFile
from mzpress.text.html_document import PageText, parse_fragment, read_text
from mzpress.text.html_sanitiser import sanitise
from mzpress.text.page_rendering import Rendering, render

MARKDOWN_SUFFIXES = (".md", ".markdown")


def markdown_settings(ctx) -> MarkdownSettings:
    """The build's Markdown configuration for this run (the project's mkdocs.yml; defaults outside one)."""
    config = getattr(ctx, "config", None)
    settings = getattr(config, "markdown", None)
    if isinstance(settings, MarkdownSettings):
        return settings
    return ctx.memo("markdown_settings", lambda: read_markdown_settings(getattr(ctx, "root", None)))


def page_body(text: str, relpath: str) -> tuple[str, int]:
    """The body the build renders (front matter split off as the content loader does) and its first line."""
    found = split_body(text)
    if found is not None:
        return found
    return text.replace("\r\n", "\n"), 1  # no front matter (the loader reports it): judge what is there


@dataclass
class PageReading:
    relpath: str
    body: str
    body_line: int  # file line of the body's first line
    rendering: Rendering
    settings: MarkdownSettings

    @cached_property
    def tree(self) -> LexborHTMLParser:
        """The rendering as a browser parses it."""
        return parse_fragment(self.rendering.html)

    @cached_property
    def published_html(self) -> str:
        """What the build publishes of the rendering (relative links aside)."""
        return sanitise(self.rendering.html, self.settings)

    @cached_property
    def published_tree(self) -> LexborHTMLParser:
        return parse_fragment(self.published_html)

    @cached_property
    def text(self) -> PageText:
        """The text a reader reads of the published page body."""
        return read_text(self.published_html)

    @cached_property
    def _lowered(self) -> str:
        return self.body.lower()

    def locate(self, *needles: str) -> int | None:
        """The file line of the first body line containing any of ``needles`` (case-insensitive), else None."""
        for needle in needles:
            if not needle or "\n" in needle:
                continue
            at = self._lowered.find(needle.lower())
            if at != -1:
                return self.body_line + self._lowered.count("\n", 0, at)
        return None


def page_reading(source: SourceFile, ctx) -> PageReading | None:
    """The reading of a Markdown file (None for other files and unreadable ones)."""
    if source.text is None or not source.relpath.lower().endswith(MARKDOWN_SUFFIXES):
        return None
    digest = hashlib.sha256(source.text.encode("utf-8", "surrogatepass")).digest()
    last = ctx.memo("page_reading.last", dict)
    if last.get("key") == (source.relpath, digest):
        return last["reading"]
    reading = read_page(source.text, source.relpath, markdown_settings(ctx))
    last["key"], last["reading"] = (source.relpath, digest), reading
    return reading


def read_page(text: str, relpath: str, settings: MarkdownSettings) -> PageReading:
    """The reading of a Markdown text under ``settings`` (no memo of the last file)."""
    body, body_line = page_body(text, relpath)
    return PageReading(relpath, body, body_line, render(body, settings), settings)
