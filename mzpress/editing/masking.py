"""De-identifying a list before it is published: the core of ``mzpress mask``.

``mask_file(src, dst)`` writes a masked copy of a Markdown file (tables), .csv, .txt, .xlsx or
.docx and never touches ``src``. Everywhere in the file, ID numbers, mobile numbers and bank
cards found by ``mzpress.text.identifiers`` are replaced by their masked forms (360723********1234,
138****5678, ***************1234): suspected IDs (an ID's region code and birth date with a wrong
check character) too, and numbers split by invisible characters or written with unusual
separators (the invisible characters and separators stay where they were); in table columns whose
header names a person (姓名, 户主, 申请人, 联系人 ... see ``is_name_header``) the names below the
header keep only the surname (王小明 → 王**).

Developer notes:
* Every replacement keeps the text length, so Markdown tables stay aligned and Word runs are
  rewritten in place (formatting kept). Spreadsheet cells holding a number that was an
  identifier become text.
* Text is masked as written: a number that only the YAML decoder of a Markdown front matter
  assembles (``"139\\x312345678"``) is left for a person, and the recheck of ``mzpress mask``
  (which reads the decoded front matter) reports it.
* The header row is the first of the first ``HEADER_SEARCH_ROWS`` rows with a name header, so
  a title row above the header (``2025 年 3 月城乡低保名单``) is fine. Cells with digits and
  totals (合计 ...) in a name column are left alone; ``王小明、李四`` becomes ``王**、李*``.
* Output: text files are written as UTF-8 without BOM (what ``mzpress scan`` accepts). The file
  is written to a temporary file and renamed, so a failure leaves nothing half-written; an
  existing output is replaced only with ``force``, and its old content is kept first
  (``backups.write_backup``: under ``.mzpress-backup/`` in a project, ``<out>.bak`` beside it
  outside one).
* openpyxl rewrites the workbook: values, styles, merged cells and sheets survive; charts,
  shapes and embedded objects may not. PDF cannot be masked (mask the source, then export).
"""

from __future__ import annotations

import csv
import io
import os
import re
import tempfile
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from mzpress.editing.backups import write_backup
from mzpress.text.attachments import (
    LEGACY_FORMATS,
    UnreadableAttachment,
    cell_text,
    csv_dialect,
    csv_rows,
    open_docx,
    read_text,
)
from mzpress.text.identifiers import Kind, mask_identifiers, mask_name

NAME = "name"  # the Counter key for masked names, next to the identifier kinds
MARKDOWN_SUFFIXES = frozenset({".md", ".markdown"})
TEXT_SUFFIXES = MARKDOWN_SUFFIXES | {".csv", ".txt"}
SPREADSHEET_SUFFIXES = frozenset({".xlsx", ".xlsm"})
WORD_SUFFIXES = frozenset({".docx"})
SUPPORTED_SUFFIXES = TEXT_SUFFIXES | SPREADSHEET_SUFFIXES | WORD_SUFFIXES
HEADER_SEARCH_ROWS = 10

# Column headers that hold a person's name (compared after removing spaces, *, colons and
# a bracketed note); any header containing 姓名 counts too.
NAME_HEADERS = frozenset({
    "名字", "姓名", "户主", "户主名", "申请人", "联系人", "监护人", "被监护人", "代理人", "委托人",
    "当事人", "收款人", "领款人", "领取人", "持卡人", "开户人", "户名", "账户名", "开户名", "签名",
    "救助对象", "保障对象", "供养对象", "补贴对象", "资助对象", "优抚对象", "受助人", "受益人",
    "家庭成员", "成员", "家属", "赡养人", "被赡养人", "抚养人", "扶养人", "老人", "儿童", "孤儿",
    "残疾人", "逝者", "死者", "亡者", "男方", "女方", "新郎", "新娘",
})
_HEADER_NOISE = re.compile(r"[\s*＊:：]|[（(][^）)]*[）)]")
_NAME_SEPARATORS = re.compile(r"(\s*[、，,;；/／]\s*)")
_NOT_NAMES = frozenset({"合计", "小计", "总计", "备注", "无", "空", "略", "同上"})
_DIGIT = re.compile(r"[0-9\uff10-\uff19]")
_MD_DELIMITER = re.compile(r"^\s*\|?\s*:?-+:?\s*(\|\s*:?-+:?\s*)*\|?\s*$")
_MD_PIPE = re.compile(r"(?<!\\)\|")


class MaskError(Exception):
    """mask cannot go on; the message is plain Chinese for the user."""


@dataclass
class MaskResult:
    output: Path
    counts: Counter
    backup: Path | None = None

    def summary(self) -> str:
        parts = [f"{label}{self.counts[key]}处" for key, label in (
            (Kind.ID_NUMBER, "身份证号"), (Kind.MOBILE, "手机号"), (Kind.BANK_CARD, "银行卡号"), (NAME, "姓名"))
            if self.counts[key]]
        return "、".join(parts) if parts else "没有发现需要脱敏的内容"


def is_name_header(text: str) -> bool:
    header = _HEADER_NOISE.sub("", text or "")
    return bool(header) and ("姓名" in header or header in NAME_HEADERS)


def mask_names(value: str) -> tuple[str, int]:
    """Mask each name in a name cell (``王小明、李四`` → ``王**、李*``); returns (text, names masked)."""
    if not value.strip() or value.strip() in _NOT_NAMES or _DIGIT.search(value):
        return value, 0
    pieces = _NAME_SEPARATORS.split(value)
    count = 0
    for i in range(0, len(pieces), 2):  # even indexes are names, odd ones separators
        masked = mask_name(pieces[i])
        if masked != pieces[i]:
            pieces[i] = masked
            count += 1
    return "".join(pieces), count


def _mask_cell(value: str, counts: Counter, name_column: bool) -> str:
    if name_column:
        value, named = mask_names(value)
        if named:
            counts[NAME] += named
    value, found = mask_identifiers(value)
    counts.update(found)
    return value


# --- Markdown and plain text --------------------------------------------------------------------


def _cell_spans(line: str) -> list[tuple[int, int]]:
    """Spans of the (stripped) cell contents of a Markdown table row."""
    body = line.rstrip("\r\n")
    pipes = [m.start() for m in _MD_PIPE.finditer(body)]
    bounds = [-1] + pipes + [len(body)]
    spans = []
    for left, right in zip(bounds, bounds[1:]):
        start, end = left + 1, right
        while start < end and body[start].isspace():
            start += 1
        while end > start and body[end - 1].isspace():
            end -= 1
        spans.append((start, end))
    if pipes and not body[:pipes[0]].strip():  # a leading pipe opens no cell
        spans = spans[1:]
    if pipes and not body[pipes[-1] + 1:].strip():  # nor does a trailing one
        spans = spans[:-1]
    return spans


def mask_markdown(text: str) -> tuple[str, Counter]:
    """Names in name columns of every table, then identifiers everywhere."""
    counts: Counter = Counter()
    lines = text.splitlines(keepends=True)
    i = 0
    while i < len(lines) - 1:
        header, delimiter = lines[i], lines[i + 1].rstrip("\r\n")
        if not ("|" in header and "|" in delimiter and _MD_DELIMITER.match(delimiter)):
            i += 1
            continue
        columns = {n for n, (s, e) in enumerate(_cell_spans(header)) if is_name_header(header[s:e])}
        j = i + 2
        while j < len(lines) and "|" in lines[j] and lines[j].strip():
            if columns:
                row = lines[j]
                for n, (s, e) in enumerate(_cell_spans(row)):
                    if n in columns and s < e:
                        masked, named = mask_names(row[s:e])
                        if named:
                            counts[NAME] += named
                        row = row[:s] + masked + row[e:]
                lines[j] = row
            j += 1
        i = j
    masked, found = mask_identifiers("".join(lines))
    counts.update(found)
    return masked, counts


def _name_columns(rows: list[list[str]]) -> tuple[int, set[int]]:
    """(index of the header row, name column indexes); (-1, empty) when there is no name header."""
    for r, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        columns = {c for c, value in enumerate(row) if is_name_header(value)}
        if columns:
            return r, columns
    return -1, set()


def mask_csv_text(text: str) -> tuple[str, Counter]:
    counts: Counter = Counter()
    dialect = csv_dialect(text)
    rows = csv_rows(text)
    header, columns = _name_columns(rows)
    newline = "\r\n" if "\r\n" in text else "\n"
    out = io.StringIO(newline="")
    writer = csv.writer(out, delimiter=dialect.delimiter, lineterminator=newline)
    for r, row in enumerate(rows):
        writer.writerow([_mask_cell(v, counts, r > header >= 0 and c in columns) for c, v in enumerate(row)])
    return out.getvalue(), counts


# --- spreadsheets and Word ----------------------------------------------------------------------


def mask_xlsx(source: Path | BinaryIO, target: BinaryIO, keep_vba: bool = False) -> Counter:
    import openpyxl

    counts: Counter = Counter()
    try:
        workbook = openpyxl.load_workbook(source, keep_vba=keep_vba)
    except Exception as exc:
        raise UnreadableAttachment(f"文件已损坏、设置了密码或不是真正的 .xlsx 文件（{type(exc).__name__}）") from exc
    for sheet in workbook.worksheets:
        header, columns = -1, set()
        for r, row in enumerate(sheet.iter_rows(max_row=HEADER_SEARCH_ROWS), start=1):
            names = {cell.column for cell in row if isinstance(cell.value, str) and is_name_header(cell.value)}
            if names:
                header, columns = r, names
                break
        for row in sheet.iter_rows():
            for cell in row:
                text = cell_text(cell.value)
                if not text:
                    continue
                name_column = header >= 0 and cell.row > header and cell.column in columns \
                    and isinstance(cell.value, str)
                masked = _mask_cell(text, counts, name_column)
                if masked != text:
                    cell.value = masked
    workbook.save(target)
    return counts


def _mask_embedded(document, counts: Counter) -> None:
    for part in document.part.package.iter_parts():
        name = str(part.partname).lower()
        if not name.startswith("/word/embeddings/") or not name.endswith((".xlsx", ".docx")):
            continue
        out = io.BytesIO()
        try:
            if name.endswith(".xlsx"):
                counts.update(mask_xlsx(io.BytesIO(part.blob), out))
            else:
                counts.update(mask_docx(io.BytesIO(part.blob), out))
        except UnreadableAttachment:
            continue
        part._blob = out.getvalue()


def mask_docx(source: Path | BinaryIO, target: BinaryIO) -> Counter:
    from mzpress.text.word_text import WordText, table_rows
    from mzpress.text.word_text import cell_text as word_cell_text

    counts: Counter = Counter()
    document = open_docx(source)
    text = WordText(document)
    name_cells = set()
    for table in text.tables():
        rows = table_rows(table)
        for r, cells in enumerate(rows[:HEADER_SEARCH_ROWS], start=1):
            columns = {column for column, tc in cells if is_name_header(word_cell_text(tc))}
            if columns:
                name_cells |= {(table, below, c) for below in range(r + 1, len(rows) + 1) for c in columns}
                break
    for paragraph in text.paragraphs(every_copy=True):
        old = paragraph.text
        if not old.strip():
            continue
        new = _mask_cell(old, counts, paragraph.cell in name_cells)
        if new != old:
            paragraph.replace_text(new)
    text.commit()
    _mask_embedded(document, counts)
    document.save(target)
    return counts


# --- files --------------------------------------------------------------------------------------


def default_output(path: Path) -> Path:
    """``名单.xlsx`` → ``名单.masked.xlsx`` next to it."""
    return path.with_name(f"{path.stem}.masked{path.suffix}")


def _masked_bytes(src: Path) -> tuple[bytes, Counter]:
    suffix = src.suffix.lower()
    if suffix in TEXT_SUFFIXES:
        text, _ = read_text(src.read_bytes())
        if suffix in MARKDOWN_SUFFIXES:
            masked, counts = mask_markdown(text)
        elif suffix == ".csv":
            masked, counts = mask_csv_text(text)
        else:
            masked, counts = mask_identifiers(text)
        return masked.encode("utf-8"), counts
    out = io.BytesIO()
    if suffix in SPREADSHEET_SUFFIXES:
        counts = mask_xlsx(src, out, keep_vba=suffix == ".xlsm")
    else:
        counts = mask_docx(src, out)
    return out.getvalue(), counts


def check_supported(src: Path) -> None:
    suffix = src.suffix.lower()
    if suffix in SUPPORTED_SUFFIXES:
        return
    if suffix in LEGACY_FORMATS:
        what, new_suffix, save_as = LEGACY_FORMATS[suffix]
        raise MaskError(f"“{src.name}”是{what}，无法直接脱敏。请用 WPS 或 Office 打开，“另存为”{save_as}，"
                        f"再对新的 {new_suffix} 文件运行 mzpress mask。")
    if suffix == ".pdf":
        raise MaskError("PDF 文件无法自动脱敏。请对生成这个 PDF 的原始 Word 或 Excel 文件运行 mzpress mask，"
                        "再用脱敏后的文件重新导出 PDF。")
    raise MaskError(f"不支持 {suffix or '无扩展名'} 文件。mzpress mask 可以处理 Markdown（.md）、.csv、.txt、"
                    ".xlsx 和 .docx 文件。")


def mask_file(src: Path, dst: Path, force: bool = False) -> MaskResult:
    """Write the masked copy of ``src`` to ``dst``; ``src`` is never modified."""
    if not src.is_file():
        raise MaskError(f"找不到文件“{src}”。")
    check_supported(src)
    if dst.exists() and os.path.samefile(src, dst):
        raise MaskError("输出文件不能是原文件本身：mzpress mask 从不修改原文件。请用 -o 指定另一个文件名。")
    if dst.is_dir():
        raise MaskError(f"“{dst}”是一个文件夹，请用 -o 指定输出文件名。")
    if dst.exists() and not force:
        raise MaskError(f"输出文件“{dst}”已经存在。如确认要替换它，加上 --force（旧文件会先备份）；"
                        "或者用 -o 指定另一个文件名。")
    if not dst.parent.is_dir():
        raise MaskError(f"输出位置“{dst.parent}”不存在，请先建好文件夹或换一个位置。")
    try:
        data, counts = _masked_bytes(src)
    except UnreadableAttachment as exc:
        raise MaskError(f"无法读取“{src.name}”：{exc.reason}。请用 WPS 或 Office 打开确认，取消密码后重新保存。") from exc
    except OSError as exc:
        raise MaskError(f"无法读取“{src}”（{exc.strerror}）。") from exc
    except Exception as exc:  # a file broken in a way no reader anticipated: report, never crash
        raise MaskError(f"处理“{src.name}”时出错，文件可能已损坏（{type(exc).__name__}）。"
                        "请用 WPS 或 Office 打开确认后重新保存。") from exc
    return MaskResult(dst, counts, _write_replacing(dst, data))


def _write_replacing(dst: Path, data: bytes) -> Path | None:
    """Write ``data`` to ``dst`` through a temporary file; an existing ``dst`` is copied to a backup first."""
    fd, tmp = tempfile.mkstemp(prefix=f".{dst.name}.", suffix=".tmp", dir=dst.parent)
    backup = None
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        if dst.exists():
            backup = write_backup(dst)
        os.replace(tmp, dst)
    except OSError as exc:
        if os.path.exists(tmp):
            os.unlink(tmp)
        if backup is not None:  # dst was not replaced: the copy is not needed
            try:
                backup.unlink()
            except OSError:
                pass
        raise MaskError(f"无法写入“{exc.filename or dst}”（{exc.strerror}）。") from exc
    return backup
