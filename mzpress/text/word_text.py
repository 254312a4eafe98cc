"""The text of a Word (.docx) file, paragraph by paragraph, with where each one is and what holds it.

Used by the attachment check (to find identifiers and say where) and by ``mzpress mask`` (to
rewrite them in place). Word splits a paragraph into runs at arbitrary points (spell check,
revision marks), so an ID number may be spread over several ``<w:t>`` elements; a
``WordParagraph`` keeps the list of text-holding elements and rewrites them from a new
paragraph text of the same length, character for character.

Developer notes:
* Covered: body paragraphs, tables (nested tables reported at the outer cell), content
  controls, text boxes, tracked deletions (``w:delText``: still inside the file), field codes,
  headers, footers, footnotes, endnotes and comments. Word stores each text box twice (the
  drawing and an ``mc:Fallback`` copy): the copy is read only when its text differs, so one
  leak is one finding, but ``paragraphs(every_copy=True)`` (for masking) rewrites both.
* Locations are for people: ``第3段``, ``第1个表格第2行第3列`` (columns counted on the table
  grid, so merged cells keep their column), ``页眉``, ``页脚``, ``脚注``, ``尾注``, ``批注``.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from lxml import etree

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
W_P, W_T, W_TBL, W_TR, W_TC = W + "p", W + "t", W + "tbl", W + "tr", W + "tc"
W_DEL_TEXT, W_INSTR_TEXT = W + "delText", W + "instrText"
W_TAB, W_BR, W_CR, W_NB_HYPHEN = W + "tab", W + "br", W + "cr", W + "noBreakHyphen"
W_TXBX = W + "txbxContent"
W_TC_PR, W_GRID_SPAN, W_VAL = W + "tcPr", W + "gridSpan", W + "val"
MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"

_TEXT_TAGS = (W_T, W_DEL_TEXT, W_INSTR_TEXT)
_BREAK_TEXT = {W_TAB: "\t", W_BR: "\n", W_CR: "\n", W_NB_HYPHEN: "-"}

# Parts holding text besides the main document, by the end of their content type.
_OTHER_PARTS = (
    ("header+xml", "页眉"),
    ("footer+xml", "页脚"),
    ("footnotes+xml", "脚注"),
    ("endnotes+xml", "尾注"),
    ("comments+xml", "批注"),
)


@dataclass
class WordParagraph:
    """One paragraph: its text (tabs and breaks as ``\\t``/``\\n``) and the elements holding it."""

    where: str
    element: etree._Element
    segments: list[tuple[etree._Element | None, str]] = field(repr=False)
    cell: tuple[etree._Element, int, int] | None = None  # (innermost table, row, grid column), 1-based

    @property
    def text(self) -> str:
        return "".join(text for _, text in self.segments)

    def replace_text(self, new_text: str) -> bool:
        """Write ``new_text`` (same length as ``text``) back into the elements; True if anything changed."""
        if len(new_text) != len(self.text):
            raise ValueError("replacement must keep the paragraph length")
        changed = False
        offset = 0
        updated = []
        for element, old in self.segments:
            new = new_text[offset:offset + len(old)]
            offset += len(old)
            if element is not None and new != old:
                element.text = new
                changed = True
                updated.append((element, new))
            else:
                updated.append((element, old))
        self.segments = updated
        return changed


def _nearest(element: etree._Element, *tags: str) -> etree._Element | None:
    for ancestor in element.iterancestors():
        if ancestor.tag in tags:
            return ancestor
    return None


def _in_fallback(element: etree._Element) -> bool:
    return any(a.tag == MC_FALLBACK for a in element.iterancestors())


def _segments(paragraph: etree._Element) -> list[tuple[etree._Element | None, str]]:
    """Text-holding elements whose own paragraph is ``paragraph`` (not a nested text box)."""
    segments: list[tuple[etree._Element | None, str]] = []
    for el in paragraph.iter(*_TEXT_TAGS, *_BREAK_TEXT):
        if _nearest(el, W_P) is not paragraph:
            continue
        if el.tag in _BREAK_TEXT:
            segments.append((None, _BREAK_TEXT[el.tag]))
        elif el.tag == W_INSTR_TEXT:  # a field code: keep it apart from the shown text
            segments += [(None, "\n"), (el, el.text or ""), (None, "\n")]
        else:
            segments.append((el, el.text or ""))
    return segments


def table_rows(table: etree._Element) -> list[list[tuple[int, etree._Element]]]:
    """The rows of ``table`` (not of nested tables): each a list of (1-based grid column, ``w:tc``)."""
    rows = []
    for tr in table.iter(W_TR):
        if _nearest(tr, W_TBL) is not table:
            continue
        cells = []
        column = 1
        for tc in tr.iter(W_TC):
            if _nearest(tc, W_TR) is not tr:
                continue
            cells.append((column, tc))
            span = tc.find(f"{W_TC_PR}/{W_GRID_SPAN}")
            try:
                column += int(span.get(W_VAL)) if span is not None else 1
            except (TypeError, ValueError):
                column += 1
        rows.append(cells)
    return rows


def cell_text(tc: etree._Element) -> str:
    return "\n".join("".join(t for _, t in _segments(p)) for p in tc.iter(W_P) if not _in_fallback(p))


def _cell_position(p: etree._Element, row_index: dict) -> tuple[etree._Element, int, int] | None:
    tc = _nearest(p, W_TC)
    if tc is None:
        return None
    return row_index.get(tc)


def _paragraphs_of_block(block: etree._Element, where: str, row_index: dict,
                         every_copy: bool) -> Iterator[WordParagraph]:
    """Paragraphs in ``block``; a text box's ``mc:Fallback`` copy only when it says something else
    (or with ``every_copy``, for rewriting: the copy must be masked too)."""
    seen: set[str] = set()
    fallbacks = []
    for p in block.iter(W_P):
        if _in_fallback(p):
            fallbacks.append(p)
            continue
        here = where
        if p is not block and block.tag == W_P and _nearest(p, W_TXBX) is not None:
            here = f"{where}的文本框"
        paragraph = WordParagraph(here, p, _segments(p), _cell_position(p, row_index))
        seen.add(paragraph.text)
        yield paragraph
    for p in fallbacks:
        here = f"{where}的文本框" if block.tag == W_P else where
        paragraph = WordParagraph(here, p, _segments(p), _cell_position(p, row_index))
        if every_copy or paragraph.text not in seen:
            yield paragraph


def _index_cells(root: etree._Element) -> dict:
    """For every table cell under ``root``: (its table, row, grid column)."""
    index = {}
    for table in root.iter(W_TBL):
        for r, cells in enumerate(table_rows(table), start=1):
            for column, tc in cells:
                index[tc] = (table, r, column)
    return index


class WordText:
    """All paragraphs of an opened python-docx ``Document``; call ``commit()`` after rewriting."""

    def __init__(self, document):
        self.document = document
        self._blob_roots: list[tuple[object, etree._Element]] = []

    def _walk_body(self, container, counters: dict, row_index: dict, every_copy: bool) -> Iterator[WordParagraph]:
        for child in container:
            if child.tag == W_P:
                counters["p"] += 1
                yield from _paragraphs_of_block(child, f"第{counters['p']}段", row_index, every_copy)
            elif child.tag == W_TBL:
                counters["tbl"] += 1
                number = counters["tbl"]
                for r, cells in enumerate(table_rows(child), start=1):
                    for column, tc in cells:
                        yield from _paragraphs_of_block(
                            tc, f"第{number}个表格第{r}行第{column}列", row_index, every_copy)
            else:  # content controls, custom XML and other wrappers
                yield from self._walk_body(child, counters, row_index, every_copy)

    def paragraphs(self, every_copy: bool = False) -> Iterator[WordParagraph]:
        """Every paragraph once; ``every_copy`` adds text boxes' fallback copies (for rewriting).

        Call once per opened document, then ``commit()``."""
        self._blob_roots = []
        body = self.document.element.body
        row_index = _index_cells(body)
        yield from self._walk_body(body, {"p": 0, "tbl": 0}, row_index, every_copy)
        for part in self.document.part.package.iter_parts():
            label = next((name for end, name in _OTHER_PARTS if part.content_type.endswith(end)), None)
            if label is None:
                continue
            root = getattr(part, "element", None)
            if root is None:  # python-docx keeps footnotes and endnotes as bytes
                root = etree.fromstring(part.blob)
                self._blob_roots.append((part, root))
            yield from _paragraphs_of_block(root, label, _index_cells(root), every_copy)

    def tables(self) -> Iterator[etree._Element]:
        """Every table in the main document, nested ones included."""
        yield from self.document.element.body.iter(W_TBL)

    def commit(self) -> None:
        """Write back parts that python-docx holds only as bytes."""
        for part, root in self._blob_roots:
            part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
