"""The allowlist of a published page body and the sanitiser that enforces it (nh3, the binding of ammonia).

Every page body the build publishes passes :func:`sanitise`; ``mzpress check`` reports every place
where that would change the rendered page (:mod:`mzpress.checks.rendered_page`). The sanitiser is the
floor: even a case the check misreads cannot publish a script. The allowlist is exactly what
Python-Markdown and the site's enabled extensions produce, plus the few raw HTML elements writers
may use (tables, ``<figure>``, ``<details>``, ``<sup>``…):

* elements :data:`ALLOWED_TAGS`; ``script``, ``style`` and the other :data:`REMOVED_WITH_CONTENT`
  elements go with everything inside them;
* attributes :data:`GLOBAL_ATTRIBUTES` and :data:`TAG_ATTRIBUTES`; ``a target`` only ``_blank``/``_self``;
* classes: those the extensions write (admonitions, footnotes, the table of contents, code
  languages) and :data:`WRITER_CLASSES`; ids that the site's own scripts and styles use
  (``mz-``, ``md-``, ``__``) are not a writer's;
* URLs: relative ones, and the schemes :data:`URL_SCHEMES`, judged as a browser's URL parser reads
  them (:func:`url_scheme`).

The MkDocs adapter passes ``rewrite_url``: the relative links MkDocs resolves to pages' addresses,
rewritten in the same pass.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

import nh3

from mzpress.model.markdown_settings import MarkdownSettings

TABLE_TAGS = frozenset({"table", "caption", "colgroup", "col", "thead", "tbody", "tfoot", "tr", "th", "td"})
ALLOWED_TAGS = frozenset({
    "p", "br", "hr", "span", "div", "figure", "figcaption", "sup", "sub", "abbr", "details", "summary",
    "img", "a", "strong", "em", "b", "i", "u", "s", "del", "ins", "mark", "small", "blockquote", "q", "cite",
    "ul", "ol", "li", "dl", "dt", "dd", "h1", "h2", "h3", "h4", "h5", "h6", "code", "pre", "kbd",
    *TABLE_TAGS,
})
# Elements that run code, embed other sites, collect input or change the page around them.
FORBIDDEN_TAGS = frozenset({
    "script", "iframe", "frame", "frameset", "object", "embed", "applet", "form", "input", "button", "select",
    "textarea", "style", "link", "meta", "base", "svg", "math", "template", "noscript", "portal", "title",
    "xmp", "noembed", "noframes", "plaintext", "option", "optgroup", "keygen", "param", "source", "track",
    "video", "audio", "canvas", "dialog", "slot", "fencedframe", "image", "isindex", "listing", "marquee",
})
# Removed together with what they contain (their content is code, or not text a reader sees).
REMOVED_WITH_CONTENT = frozenset({
    "script", "style", "template", "noscript", "iframe", "object", "embed", "applet", "textarea", "title",
    "xmp", "noembed", "noframes", "svg", "math", "select", "frameset", "frame", "plaintext",
})
GLOBAL_ATTRIBUTES = frozenset({"class", "id", "title", "lang", "dir", "aria-label", "aria-hidden", "role"})
TAG_ATTRIBUTES: dict[str, frozenset[str]] = {
    "a": frozenset({"href"}),
    "img": frozenset({"src", "alt", "width", "height", "loading"}),
    "details": frozenset({"open"}),
    "ol": frozenset({"start", "type", "reversed"}),
    "li": frozenset({"value"}),
    "td": frozenset({"colspan", "rowspan", "align"}),
    "th": frozenset({"colspan", "rowspan", "align", "scope"}),
    "col": frozenset({"span"}),
    "colgroup": frozenset({"span"}),
    "q": frozenset({"cite"}),
    "blockquote": frozenset({"cite"}),
}
RESTRICTED_VALUES: dict[str, dict[str, frozenset[str]]] = {"a": {"target": frozenset({"_blank", "_self"})}}
URL_ATTRIBUTES = frozenset({"href", "src", "action", "formaction", "poster", "background", "cite", "data",
                            "xlink:href", "srcset", "lowsrc", "dynsrc", "ping", "longdesc", "usemap", "manifest",
                            "codebase", "archive", "icon", "itemtype", "profile"})
URL_SCHEMES = frozenset({"http", "https", "mailto", "tel"})
# Classes a writer may set with {: .name }: the bulletin's byline (written by mzpress bulletin).
WRITER_CLASSES = frozenset({"mz-bulletin-byline"})
ADMONITION_TYPES = frozenset({
    "note", "abstract", "summary", "tldr", "info", "todo", "tip", "hint", "important", "success", "check", "done",
    "question", "help", "faq", "warning", "caution", "attention", "failure", "fail", "missing", "danger", "error",
    "bug", "example", "quote", "cite",
})
RESERVED_ID = re.compile(r"^(?:mz-|md-|__)", re.I)
_LANGUAGE_CLASS = re.compile(r"^language-[A-Za-z0-9_+#-]{1,40}$")

# WHATWG URL parsing: leading/trailing C0 controls and spaces are stripped, tabs and newlines removed anywhere.
_URL_EDGES = re.compile(r"^[\x00-\x20]+|[\x00-\x20]+$")
_URL_TABS = re.compile(r"[\t\n\r]")
_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.\-]*):")


def url_scheme(value: str) -> str | None:
    """The scheme a browser reads in an attribute value (already entity-decoded), lower case; None: relative."""
    cleaned = _URL_TABS.sub("", _URL_EDGES.sub("", value))
    match = _SCHEME.match(cleaned)
    return match.group(1).lower() if match else None


def url_allowed(value: str) -> bool:
    scheme = url_scheme(value)
    return scheme is None or scheme in URL_SCHEMES


@dataclass(frozen=True)
class Allowlist:
    """What a page body may contain, for one Markdown configuration."""

    tags: frozenset[str]
    attributes: dict[str, frozenset[str]]
    classes: frozenset[str]

    def class_allowed(self, name: str) -> bool:
        return name in self.classes or _LANGUAGE_CLASS.match(name) is not None

    def attribute_allowed(self, tag: str, name: str) -> bool:
        return name in self.attributes.get("*", ()) or name in self.attributes.get(tag, ()) \
            or name in RESTRICTED_VALUES.get(tag, {})

    def value_allowed(self, tag: str, name: str, value: str) -> bool:
        allowed = RESTRICTED_VALUES.get(tag, {}).get(name)
        return allowed is None or value in allowed


@lru_cache(maxsize=8)
def _allowlist(extensions: tuple[str, ...]) -> Allowlist:
    classes = set(WRITER_CLASSES)
    names = {name.removeprefix("markdown.extensions.") for name in extensions}
    if "admonition" in names:
        classes |= {"admonition", "admonition-title"} | ADMONITION_TYPES
    if "toc" in names:
        classes |= {"toc", "toctitle", "headerlink"}
    if "footnotes" in names:
        classes |= {"footnote", "footnote-ref", "footnote-backref"}
    if "abbr" in names:
        classes |= set()
    attributes = {"*": GLOBAL_ATTRIBUTES, **TAG_ATTRIBUTES}
    return Allowlist(ALLOWED_TAGS, attributes, frozenset(classes))


def allowlist_for(settings: MarkdownSettings) -> Allowlist:
    return _allowlist(tuple(settings.extensions))


def filtered_value(allowlist: Allowlist, tag: str, name: str, value: str) -> str | None:
    """An allowed attribute's value as published (classes and ids filtered), None to drop it."""
    if name == "class":
        kept = [c for c in value.split() if allowlist.class_allowed(c)]
        return " ".join(kept) if kept else None
    if name == "id" and RESERVED_ID.match(value):
        return None
    if not allowlist.value_allowed(tag, name, value):
        return None
    return value


def sanitise(html: str, settings: MarkdownSettings, rewrite_url: Callable[[str], str] | None = None) -> str:
    """``html`` with everything outside the allowlist removed (comments too); relative URLs rewritten."""
    allowlist = allowlist_for(settings)
    attributes = {tag: set(names) for tag, names in allowlist.attributes.items()}
    for tag, values in RESTRICTED_VALUES.items():
        attributes.setdefault(tag, set()).update(values)

    def keep(tag: str, name: str, value: str) -> str | None:
        return filtered_value(allowlist, tag, name, value)

    options = {}
    if rewrite_url is not None:
        options["url_relative"] = rewrite_url
    return nh3.clean(html, tags=set(allowlist.tags), clean_content_tags=set(REMOVED_WITH_CONTENT),
                     attributes=attributes, attribute_filter=keep, strip_comments=True, link_rel=None,
                     url_schemes=set(URL_SCHEMES), **options)
