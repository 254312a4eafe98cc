"""Images on the site: size limits, GPS privacy, alt text, and the re-encoding that fixes them.

Rules (all errors in ``mzpress check``):

* ``images.too-large-file``: more bytes than ``images.max_bytes`` (default 2 MB);
* ``images.too-large-pixels``: long edge above ``images.max_edge`` (default 1600 px);
* ``images.gps``: the photo carries GPS coordinates in its EXIF/XMP data;
* ``images.not-image``: a file named like an image that no image library can read;
* ``images.backup-file``: a ``.bak`` copy of an image (the unrepaired original) under ``content/``;
* ``images.missing-alt``: a Markdown image without a description, or with :data:`MISSING_ALT`.

Thresholds come from ``site_config/site.yml`` (``images: {max_bytes, max_edge}``).
:func:`normalize` is the one place that resizes, strips metadata and re-encodes;
``mzpress import-docx`` and ``mzpress fix-images`` both use it.
"""

from __future__ import annotations

import io
import re
import warnings
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PIL import Image, ImageOps, UnidentifiedImageError

from mzpress.model.findings import Finding, error

if TYPE_CHECKING:
    from mzpress.checks import CheckContext
    from mzpress.model.source_text import SourceFile

MISSING_ALT = "待补充图片说明"
"""Alt text written for an image that has none; ``mzpress check`` reports it until replaced."""

IMAGE_SUFFIXES = frozenset({".jpg", ".jpeg", ".png", ".gif", ".webp", ".bmp", ".tif", ".tiff"})
DEFAULT_MAX_BYTES = 2 * 1024 * 1024
DEFAULT_MAX_EDGE = 1600
JPEG_QUALITY = 85
_FALLBACK_QUALITIES = (80, 75, 70, 65, 60)
_GPS_IFD = 0x8825
_GPS_VERSION_ID = 0
_XMP_GPS = re.compile(rb"GPS(?:Latitude|Longitude)")
_INFO_XMP_KEYS = ("xmp", "XML:com.adobe.xmp")
# Formats fix-images can rewrite in place (same format, same file name).
_REWRITABLE = {"JPEG": ".jpg", "PNG": ".png", "WEBP": ".webp"}


class ImageError(ValueError):
    """An image that cannot be read or repaired; the message is for the writer."""


@dataclass(frozen=True)
class ImageLimits:
    max_bytes: int = DEFAULT_MAX_BYTES
    max_edge: int = DEFAULT_MAX_EDGE

    @classmethod
    def from_site(cls, site: Any) -> ImageLimits:
        """Read ``images: {max_bytes, max_edge}`` from site.yml data, ignoring anything malformed."""
        section = site.get("images") if isinstance(site, dict) else None
        if not isinstance(section, dict):
            return cls()

        def positive(key: str, default: int) -> int:
            value = section.get(key)
            return value if isinstance(value, int) and not isinstance(value, bool) and value > 0 else default

        return cls(positive("max_bytes", DEFAULT_MAX_BYTES), positive("max_edge", DEFAULT_MAX_EDGE))

    @classmethod
    def from_context(cls, ctx: CheckContext | None) -> ImageLimits:
        config = getattr(ctx, "config", None)
        return cls.from_site(getattr(config, "site", None))


@dataclass(frozen=True)
class ImageInfo:
    format: str
    width: int
    height: int
    has_gps: bool
    has_metadata: bool  # EXIF, XMP or a comment that re-encoding would remove

    @property
    def long_edge(self) -> int:
        return max(self.width, self.height)


@dataclass(frozen=True)
class ProcessedImage:
    data: bytes
    suffix: str  # ".jpg" or ".png" (or the original's for in-place repairs)
    width: int
    height: int


def is_image_name(name: str | Path) -> bool:
    return Path(name).suffix.lower() in IMAGE_SUFFIXES


def human_size(size: int) -> str:
    if size >= 1024 * 1024:
        return f"{size / (1024 * 1024):.1f} MB"
    return f"{max(1, round(size / 1024))} KB"


def _not_an_image_message(data: bytes, name: str) -> str:
    if data[4:12] in (b"ftypheic", b"ftypheix", b"ftypmif1", b"ftyphevc"):
        return (f"{name}是苹果手机的 HEIC 格式照片，网站和浏览器无法显示。"
                "请在电脑上用“画图”或 WPS 图片打开后另存为 JPG，或在手机“设置 → 相机 → 格式”中选择“兼容性最佳”后重拍。")
    if not data:
        return f"{name}是空文件（0 字节），不是图片。"
    return f"{name}不是能识别的图片（文件可能已损坏，或只是改了扩展名）。"


def _open(data: bytes, name: str) -> Image.Image:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))
            image.size  # noqa: B018 - force the header to be parsed
        return image
    except Image.DecompressionBombError:
        raise ImageError(f"{name}的像素数量大得异常，可能是损坏或恶意构造的文件，无法处理。") from None
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError):
        raise ImageError(_not_an_image_message(data, name)) from None


def _xmp_blobs(image: Image.Image) -> Iterator[bytes]:
    for key in _INFO_XMP_KEYS:
        value = image.info.get(key)
        if isinstance(value, str):
            value = value.encode("utf-8", "replace")
        if isinstance(value, bytes | bytearray):
            yield bytes(value)


def _gps_in(image: Image.Image) -> bool:
    try:
        gps = image.getexif().get_ifd(_GPS_IFD)
    except Exception:  # malformed EXIF: Pillow raises a variety of errors
        gps = {}
    if any(tag != _GPS_VERSION_ID for tag in gps):
        return True
    return any(_XMP_GPS.search(blob) for blob in _xmp_blobs(image))


def _metadata_in(image: Image.Image) -> bool:
    try:
        has_exif = len(image.getexif()) > 0
    except Exception:
        has_exif = True
    return has_exif or any(True for _ in _xmp_blobs(image)) or bool(image.info.get("comment"))


def inspect_bytes(data: bytes, name: str) -> ImageInfo:
    """Format, size and metadata of an image; :class:`ImageError` when it is not one."""
    image = _open(data, name)
    with image:
        try:
            image.verify()  # checks what it can (PNG CRCs) without decoding all pixels
        except Exception:
            raise ImageError(f"{name}已损坏，无法读取。请用原始照片重新保存一份 JPG。") from None
    image = _open(data, name)  # verify() leaves the image unusable
    with image:
        width, height = image.size
        return ImageInfo(image.format or "", width, height, _gps_in(image), _metadata_in(image))


def _has_transparency(image: Image.Image) -> bool:
    if not image.has_transparency_data:
        return False
    alpha = image.convert("RGBA").getchannel("A")
    low, _high = alpha.getextrema()
    return low < 255


def _encode(image: Image.Image, fmt: str, quality: int, icc: bytes | None) -> bytes:
    buffer = io.BytesIO()
    # Never carry EXIF, XMP or comments into the output; palette transparency is pixel data.
    image.info = {key: image.info[key] for key in ("transparency",) if key in image.info}
    options: dict[str, Any] = {}
    if icc:
        options["icc_profile"] = icc
    if fmt == "JPEG":
        options.update(quality=quality, optimize=True, progressive=True)
    elif fmt == "PNG":
        options.update(optimize=True)
    elif fmt == "WEBP":
        options.update(quality=quality)
    image.save(buffer, fmt, **options)
    return buffer.getvalue()


def normalize(data: bytes, name: str, limits: ImageLimits | None = None,
              keep_format: bool = False) -> ProcessedImage:
    """Re-encode an image for the web: upright, long edge within limits, no EXIF/XMP/GPS.

    Transparent images become PNG, everything else JPEG (quality 85, lowered step by step
    while the file is still above ``max_bytes``). With ``keep_format`` the original format
    is kept (JPEG, PNG or WebP) so the file name can stay the same.
    """
    limits = limits or ImageLimits()
    source = _open(data, name)
    with source:
        if getattr(source, "n_frames", 1) > 1 and keep_format:
            raise ImageError(f"{name}是动图，无法自动修复。请换成静态的 JPG 照片。")
        original_format = source.format or ""
        try:
            icc = source.info.get("icc_profile")
            image = ImageOps.exif_transpose(source)  # turn the pixels, then drop the tag
            image.load()
        except Exception:
            raise ImageError(f"{name}已损坏，无法读取。请用原始照片重新保存一份 JPG。") from None
    if keep_format:
        if original_format not in _REWRITABLE:
            raise ImageError(f"{name}是 {original_format or '未知'} 格式，无法原样修复。"
                             "请用“画图”或 WPS 图片另存为 JPG（照片）或 PNG（截图、带透明背景的图），并修改正文中的引用。")
        fmt = original_format
    else:
        fmt = "PNG" if _has_transparency(image) else "JPEG"
    if fmt == "JPEG":
        if image.mode not in ("RGB", "L"):
            image = image.convert("RGB")
    elif fmt == "PNG":
        if image.mode not in ("RGB", "RGBA", "L", "LA", "P"):
            image = image.convert("RGBA" if image.has_transparency_data else "RGB")
    elif image.mode not in ("RGB", "RGBA"):
        image = image.convert("RGBA" if image.has_transparency_data else "RGB")
    if max(image.size) > limits.max_edge:
        image.thumbnail((limits.max_edge, limits.max_edge), Image.Resampling.LANCZOS)
    encoded = _encode(image, fmt, JPEG_QUALITY, icc)
    if fmt in ("JPEG", "WEBP"):
        for quality in _FALLBACK_QUALITIES:
            if len(encoded) <= limits.max_bytes:
                break
            encoded = _encode(image, fmt, quality, icc)
    suffix = _REWRITABLE[fmt]
    return ProcessedImage(encoded, suffix, image.width, image.height)


def problems(info: ImageInfo, size: int, limits: ImageLimits) -> list[str]:
    """Short Chinese descriptions of what breaks the rules (empty when the image is fine)."""
    found = []
    if size > limits.max_bytes:
        found.append(f"文件 {human_size(size)}，超过 {human_size(limits.max_bytes)}")
    if info.long_edge > limits.max_edge:
        found.append(f"尺寸 {info.width}×{info.height} 像素，长边超过 {limits.max_edge}")
    if info.has_gps:
        found.append("带有 GPS 拍摄位置")
    return found


# --- checks ---------------------------------------------------------------------------------

_IMAGE_BACKUP = re.compile(r"^(.+)\.bak(?:\.\d+)?$")
_FIX = "运行 mzpress fix-images {path} 自动缩小并去除拍摄位置等信息（git 会保留原图）。"


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
    limits = ImageLimits.from_context(ctx)
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
                    f"图片文件太大：{human_size(len(data))}，上限 {human_size(limits.max_bytes)}，会让网页打开很慢。", fix)
    if info.long_edge > limits.max_edge:
        yield error("images.too-large-pixels", relpath, None,
                    f"图片尺寸太大：{info.width}×{info.height} 像素，长边上限 {limits.max_edge} 像素。", fix)
    if info.has_gps:
        yield error("images.gps", relpath, None,
                    "照片里带有 GPS 拍摄位置信息，发布后任何人都能看到拍摄地点（可能是群众住址）。", fix)


_IMAGE_REF = re.compile(r"!\[(?P<alt>(?:[^\[\]\\\n]|\\.)*)\](?=[(\[])")
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_INLINE_CODE = re.compile(r"(`+)(?:(?!\1).)+?\1")
_COVER_ALT = re.compile(r"^(cover_alt\s*:\s*)(?P<value>.*?)\s*$")


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


# --- repairing in place (mzpress fix-images) --------------------------------------------------

@dataclass(frozen=True)
class Repair:
    """What ``repair_in_place`` did to one file."""

    path: Path
    status: str  # "fixed" | "fine" | "failed"
    before: tuple[str, ...] = ()
    remaining: tuple[str, ...] = ()
    message: str = ""
    backup: Path | None = None
    size: tuple[int, int] | None = None
    new_bytes: int = 0


def repair_in_place(path: Path, limits: ImageLimits | None = None) -> Repair:
    """Resize, strip metadata and re-encode ``path`` when it breaks a rule; keep the original first."""
    from mzpress.editing.in_place import rewrite  # git is only needed when something is repaired

    limits = limits or ImageLimits()
    path = Path(path)
    try:
        data = path.read_bytes()
        info = inspect_bytes(data, "这个文件")
    except OSError as exc:
        return Repair(path, "failed", message=f"无法读取：{exc.strerror or exc}。")
    except ImageError as exc:
        return Repair(path, "failed", message=str(exc))
    before = problems(info, len(data), limits)
    if not before:
        return Repair(path, "fine")
    try:
        processed = normalize(data, "这个文件", limits, keep_format=True)
    except ImageError as exc:
        return Repair(path, "failed", tuple(before), message=str(exc))
    try:
        backup = rewrite(path, processed.data, git_is_backup=True)
    except OSError as exc:
        return Repair(path, "failed", tuple(before), message=f"无法写入：{exc.strerror or exc}。原文件没有改动。")
    after = problems(inspect_bytes(processed.data, path.name), len(processed.data), limits)
    return Repair(path, "fixed", tuple(before), tuple(after), backup=backup,
                  size=(processed.width, processed.height), new_bytes=len(processed.data))
