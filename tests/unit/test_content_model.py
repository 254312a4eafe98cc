"""The content model against small real trees: types, validation messages, publication, listings."""

import datetime as dt
import shutil

import pytest

from mzpress.checks.runner import check_project
from mzpress.model.addresses import paged_src
from mzpress.model.config import load_config
from mzpress.model.content import load_site, page_url, relative_url
from mzpress.model.schema import TIMEZONE, parse_datetime
from mzpress.publishing.listings import generated_pages
from tests.support.project import add_story, new_project, story_text, tree_digest, write

NOW = dt.datetime(2026, 11, 30, 23, 59, tzinfo=TIMEZONE)


@pytest.fixture
def project(tmp_path):
    return new_project(tmp_path / "p")


def _load(project, now=NOW):
    return load_site(project, now)


def _rules(findings):
    return [f.rule for f in findings]


def test_sample_config_loads_cleanly(project):
    config, findings = load_config(project)
    assert findings == []
    assert {t.name for t in config.topics} == {"孝贤文化", "社区文化", "慈善文化", "社团文化", "婚姻文化", "殡葬文化"}
    assert "office" in config.unit_by_id


def test_story_values_are_typed(project):
    add_story(project, 2025, "a-story", title="测试稿件", date="2025-03-12 09:30", unit="elderly-care",
              topics=("xiaoxian",))
    site, findings = _load(project)
    assert [f for f in findings if f.severity == "error"] == []
    story = site.by_src["stories/2025/a-story.md"]
    assert story.kind == "story"
    assert story.date == dt.datetime(2025, 3, 12, 9, 30, tzinfo=TIMEZONE)
    assert story.unit.name == "养老服务股"
    assert [t.id for t in story.topics] == ["xiaoxian"]
    assert story.url == "stories/2025/a-story/"


def test_unknown_unit_suggests_the_closest_and_lists_allowed(project):
    add_story(project, 2025, "bad-unit", title="单位写错", date="2025-03-12", unit="elderly-cares")
    _, findings = _load(project)
    (finding,) = [f for f in findings if f.rule == "schema.unknown-unit"]
    assert finding.file == "content/stories/2025/bad-unit.md" and finding.line == 4
    assert "elderly-care" in finding.suggestion and "可选值" in finding.suggestion


def test_unit_name_instead_of_id_is_explained(project):
    add_story(project, 2025, "unit-name", title="单位写成中文", date="2025-03-12", unit="办公室")
    _, findings = _load(project)
    (finding,) = [f for f in findings if f.rule == "schema.unknown-unit"]
    assert "改成 office" in finding.suggestion


def test_unknown_topic_names_the_list_item_line(project):
    write(project / "content/stories/2025/bad-topic.md", """
        ---
        title: 专题写错
        date: 2025-03-12
        unit: office
        author: 甲
        editor: 乙
        summary: 摘要
        topics:
          - xiaoxian
          - cishang
        ---
        正文
        """)
    _, findings = _load(project)
    (finding,) = [f for f in findings if f.rule == "schema.unknown-topic"]
    assert finding.line == 10 and "cishan" in finding.suggestion


def test_missing_title_and_impossible_date(project):
    write(project / "content/stories/2025/no-title.md", """
        ---
        date: 2025-02-30 10:00
        unit: office
        author: 甲
        editor: 乙
        summary: 摘要
        ---
        正文
        """)
    _, findings = _load(project)
    by_rule = {f.rule: f for f in findings}
    assert "标题" in by_rule["schema.missing"].message
    assert by_rule["schema.date"].line == 2 and "不存在" in by_rule["schema.date"].message


def test_gbk_file_is_reported_with_its_line(project):
    path = project / "content/stories/2025/gbk.md"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(story_text(title="编码测试", date="2025-01-01").encode("gbk"))
    site, findings = _load(project)
    (finding,) = [f for f in findings if f.rule == "encoding.not-utf8"]
    assert finding.line == 2 and "GBK" in finding.message and "fix-encoding" in finding.suggestion
    assert "stories/2025/gbk.md" in site.invalid


def test_duplicate_slug_across_years(project):
    add_story(project, 2024, "same", title="一", date="2024-05-01")
    add_story(project, 2025, "same", title="二", date="2025-05-01")
    site, findings = _load(project)
    older, newer = sorted((f for f in findings if f.rule == "content.duplicate-slug"), key=lambda f: f.file)
    # Both files are named, each naming the other; neither is published (the build stops instead).
    assert older.file == "content/stories/2024/same.md" and "2025/same.md" in older.message
    assert newer.file == "content/stories/2025/same.md" and "2024/same.md" in newer.message
    assert {"stories/2024/same.md", "stories/2025/same.md"} <= set(site.invalid)
    # A partial check of either file (check FILE, --changed-since) reports it the same way.
    for src in ("stories/2024/same.md", "stories/2025/same.md"):
        _, partial = load_site(project, NOW, only={src})
        assert [f.file for f in partial if f.rule == "content.duplicate-slug"] == [f"content/{src}"]


def test_year_folder_must_match_date(project):
    add_story(project, 2024, "wrong-year", title="年份不符", date="2025-05-01")
    _, findings = _load(project)
    assert "content.year" in _rules(findings)


def test_misplaced_story_and_bad_slug(project):
    write(project / "content/stories/loose.md", story_text(title="放错", date="2025-01-01"))
    add_story(project, 2025, "Bad_Slug", title="文件名", date="2025-01-01")
    _, findings = _load(project)
    assert {"content.misplaced", "content.slug"} <= set(_rules(findings))


def test_unknown_field_is_a_warning_with_did_you_mean(project):
    add_story(project, 2025, "typo-field", title="字段拼错", date="2025-01-01", extra="sumary: 错\n")
    _, findings = _load(project)
    (finding,) = [f for f in findings if f.rule == "schema.unknown-field"]
    assert finding.severity == "warning" and "summary" in finding.suggestion


def test_drafts_and_future_stories_are_not_published(project):
    add_story(project, 2025, "live", title="已发布", date="2025-01-01", topics=("xiaoxian",))
    add_story(project, 2025, "draft", title="草", date="2025-01-02", topics=("xiaoxian",), extra="draft: true\n")
    add_story(project, 2026, "scheduled", title="定时", date="2026-12-01 08:00", topics=("xiaoxian",))
    site, _ = _load(project)
    assert [s.slug for s in site.stories] == ["live"]
    assert [s.slug for s in site.stories_by_topic["xiaoxian"]] == ["live"]
    assert {"stories/2025/draft.md", "stories/2026/scheduled.md"} <= site.excluded_srcs
    later = dt.datetime(2026, 12, 1, 8, 0, tzinfo=TIMEZONE)
    assert [s.slug for s in _load(project, later)[0].stories] == ["scheduled", "live"]


@pytest.mark.parametrize("day, status", [(9, "未开始"), (10, "公示中"), (16, "公示中"), (17, "已结束")])
def test_notice_status(project, day, status):
    write(project / "content/notices/2026/gs.md", """
        ---
        title: 公示
        date: 2026-11-01
        unit: office
        author: 甲
        editor: 乙
        summary: 摘要
        start: 2026-12-10
        end: 2026-12-16
        ---
        正文
        """)
    site, findings = _load(project, dt.datetime(2026, 12, day, 12, 0, tzinfo=TIMEZONE))
    assert site.by_src["notices/2026/gs.md"].notice_status(site.now) == status


def test_notice_end_before_start(project):
    write(project / "content/notices/2026/bad.md", """
        ---
        title: 公示
        date: 2026-11-01
        unit: office
        author: 甲
        editor: 乙
        summary: 摘要
        start: 2026-12-10
        end: 2026-12-01
        ---
        """)
    _, findings = _load(project)
    assert "schema.period" in _rules(findings)


def test_withdrawn_needs_a_reason(project):
    add_story(project, 2025, "w", title="撤回", date="2025-01-01", extra="withdrawn:\n  date: 2025-02-01\n")
    _, findings = _load(project)
    assert "schema.withdrawn-reason" in _rules(findings)


def test_withdrawn_story_leaves_listings_but_stays_published(project):
    add_story(project, 2025, "w", title="撤回", date="2025-01-01", topics=("xiaoxian",),
              extra="withdrawn:\n  date: 2025-02-01\n  reason: 活动取消\n")
    site, _ = _load(project)
    assert site.stories == [] and site.stories_by_topic["xiaoxian"] == []
    assert "stories/2025/w.md" not in site.excluded_srcs


def test_missing_cover_image(project):
    add_story(project, 2025, "c", title="封面", date="2025-01-01",
              extra="cover: images/none.jpg\ncover_alt: 说明\n")
    _, findings = _load(project)
    (finding,) = [f for f in findings if f.rule == "images.missing"]
    assert finding.line == 8 and "content/stories/2025/images/none.jpg" in finding.suggestion


def test_checks_never_modify_files(project, monkeypatch):
    add_story(project, 2025, "ok", title="好", date="2025-01-01")
    write(project / "content/stories/2025/broken.md", "---\ntitle: [\n---\n")
    before = tree_digest(project)
    _, findings = check_project(project, NOW)
    assert "frontmatter.yaml" in _rules(findings)
    # The check keeps its renderings and findings in the build cache (.mzpress-cache/, ignored by git), as the
    # build does; nothing else changes, and without the cache nothing at all.
    assert tree_digest(project) == before
    assert [p.name for p in (project / ".mzpress-cache").iterdir()] == ["build.sqlite"]
    shutil.rmtree(project / ".mzpress-cache")
    monkeypatch.setenv("MZPRESS_NO_CACHE", "1")
    check_project(project, NOW)
    assert tree_digest(project) == before and not (project / ".mzpress-cache").exists()


def test_urls():
    assert page_url("index.md") == ""
    assert page_url("stories/2025/x.md") == "stories/2025/x/"
    assert page_url("topics/index.md") == "topics/"
    assert relative_url("topics/xiaoxian/", "stories/2025/x/") == "../../stories/2025/x/"
    assert relative_url("", "stories/") == "stories/"
    assert relative_url("stories/2025/x/", "stories/2025/images/a.jpg") == "../images/a.jpg"
    assert relative_url("stories/", "stories/") == "./"
    assert paged_src("stories/2025/index.md", 3) == "stories/2025/page/3/index.md"


def test_year_archive_paginates_newest_first(project):
    for day in range(1, 26):
        add_story(project, 2025, f"s{day:02d}", title=f"稿件{day:02d}", date=f"2025-01-{day:02d}")
    site, _ = _load(project)
    pages = {p.src: p for p in generated_pages(site)}
    first, second = pages["stories/2025/index.md"].listing, pages["stories/2025/page/2/index.md"].listing
    assert [item["title"] for item in first["items"]] == [f"稿件{day:02d}" for day in range(25, 5, -1)]
    assert [item["title"] for item in second["items"]] == [f"稿件{day:02d}" for day in range(5, 0, -1)]
    assert second["items"][0]["url"] == "../../s05/"  # relative to stories/2025/page/2/
    assert second["items"][0]["date"] == "2025-01-05" and second["title"] == "2025年民政故事（第2页）"
    assert first["pagination"] == {"current": 1, "total": 2, "prev_url": None, "next_url": "page/2/",
                                   "pages": [{"number": 1, "url": "./", "current": True},
                                             {"number": 2, "url": "page/2/", "current": False}]}
    assert second["pagination"]["prev_url"] == "../../" and second["pagination"]["next_url"] is None
    assert first["years"] is None and pages["stories/index.md"].listing["years"] == [
        {"year": 2025, "url": "2025/", "count": 25}]


def test_parse_datetime_forms():
    assert parse_datetime("2025-03-12 09:30").hour == 9
    assert parse_datetime("2025/3/2").day == 2
    assert parse_datetime(dt.date(2025, 1, 1)).tzinfo is TIMEZONE
    assert parse_datetime("2025-13-01") is None
    assert parse_datetime("明天") is None


def test_related_stories_are_the_nearest_in_the_topic_shown_newest_first(project):
    from mzpress.publishing.listings import StoryNeighbours

    for day in range(1, 13):
        add_story(project, 2025, f"r{day:02d}", title=f"稿{day:02d}", date=f"2025-02-{day:02d}", topics=("cishan",))
    site, _ = _load(project)
    neighbours = StoryNeighbours(site)
    watched = site.by_src["stories/2025/r06.md"]
    related = [s.slug for s in neighbours.related(watched)]
    assert len(related) == 5 and "r06" not in related
    assert related == sorted(related, reverse=True)
    assert set(related) <= {"r01", "r02", "r03", "r04", "r05", "r07", "r08", "r09", "r10", "r11"}
    assert {"r05", "r07"} <= set(related)
    older, newer = neighbours.previous_next(watched)
    assert (older.slug, newer.slug) == ("r05", "r07")


def test_parse_datetime_accepts_iso_with_offset():
    assert parse_datetime("2026-11-29T04:51:00+00:00") == dt.datetime(2026, 11, 29, 12, 51, tzinfo=TIMEZONE)
