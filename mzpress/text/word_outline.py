"""The outline of a Word/WPS document as its writer sees it: the visible title and the headings.

Bureau writers rarely use Word's heading styles. They mark sections with bold numbered
paragraphs in the body style (“一、主要做法”, “（一）……”, “1. ……”, “（1）……”, the levels of the
党政机关公文 convention), set an outline level on a plain paragraph (WPS: 段落 → 大纲级别), and
make the title a bold, centred or larger first line. :func:`mark_outline` finds these in
``word/document.xml`` and gives each such paragraph a paragraph style of its own, so that the
mammoth style map (:data:`STYLE_MAP`) turns them into ``h1``-``h6`` and the title into
``h1.mzpress-title``. Nothing else in the document changes.

Developer notes:
* A heading style (``heading N`` / ``标题 N``) or an outline level (on the paragraph or inherited
  through its style's ``basedOn`` chain) gives the level directly: outline level 0 is ``h1``.
* A pseudo-heading is a body-level paragraph of at most :data:`MAX_PSEUDO_HEADING` characters whose
  every text run is bold (or, as GB/T 9704 sets them, entirely in 黑体 or 楷体 over a body in another
  font) and whose text starts with a numbering of :data:`NUMBERINGS`. Its level
  comes from a real heading with the same kind of numbering, else from the order of the convention,
  below the deepest real heading (``h2`` and down when there is none).
* Word's automatic numbering (WPS 编号, e.g. “一、” from ``numbering.xml``) counts as the paragraph's text
  for these rules; a paragraph that becomes a heading gets its number written into its text and
  loses the numbering, so the heading reads as in Word instead of becoming a list item. Numbering
  set on a style and ``lvlOverride`` restarts are not followed.
* The visible title is the first paragraph with text when it is a title or level-1 heading, or
  is entirely bold, centred, or at least 2 points larger than the body text; and reads like a
  title (not numbered, not a sentence ending in “。”, at most :data:`MAX_TITLE` characters).
"""

from __future__ import annotations

import io
import re
import zipfile
from collections import Counter
from dataclasses import dataclass, field

from lxml import etree

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_P, _R, _T, _PPR, _RPR = W + "p", W + "r", W + "t", W + "pPr", W + "rPr"
_VAL = W + "val"
_DOCUMENT, _STYLES, _NUMBERING = "word/document.xml", "word/styles.xml", "word/numbering.xml"

MAX_PSEUDO_HEADING = 40
MAX_TITLE = 80
TITLE_CLASS = "mzpress-title"
_HEADING_STYLE = "MzpressHeading{}"
_TITLE_STYLE = "MzpressTitle"
STYLE_MAP = "\n".join([
    "p[style-name='Title'] => h1:fresh",
    "p[style-name='标题'] => h1:fresh",
    f"p[style-name='mzpress title'] => h1.{TITLE_CLASS}:fresh",
    *(f"p[style-name='mzpress heading {n}'] => h{n}:fresh" for n in range(1, 7)),
])

# The numbering of section headings in Chinese official documents, in the order of their levels.
NUMBERINGS = (
    re.compile(r"^[一二三四五六七八九十百零〇]+[、，．.]"),
    re.compile(r"^[（(][一二三四五六七八九十百零〇]+[）)]"),
    re.compile(r"^\d{1,2}(?:[、．]|\.(?!\d))"),
    re.compile(r"^[（(]\d{1,2}[）)]"),
)
_HEADING_NAME = re.compile(r"^(?:heading|标题)\s*([1-9])$", re.IGNORECASE)
_TITLE_NAMES = {"title", "标题"}
_FALSE = {"0", "false", "off", "none"}
_BODY_CONTAINERS = {W + "sdt", W + "sdtContent", W + "customXml", W + "smartTag"}
_HEADING_FONTS = re.compile(r"黑体|楷体|SimHei|KaiTi|Heiti|Kaiti", re.IGNORECASE)
_LARGER = 4  # half-points: a title is at least 2 pt larger than the body text
# A writer's file: no entities expanded, nothing fetched.
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True)


@dataclass
class _Style:
    name: str = ""
    based_on: str | None = None
    outline: int | None = None
    bold: bool | None = None
    center: bool | None = None
    size: int | None = None
    font: str | None = None


@dataclass(frozen=True)
class _Run:
    text: str
    bold: bool
    size: int | None  # half-points
    font: str  # the East Asian font (黑体, 仿宋_GB2312 ...), else the Latin one


@dataclass
class MarkedDocument:
    """The document with its title and headings marked for mammoth, and what was found."""

    data: bytes
    visible_title: str = ""
    headings: list[tuple[int, str]] = field(default_factory=list)  # (level, text) of every marked heading


def numbering_rank(text: str) -> int | None:
    """0 for “一、”, 1 for “（一）”, 2 for “1.”, 3 for “（1）”; None for text that is not numbered."""
    for rank, pattern in enumerate(NUMBERINGS):
        if pattern.match(text):
            return rank
    return None


def _on(element) -> bool | None:
    if element is None:
        return None
    return str(element.get(_VAL, "true")).lower() not in _FALSE


def _int(element) -> int | None:
    try:
        return int(element.get(_VAL)) if element is not None else None
    except (TypeError, ValueError):
        return None


def _font(rpr) -> str | None:
    fonts = rpr.find(W + "rFonts") if rpr is not None else None
    if fonts is None:
        return None
    return fonts.get(W + "eastAsia") or fonts.get(W + "ascii") or fonts.get(W + "hAnsi") or None


_CHINESE_DIGITS = "〇一二三四五六七八九"
_CHINESE_FORMATS = {"chineseCounting", "chineseCountingThousand", "japaneseCounting", "taiwaneseCounting",
                    "taiwaneseCountingThousand", "koreanCounting", "ideographDigital"}


def _chinese_number(value: int) -> str:
    """一 … 九十九, as Word's chineseCounting writes them."""
    if not 0 < value < 100:
        return str(value)
    tens, ones = divmod(value, 10)
    if not tens:
        return _CHINESE_DIGITS[ones]
    return ("" if tens == 1 else _CHINESE_DIGITS[tens]) + "十" + (_CHINESE_DIGITS[ones] if ones else "")


def _format_number(value: int, number_format: str) -> str:
    if number_format in _CHINESE_FORMATS:
        return _chinese_number(value)
    if number_format == "decimalFullWidth":
        return str(value).translate({ord(d): 0xFF10 + int(d) for d in "0123456789"})
    if number_format in ("lowerLetter", "upperLetter") and 0 < value <= 26:
        letter = chr(ord("a") + value - 1)
        return letter.upper() if number_format == "upperLetter" else letter
    return str(value)


class _Numbering:
    """Word's automatic numbering (``numbering.xml``), counted in document order: the label a numbered
    paragraph shows (“一、”, “（二）”, “3.”), which is not in its text."""

    def __init__(self, xml: bytes | None):
        self.levels: dict[str, dict[int, tuple[str, str, int]]] = {}  # abstract id -> level -> (format, text, start)
        self.nums: dict[str, str] = {}  # numId -> abstract id
        self.counters: dict[str, dict[int, int]] = {}
        if not xml:
            return
        root = etree.fromstring(xml, _PARSER)
        for abstract in root.iter(W + "abstractNum"):
            levels = {}
            for lvl in abstract.iter(W + "lvl"):
                ilvl = _int_attr(lvl, W + "ilvl")
                if ilvl is None:
                    continue
                levels[ilvl] = (_child_val(lvl, W + "numFmt") or "decimal", _child_val(lvl, W + "lvlText") or "",
                                _int(lvl.find(W + "start")) or 1)
            self.levels[abstract.get(W + "abstractNumId", "")] = levels
        for num in root.iter(W + "num"):
            self.nums[num.get(W + "numId", "")] = _child_val(num, W + "abstractNumId") or ""

    def label(self, num_id: str | None, ilvl: int) -> str:
        abstract = self.nums.get(num_id or "")
        levels = self.levels.get(abstract or "", {})
        if ilvl not in levels or levels[ilvl][0] in ("bullet", "none"):
            return ""
        counters = self.counters.setdefault(abstract, {})
        counters[ilvl] = counters.get(ilvl, levels[ilvl][2] - 1) + 1
        for deeper in [level for level in counters if level > ilvl]:
            del counters[deeper]

        def value(match: re.Match) -> str:
            level = int(match.group(1)) - 1
            number_format, _, start = levels.get(level, ("decimal", "", 1))
            return _format_number(counters.get(level, start), number_format)

        return re.sub(r"%([1-9])", value, levels[ilvl][1]).strip()


def _int_attr(element, name: str) -> int | None:
    try:
        return int(element.get(name))
    except (TypeError, ValueError):
        return None


def _read_styles(xml: bytes | None) -> tuple[dict[str, _Style], _Style]:
    """Styles by id and the document defaults (run size and bold)."""
    styles: dict[str, _Style] = {}
    defaults = _Style()
    if not xml:
        return styles, defaults
    root = etree.fromstring(xml, _PARSER)
    run_defaults = root.find(f"{W}docDefaults/{W}rPrDefault/{_RPR}")
    if run_defaults is not None:
        defaults.size = _int(run_defaults.find(W + "sz"))
        defaults.bold = _on(run_defaults.find(W + "b"))
        defaults.font = _font(run_defaults)
    for node in root.iter(W + "style"):
        style_id = node.get(W + "styleId")
        if not style_id:
            continue
        name = node.find(W + "name")
        based = node.find(W + "basedOn")
        ppr, rpr = node.find(_PPR), node.find(_RPR)
        jc = ppr.find(W + "jc") if ppr is not None else None
        styles[style_id] = _Style(
            name=(name.get(_VAL) or "").strip() if name is not None else "",
            based_on=based.get(_VAL) if based is not None else None,
            outline=_int(ppr.find(W + "outlineLvl")) if ppr is not None else None,
            bold=_on(rpr.find(W + "b")) if rpr is not None else None,
            center=(jc.get(_VAL) == "center") if jc is not None else None,
            size=_int(rpr.find(W + "sz")) if rpr is not None else None,
            font=_font(rpr),
        )
    return styles, defaults


class _Styles:
    def __init__(self, xml: bytes | None):
        self.by_id, self.defaults = _read_styles(xml)

    def chain(self, style_id: str | None):
        seen = set()
        while style_id and style_id in self.by_id and style_id not in seen:
            seen.add(style_id)
            yield self.by_id[style_id]
            style_id = self.by_id[style_id].based_on

    def get(self, style_id: str | None, attribute: str):
        for style in self.chain(style_id):
            value = getattr(style, attribute)
            if value is not None:
                return value
        return None

    def name(self, style_id: str | None) -> str:
        style = self.by_id.get(style_id or "")
        return style.name if style else ""


def _child_val(parent, tag: str) -> str | None:
    node = parent.find(tag) if parent is not None else None
    return node.get(_VAL) if node is not None else None


def _own(element, paragraph) -> bool:
    """True when ``element``'s nearest paragraph is ``paragraph`` (not a text box inside it) and not deleted."""
    for ancestor in element.iterancestors():
        if ancestor.tag == W + "del":
            return False
        if ancestor.tag == _P:
            return ancestor is paragraph
    return False


class _Paragraph:
    def __init__(self, element, styles: _Styles, numbering: _Numbering):
        self.element = element
        ppr = element.find(_PPR)
        self.style = _child_val(ppr, W + "pStyle")
        num_pr = ppr.find(W + "numPr") if ppr is not None else None
        self.label = ""  # the automatic number Word shows before the text (“一、”)
        if num_pr is not None:
            self.label = numbering.label(_child_val(num_pr, W + "numId"), _int(num_pr.find(W + "ilvl")) or 0)
        self.runs: list[_Run] = []
        for run in element.iter(_R):
            if not _own(run, element):
                continue
            text = "".join(t.text or "" for t in run.iter(_T) if _own(t, element))
            if not text:
                continue
            rpr = run.find(_RPR)
            char_style = _child_val(rpr, W + "rStyle")
            bold = _on(rpr.find(W + "b")) if rpr is not None else None
            if bold is None:
                bold = styles.get(char_style, "bold")
            if bold is None:
                bold = styles.get(self.style, "bold")
            size = _int(rpr.find(W + "sz")) if rpr is not None else None
            size = size or styles.get(char_style, "size") or styles.get(self.style, "size") or styles.defaults.size
            font = (_font(rpr) or styles.get(char_style, "font") or styles.get(self.style, "font")
                    or styles.defaults.font or "")
            self.runs.append(_Run(text, bool(bold if bold is not None else styles.defaults.bold), size, font))
        self.text = re.sub(r"[\s\u00a0\u3000]+", " ", "".join(run.text for run in self.runs)).strip()
        if self.label and self.text:
            self.text = self.label + self.text
        outline = _int(ppr.find(W + "outlineLvl")) if ppr is not None else None
        if outline is None:
            outline = styles.get(self.style, "outline")
        name = styles.name(self.style)
        heading = _HEADING_NAME.match(name)
        self.level = outline + 1 if outline is not None and 0 <= outline <= 5 else None
        if self.level is None and heading:
            self.level = min(6, int(heading.group(1)))
        self.title_style = name.lower() in _TITLE_NAMES
        jc = _child_val(ppr, W + "jc")
        self.center = jc == "center" if jc is not None else bool(styles.get(self.style, "center"))
        visible = [run for run in self.runs if run.text.strip()]
        self.bold = bool(visible) and all(run.bold for run in visible)
        sizes = [run.size for run in visible if run.size]
        self.size = max(sizes) if sizes else None
        fonts = {run.font for run in visible}
        self.font = fonts.pop() if len(fonts) == 1 else ""  # one font for the whole paragraph, or none

    def write_label(self) -> None:
        """Put the automatic number into the text and drop the numbering (a heading is not a list item)."""
        if not self.label:
            return
        ppr = self.element.find(_PPR)
        num_pr = ppr.find(W + "numPr")
        ppr.remove(num_pr)
        run = etree.Element(_R)
        text = etree.SubElement(run, _T)
        text.text = self.label
        self.element.insert(list(self.element).index(ppr) + 1, run)

    def mark(self, style_id: str) -> None:
        ppr = self.element.find(_PPR)
        if ppr is None:
            ppr = etree.SubElement(self.element, _PPR)
            self.element.remove(ppr)
            self.element.insert(0, ppr)
        node = ppr.find(W + "pStyle")
        if node is None:
            node = etree.Element(W + "pStyle")
            ppr.insert(0, node)
        node.set(_VAL, style_id)


def _body_paragraphs(container):
    """Paragraphs at the body level (content controls opened, tables and text boxes left out)."""
    for child in container:
        if child.tag == _P:
            yield child
        elif child.tag in _BODY_CONTAINERS:
            yield from _body_paragraphs(child)


def _most_used(paragraphs: list[_Paragraph], attribute: str):
    """The run size or font that most of the text is in (the body text's)."""
    weights: Counter = Counter()
    for paragraph in paragraphs:
        for run in paragraph.runs:
            value = getattr(run, attribute)
            if value:
                weights[value] += len(run.text.strip())
    return weights.most_common(1)[0][0] if weights else None


def _heading_font(paragraph: _Paragraph, body_font: str | None) -> bool:
    """The 公文 convention sets section headings in 黑体 or 楷体 (not bold) over 仿宋 body text."""
    return bool(paragraph.font and paragraph.font != body_font and _HEADING_FONTS.search(paragraph.font))


def _is_title(paragraph: _Paragraph, body_size: int | None) -> bool:
    text = paragraph.text
    if not text or len(text) > MAX_TITLE or numbering_rank(text) is not None:
        return False
    if paragraph.title_style or paragraph.level == 1:
        return True
    if text.endswith("。"):
        return False
    larger = bool(paragraph.size and body_size and paragraph.size >= body_size + _LARGER)
    return paragraph.bold or paragraph.center or larger


def _add_styles(xml: bytes | None, levels: set[int], title: bool) -> bytes:
    root = etree.fromstring(xml, _PARSER) if xml else etree.Element(W + "styles", nsmap={"w": W[1:-1]})
    wanted = [(_HEADING_STYLE.format(n), f"mzpress heading {n}") for n in sorted(levels)]
    if title:
        wanted.append((_TITLE_STYLE, "mzpress title"))
    for style_id, name in wanted:
        style = etree.SubElement(root, W + "style")
        style.set(W + "type", "paragraph")
        style.set(W + "styleId", style_id)
        etree.SubElement(style, W + "name").set(_VAL, name)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _rezip(data: bytes, parts: dict[str, bytes]) -> bytes:
    output = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            if info.filename not in parts:
                target.writestr(info, source.read(info.filename))
        for name, content in parts.items():
            target.writestr(name, content)
    return output.getvalue()


def mark_outline(data: bytes) -> MarkedDocument:
    """Mark the visible title and the headings of the .docx ``data`` (see the module docstring).

    Raises ``KeyError``, ``zipfile.BadZipFile`` or ``etree.XMLSyntaxError`` for a broken file;
    the caller reports those.
    """
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        document_xml = archive.read(_DOCUMENT)
        names = set(archive.namelist())
        styles_xml = archive.read(_STYLES) if _STYLES in names else None
        numbering_xml = archive.read(_NUMBERING) if _NUMBERING in names else None
    styles, numbering = _Styles(styles_xml), _Numbering(numbering_xml)
    root = etree.fromstring(document_xml, _PARSER)
    body = root.find(W + "body")
    if body is None:
        return MarkedDocument(data)
    paragraphs = [_Paragraph(p, styles, numbering) for p in _body_paragraphs(body)]
    body_size, body_font = _most_used(paragraphs, "size"), _most_used(paragraphs, "font")
    first = next((p for p in paragraphs if p.text), None)
    title = first if first is not None and _is_title(first, body_size) else None
    rank_levels: dict[int, int] = {}
    real_levels: list[int] = []
    pseudo: list[tuple[_Paragraph, int]] = []
    for paragraph in paragraphs:
        if paragraph is title or not paragraph.text:
            continue
        rank = numbering_rank(paragraph.text)
        if paragraph.level is not None:
            real_levels.append(paragraph.level)
            if rank is not None:
                rank_levels.setdefault(rank, paragraph.level)
        elif (rank is not None and len(paragraph.text) <= MAX_PSEUDO_HEADING
              and (paragraph.bold or _heading_font(paragraph, body_font))):
            pseudo.append((paragraph, rank))
    base = max(real_levels) + 1 if real_levels else 2
    for rank in sorted({rank for _, rank in pseudo} - set(rank_levels)):
        rank_levels[rank] = min(6, base)
        base += 1
    marked: list[tuple[int, str]] = []
    levels: set[int] = set()
    for paragraph in paragraphs:
        if paragraph is title:
            continue
        level = paragraph.level
        if level is None:
            rank = next((r for p, r in pseudo if p is paragraph), None)
            level = rank_levels[rank] if rank is not None else None
        if level is None or not paragraph.text:
            continue
        paragraph.mark(_HEADING_STYLE.format(level))
        paragraph.write_label()
        levels.add(level)
        marked.append((level, paragraph.text))
    if title is not None:
        title.mark(_TITLE_STYLE)
    if (not levels and title is None) or styles_xml is None:
        return MarkedDocument(data)  # nothing to mark, or no styles part for mammoth to name the marks
    parts = {_DOCUMENT: etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True),
             _STYLES: _add_styles(styles_xml, levels, title is not None)}
    return MarkedDocument(_rezip(data, parts), title.text if title else "", marked)
