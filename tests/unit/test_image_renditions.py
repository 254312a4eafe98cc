"""Which renditions a photo gets, the srcset/sizes it is offered with, and which images load lazily."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from mzpress.publishing.image_renditions import (
    BODY_SIZES,
    RENDITION_WIDTHS,
    PublishedImage,
    image_attributes,
    plan_image,
    rendition_src,
    resolve_url,
    srcset,
    webp_is_smaller,
    webp_srcset,
)
from mzpress.text.images import ImageError, resized, upright_size


def test_a_1200_px_photo_gets_every_smaller_width_next_to_it():
    image = plan_image("stories/2026/images/a.jpg", "JPEG", 1200, 675)
    assert [(r.src, r.width, r.height) for r in image.renditions] == [
        ("stories/2026/images/a.480w.jpg", 480, 270),
        ("stories/2026/images/a.720w.jpg", 720, 405),
        ("stories/2026/images/a.960w.jpg", 960, 540),
    ]
    assert RENDITION_WIDTHS == (480, 720, 960)


@pytest.mark.parametrize(("width", "expected"), [(400, []), (533, []), (534, [480]), (1000, [480, 720]),
                                                 (1066, [480, 720]), (1067, [480, 720, 960])])
def test_only_widths_clearly_below_the_original(width, expected):
    assert [r.width for r in plan_image("a.png", "PNG", width, 300).renditions] == expected


def test_other_formats_and_existing_names_get_none():
    assert plan_image("a.gif", "GIF", 2000, 1000).renditions == ()
    assert plan_image("a.webp", "WEBP", 2000, 1000).renditions == ()
    assert plan_image("a.jpg", "JPEG", 0, 0).renditions == ()
    taken = {"img/a.720w.jpg"}  # a writer's own file of that name is never overwritten
    assert [r.width for r in plan_image("img/a.jpg", "JPEG", 1200, 800, taken).renditions] == [480, 960]


def test_srcset_keeps_the_reference_relative_and_ends_with_the_original():
    image = plan_image("stories/2026/images/a.jpg", "JPEG", 1200, 675)
    assert srcset("../images/a.jpg", image) == (
        "../images/a.480w.jpg 480w, ../images/a.720w.jpg 720w, ../images/a.960w.jpg 960w, ../images/a.jpg 1200w")
    assert srcset("a.jpg", image).startswith("a.480w.jpg 480w, ")
    assert srcset("a.jpg", PublishedImage("a.jpg", 400, 250)) == ""
    assert rendition_src("x/y.z/p.PNG", 480) == "x/y.z/p.480w.PNG"
    named = plan_image("images/敬老 活动.jpg", "JPEG", 600, 400)  # as MkDocs writes it: percent-encoded
    assert srcset("images/%E6%95%AC%E8%80%81%20%E6%B4%BB%E5%8A%A8.jpg", named) == (
        "images/%E6%95%AC%E8%80%81%20%E6%B4%BB%E5%8A%A8.480w.jpg 480w, "
        "images/%E6%95%AC%E8%80%81%20%E6%B4%BB%E5%8A%A8.jpg 600w")


def test_the_first_image_is_eager_the_rest_lazy_all_sized():
    image = plan_image("a.jpg", "JPEG", 1200, 675)
    first = image_attributes("a.jpg", image, 0)
    assert first["loading"] == "eager" and first["decoding"] == "async"
    assert (first["width"], first["height"], first["sizes"]) == ("1200", "675", BODY_SIZES)
    assert image_attributes("a.jpg", image, 1)["loading"] == "lazy"
    assert image_attributes("a.jpg", image, 1, eager=2)["loading"] == "eager"
    small = image_attributes("b.jpg", PublishedImage("b.jpg", 300, 200), 3)
    assert "srcset" not in small and "sizes" not in small and small["loading"] == "lazy"


def test_resolving_an_img_src_against_the_page_address():
    assert resolve_url("stories/2026/x/", "../images/a.jpg") == "stories/2026/images/a.jpg"
    assert resolve_url("", "stories/2025/images/b.jpg") == "stories/2025/images/b.jpg"
    assert resolve_url("about/", "/assets/logo.png?v=1#x") == "assets/logo.png"
    assert resolve_url("stories/", "../../a.jpg") is None
    assert resolve_url("stories/x/", "../i/%E6%95%AC%20a.jpg") == "stories/i/敬 a.jpg"
    for external in ("https://example.com/a.jpg", "//cdn/a.jpg", "data:image/png;base64,AA", ""):
        assert resolve_url("stories/", external) is None


def _photo(size=(1200, 800), orientation=None, fmt="JPEG", mode="RGB") -> bytes:
    image = Image.new(mode, size, (200, 30, 30) if mode == "RGB" else (200, 30, 30, 128))
    exif = image.getexif()
    exif[0x010F] = "Camera"
    if orientation:
        exif[0x0112] = orientation
    out = io.BytesIO()
    image.save(out, fmt, exif=exif)
    return out.getvalue()


def test_renditions_are_upright_without_metadata_in_their_own_format():
    turned = _photo(orientation=6)
    assert upright_size(turned, "a.jpg") == ("JPEG", 800, 1200)
    copy = resized(turned, "a.jpg", 480)
    with Image.open(io.BytesIO(copy.data)) as image:
        assert (image.format, image.size) == ("JPEG", (480, 720))
        assert len(image.getexif()) == 0 and "exif" not in image.info
    png = resized(_photo(fmt="PNG", mode="RGBA"), "a.png", 720)
    with Image.open(io.BytesIO(png.data)) as image:
        assert (image.format, image.size, image.mode) == ("PNG", (720, 480), "RGBA")
    with pytest.raises(ImageError):
        resized(_photo(fmt="GIF", mode="RGB"), "a.gif", 480)


def test_a_jpeg_photo_with_renditions_gets_webp_copies_at_every_width_of_its_srcset():
    image = plan_image("stories/2026/images/a.jpg", "JPEG", 1200, 675)
    assert [(r.src, r.width, r.height) for r in image.webp] == [
        ("stories/2026/images/a.480w.webp", 480, 270), ("stories/2026/images/a.720w.webp", 720, 405),
        ("stories/2026/images/a.960w.webp", 960, 540), ("stories/2026/images/a.1200w.webp", 1200, 675)]
    assert webp_srcset("../images/a.jpg", image) == (
        "../images/a.480w.webp 480w, ../images/a.720w.webp 720w, ../images/a.960w.webp 960w, ../images/a.1200w.webp 1200w")
    assert plan_image("a.png", "PNG", 1200, 800).webp == ()  # screenshots keep PNG
    assert plan_image("a.jpg", "JPEG", 400, 300).webp == ()  # no renditions, no WebP
    assert plan_image("img/a.jpg", "JPEG", 1200, 800, {"img/a.720w.webp"}).webp == ()  # a writer's file: none at all
    # offered only when the adapter says so (each copy smaller), as a srcset for a <source> with the same sizes
    assert "webp_srcset" not in image_attributes("a.jpg", image, 0)
    assert image_attributes("a.jpg", image, 0, webp=True)["webp_srcset"].startswith("a.480w.webp 480w, ")


@pytest.mark.parametrize(("jpeg", "webp", "offered"), [
    ([100, 200, 300], [60, 150, 299], True), ([100, 200, 300], [60, 200, 250], False),
    ([100, 200], [60, None], False), ([100, None], [60, 50], False), ([], [], False), ([100, 200], [50], False)])
def test_webp_is_offered_only_when_every_copy_is_smaller(jpeg, webp, offered):
    assert webp_is_smaller(jpeg, webp) is offered


def test_webp_copies_are_upright_without_metadata():
    turned = _photo(orientation=6)
    copy = resized(turned, "a.jpg", 480, webp=True)
    assert copy.suffix == ".webp"
    with Image.open(io.BytesIO(copy.data)) as image:
        assert (image.format, image.size) == ("WEBP", (480, 720))
        assert len(image.getexif()) == 0 and "exif" not in image.info
    whole = resized(turned, "a.jpg", 800, webp=True)  # its own width: only re-encoded
    with Image.open(io.BytesIO(whole.data)) as image:
        assert image.size == (800, 1200)
