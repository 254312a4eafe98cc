"""The site's photos in the built pages: sizes, smaller renditions (cached) and lazy loading.

:class:`SiteImages` is made in ``on_files`` from the published images (the publish gate), so the
renditions published are exactly those of published JPEG/PNG images
(:mod:`mzpress.publishing.image_renditions` decides which). It

* rewrites the ``<img>`` tags of a page's HTML (``on_page_content``): ``width``/``height``,
  ``srcset``/``sizes``, ``loading="lazy"`` after the first image, ``decoding="async"``;
* gives the home page's cover cards the same attributes (plain data for ``home.html``);
* encodes the renditions before any page is rendered (:meth:`SiteImages.prepare`, ``on_files``): a JPEG
  photo's WebP copies are offered (``<picture>``) only when each is smaller than the JPEG of its width, which
  is known only once both are encoded;
* writes the renditions into the site (``on_post_build``, before the manifest lists the files): the JPEG/PNG
  renditions, and the WebP copies of the photos that offer them;
  the writer's preview (``mkdocs serve``, ``mzpress preview``) makes none and offers none.
  The encoded bytes are kept in the build cache (namespace ``image-rendition``), keyed by the
  source image's SHA-256, the rendition's width and format, :data:`RENDITION_SPEC` and Pillow's
  version, so an unchanged photo is never encoded twice; new ones are encoded in threads
  (Pillow releases the GIL while it resizes and encodes).
"""

from __future__ import annotations

import hashlib
import html as html_lib
import logging
import os
import posixpath
import re
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from mzpress.model.build_cache import BuildCache, package_versions
from mzpress.model.content_files import Kind, kind_of
from mzpress.model.fingerprints import fingerprint
from mzpress.publishing.image_renditions import (
    BODY_SIZES,
    CARD_SIZES,
    HOME_EAGER_COVERS,
    RENDITION_SPEC,
    PublishedImage,
    image_attributes,
    plan_image,
    resolve_url,
    webp_is_smaller,
)
from mzpress.text.images import JPEG_QUALITY, WEBP_QUALITY, ImageError, resized, upright_size

log = logging.getLogger("mkdocs.plugins.mzpress")

CACHE_NAMESPACE = "image-rendition"
_IMG = re.compile(r"<img\b[^>]*>", re.IGNORECASE)
THUMBNAIL_SIZES = "(min-width: 60em) 180px, 160px"  # .mz-item-thumb: 6rem wide, 9rem in 适老化模式
# A paragraph that holds one photo and nothing else (Markdown's ``![说明](images/x.jpg "图为…")``).
_PHOTO_PARAGRAPH = re.compile(r"<p>\s*(<img\b[^>]*>)\s*</p>", re.IGNORECASE)
_ATTRIBUTE = re.compile(r'\s([a-zA-Z][\w:-]*)(?:="([^"]*)")?')
_ADDED = ("width", "height", "srcset", "sizes", "loading", "decoding")


def picture(img: str, webp_srcset: str, sizes: str) -> str:
    """``img`` (a finished ``<img>`` tag) in a ``<picture>`` that offers the WebP copies first; the ``<img>`` keeps
    its alt text, sizes, JPEG ``srcset`` and loading, for browsers without WebP and for the layout."""
    source = (f'<source type="image/webp" srcset="{html_lib.escape(webp_srcset, quote=True)}" '
              f'sizes="{html_lib.escape(sizes, quote=True)}">')
    return f'<picture class="mz-picture">{source}{img}</picture>'


class SiteImages:
    """The published images of one build (see the module docstring)."""

    def __init__(self, docs_dir: Path, published_assets: Iterable[str], content_files: Iterable[str],
                 extra_files=(), renditions: bool = True):
        self.docs_dir = Path(docs_dir)
        existing = set(content_files)
        self.images: dict[str, PublishedImage] = {}
        self._formats: dict[str, str] = {}
        for src in sorted(published_assets):
            if kind_of(src, extra_files) != Kind.IMAGE:
                continue
            try:
                fmt, width, height = upright_size(self.docs_dir / src, src)
            except (OSError, ImageError):
                continue  # the check reports unreadable images; such a page simply shows it as written
            # The writer's preview serves only MkDocs' files: sizes and lazy loading, no renditions.
            self.images[src] = plan_image(src, fmt if renditions else "", width, height, existing)
            self._formats[src] = fmt
        self.written = 0
        self.reused = 0
        self.offered: set[str] = set()  # the photos whose WebP copies are published and offered (prepare)
        self._prepared = False
        self._keys: dict[str, str] = {}  # rendition path -> its cache key
        self._fresh: dict[str, bytes] = {}  # rendition path -> bytes encoded in this build

    # -- the pages ------------------------------------------------------------------------------

    def rewrite(self, html: str, page_url: str) -> str:
        """The page's HTML with every published image given its size, renditions and loading."""
        if "<img" not in html:
            return html
        index = 0

        def replace(match: re.Match) -> str:
            nonlocal index
            tag = match.group(0)
            attributes = dict(_ATTRIBUTE.findall(tag))
            src = html_lib.unescape(attributes.get("src", ""))
            image = self.images.get(resolve_url(page_url, src) or "")
            if image is None:
                return tag
            added = image_attributes(src, image, index, sizes=BODY_SIZES, webp=image.src in self.offered)
            index += 1
            closing = "/>" if tag.endswith("/>") else ">"
            body = tag[:-len(closing)].rstrip()
            for name in _ADDED:  # a writer's own attribute stays as written
                if name in added and name not in attributes:
                    body += f' {name}="{html_lib.escape(added[name], quote=True)}"'
            tag = f"{body} {closing}" if closing == "/>" else body + closing
            if "webp_srcset" not in added or "srcset" in attributes:  # a writer's own srcset: as written
                return tag
            return picture(tag, added["webp_srcset"], added["sizes"])

        return _IMG.sub(replace, html)

    def with_cover(self, html: str, cover: dict | None, page_url: str) -> str:
        """A story's cover photo (``cover``: src relative to content/, alt) at the top of its text, unless the text
        shows it already; only a published image (the publish gate) is shown. Call before :meth:`rewrite`."""
        src = (cover or {}).get("src")
        if not src or src not in self.images:
            return html
        if any(resolve_url(page_url, html_lib.unescape(dict(_ATTRIBUTE.findall(tag)).get("src", ""))) == src
               for tag in _IMG.findall(html)):
            return html
        relative = posixpath.relpath(src, posixpath.dirname(page_url.rstrip("/") + "/x") or ".")
        alt = html_lib.escape(cover.get("alt") or "", quote=True)
        return (f'<figure class="mz-cover"><img src="{html_lib.escape(relative, quote=True)}" alt="{alt}"></figure>\n'
                + html)

    @staticmethod
    def captioned(html: str) -> str:
        """Each photo standing in a paragraph of its own as a figure with its caption shown under it: the image's title
        (``![…](x.jpg "图为…")``) or else its alt text, written as the house style does (“图为……”)."""
        def figure(match: re.Match) -> str:
            tag = match.group(1)
            attributes = dict(_ATTRIBUTE.findall(tag))
            text = (attributes.get("title") or attributes.get("alt") or "").strip()  # still escaped as in the attribute
            if not text:
                return match.group(0)
            if not text.startswith("图"):
                text = "图为" + text
            return f'<figure class="mz-figure">{tag}<figcaption>{text}</figcaption></figure>'

        return _PHOTO_PARAGRAPH.sub(figure, html) if "<img" in html else html

    def add_to_thumbnails(self, items: list[dict], page_url: str) -> None:
        """Give the list entries' thumbnails (``item.thumbnail``: src relative to the page) their size, renditions
        and lazy loading; an entry whose photo is not published keeps a bare thumbnail, which the template omits."""
        for item in items:
            thumbnail = item.get("thumbnail")
            image = self.images.get(resolve_url(page_url, thumbnail["src"]) or "") if thumbnail else None
            if image is not None:
                thumbnail.update(image_attributes(thumbnail["src"], image, 1, eager=0, sizes=THUMBNAIL_SIZES,
                                                  webp=image.src in self.offered))

    def add_to_cards(self, cards: list[dict], page_url: str) -> None:
        """Give the home page's cover cards (``card.cover``: src relative to the page) their attributes."""
        index = 0
        for card in cards:
            cover = card.get("cover")
            if not cover:
                continue
            image = self.images.get(resolve_url(page_url, cover["src"]) or "")
            if image is None:
                continue
            cover.update(image_attributes(cover["src"], image, index, eager=HOME_EAGER_COVERS, sizes=CARD_SIZES,
                                          webp=image.src in self.offered))
            index += 1

    # -- the files ------------------------------------------------------------------------------

    def renditions(self) -> dict[str, str]:
        """Every rendition this build publishes: its path -> the source image's path (the WebP copies of the
        photos that offer them once :meth:`prepare` has decided)."""
        found = {r.src: src for src, image in self.images.items() for r in image.renditions}
        found.update({r.src: src for src in sorted(self.offered) for r in self.images[src].webp})
        return found

    def prepare(self, cache: BuildCache, offer_webp: bool = True) -> None:
        """Find every rendition in the cache or encode it (in threads), before the pages are rendered; then offer
        the WebP copies of each photo whose every copy is smaller than the JPEG of its width (``offer_webp``:
        called too late for the pages to offer them, none is made)."""
        if self._prepared:
            return
        self._prepared = True
        salt = fingerprint(RENDITION_SPEC, JPEG_QUALITY, package_versions("pillow"))
        sizes: dict[str, int] = {}
        missing = []
        for src, image in self.images.items():
            if not image.renditions:
                continue
            data = (self.docs_dir / src).read_bytes()
            digest = hashlib.sha256(data).hexdigest()
            sizes[src] = len(data)
            wanted = [(r, False) for r in image.renditions] + [(r, True) for r in image.webp if offer_webp]
            for rendition, webp in wanted:
                key = fingerprint(salt, digest, self._formats[src], rendition.width,
                                  *(("WEBP", WEBP_QUALITY) if webp else ()))
                self._keys[rendition.src] = key
                stored = cache.get(CACHE_NAMESPACE, key)
                if stored is not None:
                    sizes[rendition.src] = len(stored)
                    self.reused += 1
                else:
                    missing.append((src, data, rendition, webp, key))
        if missing:
            def encode(job):
                src, data, rendition, webp, key = job
                try:
                    return job, resized(data, src, rendition.width, webp=webp).data
                except ImageError:
                    return job, None

            with ThreadPoolExecutor(max(1, min(4, os.cpu_count() or 1))) as pool:
                for (src, _data, rendition, _webp, key), encoded in pool.map(encode, missing):
                    if encoded is None:  # read and checked a moment ago: only a file changed meanwhile
                        log.warning(f"content/{src}：无法生成 {rendition.width} 像素宽的缩略图，页面仍可显示原图。")
                        continue
                    cache.put(CACHE_NAMESPACE, key, encoded)
                    self._fresh[rendition.src] = encoded
                    sizes[rendition.src] = len(encoded)
                    self.written += 1
        for src, image in self.images.items():
            if offer_webp and image.webp and webp_is_smaller([sizes.get(r.src) for r in image.renditions] + [sizes.get(src)],
                                              [sizes.get(r.src) for r in image.webp]):
                self.offered.add(src)

    def write(self, site_dir: Path, cache: BuildCache) -> None:
        """Write every rendition this build publishes into ``site_dir``, as :meth:`prepare` found or encoded it."""
        self.prepare(cache, offer_webp=False)  # done in on_files, for the pages to offer WebP; here if it was not
        published = self.renditions()
        if not published:
            return
        for path in published:
            data = self._fresh.get(path)
            if data is None and path in self._keys:
                data = cache.get(CACHE_NAMESPACE, self._keys[path])
            if data is not None:  # None: could not be encoded (warned), or the cache lost it (never in one build)
                self._save(site_dir, path, data)
        self._fresh.clear()
        webp = f"，其中{len(self.offered)}张照片另有更小的WebP版本" if self.offered else ""
        log.info(f"图片缩略图：新生成{self.written}张，复用{self.reused}张{webp}。")

    @staticmethod
    def _save(site_dir: Path, relpath: str, data: bytes) -> None:
        target = site_dir / relpath
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)

