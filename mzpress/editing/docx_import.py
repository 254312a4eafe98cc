"""A writer's Word/WPS ``.docx`` file becomes a story or a notice: Markdown, front matter and web-ready images.

:mod:`mzpress.text.word_outline` marks the visible title and the headings the writer made
(heading styles, outline levels, bold numbered paragraphs such as “一、主要做法”); mammoth
reads the document (those headings, lists by numbering, tables, bold, hyperlinks, images with
their alt text) into HTML; a “图为……” caption under a picture becomes its alt text;
:mod:`mzpress.text.html_markdown` writes Markdown (only http, https and mailto links are kept;
the writer is told of each link dropped), :mod:`mzpress.text.images` re-encodes every image
(upright, long edge within the limit, no EXIF/GPS). Footnotes and endnotes become Markdown
footnotes; a table inside a table cell is flattened into that cell, with a note. The title and
the summary get ``mzpress fmt``'s corrections (:func:`mzpress.checks.typography.fix_text`); a
notice's slug is made from its title without the dates (:func:`mzpress.model.slugs.notice_slug`).
Everything is prepared in memory and written all-or-nothing: a failure leaves no file behind, and
an existing page or image is never replaced. A document whose body is already on the site (same
words, also after ``fmt``, see :mod:`mzpress.editing.imported_pages`) is refused; a page with the
same title is pointed out; :func:`update_from_docx` replaces the body of an existing page instead,
keeping its front matter and the old text (git or a backup).
"""

from __future__ import annotations

import hashlib
import io
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from xml.etree import ElementTree

import mammoth
from lxml import etree

from mzpress.checks.typography import GOVERNMENT, fix_text
from mzpress.editing.atomic_files import TargetExistsError, write_new_files
from mzpress.editing.imported_pages import body_fingerprint, find_imported, find_titled
from mzpress.editing.in_place import rewrite
from mzpress.editing.scaffold import (
    PAGE_KINDS,
    SECTION,
    PageRequest,
    check_campaign,
    choose_slug,
    existing_slugs,
    page_path,
    render_page,
    validate_request,
)
from mzpress.model.findings import FindingsError
from mzpress.model.frontmatter import split
from mzpress.model.slugs import notice_slug, unique_slug
from mzpress.text.html_markdown import (
    HEADINGS,
    IN_HTML_TABLE,
    INVISIBLE,
    NO_HOST,
    NOT_ADDRESS,
    OTHER_SCHEME,
    DroppedLink,
    Element,
    clean_text,
    has_nested_table,
    iter_elements,
    parse_html,
    render_markdown,
    text_content,
)
from mzpress.text.images import MISSING_ALT, ImageError, ImageLimits, human_size, normalize
from mzpress.text.notice_period import Period, chinese_date, find_period
from mzpress.text.word_outline import STYLE_MAP, TITLE_CLASS, mark_outline

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTION_STREAM = "EncryptionInfo".encode("utf-16-le")
LEGACY_SUFFIXES = {".doc": "Word 97-2003 文档（.doc）", ".wps": "WPS 文字旧格式（.wps）",
                   ".dot": "Word 97-2003 模板（.dot）", ".wpt": "WPS 文字模板（.wpt）"}
MAX_UNCOMPRESSED = 1024 * 1024 * 1024  # a .docx expanding beyond 1 GB is broken or hostile
MAX_TITLE_LENGTH = 80
MAX_CAPTION_ALT = 80  # a longer “caption” is a paragraph about the picture, not a description of it
SUMMARY_LENGTH = 120
IMPORT_KINDS = ("story", "notice", "member")
# Word marks alt text it wrote itself; a writer has not described the picture. WPS and
# Word also fill in the picture's file name.
_AUTO_ALT = re.compile(r"自动生成|automatically generated|^\S*\.(?:jpe?g|png|gif|bmp|tiff?|webp|heic)$"
                       r"|^(?:IMG|DSC|微信图片)[_\d\s-]", re.IGNORECASE)
_CAPTION = re.compile(r"^图\s*(?:\d+\s*)?(?:为|[：:])\s*")
_GENERIC_TITLES = re.compile(r"^(?:无标题|文档|新建.*文档|document|microsoft word.*|word 文档|标题)\s*\d*$", re.IGNORECASE)
_METAFILE_TYPES = {"image/x-wmf", "image/x-emf", "image/wmf", "image/emf"}
_SAVE_AS_DOCX = "用 WPS 或 Word 打开它，点“文件 → 另存为”，文件类型选“Word 文档（*.docx）”，保存后导入新文件。"


class DocxImportError(ValueError):
    """Why a file cannot be imported, and what to do, in plain Chinese."""


@dataclass
class EmbeddedImage:
    number: int
    data: bytes
    content_type: str
    alt: str


@dataclass
class DocxContent:
    """What was read from the .docx, before the story is named."""

    nodes: list[Element | str]
    images: list[EmbeddedImage]
    core_title: str
    image_refs: dict[str, int] = field(default_factory=dict)  # mammoth src -> image number
    visible_title: str = ""


@dataclass
class ImportResult:
    story: Path  # the page written (a story or a notice)
    images: list[Path]
    missing_alt: int
    summary_guessed: bool
    title: str
    notes: list[str] = field(default_factory=list)
    kind: str = "story"
    period: Period | None = None  # a notice's publicity period read from the text
    backup: Path | None = None  # ``update_from_docx``: the copy of the old page (None when git keeps it)
    reused_images: list[Path] = field(default_factory=list)  # ``update_from_docx``: images already there
    summary: str = ""  # the summary written (empty when none was given and none could be taken from the text)


# --- reading ----------------------------------------------------------------------------------

def check_container(path: Path) -> bytes:
    """The bytes of a readable .docx, or :class:`DocxImportError` saying why not."""
    name = path.name
    suffix = path.suffix.lower()
    if suffix in LEGACY_SUFFIXES:
        raise DocxImportError(f"{name} 是{LEGACY_SUFFIXES[suffix]}，只能导入新格式的 .docx 文件。{_SAVE_AS_DOCX}")
    if suffix != ".docx":
        raise DocxImportError(f"{name} 不是 Word 文档（.docx），无法导入。只能导入用 WPS 或 Word 保存的 .docx 文件。")
    if not path.is_file():
        raise DocxImportError(f"找不到文件 {path}。请检查文件名和所在文件夹（可以把文件拖进终端窗口得到完整路径）。")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise DocxImportError(f"无法读取 {name}：{exc.strerror or exc}。如果文件正在 WPS/Word 中打开，请先关闭。") from None
    if not data:
        raise DocxImportError(f"{name} 是空文件（0字节），可能没有保存成功。请重新保存后再导入。")
    if data.startswith(OLE_MAGIC):
        if _ENCRYPTION_STREAM in data:
            raise DocxImportError(
                f"{name} 设置了打开密码，无法读取。请在 WPS/Word 中打开它，"
                "点“文件 → 文档加密（或“信息 → 保护文档”）”清除密码，另存为新的 .docx 后再导入。")
        raise DocxImportError(f"{name} 虽然扩展名是 .docx，实际上是旧版 .doc 格式。{_SAVE_AS_DOCX}")
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise DocxImportError(f"{name} 已损坏，或不是 Word 文档（无法按 .docx 格式读取）。"
                              "请用 WPS/Word 打开确认能正常显示，再“另存为”一份新的 .docx 后导入。")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            total = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError):
        raise DocxImportError(f"{name} 已损坏，无法读取。请用 WPS/Word 打开后另存为新的 .docx 再导入。") from None
    if total > MAX_UNCOMPRESSED:
        raise DocxImportError(f"{name} 解压后超过 1 GB，文件异常，无法导入。请另存为新的 .docx 或删去过大的内容。")
    if "word/document.xml" not in names:
        if "xl/workbook.xml" in names:
            kind = "Excel 表格"
        elif "ppt/presentation.xml" in names:
            kind = "PowerPoint 演示文稿"
        else:
            kind = "其他类型的文件"
        raise DocxImportError(f"{name} 实际上是{kind}，不是 Word 文档。请把稿件内容放进 Word/WPS 文字文档，保存为 .docx 后导入。")
    return data


def _core_title(data: bytes) -> str:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            xml = archive.read("docProps/core.xml")
        tree = ElementTree.fromstring(xml)
    except (KeyError, zipfile.BadZipFile, ElementTree.ParseError, OSError):
        return ""
    node = tree.find("{http://purl.org/dc/elements/1.1/}title")
    title = clean_text(node.text or "") if node is not None else ""
    return "" if _GENERIC_TITLES.match(title) else title


def _clean_alt(alt: str | None) -> str:
    text = clean_text(alt or "")
    return "" if _AUTO_ALT.search(text) else text


def read_docx(path: Path) -> DocxContent:
    """Convert ``path`` with mammoth; images are kept as bytes, numbered in order of first use."""
    data = check_container(path)
    images: list[EmbeddedImage] = []
    by_hash: dict[str, EmbeddedImage] = {}
    refs: dict[str, int] = {}
    failures: list[str] = []

    def convert_image(image) -> dict[str, str]:
        src = f"mzpress-image:{len(refs) + 1}"
        try:
            with image.open() as stream:
                blob = stream.read()
        except Exception:
            failures.append(f"文档中有一张图片的数据缺失（第{len(refs) + 1}处图片），可能是链接到电脑上的外部图片。"
                            "请在 WPS/Word 中删除它，用“插入 → 图片”重新插入后再导入。")
            blob = b""
        digest = hashlib.sha256(blob).hexdigest()
        known = by_hash.get(digest)
        if known is None:
            known = EmbeddedImage(len(images) + 1, blob, image.content_type or "", _clean_alt(image.alt_text))
            images.append(known)
            by_hash[digest] = known
        elif not known.alt:
            known.alt = _clean_alt(image.alt_text)
        refs[src] = known.number
        return {"src": src}

    broken = DocxImportError(f"{path.name} 的内容已损坏，无法读取。"
                             "请用 WPS/Word 打开确认能正常显示，再“另存为”一份新的 .docx 后导入。")
    try:
        marked = mark_outline(data)
    except (KeyError, zipfile.BadZipFile, etree.XMLSyntaxError, ValueError, OSError):
        raise broken from None
    try:
        result = mammoth.convert_to_html(io.BytesIO(marked.data),
                                         convert_image=mammoth.images.img_element(convert_image),
                                         style_map=STYLE_MAP)
    except Exception:
        raise broken from None
    if failures:
        raise DocxImportError(failures[0])
    return DocxContent(parse_html(result.value), images, _core_title(data), refs, marked.visible_title)


# --- shaping the story ------------------------------------------------------------------------

def _blocks(nodes: list[Element | str]) -> list[Element]:
    """Top-level blocks that have visible content (text or an image)."""
    return [n for n in nodes if isinstance(n, Element)
            and (clean_text(text_content(n)) or any(e.tag == "img" for e in iter_elements([n])))]


def require_text(content: DocxContent, name: str) -> None:
    """Refuse a document without a single character of text (a blank file, or text only in pictures)."""
    if not any(clean_text(text_content(block)) for block in _blocks(content.nodes)):
        raise DocxImportError(f"{name} 里没有文字（可能是空白文档，或者文字都在图片里）。"
                              "请在 WPS/Word 中打开确认稿件的文字能选中、能复制，保存后重新导入。")


def _squashed(text: str) -> str:
    return re.sub(r"[\s\u3000]+", "", text)


def take_title(content: DocxContent, given: str | None) -> tuple[str, str]:
    """Decide the title and remove it from the body: given, the visible title (a bold, centred or
    larger first line, or a title style), core properties, first heading, first paragraph.

    Returns the title and a note for the writer when it deserves a second look.
    """
    blocks = _blocks(content.nodes)
    headings = [b for b in blocks if b.tag in HEADINGS]
    visible = next((b for b in headings if TITLE_CLASS in b.attrs.get("class", "").split()), None)
    first = blocks[0] if blocks and blocks[0].tag != "table" else None
    first_text = clean_text(text_content(first)) if first is not None else ""
    title = clean_text(given or "")
    note = ""
    if title and visible is not None:
        content.nodes.remove(visible)  # the writer re-titled the page: the document's title line goes
        return title, note
    if not title and visible is not None:
        title = clean_text(text_content(visible))
        content.nodes.remove(visible)
        if content.core_title and _squashed(content.core_title) != _squashed(title):
            note = (f"文档属性里的标题（“文件 → 属性”中的标题）是“{content.core_title}”，"
                    f"与正文标题“{title}”不同，已采用正文标题。如需其他标题，请用 --title 指定。")
        return title, note
    if not title and content.core_title:
        title = content.core_title
        if first_text and first_text != title:
            note = (f"标题取自文档属性（“文件 → 属性”里的标题）：“{title}”，与正文第一行“{first_text}”不同，"
                    "请核对；需要时用 --title 指定。")
    if title:
        if first is not None and first_text == title:
            content.nodes.remove(first)
        return title, note
    top = [h for h in headings if h.tag == "h1"]
    if top:
        candidate = top[0]
    elif first is not None and first.tag in (*HEADINGS, "p"):
        candidate = first
    else:
        raise DocxImportError("文档里找不到标题。请用 --title 指定标题，或在 Word 中把标题设为“标题 1”样式后重新导入。")
    title = clean_text(text_content(candidate))
    if not title:
        raise DocxImportError("文档第一段没有文字，无法作为标题。请用 --title 指定标题。")
    if len(title) > MAX_TITLE_LENGTH:
        raise DocxImportError(f"文档第一段有{len(title)}个字，不像标题。"
                              "请用 --title 指定标题，或在 Word 中把标题单独成段并设为“标题 1”样式。")
    content.nodes.remove(candidate)
    return title, note


def guess_summary(nodes: list[Element | str]) -> str:
    """The first sentence(s) of the first real paragraph, at most about 120 characters."""
    for block in _blocks(nodes):
        if block.tag != "p":
            continue
        text = clean_text(text_content(block))
        if len(text) < 20:
            continue  # a dateline or a byline, not the lead
        if len(text) <= SUMMARY_LENGTH:
            return text
        cut = text.rfind("。", 0, SUMMARY_LENGTH)
        return text[: cut + 1] if cut >= 20 else text[:SUMMARY_LENGTH] + "……"
    return ""


def heading_shift(nodes: list[Element | str]) -> int:
    """How far to move headings so the highest one left in the body becomes ``##``."""
    levels = [HEADINGS[e.tag] for e in iter_elements(nodes) if e.tag in HEADINGS]
    return 2 - min(levels) if levels else 0


_PARAGRAPHS = ("p", *HEADINGS)
_CONTAINERS = ("ul", "ol", "li", "blockquote", "thead", "tbody", "tr", "td", "th")


def _pictures(element: Element) -> list[Element]:
    return [e for e in iter_elements([element]) if e.tag == "img"]


def _caption_of(element: Element) -> str:
    text = clean_text(text_content(element))
    return text if _CAPTION.match(text) else ""


def _rows(table: Element) -> list[list[Element]]:
    """The cells of each row of ``table`` (not of tables nested in it)."""
    trs: list[Element] = []
    for child in table.children:
        if isinstance(child, Element) and child.tag == "tr":
            trs.append(child)
        elif isinstance(child, Element) and child.tag in ("thead", "tbody"):
            trs += [tr for tr in child.children if isinstance(tr, Element) and tr.tag == "tr"]
    return [[c for c in tr.children if isinstance(c, Element) and c.tag in ("td", "th")] for tr in trs]


def _picture_captions(nodes: list[Element | str]):
    """(pictures, caption) for every picture paragraph with a “图为……” line under it or after it,
    in the body, in list items and in table cells; also a row of photos over a row of captions."""
    blocks = _blocks(nodes)
    for index, block in enumerate(blocks):
        if block.tag == "table":
            rows = _rows(block)
            for cells in rows:
                for cell in cells:
                    yield from _picture_captions(cell.children)
            for cells, below in zip(rows, rows[1:]):
                if len(cells) != len(below):
                    continue
                for cell, under in zip(cells, below):
                    pictures = _pictures(cell)
                    if pictures and not clean_text(text_content(cell)) and _caption_of(under):
                        yield pictures, _caption_of(under)
            continue
        if block.tag in _CONTAINERS:
            yield from _picture_captions(block.children)
            continue
        pictures = _pictures(block)
        if not pictures or block.tag not in _PARAGRAPHS:
            continue
        if clean_text(text_content(block)):
            caption = _caption_of(block)  # picture, line break, caption: one paragraph
        elif index + 1 < len(blocks) and blocks[index + 1].tag == "p":
            caption = _caption_of(blocks[index + 1])
        else:
            caption = ""
        if caption:
            yield pictures, caption


def apply_captions(content: DocxContent) -> list[str]:
    """A “图为……” / “图：……” line right under a picture (or after it in the same paragraph, or in the
    table row below a row of photos) becomes the picture's alt text; the line itself stays as the
    caption. A picture's own description (Word's alt text) is kept. Returns notes for the writer."""
    notes: list[str] = []
    for pictures, caption in _picture_captions(content.nodes):
        numbers = "、".join(f"第{content.image_refs[e.attrs.get('src', '')]}张"
                           for e in pictures if e.attrs.get("src", "") in content.image_refs)
        if len(caption) > MAX_CAPTION_ALT:
            notes.append(f"{numbers}图片下面的说明有{len(caption)}个字，太长，没有用作图片说明文字（alt）。"
                         f"请在稿件里把这张图片的说明文字改成一句{MAX_CAPTION_ALT}字以内的描述。")
            continue
        alt = _CAPTION.sub("", caption).rstrip("。．. ")
        for picture in pictures:
            if alt and not _clean_alt(picture.attrs.get("alt")):
                picture.attrs["alt"] = alt
    return notes


def _image_note(image: EmbeddedImage, error: ImageError) -> str:
    if image.content_type.lower() in _METAFILE_TYPES:
        return (f"文档中的第{image.number}张图片是 Windows 图元文件（WMF/EMF，常见于从 Excel 粘贴的图表），网站无法显示。"
                "请在 WPS/Word 中右键该图片“另存为图片”，保存为 PNG，再用“插入 → 图片”替换后重新导入。")
    return (f"文档中的第{image.number}张图片无法使用：{error}"
            "请在 WPS/Word 中删除它，换成正常的 JPG/PNG 图片后重新导入。")


class _ImageFiles:
    """Images in order of first use in the body: processed once, named ``<slug>-N.jpg|png``.

    With ``reuse`` (updating a page) an image identical to one already in ``directory`` under the
    page's slug keeps that file, and new images take numbers after the ones in use.
    """

    def __init__(self, content: DocxContent, slug: str, directory: Path, limits: ImageLimits,
                 reuse: bool = False):
        self.content, self.slug, self.directory, self.limits = content, slug, directory, limits
        self.by_number = {image.number: image for image in content.images}
        self.files: dict[Path, bytes] = {}
        self.names: dict[int, str] = {}
        self.alts: dict[int, str] = {}
        self.missing_alt = 0
        self.reused: list[Path] = []
        self.existing: dict[bytes, str] = {}
        self.next_number = 1
        if reuse and directory.is_dir():
            pattern = re.compile(rf"^{re.escape(slug)}-(\d+)\.[A-Za-z0-9]+$")
            for path in sorted(directory.iterdir()):
                match = pattern.match(path.name)
                if match and path.is_file():
                    self.next_number = max(self.next_number, int(match.group(1)) + 1)
                    self.existing.setdefault(hashlib.sha256(path.read_bytes()).digest(), path.name)

    def name_for(self, number: int) -> str:
        if number not in self.names:
            image = self.by_number[number]
            try:
                processed = normalize(image.data, "这张图片", self.limits)
            except ImageError as exc:
                raise DocxImportError(_image_note(image, exc)) from None
            known = self.existing.get(hashlib.sha256(processed.data).digest())
            if known is not None:
                self.names[number] = known
                self.reused.append(self.directory / known)
                return known
            name = f"{self.slug}-{self.next_number}{processed.suffix}"
            self.next_number += 1
            self.names[number] = name
            self.files[self.directory / name] = processed.data
        return self.names[number]

    def render(self, src: str, alt: str) -> str:
        number = self.content.image_refs.get(src)
        if number is None:
            return ""
        name = self.name_for(number)
        text = _clean_alt(alt) or self.by_number[number].alt
        if text:
            self.alts.setdefault(number, text)
        else:
            self.missing_alt += 1
            text = MISSING_ALT
        text = text.replace("\\", "\\\\").replace("[", "\\[").replace("]", "\\]")
        return f"![{text}](images/{name})"


def body_text(nodes: list[Element | str]) -> str:
    """The text of the body, one block per line (where a notice's publicity period is looked for)."""
    return "\n".join(clean_text(text_content(block)) for block in _blocks(nodes))


def no_period_error(name: str) -> DocxImportError:
    return DocxImportError(
        f"{name} 里没有找到公示期（例如“公示期为2026年11月25日至12月5日”），命令里也没有给出。"
        "通知公告必须写明公示起止日期：请加上 --start 2026-11-25 --end 2026-12-05 后重新导入，"
        "或在文档中写明公示期后再导入。")


def _notice_period(request: PageRequest, content: DocxContent, name: str,
                   confirm: Callable[[Period], bool] | None) -> Period | None:
    """Fill ``request.start``/``end`` for a notice; the period read from the text, if that is where it came from."""
    if request.start or request.end:
        return None  # given on the command line: the writer's word
    period = find_period(body_text(content.nodes), request.date.year)
    if period is None:
        raise no_period_error(name)
    if confirm is not None and not confirm(period):
        raise DocxImportError(f"公示期（{chinese_date(period.start)}至{chinese_date(period.end)}）未确认。"
                              "请用 --start 和 --end 写明公示起止日期后重新导入。")
    request.start, request.end = period.start, period.end
    return period


_EDIT_LINK = ("如需链接，请在 WPS/Word 中右键这段文字，选“编辑超链接”，把地址改成以 http://、https:// 开头的网址"
              "或 mailto: 加邮箱地址，再重新导入；也可以导入后在稿件中补写链接。")


def link_note(link: DroppedLink) -> str:
    """What the writer is told about a hyperlink the page does not carry (Chinese)."""
    shown = f"链接“{link.text}”" if link.text else "图片上的链接"
    if link.reason == IN_HTML_TABLE:
        return (f"{shown}在有合并单元格的表格里，这种表格在网页上只显示文字，已去掉链接，只保留文字。"
                "如需链接，请导入后把它写在表格下面的段落里。")
    why = {
        INVISIBLE: "的地址里有换行、制表符或其他看不见的字符（在 WPS/Word 中看不出来），不能使用",
        OTHER_SCHEME: f"的地址以“{link.scheme}:”开头，不是网址或邮箱地址，网站不能使用",
        NOT_ADDRESS: "的地址不是完整的网址（可能是电脑上的文件或文件夹），读者打不开",
        NO_HOST: "的地址不完整，缺少网站或邮箱地址",
    }.get(link.reason, "的地址不能使用")
    return f"{shown}{why}，已去掉链接，只保留文字。{_EDIT_LINK}"


NESTED_TABLE_NOTE = ("文档里有“表格中套表格”（一个单元格里又插入了表格），网页不能这样显示，"
                     "已把里面的表格合成文字放进那个单元格（每行之间用“；”隔开）。请打开稿件核对那张表格；"
                     "如需保留成表格，请在 WPS/Word 中把里面的表格移到大表格下面单独成表，再重新导入。")


def _markdown_body(content: DocxContent, images: _ImageFiles) -> tuple[str, list[str]]:
    """The page body, and a note for each hyperlink kept as text only."""
    dropped: list[DroppedLink] = []
    body = render_markdown(content.nodes, images.render, heading_shift=heading_shift(content.nodes),
                           dropped_links=dropped)
    notes = [link_note(link) for link in dropped]
    if has_nested_table(content.nodes):
        notes.append(NESTED_TABLE_NOTE)
    return body, notes


def _oversize_note(images: _ImageFiles, limits: ImageLimits) -> list[str]:
    oversize = [path.name for path, data in images.files.items() if len(data) > limits.max_bytes]
    if not oversize:
        return []
    return [f"以下图片压缩后仍超过 {human_size(limits.max_bytes)}：{'、'.join(oversize)}，"
            "scripts/mzpress check 会报错，请换成较小的图片。"]


def _already_imported(root: Path, body: str, source: Path) -> None:
    existing = find_imported(root, body_fingerprint(body))
    if existing is None:
        return
    relpath = existing.relative_to(root).as_posix()
    raise DocxImportError(
        f"这份文档已经导入过：{relpath} 的正文与 {source.name} 相同，没有再导入一份。"
        f"如果文档有修改，要替换那篇稿件的正文，请运行：scripts/mzpress import-docx {source.name} --update {relpath}")


def _same_title_notes(root: Path, title: str) -> list[str]:
    """A note naming the pages that already have this title (a second import, or two stories one name)."""
    same = find_titled(root, title)
    if not same:
        return []
    shown = "、".join(path.relative_to(root).as_posix() for path in same[:3]) + ("等" if len(same) > 3 else "")
    return [f"网站上已有同样标题的稿件：{shown}。如果是同一篇稿件，请删除这次导入的文件；"
            "如果是文档修改后的新版本，请改用 --update 替换那篇稿件的正文；如果是不同的稿件，请改一个能区分的标题。"]


def import_docx(root: Path, source: Path, request: PageRequest, limits: ImageLimits | None = None,
                confirm_period: Callable[[Period], bool] | None = None, style: str = GOVERNMENT) -> ImportResult:
    """Import ``source`` as a page under ``root``; ``request`` carries kind (story or notice), unit,
    author, editor, date, topics, and for a notice the publicity period when the writer gave it.

    ``request.title``, ``summary`` and ``slug`` may be empty: they are taken from the document (a
    notice's slug from its title without the dates). The title and the summary get the corrections of
    ``mzpress fmt`` (``style``: the site's spacing style). A notice without ``start``/``end`` takes its
    period from the text (``confirm_period`` may refuse it).
    """
    limits = limits or ImageLimits()
    source = Path(source)
    kind = request.kind if request.kind in IMPORT_KINDS else "story"
    content = read_docx(source)
    require_text(content, source.name)
    title, title_note = take_title(content, request.title)
    request.kind, request.title = kind, title
    body_nodes = content.nodes
    if not _blocks(body_nodes):
        raise DocxImportError(f"{source.name} 除了标题没有正文内容，无法导入。")
    notes = [title_note] if title_note else []
    notes += apply_captions(content)
    period = _notice_period(request, content, source.name, confirm_period) if kind == "notice" else None
    summary_guessed = not request.summary.strip()
    if summary_guessed:
        request.summary = guess_summary(body_nodes)
    # what ``mzpress fmt`` would make of them: full-width punctuation in Chinese text, no stray spaces
    request.title = title = fix_text(title, style)
    request.summary = fix_text(request.summary.strip(), style)
    validate_request(request)
    campaign = check_campaign(root, request.campaign) if kind == "member" else None
    if kind == "notice" and not request.slug:  # from the title's words, not its date
        request.slug = unique_slug(notice_slug(title), existing_slugs(root, kind, campaign))
    else:
        request.slug = choose_slug(root, kind, title, request.slug, campaign)
    story_path = page_path(root, kind, request.date, request.slug, campaign)
    images = _ImageFiles(content, request.slug, story_path.parent / "images", limits)
    request.body, link_notes = _markdown_body(content, images)
    _already_imported(root, request.body, source)
    notes += _same_title_notes(root, title)
    if images.names and not request.cover and kind in ("story", "member"):
        number, name = next(iter(images.names.items()))
        request.cover = f"images/{name}"
        request.cover_alt = images.alts.get(number) or MISSING_ALT
    files = {**images.files, story_path: render_page(request).encode("utf-8")}
    try:
        written = write_new_files(files)
    except TargetExistsError as exc:
        raise DocxImportError(f"{exc.path} 已经存在，没有覆盖，也没有写入任何文件。"
                              "请用 --slug 指定另一个文件名后重新导入。") from None
    notes += link_notes + _oversize_note(images, limits)
    return ImportResult(story_path, [p for p in written if p != story_path], images.missing_alt,
                        summary_guessed, title, notes, kind, period, summary=request.summary)


def _page_to_update(root: Path, target: Path) -> tuple[Path, str, str]:
    """The page ``--update`` names: its path, its kind and its text with ``\\n`` line ends."""
    root = Path(root).resolve()
    candidates = [Path(target)] if Path(target).is_absolute() else [Path.cwd() / target, root / target]
    path = next((c.resolve() for c in candidates if c.is_file()), None)
    shown = Path(target).as_posix()
    if path is None:
        raise DocxImportError(f"找不到要更新的稿件 {shown}。请写稿件文件的路径，"
                              "例如 --update content/stories/2025/xxx.md（可以把文件拖进终端窗口得到完整路径）。")
    kind = None
    for name in PAGE_KINDS:  # a campaign's folder: its member pages (the campaign's own index.md is refused below)
        try:
            path.relative_to(root / "content" / SECTION[name])
            kind = name
        except ValueError:
            continue
    if kind not in IMPORT_KINDS or path.suffix != ".md" or path.name == "index.md":
        raise DocxImportError(f"{shown} 不是民政故事、通知公告或专题活动稿件的文件，--update 只能更新 "
                              "content/stories/、content/notices/ 或 content/campaigns/活动/ 下的 .md 稿件。")
    try:
        text = path.read_text(encoding="utf-8").replace("\r\n", "\n")
        split(text, path.name)
    except (OSError, UnicodeDecodeError, FindingsError):
        raise DocxImportError(f"{shown} 的开头信息区无法读取，没有更新。"
                              "请先运行 scripts/mzpress check 修好这个文件，再用 --update 更新。") from None
    return path, kind, text


def update_from_docx(root: Path, source: Path, target: Path, limits: ImageLimits | None = None) -> ImportResult:
    """Replace the body of the existing page ``target`` with the text of ``source``.

    The front matter is kept as it is, character for character (title, dates, summary, cover...);
    the old page stays recoverable: git keeps it when it is committed unchanged, otherwise a copy goes
    to ``.mzpress-backup/``. Images identical to ones the page already has keep their files; new ones
    are added beside them, none is removed.
    """
    limits = limits or ImageLimits()
    source = Path(source)
    path, kind, text = _page_to_update(root, target)
    document = split(text, path.name)
    front = text[: len(text) - len(document.body)]
    content = read_docx(source)
    require_text(content, source.name)
    page_title = clean_text(str(document.meta.get("title") or ""))
    doc_title = content.visible_title
    if page_title:  # drops the document's title line, or a first line equal to the page's title
        take_title(content, page_title)
    if not _blocks(content.nodes):
        raise DocxImportError(f"{source.name} 除了标题没有正文内容，没有更新 {path.name}。")
    notes = apply_captions(content)
    if page_title and doc_title and _squashed(doc_title) != _squashed(page_title):
        notes.append(f"文档标题“{doc_title}”与稿件原来的标题“{page_title}”不同，保留了原来的标题；"
                     "如需改标题，请直接修改稿件开头的 title 一行。")
    images = _ImageFiles(content, path.stem, path.parent / "images", limits, reuse=True)
    body, link_notes = _markdown_body(content, images)
    if body_fingerprint(body) == body_fingerprint(document.body) and not images.files:
        raise DocxImportError(f"{source.name} 的正文与 {path.name} 现在的正文相同，不需要更新。")
    try:
        written = write_new_files(images.files)
    except TargetExistsError as exc:
        raise DocxImportError(f"{exc.path} 已经存在，没有覆盖，也没有更新稿件。请稍后重试。") from None
    new_text = front.rstrip("\n") + "\n\n" + body
    try:
        backup = rewrite(path, new_text.encode("utf-8"), git_is_backup=True)
    except OSError as exc:
        for image in written:
            image.unlink(missing_ok=True)
        raise DocxImportError(f"无法写入 {path.name}：{exc.strerror or exc}。稿件没有改动。") from None
    notes += link_notes + _oversize_note(images, limits)
    summary = _squashed(str(document.meta.get("summary") or "").rstrip("…"))
    if summary and summary in _squashed(document.body) and summary not in _squashed(body):
        notes.append("摘要（summary）里的话在原来的正文中有、在新正文中已经没有了（可能是从原来的第一段截取的），"
                     "请打开稿件核对摘要。")
    return ImportResult(path, written, images.missing_alt, False, page_title or doc_title, notes, kind,
                        None, backup, images.reused)
