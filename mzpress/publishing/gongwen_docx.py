"""A page as a Word file in the house style of official documents (公文), with its 稿签, for 上级报送.

Pure: it takes the page, its blocks (:mod:`mzpress.publishing.export_body`), the photos' bytes and the
稿签's facts, and returns the bytes of a ``.docx``. The house style (GB/T 9704 as the bureau uses it):

* A4, margins 37 mm top, 35 mm bottom, 28 mm left, 26 mm right; page numbers “— 1 —” at the foot;
* title (style ``Title``): 方正小标宋简体 22 pt (二号), centred;
* body (``Normal``): 仿宋_GB2312 16 pt (三号), first line indented two characters, lines exactly
  28 pt apart; Latin letters and digits in Times New Roman;
* headings numbered as the levels the page uses: ``Heading 1`` “一、” in 黑体, ``Heading 2`` “（一）”
  in 楷体_GB2312, ``Heading 3`` “1．” in 仿宋_GB2312 (a heading that already starts with its number
  keeps it);
* each photo centred at its place (``Picture``), its caption under it (``Caption``, 仿宋 14 pt,
  centred): the “图为……” written on the page, else 图为 + the photo's description;
* tables in 仿宋 14 pt (``Table Text``) with borders; links keep their text followed by the address;
* the first page is the 稿签 (submission slip): 标题, 报送单位, 作者, 审核人, 字数, 图片数, 报送日期 (and
  报送至, 网站发布 when known) and the list of photo files, then a page break.

Fonts are only named: a computer without 方正小标宋简体 or 仿宋_GB2312 shows 宋体 or 仿宋, as the
font table names them as alternatives (``w:altName``), which Word and WPS use. The file is the same
bytes for the same input (fixed times inside the package).
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from dataclasses import dataclass

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK, WD_LINE_SPACING
from docx.exceptions import InvalidSpanError
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Emu, Mm, Pt, RGBColor
from lxml import etree
from PIL import Image, UnidentifiedImageError

from mzpress.model.content import Page
from mzpress.model.report_period import day_label
from mzpress.publishing.export_body import (
    Code,
    ExportBody,
    Heading,
    ListBlock,
    Paragraph,
    Photo,
    Run,
    Table,
    plain,
)

LATIN = "Times New Roman"
TITLE_FONT = ("方正小标宋简体", "宋体")  # (font, the alternative a computer without it uses)
BODY_FONT = ("仿宋_GB2312", "仿宋")
HEADING_FONTS = {1: ("黑体", "SimHei"), 2: ("楷体_GB2312", "楷体"), 3: BODY_FONT}
FALLBACKS = dict((TITLE_FONT, BODY_FONT, HEADING_FONTS[1], HEADING_FONTS[2]))
TITLE_SIZE = Pt(22)  # 二号
BODY_SIZE = Pt(16)  # 三号
SMALL_SIZE = Pt(14)  # 四号: captions, tables, the 稿签
LINE = Pt(28)  # 固定值28磅
NO_SPACE = Pt(0)
TEXT_WIDTH = Mm(210 - 28 - 26)
MAX_PICTURE_WIDTH = Cm(15)
EMBED_PIXELS = 1600  # a wider photo is embedded at this width (the full file is in the package)
_NUMBERED = {1: re.compile(r"^[一二三四五六七八九十百]+、"), 2: re.compile(r"^[（(][一二三四五六七八九十百]+[）)]"),
             3: re.compile(r"^\d+[．.、]")}
_CHINESE_DIGITS = "零一二三四五六七八九"
PACKAGE_TIME = (2026, 1, 1, 0, 0, 0)  # replaced by the export day


@dataclass(frozen=True)
class Slip:
    """The 稿签: who sends what, checked by whom."""

    title: str
    unit: str  # 报送单位
    author: str
    reviewer: str  # 审核人: the page's editor (责任编辑)
    words: int  # 字数: Chinese characters of the body
    photos: tuple[Photo, ...]
    date: dt.date  # 报送日期
    outlet: str = ""  # 报送至 (the outlet's name), "" when not named
    published: str = ""  # 网站发布: where and when the site published it, or that it has not


def chinese_number(number: int) -> str:
    """1 -> 一, 10 -> 十, 12 -> 十二, 20 -> 二十, 99 -> 九十九 (heading numbers)."""
    if number < 10:
        return _CHINESE_DIGITS[number]
    if number < 20:
        return "十" + (_CHINESE_DIGITS[number % 10] if number % 10 else "")
    if number < 100:
        return _CHINESE_DIGITS[number // 10] + "十" + (_CHINESE_DIGITS[number % 10] if number % 10 else "")
    return str(number)


def heading_number(rank: int, number: int) -> str:
    if rank == 1:
        return f"{chinese_number(number)}、"
    if rank == 2:
        return f"（{chinese_number(number)}）"
    return f"{number}．"


# --------------------------------------------------------------------------- styles


def _fonts(rpr, east_asia: str, latin: str) -> None:
    """Name the fonts of ``rpr`` outright (the theme's fonts would win over named ones)."""
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for name in list(fonts.attrib):
        del fonts.attrib[name]
    fonts.set(qn("w:ascii"), latin)
    fonts.set(qn("w:hAnsi"), latin)
    fonts.set(qn("w:cs"), latin)
    fonts.set(qn("w:eastAsia"), east_asia)


def _reset(style) -> None:
    """Remove a built-in style's own paragraph and character properties (colours, theme fonts, borders)."""
    element = style.element
    for tag in ("w:pPr", "w:rPr"):
        for child in element.findall(qn(tag)):
            element.remove(child)


def _indent_chars(paragraph_format, chars: int, size: Pt) -> None:
    """First-line indent of ``chars`` characters (Word's 首行缩进 2 字符), with the same length in points."""
    paragraph_format.first_line_indent = Pt(size.pt * chars)
    ind = paragraph_format._element.get_or_add_pPr().find(qn("w:ind"))
    if ind is not None:  # in characters too, and 0 outright (a style based on Normal would inherit 2)
        ind.set(qn("w:firstLineChars"), str(chars * 100))


def _style(style, font: tuple[str, str], size: Pt, *, latin: str = LATIN, align=None, indent: int = 0,
           exact: bool = True, bold: bool = False, before: Pt = NO_SPACE, after: Pt = NO_SPACE) -> None:
    _reset(style)
    style.font.size = size
    style.font.bold = bold
    style.font.italic = False
    style.font.color.rgb = RGBColor(0, 0, 0)
    _fonts(style.element.get_or_add_rPr(), font[0], latin)
    paragraph = style.paragraph_format
    paragraph.alignment = align if align is not None else WD_ALIGN_PARAGRAPH.JUSTIFY
    paragraph.space_before, paragraph.space_after = before, after
    if exact:
        paragraph.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        paragraph.line_spacing = LINE
    else:
        paragraph.line_spacing_rule = WD_LINE_SPACING.SINGLE
    _indent_chars(paragraph, indent, size)


def _paragraph_style(document, name: str):
    try:
        return document.styles[name]
    except KeyError:
        style = document.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = document.styles["Normal"]
        return style


def _house_styles(document) -> None:
    defaults = document.styles.element.find(qn("w:docDefaults"))
    rpr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    _fonts(rpr, BODY_FONT[0], LATIN)
    lang = rpr.find(qn("w:lang"))
    if lang is not None:
        lang.set(qn("w:eastAsia"), "zh-CN")
    _style(document.styles["Normal"], BODY_FONT, BODY_SIZE, indent=2)
    _style(document.styles["Title"], TITLE_FONT, TITLE_SIZE, latin=TITLE_FONT[0], align=WD_ALIGN_PARAGRAPH.CENTER,
           exact=False, after=LINE)
    for rank, name in ((1, "Heading 1"), (2, "Heading 2"), (3, "Heading 3")):
        style = document.styles[name]
        font = HEADING_FONTS[rank]
        _style(style, font, BODY_SIZE, latin=font[0] if rank < 3 else LATIN, indent=2)
        style.paragraph_format.keep_with_next = True
        outline = OxmlElement("w:outlineLvl")
        outline.set(qn("w:val"), str(rank - 1))
        style.element.get_or_add_pPr().append(outline)
    _style(document.styles["Caption"], BODY_FONT, SMALL_SIZE, align=WD_ALIGN_PARAGRAPH.CENTER, exact=False,
           after=Pt(8))
    _style(_paragraph_style(document, "Picture"), BODY_FONT, BODY_SIZE, align=WD_ALIGN_PARAGRAPH.CENTER,
           exact=False, before=Pt(8), after=Pt(4))
    _style(_paragraph_style(document, "Table Text"), BODY_FONT, SMALL_SIZE, align=WD_ALIGN_PARAGRAPH.LEFT,
           exact=False)
    _style(_paragraph_style(document, "Slip Title"), HEADING_FONTS[1], TITLE_SIZE, latin=HEADING_FONTS[1][0],
           align=WD_ALIGN_PARAGRAPH.CENTER, exact=False, after=Pt(18))


def _page(document) -> None:
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    footer.paragraph_format.first_line_indent = Pt(0)
    for text in ("— ", None, " —"):
        if text is not None:
            run = footer.add_run(text)
        else:
            field = OxmlElement("w:fldSimple")
            field.set(qn("w:instr"), "PAGE")
            inner = OxmlElement("w:r")
            value = OxmlElement("w:t")
            value.text = "1"
            inner.append(value)
            field.append(inner)
            footer._p.append(field)
            continue
        run.font.size = SMALL_SIZE
        _fonts(run._r.get_or_add_rPr(), "宋体", LATIN)


# --------------------------------------------------------------------------- content


def _add_runs(paragraph, runs: tuple[Run, ...], east_asia: str | None = None) -> None:
    index = 0
    while index < len(runs):
        run = runs[index]
        if run.text == "\n":
            paragraph.add_run().add_break(WD_BREAK.LINE)
            index += 1
            continue
        target = paragraph.add_run(run.text.replace("\n", " "))
        target.bold = run.bold or None
        target.italic = run.italic or None
        if run.script == "sup":
            target.font.superscript = True
        elif run.script == "sub":
            target.font.subscript = True
        if run.code:
            _fonts(target._r.get_or_add_rPr(), BODY_FONT[0], "Courier New")
        elif east_asia:
            _fonts(target._r.get_or_add_rPr(), east_asia, LATIN)
        if run.href and (index + 1 == len(runs) or runs[index + 1].href != run.href):
            text = plain([r for r in runs if r.href == run.href]).strip()
            if text.rstrip("/") != run.href.rstrip("/"):
                paragraph.add_run(f"（{run.href}）")
        index += 1


def _picture(document, data: bytes, photo: Photo) -> bool:
    """Add ``photo`` centred at the text's width at most; False when the bytes are not a picture."""
    try:
        with Image.open(io.BytesIO(data)) as image:
            image.load()
            width_px, height_px = image.size
            dpi = image.info.get("dpi", (96, 96))[0] or 96
            if image.format not in ("JPEG", "PNG", "GIF", "BMP", "TIFF") or width_px > EMBED_PIXELS:
                scale = min(1.0, EMBED_PIXELS / width_px)
                converted = image.convert("RGB") if image.mode not in ("RGB", "L") else image
                if scale < 1:
                    converted = converted.resize((max(1, round(width_px * scale)), max(1, round(height_px * scale))),
                                                 Image.LANCZOS)
                out = io.BytesIO()
                converted.save(out, "JPEG", quality=88)
                data = out.getvalue()
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError):
        return False
    natural = Emu(int(width_px / float(dpi) * 914400))
    width = min(natural, MAX_PICTURE_WIDTH, TEXT_WIDTH)
    paragraph = document.add_paragraph(style="Picture")
    paragraph.add_run().add_picture(io.BytesIO(data), width=width)
    return True


def _table(document, block: Table) -> None:
    placed: list[tuple[int, int, object]] = []
    taken: set[tuple[int, int]] = set()
    columns = 0
    rows = len(block.rows)
    for r, row in enumerate(block.rows):
        c = 0
        for cell in row:
            while (r, c) in taken:
                c += 1
            rowspan = min(cell.rowspan, rows - r)
            for dr in range(rowspan):
                for dc in range(cell.colspan):
                    taken.add((r + dr, c + dc))
            placed.append((r, c, cell))
            c += cell.colspan
            columns = max(columns, c)
    table = document.add_table(rows=rows, cols=max(columns, 1))
    table.style = document.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for r, c, cell in placed:
        target = table.cell(r, c)
        end = (min(r + cell.rowspan, rows) - 1, c + cell.colspan - 1)
        if end != (r, c):
            try:
                target = target.merge(table.cell(*end))
            except InvalidSpanError:  # spans that overlap in the page's table: the cells stay apart
                pass
        paragraph = target.paragraphs[0]
        paragraph.style = document.styles["Table Text"]
        if cell.header or cell.align == "center":
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        elif cell.align == "right":
            paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        _add_runs(paragraph, cell.runs)
    if block.rows and all(cell.header for cell in block.rows[0]):
        header = table.rows[0]._tr.get_or_add_trPr()
        repeat = OxmlElement("w:tblHeader")
        header.append(repeat)


def written_number(rank: int, text: str) -> int | None:
    """The number a heading of ``rank`` already starts with (三、 -> 3, （十二） -> 12, 4． -> 4), or None."""
    match = _NUMBERED[rank].match(text)
    if match is None:
        return None
    digits = "".join(ch for ch in match.group(0) if ch.isdigit() or ch in _CHINESE_DIGITS or ch == "十")
    if digits.isdigit():
        return int(digits)
    tens, _, ones = digits.partition("十")
    if "十" not in digits:
        return _CHINESE_DIGITS.index(tens) if len(tens) == 1 else None
    high = _CHINESE_DIGITS.index(tens) if tens else 1
    low = _CHINESE_DIGITS.index(ones) if ones else 0
    return high * 10 + low if len(tens) <= 1 and len(ones) <= 1 else None


class _Numbers:
    """Heading numbers by rank; a higher heading starts the lower ranks again, and a number the writer
    wrote sets the count (三、 after 一、 makes the next one 四、)."""

    def __init__(self):
        self.counts = {1: 0, 2: 0, 3: 0}

    def next(self, rank: int, written: int | None = None) -> int:
        rank = min(rank, 3)
        self.counts[rank] = written if written is not None else self.counts[rank] + 1
        for lower in range(rank + 1, 4):
            self.counts[lower] = 0
        return self.counts[rank]


def _body(document, body: ExportBody, photos: dict[str, bytes]) -> None:
    numbers = _Numbers()
    for block in body.blocks:
        if isinstance(block, Heading):
            rank = min(block.rank, 3)
            text = plain(block.runs).strip()
            written = written_number(rank, text)
            number = numbers.next(rank, written)
            paragraph = document.add_paragraph(style=f"Heading {rank}")
            if written is None and not _NUMBERED[rank].match(text):
                paragraph.add_run(heading_number(rank, number))
            _add_runs(paragraph, tuple(Run(r.text, italic=r.italic, script=r.script, href=r.href) for r in block.runs))
        elif isinstance(block, Paragraph):
            paragraph = document.add_paragraph(style="Normal")
            _add_runs(paragraph, block.runs, HEADING_FONTS[2][0] if block.quote else None)
        elif isinstance(block, Photo):
            data = photos.get(block.src)
            if data is not None and _picture(document, data, block) and block.label:
                document.add_paragraph(block.label, style="Caption")
        elif isinstance(block, ListBlock):
            for item in block.items:
                paragraph = document.add_paragraph(style="Normal")
                if item.level:
                    paragraph.paragraph_format.left_indent = Pt(BODY_SIZE.pt * 2 * item.level)
                paragraph.add_run(f"{item.number}．" if item.ordered else "●")
                _add_runs(paragraph, item.runs)
        elif isinstance(block, Table):
            _table(document, block)
        elif isinstance(block, Code):
            for line in block.text.split("\n"):
                paragraph = document.add_paragraph(style="Table Text")
                run = paragraph.add_run(line)
                _fonts(run._r.get_or_add_rPr(), BODY_FONT[0], "Courier New")


SLIP_FIELDS = ("标题", "报送单位", "作者", "审核人", "字数", "图片数", "报送日期", "报送至", "网站发布")


def slip_rows(slip: Slip) -> list[tuple[str, str]]:
    rows = [("标题", slip.title), ("报送单位", slip.unit), ("作者", slip.author), ("审核人", slip.reviewer),
            ("字数", f"{slip.words}字（正文汉字数）"), ("图片数", f"{len(slip.photos)}张"),
            ("报送日期", day_label(slip.date))]
    if slip.outlet:
        rows.append(("报送至", slip.outlet))
    if slip.published:
        rows.append(("网站发布", slip.published))
    return rows


def _slip(document, slip: Slip) -> None:
    document.add_paragraph("稿　签", style="Slip Title")
    rows = slip_rows(slip)
    table = document.add_table(rows=len(rows), cols=2)
    table.style = document.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for index, (label, value) in enumerate(rows):
        cells = table.rows[index].cells
        cells[0].width, cells[1].width = Cm(3.2), Cm(12.4)
        head = cells[0].paragraphs[0]
        head.style = document.styles["Table Text"]
        head.alignment = WD_ALIGN_PARAGRAPH.CENTER
        run = head.add_run(label)
        _fonts(run._r.get_or_add_rPr(), HEADING_FONTS[1][0], LATIN)
        body = cells[1].paragraphs[0]
        body.style = document.styles["Table Text"]
        body.add_run(value)
    if slip.photos:
        document.add_paragraph("图片清单（图片文件与本文件一同报送）", style="Table Text").paragraph_format.space_before = Pt(12)
        photos = document.add_table(rows=len(slip.photos) + 1, cols=3)
        photos.style = document.styles["Table Grid"]
        photos.alignment = WD_TABLE_ALIGNMENT.CENTER
        for column, label in enumerate(("序号", "文件名", "说明")):
            cell = photos.rows[0].cells[column].paragraphs[0]
            cell.style = document.styles["Table Text"]
            cell.alignment = WD_ALIGN_PARAGRAPH.CENTER
            _fonts(cell.add_run(label)._r.get_or_add_rPr(), HEADING_FONTS[1][0], LATIN)
        for row, photo in enumerate(slip.photos, start=1):
            for column, value in enumerate((str(photo.number), photo.file_name, photo.label)):
                cell = photos.rows[row].cells[column].paragraphs[0]
                cell.style = document.styles["Table Text"]
                cell.add_run(value)
    document.add_paragraph(style="Table Text").add_run().add_break(WD_BREAK.PAGE)


# --------------------------------------------------------------------------- the package


def _font_table(xml: bytes) -> bytes:
    """The font table with each house font and the alternative a computer without it uses."""
    root = etree.fromstring(xml)
    for font in list(root):
        if font.get(qn("w:name")) in FALLBACKS:
            root.remove(font)
    for name, alternative in FALLBACKS.items():
        font = etree.SubElement(root, qn("w:font"))
        font.set(qn("w:name"), name)
        for tag, value in (("w:altName", alternative), ("w:charset", "86"), ("w:family", "auto"),
                           ("w:pitch", "variable")):  # charset 86: GB2312
            etree.SubElement(font, qn(tag)).set(qn("w:val"), value)
    return etree.tostring(root, encoding="UTF-8", xml_declaration=True, standalone=True)


def _repack(data: bytes, when: dt.datetime) -> bytes:
    """The same package with fixed entry times (same input, same bytes) and the house fonts' table."""
    stamp = (when.year, when.month, when.day, 0, 0, 0)
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename == "word/fontTable.xml":
                content = _font_table(content)
            entry = zipfile.ZipInfo(info.filename, stamp)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            target.writestr(entry, content)
    return out.getvalue()


def gongwen_docx(page: Page, body: ExportBody, photos: dict[str, bytes], slip: Slip, when: dt.datetime) -> bytes:
    """The .docx of ``page``: the 稿签 page, then the title and the body in house style.

    ``photos``: the bytes of each photo by its file under content/ (:attr:`Photo.src`); ``when``: the export
    time (the file's creation time)."""
    document = Document()
    _house_styles(document)
    _page(document)
    _slip(document, slip)
    document.add_paragraph(page.title, style="Title")
    _body(document, body, photos)
    properties = document.core_properties
    properties.title = page.title
    properties.author = page.author
    properties.last_modified_by = page.author
    properties.comments = ""
    properties.language = "zh-CN"
    moment = when.astimezone(dt.UTC).replace(tzinfo=None, microsecond=0)
    properties.created = properties.modified = moment
    properties.revision = 1
    out = io.BytesIO()
    document.save(out)
    return _repack(out.getvalue(), when)
