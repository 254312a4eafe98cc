"""outlets.yml and the ``adopted_by`` front matter of stories: typed values, and every bad value a finding at its line."""

import datetime as dt
from decimal import Decimal

import pytest

from mzpress.checks.adoptions import check_adoption_dates
from mzpress.checks.runner import check_project
from mzpress.model.config import load_config
from mzpress.model.content import load_site
from mzpress.model.frontmatter import split
from mzpress.model.outlets import Adoption
from mzpress.model.schema import TIMEZONE, validate
from tests.support.project import add_story, new_project, story_text, write

NOW = dt.datetime(2026, 11, 30, 23, 59, tzinfo=TIMEZONE)
OUTLETS = "site_config/outlets.yml"
STORY = "content/stories/2026/x.md"


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    return new_project(tmp_path_factory.mktemp("adoptions") / "p", with_sample_pages=False)


@pytest.fixture(scope="module")
def config(project):
    config, findings = load_config(project)
    assert findings == []
    return config


def _outlets_findings(tmp_path, text):
    root = new_project(tmp_path / "p", with_sample_pages=False)
    write(root / OUTLETS, text)
    config, findings = load_config(root)
    return config, [(f.rule, f.file, f.line, f.message, f.suggestion) for f in findings]


def test_sample_outlets_are_typed(config):
    outlets = config.outlets
    assert outlets.present and len(outlets.outlets) == 8
    paper = outlets.by_id["county-paper"]
    assert (paper.name, paper.level, paper.level_label, paper.points) == (
        "示例县报", "county", "县级", {"text": Decimal("1"), "photo": Decimal("0.5")})
    assert outlets.instruction_points == {"county": 2, "city": 4, "province": 8, "national": 16}
    day = dt.date(2026, 4, 3)
    assert outlets.points(Adoption("city-mz-site", day, "photo")) == Decimal("1")
    assert outlets.points(Adoption("city-mz-site", day, "photo", instruction="市长批示")) == Decimal("5")
    assert outlets.points(Adoption("mz-bulletin", day)) == Decimal("0.5")
    assert outlets.points(Adoption("gone", day)) == Decimal("0")


def test_every_bad_value_of_outlets_yml_is_a_finding_at_its_line(tmp_path):
    _, findings = _outlets_findings(tmp_path, """
        instruction_points: {county: 2, cty: 4, province: -1}
        outlets:
          - {id: county-paper, name: 示例县报, level: conty, points: {text: 1, photo: 0.5}}
          - {id: county-tv, name: 县电视台, level: county, points: {text: 1, foto: 1}}
          - {id: Bad_Id, name: 坏代号, level: city, points: {text: 1, photo: 1}}
          - {id: tv2, name: 二台, level: city, points: {text: "很多", photo: 1}, weight: 3}
          - {id: tv3, name: 三台, level: city}
          - {id: tv4, name: 四台, level: city, points: {text: 1, photo: 1}}
          - {id: tv4, name: 四台重复, level: city, points: {text: 1, photo: 1}}
          - 只写了名字
        extra: 1
        """)
    by_line = {}
    for rule, file, line, message, suggestion in findings:
        assert rule == "config.invalid" and file == OUTLETS
        by_line.setdefault(line, []).append(message + "|" + suggestion)
    text = {line: " ".join(items) for line, items in by_line.items()}
    assert "“cty”不存在" in text[1] and "你是不是想写 city？" in text[1]
    assert "不小于0的数字" in text[1] and "-1" in text[1]
    assert "级别“conty”不存在" in text[3] and "你是不是想写 county？" in text[3]
    assert "“foto”不存在" in text[4] and "你是不是想写 photo？" in text[4] and "缺少图片稿件（photo）的分值" in text[4]
    assert "代号“Bad_Id”格式不对" in text[5]
    assert "不认识的字段“weight”" in text[6] and "现在是“很多”" in text[6]
    assert "缺少每篇录用的分值（points）" in text[7]
    assert "代号“tv4”重复（第8行已经用过）" in text[9]
    assert "第8项格式不对" in text[10]
    assert "不认识的字段“extra”" in text[11]
    assert len(findings) == 12


def test_a_missing_outlets_yml_is_allowed_and_an_empty_one_is_reported(tmp_path):
    root = new_project(tmp_path / "p", with_sample_pages=False)
    (root / OUTLETS).unlink()
    config, findings = load_config(root)
    assert findings == [] and not config.outlets.present and config.outlets.outlets == ()
    write(root / OUTLETS, "instruction_points: {county: 1}\n")
    config, findings = load_config(root)
    assert [(f.file, f.line, f.message) for f in findings] == [(OUTLETS, 1, "没有找到录用渠道列表（outlets:）。")]
    assert config.outlets.present


def _validate(config, adopted: str, date="2026-04-02 09:00"):
    text = story_text(title="稿件", date=date, extra="adopted_by:\n" + adopted)
    document = split(text, STORY)
    values, findings = validate("story", document.meta, STORY, config)
    return values["adopted_by"], [(f.rule, f.line, f.message, f.suggestion) for f in findings]


def test_valid_adoptions_are_typed(config):
    adoptions, findings = _validate(config, (
        "  - {outlet: city-mz-site, date: 2026-04-03, kind: photo, url: https://mz.shi.example.gov.cn/a.html,"
        " instruction: 市长批示}\n"
        "  - {outlet: city-mz-site, date: 2026-04-02 18:00}\n"
        "  - outlet: county-paper\n    date: 2026-04-05\n"))
    assert findings == []
    assert adoptions == [
        Adoption("city-mz-site", dt.date(2026, 4, 3), "photo", "https://mz.shi.example.gov.cn/a.html", "市长批示", 9),
        Adoption("city-mz-site", dt.date(2026, 4, 2), "text", "", "", 10),
        Adoption("county-paper", dt.date(2026, 4, 5), "text", "", "", 11),
    ]


def test_every_bad_adoption_is_an_error_at_its_line_and_is_left_out(config):
    adoptions, findings = _validate(config, (
        "  - {outlet: city-mz-site, date: 2026-04-03}\n"                                    # 9 valid
        "  - {outlet: city-mz-sit, date: 2026-04-03}\n"                                     # 10 unknown outlet
        "  - {outlet: 示例县报, date: 2026-04-03}\n"                                          # 11 a name, not an id
        "  - {outlet: county-paper, date: 2026-04-01}\n"                                    # 12 before the story
        "  - {outlet: county-paper, date: 2026-04-05, kind: 图片稿件}\n"                        # 13 kind by name
        "  - {outlet: county-tv, date: 2026-04-05, url: 'javascript:alert(1)'}\n"           # 14 not http(s)
        "  - {outlet: mca-site, date: 2026-04-05, instruction: <b>部长</b>}\n"                # 15 markup
        "  - {outlet: city-mz-site, date: 2026-04-06}\n"                                    # 16 duplicate
        "  - {outlet: mobile-paper, date: 2026-02-30}\n"                                    # 17 impossible date
        "  - {outlet: mobile-paper, dat: 2026-04-05}\n"                                     # 18 typo, no date
        "  - {date: 2026-04-05, instruction: true}\n"                                       # 19 no outlet, bad instruction
        "  - 县报录用\n"                                                                     # 20 not a mapping
        "  - {outlet: county-tv, date: 2026-04-05, url: 'https://a.example.gov.cn/x y'}\n"))  # 21 space in address
    assert adoptions == [Adoption("city-mz-site", dt.date(2026, 4, 3), "text", "", "", 9)]
    by_line = {}
    for rule, line, message, suggestion in findings:
        by_line.setdefault(line, []).append((rule, message, suggestion))
    assert sorted(by_line) == list(range(10, 22))
    (rule, message, suggestion), = by_line[10]
    assert rule == "schema.unknown-outlet" and "“city-mz-sit”不在录用渠道名单" in message
    assert "你是不是想写 city-mz-site（示例市民政局网站）？" in suggestion
    assert "改成 county-paper" in by_line[11][0][2]
    assert by_line[12][0][1] == "录用日期2026-04-01早于稿件的发布时间（date: 2026-04-02）。"
    assert "改成 photo" in by_line[13][0][2]
    assert "javascript:alert(1)" in by_line[14][0][1] and "https://" in by_line[14][0][2]
    assert by_line[15][0][0] == "schema.markup" and "批示（instruction）" in by_line[15][0][1]
    assert "第8条录用记录与第1条重复" in by_line[16][0][1]
    assert "2026-02-30" in by_line[17][0][1] and "不存在" in by_line[17][0][1]
    assert {m for _, m, _ in by_line[18]} == {"第10条录用记录里有不认识的字段“dat”。", "第10条录用记录缺少录用日期（date）。"}
    assert "你是不是想写 date？" in by_line[18][0][2]
    assert {m for _, m, _ in by_line[19]} == {"第11条录用记录缺少录用渠道（outlet）。", "批示（instruction）应当写明哪位领导作了批示。"}
    assert by_line[20][0][1] == "第12条录用记录格式不对。"
    assert "不是以 http:// 或 https:// 开头的完整网址" in by_line[21][0][1]
    assert all(rule.startswith("schema.") for rule, *_ in findings)


def test_adopted_by_must_be_a_list_and_needs_outlets_yml(config, tmp_path):
    text = story_text(title="稿件", date="2026-04-02", extra="adopted_by: 县报\n")
    values, findings = validate("story", split(text, STORY).meta, STORY, config)
    assert values["adopted_by"] == [] and [(f.rule, f.line) for f in findings] == [("schema.adoption", 8)]
    root = new_project(tmp_path / "p", with_sample_pages=False)
    (root / OUTLETS).unlink()
    bare, _ = load_config(root)
    adoptions, findings = _validate(bare, "  - {outlet: county-paper, date: 2026-04-03}\n")
    assert adoptions == []
    (rule, line, message, suggestion), = findings
    assert (rule, line) == ("schema.unknown-outlet", 9)
    assert "还没有录用渠道名单（site_config/outlets.yml）" in message and "新建 site_config/outlets.yml" in suggestion


def test_adoptions_only_belong_to_stories(config):
    text = ("---\ntitle: 通知\ndate: 2026-04-02\nunit: office\nauthor: 甲\neditor: 乙\nsummary: 摘要。\n"
            "start: 2026-04-02\nend: 2026-04-09\nadopted_by:\n  - {outlet: county-paper, date: 2026-04-03}\n---\n")
    _, findings = validate("notice", split(text, "content/notices/2026/n.md").meta, "content/notices/2026/n.md", config)
    assert [(f.rule, f.line) for f in findings] == [("schema.unknown-field", 10)]


def test_a_future_adoption_is_an_error_of_the_check(project):
    add_story(project, 2026, "adopted", title="被录用的稿件", date="2026-11-20 09:00",
              extra="adopted_by:\n  - {outlet: county-paper, date: 2026-11-30}\n  - {outlet: county-tv, date: 2026-12-01}\n")
    site, _ = load_site(project, NOW)
    (finding,) = check_adoption_dates(site, None)
    assert (finding.rule, finding.file, finding.line) == ("adoptions.future", "content/stories/2026/adopted.md", 10)
    assert "录用日期2026-12-01还没有到（今天是2026-11-30）" in finding.message
    later, _ = load_site(project, NOW + dt.timedelta(days=1))
    assert check_adoption_dates(later, None) == []
    _, findings = check_project(project, NOW)
    assert [(f.rule, f.line) for f in findings if f.file.endswith("adopted.md") and f.severity == "error"] == [
        ("adoptions.future", 10)]
