"""Image rules in mzpress check, the re-encoding that fixes them, and mzpress fix-images."""

from __future__ import annotations

import io
from pathlib import Path

import git
import pytest
from PIL import Image

from mzpress.checks.context import CheckContext
from mzpress.checks.images import check_image_file, check_missing_alt
from mzpress.checks.registry import attachment_checks, text_checks
from mzpress.cli import main
from mzpress.editing.image_repair import repair_in_place
from mzpress.model.config import SiteConfig, require_config
from mzpress.model.site_settings import SiteSettings
from mzpress.model.source_text import SourceFile
from mzpress.text.images import MISSING_ALT, ImageError, ImageLimits, inspect_bytes, normalize
from tests.support.docx_fixtures import gps_of, photo_bytes, png_bytes
from tests.support.project import new_project


def ctx(images: ImageLimits | None = None):
    """A check context whose site.yml sets ``images:`` (the defaults without ``images``)."""
    settings = SiteSettings(images=images or ImageLimits())
    return CheckContext(root=Path("."), config=SiteConfig(Path("."), settings))


def findings_for(path: Path, context=None):
    return list(check_image_file(path, f"content/{path.name}", context or ctx()))


def write(tmp_path, name, data):
    path = tmp_path / name
    path.write_bytes(data)
    return path


def test_checks_are_registered():
    assert check_image_file in attachment_checks()
    assert check_missing_alt in text_checks()


def test_good_image_is_quiet(tmp_path):
    path = write(tmp_path, "ok.jpg", photo_bytes((800, 600), gps=False))
    assert findings_for(path) == []
    assert findings_for(write(tmp_path, "logo.png", png_bytes(transparent=True))) == []


def test_gps_photo_is_an_error(tmp_path):
    path = write(tmp_path, "gps.jpg", photo_bytes((800, 600), gps=True))
    (finding,) = findings_for(path)
    assert finding.rule == "images.gps" and finding.severity.value == "error"
    assert "拍摄位置" in finding.message and "mzpress fix-images content/gps.jpg" in finding.suggestion


def test_empty_gps_block_is_not_location(tmp_path):
    image = Image.new("RGB", (50, 40))
    exif = image.getexif()
    exif[0x8825] = {0: b"\x02\x02\x00\x00"}  # GPSVersionID only: no coordinates
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", exif=exif)
    assert findings_for(write(tmp_path, "v.jpg", buffer.getvalue())) == []


def test_xmp_gps_is_found(tmp_path):
    image = Image.new("RGB", (50, 40))
    buffer = io.BytesIO()
    xmp = b'<x:xmpmeta><rdf:Description exif:GPSLatitude="28,41.2N" exif:GPSLongitude="115,53E"/></x:xmpmeta>'
    image.save(buffer, "JPEG", xmp=xmp)
    assert [f.rule for f in findings_for(write(tmp_path, "x.jpg", buffer.getvalue()))] == ["images.gps"]


def test_too_many_pixels_and_too_many_bytes(tmp_path):
    path = write(tmp_path, "big.jpg", photo_bytes((2000, 1000), gps=False))
    assert [f.rule for f in findings_for(path)] == ["images.too-large-pixels"]
    assert "2000×1000" in findings_for(path)[0].message
    # thresholds come from site.yml images: {max_bytes, max_edge} (malformed ones are load_config errors)
    strict = ctx(ImageLimits(max_bytes=1000, max_edge=2400))
    assert [f.rule for f in findings_for(path, strict)] == ["images.too-large-file"]
    assert [f.rule for f in findings_for(path, CheckContext(root=Path(".")))] == ["images.too-large-pixels"]


def test_file_that_is_not_an_image(tmp_path):
    (finding,) = findings_for(write(tmp_path, "fake.jpg", b"%PDF-1.4 not an image"))
    assert finding.rule == "images.not-image" and "不是能识别的图片" in finding.message
    (finding,) = findings_for(write(tmp_path, "iphone.jpg", b"\0\0\0\x18ftypheic" + b"\0" * 100))
    assert "HEIC" in finding.message
    (finding,) = findings_for(write(tmp_path, "empty.png", b""))
    assert "空文件" in finding.message
    good = png_bytes((40, 40))
    (finding,) = findings_for(write(tmp_path, "cut.png", good[:-30]))
    assert finding.rule == "images.not-image"


def test_non_images_are_ignored_and_backups_reported(tmp_path):
    assert findings_for(write(tmp_path, "list.xlsx", b"PK not checked here")) == []
    assert findings_for(write(tmp_path, "x.svg", b"<svg/>")) == []
    (finding,) = findings_for(write(tmp_path, "photo.jpg.bak", b"original"))
    assert finding.rule == "images.backup-file"
    (finding,) = findings_for(write(tmp_path, "photo.jpg.bak.2", b"original"))
    assert finding.rule == "images.backup-file"


def source(text, relpath="content/stories/2025/a.md"):
    return SourceFile(Path(relpath), relpath, text.encode("utf-8"), text)


def test_missing_alt_reports_line_and_column():
    text = (f"---\ntitle: t\ncover: images/a-1.jpg\ncover_alt: {MISSING_ALT}\n---\n\n"
            f"第一段。\n\n前面 ![{MISSING_ALT}](images/a-1.jpg) 后面\n\n![](images/a-2.jpg)\n\n"
            "![ ][ref]\n\n[ref]: images/a-3.jpg\n")
    found = [(f.rule, f.line, f.column) for f in check_missing_alt(source(text), ctx())]
    assert found == [("images.missing-alt", 4, 12), ("images.missing-alt", 9, 4),
                     ("images.missing-alt", 11, 1), ("images.missing-alt", 13, 1)]


def test_missing_alt_is_quiet_on_described_images_and_code():
    text = ("---\ntitle: t\ncover_alt: 志愿者为老人理发\n---\n\n![志愿者为老人理发](images/a-1.jpg)\n\n"
            "```\n![](images/example.jpg)\n```\n\n写法示例：`![](images/x.jpg)`\n\n[普通链接](https://www.gov.cn/)\n")
    assert list(check_missing_alt(source(text), ctx())) == []
    assert list(check_missing_alt(source("![](x.jpg)", "content/list.csv"), ctx())) == []
    # an empty cover_alt is reported once, by the schema check, not here
    assert list(check_missing_alt(source("---\ncover: images/a.jpg\ncover_alt:\n---\n"), ctx())) == []
    quoted = list(check_missing_alt(source(f'---\ncover_alt: "{MISSING_ALT}"\n---\n'), ctx()))
    assert [(f.line, f.column) for f in quoted] == [(2, 12)]


def test_normalize_strips_gps_resizes_and_turns_upright():
    photo = photo_bytes((3200, 1600), gps=True, orientation=6)  # camera held upright: rotate 90°
    assert gps_of(photo)
    result = normalize(photo, "p.jpg")
    assert result.suffix == ".jpg" and (result.width, result.height) == (800, 1600)
    info = inspect_bytes(result.data, "p.jpg")
    assert not info.has_gps and not info.has_metadata
    with Image.open(io.BytesIO(result.data)) as image:
        # the dark half was on the left; after turning it is at the top
        assert image.getpixel((400, 100))[0] < 60 and image.getpixel((400, 1500))[0] > 120


def test_normalize_keeps_transparency_as_png_and_flattens_opaque_png_to_jpeg():
    assert normalize(png_bytes(transparent=True), "logo.png").suffix == ".png"
    assert normalize(png_bytes(transparent=False), "shot.png").suffix == ".jpg"


def test_normalize_refuses_what_is_not_an_image():
    with pytest.raises(ImageError, match="不是能识别的图片"):
        normalize(b"GIF89a broken", "第1张图片")


def test_repair_in_place_outside_git_keeps_a_bak(tmp_path):
    original = photo_bytes((2400, 1800), gps=True)
    path = write(tmp_path, "photo.jpg", original)
    outcome = repair_in_place(path, ImageLimits())
    assert outcome.status == "fixed" and outcome.remaining == ()
    assert outcome.backup == tmp_path / "photo.jpg.bak" and outcome.backup.read_bytes() == original
    info = inspect_bytes(path.read_bytes(), "photo.jpg")
    assert (info.format, info.long_edge, info.has_gps) == ("JPEG", 1600, False)
    # a second run has nothing to do and touches nothing
    repaired = path.read_bytes()
    assert repair_in_place(path).status == "fine" and path.read_bytes() == repaired
    # a second repair of a fresh problem never replaces the first backup
    path.write_bytes(original)
    assert repair_in_place(path).backup == tmp_path / "photo.jpg.bak.2"
    assert (tmp_path / "photo.jpg.bak").read_bytes() == original


def test_repair_in_git_relies_on_git_for_committed_originals(tmp_path):
    repo = git.Repo.init(tmp_path)
    with repo.config_writer() as config:
        config.set_value("user", "name", "t")
        config.set_value("user", "email", "t@example.gov.cn")
    committed = write(tmp_path, "committed.jpg", photo_bytes((2000, 1500), gps=True))
    repo.index.add(["committed.jpg"])
    repo.index.commit("add photo")
    untracked = write(tmp_path, "new.jpg", photo_bytes((2000, 1500), gps=True))
    assert repair_in_place(committed).backup is None
    assert repair_in_place(untracked).backup == tmp_path / "new.jpg.bak"  # git does not have it yet
    assert not (tmp_path / "committed.jpg.bak").exists()
    original = repo.git.show("HEAD:committed.jpg", stdout_as_string=False)
    assert gps_of(original) and not gps_of(committed.read_bytes())


def test_repair_keeps_the_format_and_reports_what_it_cannot_fix(tmp_path):
    png = Image.new("RGB", (2400, 100), (10, 200, 30))
    buffer = io.BytesIO()
    png.save(buffer, "PNG")
    path = write(tmp_path, "banner.png", buffer.getvalue())
    outcome = repair_in_place(path)
    assert outcome.status == "fixed"
    with Image.open(path) as image:
        assert image.format == "PNG" and image.size == (1600, 67)
    bmp = io.BytesIO()
    Image.new("RGB", (2000, 10)).save(bmp, "BMP")
    old_format = write(tmp_path, "scan.bmp", bmp.getvalue())
    outcome = repair_in_place(old_format)
    assert outcome.status == "failed" and "无法原样修复" in outcome.message and "另存为 JPG" in outcome.message
    assert old_format.read_bytes() == bmp.getvalue()
    broken = write(tmp_path, "broken.jpg", b"not a photo")
    outcome = repair_in_place(broken)
    assert outcome.status == "failed" and broken.read_bytes() == b"not a photo"
    assert not (tmp_path / "broken.jpg.bak").exists()


def test_fix_images_command(tmp_path, capsys):
    project = new_project(tmp_path / "site", with_sample_pages=False)
    images = project / "content/stories/2025/images"
    images.mkdir(parents=True)
    (images / "a-1.jpg").write_bytes(photo_bytes((2400, 1800), gps=True))
    (images / "a-2.jpg").write_bytes(photo_bytes((400, 300), gps=False))
    original = (images / "a-1.jpg").read_bytes()
    assert main(["--root", str(project), "fix-images"]) == 0
    out = capsys.readouterr().out
    assert "已修复：" in out and "a-1.jpg" in out and "带有 GPS 拍摄位置" in out
    assert "修复1张" in out and "无需修复1张" in out
    # not in git: the original goes to .mzpress-backup/ under the same path, nothing new in content/
    assert sorted(p.name for p in images.iterdir()) == ["a-1.jpg", "a-2.jpg"]
    (backup,) = (project / ".mzpress-backup/content/stories/2025/images").glob("a-1.jpg.*")
    assert backup.read_bytes() == original
    assert f"原图已备份到 .mzpress-backup/content/stories/2025/images/{backup.name}" in out
    context = CheckContext(root=project, config=require_config(project))
    for path in images.glob("*.jpg"):
        assert list(check_image_file(path, path.name, context)) == []
    (images / "bad.png").write_bytes(b"nope")
    assert main(["--root", str(project), "fix-images", str(images / "bad.png"), str(images / "gone.jpg")]) == 1
    err = capsys.readouterr().err
    assert "无法修复" in err and "找不到" in err
