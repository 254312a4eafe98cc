"""``mzpress check`` tells everything at once: a schema error hides no other finding, ``check FILE`` checks
the photos and attachments the page uses, and a spaced date is one finding with the whole fix."""

from __future__ import annotations

import datetime as dt

import openpyxl
from PIL import Image

from mzpress.checks.runner import check_project, used_files
from mzpress.model.content import load_site
from mzpress.model.schema import TIMEZONE
from tests.support.personal_data import id18
from tests.support.project import add_story, mzpress, new_project, story_text, write

NOW = dt.datetime(2026, 11, 30, 12, 0, tzinfo=TIMEZONE)
STORY = "content/stories/2026/xin-gao.md"


def _gps_photo(path, size=(4000, 3000)):
    path.parent.mkdir(parents=True, exist_ok=True)
    exif = Image.Exif()
    exif[0x8825] = {1: "N", 2: (28.0, 30.0, 0.0), 3: "E", 4: (115.0, 50.0, 0.0)}
    Image.new("RGB", size, "white").save(path, exif=exif)
    return path


def _list_xlsx(path):
    path.parent.mkdir(parents=True, exist_ok=True)
    book = openpyxl.Workbook()
    book.active.append(["姓名", "身份证号"])
    book.active.append(["王小明", id18()])
    book.save(path)
    return path


def _mine(findings, file=STORY):
    return {(f.rule, f.line) for f in findings if f.file == file}


def test_an_empty_summary_does_not_hide_broken_links_or_missing_images(tmp_path):
    root = new_project(tmp_path / "p", with_sample_pages=False)
    add_story(root, 2026, "xin-gao", title="新稿件", date="2026-11-20 09:00", summary="",
              body="见[旧稿](../2025/gone.md)。\n\n![志愿者为老人理发](images/missing.jpg)\n")
    site, findings = check_project(root, NOW)
    assert {rule for rule, _ in _mine(findings)} >= {"schema.missing"}
    assert _mine(findings) >= {("links.broken", 10), ("images.missing", 12)}
    # still refused: not published, not listed, and a link to it is a link to an unpublished page
    assert STORY[len("content/"):] in site.invalid and not site.publishes(STORY[len("content/"):])
    assert all(page.src != "stories/2026/xin-gao.md" for page in site.pages + site.published)


def test_a_link_to_a_page_with_an_error_is_still_reported(tmp_path):
    root = new_project(tmp_path / "p", with_sample_pages=False)
    add_story(root, 2026, "xin-gao", title="新稿件", date="2026-11-20 09:00", summary="")
    add_story(root, 2026, "lao-gao", title="老稿件", date="2026-11-10 09:00", body="见[新稿](xin-gao.md)。")
    _, findings = check_project(root, NOW)
    (broken,) = [f for f in findings if f.file.endswith("lao-gao.md") and f.rule == "links.broken"]
    assert "尚未发布" in broken.message


def test_the_same_findings_in_a_check_of_the_one_file(tmp_path):
    root = new_project(tmp_path / "p", with_sample_pages=False)
    add_story(root, 2026, "xin-gao", title="新稿件", date="2026-11-20 09:00", summary="",
              body="见[旧稿](../2025/gone.md)。")
    _, whole = check_project(root, NOW)
    _, one = check_project(root, NOW, only={"stories/2026/xin-gao.md"})
    assert _mine(one) == _mine(whole) and ("links.broken", 10) in _mine(one)


def test_check_of_one_page_checks_the_photos_and_attachments_it_uses(tmp_path):
    root = new_project(tmp_path / "p", with_sample_pages=False)
    folder = root / "content/stories/2026"
    _gps_photo(folder / "images/xin-gao-1.jpg")
    _gps_photo(folder / "images/xin-gao-cover.jpg", size=(800, 600))
    _list_xlsx(folder / "files/mingdan.xlsx")
    _gps_photo(folder / "images/other.jpg")  # used by no page given: not this check's business
    write(root / STORY, story_text(
        title="新稿件", date="2026-11-20 09:00",
        extra="cover: images/xin-gao-cover.jpg\ncover_alt: 活动现场\n",
        body="![志愿者为老人理发](images/xin-gao-1.jpg)\n\n名单见[附件](files/mingdan.xlsx)。"))
    site, _ = load_site(root, NOW, only={"stories/2026/xin-gao.md"})
    assert used_files(site, {"stories/2026/xin-gao.md"}) == {
        "stories/2026/images/xin-gao-1.jpg", "stories/2026/images/xin-gao-cover.jpg", "stories/2026/files/mingdan.xlsx"}

    result = mzpress(root, "check", STORY)
    assert result.returncode == 1, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    photo = "content/stories/2026/images/xin-gao-1.jpg"
    assert any(line.startswith(f"{photo}: 错误 [images.gps]") for line in lines)
    assert any(line.startswith(f"{photo}: 错误 [images.too-large-pixels]") and "4000×3000像素" in line
               for line in lines)
    assert any(line.startswith("content/stories/2026/images/xin-gao-cover.jpg: 错误 [images.gps]") for line in lines)
    assert any(line.startswith("content/stories/2026/files/mingdan.xlsx") and "[privacy.id-number]" in line
               for line in lines)
    assert not any("other.jpg" in line for line in lines)
    assert "检查通过" not in result.stdout


def test_a_spaced_date_is_one_warning_with_the_whole_fix(tmp_path):
    root = new_project(tmp_path / "p", with_sample_pages=False)
    add_story(root, 2026, "xin-gao", title="新稿件", date="2026-11-20 09:00", body="活动于 12 月 5 日举行。")
    _, findings = check_project(root, NOW, only={"stories/2026/xin-gao.md"})
    (spacing,) = [f for f in findings if f.file == STORY and f.rule.startswith("typography.")]
    assert spacing.rule == "typography.spacing" and spacing.line == 10
    assert spacing.suggestion.startswith("把“活动于 12 月 5 日举行。”改为“活动于12月5日举行。”")


def test_changed_since_checks_the_photos_of_the_changed_pages(tmp_path):
    from tests.support.git_repo import GitRepo

    root = new_project(tmp_path / "p", with_sample_pages=False)
    _gps_photo(root / "content/stories/2026/images/xin-gao-1.jpg")
    add_story(root, 2026, "xin-gao", title="新稿件", date="2026-11-20 09:00", body="活动现场。")
    repo = GitRepo(root)
    base = repo.commit("photo and story", "2026-11-20T09:00:00+08:00", add_all=True)
    add_story(root, 2026, "xin-gao", title="新稿件", date="2026-11-20 09:00",
              body="活动现场。\n\n![志愿者为老人理发](images/xin-gao-1.jpg)")
    repo.commit("show the photo", "2026-11-21T09:00:00+08:00", add_all=True)
    result = mzpress(root, "check", "--changed-since", base)
    assert "content/stories/2026/images/xin-gao-1.jpg: 错误 [images.gps]" in result.stdout, result.stdout
    assert result.returncode == 1
