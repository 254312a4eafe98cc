"""Outlets' export settings (``char_limit``) and the ``submitted_to`` record: typed values, every bad value a
finding at its line, and the record written into a story without touching anything else."""

import datetime as dt

import pytest

from mzpress.editing.cms_config import backend_settings, cms_config
from mzpress.editing.submission_record import record_submission
from mzpress.model.config import load_config
from mzpress.model.findings import FindingsError
from mzpress.model.frontmatter import split
from mzpress.model.outlets import Submission
from mzpress.model.schema import PASSTHROUGH_KEYS, RECORDED_FIELDS, SCHEMAS, validate
from tests.support.project import new_project, story_text, write

OUTLETS = "site_config/outlets.yml"
STORY = "content/stories/2026/x.md"
DAY = dt.date(2026, 12, 8)


@pytest.fixture(scope="module")
def config(tmp_path_factory):
    config, findings = load_config(new_project(tmp_path_factory.mktemp("submitted") / "p", with_sample_pages=False))
    assert findings == []
    return config


def _validate(config, extra):
    document = split(story_text(title="稿件", date="2026-04-02 09:00", extra=extra), STORY)
    values, findings = validate("story", document.meta, STORY, config)
    return values.get("submitted_to"), [(f.rule, f.line, f.message, f.suggestion) for f in findings]


def test_the_sample_mobile_paper_has_a_char_limit(config):
    assert config.outlets.by_id["mobile-paper"].char_limit == 300
    assert [o.id for o in config.outlets.limited] == ["mobile-paper"]
    assert config.outlets.by_id["city-mz-site"].char_limit is None


def test_bad_char_limits_are_findings_at_their_lines(tmp_path):
    root = new_project(tmp_path / "p", with_sample_pages=False)
    write(root / OUTLETS, """
        outlets:
          - {id: a-paper, name: 甲报, level: county, points: {text: 1, photo: 0.5}, char_limit: 20}
          - {id: b-paper, name: 乙报, level: county, points: {text: 1, photo: 0.5}, char_limit: 三百}
          - {id: c-paper, name: 丙报, level: county, points: {text: 1, photo: 0.5}, char_limit: 300.5}
          - {id: d-paper, name: 丁报, level: county, points: {text: 1, photo: 0.5}, char_limt: 300}
          - {id: e-paper, name: 戊报, level: county, points: {text: 1, photo: 0.5}, char_limit: 5000}
        """)
    config, findings = load_config(root)
    found = [(f.rule, f.file, f.line, f.message) for f in findings]
    assert found[:3] == [
        ("config.invalid", OUTLETS, 2, "字数上限（char_limit）应当是50到5000之间的整数，现在是“20”。"),
        ("config.invalid", OUTLETS, 3, "字数上限（char_limit）应当是50到5000之间的整数，现在是“三百”。"),
        ("config.invalid", OUTLETS, 4, "字数上限（char_limit）应当是50到5000之间的整数，现在是“300.5”。")]
    assert found[3][2] == 5 and "char_limt" in found[3][3] and "char_limit" in findings[3].suggestion
    assert len(found) == 4
    # A bad limit leaves the outlet without one (adoptions still count); a good one is kept.
    assert config.outlets.by_id["a-paper"].char_limit is None and config.outlets.by_id["e-paper"].char_limit == 5000


def test_submitted_to_is_validated(config):
    values, findings = _validate(config, "submitted_to:\n  - {outlet: city-mz-site, date: 2026-03-30, kind: photo}\n"
                                         "  - {outlet: mobile-paper, date: 2026-04-05}\n")
    assert findings == []  # sent before the site published it is fine: a story may go up first
    assert values == [Submission("city-mz-site", dt.date(2026, 3, 30), "photo", 9),
                      Submission("mobile-paper", dt.date(2026, 4, 5), "text", 10)]


def test_every_bad_submitted_to_value_is_a_finding_at_its_line(config):
    values, findings = _validate(config, (
        "submitted_to:\n"
        "  - {outlet: city-mz-sit, date: 2026-04-03}\n"
        "  - {outlet: county-paper, date: 2026-02-30, kind: text}\n"
        "  - {outlet: county-paper, date: 2026-04-03, kind: video}\n"
        "  - {outlet: county-tv, date: 2026-04-03, url: https://x.example/}\n"
        "  - {outlet: mca-site, date: 2026-04-03}\n"
        "  - {outlet: mca-site, date: 2026-04-04}\n"
        "  - 县报\n"))
    assert values == [Submission("mca-site", dt.date(2026, 4, 3), "text", 13)]
    rules = [(rule, line) for rule, line, _, _ in findings]
    assert rules == [("schema.unknown-outlet", 9), ("schema.submission", 10), ("schema.submission", 11),
                     ("schema.submission", 12), ("schema.submission", 14), ("schema.submission", 15)]
    messages = [message for _, _, message, _ in findings]
    assert messages[0] == "报送渠道“city-mz-sit”不在录用渠道名单（site_config/outlets.yml）中。"
    assert "city-mz-site" in findings[0][3]
    assert messages[1] == "报送日期：日期“2026-02-30”不存在（请核对月份和日期，例如2月没有30日）。"
    assert messages[2] == "稿件类别“video”不存在。"
    assert messages[3] == "第4条报送记录里有不认识的字段“url”。"
    assert messages[4] == "第6条报送记录与第5条重复（同一渠道“mca-site”、同为文字稿件）。"
    assert messages[5] == "第7条报送记录格式不对。"
    _, findings = _validate(config, "submitted_to: city-mz-site\n")
    assert [(rule, line) for rule, line, _, _ in findings] == [("schema.submission", 8)]


def test_submitted_to_is_known_to_stories_only_and_offered_in_the_editor_for_stories(config):
    assert [spec.name for spec in RECORDED_FIELDS["story"]] == ["submitted_to"]
    assert all(spec.name != "submitted_to" for specs in SCHEMAS.values() for spec in specs)
    editor = cms_config(config, backend_settings("proxy", proxy_url="/api/v1"))
    offering = {c["name"] for c in editor["collections"] if "submitted_to" in str(c["fields"])}
    assert offering == {"stories"}  # under 更多设置 (tests/unit/test_cms_config.py)
    document = split(story_text(title="公告", date="2026-04-02 09:00",
                                extra="submitted_to:\n  - {outlet: city-mz-site, date: 2026-04-03}\n"), STORY)
    _, findings = validate("notice", document.meta, "content/notices/2026/x.md", config)
    assert [f.rule for f in findings if f.rule.startswith("schema.unknown")] == ["schema.unknown-field"]


def _record(config, text, outlet="city-mz-site", kind="text"):
    result = record_submission(text, STORY, outlet, DAY, kind)
    if result is not None:
        values, findings = validate("story", split(result, STORY).meta, STORY, config)
        assert [f for f in findings if f.severity.value == "error"] == []
        assert Submission(outlet, DAY, kind) in [Submission(s.outlet, s.date, s.kind) for s in values["submitted_to"]]
    return result


def test_a_record_is_added_at_the_end_of_the_front_matter(config):
    text = story_text(title="稿件", date="2026-04-02 09:00", body="正文。\n\n---\n\n分隔线之后。")
    result = _record(config, text)
    assert result == text.replace("summary: 测试摘要。\n---\n",
                                  "summary: 测试摘要。\nsubmitted_to:\n  - {outlet: city-mz-site, date: 2026-12-08, kind: text}\n---\n")


def test_a_record_joins_an_existing_list_as_written(config):
    text = story_text(title="稿件", date="2026-04-02 09:00", extra=(
        "submitted_to:\n"
        "    - {outlet: county-paper, date: 2026-04-03}   # 报社\n"
        "    - outlet: mobile-paper\n"
        "      date: 2026-04-04\n"
        "\n"
        "tags: [助餐]\n"))
    result = _record(config, text)
    assert result == text.replace("      date: 2026-04-04\n",
                                  "      date: 2026-04-04\n    - {outlet: city-mz-site, date: 2026-12-08, kind: text}\n")
    crlf = _record(config, text.replace("\n", "\r\n"))
    assert crlf == result.replace("\n", "\r\n")  # the file's line ends are kept


def test_a_flow_list_becomes_a_block_list_with_the_same_entries(config):
    text = story_text(title="稿件", date="2026-04-02 09:00",
                      extra="submitted_to: [{outlet: county-paper, date: 2026-04-03, kind: photo}]\ntags: [助餐]\n")
    result = _record(config, text)
    assert "submitted_to:\n  - {outlet: county-paper, date: 2026-04-03, kind: photo}\n" \
           "  - {outlet: city-mz-site, date: 2026-12-08, kind: text}\ntags: [助餐]\n" in result
    empty = _record(config, story_text(title="稿件", date="2026-04-02 09:00", extra="submitted_to: []\n"))
    assert "submitted_to:\n  - {outlet: city-mz-site, date: 2026-12-08, kind: text}\n---" in empty


def test_the_same_outlet_and_kind_is_recorded_once(config):
    text = story_text(title="稿件", date="2026-04-02 09:00",
                      extra="submitted_to:\n  - {outlet: city-mz-site, date: 2026-04-03}\n")
    assert _record(config, text) is None
    assert _record(config, text, kind="photo") is not None  # the photo is another submission


def test_a_broken_front_matter_or_list_is_not_guessed_at(config):
    with pytest.raises(FindingsError):
        record_submission("没有信息区的文件\n", STORY, "city-mz-site", DAY)
    odd = story_text(title="稿件", date="2026-04-02 09:00", extra="submitted_to: [{outlet: \"县 报\"}]\n")
    with pytest.raises(FindingsError) as caught:
        record_submission(odd, STORY, "city-mz-site", DAY)
    assert caught.value.findings[0].line == 8 and "submitted_to" in caught.value.findings[0].message


def test_hostile_values_never_pass_and_never_reach_a_page(config):
    """The publish gate's cases for the new field: nothing a writer types there is shown, and markup is rejected."""
    values, findings = _validate(config, (
        "submitted_to:\n"
        "  - {outlet: \"<script>alert(1)</script>\", date: 2026-04-03}\n"
        "  - {outlet: city-mz-site, date: \"javascript:alert(1)\"}\n"
        "  - {outlet: city-mz-site, date: 2026-04-03, kind: \"<img src=x onerror=alert(1)>\"}\n"
        "  - {outlet: city-mz-site, date: 2026-04-03, note: \"<b>x</b>\"}\n"))
    assert values == [] and [rule for rule, *_ in findings] == [
        "schema.unknown-outlet", "schema.submission", "schema.submission", "schema.submission"]
    assert "submitted_to" not in PASSTHROUGH_KEYS  # the MkDocs plugin hands the theme only these keys
