"""A writer's Word/WPS ``.docx`` file becomes a story: Markdown, front matter and web-ready images.

mammoth reads the document (headings by Word style, lists by numbering, tables, bold,
images with their alt text) into HTML, :mod:`mzpress.text.html_markdown` writes Markdown,
:mod:`mzpress.text.images` re-encodes every image (upright, long edge within the limit, no
EXIF/GPS). Everything is prepared in memory and written all-or-nothing: a failure leaves
no file behind, and an existing story or image is never replaced.
"""

from __future__ import annotations

import hashlib
import io
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from xml.etree import ElementTree

import mammoth

from mzpress.editing.atomic_files import TargetExistsError, write_new_files
from mzpress.editing.scaffold import PageRequest, choose_slug, page_path, render_page, validate_request
from mzpress.text.html_markdown import (
    HEADINGS,
    Element,
    clean_text,
    iter_elements,
    parse_html,
    render_markdown,
    text_content,
)
from mzpress.text.images import MISSING_ALT, ImageError, ImageLimits, human_size, normalize

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTION_STREAM = "EncryptionInfo".encode("utf-16-le")
LEGACY_SUFFIXES = {".doc": "Word 97-2003 文档（.doc）", ".wps": "WPS 文字旧格式（.wps）",
                   ".dot": "Word 97-2003 模板（.dot）", ".wpt": "WPS 文字模板（.wpt）"}
MAX_UNCOMPRESSED = 1024 * 1024 * 1024  # a .docx expanding beyond 1 GB is broken or hostile
MAX_TITLE_LENGTH = 80
SUMMARY_LENGTH = 120
# Word marks alt text it wrote itself; a writer has not described the picture.
_AUTO_ALT = re.compile(r"自动生成|automatically generated", re.IGNORECASE)
_GENERIC_TITLES = re.compile(r"^(?:无标题|文档|新建.*文档|document|microsoft word.*|word 文档|标题)\s*\d*$", re.IGNORECASE)
_METAFILE_TYPES = {"image/x-wmf", "image/x-emf", "image/wmf", "image/emf"}
_STYLE_MAP = "p[style-name='Title'] => h1:fresh\np[style-name='标题'] => h1:fresh"
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


@dataclass
class ImportResult:
    story: Path
    images: list[Path]
    missing_alt: int
    summary_guessed: bool
    title: str
    notes: list[str] = field(default_factory=list)


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
        raise DocxImportError(f"{name} 是空文件（0 字节），可能没有保存成功。请重新保存后再导入。")
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

    try:
        result = mammoth.convert_to_html(io.BytesIO(data), convert_image=mammoth.images.img_element(convert_image),
                                         style_map=_STYLE_MAP)
    except Exception:
        raise DocxImportError(f"{path.name} 的内容已损坏，无法读取。"
                              "请用 WPS/Word 打开确认能正常显示，再“另存为”一份新的 .docx 后导入。") from None
    if failures:
        raise DocxImportError(failures[0])
    return DocxContent(parse_html(result.value), images, _core_title(data), refs)


# --- shaping the story ------------------------------------------------------------------------

def _blocks(nodes: list[Element | str]) -> list[Element]:
    """Top-level blocks that have visible content (text or an image)."""
    return [n for n in nodes if isinstance(n, Element)
            and (clean_text(text_content(n)) or any(e.tag == "img" for e in iter_elements([n])))]


def take_title(content: DocxContent, given: str | None) -> tuple[str, str]:
    """Decide the title and remove it from the body: given, core properties, first heading, first paragraph.

    Returns the title and a note for the writer when it deserves a second look.
    """
    blocks = _blocks(content.nodes)
    headings = [b for b in blocks if b.tag in HEADINGS]
    first = blocks[0] if blocks and blocks[0].tag != "table" else None
    first_text = clean_text(text_content(first)) if first is not None else ""
    title = clean_text(given or "")
    note = ""
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


def _image_note(image: EmbeddedImage, error: ImageError) -> str:
    if image.content_type.lower() in _METAFILE_TYPES:
        return (f"文档中的第{image.number}张图片是 Windows 图元文件（WMF/EMF，常见于从 Excel 粘贴的图表），网站无法显示。"
                "请在 WPS/Word 中右键该图片“另存为图片”，保存为 PNG，再用“插入 → 图片”替换后重新导入。")
    return (f"文档中的第{image.number}张图片无法使用：{error}"
            "请在 WPS/Word 中删除它，换成正常的 JPG/PNG 图片后重新导入。")


class _ImageFiles:
    """Images in order of first use in the body: processed once, named ``<slug>-N.jpg|png``."""

    def __init__(self, content: DocxContent, slug: str, directory: Path, limits: ImageLimits):
        self.content, self.slug, self.directory, self.limits = content, slug, directory, limits
        self.by_number = {image.number: image for image in content.images}
        self.files: dict[Path, bytes] = {}
        self.names: dict[int, str] = {}
        self.alts: dict[int, str] = {}
        self.missing_alt = 0

    def name_for(self, number: int) -> str:
        if number not in self.names:
            image = self.by_number[number]
            try:
                processed = normalize(image.data, "这张图片", self.limits)
            except ImageError as exc:
                raise DocxImportError(_image_note(image, exc)) from None
            name = f"{self.slug}-{len(self.names) + 1}{processed.suffix}"
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


def import_docx(root: Path, source: Path, request: PageRequest, limits: ImageLimits | None = None) -> ImportResult:
    """Import ``source`` as a story under ``root``; ``request`` carries unit, author, editor, date, topics.

    ``request.title``, ``summary`` and ``slug`` may be empty: they are taken from the document.
    """
    limits = limits or ImageLimits()
    content = read_docx(Path(source))
    title, title_note = take_title(content, request.title)
    request.kind, request.title = "story", title
    body_nodes = content.nodes
    if not _blocks(body_nodes):
        raise DocxImportError(f"{Path(source).name} 除了标题没有正文内容，无法导入。")
    summary_guessed = not request.summary.strip()
    if summary_guessed:
        request.summary = guess_summary(body_nodes)
    validate_request(request)
    request.slug = choose_slug(root, "story", title, request.slug)
    story_path = page_path(root, "story", request.date, request.slug)
    images = _ImageFiles(content, request.slug, story_path.parent / "images", limits)
    request.body = render_markdown(body_nodes, images.render, heading_shift=heading_shift(body_nodes))
    if images.names and not request.cover:
        number, name = next(iter(images.names.items()))
        request.cover = f"images/{name}"
        request.cover_alt = images.alts.get(number) or MISSING_ALT
    files = {**images.files, story_path: render_page(request).encode("utf-8")}
    try:
        written = write_new_files(files)
    except TargetExistsError as exc:
        raise DocxImportError(f"{exc.path} 已经存在，没有覆盖，也没有写入任何文件。"
                              "请用 --slug 指定另一个文件名后重新导入。") from None
    notes = [title_note] if title_note else []
    oversize = [path.name for path, data in images.files.items() if len(data) > limits.max_bytes]
    if oversize:
        notes.append(f"以下图片压缩后仍超过 {human_size(limits.max_bytes)}：{'、'.join(oversize)}，"
                     "mzpress check 会报错，请换成较小的图片。")
    return ImportResult(story_path, [p for p in written if p != story_path], images.missing_alt,
                        summary_guessed, title, notes)
