"""Decoding writers' text files: the one decoder, with two named policies.

Writers' tools save what they like: WPS and Notepad on older Windows save GBK/GB18030, Notepad's
“Unicode” is UTF-16 with a byte order mark, “UTF-8 带签名” puts a BOM before UTF-8. Every text
file mzpress reads goes through :func:`decode_text`, so every command agrees on what such bytes are
(``Decoded.encoding``) and on which of them it reads:

* ``Policy.PUBLISH``, what the site is built from (the content loader, the configuration,
  ``mzpress check``, ``fmt``, ``withdraw``): UTF-8 only. A UTF-8 BOM is left out of the text and
  reported (``encoding.bom``); any other encoding gives no text and one error
  (``encoding.not-utf8``) naming the first bad line and what the file looks like. Nothing is
  guessed silently: ``mzpress fix-encoding`` converts the file, keeping a backup.
* ``Policy.SCAN``, “read it anyway” (the personal-data scan, the check runner, CSV/TXT
  attachments and ``mzpress mask``, ``mzpress fix-encoding``, the changes report): UTF-8 with or
  without BOM, UTF-16 with a BOM, or GB18030 when the bytes read as Chinese text (Chinese
  characters and hardly any control characters). Anything else gives no text: reading further
  would take binary files for text, and converting them would corrupt them.

Under both policies ``Decoded.findings`` are the publishing findings: what keeps the file from
being published as it is.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from mzpress.model.findings import Finding, error

BOM = b"\xef\xbb\xbf"
UTF16_BOMS = {b"\xff\xfe": "utf-16-le", b"\xfe\xff": "utf-16-be"}
UTF8 = "utf-8"
GB18030 = "gb18030"


class Policy(StrEnum):
    """Which encodings a reader accepts (see the module docstring)."""

    PUBLISH = "publish"  # UTF-8 only (a BOM is reported)
    SCAN = "scan"  # UTF-8, UTF-16 with a BOM, GB18030 Chinese text


@dataclass(frozen=True, slots=True)
class Decoded:
    """What :func:`decode_text` made of some bytes."""

    text: str | None  # None when the policy does not read these bytes
    encoding: str | None  # what the bytes are: utf-8, utf-16-le, utf-16-be, gb18030; None when unknown
    had_bom: bool  # they start with a byte order mark (UTF-8 or UTF-16); it is never part of ``text``
    findings: tuple[Finding, ...] = ()  # the publishing findings (BOM, not UTF-8), under every policy

    @property
    def readable(self) -> bool:
        return self.text is not None


@dataclass(frozen=True, slots=True)
class SourceFile:
    """A file as read from disk: its bytes and its text as the reading policy allows (None when it does not).

    ``too_large``: the content loader did not read it, being larger than ``content.max_markdown_kb``
    (``raw`` is empty, ``text`` None); no check looks inside it.
    """

    path: Path
    relpath: str
    raw: bytes
    text: str | None
    too_large: bool = False

    @property
    def readable(self) -> bool:
        return self.text is not None


def _line_at(raw: bytes, offset: int) -> int:
    return raw.count(b"\n", 0, offset) + 1


def _chinese_gb18030(raw: bytes) -> str | None:
    """The text of ``raw`` in GB18030 when it reads as Chinese text, else None.

    Almost any byte string with high bytes decodes as GB18030; it counts only with Chinese
    characters in it and at most a few control characters (binary data that happens to decode
    has many).
    """
    try:
        text = raw.decode(GB18030)
    except UnicodeDecodeError:
        return None
    if not any("\u4e00" <= ch <= "\u9fff" for ch in text):
        return None
    if len(CONTROL_PATTERN.findall(text)) > max(2, len(text) // 200):
        return None
    return text


def _sniff(raw: bytes) -> tuple[str | None, str | None, bool, int]:
    """(text, encoding, had_bom, offset of the first byte that is not UTF-8 or -1), every policy's reading."""
    for bom, codec in UTF16_BOMS.items():
        if raw.startswith(bom):
            try:
                return raw[len(bom):].decode(codec), codec, True, 0
            except UnicodeDecodeError:
                return None, None, True, 0
    had_bom = raw.startswith(BOM)
    body = raw[len(BOM):] if had_bom else raw
    try:
        return body.decode(UTF8), UTF8, had_bom, -1
    except UnicodeDecodeError as exc:
        bad = exc.start
    text = _chinese_gb18030(body)
    return text, (GB18030 if text is not None else None), had_bom, bad


def _publishing_findings(raw: bytes, relpath: str, encoding: str | None, bad: int) -> list[Finding]:
    findings: list[Finding] = []
    if raw.startswith(BOM):
        findings.append(error(
            "encoding.bom", relpath, 1,
            "文件开头带有 BOM 标记（记事本“UTF-8 带签名”格式），会导致开头的 --- 无法识别。",
            "运行 scripts/mzpress fix-encoding 文件名 去掉 BOM（会保留备份）。", column=1))
        raw = raw[len(BOM):]
    if encoding == UTF8:
        return findings
    if encoding == GB18030:
        message = "文件不是 UTF-8 编码，看起来是 GBK/GB18030 编码（WPS 或旧版记事本常见），网站无法正确显示。"
    elif encoding in UTF16_BOMS.values():
        message = "文件不是 UTF-8 编码，看起来是 UTF-16 编码（记事本“Unicode”格式），网站无法正确显示。"
    else:
        message = "文件不是 UTF-8 编码，其中有无法识别的字节。"
    findings.append(error(
        "encoding.not-utf8", relpath, _line_at(raw, bad), message,
        "运行 scripts/mzpress fix-encoding 文件名 转换为 UTF-8（原文件会备份为 .bak），或在编辑器中“另存为 UTF-8”。"))
    return findings


def decode_text(raw: bytes, relpath: str = "", policy: Policy = Policy.PUBLISH) -> Decoded:
    """The one decoder: the text of ``raw`` under ``policy``, what the bytes are, and the
    publishing findings (located in ``relpath``)."""
    text, encoding, had_bom, bad = _sniff(raw)
    if policy is Policy.PUBLISH and encoding != UTF8:
        text = None
    return Decoded(text, encoding, had_bom, tuple(_publishing_findings(raw, relpath, encoding, bad)))


def decode(raw: bytes, relpath: str) -> tuple[str | None, list[Finding]]:
    """Decode for publishing (UTF-8 only): the text, or None, and the BOM / not-UTF-8 findings with their line."""
    decoded = decode_text(raw, relpath, Policy.PUBLISH)
    return decoded.text, list(decoded.findings)


def read_source(path: Path, relpath: str, policy: Policy = Policy.PUBLISH) -> tuple[SourceFile, list[Finding]]:
    """Read and decode a file (for publishing unless told otherwise) with the publishing findings."""
    raw = path.read_bytes()
    decoded = decode_text(raw, relpath, policy)
    return SourceFile(path, relpath, raw, decoded.text), list(decoded.findings)


def for_scanning(source: SourceFile) -> SourceFile:
    """``source`` with the text the scanning policy reads (a GBK or UTF-16 file that was read for
    publishing has none): a leak must be found even before the file is converted."""
    if source.text is not None or source.too_large:
        return source
    text = decode_text(source.raw, source.relpath, Policy.SCAN).text
    return SourceFile(source.path, source.relpath, source.raw, text)


# --- invisible characters ---------------------------------------------------------------------------------
# Zero-width characters and control characters come in with text copied from web pages,
# WeChat articles, Word and PDF. They are invisible, break search and words (a zero-width
# space inside 低保 hides it from every check) and some browsers show them as boxes.

ZERO_WIDTH = "\u200b\u200c\u200d\u2060\ufeff"
ZERO_WIDTH_PATTERN = re.compile(f"[{ZERO_WIDTH}]")
# C0 controls except tab, line feed and carriage return; DEL; C1 controls.
CONTROL_PATTERN = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


