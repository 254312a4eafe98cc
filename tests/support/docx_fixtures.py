"""Word documents and photos made by the tests themselves (python-docx and Pillow)."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import Path

import docx
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import qn
from docx.shared import Inches, Pt
from PIL import Image

from mzpress.cli import main
from mzpress.editing.scaffold import PageRequest

GPS_IFD = 0x8825
GPS_TAGS = {1: "N", 2: (28.0, 41.0, 12.5), 3: "E", 4: (115.0, 53.0, 2.25)}


def photo_bytes(size: tuple[int, int] = (2400, 1800), gps: bool = True, orientation: int | None = None,
                color=(180, 90, 60), fmt: str = "JPEG") -> bytes:
    """A photo with camera EXIF and (by default) GPS coordinates, like a phone would take."""
    image = Image.new("RGB", size, color)
    # A darker left half, so orientation and resizing are visible in the pixels.
    image.paste((20, 20, 20), (0, 0, size[0] // 2, size[1]))
    exif = image.getexif()
    exif[0x010F] = "PhoneMaker"
    exif[0x0110] = "PhoneModel X"
    if orientation:
        exif[0x0112] = orientation
    if gps:
        exif[GPS_IFD] = dict(GPS_TAGS)
    buffer = io.BytesIO()
    image.save(buffer, fmt, exif=exif, quality=95)
    return buffer.getvalue()


def png_bytes(size=(64, 48), transparent: bool = False) -> bytes:
    mode, color = ("RGBA", (0, 128, 255, 100)) if transparent else ("RGB", (0, 128, 255))
    buffer = io.BytesIO()
    Image.new(mode, size, color).save(buffer, "PNG")
    return buffer.getvalue()


def gps_of(data: bytes) -> dict:
    with Image.open(io.BytesIO(data)) as image:
        return dict(image.getexif().get_ifd(GPS_IFD))


def story_docx(path: Path, *, title_property: str = "", heading_title: str | None = "城关镇开展孝老爱亲志愿服务活动",
               photo: bytes | None = None, second_image: bytes | None = None, second_alt: str = "") -> Path:
    """A typical story: title heading, lead paragraph with bold, sub-heading, bullets, a table, photos."""
    document = docx.Document()
    document.core_properties.title = title_property
    if heading_title is not None:
        document.add_heading(heading_title, level=1)
    lead = document.add_paragraph("3月12日上午，城关镇组织志愿者走进敬老院，")
    lead.add_run("为80余位老人").bold = True
    lead.add_run("义务理发、测量血压，开展孝老爱亲主题志愿服务活动。")
    document.add_heading("一、活动内容", level=2)
    document.add_paragraph("义务理发", style="List Bullet")
    document.add_paragraph("测量血压", style="List Bullet")
    document.add_paragraph("文艺演出", style="List Bullet")
    document.add_heading("二、参加人员", level=2)
    table = document.add_table(rows=3, cols=2)
    for row, (name, count) in enumerate((("单位", "人数"), ("城关镇", "12"), ("县民政局", "5"))):
        table.cell(row, 0).text = name
        table.cell(row, 1).text = count
    if photo is not None:
        document.add_picture(io.BytesIO(photo), width=Inches(4))
    if second_image is not None:
        document.add_picture(io.BytesIO(second_image), width=Inches(2))
        if second_alt:
            document.inline_shapes[-1]._inline.docPr.set("descr", second_alt)
    document.add_paragraph("活动结束后，志愿者与老人合影留念。")
    document.save(path)
    return path


def replace_part(path: Path, part: str, data: bytes) -> Path:
    """Rewrite one part of a .docx (a zip), e.g. to put garbage where an image was."""
    with zipfile.ZipFile(path) as source:
        items = [(info, source.read(info.filename)) for info in source.infolist()]
    names = [info.filename for info, _ in items]
    assert part in names, names
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for info, content in items:
            target.writestr(info.filename, data if info.filename == part else content)
    return path


def media_parts(path: Path) -> list[str]:
    with zipfile.ZipFile(path) as archive:
        return [name for name in archive.namelist() if name.startswith("word/media/")]


# --- documents as bureau writers make them in WPS and Word ----------------------------------

STALE_TITLE_PROPERTY = "2024年工作总结"


def _wps_run(paragraph, text: str, *, bold: bool = False, size: float = 16, font: str = "仿宋_GB2312"):
    """A run as WPS writes one: explicit size and East Asian font on every run."""
    run = paragraph.add_run(text)
    run.bold = bold or None
    run.font.size = Pt(size)
    fonts = run._r.get_or_add_rPr().get_or_add_rFonts()
    fonts.set(qn("w:eastAsia"), font)
    return run


def wps_paragraph(document, *pieces, bold: bool = False, size: float = 16, center: bool = False,
                   font: str = "仿宋_GB2312"):
    paragraph = document.add_paragraph()
    if center:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    for piece in pieces:
        if piece == "\n":
            paragraph.add_run().add_break()  # Shift+Enter: a manual line break inside the paragraph
        else:
            _wps_run(paragraph, piece, bold=bold, size=size, font=font)
    return paragraph


def _outline_level(target, level: int):
    """WPS “段落 → 大纲级别”: an outline level on a paragraph in the body style (or on a style)."""
    element = target._p if hasattr(target, "_p") else target.element
    node = OxmlElement("w:outlineLvl")
    node.set(qn("w:val"), str(level))
    element.get_or_add_pPr().append(node)
    return target


def wps_report_docx(path: Path, *, photo: bytes | None = None, caption: str = "图为志愿者为老人理发。",
                    core_title: str = STALE_TITLE_PROPERTY) -> Path:
    """A work report typed in WPS from an old file: the document property still says last year's
    title; the visible title is a centred, bold 二号 line; sections are bold numbered paragraphs in
    the body style (一、 / （一） / 1. / （1）); a photo with a “图为……” line under it; a manual line break."""
    document = docx.Document()
    document.core_properties.title = core_title
    wps_paragraph(document, "城关镇幸福食堂运营情况汇报", bold=True, size=22, center=True, font="方正小标宋简体")
    wps_paragraph(document, "今年以来，城关镇新建幸福食堂3个，累计为老年人提供助餐服务1.2万人次。")
    wps_paragraph(document, "一、主要做法", bold=True, font="黑体")
    wps_paragraph(document, "（一）坚持高位推动", bold=True, font="楷体_GB2312")
    wps_paragraph(document, "镇党委每季度专题研究一次食堂运营工作。")
    wps_paragraph(document, "1.建立用餐台账", bold=True)
    wps_paragraph(document, "（1）分类登记", bold=True)
    wps_paragraph(document, "对80周岁以上老人逐一登记，", "\n", "做到一人一档。")
    wps_paragraph(document, "1.5万元补助资金已全部到位。")  # a number, not a heading: not bold
    wps_paragraph(document, "（二）强化资金保障", bold=True, font="楷体_GB2312")
    if photo is not None:
        picture = document.add_paragraph()
        picture.alignment = WD_ALIGN_PARAGRAPH.CENTER
        picture.add_run().add_picture(io.BytesIO(photo), width=Inches(4))
        wps_paragraph(document, caption, size=12, center=True, font="楷体_GB2312")
    wps_paragraph(document, "二、下一步打算", bold=True, font="黑体")
    wps_paragraph(document, "继续扩大助餐服务覆盖面，一、二月份完成选址。", bold=True)  # bold, but a sentence
    document.save(path)
    return path


def outline_docx(path: Path) -> Path:
    """Headings the Word way: outline levels on body paragraphs and a user style with an outline level,
    a Title-style title, and a numbered pseudo-heading that matches a real heading's numbering."""
    document = docx.Document()
    document.add_paragraph("全县社会救助工作会议召开", style="Title")
    document.add_paragraph("12月1日，全县社会救助工作会议在县民政局召开。")
    _outline_level(document.add_paragraph("一、会议内容"), 0)
    document.add_paragraph("会议通报了今年社会救助工作情况。")
    style = document.styles.add_style("小节标题", WD_STYLE_TYPE.PARAGRAPH)
    _outline_level(style, 1)
    document.add_paragraph("（一）低保扩围", style="小节标题")
    document.add_paragraph("新增低保对象120户。")
    bold = document.add_paragraph()
    bold.add_run("二、工作要求").bold = True  # same numbering as an outline-level heading: same level
    document.add_paragraph("各乡镇要按时完成年度复核。")
    document.save(path)
    return path


_TEXT_BOX = (
    '<w:r xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
    'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" xmlns:v="urn:schemas-microsoft-com:vml">'
    '<mc:AlternateContent><mc:Choice Requires="wps"><w:drawing/></mc:Choice><mc:Fallback><w:pict><v:shape>'
    '<v:textbox><w:txbxContent>{paragraphs}</w:txbxContent></v:textbox></v:shape></w:pict></mc:Fallback>'
    '</mc:AlternateContent></w:r>')


def _text_box(document, *lines: str):
    """A text box (WPS 插入 → 文本框) holding ``lines``, anchored in an empty paragraph, as WPS saves it
    (a DrawingML shape with a VML fallback copy; readers use the fallback)."""
    paragraphs = "".join(f"<w:p><w:r><w:t>{line}</w:t></w:r></w:p>" for line in lines)
    document.add_paragraph()._p.append(parse_xml(_TEXT_BOX.format(paragraphs=paragraphs)))


def notice_docx(path: Path, period_text: str | None = "公示期为2026年11月25日至12月5日。") -> Path:
    """A 公示 as the office types it: centred bold title, the list, the period in the text, the
    contact details in a text box."""
    document = docx.Document()
    wps_paragraph(document, "关于2026年度城乡低保对象拟认定名单的公示", bold=True, size=22, center=True)
    wps_paragraph(document, "根据《社会救助暂行办法》，经入户调查、民主评议，现将拟认定名单予以公示。")
    table = document.add_table(rows=3, cols=2)
    for row, (name, village) in enumerate((("户主", "村（社区）"), ("张某某", "城关社区"), ("李某某", "东关村"))):
        table.cell(row, 0).text = name
        table.cell(row, 1).text = village
    if period_text:
        wps_paragraph(document, period_text + "如有异议，请在公示期内向县民政局反映。")
    _text_box(document, "联系单位：县民政局社会救助股", "联系电话：0797-1234567")
    document.save(path)
    return path


def empty_docx(path: Path, *, paragraphs: int = 3) -> Path:
    """A document with paragraphs but no text (a writer saved a blank file)."""
    document = docx.Document()
    for _ in range(paragraphs):
        document.add_paragraph("")
    document.save(path)
    return path


def gongwen_docx(path: Path, photos: tuple[bytes, bytes] | None = None) -> Path:
    """A document set as GB/T 9704 has it: title in 方正小标宋 二号 (centred, not bold), headings in
    黑体 (一、) and 楷体 (（一）) without bold over 仿宋 body text, a run-in “（二）” heading that starts a
    body paragraph, and two photos side by side in a table: one captioned in its own cell, one by
    the cell in the row below."""
    document = docx.Document()
    wps_paragraph(document, "关于做好今冬明春困难群众救助工作的报告", size=22, center=True, font="方正小标宋简体")
    wps_paragraph(document, "县政府：")
    wps_paragraph(document, "现将我局今冬明春困难群众救助工作情况报告如下。")
    wps_paragraph(document, "一、工作开展情况", font="黑体")
    wps_paragraph(document, "（一）摸底排查", font="楷体_GB2312")
    wps_paragraph(document, "全县共排查困难群众2300户。")
    run_in = document.add_paragraph()
    _wps_run(run_in, "（二）资金发放。", font="楷体_GB2312")
    _wps_run(run_in, "临时救助资金已于12月前发放到位。")
    if photos is not None:
        table = document.add_table(rows=2, cols=2)
        table.cell(0, 0).paragraphs[0].add_run().add_picture(io.BytesIO(photos[0]), width=Inches(2))
        table.cell(0, 0).add_paragraph("图为工作人员入户走访。")
        table.cell(0, 1).paragraphs[0].add_run().add_picture(io.BytesIO(photos[1]), width=Inches(2))
        table.cell(1, 1).text = "图：发放救助物资"
    wps_paragraph(document, "二、下一步工作", font="黑体")
    wps_paragraph(document, "继续做好救助工作。")
    document.save(path)
    return path


_CHINESE_NUMBERING = (
    '<w:abstractNum xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" w:abstractNumId="90">'
    '<w:multiLevelType w:val="multilevel"/>'
    '<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="%1、"/>'
    '<w:suff w:val="nothing"/></w:lvl>'
    '<w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="（%2）"/>'
    '<w:suff w:val="nothing"/></w:lvl>'
    '</w:abstractNum>')


def auto_numbered_docx(path: Path) -> Path:
    """Section headings numbered by WPS 编号 (“一、”, “（一）” from numbering.xml, not typed), bold,
    next to an ordinary numbered list that must stay a list."""
    document = docx.Document()
    numbering = document.part.numbering_part.element
    abstract = parse_xml(_CHINESE_NUMBERING)
    numbering.insert(0, abstract)  # abstract definitions come before the w:num entries
    num = parse_xml('<w:num xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" w:numId="90">'
                    '<w:abstractNumId w:val="90"/></w:num>')
    numbering.append(num)

    def numbered(text: str, level: int):
        paragraph = document.add_paragraph()
        paragraph.add_run(text).bold = True
        num_pr = OxmlElement("w:numPr")
        ilvl, num_id = OxmlElement("w:ilvl"), OxmlElement("w:numId")
        ilvl.set(qn("w:val"), str(level))
        num_id.set(qn("w:val"), "90")
        num_pr.extend([ilvl, num_id])
        paragraph._p.get_or_add_pPr().append(num_pr)

    document.add_heading("全县殡葬改革工作推进情况", level=1)
    document.add_paragraph("今年以来，全县殡葬改革工作稳步推进。")
    numbered("主要成效", 0)
    numbered("公益性公墓建设", 1)
    document.add_paragraph("新建公益性公墓5处。")
    numbered("移风易俗", 1)
    document.add_paragraph("主要措施：")
    document.add_paragraph("完善设施", style="List Number")
    document.add_paragraph("加强宣传", style="List Number")
    numbered("存在问题", 0)
    document.add_paragraph("部分村公墓管理不到位。")
    numbered("整改措施", 1)
    document.save(path)
    return path


def run_import_docx(project: Path, capsys, *args: str) -> tuple[int, str, str]:
    """``mzpress --root PROJECT import-docx ARGS``: the exit code, standard output and standard error."""
    code = main(["--root", str(project), "import-docx", *args])
    out = capsys.readouterr()
    return code, out.out, out.err


def story_request(date: dt.datetime, **overrides) -> PageRequest:
    """The page request of a story by 李晓梅 (writer) and 王建国 (editor) of elderly-care, dated ``date``."""
    values = dict(kind="story", title="", unit="elderly-care", author="李晓梅", editor="王建国", date=date)
    values.update(overrides)
    return PageRequest(**values)


# --- footnotes, endnotes, nested tables -------------------------------------------------------

_W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_NOTE_PARTS = {
    "footnote": ("footnotes", "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"),
    "endnote": ("endnotes", "application/vnd.openxmlformats-officedocument.wordprocessingml.endnotes+xml"),
}


def _note_reference(paragraph, kind: str, number: int):
    """A footnote/endnote reference mark (Word's 引用 → 插入脚注) at the end of ``paragraph``."""
    paragraph._p.append(parse_xml(
        f'<w:r xmlns:w="{_W_NS}"><w:rPr><w:vertAlign w:val="superscript"/></w:rPr>'
        f'<w:{kind}Reference w:id="{number}"/></w:r>'))


def add_note_parts(path: Path, notes: dict[str, list[str]]) -> None:
    """Add word/footnotes.xml and word/endnotes.xml (python-docx cannot write them) to the saved file."""
    with zipfile.ZipFile(path) as old:
        items = [(info, old.read(info)) for info in old.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as new:
        for info, data in items:
            for kind, texts in notes.items():
                if not texts:
                    continue
                part, content_type = _NOTE_PARTS[kind]
                if info.filename == "[Content_Types].xml":
                    data = data.replace(b"</Types>", (
                        f'<Override PartName="/word/{part}.xml" ContentType="{content_type}"/></Types>').encode())
                if info.filename == "word/_rels/document.xml.rels":
                    data = data.replace(b"</Relationships>", (
                        f'<Relationship Id="rId{part}" Type="http://schemas.openxmlformats.org/officeDocument/'
                        f'2006/relationships/{part}" Target="{part}.xml"/></Relationships>').encode())
            new.writestr(info, data)
        for kind, texts in notes.items():
            if not texts:
                continue
            part, _ = _NOTE_PARTS[kind]
            body = "".join(
                f'<w:{kind} w:id="{number}"><w:p><w:r><w:rPr><w:vertAlign w:val="superscript"/></w:rPr>'
                f'<w:{kind}Ref/></w:r><w:r><w:t xml:space="preserve"> {text}</w:t></w:r></w:p></w:{kind}>'
                for number, text in enumerate(texts, start=1))
            new.writestr(f"word/{part}.xml", (
                f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:{part} xmlns:w="{_W_NS}">'
                f'<w:{kind} w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:{kind}>'
                f'<w:{kind} w:type="continuationSeparator" w:id="0"><w:p><w:r><w:continuationSeparator/></w:r>'
                f'</w:p></w:{kind}>{body}</w:{part}>').encode())


def notes_docx(path: Path, *, footnotes: tuple[str, ...] = (), endnotes: tuple[str, ...] = (),
               title: str = "全县养老服务体系建设情况") -> Path:
    """A report with a centred title, a lead paragraph carrying each footnote reference (引用 → 插入脚注)
    and a second paragraph carrying each endnote reference (插入尾注)."""
    document = docx.Document()
    wps_paragraph(document, title, bold=True, size=22, center=True)
    lead = wps_paragraph(document, "今年以来，全县新建农村互助养老服务点40个，覆盖率达到85%以上。")
    for number in range(1, len(footnotes) + 1):
        _note_reference(lead, "footnote", number)
    second = wps_paragraph(document, "下一步，县民政局将继续完善居家养老服务网络。")
    for number in range(1, len(endnotes) + 1):
        _note_reference(second, "endnote", number)
    document.save(path)
    add_note_parts(path, {"footnote": list(footnotes), "endnote": list(endnotes)})
    return path


def nested_table_docx(path: Path) -> Path:
    """A table with another table inside one of its cells (a form pasted into a form)."""
    document = docx.Document()
    wps_paragraph(document, "城关镇敬老院入住老人情况", bold=True, size=22, center=True)
    wps_paragraph(document, "截至11月底，城关镇敬老院共有入住老人36名，具体情况如下。")
    outer = document.add_table(rows=2, cols=2)
    outer.cell(0, 0).text = "项目"
    outer.cell(0, 1).text = "情况"
    outer.cell(1, 0).text = "入住老人"
    inner = outer.cell(1, 1).add_table(rows=2, cols=2)
    for row, (label, count) in enumerate((("男", "20"), ("女", "16"))):
        inner.cell(row, 0).text = label
        inner.cell(row, 1).text = count
    wps_paragraph(document, "敬老院将继续做好入住老人的照料服务。")
    document.save(path)
    return path
