"""Personal identifiers in the paths of published files (mzpress.checks.published_paths)."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest
from PIL import Image

from mzpress.checks.context import CheckContext
from mzpress.checks.published_paths import check_published_paths, masked_path
from mzpress.model.content import load_site
from mzpress.model.findings import Severity
from mzpress.model.schema import TIMEZONE
from mzpress.text.identifiers import find_identifiers_in_name
from tests.support.personal_data import PEOPLE, id18, mask_id, wrong_check
from tests.support.project import add_story, new_project

NOW = dt.datetime(2026, 11, 30, tzinfo=TIMEZONE)
MOBILE = "13912345678"


def jpeg() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (200, 120, 40)).save(buffer, "JPEG")
    return buffer.getvalue()


def put(root: Path, relpath: str, data: bytes | None = None) -> None:
    path = root / "content" / relpath
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(jpeg() if data is None else data)


def project(tmp_path: Path, *images: str, body: str = "正文。") -> Path:
    root = new_project(tmp_path / "p", with_sample_pages=False)
    add_story(root, 2026, "songnuan", title="冬日送暖", date="2026-11-01", body=body)
    for image in images:
        put(root, image)
    return root


def findings_of(root: Path, only: set[str] | None = None):
    site, _ = load_site(root, NOW, only=only)
    return list(check_published_paths(site, CheckContext(root=root, config=site.config)))


def test_a_mobile_in_an_image_name_is_an_error_on_the_image_with_a_rename_command(tmp_path):
    image = f"stories/2026/images/张三{MOBILE}.jpg"
    root = project(tmp_path, image, body=f"![慰问现场](images/张三{MOBILE}.jpg)")
    [finding] = findings_of(root)
    assert (finding.rule, finding.severity, finding.file, finding.line) == (
        "privacy.mobile", Severity.ERROR, f"content/{image}", None)
    shown = "content/stories/2026/images/张三139****5678.jpg"
    assert "文件名" in finding.message and f"“{shown}”" in finding.message
    assert f'git mv "{shown}" "content/stories/2026/images/新文件名.jpg"' in finding.suggestion
    assert "content/stories/2026/songnuan.md" in finding.suggestion  # the page that shows it
    assert MOBILE not in finding.message and MOBILE not in finding.suggestion


@pytest.mark.parametrize("name", [
    "139-1234-5678.jpg", "139_1234_5678.png", "139.1234.5678.jpg", "139 1234 5678.jpg",
    "zhangsan13912345678.jpg", "139\u200b1234\u200b5678.jpg", "张三_139_12345678.jpeg", "附件-13912345678.pdf",
])
def test_mobile_numbers_written_in_file_names_in_other_ways(tmp_path, name):
    root = project(tmp_path, f"stories/2026/images/{name}")
    [finding] = findings_of(root)
    assert finding.rule == "privacy.mobile" and finding.file == f"content/stories/2026/images/{name}"
    assert MOBILE not in finding.message.replace("\u200b", "") and "139" in finding.message


def test_ids_cards_and_suspected_ids_in_names_and_a_page_named_after_a_person(tmp_path):
    value, typo, card = PEOPLE[0].id_number, wrong_check(PEOPLE[3].id_number), PEOPLE[1].card
    root = project(tmp_path, f"notices/2026/files/{value}.pdf", f"notices/2026/files/{typo}.xlsx",
                   f"notices/2026/files/卡{card}.pdf")
    add_story(root, 2026, f"wang-{MOBILE}", title="表彰", date="2026-11-02")
    found = {(f.file, f.rule, "校验位不符" in f.message) for f in findings_of(root)}
    assert found == {
        (f"content/notices/2026/files/{value}.pdf", "privacy.id-number", False),
        (f"content/notices/2026/files/{typo}.xlsx", "privacy.id-number", True),
        (f"content/notices/2026/files/卡{card}.pdf", "privacy.bank-card", False),
        (f"content/stories/2026/wang-{MOBILE}.md", "privacy.mobile", False),
    }


def test_an_identifier_in_a_folder_name_is_reported_on_every_file_in_it(tmp_path):
    value = id18("360723", "19800101", "001")
    root = project(tmp_path, f"stories/2026/{value}/a.jpg", f"stories/2026/{value}/b.jpg")
    findings = findings_of(root)
    assert sorted(f.file for f in findings) == [f"content/stories/2026/{value}/a.jpg", f"content/stories/2026/{value}/b.jpg"]
    folder = f"content/stories/2026/{mask_id(value)}"
    for finding in findings:
        assert "文件夹名" in finding.message and f"“{folder}”" in finding.message
        assert f'git mv "{folder}" "content/stories/2026/新文件夹名"' in finding.suggestion
        assert value not in finding.message and value not in finding.suggestion


def test_ordinary_names_are_quiet(tmp_path):
    root = project(tmp_path, "stories/2026/images/2026-12-05.jpg", "stories/2026/images/20261205-1.jpg",
                   "stories/2026/images/IMG_20261205_134512.jpg", "stories/2026/images/mmexport1701234567890.jpg",
                   "stories/2026/images/微信图片_20261205134512.jpg", "notices/2026/files/示政发〔2026〕12号.pdf",
                   "stories/2026/images/songnuan-1.jpg")
    assert findings_of(root) == []


def test_the_finding_is_kept_by_a_check_of_the_image_alone(tmp_path):
    # run_content_checks keeps the findings of the files asked for: the image's own finding stays.
    from mzpress.checks.runner import run_content_checks

    image = f"stories/2026/images/{MOBILE}.jpg"
    root = project(tmp_path, image, body=f"![图](images/{MOBILE}.jpg)")
    site, _ = load_site(root, NOW, only={image})
    findings = run_content_checks(site, CheckContext(root=root, config=site.config), only={image})
    assert ("privacy.mobile", f"content/{image}") in {(f.rule, f.file) for f in findings}


def test_a_flagged_image_is_not_published(tmp_path):
    from mzpress.publishing.published_files import published_files

    image = f"stories/2026/images/{MOBILE}.jpg"
    root = project(tmp_path, image, "stories/2026/images/songnuan-1.jpg",
                   body=f"![图](images/{MOBILE}.jpg)\n\n![图](images/songnuan-1.jpg)")
    site, _ = load_site(root, NOW)
    published = published_files(site, findings_of(root))
    assert image not in published and "stories/2026/images/songnuan-1.jpg" in published


def test_masked_path_keeps_the_length_and_masks_every_identifier():
    path = f"stories/{MOBILE}/{PEOPLE[0].id_number}.jpg"
    shown = masked_path(path, find_identifiers_in_name(path))
    assert shown == f"stories/139****5678/{mask_id(PEOPLE[0].id_number)}.jpg" and len(shown) == len(path)
