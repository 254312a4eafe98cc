"""De-identifying a list before it is published: the core of ``mzpress mask``.

``mask_file(src, dst)`` writes a masked copy of a Markdown file (tables), .csv, .txt, .xlsx or
.docx and never touches ``src``; ``mask_in_place(path)`` replaces a file under ``content/`` by its
masked form after keeping the original (a copy under ``.mzpress-backup/``): a masked copy inside
``content/`` would be published beside the original (and a ``…masked.md`` page fails the slug rule).

What is masked depends on the page kind (:data:`LIST`, :data:`NOTICE`, :func:`kind_of`). A list
(the default) keeps only the surname of each name. A 公示 notice (``content/notices/``) must show
the names: they stay, and in address columns (住址, 家庭住址 ... see ``is_address_header``) and
the prose of a notice every detail beyond the village or community (组, 号, 栋, 单元, 室 ...:
``mask_address``) is masked. Contact numbers the site publishes (``site.yml`` ``public_numbers``,
passed as ``public``) are never masked. Everywhere in the file, ID numbers, mobile numbers and bank
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
from mzpress.editing.in_place import rewrite
from mzpress.text.attachments import (
    LEGACY_FORMATS,
    UnreadableAttachment,
    cell_text,
    csv_dialect,
    csv_rows,
    open_docx,
    read_text,
)
from mzpress.text.identifiers import Kind, mask_identifiers, mask_name, public_number_keys

NAME = "name"  # the Counter key for masked names, next to the identifier kinds
ADDRESS = "address"  # the Counter key for addresses masked beyond the village
LIST, NOTICE = "list", "notice"  # what is masked: a list's names, or a 公示 notice's addresses (names kept)
KINDS = {LIST: "名单", NOTICE: "公示"}
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
# Column headers that hold an address (compared like name headers); any header containing 住址 counts too.
ADDRESS_HEADERS = frozenset({
    "住址", "地址", "家庭住址", "家庭地址", "居住地址", "居住地", "现住址", "现居住地", "户籍地址", "户籍所在地",
    "户籍地", "联系地址", "通讯地址", "住所", "住所地", "家庭住所",
})
_HEADER_NOISE = re.compile(r"[\s*＊:：]|[（(][^）)]*[）)]")
# Units of an address at or above the village: what a 公示 keeps (the last one found and everything before it).
_VILLAGE_UNITS = ("村民委员会", "居民委员会", "村委会", "居委会", "社区", "小区", "村", "屯", "寨")
_NUMERAL = "0-9０-９一二三四五六七八九十百零〇两"
# The details beyond the village: 3组15号, 5栋2单元301室, 人民路12号 ... (in a notice's prose, right after
# a village-level unit or a road).
_ADDRESS_UNITS = "组|队|社|号楼|号院|号|栋|幢|座|单元|楼|层|室|弄|巷|排"
_ADDRESS_DETAIL = re.compile(
    rf"(?<=村|区|屯|寨|会|路|街|巷|道|弄)(?:[{_NUMERAL}]+[-－—]?(?:{_ADDRESS_UNITS}))+"
    rf"(?:[-－—]?[{_NUMERAL}]+(?![{_NUMERAL}]))?")
_DETAIL_START = re.compile(rf"[{_NUMERAL}]")
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
            (Kind.ID_NUMBER, "身份证号"), (Kind.MOBILE, "手机号"), (Kind.BANK_CARD, "银行卡号"), (NAME, "姓名"),
            (ADDRESS, "村（社区）以下的住址"))
            if self.counts[key]]
        return "、".join(parts) if parts else "没有发现需要脱敏的内容"


def is_name_header(text: str) -> bool:
    header = _HEADER_NOISE.sub("", text or "")
    return bool(header) and ("姓名" in header or header in NAME_HEADERS)


def is_address_header(text: str) -> bool:
    header = _HEADER_NOISE.sub("", text or "")
    return bool(header) and ("住址" in header or header in ADDRESS_HEADERS)


def _hide(text: str) -> str:
    return "".join(ch if ch.isspace() else "*" for ch in text)


def mask_address(value: str) -> tuple[str, int]:
    """An address with everything beyond the village or community masked, one ``*`` per character:
    ``城关镇幸福村3组15号`` → ``城关镇幸福村*****``, ``人民路12号`` → ``人民路***``. Returns (text, 1 when
    something was masked else 0); a cell with nothing beyond the village (城关社区, 合计) is left as it is."""
    text = value.rstrip()
    if not text.strip() or text.strip() in _NOT_NAMES or "*" in text:
        return value, 0
    cut = -1
    for unit in _VILLAGE_UNITS:
        at = text.rfind(unit)
        if at != -1:
            cut = max(cut, at + len(unit))
    if cut == -1:  # no village: keep the place names up to the first number (a road and its house number)
        first = _DETAIL_START.search(text)
        cut = first.start() if first else len(text)
    rest = text[cut:]
    if not rest.strip():
        return value, 0
    return text[:cut] + _hide(rest) + value[len(text):], 1


def mask_address_details(text: str) -> tuple[str, int]:
    """Prose of a notice with the address details after a village or road masked (``幸福村3组15号`` →
    ``幸福村*****``); same length. Returns (text, places masked)."""
    count = 0

    def hide(match: re.Match) -> str:
        nonlocal count
        count += 1
        return _hide(match.group(0))

    return _ADDRESS_DETAIL.sub(hide, text), count


def kind_of(path: Path) -> str:
    """:data:`NOTICE` for a file under ``content/notices/`` (a 公示 and its attachments), else :data:`LIST`."""
    parts = Path(path).resolve().parts
    for index, part in enumerate(parts[:-1]):
        if part == "content" and index + 1 < len(parts) - 1 and parts[index + 1] == "notices":
            return NOTICE
    return LIST


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


@dataclass(frozen=True)
class _Rules:
    """What to mask in one file: ``kind`` (:data:`LIST` or :data:`NOTICE`) and the public numbers."""

    kind: str = LIST
    public: frozenset[str] = frozenset()

    def is_column(self, header: str) -> bool:
        """Whether a column with this header is masked (names in a list, addresses in a notice)."""
        return is_address_header(header) if self.kind == NOTICE else is_name_header(header)


def _rules(kind: str, public) -> _Rules:
    if kind not in KINDS:
        raise ValueError(f"unknown kind {kind!r}")
    return _Rules(kind, public if isinstance(public, frozenset) else public_number_keys(public or ()))


def _mask_cell(value: str, counts: Counter, name_column: bool, rules: _Rules = _Rules()) -> str:
    """One cell or paragraph: its column's names (a list) or addresses (a notice), then the identifiers."""
    if name_column and rules.kind == NOTICE:
        value, places = mask_address(value)
        counts[ADDRESS] += places
    elif name_column:
        value, named = mask_names(value)
        if named:
            counts[NAME] += named
    elif rules.kind == NOTICE:
        value, places = mask_address_details(value)
        counts[ADDRESS] += places
    value, found = mask_identifiers(value, public=rules.public)
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


def mask_markdown(text: str, kind: str = LIST, public=()) -> tuple[str, Counter]:
    """Names in name columns of every table (a notice: addresses in address columns, and address details
    in the prose), then identifiers everywhere except the ``public`` numbers."""
    rules = _rules(kind, public)
    counts: Counter = Counter()
    lines = text.splitlines(keepends=True)
    i = 0
    while i < len(lines) - 1:
        header, delimiter = lines[i], lines[i + 1].rstrip("\r\n")
        if not ("|" in header and "|" in delimiter and _MD_DELIMITER.match(delimiter)):
            i += 1
            continue
        columns = {n for n, (s, e) in enumerate(_cell_spans(header)) if rules.is_column(header[s:e])}
        j = i + 2
        while j < len(lines) and "|" in lines[j] and lines[j].strip():
            if columns:
                row = lines[j]
                for n, (s, e) in enumerate(_cell_spans(row)):
                    if n in columns and s < e:
                        if rules.kind == NOTICE:
                            masked, places = mask_address(row[s:e])
                            counts[ADDRESS] += places
                        else:
                            masked, named = mask_names(row[s:e])
                            counts[NAME] += named
                        row = row[:s] + masked + row[e:]
                lines[j] = row
            j += 1
        i = j
    text = "".join(lines)
    if rules.kind == NOTICE:
        text, places = mask_address_details(text)
        counts[ADDRESS] += places
    masked, found = mask_identifiers(text, public=rules.public)
    counts.update(found)
    return masked, +counts


def _name_columns(rows: list[list[str]], rules: _Rules = _Rules()) -> tuple[int, set[int]]:
    """(index of the header row, masked column indexes: names, or a notice's addresses); (-1, empty) when
    there is no such header."""
    for r, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        columns = {c for c, value in enumerate(row) if rules.is_column(value)}
        if columns:
            return r, columns
    return -1, set()


def mask_csv_text(text: str, kind: str = LIST, public=()) -> tuple[str, Counter]:
    rules = _rules(kind, public)
    counts: Counter = Counter()
    dialect = csv_dialect(text)
    rows = csv_rows(text)
    header, columns = _name_columns(rows, rules)
    newline = "\r\n" if "\r\n" in text else "\n"
    out = io.StringIO(newline="")
    writer = csv.writer(out, delimiter=dialect.delimiter, lineterminator=newline)
    for r, row in enumerate(rows):
        writer.writerow([_mask_cell(v, counts, r > header >= 0 and c in columns, rules) for c, v in enumerate(row)])
    return out.getvalue(), +counts


# --- spreadsheets and Word ----------------------------------------------------------------------


def mask_xlsx(source: Path | BinaryIO, target: BinaryIO, keep_vba: bool = False, kind: str = LIST,
              public=()) -> Counter:
    import openpyxl

    rules = _rules(kind, public)
    counts: Counter = Counter()
    try:
        workbook = openpyxl.load_workbook(source, keep_vba=keep_vba)
    except Exception as exc:
        raise UnreadableAttachment(f"文件已损坏、设置了密码或不是真正的 .xlsx 文件（{type(exc).__name__}）") from exc
    for sheet in workbook.worksheets:
        header, columns = -1, set()
        for r, row in enumerate(sheet.iter_rows(max_row=HEADER_SEARCH_ROWS), start=1):
            names = {cell.column for cell in row if isinstance(cell.value, str) and rules.is_column(cell.value)}
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
                masked = _mask_cell(text, counts, name_column, rules)
                if masked != text:
                    cell.value = masked
    workbook.save(target)
    return +counts


def _mask_embedded(document, counts: Counter, rules: _Rules) -> None:
    for part in document.part.package.iter_parts():
        name = str(part.partname).lower()
        if not name.startswith("/word/embeddings/") or not name.endswith((".xlsx", ".docx")):
            continue
        out = io.BytesIO()
        try:
            if name.endswith(".xlsx"):
                counts.update(mask_xlsx(io.BytesIO(part.blob), out, kind=rules.kind, public=rules.public))
            else:
                counts.update(mask_docx(io.BytesIO(part.blob), out, kind=rules.kind, public=rules.public))
        except UnreadableAttachment:
            continue
        part._blob = out.getvalue()


def mask_docx(source: Path | BinaryIO, target: BinaryIO, kind: str = LIST, public=()) -> Counter:
    from mzpress.text.word_text import WordText, table_rows
    from mzpress.text.word_text import cell_text as word_cell_text

    rules = _rules(kind, public)
    counts: Counter = Counter()
    document = open_docx(source)
    text = WordText(document)
    name_cells = set()
    for table in text.tables():
        rows = table_rows(table)
        for r, cells in enumerate(rows[:HEADER_SEARCH_ROWS], start=1):
            columns = {column for column, tc in cells if rules.is_column(word_cell_text(tc))}
            if columns:
                name_cells |= {(table, below, c) for below in range(r + 1, len(rows) + 1) for c in columns}
                break
    for paragraph in text.paragraphs(every_copy=True):
        old = paragraph.text
        if not old.strip():
            continue
        new = _mask_cell(old, counts, paragraph.cell in name_cells, rules)
        if new != old:
            paragraph.replace_text(new)
    text.commit()
    _mask_embedded(document, counts, rules)
    document.save(target)
    return +counts


# --- files --------------------------------------------------------------------------------------


def default_output(path: Path) -> Path:
    """``名单.xlsx`` → ``名单.masked.xlsx`` next to it."""
    return path.with_name(f"{path.stem}.masked{path.suffix}")


def _masked_bytes(src: Path, rules: _Rules = _Rules()) -> tuple[bytes, Counter]:
    suffix = src.suffix.lower()
    if suffix in TEXT_SUFFIXES:
        text, _ = read_text(src.read_bytes())
        if suffix in MARKDOWN_SUFFIXES:
            masked, counts = mask_markdown(text, rules.kind, rules.public)
        elif suffix == ".csv":
            masked, counts = mask_csv_text(text, rules.kind, rules.public)
        else:
            counts = Counter()
            if rules.kind == NOTICE:
                text, places = mask_address_details(text)
                counts[ADDRESS] += places
            masked, found = mask_identifiers(text, public=rules.public)
            counts = +(counts + found)
        return masked.encode("utf-8"), counts
    out = io.BytesIO()
    if suffix in SPREADSHEET_SUFFIXES:
        counts = mask_xlsx(src, out, keep_vba=suffix == ".xlsm", kind=rules.kind, public=rules.public)
    else:
        counts = mask_docx(src, out, kind=rules.kind, public=rules.public)
    return out.getvalue(), counts


def check_supported(src: Path) -> None:
    suffix = src.suffix.lower()
    if suffix in SUPPORTED_SUFFIXES:
        return
    if suffix in LEGACY_FORMATS:
        what, new_suffix, save_as = LEGACY_FORMATS[suffix]
        raise MaskError(f"“{src.name}”是{what}，无法直接脱敏。请用 WPS 或 Office 打开，“另存为”{save_as}，"
                        f"再对新的 {new_suffix} 文件运行 scripts/mzpress mask。")
    if suffix == ".pdf":
        raise MaskError("PDF 文件无法自动脱敏。请对生成这个 PDF 的原始 Word 或 Excel 文件运行 scripts/mzpress mask，"
                        "再用脱敏后的文件重新导出 PDF。")
    raise MaskError(f"不支持 {suffix or '无扩展名'} 文件。scripts/mzpress mask 可以处理 Markdown（.md）、.csv、.txt、"
                    ".xlsx 和 .docx 文件。")


def _read_masked(src: Path, rules: _Rules) -> tuple[bytes, Counter]:
    try:
        return _masked_bytes(src, rules)
    except UnreadableAttachment as exc:
        raise MaskError(f"无法读取“{src.name}”：{exc.reason}。请用 WPS 或 Office 打开确认，取消密码后重新保存。") from exc
    except OSError as exc:
        raise MaskError(f"无法读取“{src}”（{exc.strerror}）。") from exc
    except Exception as exc:  # a file broken in a way no reader anticipated: report, never crash
        raise MaskError(f"处理“{src.name}”时出错，文件可能已损坏（{type(exc).__name__}）。"
                        "请用 WPS 或 Office 打开确认后重新保存。") from exc


def mask_in_place(path: Path, kind: str = LIST, public=()) -> MaskResult:
    """Replace ``path`` by its masked form, keeping the original first (a copy under ``.mzpress-backup/`` in a
    project, ``FILE.bak`` outside one; ``backup`` of the result); a file with nothing to mask is left
    untouched (``backup`` None)."""
    if not path.is_file():
        raise MaskError(f"找不到文件“{path}”。")
    check_supported(path)
    data, counts = _read_masked(path, _rules(kind, public))
    if not counts:  # nothing masked: not even rewritten (a workbook saved again is never the same bytes)
        return MaskResult(path, counts, None)
    try:
        backup = rewrite(path, data, git_is_backup=False)
    except OSError as exc:
        raise MaskError(f"无法写入“{exc.filename or path}”（{exc.strerror}）。") from exc
    return MaskResult(path, counts, backup)


def mask_file(src: Path, dst: Path, force: bool = False, kind: str = LIST, public=()) -> MaskResult:
    """Write the masked copy of ``src`` to ``dst``; ``src`` is never modified."""
    if not src.is_file():
        raise MaskError(f"找不到文件“{src}”。")
    check_supported(src)
    if dst.exists() and os.path.samefile(src, dst):
        raise MaskError("输出文件不能是原文件本身：scripts/mzpress mask 从不修改原文件。请用 -o 指定另一个文件名。")
    if dst.is_dir():
        raise MaskError(f"“{dst}”是一个文件夹，请用 -o 指定输出文件名。")
    if dst.exists() and not force:
        raise MaskError(f"输出文件“{dst}”已经存在。如确认要替换它，加上 --force（旧文件会先备份）；"
                        "或者用 -o 指定另一个文件名。")
    if not dst.parent.is_dir():
        raise MaskError(f"输出位置“{dst.parent}”不存在，请先建好文件夹或换一个位置。")
    data, counts = _read_masked(src, _rules(kind, public))
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
