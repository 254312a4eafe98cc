"""Reading writers' text files: UTF-8 only, with a clear word when they are not.

Writers' tools (WPS, Notepad on older Windows) often save GBK/GB18030. We never
guess silently: a non-UTF-8 file is an error naming the first bad line, and
``mzpress fix-encoding`` converts it with a backup kept.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from mzpress.model.findings import Finding, error

BOM = b"\xef\xbb\xbf"


@dataclass(frozen=True, slots=True)
class SourceFile:
    """A file as read from disk: its bytes and, when they are valid UTF-8, its text."""

    path: Path
    relpath: str
    raw: bytes
    text: str | None

    @property
    def readable(self) -> bool:
        return self.text is not None


def _line_at(raw: bytes, offset: int) -> int:
    return raw.count(b"\n", 0, offset) + 1


def guess_legacy_encoding(raw: bytes) -> str | None:
    """'gb18030' when the bytes read as Chinese in GB18030/GBK, else None."""
    try:
        text = raw.decode("gb18030")
    except UnicodeDecodeError:
        return None
    cjk = sum(1 for ch in text if "\u4e00" <= ch <= "\u9fff")
    return "gb18030" if cjk else None


def decode(raw: bytes, relpath: str) -> tuple[str | None, list[Finding]]:
    """Decode UTF-8 text; report a BOM or a legacy encoding as a finding with its line."""
    findings: list[Finding] = []
    if raw.startswith(BOM):
        findings.append(error(
            "encoding.bom", relpath, 1,
            "文件开头带有 BOM 标记（记事本“UTF-8 带签名”格式），会导致开头的 --- 无法识别。",
            "运行 mzpress fix-encoding 文件名 去掉 BOM（会保留备份）。", column=1))
        raw = raw[len(BOM):]
    try:
        return raw.decode("utf-8"), findings
    except UnicodeDecodeError as exc:
        line = _line_at(raw, exc.start)
        if guess_legacy_encoding(raw):
            message = "文件不是 UTF-8 编码，看起来是 GBK/GB18030 编码（WPS 或旧版记事本常见），网站无法正确显示。"
        else:
            message = "文件不是 UTF-8 编码，其中有无法识别的字节。"
        findings.append(error(
            "encoding.not-utf8", relpath, line, message,
            "运行 mzpress fix-encoding 文件名 转换为 UTF-8（原文件会备份为 .bak），或在编辑器中“另存为 UTF-8”。"))
        return None, findings


def read_source(path: Path, relpath: str) -> tuple[SourceFile, list[Finding]]:
    raw = path.read_bytes()
    text, findings = decode(raw, relpath)
    return SourceFile(path, relpath, raw, text), findings


# --- invisible characters ---------------------------------------------------------------------------------
# Zero-width characters and control characters come in with text copied from web pages,
# WeChat articles, Word and PDF. They are invisible, break search and words (a zero-width
# space inside 低保 hides it from every check) and some browsers show them as boxes.

ZERO_WIDTH = "\u200b\u200c\u200d\u2060\ufeff"
ZERO_WIDTH_PATTERN = re.compile(f"[{ZERO_WIDTH}]")
# C0 controls except tab, line feed and carriage return; DEL; C1 controls.
CONTROL_PATTERN = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


