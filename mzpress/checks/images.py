"""Image checks: image files under content/ (size, pixels, GPS, not an image, leftover backups) and alt text.

``mzpress check FILE`` runs the file checks on the photos and attachments the page uses too
(:func:`mzpress.checks.runner.used_files`), so a single page's check reports its photo's GPS data.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

from mzpress.checks.context import CheckContext
from mzpress.model.findings import Finding, error
from mzpress.model.source_text import SourceFile
from mzpress.text.images import (
    MISSING_ALT,
    ImageError,
    ImageLimits,
    human_size,
    inspect_bytes,
    is_image_name,
)

_IMAGE_BACKUP = re.compile(r"^(.+)\.bak(?:\.\d+)?$")
_FIX = "运行 scripts/mzpress fix-images {path} 自动缩小并去除拍摄位置等信息（git 会保留原图）。"
_IMAGE_REF = re.compile(r"!\[(?P<alt>(?:[^\[\]\\\n]|\\.)*)\](?=[(\[])")
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_INLINE_CODE = re.compile(r"(`+)(?:(?!\1).)+?\1")
_COVER_ALT = re.compile(r"^(cover_alt\s*:\s*)(?P<value>.*?)\s*$")


def image_limits(ctx: CheckContext | None) -> ImageLimits:
    """The limits configured in site.yml (``config.site.images``); the defaults outside a project."""
    config = ctx.config if ctx is not None else None
    return config.site.images if config is not None else ImageLimits()


def check_image_file(path: Path, relpath: str, ctx: CheckContext) -> Iterable[Finding]:
    """Attachment check for image files under ``content/`` (other files are ignored)."""
    backup = _IMAGE_BACKUP.match(path.name.lower())
    if backup and is_image_name(backup.group(1)):
        yield error("images.backup-file", relpath, None,
                    "这是修复图片时留下的原图备份，可能带有拍摄位置等信息，不能随网站发布。",
                    "确认修复后的图片无误后删除这个 .bak 文件。")
        return
    if not is_image_name(path):
        return
    limits = image_limits(ctx)
    try:
        data = path.read_bytes()
    except OSError as exc:
        yield error("images.not-image", relpath, None, f"图片无法读取：{exc.strerror or exc}。",
                    "检查文件是否被其他程序占用，或重新复制一份。")
        return
    try:
        info = inspect_bytes(data, "这个文件")
    except ImageError as exc:
        yield error("images.not-image", relpath, None, str(exc),
                    "换成一张能正常打开的 JPG 或 PNG 图片（用看图软件打开确认），文件名保持不变。")
        return
    fix = _FIX.format(path=relpath)
    if len(data) > limits.max_bytes:
        yield error("images.too-large-file", relpath, None,
                    f"图片文件太大：{human_size(len(data))}，上限{human_size(limits.max_bytes)}，会让网页打开很慢。", fix)
    if info.long_edge > limits.max_edge:
        yield error("images.too-large-pixels", relpath, None,
                    f"图片尺寸太大：{info.width}×{info.height}像素，长边上限{limits.max_edge}像素。", fix)
    if info.has_gps:
        yield error("images.gps", relpath, None,
                    "照片里带有 GPS 拍摄位置信息，发布后任何人都能看到拍摄地点（可能是群众住址）。", fix)


def _blank(match: re.Match) -> str:
    return " " * len(match.group(0))


def _alt_missing(alt: str) -> bool:
    text = alt.replace("\\", "").strip().strip("\"'")
    return not text or text == MISSING_ALT


def check_missing_alt(source: SourceFile, ctx: CheckContext) -> Iterable[Finding]:
    """Text check: Markdown images (and ``cover_alt``) without a real description."""
    if source.text is None or Path(source.relpath).suffix.lower() not in (".md", ".markdown"):
        return
    lines = source.text.replace("\r\n", "\n").split("\n")
    in_front_matter = bool(lines) and lines[0].strip() == "---"
    fence: str | None = None
    for number, line in enumerate(lines, start=1):
        if in_front_matter:
            if number > 1 and line.strip() == "---":
                in_front_matter = False
                continue
            match = _COVER_ALT.match(line)
            # an empty cover_alt is the schema's to report; the marker is ours
            if match and match.group("value").strip().strip("\"'").strip() == MISSING_ALT:
                yield error("images.missing-alt", source.relpath, number,
                            f"封面图片说明（cover_alt）还是占位文字“{MISSING_ALT}”。",
                            "把 cover_alt 改成一句描述图片内容的话，例如：志愿者为老人理发。",
                            column=match.start("value") + 1)
            continue
        opener = _FENCE.match(line)
        if fence is not None:
            if opener and opener.group(1)[0] == fence[0] and len(opener.group(1)) >= len(fence):
                fence = None
            continue
        if opener:
            fence = opener.group(1)
            continue
        visible = _INLINE_CODE.sub(_blank, line)
        for match in _IMAGE_REF.finditer(visible):
            if _alt_missing(match.group("alt")):
                yield error("images.missing-alt", source.relpath, number,
                            "图片缺少说明文字（方括号里为空或仍是“待补充图片说明”）。读屏软件和图片加载失败时都靠它。",
                            "在 ![ ] 的方括号里写一句描述图片内容的话，例如 ![志愿者为老人理发](images/xxx.jpg)。",
                            column=match.start() + 1)
