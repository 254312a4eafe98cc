"""Smaller copies of the site's photos (renditions) and the ``<img>`` attributes that offer them.

Pure: which renditions an image of W×H gets, where they are published, the ``srcset``/``sizes``
strings and which images load lazily. The pixels are made by :func:`mzpress.text.images.resized`;
the MkDocs adapter writes the files and rewrites the pages' ``<img>`` tags.

* An image gets one rendition per width of :data:`RENDITION_WIDTHS` that is clearly smaller than
  its own (below :data:`_MIN_SHRINK` of it): a 1200 px photo gets 480, 720 and 960 px copies, a
  400 px one none. Only JPEG and PNG get renditions, in their own format, without metadata.
* A rendition of ``stories/2026/images/photo.jpg`` at 480 px is ``stories/2026/images/photo.480w.jpg``,
  next to it; a width whose name is already a file under ``content/`` is skipped (never overwritten).
* A JPEG photo with renditions also gets a WebP copy at each width of its ``srcset`` (the renditions' and its
  own), ``photo.480w.webp`` … ``photo.1200w.webp``; the pages offer them in a ``<picture>`` (``<source
  type="image/webp">`` before the ``<img>``) only when every WebP copy is smaller than the JPEG of its width
  (:func:`webp_is_smaller`: the adapter encodes them first). A browser without WebP loads the JPEG.
* Renditions are published exactly for the published images (``published_files``): an image that
  only unpublished pages use has none on the site.
* Loading: the first image of a page and the first :data:`HOME_EAGER_COVERS` cover cards of the home
  page load at once (they are on the first screen); every other image is ``loading="lazy"``. All
  images decode asynchronously and carry ``width``/``height`` so the text does not jump.
"""

from __future__ import annotations

import posixpath
from collections.abc import Container
from dataclasses import dataclass
from urllib.parse import quote, unquote

RENDITION_WIDTHS = (480, 720, 960)
RENDITION_FORMATS = frozenset({"JPEG", "PNG"})
WEBP_FORMATS = frozenset({"JPEG"})  # photos; screenshots (PNG) keep their renditions only
RENDITION_SPEC = "rendition-1"  # bump when the encoding of renditions changes (the cache keys on it)
_MIN_SHRINK = 0.9  # a rendition must be narrower than this share of the original to be worth a file

# The width an image takes on screen (CSS pixels), for the browser to pick a rendition:
# story text is the full width on a phone and at most about 720 px on a computer
# (Material's content column); home cover cards are a grid of columns at least 12rem wide.
BODY_SIZES = "(max-width: 76.25em) calc(100vw - 2.4rem), 720px"
CARD_SIZES = "(max-width: 30em) calc(100vw - 2.4rem), (max-width: 60em) 45vw, 300px"
HOME_EAGER_COVERS = 2


@dataclass(frozen=True)
class Rendition:
    src: str  # published path relative to the site root (and to content/)
    width: int
    height: int


@dataclass(frozen=True)
class PublishedImage:
    """A published image: its upright size and the renditions made of it (narrowest first)."""

    src: str
    width: int
    height: int
    renditions: tuple[Rendition, ...] = ()
    webp: tuple[Rendition, ...] = ()  # WebP copies at each width of the srcset, narrowest first (offered if smaller)


def rendition_src(src: str, width: int) -> str:
    """``a/b/photo.jpg`` at 480 px -> ``a/b/photo.480w.jpg``."""
    stem, suffix = posixpath.splitext(src)
    return f"{stem}.{width}w{suffix}"


def webp_src(src: str, width: int) -> str:
    """``a/b/photo.jpg`` at 480 px -> ``a/b/photo.480w.webp`` (its own width too: ``photo.1200w.webp``)."""
    stem, _suffix = posixpath.splitext(src)
    return f"{stem}.{width}w.webp"


def rendition_height(width: int, height: int, target: int) -> int:
    """The height of a ``target``-wide copy of a ``width``×``height`` image (Pillow's rounding)."""
    return max(1, round(height * target / width))


def plan_image(src: str, image_format: str, width: int, height: int,
               existing: Container[str] = ()) -> PublishedImage:
    """The renditions ``src`` (``width``×``height`` upright, ``image_format`` as Pillow names it) gets."""
    if image_format not in RENDITION_FORMATS or width <= 0 or height <= 0:
        return PublishedImage(src, width, height)
    renditions = tuple(
        Rendition(rendition_src(src, target), target, rendition_height(width, height, target))
        for target in RENDITION_WIDTHS
        if target < width * _MIN_SHRINK and rendition_src(src, target) not in existing)
    webp: tuple[Rendition, ...] = ()
    if image_format in WEBP_FORMATS and renditions:
        widths = [(r.width, r.height) for r in renditions] + [(width, height)]
        webp = tuple(Rendition(webp_src(src, w), w, h) for w, h in widths)
        if any(r.src in existing for r in webp):  # never overwrite a file of content/: no WebP for this photo
            webp = ()
    return PublishedImage(src, width, height, renditions, webp)


def webp_is_smaller(jpeg_sizes: list[int | None], webp_sizes: list[int | None]) -> bool:
    """Whether a photo's WebP copies are worth offering: each one (bytes) smaller than the JPEG of its width,
    in the same order; a copy that could not be made (None) offers none."""
    return (bool(webp_sizes) and len(jpeg_sizes) == len(webp_sizes)
            and all(j is not None and w is not None and w < j for j, w in zip(jpeg_sizes, webp_sizes, strict=True)))


def _candidates(url: str, renditions: tuple[Rendition, ...]) -> list[str]:
    folder = posixpath.dirname(url)
    names = [quote(posixpath.basename(r.src)) for r in renditions]  # a space would split the list
    return [f"{posixpath.join(folder, name) if folder else name} {r.width}w"
            for name, r in zip(names, renditions, strict=True)]


def srcset(url: str, image: PublishedImage) -> str:
    """The ``srcset`` for ``image`` referenced as ``url`` (relative or absolute); '' without renditions."""
    if not image.renditions:
        return ""
    parts = _candidates(url, image.renditions)
    parts.append(f"{url.replace(' ', '%20')} {image.width}w")
    return ", ".join(parts)


def webp_srcset(url: str, image: PublishedImage) -> str:
    """The ``srcset`` of the ``<source type="image/webp">`` for ``image`` referenced as ``url``; '' without WebP."""
    return ", ".join(_candidates(url, image.webp)) if image.webp else ""


def is_lazy(index: int, eager: int = 1) -> bool:
    """Whether the ``index``-th image (0-based) of a page loads lazily; the first ``eager`` do not."""
    return index >= eager


def image_attributes(url: str, image: PublishedImage, index: int, eager: int = 1,
                     sizes: str = BODY_SIZES, webp: bool = False) -> dict[str, str]:
    """The attributes an ``<img>`` showing ``image`` (the ``index``-th of its page) gets, besides src/alt; with
    ``webp`` (its WebP copies are published) also ``webp_srcset``, for a ``<source>`` before it (same ``sizes``)."""
    attributes = {"width": str(image.width), "height": str(image.height)}
    candidates = srcset(url, image)
    if candidates:
        attributes["srcset"] = candidates
        attributes["sizes"] = sizes
        if webp and image.webp:
            attributes["webp_srcset"] = webp_srcset(url, image)
    attributes["loading"] = "lazy" if is_lazy(index, eager) else "eager"
    attributes["decoding"] = "async"
    return attributes


def resolve_url(page_url: str, src: str) -> str | None:
    """The site path an ``<img src>`` of the page at ``page_url`` (directory URL) points to; None when external."""
    if not src or "://" in src or src.startswith(("//", "data:", "#", "?")):
        return None
    path = unquote(src.split("#", 1)[0].split("?", 1)[0])
    if path.startswith("/"):
        joined = path.lstrip("/")
    else:
        base = page_url if page_url.endswith("/") or not page_url else posixpath.dirname(page_url) + "/"
        joined = posixpath.normpath(posixpath.join(base, path))
    if joined.startswith("../") or joined in ("..", "."):
        return None
    return joined
