"""Differential fuzz test of the publish gate: what ``mzpress check`` passes, a browser must find harmless.

``tests.support.markdown_fuzz`` generates hostile stories (raw HTML, comments in every form,
entities, links and reference definitions in odd places, attribute lists, emphasis, fences and code
spans, LF/CRLF/lone-CR line breaks, ID numbers, mobiles and bank cards, plain or split by markup).
They are checked in a few large batches (one ``mzpress check`` and one in-process ``mkdocs build``
per batch, about 500 stories each). For every story whose check reports no error, the built page,
parsed as a browser parses it (lexbor, an HTML5 parser), must hold:

* ``element-in-article``: no script, iframe, object, embed, form, meta, base, style or link element in
  the article (``article.md-content__inner``);
* ``element-in-page``: no such element anywhere beyond those of a payload-free story page built in
  the same batch (the template's own scripts, styles and meta; a meta refresh that a parser quirk
  moves into ``<head>`` counts);
* ``event-handler``: no ``on*`` attribute on any element;
* ``unsafe-url``: every URL attribute (href, src, srcset, action, formaction, data, xlink:href …)
  relative or with a scheme in http, https, mailto, tel, judged after WHATWG clean-up (ASCII tab
  and newline removed, C0 controls and spaces stripped at both ends, lower-cased);
* ``identifier``: no ID number, mobile or bank card (``mzpress.text.identifiers``) in the text a
  reader is shown: the page text (block elements apart), the title, meta descriptions, ``alt``,
  ``title`` and ``aria-label`` values, with Unicode format characters removed and hyphen-like and
  space-like characters normalised;

and the batch of passing stories must build (never a passing check with a failing build).

``MZPRESS_FUZZ_SEED`` and ``MZPRESS_FUZZ_DOCS`` override the seed and the number of stories
(default 2,000). A failure names the seed, each failing story's number, the property and the story
text, and writes the failing stories to a folder named in the message; ``markdown_fuzz.document(seed,
n)`` regenerates story ``n`` alone.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import json
import logging
import os
import re
import shutil
import time
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from mkdocs.commands.build import build as mkdocs_build
from mkdocs.config import load_config as mkdocs_load_config
from mkdocs.exceptions import Abort, PluginError
from PIL import Image
from selectolax.lexbor import LexborHTMLParser, LexborNode

from mzpress.cli import main
from mzpress.text.identifiers import find_identifiers
from tests.support import markdown_fuzz
from tests.support.project import BUILD_DATE, add_story, new_project

BATCH = 500
TODAY = dt.date.fromisoformat(BUILD_DATE)
BASELINE_SLUG = "fz-baseline"

DANGEROUS = frozenset({"script", "iframe", "object", "embed", "form", "meta", "base", "style", "link"})
URL_ATTRIBUTES = frozenset({"href", "src", "srcset", "action", "formaction", "data", "xlink:href", "poster",
                            "background", "cite", "codebase", "longdesc", "lowsrc", "dynsrc", "ping", "manifest",
                            "icon", "usemap", "archive", "classid", "profile"})
ALLOWED_SCHEMES = frozenset({"http", "https", "mailto", "tel"})
SHOWN_ATTRIBUTES = ("alt", "title", "aria-label")
NOT_SHOWN = frozenset({"script", "style", "template", "head"})
BLOCKS = frozenset({
    "address", "article", "aside", "blockquote", "body", "br", "caption", "dd", "details", "dialog", "div", "dl",
    "dt", "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header",
    "hr", "html", "img", "li", "main", "nav", "ol", "p", "pre", "section", "summary", "table", "tbody", "td",
    "tfoot", "th", "thead", "tr", "ul", "button", "input", "select", "textarea", "iframe", "object", "embed",
    "svg", "math", "video", "audio", "canvas", "noscript", "title", "option",
})
_SCHEME = re.compile(r"^([a-z][a-z0-9+.\-]*):")
_HYPHENS = dict.fromkeys(map(ord, "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\u2043\ufe58\ufe63"), "-")


# --- reading a built page as a browser does ------------------------------------------------------------


def url_scheme(value: str) -> str | None:
    """The scheme a browser's URL parser reads in ``value`` (lower case), None for a relative URL."""
    cleaned = re.sub(r"[\t\n\r]", "", value).strip("".join(map(chr, range(0x21))))
    match = _SCHEME.match(cleaned.lower())
    return match.group(1) if match else None


def srcset_urls(value: str) -> list[str]:
    return [candidate.strip().split()[0] for candidate in value.split(",") if candidate.strip()]


def shown(text: str) -> str:
    """``text`` as it reads: format characters (zero-width, soft hyphen, BOM …) gone, hyphens and
    spaces of every kind made plain, runs of spaces one space (block breaks stay newlines)."""
    kept = []
    for ch in text.translate(_HYPHENS):
        if ch == "\n":
            kept.append("\n")
        elif unicodedata.category(ch) == "Cf":
            continue
        elif ch.isspace() or unicodedata.category(ch) in ("Zs", "Zl", "Zp"):
            kept.append(" ")
        else:
            kept.append(ch)
    return re.sub(r" +", " ", "".join(kept))


def reader_text(root: LexborNode) -> str:
    """The text under ``root`` with a line break around each block element (roughly ``innerText``);
    white space inside a text node is a space, as a browser shows it."""
    parts: list[str] = []
    stack: list[tuple[LexborNode, bool]] = [(root, False)]
    while stack:
        node, leaving = stack.pop()
        if leaving:
            parts.append("\n")
            continue
        tag = node.tag
        if tag == "-text":
            parts.append(re.sub(r"\s", " ", node.text_content or ""))
            continue
        if tag.startswith(("-", "!", "#", "_")) or tag in NOT_SHOWN:
            continue
        if tag in BLOCKS:
            parts.append("\n")
            stack.append((node, True))
        stack.extend((child, False) for child in reversed(list(node.iter(include_text=True))))
    return "".join(parts)


def _signature(node: LexborNode) -> tuple:
    attrs = node.attributes
    keep = ("rel", "name", "property", "http-equiv", "charset", "src", "type")
    return (node.tag, tuple(sorted(attrs)), tuple((k, attrs.get(k)) for k in keep if k in attrs))


@dataclass
class PageShape:
    """What the template itself puts on a story page: the baseline the payload must not add to."""

    dangerous: Counter = field(default_factory=Counter)
    in_article: Counter = field(default_factory=Counter)


def page_shape(html: str) -> PageShape:
    tree = LexborHTMLParser(html)
    article = tree.css_first("article.md-content__inner")
    shape = PageShape()
    for node in tree.root.traverse():
        if node.tag in DANGEROUS:
            shape.dangerous[_signature(node)] += 1
    if article is not None:
        for node in article.traverse():
            if node.tag in DANGEROUS:
                shape.in_article[_signature(node)] += 1
    return shape


_NOSCRIPT = re.compile(r"<noscript\b[^>]*>.*?(?:</noscript\s*>|\Z)", re.I | re.S)


def page_problems(html: str, baseline: PageShape) -> list[tuple[str, str]]:
    """(property, detail) for each way the page breaks the gate's promise; [] when it keeps it.

    lexbor parses as a browser with scripting off; a browser that runs the site's scripts reads a
    ``<noscript>`` element's content as raw text up to the first ``</noscript>``, so a page with one
    is also read that way (“<noscript><p title="</noscript><img onerror=…>">”).
    """
    problems = _tree_problems(LexborHTMLParser(html), baseline)
    if "<noscript" in html.lower() and LexborHTMLParser(html).css_first("noscript") is not None:
        problems += _tree_problems(LexborHTMLParser(_NOSCRIPT.sub("", html)), baseline)
    return list(dict.fromkeys(problems))


def _tree_problems(tree: LexborHTMLParser, baseline: PageShape) -> list[tuple[str, str]]:
    problems: list[tuple[str, str]] = []
    article = tree.css_first("article.md-content__inner")
    if article is None:
        problems.append(("element-in-page", "no article.md-content__inner: the page structure was broken"))
    else:
        found = Counter(_signature(n) for n in article.traverse() if n.tag in DANGEROUS)
        for signature in found - baseline.in_article:
            problems.append(("element-in-article", f"<{signature[0]}> {dict(signature[2])}"))
    found = Counter(_signature(n) for n in tree.root.traverse() if n.tag in DANGEROUS)
    for signature in found - baseline.dangerous:
        if article is None or not any(_signature(n) == signature for n in article.traverse()):
            problems.append(("element-in-page", f"<{signature[0]}> {dict(signature[2])}"))
    shown_parts = []
    for node in tree.root.traverse():
        for name, value in node.attributes.items():
            name = name.lower()
            if name.startswith("on"):
                problems.append(("event-handler", f"<{node.tag} {name}={value!r}>"))
            elif value is not None and (name in URL_ATTRIBUTES or name.endswith(":href")):
                for url in (srcset_urls(value) if name == "srcset" else [value]):
                    scheme = url_scheme(url)
                    if scheme is not None and scheme not in ALLOWED_SCHEMES:
                        problems.append(("unsafe-url", f"<{node.tag} {name}={url!r}>"))
            elif value and (name in SHOWN_ATTRIBUTES or (node.tag == "meta" and name == "content")):
                shown_parts.append(value)
    title = tree.css_first("title")
    if title is not None:
        shown_parts.append(title.text())
    body = tree.body
    if body is not None:
        shown_parts.append(reader_text(body))
    text = shown("\n".join(shown_parts))
    for item in find_identifiers(text, TODAY):
        problems.append(("identifier", f"{item.kind.value} {item.masked}"))
    return problems


# --- running check and build on one batch ---------------------------------------------------------------


def run_check(root: Path, *paths: str) -> tuple[int, list[dict]]:
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        code = main(["--root", str(root), "check", "--format", "json", *paths])
    text = out.getvalue()
    return code, json.loads(text) if text.strip().startswith("[") else []


def _crashes(root: Path, docs: list[markdown_fuzz.Document]) -> bool:
    try:
        run_check(root, *(str(root / doc.relpath) for doc in docs))
    except Exception:
        return True
    return False


def crashing_document(root: Path, docs: list[markdown_fuzz.Document]) -> markdown_fuzz.Document | None:
    """One story that makes ``mzpress check`` raise on its own (partial checks, halving), or None."""
    candidates = docs
    while len(candidates) > 1:
        half = len(candidates) // 2
        if _crashes(root, candidates[:half]):
            candidates = candidates[:half]
        elif _crashes(root, candidates[half:]):
            candidates = candidates[half:]
        else:
            return None  # only a combination of stories crashes it
    return candidates[0] if candidates and _crashes(root, candidates) else None


def check_batch(root: Path, docs: list[markdown_fuzz.Document], outcome: Outcome) -> tuple[int, list[dict]]:
    """``mzpress check`` on the batch; a story that crashes the check is a failure, set aside."""
    remaining = list(docs)
    while True:
        try:
            return run_check(root)
        except Exception as exc:  # the gate cannot judge what it crashes on
            culprit = crashing_document(root, remaining)
            if culprit is None or outcome.crashes >= 20:
                raise AssertionError(f"mzpress check crashed on a batch: {exc!r}") from exc
            outcome.crashes += 1
            outcome.failures.append(Failure(culprit, [("check-crashed", f"{type(exc).__name__}: {exc}")]))
            (root / culprit.relpath).unlink()
            remaining.remove(culprit)


class _Errors(logging.Handler):
    def __init__(self):
        super().__init__(logging.ERROR)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def run_build(root: Path, out: Path) -> tuple[str | None, list[str]]:
    """An in-process plain ``mkdocs build``: (None when it finished, else why not; the errors it logged)."""
    config = mkdocs_load_config(str(root / "mkdocs.yml"), site_dir=str(out), strict=False)
    errors = _Errors()
    logging.getLogger("mkdocs").addHandler(errors)
    config.plugins.on_startup(command="build", dirty=False)
    try:
        mkdocs_build(config)
        return None, errors.messages
    except (Abort, PluginError) as exc:
        return f"{type(exc).__name__}: {str(exc)[:2000]}", errors.messages
    except Exception as exc:  # a crash, not a refusal
        return f"crashed: {type(exc).__name__}: {str(exc)[:2000]}", errors.messages
    finally:
        config.plugins.on_shutdown()
        logging.getLogger("mkdocs").removeHandler(errors)


_FAILED_PAGE = re.compile(r"Error reading page '([^']+)'")


def build_batch(root: Path, out: Path, passing: list[markdown_fuzz.Document], outcome: Outcome) -> bool:
    """Build the stories that passed the check. A story the build fails on although the check passed
    it is a failure (named from the build's log), set aside, and the rest is built again."""
    while True:
        broken, logged = run_build(root, out)
        if broken is None:
            return True
        named = {m.group(1) for message in logged for m in [_FAILED_PAGE.search(message)] if m}
        culprits = [doc for doc in passing if doc.relpath.removeprefix("content/") in named]
        if not culprits or outcome.crashes >= 20:
            outcome.broken_builds.append(f"{len(passing)} stories passed the check, the build refused: {broken} "
                                         f"{logged[:3]}")
            return False
        for doc in culprits:
            outcome.crashes += 1
            outcome.failures.append(Failure(doc, [("build-failed", f"check passed, build: {broken[:300]}")]))
            (root / doc.relpath).unlink()
            passing.remove(doc)
        shutil.rmtree(out, ignore_errors=True)


@dataclass
class Failure:
    document: markdown_fuzz.Document
    problems: list[tuple[str, str]]


@dataclass
class Outcome:
    checked: int = 0
    passed: int = 0
    failures: list[Failure] = field(default_factory=list)
    broken_builds: list[str] = field(default_factory=list)
    stray_errors: list[dict] = field(default_factory=list)
    crashes: int = 0
    seconds: dict[str, float] = field(default_factory=lambda: Counter())


def run_batch(root: Path, docs: list[markdown_fuzz.Document], outcome: Outcome) -> None:
    new_project(root)
    add_story(root, markdown_fuzz.YEAR, BASELINE_SLUG, title="模糊测试基准稿", date=markdown_fuzz.DATE)
    add_story(root, markdown_fuzz.YEAR, "fine", title="链接目标稿", date=markdown_fuzz.DATE)
    image = root / f"content/stories/{markdown_fuzz.YEAR}/images/none.jpg"  # the stories' one image
    image.parent.mkdir(parents=True)
    Image.new("RGB", (40, 30), "white").save(image, "JPEG")
    for doc in docs:
        path = root / doc.relpath
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(doc.text.encode("utf-8"))
    started = time.perf_counter()
    code, findings = check_batch(root, docs, outcome)
    outcome.seconds["check"] += time.perf_counter() - started
    assert code in (0, 1), findings[:20]
    by_path = {doc.relpath: doc for doc in docs}
    refused = {f["file"] for f in findings if f["severity"] == "error"}
    refused |= {f.document.relpath for f in outcome.failures}  # crashed the check: set aside
    outcome.stray_errors += [f for f in findings if f["severity"] == "error" and f["file"] not in by_path]
    passing = [doc for doc in docs if doc.relpath not in refused]
    for doc in docs:
        if doc.relpath in refused:
            (root / doc.relpath).unlink(missing_ok=True)
    outcome.checked += len(docs)
    outcome.passed += len(passing)
    if outcome.stray_errors:
        return
    out = root.parent / f"{root.name}-site"
    started = time.perf_counter()
    built = build_batch(root, out, passing, outcome)
    outcome.seconds["build"] += time.perf_counter() - started
    if not built:
        return
    started = time.perf_counter()
    baseline = page_shape((out / f"stories/{markdown_fuzz.YEAR}/{BASELINE_SLUG}/index.html").read_text("utf-8"))
    for doc in passing:
        page = out / doc.url / "index.html"
        if not page.is_file():
            outcome.failures.append(Failure(doc, [("page-missing", f"{doc.url}index.html was not built")]))
            continue
        problems = page_problems(page.read_text(encoding="utf-8"), baseline)
        if problems:
            outcome.failures.append(Failure(doc, problems))
    outcome.seconds["inspect"] += time.perf_counter() - started
    shutil.rmtree(out, ignore_errors=True)


def report(seed: int, outcome: Outcome, folder: Path) -> str:
    folder.mkdir(parents=True, exist_ok=True)
    per_property: Counter = Counter()
    for failure in outcome.failures:
        per_property.update({prop for prop, _ in failure.problems})
        doc = failure.document
        (folder / f"{doc.slug}.md").write_bytes(doc.text.encode("utf-8"))
        (folder / f"{doc.slug}.problems.txt").write_text(
            "\n".join(f"{prop}: {detail}" for prop, detail in failure.problems) + "\n", encoding="utf-8")
    kinds = Counter("crashed" if any(p == "check-crashed" for p, _ in f.problems) else
                    "unbuilt" if any(p == "build-failed" for p, _ in f.problems) else "published"
                    for f in outcome.failures)
    lines = [
        f"seed={seed} (MZPRESS_FUZZ_SEED={seed}): of {outcome.checked} stories {outcome.passed} passed the check "
        f"and {kinds['published']} of these published a payload; {kinds['unbuilt']} passed the check and broke the "
        f"build, {kinds['crashed']} crashed the check. Stories per property: "
        + ", ".join(f"{prop} {n}" for prop, n in per_property.most_common()),
        f"failing stories written to {folder} (regenerate one with markdown_fuzz.document({seed}, N))",
    ]
    lines += [f"build refused a batch that passed the check: {b}" for b in outcome.broken_builds]
    if outcome.stray_errors:
        lines.append(f"errors outside the generated stories: {outcome.stray_errors[:5]}")
    shortest: dict[int, Failure] = {}  # the two shortest stories failing each property
    for prop, _ in per_property.most_common():
        having = [f for f in outcome.failures if any(p == prop for p, _ in f.problems)]
        for failure in sorted(having, key=lambda f: len(f.document.text))[:2]:
            shortest.setdefault(failure.document.index, failure)
    for failure in shortest.values():
        doc = failure.document
        problems = "; ".join(f"{p}: {d}" for p, d in failure.problems[:3])
        summary = f"summary={doc.summary!r} " if doc.summary else ""
        lines.append(f"  #{doc.index} {problems}\n      {summary}body={doc.body[:300]!r}")
    return "\n".join(lines)


def test_what_the_check_passes_a_browser_finds_harmless(tmp_path, monkeypatch):
    monkeypatch.setenv("MZPRESS_BUILD_DATE", BUILD_DATE)
    monkeypatch.setenv("NO_MKDOCS_2_WARNING", "1")
    monkeypatch.setenv("MZPRESS_NO_CACHE", "1")
    seed = int(os.environ.get("MZPRESS_FUZZ_SEED", markdown_fuzz.DEFAULT_SEED))
    count = int(os.environ.get("MZPRESS_FUZZ_DOCS", markdown_fuzz.DEFAULT_COUNT))
    docs = list(markdown_fuzz.documents(seed, count))
    outcome = Outcome()
    batches = max(1, round(count / BATCH))
    for number in range(batches):
        run_batch(tmp_path / f"batch-{number}", docs[number::batches], outcome)
    print(f"fuzz seed={seed}: {outcome.checked} stories, {outcome.passed} passed the check, "
          f"{len(outcome.failures)} failed a property; seconds "
          + ", ".join(f"{k} {v:.1f}" for k, v in outcome.seconds.items()))
    assert outcome.checked == count
    if outcome.failures or outcome.broken_builds or outcome.stray_errors:
        pytest.fail(report(seed, outcome, tmp_path / "failing-stories"), pytrace=False)


def test_the_property_holds_on_a_clean_page_and_catches_known_payloads():
    """The page reader itself: a clean story passes, each kind of payload is named."""
    clean = ('<html><head><title>稿件</title><meta name="description" content="摘要"></head><body>'
             '<article class="md-content__inner"><p>电话 0797-8123456，<a href="https://www.gov.cn/">见</a></p>'
             '<p>138****5678</p></article></body></html>')
    baseline = page_shape(clean)
    assert page_problems(clean, baseline) == []

    def problems(article: str) -> set[str]:
        page = clean.replace("<p>138****5678</p>", article)
        return {prop for prop, _ in page_problems(page, baseline)}

    assert problems("<script>x()</script>") == {"element-in-article"}
    assert problems("<svg><script>x()</script></svg>") == {"element-in-article"}
    assert problems("<img src=x onerror=alert(1)>") == {"event-handler"}
    assert problems('<a href="java\tscript:alert(1)">x</a>') == {"unsafe-url"}
    assert problems('<a href=" &#x6A;avascript:alert(1)">x</a>') == {"unsafe-url"}
    assert problems('<img srcset="a.jpg 1x, data:image/svg+xml,x 2x">') == {"unsafe-url"}
    assert problems('<a href="tel:0797-8123456">x</a><a href="../x/">y</a><a href="//x.gov.cn/">z</a>') == set()
    assert problems("<p>139<b>1234</b>5678</p>") == {"identifier"}
    assert problems("<p>139&#8203;1234&shy;5678</p>") == {"identifier"}
    assert problems("<p>139\u20111234\u20115678</p>") == {"identifier"}
    assert problems("<p>139\n1234\n5678</p>") == {"identifier"}
    assert problems('<img src="a.jpg" alt="13912345678">') == {"identifier"}
    assert problems("<p>139</p><p>1234</p><p>5678</p>") == set()  # three paragraphs, not one number
    assert problems("<!-->13912345678") == {"identifier"}
    # a meta refresh a parser moves out of the article is still caught
    moved = clean.replace("<title>稿件</title>", '<title>稿件</title><meta http-equiv="refresh" content="0">')
    assert {prop for prop, _ in page_problems(moved, baseline)} == {"element-in-page"}
    # read as a browser that runs scripts reads <noscript>
    assert problems('<noscript><p title="</noscript><img src=x onerror=alert(1)>"></noscript>') == {"event-handler"}


@pytest.mark.parametrize("index", [0, 1, 2])
def test_the_generator_is_reproducible(index):
    first = markdown_fuzz.document(7, index)
    assert first == markdown_fuzz.document(7, index)
    assert first.text.startswith("---\ntitle: ")
