"""Word documents and photos made by the tests themselves (python-docx and Pillow)."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import docx
from docx.shared import Inches
from PIL import Image

GPS_IFD = 0x8825
GPS_TAGS = {1: "N", 2: (28.0, 41.0, 12.5), 3: "E", 4: (115.0, 53.0, 2.25)}


def photo_bytes(size: tuple[int, int] = (2400, 1800), gps: bool = True, orientation: int | None = None,
                color=(180, 90, 60), fmt: str = "JPEG") -> bytes:
    """A photo with camera EXIF and (by default) GPS coordinates, like a phone would take."""
    image = Image.new("RGB", size, color)
    # A darker left half, so orientation and resizing are visible in the pixels.
    image.paste((20, 20, 20), (0, 0, size[0] // 2, size[1]))
    exif = image.getexif()
    exif[0x010F] = "PhoneMaker"
    exif[0x0110] = "PhoneModel X"
    if orientation:
        exif[0x0112] = orientation
    if gps:
        exif[GPS_IFD] = dict(GPS_TAGS)
    buffer = io.BytesIO()
    image.save(buffer, fmt, exif=exif, quality=95)
    return buffer.getvalue()


def png_bytes(size=(64, 48), transparent: bool = False) -> bytes:
    mode, color = ("RGBA", (0, 128, 255, 100)) if transparent else ("RGB", (0, 128, 255))
    buffer = io.BytesIO()
    Image.new(mode, size, color).save(buffer, "PNG")
    return buffer.getvalue()


def gps_of(data: bytes) -> dict:
    with Image.open(io.BytesIO(data)) as image:
        return dict(image.getexif().get_ifd(GPS_IFD))


def story_docx(path: Path, *, title_property: str = "", heading_title: str | None = "城关镇开展孝老爱亲志愿服务活动",
               photo: bytes | None = None, second_image: bytes | None = None, second_alt: str = "") -> Path:
    """A typical story: title heading, lead paragraph with bold, sub-heading, bullets, a table, photos."""
    document = docx.Document()
    document.core_properties.title = title_property
    if heading_title is not None:
        document.add_heading(heading_title, level=1)
    lead = document.add_paragraph("3月12日上午，城关镇组织志愿者走进敬老院，")
    lead.add_run("为80余位老人").bold = True
    lead.add_run("义务理发、测量血压，开展孝老爱亲主题志愿服务活动。")
    document.add_heading("一、活动内容", level=2)
    document.add_paragraph("义务理发", style="List Bullet")
    document.add_paragraph("测量血压", style="List Bullet")
    document.add_paragraph("文艺演出", style="List Bullet")
    document.add_heading("二、参加人员", level=2)
    table = document.add_table(rows=3, cols=2)
    for row, (name, count) in enumerate((("单位", "人数"), ("城关镇", "12"), ("县民政局", "5"))):
        table.cell(row, 0).text = name
        table.cell(row, 1).text = count
    if photo is not None:
        document.add_picture(io.BytesIO(photo), width=Inches(4))
    if second_image is not None:
        document.add_picture(io.BytesIO(second_image), width=Inches(2))
        if second_alt:
            document.inline_shapes[-1]._inline.docPr.set("descr", second_alt)
    document.add_paragraph("活动结束后，志愿者与老人合影留念。")
    document.save(path)
    return path


def replace_part(path: Path, part: str, data: bytes) -> Path:
    """Rewrite one part of a .docx (a zip), e.g. to put garbage where an image was."""
    with zipfile.ZipFile(path) as source:
        items = [(info, source.read(info.filename)) for info in source.infolist()]
    names = [info.filename for info, _ in items]
    assert part in names, names
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for info, content in items:
            target.writestr(info.filename, data if info.filename == part else content)
    return path


def media_parts(path: Path) -> list[str]:
    with zipfile.ZipFile(path) as archive:
        return [name for name in archive.namelist() if name.startswith("word/media/")]
