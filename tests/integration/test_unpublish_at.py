"""``unpublish_at``: a scheduled take-down. From that time on the build leaves the page out exactly as
``mzpress withdraw --unpublish`` does (build, listings, feeds, sitemap, search; a notice at the old
address); before it the page is published as usual and the public page says nothing about it."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest
from PIL import Image

from mzpress.publishing.withdrawal import SCHEDULED_REASON
from tests.support.project import add_story, build, mzpress, new_project
from tools.search_index_files import indexed_pages

ATOM = "{http://www.w3.org/2005/Atom}"
GONE_TITLE = "招聘公告：已到期的岗位"
GOING_TITLE = "补贴申报：仍在申报期"
LISTINGS = ("index.html", "stories/index.html", "stories/2026/index.html", "topics/xiaoxian/index.html")


def _project(root):
    project = new_project(root)
    add_story(project, 2026, "kept", title="普通稿件", date="2026-04-01 09:00", topics=("xiaoxian",))
    gone = add_story(project, 2026, "gone", title=GONE_TITLE, date="2026-05-01 09:00", topics=("xiaoxian",),
                     body="已到期岗位的正文。\n\n![岗位表](images/gone-1.png)",
                     extra="unpublish_at: 2026-11-01 18:00\n")
    (gone.parent / "images").mkdir()
    Image.new("RGB", (400, 300), "white").save(gone.parent / "images" / "gone-1.png")
    add_story(project, 2026, "going", title=GOING_TITLE, date="2026-05-02 09:00", topics=("xiaoxian",),
              extra="unpublish_at: 2026-12-31 18:00\n")
    return project


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    base = tmp_path_factory.mktemp("unpublish-at")
    project = _project(base / "p")
    result = build(project, base / "site")  # build date 2026-11-30: after gone's, before going's unpublish_at
    assert result.returncode == 0, result.stdout + result.stderr
    return project, base / "site"


def _titles(feed) -> list[str]:
    return [e.findtext(f"{ATOM}title") for e in ET.parse(feed).getroot().iter(f"{ATOM}entry")]


def test_a_page_past_its_unpublish_at_is_absent_from_build_listings_feeds_sitemap_and_search(built):
    _, site = built
    notice = (site / "stories/2026/gone/index.html").read_text(encoding="utf-8")
    assert GONE_TITLE not in notice and "本页已撤下" in notice and SCHEDULED_REASON in notice
    assert "2026-11-01" in notice
    assert not (site / "stories/2026/images/gone-1.png").exists()  # its image goes offline with it
    for listing in LISTINGS:
        assert GONE_TITLE not in (site / listing).read_text(encoding="utf-8"), listing
    for feed in ("feeds/all.xml", "feeds/xiaoxian.xml"):
        assert GONE_TITLE not in _titles(site / feed) and "普通稿件" in _titles(site / feed), feed
    assert "stories/2026/gone/" not in (site / "sitemap.xml").read_text(encoding="utf-8")
    index = indexed_pages(site)
    assert "/stories/2026/gone/" not in index
    assert not [page for page in index.values() if GONE_TITLE in page.text or GONE_TITLE in page.meta.get("title", "")]


def test_a_page_before_its_unpublish_at_is_present_and_the_public_page_says_nothing(built):
    _, site = built
    page = (site / "stories/2026/going/index.html").read_text(encoding="utf-8")
    assert GOING_TITLE in page
    assert "mz-preview-banner" not in page and "定时下线" not in page and "unpublish_at" not in page
    for listing in LISTINGS:
        assert GOING_TITLE in (site / listing).read_text(encoding="utf-8"), listing
    for feed in ("feeds/all.xml", "feeds/xiaoxian.xml"):
        assert GOING_TITLE in _titles(site / feed), feed
    assert "stories/2026/going/" in (site / "sitemap.xml").read_text(encoding="utf-8")
    assert GOING_TITLE in indexed_pages(site)["/stories/2026/going/"].text


def test_before_its_unpublish_at_the_expired_page_was_published(tmp_path):
    project = _project(tmp_path / "p")
    result = build(project, tmp_path / "site", build_date="2026-10-31")  # the scheduled rebuild of the day before
    assert result.returncode == 0, result.stdout + result.stderr
    assert GONE_TITLE in (tmp_path / "site/stories/2026/gone/index.html").read_text(encoding="utf-8")
    assert GONE_TITLE in (tmp_path / "site/stories/index.html").read_text(encoding="utf-8")
    assert (tmp_path / "site/stories/2026/images/gone-1.png").is_file()


@pytest.mark.parametrize("value,expected", [
    ("2026-04-01 18:00", "下线时间（unpublish_at: 2026-04-01 18:00）不晚于发布时间（date: 2026-05-01 09:00）"),
    ("2026-02-30", "下线时间：日期“2026-02-30”不存在"),
    ("下个月", "下线时间：“下个月”不是有效的日期"),
])
def test_a_bad_unpublish_at_is_an_error_with_file_and_line(tmp_path, value, expected):
    project = new_project(tmp_path / "p")
    add_story(project, 2026, "bad", title="有问题的稿件", date="2026-05-01 09:00", extra=f"unpublish_at: {value}\n")
    result = mzpress(project, "check", "content/stories/2026/bad.md")
    output = result.stdout + result.stderr
    assert result.returncode != 0 and "content/stories/2026/bad.md:8" in output and expected in output, output
    assert "Traceback" not in output


def test_a_link_to_a_page_with_a_scheduled_take_down_warns_and_on_the_day_leads_to_its_notice(tmp_path):
    """Before the take-down: links.expiring. On the day the daily rebuild does not stop (the expired page would stay
    online): links.expired warns, and both links lead to the take-down notice at the page's old address. A page
    unpublished by a commit (withdraw --unpublish) is different: links to it stay errors."""
    project = new_project(tmp_path / "p")
    add_story(project, 2026, "going", title=GOING_TITLE, date="2026-05-02 09:00", extra="unpublish_at: 2026-12-31 18:00\n")
    add_story(project, 2026, "linking", title="引用稿件", date="2026-05-03 09:00",
              body="详见[申报通知](going.md#申报材料)。\n\n原文见[这里](../going/)。\n\n`[代码里的](going.md)`")
    before = mzpress(project, "check", "--build-date", "2026-11-30 10:00")
    output = before.stdout + before.stderr
    assert before.returncode == 0 and output.count("links.expiring") == 2 and "2026-12-31 18:00" in output, output
    assert "content/stories/2026/linking.md:" in output and "links.expired" not in output.replace("links.expiring", "")
    after = mzpress(project, "check", "--build-date", "2027-01-02 10:00")
    output = after.stdout + after.stderr
    assert after.returncode == 0 and output.count("links.expired") == 2 and "links.broken" not in output, output
    assert "已于2026-12-31 18:00按计划下线" in output
    site = tmp_path / "site"
    result = build(project, site, build_date="2027-01-02 10:00")  # strict, as the scheduled rebuild
    assert result.returncode == 0, result.stdout + result.stderr
    page = (site / "stories/2026/linking/index.html").read_text(encoding="utf-8")
    assert 'href="../going/#申报材料"' in page and 'href="../going/"' in page and "going.md" in page  # the code stays
    assert page.count("going.md") == 1
    notice = (site / "stories/2026/going/index.html").read_text(encoding="utf-8")
    assert SCHEDULED_REASON in notice and GOING_TITLE not in (site / "stories/index.html").read_text(encoding="utf-8")
    withdrawn = mzpress(project, "withdraw", "content/stories/2026/going.md", "--reason", "重复发布", "--unpublish",
                        "--date", "2026-12-01", build_date="2026-12-01")
    assert withdrawn.returncode == 0, withdrawn.stdout + withdrawn.stderr
    manual = mzpress(project, "check", "--build-date", "2026-12-02 10:00")
    assert manual.returncode == 1 and (manual.stdout + manual.stderr).count("links.broken") == 2, manual.stdout
