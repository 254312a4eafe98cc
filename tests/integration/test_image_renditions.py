"""Photos in a built site: sizes, smaller renditions (cached across builds), lazy loading, the publish gate."""

from __future__ import annotations

import io
import json
import os
import re
import subprocess
import sys
from pathlib import Path

from PIL import Image

from mzpress.publishing.manifest import MANIFEST_NAME
from tests.support.project import BUILD_DATE, add_story, new_project


def _photo(path: Path, size: tuple[int, int], colour: tuple[int, int, int]) -> None:
    image = Image.new("RGB", size, colour)
    for x in range(0, size[0], 40):  # some detail, so the encoder has work to do
        image.paste((255 - colour[0], colour[1], colour[2]), (x, 0, x + 10, size[1]))
    exif = image.getexif()
    exif[0x010F] = "PhoneMaker"  # camera make: must not reach the renditions
    path.parent.mkdir(parents=True, exist_ok=True)
    image.save(path, "JPEG", quality=90, exif=exif)


def _build(project: Path, out: Path) -> subprocess.CompletedProcess:
    env = dict(os.environ, MZPRESS_BUILD_DATE=BUILD_DATE, NO_MKDOCS_2_WARNING="1")
    cmd = [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(project / "mkdocs.yml"), "-d", str(out)]
    return subprocess.run(cmd, capture_output=True, text=True, env=env, cwd=project, timeout=300)


def _img_tags(html: str) -> list[str]:
    return re.findall(r"<img\b[^>]*>", html)


def test_photos_get_sizes_renditions_and_lazy_loading(tmp_path):
    project = new_project(tmp_path / "p")
    images = project / "content" / "stories" / "2026" / "images"
    _photo(images / "first.jpg", (1200, 675), (200, 40, 40))
    _photo(images / "second.jpg", (1000, 750), (40, 120, 200))
    _photo(images / "small.jpg", (400, 300), (40, 160, 60))
    _photo(images / "secret.jpg", (1200, 800), (90, 90, 90))  # only a draft shows it
    body = ("第一段。\n\n![第一张照片](images/first.jpg)\n\n第二段。\n\n![第二张照片](images/second.jpg)\n\n"
            "![小图](images/small.jpg)\n")
    add_story(project, 2026, "photos", title="带照片的稿件", date="2026-11-20 09:00", body=body,
              extra="cover: images/first.jpg\ncover_alt: 封面照片\n")
    add_story(project, 2026, "draft", title="草稿", date="2026-11-21 09:00", body="![草稿照片](images/secret.jpg)\n",
              extra="draft: true\n")

    out = tmp_path / "site"
    first = _build(project, out)
    assert first.returncode == 0, first.stderr
    # JPEG 480/720/960 of first, 480/720 of second, and a WebP copy at each width of their srcsets (own width too)
    assert "图片缩略图：新生成12张，复用0张，其中2张照片另有更小的WebP版本。" in first.stderr

    html = (out / "stories/2026/photos/index.html").read_text(encoding="utf-8")
    tags = {re.search(r'alt="([^"]*)"', tag).group(1): tag for tag in _img_tags(html)}
    one, two, small = tags["第一张照片"], tags["第二张照片"], tags["小图"]
    assert 'width="1200" height="675"' in one and 'loading="eager"' in one and 'decoding="async"' in one
    assert ('srcset="../images/first.480w.jpg 480w, ../images/first.720w.jpg 720w, ../images/first.960w.jpg 960w, '
            '../images/first.jpg 1200w"') in one and 'sizes="' in one
    assert 'width="1000" height="750"' in two and 'loading="lazy"' in two
    assert 'srcset="../images/second.480w.jpg 480w, ../images/second.720w.jpg 720w, ../images/second.jpg 1000w"' in two
    assert 'width="400" height="300"' in small and 'loading="lazy"' in small and "srcset" not in small
    # The photos' WebP copies offered first, in a <picture> around the same <img> (alt, sizes, loading kept).
    pictures = re.findall(r"<picture\b[^>]*>(.*?)</picture>", html)
    assert len(pictures) == 2 and pictures[0].endswith(one) and pictures[1].endswith(two)
    assert pictures[0].startswith('<source type="image/webp" srcset="../images/first.480w.webp 480w, '
                                  '../images/first.720w.webp 720w, ../images/first.960w.webp 960w, '
                                  '../images/first.1200w.webp 1200w" sizes="')
    assert '<source type="image/webp" srcset="../images/second.480w.webp 480w, ../images/second.720w.webp 720w, ' \
           '../images/second.1000w.webp 1000w"' in pictures[1]
    assert small not in "".join(pictures)  # no renditions, no WebP

    home = (out / "index.html").read_text(encoding="utf-8")
    cover = next(tag for tag in _img_tags(home) if "mz-card-cover" in tag)
    assert 'width="1200" height="675"' in cover and 'loading="eager"' in cover
    assert 'srcset="stories/2026/images/first.480w.jpg 480w, ' in cover and 'sizes="' in cover
    assert re.search(r'<picture class="mz-picture"><source type="image/webp" srcset="stories/2026/images/first\.480w\.webp '
                     r'480w, [^"]*first\.1200w\.webp 1200w" sizes="[^"]+">' + re.escape(cover) + "</picture>", home)
    listing = (out / "stories/index.html").read_text(encoding="utf-8")  # a list entry's thumbnail
    thumb = next(tag for tag in _img_tags(listing) if "mz-item-thumb" in tag)
    assert 'alt=""' in thumb and 'loading="lazy"' in thumb and 'width="1200" height="675"' in thumb
    assert re.search(r'<picture class="mz-picture"><source type="image/webp" srcset="2026/images/first\.480w\.webp 480w, '
                     r'[^"]*" sizes="[^"]+">' + re.escape(thumb) + "</picture>", listing)

    published = sorted(p.name for p in (out / "stories/2026/images").iterdir())
    assert published == ["first.1200w.webp", "first.480w.jpg", "first.480w.webp", "first.720w.jpg", "first.720w.webp",
                         "first.960w.jpg", "first.960w.webp", "first.jpg", "second.1000w.webp", "second.480w.jpg",
                         "second.480w.webp", "second.720w.jpg", "second.720w.webp", "second.jpg",
                         "small.jpg"]  # nothing of secret.jpg
    folder = out / "stories/2026/images"
    for webp, jpeg, size in (("first.480w.webp", "first.480w.jpg", (480, 270)), ("first.960w.webp", "first.960w.jpg", (960, 540)),
                             ("first.1200w.webp", "first.jpg", (1200, 675)), ("second.720w.webp", "second.720w.jpg", (720, 540)),
                             ("second.1000w.webp", "second.jpg", (1000, 750))):
        assert (folder / webp).stat().st_size < (folder / jpeg).stat().st_size, webp  # offered because smaller
        with Image.open(folder / webp) as image:
            assert (image.format, image.size) == ("WEBP", size)
            assert len(image.getexif()) == 0 and "exif" not in image.info
    for name, size in (("first.480w.jpg", (480, 270)), ("first.960w.jpg", (960, 540)), ("second.720w.jpg", (720, 540))):
        with Image.open(out / "stories/2026/images" / name) as image:
            assert (image.format, image.size) == ("JPEG", size)
            assert len(image.getexif()) == 0 and "exif" not in image.info
    manifest = json.loads((out / MANIFEST_NAME).read_text(encoding="utf-8"))
    listed = set(manifest["files"])
    assert {"stories/2026/images/first.480w.jpg", "stories/2026/images/second.720w.jpg",
            "stories/2026/images/first.480w.webp", "stories/2026/images/second.1000w.webp"} <= listed
    assert not any("secret" in path for path in listed)

    before = {p.name: p.read_bytes() for p in (out / "stories/2026/images").glob("*w.*")}
    second = _build(project, tmp_path / "again")
    assert second.returncode == 0, second.stderr
    assert "图片缩略图：新生成0张，复用12张，其中2张照片另有更小的WebP版本。" in second.stderr  # from the cache
    assert {p.name: p.read_bytes() for p in (tmp_path / "again/stories/2026/images").glob("*w.*")} == before

    _photo(images / "second.jpg", (1000, 750), (250, 200, 10))  # a changed photo is encoded again
    third = _build(project, tmp_path / "third")
    assert third.returncode == 0, third.stderr
    assert "图片缩略图：新生成5张，复用7张，其中2张照片另有更小的WebP版本。" in third.stderr  # second's 2 JPEG, 3 WebP
    with Image.open(io.BytesIO((tmp_path / "third/stories/2026/images/second.480w.jpg").read_bytes())) as image:
        assert image.getpixel((20, 20))[2] < 100  # the new yellow photo, not the old blue one
