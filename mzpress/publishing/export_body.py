"""A page's body as the outlets take it (``mzpress export``): the website's HTML read into blocks.

The body is exactly what the site publishes: :func:`mzpress.text.page_rendering.render` with the
build's Markdown settings, through :func:`mzpress.text.html_sanitiser.sanitise`, parsed as a
browser parses it (:func:`mzpress.text.html_document.parse_fragment`). The WeChat page, the Word
file and the mobile-newspaper digest are each made from the same blocks, so none of them can show
what the gate did not judge:

* :class:`Heading`, :class:`Paragraph` (``quote`` inside a blockquote, an admonition or details),
  :class:`ListBlock`, :class:`Table`, :class:`Code` and :class:`Rule`, each with its text as
  :class:`Run` s (bold, italic, code, superscript, and the absolute address of a link);
* :class:`Photo`: a picture of the page, numbered in order of first appearance, with its file
  under ``content/`` and its caption: a “图为……” (or “图：……”) paragraph right under it, or the
  text after it in its paragraph, or its ``<figcaption>``. A picture inside a list, a table or a
  heading comes right after that block.

Whitespace is collapsed as a browser shows it. Links become absolute addresses: a page of the site
(``../2025/x.md``) its address under ``site.yml``'s ``url``, an attachment its file's address; links
inside the page (``#…``), ``mailto:`` and ``tel:`` keep only their text. Pure: no file is read.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass, field, replace
from urllib.parse import unquote, urljoin, urlsplit

from selectolax.lexbor import LexborNode

from mzpress.model.config import SiteConfig
from mzpress.model.content import Page, page_url
from mzpress.text.html_document import parse_fragment
from mzpress.text.html_sanitiser import sanitise
from mzpress.text.page_rendering import render

HAN = re.compile("[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f]")
# A caption line under a photo: 图为……, 图：……, （图为……）.
CAPTION = re.compile(r"^[（(]?\s*图\s*[为：:]")
MAX_CAPTION = 200  # a longer paragraph under a photo is text, not its caption
_SPACE = re.compile(r"[ \t\n\r\f]+")
_FILE_LABEL = re.compile(r"[^\w\u3400-\u9fff-]+")
MAX_LABEL = 20  # characters of a caption in a photo's file name
_CONTAINERS = frozenset({"div", "blockquote", "details", "figure", "section", "article", "aside", "main",
                         "header", "footer", "center", "dl"})
_QUOTES = frozenset({"blockquote", "details"})
_BLOCKS = frozenset({"p", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "table", "pre", "hr", "dt", "dd",
                     "figcaption", "summary", *_CONTAINERS})
_SKIPPED = frozenset({"-comment", "script", "style", "template"})
MAX_DEPTH = 60  # deeper markup is read as plain text (the render bounds keep real pages far below)


class ExportError(Exception):
    """The page cannot be exported; ``str(exc)`` says why, in Chinese."""


@dataclass(frozen=True, slots=True)
class Run:
    """A piece of text with one formatting; ``text == "\\n"`` is a line break."""

    text: str
    bold: bool = False
    italic: bool = False
    code: bool = False
    script: str = ""  # "sup" | "sub" | ""
    href: str = ""  # the absolute http(s) address of a link; "" when the text links nowhere outside the page


@dataclass(frozen=True, slots=True)
class Heading:
    level: int  # of the HTML (2 for <h2>)
    rank: int  # 1 for the highest level the body uses, 2 for the next, ...
    runs: tuple[Run, ...]


@dataclass(frozen=True, slots=True)
class Paragraph:
    runs: tuple[Run, ...]
    quote: bool = False  # inside a blockquote, an admonition or details


@dataclass(frozen=True, slots=True)
class Photo:
    number: int  # 1, 2, ... in order of first appearance
    src: str  # the file, relative to content/
    alt: str
    caption: str = ""  # the caption written under it on the page ("" when none)
    file_name: str = ""  # 图1-……jpg

    @property
    def label(self) -> str:
        """A caption for an outlet that wants one under every photo: the written one, else 图为 + alt text."""
        if self.caption:
            return self.caption
        return f"图为{self.alt.rstrip('。．.')}。" if self.alt else ""


@dataclass(frozen=True, slots=True)
class ListItem:
    runs: tuple[Run, ...]
    level: int  # 0 for a top-level item
    ordered: bool
    number: int  # its number in its list (ordered lists), from the list's ``start``


@dataclass(frozen=True, slots=True)
class ListBlock:
    items: tuple[ListItem, ...]


@dataclass(frozen=True, slots=True)
class Cell:
    runs: tuple[Run, ...]
    header: bool = False
    colspan: int = 1
    rowspan: int = 1
    align: str = ""  # left | center | right | ""


@dataclass(frozen=True, slots=True)
class Table:
    rows: tuple[tuple[Cell, ...], ...]


@dataclass(frozen=True, slots=True)
class Code:
    text: str


@dataclass(frozen=True, slots=True)
class Rule:
    pass


Block = Heading | Paragraph | Photo | ListBlock | Table | Code | Rule


def plain(runs: tuple[Run, ...] | list[Run]) -> str:
    return "".join(run.text for run in runs)


@dataclass(frozen=True)
class ExportBody:
    """The blocks of a page body, its photos (each once, in order) and what could not come along."""

    blocks: tuple[Block, ...]
    photos: tuple[Photo, ...]
    foreign_images: tuple[str, ...] = ()  # pictures from other sites: not exported (named in the notes)
    links: tuple[str, ...] = field(default=())  # every link address, in order of first use

    def texts(self) -> list[str]:
        """Every piece of text a reader of the page reads, block by block (captions written on the page too)."""
        out: list[str] = []
        for block in self.blocks:
            if isinstance(block, Heading | Paragraph):
                out.append(plain(block.runs))
            elif isinstance(block, Photo):
                out.append(block.caption)
            elif isinstance(block, ListBlock):
                out += [plain(item.runs) for item in block.items]
            elif isinstance(block, Table):
                out += [plain(cell.runs) for row in block.rows for cell in row]
            elif isinstance(block, Code):
                out.append(block.text)
        return [text for text in out if text]

    @property
    def han_count(self) -> int:
        """字数: the Chinese characters of the body (without the title)."""
        return sum(len(HAN.findall(text)) for text in self.texts())

    def paragraphs(self) -> list[str]:
        """The body's prose paragraphs in order (no headings, captions, lists, tables or code)."""
        return [text for block in self.blocks if isinstance(block, Paragraph) and (text := plain(block.runs).strip())]

    def lead(self) -> list[str]:
        """The paragraphs before the first heading, list, table or code (photos and captions passed over):
        the story's opening, which stands on its own; all paragraphs when the body opens with a heading."""
        lead = []
        for block in self.blocks:
            if isinstance(block, Heading | ListBlock | Table | Code):
                break
            if isinstance(block, Paragraph) and (text := plain(block.runs).strip()):
                lead.append(text)
        return lead or self.paragraphs()


# --------------------------------------------------------------------------- addresses


def _site_root(config: SiteConfig) -> str:
    url = config.site.url.strip()
    return url if not url or url.endswith("/") else url + "/"


def link_address(href: str, page: Page, config: SiteConfig) -> str:
    """The absolute http(s) address a link of ``page`` leads to, or "" when it leads nowhere outside the page."""
    href = href.strip()
    try:
        parts = urlsplit(href)
    except ValueError:
        return ""
    if parts.scheme in ("http", "https"):
        return href if parts.netloc else ""
    if parts.scheme or not (parts.path or parts.query):  # mailto:, tel:, #anchor
        return ""
    root = _site_root(config)
    if not root:
        return ""
    path = unquote(parts.path)
    if path.startswith("/"):
        target = path.lstrip("/")
    else:
        target = posixpath.normpath(posixpath.join(posixpath.dirname(page.src), path))
        if target.startswith("../") or target == "..":
            return ""
        if target.endswith(".md"):
            target = page_url(target)
        elif path.endswith("/") and target != ".":
            target += "/"
        elif target == ".":
            target = ""
    fragment = f"#{parts.fragment}" if parts.fragment else ""
    return urljoin(root, target) + fragment


def image_source(src: str, page: Page) -> str | None:
    """The file under content/ a picture of ``page`` shows, or None when it is not one of the site's files."""
    try:
        parts = urlsplit(src.strip())
    except ValueError:
        return None
    if parts.scheme or parts.netloc or not parts.path:
        return None
    path = unquote(parts.path)
    target = path.lstrip("/") if path.startswith("/") else posixpath.normpath(
        posixpath.join(posixpath.dirname(page.src), path))
    if not target or target.startswith("../") or target in (".", ".."):
        return None
    return target


def photo_file_name(number: int, src: str, caption: str, alt: str) -> str:
    """图1-<the caption's first words>.jpg: what the photo shows, safe as a file name on Windows, WPS and macOS."""
    suffix = posixpath.splitext(src)[1].lower()
    suffix = ".jpg" if suffix == ".jpeg" else suffix
    words = CAPTION.sub("", caption).strip() if caption else alt
    label = _FILE_LABEL.sub("", words)[:MAX_LABEL] or _FILE_LABEL.sub("", posixpath.splitext(posixpath.basename(src))[0])
    return f"图{number}-{label}{suffix}" if label else f"图{number}{suffix}"


# --------------------------------------------------------------------------- reading the HTML


@dataclass
class _Image:
    src: str
    alt: str


def _children(node: LexborNode):
    return node.iter(include_text=True)


class _Reader:
    def __init__(self, page: Page, config: SiteConfig):
        self.page, self.config = page, config
        self.blocks: list[Block] = []
        self.photos: dict[str, Photo] = {}
        self.foreign: list[str] = []
        self.links: dict[str, None] = {}

    # -- inline ------------------------------------------------------------------------------

    def inline(self, node: LexborNode, style: Run, out: list, depth: int = 0) -> None:
        """The runs (and pictures, as :class:`_Image`) inside ``node``."""
        for child in _children(node):
            self.inline_child(child, style, out, depth)

    def inline_child(self, child: LexborNode, style: Run, out: list, depth: int) -> None:
        """``child`` (of a node read inline with ``style``, ``depth`` levels down) as runs and pictures: its own
        formatting (bold, italic, code, sup/sub, a link) added to ``style`` for everything inside it."""
        tag = child.tag
        if tag == "-text":
            text = child.text_content or ""
            if text:
                out.append(replace(style, text=text))
            return
        if tag in _SKIPPED or not tag or tag.startswith("-"):
            return
        if tag == "br":
            out.append(Run("\n"))
            return
        if tag == "img":
            out.append(_Image(child.attributes.get("src") or "", (child.attributes.get("alt") or "").strip()))
            return
        classes = (child.attributes.get("class") or "").split()
        if "footnote-backref" in classes or "headerlink" in classes:
            return
        if depth > MAX_DEPTH:
            out.append(replace(style, text=child.text(deep=True)))
            return
        inner = style
        if tag in ("strong", "b", "th"):
            inner = replace(inner, bold=True)
        elif tag in ("em", "i", "cite"):
            inner = replace(inner, italic=True)
        elif tag in ("code", "kbd", "samp"):
            inner = replace(inner, code=True)
        elif tag in ("sup", "sub"):
            inner = replace(inner, script=tag)
        elif tag == "a":
            address = link_address(child.attributes.get("href") or "", self.page, self.config)
            inner = replace(inner, href=address)
            if address:
                self.links.setdefault(address, None)
        self.inline(child, inner, out, depth + 1)

    @staticmethod
    def normalise(pieces: list) -> list:
        """Whitespace as a browser shows it: runs of spaces and newlines are one space, none at line starts and ends."""
        out: list = []
        at_line_start = True
        for piece in pieces:
            if isinstance(piece, _Image):
                out.append(piece)
                continue
            if piece.text == "\n" and not piece.code:
                if out and isinstance(out[-1], Run) and out[-1].text.endswith(" "):
                    last = out[-1]
                    out[-1] = replace(last, text=last.text.rstrip(" "))
                out.append(piece)
                at_line_start = True
                continue
            text = _SPACE.sub(" ", piece.text)
            if at_line_start or (out and isinstance(out[-1], Run) and out[-1].text.endswith((" ", "\n"))):
                text = text.lstrip(" ")
            if not text:
                continue
            out.append(replace(piece, text=text))
            at_line_start = False
        while out and isinstance(out[-1], Run) and out[-1].text.endswith((" ", "\n")):
            last = out[-1]
            stripped = last.text.rstrip(" ") if last.text != "\n" else ""
            if stripped:
                out[-1] = replace(last, text=stripped)
                break
            out.pop()
        while out and isinstance(out[0], Run) and out[0].text == "\n":
            out.pop(0)
        return [p for p in out if isinstance(p, _Image) or p.text]

    def runs_of(self, node: LexborNode, style: Run = Run("")) -> tuple[list[Run], list[_Image]]:
        pieces: list = []
        self.inline(node, style, pieces)
        pieces = self.normalise(pieces)
        return [p for p in pieces if isinstance(p, Run)], [p for p in pieces if isinstance(p, _Image)]

    # -- photos ------------------------------------------------------------------------------

    def photo(self, image: _Image, caption: str = "") -> Photo | None:
        src = image_source(image.src, self.page)
        if src is None:
            if image.src and image.src not in self.foreign:
                self.foreign.append(image.src)
            return None
        known = self.photos.get(src)
        if known is not None:
            return replace(known, caption=caption)
        photo = Photo(len(self.photos) + 1, src, image.alt, caption)
        self.photos[src] = photo
        return photo

    def add_photos(self, images: list[_Image]) -> None:
        for image in images:
            photo = self.photo(image)
            if photo is not None:
                self.blocks.append(photo)

    # -- blocks ------------------------------------------------------------------------------

    def paragraph(self, node: LexborNode, quote: bool, bold: bool = False) -> None:
        """A paragraph; pictures in it split it, in order (the text after a picture may be its caption)."""
        pieces: list = []
        self.inline(node, Run("", bold=bold), pieces)
        self.loose(pieces, quote)

    def flush(self, runs: list[Run], quote: bool) -> None:
        runs = [r for r in self.normalise(runs) if isinstance(r, Run)]
        if plain(runs).strip():
            self.blocks.append(Paragraph(tuple(runs), quote))

    def list_items(self, node: LexborNode, level: int, out: list[ListItem], images: list[_Image]) -> None:
        ordered = node.tag == "ol"
        start = node.attributes.get("start") or "1"
        number = int(start) if start.strip().lstrip("-").isdigit() else 1
        for child in _children(node):
            if child.tag != "li":
                continue
            pieces: list = []
            nested: list[LexborNode] = []
            for part in _children(child):
                if part.tag in ("ul", "ol"):
                    nested.append(part)
                elif part.tag in ("p", "div"):
                    if pieces:
                        pieces.append(Run("\n"))
                    self.inline(part, Run(""), pieces)
                elif part.tag == "-text":
                    pieces.append(Run(part.text_content or ""))
                elif part.tag not in _SKIPPED:
                    self.inline_node(part, pieces)
            pieces = self.normalise(pieces)
            images += [p for p in pieces if isinstance(p, _Image)]
            runs = tuple(p for p in pieces if isinstance(p, Run))
            out.append(ListItem(runs, level, ordered, number))
            number += 1
            for sub in nested:
                if level < MAX_DEPTH:
                    self.list_items(sub, level + 1, out, images)

    def inline_node(self, node: LexborNode, out: list) -> None:
        """``node`` itself read inline (its own formatting applies), as :meth:`inline` reads a child."""
        self.inline_child(node, Run(""), out, 0)

    def table(self, node: LexborNode) -> None:
        rows: list[tuple[Cell, ...]] = []
        images: list[_Image] = []
        for tr in _rows(node):
            cells = []
            for cell in _children(tr):
                if cell.tag not in ("td", "th"):
                    continue
                runs, found = self.runs_of(cell, Run("", bold=cell.tag == "th"))
                images += found
                cells.append(Cell(tuple(runs), cell.tag == "th", _span(cell, "colspan"), _span(cell, "rowspan"),
                                  (cell.attributes.get("align") or "").strip().lower()))
            if cells:
                rows.append(tuple(cells))
        if rows:
            self.blocks.append(Table(tuple(rows)))
        self.add_photos(images)

    def block(self, node: LexborNode, quote: bool, depth: int) -> None:
        tag = node.tag
        classes = (node.attributes.get("class") or "").split() if tag and not tag.startswith("-") else []
        if tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
            runs, images = self.runs_of(node)
            if plain(runs).strip():
                if quote:
                    self.blocks.append(Paragraph(tuple(replace(r, bold=True) for r in runs), True))
                else:
                    self.blocks.append(Heading(int(tag[1]), 0, tuple(runs)))
            self.add_photos(images)
        elif tag in ("p", "dd", "figcaption"):
            self.paragraph(node, quote, bold="admonition-title" in classes)
        elif tag in ("dt", "summary"):
            self.paragraph(node, quote, bold=True)
        elif tag in ("ul", "ol"):
            items: list[ListItem] = []
            images: list[_Image] = []
            self.list_items(node, 0, items, images)
            if items:
                self.blocks.append(ListBlock(tuple(items)))
            self.add_photos(images)
        elif tag == "table":
            self.table(node)
        elif tag == "pre":
            text = node.text(deep=True).rstrip("\n")
            if text.strip():
                self.blocks.append(Code(text))
        elif tag == "hr":
            self.blocks.append(Rule())
        elif tag == "figure":
            self.figure(node, quote)
        elif tag in _CONTAINERS:
            inner = quote or tag in _QUOTES or "admonition" in classes
            if depth > MAX_DEPTH:
                self.flush([Run(node.text(deep=True))], inner)
            else:
                self.container(node, inner, depth + 1)

    def figure(self, node: LexborNode, quote: bool) -> None:
        captions = [c for c in _children(node) if c.tag == "figcaption"]
        caption = _SPACE.sub(" ", captions[0].text(deep=True)).strip() if captions else ""
        pieces: list = []
        for child in _children(node):
            if child.tag == "-text":
                pieces.append(Run(child.text_content or ""))
            elif child.tag != "figcaption" and child.tag not in _SKIPPED:
                self.inline_node(child, pieces)
        images = [p for p in pieces if isinstance(p, _Image)]
        runs = [p for p in self.normalise(pieces) if isinstance(p, Run)]
        self.flush(runs, quote)
        for index, image in enumerate(images):
            photo = self.photo(image, caption if index == len(images) - 1 else "")
            if photo is not None:
                self.blocks.append(photo)
        if caption and not images:
            self.flush([Run(caption)], quote)

    def container(self, node: LexborNode, quote: bool, depth: int) -> None:
        """Block children in order; loose inline content between them is a paragraph of its own."""
        loose: list = []

        def flush_loose():
            nonlocal loose
            if loose:
                self.loose(loose, quote)
                loose = []

        for child in _children(node):
            tag = child.tag
            if tag in _SKIPPED:
                continue
            if tag in _BLOCKS:
                flush_loose()
                self.block(child, quote, depth)
            elif tag == "-text":
                loose.append(Run(child.text_content or ""))
            else:
                self.inline_node(child, loose)
        flush_loose()

    def loose(self, pieces: list, quote: bool) -> None:
        """Inline ``pieces`` as paragraphs: each picture among them ends one and follows it as a photo block."""
        current: list[Run] = []
        for piece in self.normalise(pieces):
            if isinstance(piece, _Image):
                self.flush(current, quote)
                current = []
                photo = self.photo(piece)
                if photo is not None:
                    self.blocks.append(photo)
            else:
                current.append(piece)
        self.flush(current, quote)


def _rows(table: LexborNode) -> list[LexborNode]:
    """The rows of ``table`` itself (a table nested in a cell is read as that cell's text)."""
    rows = []
    for child in _children(table):
        if child.tag == "tr":
            rows.append(child)
        elif child.tag in ("thead", "tbody", "tfoot"):
            rows += [row for row in _children(child) if row.tag == "tr"]
    return rows


def _span(cell: LexborNode, name: str) -> int:
    value = (cell.attributes.get(name) or "1").strip()
    return max(1, min(int(value), 100)) if value.isdigit() else 1


def _attach_captions(blocks: list[Block]) -> list[Block]:
    """A short “图为……” paragraph right under a photo is that photo's caption."""
    out: list[Block] = []
    for block in blocks:
        previous = out[-1] if out else None
        if isinstance(block, Paragraph) and not block.quote and isinstance(previous, Photo) and not previous.caption:
            text = plain(block.runs).strip()
            if CAPTION.match(text) and len(text) <= MAX_CAPTION and "\n" not in text:
                out[-1] = replace(previous, caption=text)
                continue
        out.append(block)
    return out


def _ranked(blocks: list[Block]) -> list[Block]:
    levels = sorted({b.level for b in blocks if isinstance(b, Heading)})
    rank = {level: index + 1 for index, level in enumerate(levels)}
    return [replace(b, rank=rank[b.level]) if isinstance(b, Heading) else b for b in blocks]


def read_body(html: str, page: Page, config: SiteConfig) -> ExportBody:
    """The blocks of a sanitised rendering of ``page``'s body."""
    tree = parse_fragment(html)
    reader = _Reader(page, config)
    if tree.body is not None:
        reader.container(tree.body, False, 0)
    blocks = _ranked(_attach_captions(reader.blocks))
    captions: dict[str, str] = {}
    for block in blocks:  # a photo shown twice: the first caption names its file
        if isinstance(block, Photo) and block.caption:
            captions.setdefault(block.src, block.caption)
    photos = []
    named: dict[str, str] = {}
    for photo in reader.photos.values():
        caption = captions.get(photo.src, "")
        name = photo_file_name(photo.number, photo.src, caption, photo.alt)
        named[photo.src] = name
        photos.append(replace(photo, caption=caption, file_name=name))
    blocks = [replace(b, file_name=named[b.src]) if isinstance(b, Photo) else b for b in blocks]
    return ExportBody(tuple(blocks), tuple(photos), tuple(reader.foreign), tuple(reader.links))


def page_html(page: Page, config: SiteConfig) -> str:
    """The page body as the site publishes it: the build's rendering through the sanitiser."""
    rendering = render(page.body, config.markdown)
    if rendering.problems:
        raise ExportError("这篇稿件的正文无法转换成网页（scripts/mzpress check 会说明原因），不能导出。")
    return sanitise(rendering.html, config.markdown)


def export_body(page: Page, config: SiteConfig) -> ExportBody:
    """``page``'s body as the site publishes it, read into blocks."""
    return read_body(page_html(page, config), page, config)
