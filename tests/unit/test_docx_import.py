"""mzpress import-docx: a generated Word file becomes a story; bad files leave nothing behind."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

import pytest
from PIL import Image

from mzpress.checks.runner import check_project
from mzpress.editing.docx_import import OLE_MAGIC, DocxImportError, import_docx
from mzpress.model.config import require_config
from mzpress.model.frontmatter import split
from mzpress.model.schema import TIMEZONE, validate
from mzpress.model.slugs import slugify
from mzpress.text.images import MISSING_ALT, ImageLimits
from tests.support.docx_fixtures import (
    gps_of,
    media_parts,
    photo_bytes,
    png_bytes,
    replace_part,
    run_import_docx,
    story_docx,
    story_request,
)
from tests.support.project import new_project, tree_digest

FLAGS = ["--unit", "elderly-care", "--author", "李晓梅", "--editor", "王建国", "--date", "2025-03-12 09:30"]


@pytest.fixture
def project(tmp_path):
    return new_project(tmp_path / "site", with_sample_pages=False)


run = run_import_docx


def stories(project):
    return sorted(p for p in (project / "content").rglob("*") if p.is_file())


def request(**overrides):
    return story_request(dt.datetime(2025, 3, 12, 9, 30, tzinfo=TIMEZONE), **overrides)


def test_story_with_headings_list_table_bold_and_gps_photo(project, tmp_path, capsys):
    photo = photo_bytes((2400, 1800), gps=True)
    assert gps_of(photo), "the fixture photo must carry GPS to prove it is removed"
    source = story_docx(tmp_path / "稿件.docx", photo=photo, second_image=png_bytes(transparent=True),
                        second_alt="县民政局标志")
    code, out, err = run(project, capsys, str(source), "--topic", "xiaoxian", *FLAGS)
    assert code == 0, err
    slug = slugify("城关镇开展孝老爱亲志愿服务活动")
    story = project / f"content/stories/2025/{slug}.md"
    assert f"已导入民政故事：content/stories/2025/{slug}.md" in out
    text = story.read_text(encoding="utf-8")
    document = split(text, "story.md")
    meta = document.meta
    assert meta["title"] == "城关镇开展孝老爱亲志愿服务活动"
    assert (meta["unit"], meta["author"], meta["editor"], meta["topics"]) == ("elderly-care", "李晓梅", "王建国", ["xiaoxian"])
    assert meta["date"] == "2025-03-12 09:30"
    assert meta["summary"].startswith("3月12日上午，城关镇组织志愿者走进敬老院")
    body = document.body
    assert "# 城关镇" not in body  # the title moved to the front matter
    assert "## 一、活动内容" in body and "## 二、参加人员" in body  # Heading 2 stays the top body level
    assert "**为80余位老人**" in body
    assert "- 义务理发\n- 测量血压\n- 文艺演出" in body
    assert "| 单位 | 人数 |\n| --- | --- |\n| 城关镇 | 12 |\n| 县民政局 | 5 |" in body
    assert f"![{MISSING_ALT}](images/{slug}-1.jpg)" in body
    assert f"![县民政局标志](images/{slug}-2.png)" in body
    assert (meta["cover"], meta["cover_alt"]) == (f"images/{slug}-1.jpg", MISSING_ALT)
    # the photo: re-encoded JPEG, long edge 1600, no GPS, no EXIF at all
    jpeg = (story.parent / "images" / f"{slug}-1.jpg").read_bytes()
    with Image.open(io.BytesIO(jpeg)) as image:
        assert image.format == "JPEG" and image.size == (1600, 1200)
        assert len(image.getexif()) == 0
    assert gps_of(jpeg) == {}
    # the transparent logo stays PNG with its transparency
    with Image.open(story.parent / "images" / f"{slug}-2.png") as logo:
        assert logo.mode == "RGBA" and logo.getchannel("A").getextrema()[0] < 255
    assert "1处图片没有说明文字" in out
    # the front matter is complete and valid for the content model
    values, findings = validate("story", meta, "story.md", require_config(project))
    assert findings == [] and values["unit"].id == "elderly-care"


def test_missing_alt_marker_is_reported_by_check_until_replaced(project, tmp_path, capsys):
    source = story_docx(tmp_path / "a.docx", photo=photo_bytes((800, 600)))
    assert run(project, capsys, str(source), *FLAGS)[0] == 0
    story = next((project / "content/stories/2025").glob("*.md"))
    relpath = story.relative_to(project).as_posix()
    _, findings = check_project(project, dt.datetime(2026, 1, 1, tzinfo=TIMEZONE),
                                only={story.relative_to(project / "content").as_posix()})
    alt = [f for f in findings if f.rule == "images.missing-alt"]
    assert {f.file for f in alt} == {relpath} and len(alt) == 2  # cover_alt and the body image
    assert all(f.severity.value == "error" for f in alt)
    story.write_text(story.read_text(encoding="utf-8").replace(MISSING_ALT, "志愿者为老人理发"), encoding="utf-8")
    _, findings = check_project(project, dt.datetime(2026, 1, 1, tzinfo=TIMEZONE), only=None)
    assert [f for f in findings if f.rule.startswith("images.") or f.severity.value == "error"] == []


def test_title_from_core_properties_then_first_paragraph(project, tmp_path):
    source = story_docx(tmp_path / "p.docx", title_property="全县养老服务工作推进会召开", heading_title=None)
    result = import_docx(project, source, request())
    assert result.title == "全县养老服务工作推进会召开"
    assert "标题取自文档属性" in result.notes[0] and "3月12日上午" in result.notes[0]  # differs from line one
    assert result.story.name == slugify("全县养老服务工作推进会召开") + ".md"
    # no property, no heading: the first paragraph is the title and leaves the body
    source = story_docx(tmp_path / "q.docx", heading_title=None)
    result = import_docx(project, source, request())
    assert result.title.startswith("3月12日上午")
    body = split(result.story.read_text(encoding="utf-8"), "x").body
    assert "3月12日上午" not in body


def test_title_flag_wins_and_existing_story_is_never_overwritten(project, tmp_path, capsys):
    source = story_docx(tmp_path / "s.docx", photo=photo_bytes((300, 200)))
    assert run(project, capsys, str(source), *FLAGS)[0] == 0
    before = tree_digest(project)
    # the same document again: refused, naming the story it became
    code, _, err = run(project, capsys, str(source), *FLAGS)
    assert code == 1 and "这份文档已经导入过" in err and tree_digest(project) == before
    # another document with the same title: a new slug, the first story and its image untouched
    import docx

    other = docx.Document(source)
    other.add_paragraph("老人们纷纷表示感谢。")
    other.save(tmp_path / "s2.docx")
    assert run(project, capsys, str(tmp_path / "s2.docx"), *FLAGS)[0] == 0
    after = tree_digest(project)
    assert all(after[name] == digest for name, digest in before.items())
    slug = slugify("城关镇开展孝老爱亲志愿服务活动")
    assert f"content/stories/2025/{slug}-2.md" in after
    assert f"content/stories/2025/images/{slug}-2-1.jpg" in after
    # an explicit slug that exists: refused, nothing changes
    before = tree_digest(project)
    code, _, err = run(project, capsys, str(source), "--slug", slug, *FLAGS)
    assert code == 2 and "已经被使用" in err
    assert tree_digest(project) == before
    # --title overrides the document
    other.add_paragraph("下次活动定于4月举行。")
    other.save(tmp_path / "s3.docx")
    code, out, _ = run(project, capsys, str(tmp_path / "s3.docx"), "--title", "敬老院里的理发日", *FLAGS)
    assert code == 0 and "标题：敬老院里的理发日" in out


def _assert_refused(project, capsys, path, *expected):
    before = tree_digest(project)
    code, out, err = run(project, capsys, str(path), *FLAGS)
    assert code == 1, out + err
    for text in expected:
        assert text in err
    assert "没有写入任何文件" in err
    assert tree_digest(project) == before, "a failed import must leave no file behind"
    return err


def test_legacy_doc_and_wps_get_save_as_docx_message(project, tmp_path, capsys):
    for name in ("旧稿件.doc", "旧稿件.wps"):
        path = tmp_path / name
        path.write_bytes(OLE_MAGIC + b"\0" * 600)
        _assert_refused(project, capsys, path, "只能导入新格式的 .docx", "另存为", "*.docx")


def test_ole_file_named_docx_is_password_protected_or_old_format(project, tmp_path, capsys):
    encrypted = tmp_path / "加密.docx"
    encrypted.write_bytes(OLE_MAGIC + b"\0" * 504 + "EncryptionInfo".encode("utf-16-le") + b"\0" * 100)
    _assert_refused(project, capsys, encrypted, "设置了打开密码", "清除密码")
    renamed = tmp_path / "改名.docx"
    renamed.write_bytes(OLE_MAGIC + b"\0" * 600)
    _assert_refused(project, capsys, renamed, "实际上是旧版 .doc 格式")


def test_corrupt_docx_variants(project, tmp_path, capsys):
    good = story_docx(tmp_path / "good.docx", photo=photo_bytes((200, 100)))
    truncated = tmp_path / "截断.docx"
    truncated.write_bytes(good.read_bytes()[: len(good.read_bytes()) // 2])
    _assert_refused(project, capsys, truncated, "已损坏")
    garbage = tmp_path / "乱码.docx"
    garbage.write_bytes(b"this is not a word file at all" * 10)
    _assert_refused(project, capsys, garbage, "已损坏")
    empty = tmp_path / "空.docx"
    empty.write_bytes(b"")
    _assert_refused(project, capsys, empty, "空文件")
    broken_xml = replace_part(tmp_path / "good.docx", "word/document.xml", b"<w:document><w:body><w:p>")
    _assert_refused(project, capsys, broken_xml, "内容已损坏")
    workbook = tmp_path / "表格.docx"
    with zipfile.ZipFile(workbook, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
    _assert_refused(project, capsys, workbook, "实际上是Excel 表格")
    _assert_refused(project, capsys, tmp_path / "不存在.docx", "找不到文件")


def test_image_that_is_not_an_image_aborts_the_whole_import(project, tmp_path, capsys):
    source = story_docx(tmp_path / "bad-image.docx", photo=photo_bytes((300, 200)), second_image=png_bytes())
    parts = media_parts(source)
    png = next(p for p in parts if p.endswith(".png"))
    replace_part(source, png, b"GIF89a but not really an image")
    err = _assert_refused(project, capsys, source, "第2张图片无法使用", "不是能识别的图片")
    assert "Traceback" not in err


def test_title_that_yields_no_slug(project, tmp_path, capsys):
    source = story_docx(tmp_path / "t.docx", heading_title="！！！？？？")
    before = tree_digest(project)
    code, _, err = run(project, capsys, str(source), *FLAGS)
    assert code == 2 and "无法生成文件名" in err and "--slug" in err
    assert tree_digest(project) == before
    code, out, _ = run(project, capsys, str(source), "--slug", "tanwang-laoren", *FLAGS)
    assert code == 0 and "content/stories/2025/tanwang-laoren.md" in out


def test_missing_flags_without_terminal_are_listed(project, tmp_path, capsys):
    source = story_docx(tmp_path / "m.docx")
    before = tree_digest(project)
    code, _, err = run(project, capsys, str(source), "--unit", "养老服务股")
    assert code == 2 and "--author（作者）" in err and "--editor（责任编辑）" in err and "--unit" not in err
    code, _, err = run(project, capsys, str(source), "--unit", "elderly-cair", "--author", "a", "--editor", "b")
    assert code == 2 and "elderly-care（养老服务股）" in err
    code, _, err = run(project, capsys, str(source), "--topic", "xiaoxain", *FLAGS)
    assert code == 2 and "xiaoxian（孝贤文化）" in err
    assert tree_digest(project) == before


def test_image_limits_come_from_site_config(project, tmp_path):
    source = story_docx(tmp_path / "l.docx", photo=photo_bytes((1200, 900)))
    result = import_docx(project, source, request(), ImageLimits(max_edge=600))
    with Image.open(result.images[0]) as image:
        assert max(image.size) == 600


def test_document_with_only_a_title_is_refused(project, tmp_path):
    import docx

    path = tmp_path / "only-title.docx"
    document = docx.Document()
    document.add_heading("只有标题", level=1)
    document.save(path)
    before = tree_digest(project)
    with pytest.raises(DocxImportError, match="没有正文内容"):
        import_docx(project, path, request())
    assert tree_digest(project) == before
