"""Reading the text inside attachments (.xlsx, .docx, .pdf, .csv, .txt) and the attachment privacy check.

``scan_attachment`` is registered in ``mzpress.checks.attachment_checks()``; the runner calls it
on every file that is not a text file, so it returns nothing for suffixes it does not handle
(images, archives ...). CSV and TXT files reach the text check ``mzpress.checks.privacy.scan_text``
instead, with line and column; ``read_text``/``csv_rows`` here serve ``mzpress mask``.

Each reader yields ``TextPiece(where, text)``: a cell (``低保名单!B3``), a Word paragraph or
table cell (``第1个表格第2行第3列``), a PDF page (``第2页``). A finding's ``line`` and
``column`` are None and ``where`` starts its message, so JSON output shows it too.

Developer notes:
* .xlsx is read with openpyxl ``read_only=True, data_only=True`` (what a reader sees: cached
  formula results) after ``reset_dimensions()`` (a wrong ``<dimension>`` would otherwise hide
  rows). Hidden sheets are read too and said to be hidden. Numbers are read as their digits
  (an 11-digit mobile is often stored as a number).
* Word files and spreadsheets embedded in a .docx/.xlsx (``word/embeddings/``) are read too.
* Runs are joined (formatting splits a number into runs anywhere). A Word paragraph's
  ``text`` also holds field codes (on lines of their own), tracked deletions and hidden text,
  since all of them are in the file; when what Word shows differs, ``TextPiece.shown`` holds
  that too, so ``138`` + a field showing ``1234`` + ``5678`` is found as well.
* .xls/.doc/.wps/.et: one error, "convert to .xlsx/.docx". Corrupt, encrypted or mislabelled
  files (an OLE file named .xlsx): one error ``attachment.unreadable``, never a traceback.
  A PDF with no extractable text (a scan) gets a warning: nobody can check it automatically.
"""

from __future__ import annotations

import csv
import io
import logging
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import BinaryIO

from mzpress.model.source_text import Policy, decode_text

SPREADSHEET_SUFFIXES = frozenset({".xlsx", ".xlsm"})
WORD_SUFFIXES = frozenset({".docx"})
PDF_SUFFIXES = frozenset({".pdf"})
HANDLED_SUFFIXES = SPREADSHEET_SUFFIXES | WORD_SUFFIXES | PDF_SUFFIXES
# Old binary formats nobody can read reliably: (what it is, what to save it as).
LEGACY_FORMATS = {
    ".xls": ("旧版 Excel 表格（Excel 97-2003 .xls 格式）", ".xlsx", "Excel 工作簿 (*.xlsx)"),
    ".et": ("WPS 表格文件（.et 格式）", ".xlsx", "Excel 工作簿 (*.xlsx)"),
    ".doc": ("旧版 Word 文档（Word 97-2003 .doc 格式）", ".docx", "Word 文档 (*.docx)"),
    ".wps": ("WPS 文字文件（.wps 格式）", ".docx", "Word 文档 (*.docx)"),
}
_OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_MAX_EMBED_DEPTH = 2


@dataclass(frozen=True, slots=True)
class TextPiece:
    where: str
    text: str
    # The text as the reader sees it, when that differs from ``text``: a Word paragraph whose
    # ``text`` also holds field codes, tracked deletions or hidden text (all still in the file).
    shown: str | None = None


class UnreadableAttachment(Exception):
    """The file cannot be opened; ``reason`` says why in plain Chinese."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


# --- plain text and CSV -------------------------------------------------------------------------


def read_text(raw: bytes) -> tuple[str, str]:
    """Decode a CSV/TXT file with the scanning policy of ``mzpress.model.source_text`` (UTF-8 with or
    without BOM, UTF-16 with a BOM, GB18030 Chinese text). Returns (text, encoding)."""
    decoded = decode_text(raw, policy=Policy.SCAN)
    if decoded.text is None or decoded.encoding is None:
        raise UnreadableAttachment("既不是 UTF-8 也不是 GBK/GB18030 编码的文字")
    return decoded.text, decoded.encoding


def csv_dialect(text: str) -> type[csv.Dialect] | csv.Dialect:
    try:
        return csv.Sniffer().sniff(text[:8192], delimiters=",\t;")
    except csv.Error:
        return csv.excel


def csv_rows(text: str) -> list[list[str]]:
    try:
        return list(csv.reader(io.StringIO(text, newline=""), csv_dialect(text)))
    except csv.Error as exc:
        raise UnreadableAttachment(f"CSV 格式有误（{exc}）") from exc


def csv_pieces(raw: bytes) -> Iterator[TextPiece]:
    text, _ = read_text(raw)
    for r, row in enumerate(csv_rows(text), start=1):
        for c, value in enumerate(row, start=1):
            if value:
                yield TextPiece(f"第{r}行第{c}列", value)


def txt_pieces(raw: bytes) -> Iterator[TextPiece]:
    text, _ = read_text(raw)
    for n, line in enumerate(text.splitlines(), start=1):
        if line:
            yield TextPiece(f"第{n}行", line)


# --- spreadsheets -------------------------------------------------------------------------------


def cell_text(value: object) -> str | None:
    """What a spreadsheet cell shows as digits or text; None for empty, dates and booleans."""
    if isinstance(value, str):
        return value
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e20:
        return str(int(value))
    return None


def sheet_ref(title: str, coordinate: str) -> str:
    """``Sheet1!B3``; names with spaces or punctuation are quoted as Excel does: ``'1 月'!B3``."""
    plain = all(ch.isalnum() or ch == "_" for ch in title)
    name = title if plain else "'" + title.replace("'", "''") + "'"
    return f"{name}!{coordinate}"


def _zip_failure(source: Path | BinaryIO, kind: str) -> UnreadableAttachment:
    head = b""
    try:
        if isinstance(source, Path):
            with source.open("rb") as fh:
                head = fh.read(8)
        else:
            source.seek(0)
            head = source.read(8)
    except OSError:
        pass
    if head == _OLE_SIGNATURE:
        return UnreadableAttachment(f"文件设置了打开密码，或者其实是旧版格式只是改了扩展名，不是真正的 {kind}")
    return UnreadableAttachment(f"文件已损坏或不是真正的 {kind} 文件")


def xlsx_pieces(source: Path | BinaryIO, depth: int = 0) -> Iterator[TextPiece]:
    import openpyxl

    try:
        if not zipfile.is_zipfile(source):
            raise _zip_failure(source, ".xlsx")
        if not isinstance(source, Path):
            source.seek(0)
        workbook = openpyxl.load_workbook(source, read_only=True, data_only=True)
    except UnreadableAttachment:
        raise
    except Exception as exc:  # openpyxl raises many kinds on broken files
        raise UnreadableAttachment(f"文件已损坏或不是真正的 .xlsx 文件（{type(exc).__name__}）") from exc
    try:
        for sheet in workbook.worksheets:
            hidden = "（隐藏的工作表）" if getattr(sheet, "sheet_state", "visible") != "visible" else ""
            if hasattr(sheet, "reset_dimensions"):
                sheet.reset_dimensions()
            for row in sheet.iter_rows(min_row=1, min_col=1):
                for cell in row:
                    text = cell_text(getattr(cell, "value", None))
                    if text:
                        yield TextPiece(sheet_ref(sheet.title, cell.coordinate) + hidden, text)
    except UnreadableAttachment:
        raise
    except Exception as exc:
        raise UnreadableAttachment(f"读取表格内容时出错，文件可能已损坏（{type(exc).__name__}）") from exc
    finally:
        workbook.close()
    yield from _embedded_pieces(source, "xl/embeddings/", depth)


# --- Word ---------------------------------------------------------------------------------------


def open_docx(source: Path | BinaryIO):
    """A python-docx Document, or UnreadableAttachment with the reason."""
    import docx

    try:
        if not zipfile.is_zipfile(source):
            raise _zip_failure(source, ".docx")
        if not isinstance(source, Path):
            source.seek(0)
        return docx.Document(source)
    except UnreadableAttachment:
        raise
    except Exception as exc:
        raise UnreadableAttachment(f"文件已损坏或不是真正的 .docx 文件（{type(exc).__name__}）") from exc


def _shown_text(paragraph) -> str:
    """A Word paragraph as Word shows it: its ``w:t`` text, tabs and breaks, but not field codes
    (``{ MERGEFIELD … }``: Word shows the field's result), tracked deletions or hidden runs.

    ``WordParagraph.text`` keeps field codes apart on lines of their own, so a number whose
    middle is a field result (``138`` + field ``1234`` + ``5678``) reads as one only here.
    """
    from mzpress.text.word_text import W_BR, W_CR, W_NB_HYPHEN, W_P, W_T, W_TAB

    breaks = {W_TAB: "\t", W_BR: "\n", W_CR: "\n", W_NB_HYPHEN: "-"}
    p = paragraph.element
    parts = []
    for element in p.iter(W_T, *breaks):
        if next(element.iterancestors(W_P), None) is not p:
            continue  # a paragraph of a text box inside this one
        if _hidden(element.getparent()):
            continue
        parts.append(breaks.get(element.tag) or element.text or "")
    return "".join(parts)


def _hidden(run) -> bool:
    """The run is formatted as hidden text (``w:vanish``)."""
    from mzpress.text.word_text import W_VAL, W

    vanish = run.find(f"{W}rPr/{W}vanish") if run is not None else None
    return vanish is not None and vanish.get(W_VAL, "true").lower() not in ("0", "false", "off")


def docx_pieces(source: Path | BinaryIO, depth: int = 0) -> Iterator[TextPiece]:
    from mzpress.text.word_text import WordText

    document = open_docx(source)
    try:
        for paragraph in WordText(document).paragraphs():
            text = paragraph.text
            if text.strip():
                shown = _shown_text(paragraph)
                yield TextPiece(paragraph.where, text, shown if shown != text and shown.strip() else None)
    except Exception as exc:
        raise UnreadableAttachment(f"读取文档内容时出错，文件可能已损坏（{type(exc).__name__}）") from exc
    yield from _embedded_pieces(source, "word/embeddings/", depth)


def _embedded_pieces(source: Path | BinaryIO, folder: str, depth: int) -> Iterator[TextPiece]:
    """Spreadsheets and Word files embedded as objects (they travel inside the file)."""
    if depth >= _MAX_EMBED_DEPTH:
        return
    if not isinstance(source, Path):
        source.seek(0)
    with zipfile.ZipFile(source) as archive:
        names = [n for n in archive.namelist() if n.startswith(folder)]
        blobs = {n: archive.read(n) for n in names if PurePosixPath(n).suffix.lower() in (".xlsx", ".docx")}
    for name, blob in blobs.items():
        label = f"嵌入的对象 {PurePosixPath(name).name} 中"
        reader = xlsx_pieces if name.lower().endswith(".xlsx") else docx_pieces
        try:
            for piece in reader(io.BytesIO(blob), depth + 1):
                yield TextPiece(f"{label} {piece.where}", piece.text, piece.shown)
        except UnreadableAttachment:
            continue  # the embedded object's own problem; its preview is what readers see


# --- PDF ----------------------------------------------------------------------------------------


def pdf_pages(source: Path | BinaryIO) -> list[str]:
    """The text of every page, or UnreadableAttachment."""
    from pypdf import PdfReader

    logging.getLogger("pypdf").setLevel(logging.ERROR)  # pypdf warns loudly about harmless quirks
    try:
        reader = PdfReader(source)
        if reader.is_encrypted:
            try:
                opened = reader.decrypt("")
            except Exception:
                opened = 0
            if not opened:
                raise UnreadableAttachment("PDF 设置了打开密码")
        return [page.extract_text() or "" for page in reader.pages]
    except UnreadableAttachment:
        raise
    except Exception as exc:
        raise UnreadableAttachment(f"PDF 文件已损坏或无法解析（{type(exc).__name__}）") from exc


def pdf_pieces(source: Path | BinaryIO) -> Iterator[TextPiece]:
    for number, text in enumerate(pdf_pages(source), start=1):
        if text.strip():
            yield TextPiece(f"第{number}页", text)


# --- the check ----------------------------------------------------------------------------------


def read_pieces(path: Path) -> Iterator[TextPiece]:
    """Text pieces of any supported file, chosen by suffix (UnreadableAttachment on failure)."""
    suffix = path.suffix.lower()
    if suffix in SPREADSHEET_SUFFIXES:
        return xlsx_pieces(path)
    if suffix in WORD_SUFFIXES:
        return docx_pieces(path)
    if suffix in PDF_SUFFIXES:
        return pdf_pieces(path)
    if suffix == ".csv":
        return csv_pieces(path.read_bytes())
    if suffix == ".txt":
        return txt_pieces(path.read_bytes())
    raise UnreadableAttachment(f"不支持的文件类型 {suffix}")


def kind_name(suffix: str) -> str:
    if suffix in SPREADSHEET_SUFFIXES:
        return "Excel 表格"
    if suffix in WORD_SUFFIXES:
        return "Word 文档"
    return "PDF 文件"


