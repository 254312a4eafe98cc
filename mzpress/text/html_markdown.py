"""Markdown from the small, regular HTML that mammoth writes for a Word document.

mammoth reads the .docx (styles, numbering, tables, images); its own Markdown writer
drops tables, so we take its HTML and write Markdown here. Only what mammoth emits is
handled: ``h1``-``h6``, ``p``, ``ul``/``ol``/``li``, ``table`` rows and cells (with
``colspan``/``rowspan``), ``strong``/``b``, ``em``/``i``, ``a``, ``img``, ``br`` and
inline wrappers whose text is kept (``sup``, ``sub``, ``s``, ``u``, ``span``).

Hyperlink targets are Word's, which the writer does not see: only ``http``, ``https`` and
``mailto`` targets are kept, percent-encoded down to a strict set of URL characters
(:func:`link_target`); any other target (``javascript:``, ``data:``, ``file:``, a path on the
writer's computer, one holding a line break or another invisible character) loses its link, its
text is kept, and the caller is told (:class:`DroppedLink`).

Footnotes and endnotes (mammoth: a ``<sup><a href="#footnote-1">[1]</a></sup>`` reference and an
``<ol>`` of ``<li id="footnote-1">`` notes at the end) become Markdown footnotes (``[^1]`` and a
``[^1]:`` definition after the body, its text indented on the lines under it, numbered in order of reference; the ``footnotes`` extension
renders them); a reference to a note without text is dropped.

A table inside a table cell is flattened into that cell's text (its rows separated by “；”);
the caller can tell the writer (:func:`has_nested_table`).

Tables whose rows all have the same cells, each holding one paragraph, become pipe
tables; anything more complex (merged cells, several paragraphs or a list in a cell)
stays a raw HTML table of plain text (``table thead tbody tr th td`` only), with the
cell images placed after it so none is lost.
"""

from __future__ import annotations

import html
import re
import string
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from html.parser import HTMLParser

VOID_TAGS = frozenset({"img", "br", "hr"})
HEADINGS = {f"h{n}": n for n in range(1, 7)}
BLOCK_TAGS = frozenset({"p", "ul", "ol", "li", "table", "thead", "tbody", "tr", "th", "td", "blockquote",
                        "hr", *HEADINGS})
_LINE_BREAK = "\n"

LIST_SEPARATOR = "<!-- -->"
_LIST_START = re.compile(r"^(?:- |\d+\. )")

ImageRenderer = Callable[[str, str], str]
"""``(src, alt) -> Markdown`` for one image."""


@dataclass
class Element:
    tag: str
    attrs: dict[str, str] = field(default_factory=dict)
    children: list[Element | str] = field(default_factory=list)


class _TreeBuilder(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = Element("#root")
        self.stack = [self.root]

    def handle_starttag(self, tag, attrs):
        element = Element(tag, {k: (v or "") for k, v in attrs})
        self.stack[-1].children.append(element)
        if tag not in VOID_TAGS:
            self.stack.append(element)

    def handle_startendtag(self, tag, attrs):
        self.stack[-1].children.append(Element(tag, {k: (v or "") for k, v in attrs}))

    def handle_endtag(self, tag):
        for index in range(len(self.stack) - 1, 0, -1):
            if self.stack[index].tag == tag:
                del self.stack[index:]
                return

    def handle_data(self, data):
        self.stack[-1].children.append(data)


def parse_html(markup: str) -> list[Element | str]:
    builder = _TreeBuilder()
    builder.feed(markup)
    builder.close()
    return builder.root.children


_NOTE_ID = re.compile(r"^(?:foot|end)note-\d+$")
_NOTE_HREF = re.compile(r"^#((?:foot|end)note-\d+)$")
_NOTE_BACK_LINK = re.compile(r"^#(?:foot|end)note-ref-\d+$")


def note_reference(node: Element) -> str:
    """The note id (``footnote-1``, ``endnote-2``) ``node`` refers to when it is a note reference, else ""."""
    if node.tag != "a":
        return ""
    match = _NOTE_HREF.match(node.attrs.get("href", "").strip())
    return match.group(1) if match else ""


def is_note_list(node: Element | str) -> bool:
    """Whether ``node`` is mammoth's list of footnotes and endnotes (every item a note)."""
    if not isinstance(node, Element) or node.tag != "ol":
        return False
    items = [c for c in node.children if isinstance(c, Element)]
    return bool(items) and all(c.tag == "li" and _NOTE_ID.match(c.attrs.get("id", "")) for c in items)


def text_content(node: Element | str) -> str:
    """The text of ``node``; note reference marks (“[1]”) and a note's back-link (“↑”) are not text."""
    if isinstance(node, str):
        return node
    if node.tag == "br":
        return " "
    if note_reference(node) or (node.tag == "a" and _NOTE_BACK_LINK.match(node.attrs.get("href", "").strip())):
        return ""
    return "".join(text_content(child) for child in node.children)


def clean_text(text: str) -> str:
    """Whitespace as a title or summary wants it: single spaces, no indentation."""
    return re.sub(r"[ \t\r\n\u00a0\u3000]+", " ", text).strip()


def iter_elements(nodes: list[Element | str]):
    for node in nodes:
        if isinstance(node, Element):
            yield node
            yield from iter_elements(node.children)


# --- escaping -------------------------------------------------------------------------------

# ``{`` too: attr_list reads “{onclick=…}” after an inline element (and “{: …}” ending a heading or a
# paragraph's last line) as HTML attributes.
_INLINE_SPECIAL = re.compile(r"([\\`*_\[\]{])")
_LINE_START = re.compile(r"^(#|>|[-+](?=\s)|=+\s*$|!(?=!!))")  # “!!! note” is an admonition
_ORDERED_START = re.compile(r"^(\d+)([.)])(?=\s)")


_ENTITY_LIKE = re.compile(r"&(?=#?[A-Za-z0-9]+;)")
_TAG_LIKE = re.compile(r"<(?=[A-Za-z/!?])")


def escape_text(text: str) -> str:
    """Text that Markdown shows as typed (no emphasis, links, entities or HTML tags)."""
    text = _INLINE_SPECIAL.sub(r"\\\1", text)
    return _TAG_LIKE.sub("&lt;", _ENTITY_LIKE.sub("&amp;", text))


def _escape_line_start(text: str) -> str:
    text = _LINE_START.sub(r"\\\1", text, count=1)
    return _ORDERED_START.sub(r"\1\\\2", text, count=1)


def _tidy(text: str) -> str:
    text = text.replace("\t", " ").replace("\u00a0", " ")
    return re.sub(r" {2,}", " ", text)


# --- link targets ---------------------------------------------------------------------------

LINK_SCHEMES = ("http", "https", "mailto")
# Kept as they are in a link target: unreserved and reserved URL characters that cannot end a
# Markdown link (no parentheses, brackets, quotes, backslash, backtick, braces, angle brackets, "*").
_URL_CHARACTERS = frozenset(string.ascii_letters + string.digits + "-._~:/?#@!$&+,;=")
_PERCENT_ESCAPE = re.compile(r"%[0-9A-Fa-f]{2}")
_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*):")
_WEB_ADDRESS = re.compile(r"^https?://[^/?#]+", re.IGNORECASE)

# Why a target was refused (DroppedLink.reason).
INVISIBLE = "invisible"  # a line break, tab, control, format (zero-width, bidi) or non-ASCII space character
OTHER_SCHEME = "scheme"  # javascript:, data:, file:, vbscript:, ...
NOT_ADDRESS = "relative"  # no scheme: a relative path, a file on the writer's computer
NO_HOST = "host"  # http(s) without "//host", mailto: without an address
IN_HTML_TABLE = "table"  # inside a table kept as plain HTML (merged cells), which holds text only


@dataclass(frozen=True)
class DroppedLink:
    """A hyperlink whose text was kept without its link, and why (one of the reasons above)."""

    text: str  # the link's visible text, on one line
    reason: str
    scheme: str = ""  # OTHER_SCHEME: the scheme written, lower case (letters, digits, "+.-" only)


def _invisible(char: str) -> bool:
    category = unicodedata.category(char)
    return category in ("Cc", "Cf", "Co", "Cs", "Cn", "Zl", "Zp") or (category == "Zs" and char != " ")


def percent_encode(target: str) -> str:
    """``target`` with every character outside the URL set percent-encoded (UTF-8), valid ``%XX`` kept."""
    out = []
    index = 0
    while index < len(target):
        char = target[index]
        if char == "%" and _PERCENT_ESCAPE.match(target, index):
            out.append(target[index:index + 3])
            index += 3
            continue
        out.append(char if char in _URL_CHARACTERS else "".join(f"%{b:02X}" for b in char.encode("utf-8")))
        index += 1
    return "".join(out)


def link_target(href: str) -> tuple[str | None, str, str]:
    """``(target, "", "")`` for a hyperlink target a page may carry, or ``(None, reason, scheme)``.

    Only ``http://host…``, ``https://host…`` and ``mailto:…`` are kept: surrounding spaces removed,
    the scheme in lower case, everything but plain URL characters percent-encoded (an inner space
    becomes ``%20``; a quote, ``<``, ``>``, a parenthesis or a bracket cannot end the link or start
    HTML). A target holding any other whitespace or an invisible character is refused whole:
    nobody could see it in Word, so nobody checked it.
    """
    target = href.strip(" ")
    if any(_invisible(char) for char in target):
        return None, INVISIBLE, ""
    match = _SCHEME.match(target)
    if match is None or len(match.group(1)) == 1:  # "C:\\..." is a path on the writer's computer
        return None, NOT_ADDRESS, ""
    scheme = match.group(1).lower()
    if scheme not in LINK_SCHEMES:
        return None, OTHER_SCHEME, scheme
    target = scheme + target[len(scheme):]
    addressed = len(target) > len("mailto:") if scheme == "mailto" else _WEB_ADDRESS.match(target) is not None
    if not addressed:
        return None, NO_HOST, scheme
    return percent_encode(target), "", ""


def _link_text(node: Element) -> str:
    text = clean_text(text_content(node))
    return text if len(text) <= 40 else text[:40] + "……"


# --- inline ---------------------------------------------------------------------------------

@dataclass
class _Inline:
    image: ImageRenderer
    strong: bool = False
    emphasis: bool = False
    plain: bool = False  # headings: no bold markers
    dropped: list[DroppedLink] = field(default_factory=list)  # links kept as text only
    notes: dict[str, str] = field(default_factory=dict)  # note id -> footnote label, in order of reference
    noted: frozenset[str] = frozenset()  # the note ids that have text

    def render(self, nodes: list[Element | str]) -> str:
        return "".join(self.node(node) for node in nodes)

    def node(self, node: Element | str) -> str:
        if isinstance(node, str):
            return escape_text(_tidy(node.replace("\n", " ")))
        tag = node.tag
        if tag == "br":
            return _LINE_BREAK
        if tag == "img":
            return self.image(node.attrs.get("src", ""), node.attrs.get("alt", ""))
        if tag in ("strong", "b"):
            if self.strong or self.plain:
                return self.render(node.children)
            return _wrap(replace(self, strong=True).render(node.children), "**")
        if tag in ("em", "i"):
            if self.emphasis or self.plain:
                return self.render(node.children)
            return _wrap(replace(self, emphasis=True).render(node.children), "*")
        if tag == "a":
            href = node.attrs.get("href", "").strip()
            if re.match(r"^#(?:foot|end)note-ref-", href):
                return ""  # mammoth's back-link from a note to its reference
            note = note_reference(node)
            if note:
                if note not in self.noted:
                    return ""  # a note without text
                label = self.notes.setdefault(note, str(len(self.notes) + 1))
                return f"[^{label}]"
            inner = self.render(node.children)
            if not href or href.startswith("#") or not inner.strip():
                return inner  # a bookmark inside the document (a table of contents), or nothing to click
            target, reason, scheme = link_target(href)
            if target is None:
                self.dropped.append(DroppedLink(_link_text(node), reason, scheme))
                return inner
            return f"[{inner}]({target})"
        return self.render(node.children)


def _wrap(inner: str, marker: str) -> str:
    """``**text**`` around each line of ``inner``, whitespace kept outside the markers."""
    pieces = []
    for piece in inner.split(_LINE_BREAK):
        stripped = piece.strip()
        if not stripped:
            pieces.append(piece)
            continue
        lead = piece[: len(piece) - len(piece.lstrip())]
        trail = piece[len(piece.rstrip()):]
        pieces.append(f"{lead}{marker}{stripped}{marker}{trail}")
    return _LINE_BREAK.join(pieces)


_SENTENCE_ENDS = ("。", "！", "？", "；", "：", "…", "”", "’", "）", "》", "!", "?", ";", ":", ")", "*")
_LABEL_LINE = re.compile(r"^[^\s，。：]{1,10}[：:]")  # 联系电话：…, 地址：…
_CJK_EDGE = re.compile(r"[\u3400-\u9fff，、（“]")


_OPEN_MARKS = ("，", "、", ",", "(", "（", "“", "‘", "《")  # a line ending in one of these goes on


def _continues_sentence(previous: str, line: str) -> bool:
    """Whether ``line`` goes on the sentence ``previous`` left open: Chinese on both sides of the break,
    or a comma (half-width too, as writers type it), an opening bracket or quote before it."""
    if previous.endswith(_SENTENCE_ENDS) or _LABEL_LINE.match(previous) or _LABEL_LINE.match(line):
        return False
    if previous.endswith(_OPEN_MARKS):
        return True
    return bool(_CJK_EDGE.match(previous[-1]) and _CJK_EDGE.match(line[0]))


def _joined(previous: str, line: str) -> str:
    """Two pieces of one sentence; a space between words of a Western language (“Hello,” + “world”)."""
    if previous.endswith(",") and len(previous) > 1 and previous[-2].isascii() and previous[-2].isalnum() \
            and line[0].isascii() and line[0].isalnum():
        return f"{previous} {line}"
    return previous + line


def _one_line(text: str) -> str:
    return re.sub(r"\s*\n\s*", " ", text).strip()


# --- blocks ---------------------------------------------------------------------------------

@dataclass
class _Blocks:
    image: ImageRenderer
    heading_shift: int = 0
    min_heading: int = 2
    dropped: list[DroppedLink] = field(default_factory=list)
    notes: dict[str, str] = field(default_factory=dict)  # note id -> label, shared by every inline run
    note_items: dict[str, Element] = field(default_factory=dict)  # note id -> its <li>

    def inline(self, nodes, plain: bool = False) -> str:
        return _Inline(self.image, plain=plain, dropped=self.dropped, notes=self.notes,
                       noted=frozenset(self.note_items)).render(nodes)

    def marked_text(self, node: Element | str) -> str:
        """The text of ``node`` for a plain-text HTML table: a note's reference as its number, “[2]”, the
        number the footnotes list shows (Markdown footnotes cannot be written inside raw HTML)."""
        if isinstance(node, str) or node.tag == "br":
            return text_content(node)
        note = note_reference(node)
        if note:
            return f"[{self.notes.setdefault(note, str(len(self.notes) + 1))}]" if note in self.note_items else ""
        if node.tag == "a" and _NOTE_BACK_LINK.match(node.attrs.get("href", "").strip()):
            return ""
        return "".join(self.marked_text(child) for child in node.children)

    def definitions(self) -> list[str]:
        """``[^label]: text`` for each note referred to, in order of reference (a note's later
        paragraphs indented under it)."""
        out: list[str] = []
        done: set[str] = set()
        while len(done) < len(self.notes):  # a note's text may refer to another note
            for note, label in list(self.notes.items()):
                if note in done:
                    continue
                done.add(note)
                paragraphs = [_one_line(p) for p in self.render(self.note_items[note].children)]
                paragraphs = [p for p in paragraphs if p]
                # the text on the lines under the label: “[^1]: text” would read as a link definition to
                # a Markdown reader that does not know footnotes (the link check: a link to “text”)
                out.append(f"[^{label}]:\n    " + "\n\n    ".join(paragraphs))
        return out

    def render(self, nodes: list[Element | str]) -> list[str]:
        blocks: list[str] = []
        loose: list[Element | str] = []  # inline content outside any block

        def flush():
            if loose:
                blocks.extend(self.paragraph(list(loose)))
                loose.clear()

        for node in nodes:
            if is_note_list(node):
                flush()  # the notes: written as footnote definitions after the body
                continue
            if isinstance(node, Element) and node.tag in BLOCK_TAGS:
                flush()
                blocks.extend(self.block(node))
            else:
                loose.append(node)
        flush()
        return blocks

    def block(self, element: Element) -> list[str]:
        tag = element.tag
        if tag in HEADINGS:
            text = _one_line(self.inline(element.children, plain=True))
            if not text:
                return []
            level = min(6, max(self.min_heading, HEADINGS[tag] + self.heading_shift))
            return [f"{'#' * level} {text}"]
        if tag == "p":
            return self.paragraph(element.children)
        if tag in ("ul", "ol"):
            lines = self.list_lines(element, 0)
            return ["\n".join(lines)] if lines else []
        if tag == "table":
            return self.table(element)
        if tag == "hr":
            return ["---"]
        return self.render(element.children)  # blockquote, stray li/tr/td: keep the content

    def paragraph(self, nodes) -> list[str]:
        """The paragraph's lines; a manual line break (Shift+Enter) inside a sentence is dropped (writers
        break lines by hand where Word wrapped them), one after a sentence or a ``标签：内容`` line is kept."""
        text = self.inline(nodes)
        lines: list[str] = []
        for line in text.split(_LINE_BREAK):
            line = line.strip(" \u3000")
            if not line:
                continue
            if lines and _continues_sentence(lines[-1], line):
                lines[-1] = _joined(lines[-1], line)
            else:
                lines.append(line)
        return [_escape_line_start(line) for line in lines]

    def list_lines(self, element: Element, depth: int) -> list[str]:
        ordered = element.tag == "ol"
        indent = "    " * depth
        lines: list[str] = []
        number = 0
        for item in element.children:
            if not isinstance(item, Element):
                continue
            if item.tag in ("ul", "ol"):  # a nested list that is not inside an item
                lines.extend(self.list_lines(item, depth + 1))
                continue
            number += 1
            pieces: list[str] = []
            nested: list[list[str]] = []
            for child in item.children:
                if isinstance(child, Element) and child.tag in ("ul", "ol"):
                    nested.append(self.list_lines(child, depth + 1))
                elif isinstance(child, Element) and child.tag == "p":
                    pieces.append(" " + self.inline(child.children) + " ")
                elif isinstance(child, Element) and child.tag in BLOCK_TAGS:
                    pieces.append(" " + escape_text(clean_text(text_content(child))) + " ")
                else:
                    pieces.append(self.inline([child]))
            text = _escape_line_start(_one_line("".join(pieces)))
            marker = f"{number}. " if ordered else "- "
            lines.append(f"{indent}{marker}{text}".rstrip())
            for sub in nested:
                lines.extend(sub)
        return lines

    # tables

    def table(self, element: Element) -> list[str]:
        rows: list[tuple[Element, bool]] = []  # (tr, in thead)
        for child in element.children:
            if not isinstance(child, Element):
                continue
            if child.tag == "tr":
                rows.append((child, False))
            elif child.tag in ("thead", "tbody", "tfoot"):
                rows.extend((tr, child.tag == "thead") for tr in child.children
                            if isinstance(tr, Element) and tr.tag == "tr")
        grid = [[_without_nested_tables(cell) for cell in tr.children
                 if isinstance(cell, Element) and cell.tag in ("td", "th")]
                for tr, _ in rows]
        grid_rows = [(cells, head) for cells, (_, head) in zip(grid, rows) if cells]
        if not grid_rows:
            return []
        if self._simple(grid_rows):
            return [self.pipe_table([cells for cells, _ in grid_rows])]
        return self.html_table(grid_rows)

    @staticmethod
    def _simple(grid_rows) -> bool:
        width = len(grid_rows[0][0])
        for cells, _ in grid_rows:
            if len(cells) != width:
                return False
            for cell in cells:
                if "colspan" in cell.attrs or "rowspan" in cell.attrs:
                    return False
                blocks = [c for c in cell.children if isinstance(c, Element) and c.tag in BLOCK_TAGS]
                if len(blocks) > 1 or any(b.tag != "p" for b in blocks):
                    return False
                if blocks and any(isinstance(b, Element) and b.tag == "br" for b in iter_elements(blocks)):
                    return False
        return True

    def pipe_table(self, grid: list[list[Element]]) -> str:
        def cell_text(cell: Element) -> str:
            nodes = cell.children
            if len(nodes) == 1 and isinstance(nodes[0], Element) and nodes[0].tag == "p":
                nodes = nodes[0].children
            return _one_line(self.inline(nodes)).replace("|", "\\|") or " "

        lines = ["| " + " | ".join(cell_text(c) for c in row) + " |" for row in grid]
        lines.insert(1, "| " + " | ".join("---" for _ in grid[0]) + " |")
        return "\n".join(lines)

    def html_table(self, grid_rows) -> list[str]:
        images: list[str] = []
        out = ["<table>"]
        head = [cells for cells, is_head in grid_rows if is_head]
        body = [cells for cells, is_head in grid_rows if not is_head]

        def row_html(cells: list[Element], cell_tag: str) -> str:
            parts = []
            for cell in cells:
                attrs = "".join(f' {name}="{int(cell.attrs[name])}"' for name in ("colspan", "rowspan")
                                if cell.attrs.get(name, "").isdigit())
                tag = "th" if cell.tag == "th" or cell_tag == "th" else "td"
                text = clean_text(" ".join(self.marked_text(b) for b in _cell_paragraphs(cell)))
                parts.append(f"<{tag}{attrs}>{html.escape(text, quote=False)}</{tag}>")
                self.dropped.extend(DroppedLink(_link_text(a), IN_HTML_TABLE) for a in iter_elements(cell.children)
                                    if a.tag == "a" and not a.attrs.get("href", "#").strip().startswith("#")
                                    and a.attrs["href"].strip() and _link_text(a))
                images.extend(self.image(img.attrs.get("src", ""), img.attrs.get("alt", ""))
                              for img in iter_elements(cell.children) if img.tag == "img")
            return "<tr>" + "".join(parts) + "</tr>"

        if head:
            out.append("<thead>")
            out.extend(row_html(cells, "th") for cells in head)
            out.append("</thead>")
            out.append("<tbody>")
        out.extend(row_html(cells, "td") for cells in body)
        if head:
            out.append("</tbody>")
        out.append("</table>")
        return ["\n".join(out), *images]


def has_nested_table(nodes: list[Element | str]) -> bool:
    """Whether a table in ``nodes`` holds another table in one of its cells."""
    return any(e.tag == "table" and any(inner.tag == "table" for inner in iter_elements(e.children))
               for e in iter_elements(nodes))


def _inline_pieces(nodes: list[Element | str]) -> list[list[Element | str]]:
    """The inline content of each paragraph-like piece of ``nodes`` (a nested table: one piece per row)."""
    pieces: list[list[Element | str]] = []
    loose: list[Element | str] = []
    for node in nodes:
        if isinstance(node, Element) and node.tag == "table":
            pieces.extend(_table_rows_inline(node))
        elif isinstance(node, Element) and node.tag in BLOCK_TAGS:
            pieces.extend(_inline_pieces(node.children))
        else:
            loose.append(node)
    if any(clean_text(text_content(n)) or (isinstance(n, Element) and n.tag == "img") for n in loose):
        pieces.insert(0, loose)
    return [piece for piece in pieces if piece]


def _table_rows_inline(table: Element) -> list[list[Element | str]]:
    """Each row of ``table`` as one run of inline content: its cells' pieces separated by spaces."""
    rows = []
    for tr in (e for e in iter_elements(table.children) if e.tag == "tr"):
        if not any(c is tr for c in _own_rows(table)):
            continue
        row: list[Element | str] = []
        for cell in tr.children:
            if isinstance(cell, Element) and cell.tag in ("td", "th"):
                for piece in _inline_pieces(cell.children):
                    if row:
                        row.append(" ")
                    row.extend(piece)
        if row:
            rows.append(row)
    return rows


def _own_rows(table: Element) -> list[Element]:
    rows = []
    for child in table.children:
        if isinstance(child, Element) and child.tag == "tr":
            rows.append(child)
        elif isinstance(child, Element) and child.tag in ("thead", "tbody", "tfoot"):
            rows.extend(tr for tr in child.children if isinstance(tr, Element) and tr.tag == "tr")
    return rows


def _without_nested_tables(cell: Element) -> Element:
    """``cell`` itself, or, when it holds a table, one paragraph of its text: the nested table flattened
    (its rows separated by “；”, its cells by spaces), images and links kept."""
    if not any(e.tag == "table" for e in iter_elements(cell.children)):
        return cell
    joined: list[Element | str] = []
    for piece in _inline_pieces(cell.children):
        if joined:
            joined.append("；")
        joined.extend(piece)
    return Element(cell.tag, dict(cell.attrs), [Element("p", {}, joined)])


def _cell_paragraphs(cell: Element) -> list[Element | str]:
    """Each paragraph-like piece of a cell, so their texts can be joined with spaces."""
    pieces: list[Element | str] = []
    for child in cell.children:
        if isinstance(child, Element) and child.tag in ("ul", "ol", "table", "li", "tr", "td", "th"):
            pieces.extend(_cell_paragraphs(child))
        else:
            pieces.append(child)
    return pieces


def render_markdown(nodes: list[Element | str], image: ImageRenderer, heading_shift: int = 0,
                    min_heading: int = 2, dropped_links: list[DroppedLink] | None = None) -> str:
    """Markdown for parsed mammoth HTML; headings shifted by ``heading_shift``, never above ``min_heading``.

    Each hyperlink kept as text only is appended to ``dropped_links`` (when given), in document order.
    """
    renderer = _Blocks(image, heading_shift, min_heading)
    for note_list in (n for n in iter_elements(nodes) if is_note_list(n)):
        for item in note_list.children:
            if isinstance(item, Element) and clean_text(text_content(item)):
                renderer.note_items[item.attrs["id"]] = item
    blocks = [b for b in renderer.render(nodes) if b.strip()]
    blocks += renderer.definitions()
    if dropped_links is not None:
        dropped_links.extend(renderer.dropped)
    separated: list[str] = []
    for block in blocks:
        if separated and _LIST_START.match(separated[-1]) and _LIST_START.match(block):
            separated.append(LIST_SEPARATOR)  # Python-Markdown would merge two adjacent lists into one
        separated.append(block)
    return "\n\n".join(separated) + "\n"
