"""The package sent up for 上级报送: ``<slug>-报送.zip`` with the Word file (稿签 on its first page) and
the photos as files of their own (图1-……jpg, in the order of the text), as the higher office asks for them.

Names are Chinese, stored as UTF-8 (the zip's language flag), which Windows 10 and later, WPS, 360压缩,
Bandizip and the 统信/麒麟 archive managers read. Entry times are the export day, so the same export
gives the same bytes. Pure: bytes in, bytes out.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile

from mzpress.model.content import Page

_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f\x7f]+')
MAX_NAME = 60


def safe_file_name(text: str, fallback: str) -> str:
    """``text`` usable as a file name on Windows, macOS and Linux (at most :data:`MAX_NAME` characters)."""
    name = _UNSAFE.sub("", " ".join(text.split())).strip(" .")[:MAX_NAME].strip(" .")
    return name or fallback


def package_name(page: Page) -> str:
    return f"{page.slug or 'export'}-报送.zip"


def docx_name(page: Page) -> str:
    return safe_file_name(page.title, page.slug or "稿件") + ".docx"


def submission_zip(files: list[tuple[str, bytes]], when: dt.datetime) -> bytes:
    """One zip of ``files`` (name, bytes), in order."""
    stamp = (when.year, when.month, when.day, 0, 0, 0)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files:
            entry = zipfile.ZipInfo(name, stamp)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            archive.writestr(entry, data)
    return out.getvalue()
