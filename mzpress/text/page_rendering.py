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
* Kept across runs: with a store (:func:`keep_in`, the build cache in ``.mzpress-cache/``), each result
  is also stored on disk under the same key salted with everything else it depends on (mzpress' code,
  the code of Python-Markdown and of every module an extension or a ``!!python/name:`` option comes
  from), so the next check or build renders only the pages whose text changed. Only results
  that depend on nothing but those inputs are stored: a page refused for taking too long, or for a
  failure of the interpreter (recursion, memory), is rendered again next time. The code is judged by its
  files (a hash of every file of each package involved, a module of the project too), not by version
  numbers; a configuration naming a module that cannot be found is never stored. Deleting the store
  changes nothing but the time taken (tests/integration/test_build_cache.py).
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import importlib.util
import signal
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import markdown
from markdown.extensions.toc import render_inner_html, strip_tags, unescape

from mzpress.model.build_cache import BuildCache, code_fingerprint
from mzpress.model.fingerprints import fingerprint
from mzpress.model.markdown_settings import MarkdownSettings, PythonName
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


STORE_NAMESPACE = "rendering"
_STORED_KINDS = frozenset({"bound", "attributes"})  # refusals that depend on the text alone


@dataclass(slots=True)
class _Store:
    cache: BuildCache
    salts: dict[str, str | None]  # settings.key -> salt of its stored results (None: not storable)


_store: _Store | None = None


@dataclass(frozen=True, slots=True)
class NewResults:
    """What a process found since it last handed results on (:func:`take_new`): every result it used
    (``results``), which of them it rendered itself rather than loaded (``rendered``), and the store's
    key of each result that belongs in the store (``stored``)."""

    results: dict[str, Rendering]
    rendered: frozenset[str]
    stored: dict[str, str]


_rendered_here: set[str] = set()
_stored_here: dict[str, str] = {}  # rendering key -> the store's key, for the results used since take_new


def keep_in(cache: BuildCache | None) -> None:
    """Store results in ``cache`` (loaded before rendering, stored after) as well as in memory; None: in memory only.

    The caller flushes the cache (the check and the build do at their end). What this process used so far is no
    longer anybody's to hand on (:func:`take_new` starts afresh), so a long-running preview does not pile it up."""
    global _store
    _store = _Store(cache, {}) if cache is not None and cache.enabled else None
    take_new()


def take_new() -> NewResults:
    """The results this process used since the last call (a worker hands them to its parent)."""
    global _new, _rendered_here, _stored_here
    taken = NewResults(_new, frozenset(_rendered_here), _stored_here)
    _new, _rendered_here, _stored_here = {}, set(), {}
    return taken


def add_results(taken: NewResults) -> None:
    """Results another process used (see :func:`take_new`): into the memo, and those it rendered into the store."""
    _memo.update(taken.results)
    store = _store
    if store is None:
        return
    store.cache.touch(STORE_NAMESPACE, taken.stored.values())
    for key, stored in taken.stored.items():
        if key in taken.rendered:
            store.cache.put(STORE_NAMESPACE, stored, taken.results[key])


def forget() -> None:
    """Drop every kept result (tests; a long-running preview between full reloads)."""
    _memo.clear()
    _new.clear()
    _rendered_here.clear()
    _stored_here.clear()


def render(text: str, settings: MarkdownSettings) -> Rendering:
    """The build's rendering of a page body (cached per text and configuration, in memory and in the store)."""
    key = rendering_key(text, settings)
    found = _memo.get(key)
    if found is None:
        store = _store  # one store for the whole call (the preview's threads attach and detach theirs)
        salt = _salt(store, settings)
        stored = fingerprint(salt, key) if salt is not None else None
        found = store.cache.get(STORE_NAMESPACE, stored) if stored is not None else None
        if not isinstance(found, Rendering):
            found = _render(text, settings)
            _rendered_here.add(key)
            if stored is not None and _storable(found):
                store.cache.put(STORE_NAMESPACE, stored, found)
        if stored is not None and _storable(found):
            _stored_here[key] = stored
        _memo[key] = _new[key] = found
    return found


def keep_stored(text: str, settings: MarkdownSettings) -> None:
    """Count the stored result of ``text`` as used without reading it (a build that took the page's published
    HTML from its own cache): pruning keeps it for the next check or build that needs the rendering itself."""
    store = _store
    salt = _salt(store, settings)
    if salt is not None:
        store.cache.touch(STORE_NAMESPACE, (fingerprint(salt, rendering_key(text, settings)),))


def _storable(result: Rendering) -> bool:
    return all(problem.kind in _STORED_KINDS for problem in result.problems)


def _salt(store: _Store | None, settings: MarkdownSettings) -> str | None:
    """What a stored result of ``settings`` depends on besides its text (None: no store, or not storable)."""
    if store is None:
        return None
    if settings.key not in store.salts:
        code = _renderer_code(settings)
        store.salts[settings.key] = None if code is None else fingerprint(
            "stored-rendering-1", code_fingerprint(), code)
    return store.salts[settings.key]


def _renderer_code(settings: MarkdownSettings) -> list[str] | None:
    """A hash of the code that renders with ``settings``, per top-level module: Python-Markdown, the module of
    each extension and of each ``!!python/name:`` option (every file of a package, or the module's file).
    None when some of it cannot be found (Python-Markdown would fail on it anyway)."""
    registered = {entry.name: entry.value for entry in importlib.metadata.entry_points(group="markdown.extensions")}
    # An extension is named as Python-Markdown finds it: a registered short name ("toc"), else a module path.
    modules = {"markdown"} | {registered.get(name, name).split(":")[0].split(".")[0] for name in settings.extensions}
    modules |= {value.dotted.split(".")[0] for value in _python_names(settings.options)}
    hashes = []
    for module in sorted(modules - {"mzpress"}):  # mzpress: in code_fingerprint()
        code = _module_code(module)
        if code is None:
            return None
        hashes.append(f"{module}={code}")
    return hashes


def _module_code(module: str) -> str | None:
    try:
        spec = importlib.util.find_spec(module)
    except (ImportError, ValueError):
        return None
    if spec is None:
        return None
    if spec.submodule_search_locations:
        return fingerprint(*(code_fingerprint(Path(location)) for location in spec.submodule_search_locations))
    if spec.origin and Path(spec.origin).is_file():
        return hashlib.sha256(Path(spec.origin).read_bytes()).hexdigest()
    return None


def _python_names(value) -> list[PythonName]:
    if isinstance(value, PythonName):
        return [value]
    if isinstance(value, dict):
        return [name for item in value.values() for name in _python_names(item)]
    if isinstance(value, list | tuple):
        return [name for item in value for name in _python_names(item)]
    return []


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
