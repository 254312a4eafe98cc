"""The half-year outline written out: Markdown, and a Word document (.docx, python-docx) in 公文 style.

Both lay out the same :func:`~mzpress.publishing.half_year_outline.outline_blocks`, so the figures
match line for line. The Word document follows the usual layout of a bureau document (GB/T 9704):
A4, margins 37/35/28/26 mm, a fixed line height of 28 points, the title in 方正小标宋简体 (二号,
22 pt) centred, the body in 仿宋_GB2312 (三号, 16 pt) with a two-character first-line indent,
first-level headings (一、) in 黑体 and second-level ones (（一）) in 楷体_GB2312, tables in 四号/小四.
A computer without the GB2312 fonts shows the usual fallback: the font table names 宋体 for
方正小标宋简体, 仿宋 for 仿宋_GB2312 and 楷体 for 楷体_GB2312 (``w:altName``, which Word and WPS use
for substitution). Digits and Latin letters are in Times New Roman.

The .docx is reproducible: the document's dates are the report's time and every part of the
package has the same fixed timestamp, so the same figures give the same bytes (``--out`` then says
the file did not change).
"""

from __future__ import annotations

import io
import zipfile

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Mm, Pt, RGBColor
from lxml import etree

from mzpress.publishing.half_year_outline import Block, Outline, outline_blocks

TITLE_FONT, TITLE_FALLBACK = "方正小标宋简体", "宋体"
BODY_FONT, BODY_FALLBACK = "仿宋_GB2312", "仿宋"
HEADING1_FONT = "黑体"
HEADING2_FONT, HEADING2_FALLBACK = "楷体_GB2312", "楷体"
LATIN_FONT = "Times New Roman"
FALLBACKS = {TITLE_FONT: TITLE_FALLBACK, BODY_FONT: BODY_FALLBACK, HEADING2_FONT: HEADING2_FALLBACK}
TITLE_SIZE, BODY_SIZE, TABLE_SIZE, NOTE_SIZE = Pt(22), Pt(16), Pt(12), Pt(14)
LINE_HEIGHT = Pt(28)
_ZIP_TIME = (2000, 1, 1, 0, 0, 0)


# --------------------------------------------------------------------------- Markdown


def _md(text: str) -> str:
    """A table cell or a line of text: pipes escaped, one line."""
    return " ".join(str(text).replace("\\", "\\\\").replace("|", "\\|").split())


def _note_text(text: str) -> str:
    return text if text.startswith("注：") else f"注：{text}"


def render_markdown(outline: Outline) -> str:
    lines: list[str] = []
    for block in outline_blocks(outline):
        if block.kind == "title":
            lines += [f"# {_md(block.text)}", ""]
        elif block.kind == "heading1":
            lines += [f"## {_md(block.text)}", ""]
        elif block.kind == "heading2":
            lines += [f"### {_md(block.text)}", ""]
        elif block.kind == "table":
            lines.append("| " + " | ".join(_md(h) for h in block.headers) + " |")
            lines.append("|" + "|".join(" --- " for _ in block.headers) + "|")
            lines += ["| " + " | ".join(_md(c) for c in row) + " |" for row in block.rows]
            lines.append("")
        elif block.kind == "note":
            lines += [_md(_note_text(block.text)), ""]
        else:  # meta, paragraph
            lines += [_md(block.text), ""]
    return "\n".join(lines).rstrip("\n") + "\n"


# --------------------------------------------------------------------------- Word


def _set_fonts(element, east_asia: str, latin: str = LATIN_FONT) -> None:
    """``w:rFonts`` of a run or a style: ``east_asia`` for Chinese, ``latin`` for the rest; no theme fonts."""
    rpr = element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = parse_xml(f"<w:rFonts {nsdecls('w')}/>")
        rpr.insert(0, fonts)
    for theme in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(theme), None)
    for name, value in (("w:ascii", latin), ("w:hAnsi", latin), ("w:cs", latin), ("w:eastAsia", east_asia)):
        fonts.set(qn(name), value)


def _style(document, name: str, font: str, size, bold: bool = False) -> None:
    style = document.styles[name]
    _set_fonts(style.element, font)
    style.font.size = size
    style.font.bold = bold
    style.font.italic = False
    style.font.color.rgb = RGBColor(0, 0, 0)
    fmt = style.paragraph_format
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = LINE_HEIGHT
    fmt.space_before = Pt(0)
    fmt.space_after = Pt(0)


def _font_table(document) -> None:
    """Name the fallback of each GB2312 font in the font table (``w:altName``)."""
    part = next(rel.target_part for rel in document.part.rels.values() if rel.reltype.endswith("/fontTable"))
    table = parse_xml(part.blob)
    for name, fallback in FALLBACKS.items():
        table.append(parse_xml(
            f'<w:font {nsdecls("w")} w:name="{name}"><w:altName w:val="{fallback}"/><w:charset w:val="86"/>'
            f'<w:family w:val="modern"/><w:pitch w:val="fixed"/></w:font>'))
    table.append(parse_xml(f'<w:font {nsdecls("w")} w:name="{HEADING1_FONT}"><w:charset w:val="86"/>'
                           f'<w:family w:val="modern"/><w:pitch w:val="fixed"/></w:font>'))
    part._blob = etree.tostring(table, xml_declaration=True, encoding="UTF-8", standalone=True)


def _run(paragraph, text: str, font: str, size, bold: bool = False):
    run = paragraph.add_run(text)
    _set_fonts(run._element, font)
    run.font.size = size
    run.font.bold = bold
    return run


def _indented(paragraph) -> None:
    paragraph.paragraph_format.first_line_indent = Pt(32)  # two characters of 三号


def _table(document, block: Block) -> None:
    table = document.add_table(rows=1 + len(block.rows), cols=len(block.headers))
    table.style = document.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for row_index, cells in enumerate((block.headers, *block.rows)):
        for column, text in enumerate(cells):
            cell = table.cell(row_index, column)
            paragraph = cell.paragraphs[0]
            paragraph.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
            paragraph.paragraph_format.first_line_indent = Pt(0)
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER if row_index == 0 or column > 0 else WD_ALIGN_PARAGRAPH.LEFT
            _run(paragraph, text, HEADING1_FONT if row_index == 0 else BODY_FONT, TABLE_SIZE)


def _reproducible(data: bytes) -> bytes:
    """The same package with a fixed timestamp on every part."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=_ZIP_TIME)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o644 << 16
            target.writestr(fixed, source.read(info.filename))
    return out.getvalue()


def render_docx(outline: Outline) -> bytes:
    document = Document()
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    _style(document, "Normal", BODY_FONT, BODY_SIZE)
    _style(document, "Heading 1", HEADING1_FONT, BODY_SIZE)
    _style(document, "Heading 2", HEADING2_FONT, BODY_SIZE)
    _font_table(document)
    properties = document.core_properties
    properties.title = outline.title
    properties.author = outline.report.bureau or "mzpress"
    properties.last_modified_by = "mzpress"
    properties.created = properties.modified = outline.report.at.replace(tzinfo=None)
    properties.revision = 1
    for block in outline_blocks(outline):
        if block.kind == "title":
            paragraph = document.add_paragraph()
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
            paragraph.paragraph_format.line_spacing = Pt(36)
            paragraph.paragraph_format.space_after = Pt(16)
            _run(paragraph, block.text, TITLE_FONT, TITLE_SIZE)
        elif block.kind in ("heading1", "heading2"):
            paragraph = document.add_heading(level=1 if block.kind == "heading1" else 2)
            _indented(paragraph)
            _run(paragraph, block.text, HEADING1_FONT if block.kind == "heading1" else HEADING2_FONT, BODY_SIZE)
        elif block.kind == "table":
            _table(document, block)
        elif block.kind == "note":
            paragraph = document.add_paragraph()
            paragraph.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
            paragraph.paragraph_format.space_before = Pt(4)
            paragraph.paragraph_format.space_after = Pt(8)
            _run(paragraph, _note_text(block.text), BODY_FONT, NOTE_SIZE)
        elif block.kind == "meta":
            paragraph = document.add_paragraph()
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
            paragraph.paragraph_format.space_after = Pt(16)
            _run(paragraph, block.text, BODY_FONT, NOTE_SIZE)
        else:
            paragraph = document.add_paragraph()
            paragraph.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
            _indented(paragraph)
            _run(paragraph, block.text, BODY_FONT, BODY_SIZE)
    out = io.BytesIO()
    document.save(out)
    return _reproducible(out.getvalue())
