"""What ``mzpress scan`` checks a file as, and what it says about a file it cannot check.

``mzpress scan`` must never say “检查通过” about a file it did not look into:

* A file of a type scan knows (:data:`SCANNABLE_SUFFIXES`: Markdown and text files, Excel, Word,
  PDF, images; the old .xls/.doc/.wps/.et formats are known too, the attachment check tells to
  save them anew) is checked as usual.
* A file named on the command line whose type scan does not know is an error
  ``scan.unsupported-type`` listing the supported types; a file that cannot be opened (no read
  permission, not a regular file) is ``scan.unreadable``. Both, like ``scan.not-found``, make
  ``mzpress scan`` exit 2 (:data:`INCOMPLETE_RULES`): nothing can be said about that file.
* Inside a folder, a file of an unknown type is a warning ``scan.skipped`` (listed so the writer
  knows it was not checked, without failing the run on every stray file); an unreadable one is
  ``scan.unreadable`` as above.
* A backup (``a.md.bak``, ``a.md.bak.2``, ``.mzpress-backup/…/a.md.20261201-093000``, see
  :mod:`mzpress.model.backup_names`) holds the text from before a change, possibly the unmasked
  original. It is checked as the type it was made of (``a.md``; a temporary copy with that name
  is checked, since the checks go by the file ending) and gets a warning ``scan.backup-file``
  saying what it is. The findings keep the backup's own path, so the Markdown-only checks
  (typography, HTML, alt text), which go by that path, skip it: a backup is never published;
  the personal-data, wording and encoding checks do run. A backup of an unknown type is
  ``scan.unsupported-type`` / ``scan.skipped`` like any other file.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from mzpress.checks.registry import TEXT_SUFFIXES
from mzpress.model.backup_names import original_name
from mzpress.model.findings import Finding, error, warning
from mzpress.text.attachments import LEGACY_FORMATS, PDF_SUFFIXES, SPREADSHEET_SUFFIXES, WORD_SUFFIXES
from mzpress.text.images import IMAGE_SUFFIXES

MARKDOWN_SUFFIXES = frozenset({".md", ".markdown"})
SCANNABLE_SUFFIXES = (TEXT_SUFFIXES | SPREADSHEET_SUFFIXES | WORD_SUFFIXES | PDF_SUFFIXES | IMAGE_SUFFIXES
                      | frozenset(LEGACY_FORMATS))
# Findings after which scan exits 2: a file given could not be checked at all.
INCOMPLETE_RULES = frozenset({"scan.not-found", "scan.unreadable", "scan.unsupported-type"})


# The order suffixes are listed in messages (the common ones first); any other comes after, sorted.
_SHOWN_ORDER = (".md", ".markdown", ".txt", ".csv", ".xlsx", ".xlsm", ".docx", ".pdf",
                ".jpg", ".jpeg", ".png", ".gif", ".webp", ".bmp", ".tif", ".tiff", ".xls", ".et", ".doc", ".wps")


def _listed(suffixes: frozenset[str] | set[str]) -> str:
    def order(suffix: str) -> tuple[int, str]:
        return (_SHOWN_ORDER.index(suffix) if suffix in _SHOWN_ORDER else len(_SHOWN_ORDER), suffix)

    return "、".join(sorted(suffixes, key=order))


def supported_types() -> str:
    """The file types scan checks, in words (for messages)."""
    return (f"Markdown 稿件（{_listed(TEXT_SUFFIXES & MARKDOWN_SUFFIXES)}）、"
            f"文本和表格（{_listed(TEXT_SUFFIXES - MARKDOWN_SUFFIXES)}）、"
            f"Excel 表格（{_listed(SPREADSHEET_SUFFIXES)}）、Word 文档（{_listed(WORD_SUFFIXES)}）、"
            f"PDF（{_listed(PDF_SUFFIXES)}）、图片（{_listed(IMAGE_SUFFIXES)}）；"
            f"旧格式（{_listed(set(LEGACY_FORMATS))}）会提示另存为新格式")


@dataclass
class ScanTarget:
    """How one file is scanned: as a file named ``name`` (None: not at all), after ``findings``."""

    name: str | None
    findings: list[Finding] = field(default_factory=list)


def _suffix(name: str) -> str:
    return Path(name).suffix.lower()


def _unreadable(path: Path, relpath: str) -> Finding | None:
    if not path.is_file():
        return error("scan.unreadable", relpath, None,
                     "这不是普通文件（可能是设备、管道或快捷方式指向的位置不存在），scripts/mzpress scan 无法检查。",
                     "请指定要检查的文件本身，或它所在的文件夹。")
    try:
        with path.open("rb") as stream:
            stream.read(1)
    except OSError as exc:
        return error("scan.unreadable", relpath, None,
                     f"无法读取这个文件（{exc.strerror or exc}），没有检查其中是否有个人信息等问题。",
                     "确认文件没有被其他程序（如 WPS、Excel）独占打开，并且当前用户有读取权限；"
                     "可以把文件复制到自己的文件夹后再运行 scripts/mzpress scan。")
    return None


def scan_target(path: Path, relpath: str, named: bool) -> ScanTarget:
    """How to scan ``path`` (shown as ``relpath``); ``named``: given on the command line, not found in a folder."""
    problem = _unreadable(path, relpath)
    if problem is not None:
        return ScanTarget(None, [problem])
    original = original_name(path.name)
    name = original or path.name
    suffix = _suffix(name)
    if suffix not in SCANNABLE_SUFFIXES:
        kind = f" {suffix} 文件" if suffix else "没有扩展名的文件"
        what = f"这是“{name}”的备份，scripts/mzpress scan 不支持{kind}" if original else f"scripts/mzpress scan 不支持{kind}"
        if named:
            return ScanTarget(None, [error(
                "scan.unsupported-type", relpath, None,
                f"{what}，没有检查这个文件。scripts/mzpress scan 能检查：{supported_types()}。",
                "把文件另存为上面列出的一种格式（例如名单另存为 .xlsx 或 .csv）后再检查；"
                "压缩包请先解压，再检查解压出的文件。")])
        return ScanTarget(None, [warning(
            "scan.skipped", relpath, None, f"{what}，跳过了这个文件，没有检查。",
            f"如果这个文件要上传或发布，请另存为能检查的格式：{supported_types()}。")])
    if original is None:
        return ScanTarget(name)
    return ScanTarget(name, [warning(
        "scan.backup-file", relpath, None,
        f"这是 mzpress 修改“{name}”之前保存的备份，里面是修改前的原文（可能有未脱敏的个人信息），"
        f"已按 {suffix} 文件检查。",
        "备份只用于找回原文：不要上传、发布或提交到 git；确认修改无误后删除。")])


@contextmanager
def checked_file(path: Path, name: str) -> Iterator[Path]:
    """``path`` itself, or for a backup a temporary copy named ``name`` (the checks go by the file ending)."""
    if name == path.name:
        yield path
        return
    with tempfile.TemporaryDirectory(prefix="mzpress-scan-") as folder:
        copy = Path(folder) / name
        shutil.copyfile(path, copy)
        yield copy
