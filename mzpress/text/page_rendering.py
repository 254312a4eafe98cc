"""Render once: a page's Markdown body to HTML, exactly as the build renders it, shared by every reader.

The gate judges what the public gets. ``mzpress check``, ``mzpress scan``, the writer's preview and
the build all ask this module for a page's HTML, so the checks read the very rendering the build
publishes (the MkDocs adapter only rewrites relative links in it and passes it through the
sanitiser, :mod:`mzpress.text.html_sanitiser`).

* The configuration is the build's (:class:`~mzpress.model.markdown_settings.MarkdownSettings`, read
  from ``mkdocs.yml``): the same extensions and options as MkDocs' ``Page.render``.
* Bounded: :mod:`mzpress.text.render_bounds` scans the text first (nesting of emphasis, brackets,
  lists, blockquotes, HTML); a page past a bound is not given to Python-Markdown at all. A page that
  still takes longer than :data:`RENDER_SECONDS` (where a timer can interrupt it: the main thread of
  a process) or that Python-Markdown fails on is not rendered either. Either way the result carries
  the problem and an empty ``html``: the check reports it as an error, so the build refuses the page.
* Once per text and configuration: results are kept in a per-process memo keyed by the hash of both.
  Forked processes (the build's check and page workers) inherit it; a check worker hands its new
  results back (:func:`take_new`, :func:`add_results`) so the page workers forked later reuse them.
"""

from __future__ import annotations

import hashlib
import signal
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import markdown
from markdown.extensions.toc import render_inner_html, strip_tags, unescape

from mzpress.model.fingerprints import fingerprint
from mzpress.model.markdown_settings import MarkdownSettings
from mzpress.text.render_bounds import BoundProblem, bound_problems

RENDER_SECONDS = 10.0  # far above any real page (a 1 MB page within the bounds renders in about 2 s)
MAX_TAG_ATTRIBUTES = 1_000  # attributes (roughly: separators) in one tag; a real tag has a handful


@dataclass(frozen=True, slots=True)
class RenderProblem:
    """Why a page was not rendered: past a nesting bound, too slow, or Python-Markdown failed."""

    kind: str  # "bound", "attributes", "time", "failed"
    line: int | None  # 1-based line within the rendered text
    detail: BoundProblem | None = None
    message: str = ""


@dataclass(frozen=True, slots=True)
class Rendering:
    """Python-Markdown's output for one text (``html`` is "" when ``problems`` says why not)."""

    html: str
    toc_tokens: tuple  # markdown.extensions.toc's tokens (MkDocs turns them into page.toc)
    title: str | None  # the text of a leading <h1>, as MkDocs' title extraction reads it
    problems: tuple[RenderProblem, ...] = ()


class _Timeout(Exception):
    pass


_memo: dict[str, Rendering] = {}
_new: dict[str, Rendering] = {}
_local = threading.local()


_SALT = fingerprint("rendering-1", markdown.__version__).encode()


def rendering_key(text: str, settings: MarkdownSettings) -> str:
    digest = hashlib.sha256(_SALT + settings.key.encode())
    digest.update(text.encode("utf-8", "surrogatepass"))
    return digest.hexdigest()


def take_new() -> dict[str, Rendering]:
    """The results computed in this process since the last call (a worker hands them to its parent)."""
    global _new
    taken, _new = _new, {}
    return taken


def add_results(results: dict[str, Rendering]) -> None:
    """Results another process computed (see :func:`take_new`)."""
    _memo.update(results)


def forget() -> None:
    """Drop every kept result (tests; a long-running preview between full reloads)."""
    _memo.clear()
    _new.clear()


def render(text: str, settings: MarkdownSettings) -> Rendering:
    """The build's rendering of a page body (cached per text and configuration)."""
    key = rendering_key(text, settings)
    found = _memo.get(key)
    if found is None:
        found = _render(text, settings)
        _memo[key] = _new[key] = found
    return found


def _converter(settings: MarkdownSettings) -> tuple[markdown.Markdown, _TitleReader]:
    """One Markdown instance per thread and configuration (``reset()`` between pages, as MkDocs' fresh one)."""
    converters = getattr(_local, "converters", None)
    if converters is None:
        converters = _local.converters = {}
    found = converters.get(settings.key)
    if found is None:
        md = markdown.Markdown(extensions=list(settings.extensions), extension_configs=settings.extension_configs())
        title = _TitleReader(md)
        md.treeprocessors.register(title, "mzpress_title", 1)  # where MkDocs' title extraction runs
        found = converters[settings.key] = (md, title)
    return found


def _discard(settings: MarkdownSettings) -> None:
    """Forget this thread's converter after an interrupted conversion: its extensions' state is not to be trusted."""
    getattr(_local, "converters", {}).pop(settings.key, None)


class _TitleReader(markdown.treeprocessors.Treeprocessor):
    """The text of the document's first element when it is an <h1> (MkDocs' ``_ExtractTitleTreeprocessor``)."""

    title: str | None = None

    def run(self, root):
        self.title = None
        for element in root:
            if element.tag == "h1":
                self.title = unescape(strip_tags(render_inner_html(element, self.md))).strip() or None
            break
        return root


@contextmanager
def _time_limit(seconds: float) -> Iterator[None]:
    """Raise :class:`_Timeout` in the rendering after ``seconds`` (main thread only: elsewhere the bounds hold)."""
    if threading.current_thread() is not threading.main_thread() or not hasattr(signal, "setitimer"):
        yield
        return

    def expired(signum, frame):
        raise _Timeout

    previous = signal.signal(signal.SIGALRM, expired)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _render(text: str, settings: MarkdownSettings) -> Rendering:
    bounds = bound_problems(text)
    if bounds:
        return Rendering("", (), None, tuple(RenderProblem("bound", p.line, p) for p in bounds))
    md, title = _converter(settings)
    started = time.perf_counter()
    try:
        with _time_limit(RENDER_SECONDS):
            md.reset()
            html = md.convert(text)
    except _Timeout:
        _discard(settings)
        return Rendering("", (), None, (RenderProblem("time", None, None, f"{time.perf_counter() - started:.0f}"),))
    except (RecursionError, MemoryError) as exc:
        _discard(settings)
        return Rendering("", (), None, (RenderProblem("failed", None, None, type(exc).__name__),))
    except Exception as exc:  # an extension's bug must not stop the check: the page is refused instead
        _discard(settings)
        return Rendering("", (), None, (RenderProblem("failed", None, None, f"{type(exc).__name__}: {exc}"[:200]),))
    crowded = _crowded_tag(html)
    if crowded:
        return Rendering("", (), None, (RenderProblem("attributes", None, None, str(crowded)),))
    return Rendering(html, tuple(getattr(md, "toc_tokens", ())), title.title)


def _crowded_tag(html: str) -> int:
    """The number of attributes of a tag holding more than :data:`MAX_TAG_ATTRIBUTES`, else 0.

    HTML parsers compare each attribute of a tag with those before it (duplicates are dropped), so a
    tag with 60,000 attributes takes lexbor 13 s and ammonia 5 s. Counted linearly: from each ``<`` to
    the next ``>`` (one tag, as the tokenizer reads it), the spaces, tabs and newlines in between."""
    position = html.find("<")
    while position != -1:
        end = html.find(">", position)
        stop = len(html) if end == -1 else end
        if stop - position > MAX_TAG_ATTRIBUTES:
            count = sum(html.count(space, position, stop) for space in " \t\n\f")
            if count > MAX_TAG_ATTRIBUTES:
                return count
        if end == -1:
            return 0
        position = html.find("<", end)
    return 0
