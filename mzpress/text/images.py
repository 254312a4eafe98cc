"""Images on the site: size limits, GPS privacy, alt text, and the re-encoding that fixes them.

Rules (all errors in ``mzpress check``):

* ``images.too-large-file``: more bytes than ``images.max_bytes`` (default 2 MB);
* ``images.too-large-pixels``: long edge above ``images.max_edge`` (default 1600 px);
* ``images.gps``: the photo carries GPS coordinates in its EXIF/XMP data;
* ``images.not-image``: a file named like an image that no image library can read;
* ``images.backup-file``: a ``.bak`` copy of an image (the unrepaired original) under ``content/``,
  left by earlier versions of ``mzpress fix-images`` (backups now go to ``.mzpress-backup/``);
* ``images.missing-alt``: a Markdown image without a description, or with :data:`MISSING_ALT`.

Thresholds come from ``site_config/site.yml`` (``images: {max_bytes, max_edge}``).
:func:`normalize` is the one place that resizes, strips metadata and re-encodes;
``mzpress import-docx`` and ``mzpress fix-images`` both use it. :func:`resized` makes the site's
smaller renditions of a photo with the same opening and encoding.
"""

from __future__ import annotations

import io
import re
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PIL import Image, ImageOps, UnidentifiedImageError

from mzpress.model.site_settings import ImageSettings

MISSING_ALT = "待补充图片说明"
"""Alt text written for an image that has none; ``mzpress check`` reports it until replaced."""

IMAGE_SUFFIXES = frozenset({".jpg", ".jpeg", ".png", ".gif", ".webp", ".bmp", ".tif", ".tiff"})
JPEG_QUALITY = 85
WEBP_QUALITY = 80  # a WebP copy of a photo next to its JPEG renditions: about as sharp as JPEG at 85
_FALLBACK_QUALITIES = (80, 75, 70, 65, 60)
_GPS_IFD = 0x8825
_GPS_VERSION_ID = 0
_XMP_GPS = re.compile(rb"GPS(?:Latitude|Longitude)")
_INFO_XMP_KEYS = ("xmp", "XML:com.adobe.xmp")
# Formats fix-images can rewrite in place (same format, same file name).
_REWRITABLE = {"JPEG": ".jpg", "PNG": ".png", "WEBP": ".webp"}


class ImageError(ValueError):
    """An image that cannot be read or repaired; the message is for the writer."""


ImageLimits = ImageSettings
"""The limits images are held to: ``images: {max_bytes, max_edge}`` of site.yml as ``load_config`` read
and checked it (``config.site.images``); ``ImageLimits()`` is the defaults, outside a project."""


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
        return f"{name}是空文件（0字节），不是图片。"
    return f"{name}不是能识别的图片（文件可能已损坏，或只是改了扩展名）。"


def _open(data: bytes | Path, name: str) -> Image.Image:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            image = Image.open(data if isinstance(data, Path) else io.BytesIO(data))
            image.size  # noqa: B018 - force the header to be parsed
        return image
    except Image.DecompressionBombError:
        raise ImageError(f"{name}的像素数量大得异常，可能是损坏或恶意构造的文件，无法处理。") from None
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError):
        head = data if isinstance(data, bytes) else _head(data)
        raise ImageError(_not_an_image_message(head, name)) from None


def _head(path: Path) -> bytes:
    try:
        with path.open("rb") as file:
            return file.read(16)
    except OSError:
        return b""


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


def _upright(data: bytes, name: str, still: bool = False) -> tuple[Image.Image, str, bytes | None]:
    """The decoded pixels turned upright (EXIF orientation applied), the format and the ICC profile."""
    source = _open(data, name)
    with source:
        if still and getattr(source, "n_frames", 1) > 1:
            raise ImageError(f"{name}是动图，无法自动修复。请换成静态的 JPG 照片。")
        original_format = source.format or ""
        try:
            icc = source.info.get("icc_profile")
            image = ImageOps.exif_transpose(source)  # turn the pixels, then drop the tag
            image.load()
        except Exception:
            raise ImageError(f"{name}已损坏，无法读取。请用原始照片重新保存一份 JPG。") from None
    return image, original_format, icc


_ORIENTATION = 0x0112
_TURNED = frozenset({5, 6, 7, 8})  # EXIF orientations that swap width and height


def upright_size(data: bytes | Path, name: str) -> tuple[str, int, int]:
    """Format, width and height as the image shows (EXIF orientation applied), from its header only
    (given a path, only the header is read from the file)."""
    image = _open(data, name)
    with image:
        width, height = image.size
        try:
            orientation = image.getexif().get(_ORIENTATION)
        except Exception:  # malformed EXIF: shown as stored
            orientation = None
        if orientation in _TURNED:
            width, height = height, width
        return image.format or "", width, height


def resized(data: bytes, name: str, width: int, webp: bool = False) -> ProcessedImage:
    """A ``width``-pixel-wide copy of a JPEG or PNG for the web, upright, without metadata: in its own format, or
    with ``webp`` as WebP (quality :data:`WEBP_QUALITY`; a copy as wide as the image is only re-encoded).

    The site's smaller renditions of a photo (:mod:`mzpress.publishing.image_renditions`); the
    encoding is :func:`normalize`'s (JPEG quality 85, progressive; optimised PNG).
    """
    image, fmt, icc = _upright(data, name, still=True)
    if fmt not in ("JPEG", "PNG"):
        raise ImageError(f"{name}是 {fmt or '未知'} 格式，不生成缩略图。")
    if fmt == "JPEG" and image.mode not in ("RGB", "L"):
        image = image.convert("RGB")
    elif fmt == "PNG" and image.mode not in ("RGB", "RGBA", "L", "LA", "P"):
        image = image.convert("RGBA" if image.has_transparency_data else "RGB")
    if image.width > width:
        height = max(1, round(image.height * width / image.width))
        if image.mode == "P":
            image = image.convert("RGBA" if image.has_transparency_data else "RGB")
        image = image.resize((width, height), Image.Resampling.LANCZOS, reducing_gap=3.0)
    if webp:
        if image.mode not in ("RGB", "RGBA"):
            image = image.convert("RGBA" if image.has_transparency_data else "RGB")
        return ProcessedImage(_encode(image, "WEBP", WEBP_QUALITY, icc), ".webp", image.width, image.height)
    return ProcessedImage(_encode(image, fmt, JPEG_QUALITY, icc), _REWRITABLE[fmt], image.width, image.height)


def normalize(data: bytes, name: str, limits: ImageLimits | None = None,
              keep_format: bool = False) -> ProcessedImage:
    """Re-encode an image for the web: upright, long edge within limits, no EXIF/XMP/GPS.

    Transparent images become PNG, everything else JPEG (quality 85, lowered step by step
    while the file is still above ``max_bytes``). With ``keep_format`` the original format
    is kept (JPEG, PNG or WebP) so the file name can stay the same.
    """
    limits = limits or ImageLimits()
    image, original_format, icc = _upright(data, name, still=keep_format)
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
