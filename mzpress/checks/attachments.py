"""Personal-data check of attachments (.xlsx, .docx, .pdf, .csv, .txt) and of legacy formats that cannot be read."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable
from pathlib import Path

from mzpress.checks.context import CheckContext
from mzpress.checks.privacy import identifier_finding
from mzpress.model.findings import Finding, error, warning
from mzpress.text.attachments import (
    HANDLED_SUFFIXES,
    LEGACY_FORMATS,
    PDF_SUFFIXES,
    TextPiece,
    UnreadableAttachment,
    kind_name,
    read_pieces,
)
from mzpress.text.identifiers import find_identifiers


def scan_pieces(pieces: Iterable[TextPiece], relpath: str, today: dt.date | None = None) -> list[Finding]:
    """Findings for the identifiers in every piece: in its text, and in the text as shown when
    that differs (a Word number split by a field, a tracked deletion or hidden text); one
    finding for an identifier found in both."""
    today = today or dt.date.today()
    findings = []
    for piece in pieces:
        found = find_identifiers(piece.text, today)
        findings += [identifier_finding(item, relpath, None, None, where=piece.where) for item in found]
        if piece.shown:
            seen = Counter((item.kind, item.masked) for item in found)
            for item in find_identifiers(piece.shown, today):
                if seen[item.kind, item.masked]:
                    seen[item.kind, item.masked] -= 1
                    continue
                findings.append(identifier_finding(item, relpath, None, None, where=piece.where))
    return findings


def scan_attachment(path: Path, relpath: str, ctx: CheckContext) -> list[Finding]:
    """Attachment check: identifiers in .xlsx/.docx/.pdf; a clear error for old or unreadable files."""
    suffix = path.suffix.lower()
    if suffix in LEGACY_FORMATS:
        what, new_suffix, save_as = LEGACY_FORMATS[suffix]
        return [error(
            "attachment.legacy-format", relpath, None,
            f"这是{what}，mzpress 无法检查其中是否有未脱敏的身份证号、手机号等个人信息。",
            f"用 WPS 或 Office 打开，点“另存为”，文件类型选“{save_as}”，保存为 {new_suffix} 文件，"
            f"删除旧文件并把正文里的链接改成新文件名；再运行 scripts/mzpress scan 新文件 检查。")]
    if suffix not in HANDLED_SUFFIXES:
        return []
    kind = kind_name(suffix)
    try:
        pieces = list(read_pieces(path))
    except UnreadableAttachment as exc:
        return [error(
            "attachment.unreadable", relpath, None,
            f"无法打开这个{kind}：{exc.reason}。无法检查其中是否有个人信息，读者也可能打不开。",
            f"用 WPS 或 Office 打开确认文件完好；如设置了密码请取消密码；然后重新保存为 {suffix} 文件。")]
    except OSError as exc:
        return [error("attachment.unreadable", relpath, None, f"无法读取这个{kind}（{exc.strerror}）。",
                      "确认文件存在且有读取权限。")]
    except Exception as exc:  # a file broken in a way no reader anticipated: report, never crash
        return [error(
            "attachment.unreadable", relpath, None,
            f"无法打开这个{kind}：文件可能已损坏（{type(exc).__name__}）。无法检查其中是否有个人信息。",
            f"用 WPS 或 Office 打开确认文件完好，然后重新保存为 {suffix} 文件。")]
    findings = scan_pieces(pieces, relpath)
    if suffix in PDF_SUFFIXES and not pieces:
        findings.append(warning(
            "attachment.no-text", relpath, None,
            "这个 PDF 里没有可提取的文字（可能是扫描件或图片），无法自动检查其中是否有身份证号、手机号等个人信息。",
            "请人工逐页核对；最好改用由 Word/Excel 直接导出的 PDF，或先对原始名单运行 scripts/mzpress mask 再导出。"))
    return findings
