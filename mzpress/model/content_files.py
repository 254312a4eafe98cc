"""Which files under ``content/`` may be published at all, by name and kind (the publish gate's file set).

The build publishes only what the checks read and passed. This module decides, for every entry
under ``content/``, what it is, without following any link:

* ``.md``: a page (the content loader parses it);
* images (``.jpg`` ``.png`` ...), SVG pictures and attachments (``.pdf`` ``.docx`` ``.xlsx``
  ``.csv`` ``.txt``): checked by the image, SVG and personal-data checks;
* files matching an ``extra_files`` pattern of ``site.yml``'s ``content`` section: published as
  they are after a size and file-signature check (:data:`EXTRA_KINDS` lists the types a site may
  allow; scripts, styles and web pages never: they belong in ``overrides/``, which developers review);
* everything else is an error finding naming the file and what to do with it:
  other Markdown-like endings (``.markdown`` ``.mkd`` ``.MD`` ...: rename to ``.md``), backups and
  editor temporary files (``*.bak`` ``*~`` ``.#*`` ``*.swp`` ``~$*`` ``*.orig``), symbolic links
  (files or folders: never followed, never published), and unknown types.

Hidden files and folders (``.gitkeep``, ``.DS_Store``) are neither checked nor published; the
hidden editor files among them (``.#a.md``, ``.a.md.swp``) are reported all the same, since
they hold a writer's text.
"""

from __future__ import annotations

import fnmatch
import os
import posixpath
import re
from dataclasses import dataclass, field
from pathlib import Path

from mzpress.model.findings import Finding, error

MARKDOWN_SUFFIX = ".md"
# What MkDocs and editors also take for Markdown: renamed to .md, never published under another ending.
MARKDOWN_LIKE_SUFFIXES = frozenset({
    ".markdown", ".mdown", ".mkdn", ".mkd", ".mdwn", ".mdtxt", ".mdtext", ".rmd", ".text"})
IMAGE_SUFFIXES = frozenset({".jpg", ".jpeg", ".png", ".gif", ".webp", ".bmp", ".tif", ".tiff"})
SVG_SUFFIXES = frozenset({".svg"})
SPREADSHEET_SUFFIXES = frozenset({".xlsx", ".xlsm"})
WORD_SUFFIXES = frozenset({".docx"})
PDF_SUFFIXES = frozenset({".pdf"})
TEXT_ATTACHMENT_SUFFIXES = frozenset({".csv", ".txt"})
# Old binary formats the attachment check refuses with "save it as .xlsx/.docx" (known, not published).
LEGACY_SUFFIXES = frozenset({".xls", ".et", ".doc", ".wps"})
ATTACHMENT_SUFFIXES = SPREADSHEET_SUFFIXES | WORD_SUFFIXES | PDF_SUFFIXES | TEXT_ATTACHMENT_SUFFIXES
# Types a site may allow with ``content.extra_files``: what each must start with (its file signature).
EXTRA_KINDS: dict[str, tuple[str, tuple[tuple[int, bytes], ...]]] = {
    ".mp4": ("MP4 视频", ((4, b"ftyp"),)),
    ".mp3": ("MP3 音频", ((0, b"ID3"), (0, b"\xff\xfb"), (0, b"\xff\xf3"), (0, b"\xff\xf2"))),
    ".zip": ("ZIP 压缩包", ((0, b"PK\x03\x04"),)),
    ".ico": ("网站图标", ((0, b"\x00\x00\x01\x00"),)),
    ".ofd": ("OFD 版式文件", ((0, b"PK\x03\x04"),)),
}
# Never publishable from content/, allowlisted or not: they run or restyle the site.
ACTIVE_SUFFIXES = frozenset({".js", ".mjs", ".css", ".html", ".htm", ".xhtml", ".shtml", ".xml", ".php", ".asp",
                             ".aspx", ".jsp", ".cgi", ".wasm", ".map", ".json", ".webmanifest", ".swf"})

_BACKUP = re.compile(
    r"(?:\.bak(?:\.?\d+)?|\.\d{8}-\d{6}(?:-\d+)?|~|\.orig|\.rej|\.swp|\.swo|\.tmp|\.temp)$", re.IGNORECASE)
_BACKUP_PREFIX = ("~$", ".#", ".~lock.")


class Kind:
    MARKDOWN = "markdown"
    IMAGE = "image"
    SVG = "svg"
    ATTACHMENT = "attachment"
    LEGACY = "legacy"  # refused by the attachment check
    EXTRA = "extra"  # allowed by site.yml content.extra_files
    HIDDEN = "hidden"  # not checked, not published


def is_backup_name(name: str) -> bool:
    """Backups and editor temporary files: ``a.md.bak``, ``a.md~``, ``.#a.md``, ``.a.md.swp``, ``~$稿件.docx``."""
    return name.startswith(_BACKUP_PREFIX) or bool(_BACKUP.search(name))


def suffix_of(name: str) -> str:
    return posixpath.splitext(name)[1].lower()


def matches_any(src: str, patterns: tuple[str, ...]) -> bool:
    """``src`` (relative to content/) matches one of the ``extra_files`` glob patterns."""
    return any(fnmatch.fnmatchcase(src, pattern) for pattern in patterns)


def kind_of(src: str, extra_files: tuple[str, ...] = ()) -> str | None:
    """The kind of a regular, visible file under content/ (``src`` relative to it); None: not publishable."""
    name = posixpath.basename(src)
    if is_backup_name(name):
        return None
    if name.endswith(MARKDOWN_SUFFIX):
        return Kind.MARKDOWN
    suffix = suffix_of(name)
    if suffix in ACTIVE_SUFFIXES or suffix in MARKDOWN_LIKE_SUFFIXES or suffix == MARKDOWN_SUFFIX:
        return None  # .MD / .Md: a Markdown file under a wrong ending
    if suffix in IMAGE_SUFFIXES:
        return Kind.IMAGE
    if suffix in SVG_SUFFIXES:
        return Kind.SVG
    if suffix in ATTACHMENT_SUFFIXES:
        return Kind.ATTACHMENT
    if suffix in LEGACY_SUFFIXES:
        return Kind.LEGACY
    if suffix in EXTRA_KINDS and matches_any(src, extra_files):
        return Kind.EXTRA
    return None


def _refusal(src: str, extra_files: tuple[str, ...]) -> tuple[str, str, str]:
    """(rule, message, fix) for a file under content/ that may not be published."""
    name = posixpath.basename(src)
    suffix = suffix_of(name)
    if is_backup_name(name):
        return ("content.backup-file", "这是备份或编辑软件的临时文件，里面可能是修改前的原文（包括未脱敏的信息），不能放在 content/ 里。",
                "确认正式文件无误后删除它；需要保留的备份移到 content/ 以外（mzpress 的备份在项目根目录的 .mzpress-backup/）。")
    if suffix in MARKDOWN_LIKE_SUFFIXES or suffix == MARKDOWN_SUFFIX:
        stem = name[: -len(suffix)] if suffix else name
        target = posixpath.join(posixpath.dirname(src), stem + MARKDOWN_SUFFIX)
        return ("content.markdown-extension", f"稿件文件的扩展名“{name[len(stem):]}”不对，网站只发布扩展名为 .md 的稿件。",
                f"把文件改名为 content/{target}（git mv content/{src} content/{target}）。")
    if suffix in ACTIVE_SUFFIXES:
        return ("content.active-file", f"content/ 里不能放网页、脚本或样式文件（{suffix}）：它们会在读者的浏览器里运行，却不经过内容检查。",
                "稿件请写成 .md；需要修改网站外观或功能，请联系技术人员改 overrides/ 里的主题文件。")
    if suffix in EXTRA_KINDS:
        label = EXTRA_KINDS[suffix][0]
        return ("content.file-type", f"{label}（{suffix}）默认不发布：site.yml 的 content.extra_files 没有列出这个文件。",
                f"确需发布，经审核后在 site_config/site.yml 的 content: 下写 extra_files: [\"{src}\"]；否则删除这个文件。")
    shown = suffix or "（没有扩展名）"
    allowed = "、".join(sorted(IMAGE_SUFFIXES | SVG_SUFFIXES | ATTACHMENT_SUFFIXES | {MARKDOWN_SUFFIX}))
    return ("content.file-type", f"content/ 里不能发布这种类型的文件（{shown}），检查无法读它。",
            f"网站能发布的文件：{allowed}；请另存为其中一种，或删除这个文件。")


@dataclass
class ContentFiles:
    """Every entry under content/: the files that may be published and the refused ones."""

    files: list[str] = field(default_factory=list)  # regular, visible, publishable-kind files, sorted
    findings: list[Finding] = field(default_factory=list)  # one error per refused entry
    refused: list[str] = field(default_factory=list)


def scan_content_dir(content_dir: Path, extra_files: tuple[str, ...] = (), relroot: str = "content") -> ContentFiles:
    """Walk ``content_dir`` without following links; classify every entry (see the module docstring)."""
    result = ContentFiles()
    if not content_dir.is_dir():
        return result

    def refuse(src: str, rule: str, message: str, fix: str) -> None:
        result.refused.append(src)
        result.findings.append(error(rule, f"{relroot}/{src}", None, message, fix))

    for dirpath, dirnames, filenames in os.walk(content_dir):  # followlinks=False: links are entries, not folders
        rel = os.path.relpath(dirpath, content_dir)
        prefix = "" if rel == "." else rel.replace(os.sep, "/") + "/"
        kept = []
        for name in sorted(dirnames):
            if os.path.islink(os.path.join(dirpath, name)):
                refuse(prefix + name, "content.symlink", "这是一个符号链接（快捷方式）文件夹：网站不会跟随它，也不会发布其中的文件。",
                       "把真正的文件复制到 content/ 里（或删除这个链接）。")
            elif not name.startswith("."):
                kept.append(name)
        dirnames[:] = kept
        for name in sorted(filenames):
            src = prefix + name
            path = os.path.join(dirpath, name)
            if os.path.islink(path):
                refuse(src, "content.symlink", "这是一个符号链接（快捷方式）：网站不会跟随它，也不会发布它指向的文件。",
                       "把真正的文件复制到这里（或删除这个链接）。")
                continue
            if name.startswith("."):
                if is_backup_name(name) or name.endswith((".swp", ".swo")):
                    refuse(src, *_refusal(src, extra_files))
                continue  # hidden: .gitkeep, .DS_Store
            if not os.path.isfile(path):
                refuse(src, "content.file-type", "这不是普通文件（设备、管道或套接字）。", "删除它。")
                continue
            if kind_of(src, extra_files) is None:
                refuse(src, *_refusal(src, extra_files))
                continue
            result.files.append(src)
    result.files.sort()
    return result
