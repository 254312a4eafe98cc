"""The typed configuration: values parsed from site_config/, defaults for absent sections, frozen objects."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re

import pytest

from mzpress.history.ledger import BackdatingJudge, DatedPage, ImportRule, PathDates, find_backdated
from mzpress.model.config import Person, SiteConfig, load_config
from mzpress.model.inspection_settings import InspectionSettings, VetoThresholds
from mzpress.model.ledger_settings import (
    DEFAULT_TOLERANCE_HOURS,
    SHANGHAI,
    LedgerSettings,
    parse_ledger_start,
)
from mzpress.model.site_settings import (
    DEFAULT_FULL_TEXT_LATEST,
    DEFAULT_MAX_BYTES,
    DEFAULT_MAX_EDGE,
    ERROR_REPORT_DEFAULT,
    Footer,
    ImageSettings,
    LinkSettings,
    ListingSettings,
    PoliceRecord,
    QuickLink,
    SearchSettings,
    SiteSettings,
)
from tests.support.project import MINIMAL_SITE_YML, REPO_ROOT, config_with_site_yml, new_project


def test_the_sample_configuration_is_read_into_typed_values():
    config, findings = load_config(REPO_ROOT)
    assert findings == []
    site = config.site
    assert (site.name, site.county, site.url) == ("示例县民政局", "示例县", "https://mz.example.gov.cn/")
    assert site.footer.sponsor == "示例县民政局" and site.footer.postcode == "000000"
    assert site.footer.site_code == "0000000000" and site.footer.party_mark == "assets/images/dangzheng.svg"
    assert site.footer.conac_url.startswith("https://bszs.conac.cn/sitename?method=show&id=")
    assert site.footer.police_record == PoliceRecord(
        "赣公网安备00000000000000号", "https://beian.mps.gov.cn/#/query/webSearch?code=00000000000000",
        "assets/images/mz-police-badge.svg")
    assert site.footer.police == site.footer.police_record.code  # what the inspection looks for on the site
    assert site.footer.error_report == ERROR_REPORT_DEFAULT  # the national platform's form
    assert site.logo == "assets/images/mz-emblem.svg"
    for image in (site.logo, site.footer.police_record.badge):  # the placeholders the sample ships
        assert (REPO_ROOT / "overrides" / image).is_file(), image
    assert site.links == LinkSettings(("gov.cn", "example.gov.cn"))
    site_yml = (REPO_ROOT / "site_config/site.yml").read_text(encoding="utf-8").splitlines()
    start_line = next(n for n, line in enumerate(site_yml, 1) if line.startswith("  start:"))
    assert site.ledger.start == parse_ledger_start("2026-12-01") and site.ledger.start_line == start_line
    assert site.ledger.backdate_tolerance_hours == 48.0 and site.ledger.valid
    assert site.listing == ListingSettings(page_size=20, home_latest=8)
    assert site.search == SearchSettings(full_text_latest=300)
    assert site.images == ImageSettings(DEFAULT_MAX_BYTES, DEFAULT_MAX_EDGE)  # no images: section
    assert site.quick_links[0] == QuickLink("示例县人民政府", "https://www.example.gov.cn/")
    assert len(site.quick_links) == 3
    assert isinstance(config.units, tuple) and config.unit_by_id["office"].name == "办公室"
    assert config.unit_by_id["office"].officer == Person("周明", "zhouming")
    assert config.unit_by_id["office"].quotas["monthly"] == {"submitted": 4, "adopted": 2}
    assert [p.stage for p in config.bureau_reviewers] == ["复审", "终审", "技术"]
    assert config.topic_choices["xiaoxian"] == "孝贤文化" and config.unit_choices["office"] == "办公室"
    assert {c.id: c.update_days for c in config.columns}["news"] == 14


def test_absent_sections_take_the_defaults(tmp_path):
    config, findings = config_with_site_yml(tmp_path, MINIMAL_SITE_YML)
    assert findings == []
    site = config.site
    police = "赣公网安备00000000000001号"
    assert site.footer == Footer("测试县民政局", "测试县人民路1号", "", "0000-1234567", "1234567890",
                                 "赣ICP备00000001号", police, "", ERROR_REPORT_DEFAULT, "",
                                 PoliceRecord(police, "https://beian.mps.gov.cn/#/query/webSearch?code=00000000000001"))
    assert site.logo == ""  # mkdocs.yml's theme.logo (or Material's icon) stays
    assert site.county == "" and site.description == "" and site.quick_links == ()
    assert site.links.allowed_domains == ("gov.cn",)
    assert site.ledger == LedgerSettings(None, None, DEFAULT_TOLERANCE_HOURS, True)
    assert site.listing == ListingSettings(20, 8)
    assert site.search.full_text_latest == DEFAULT_FULL_TEXT_LATEST
    assert site.images == ImageSettings()
    # Without any configuration at all (outside a project): the same defaults.
    assert SiteConfig(tmp_path).site == SiteSettings()


def test_values_are_parsed_and_normalised(tmp_path):
    config, findings = config_with_site_yml(tmp_path, MINIMAL_SITE_YML + (
        "links:\n  allowed_domains: [GOV.CN, '*.people.com.cn', xinhuanet.com.]\n"
        "ledger:\n  start: 2026-12-01 18:00\n  backdate_tolerance_hours: 1.5\n"
        "listing:\n  page_size: 50\n"
        "search:\n  full_text_latest: 0\n"
        "images:\n  max_bytes: 1048576\n  max_edge: 2400\n"
        "quick_links:\n  - {name: 关于我们, url: /about/}\n"))
    assert findings == []
    site = config.site
    assert site.links.allowed_domains == ("gov.cn", "people.com.cn", "xinhuanet.com")
    assert site.ledger.start.moment == dt.datetime(2026, 12, 1, 18, 0, tzinfo=SHANGHAI)
    assert site.ledger.backdate_tolerance_hours == 1.5 and site.ledger.start_line == 13
    assert site.listing == ListingSettings(50, 8)  # home_latest not given: its default
    assert site.search.full_text_latest == 0
    assert site.images == ImageSettings(1048576, 2400)
    assert site.quick_links == (QuickLink("关于我们", "/about/"),)


def test_an_empty_ledger_start_means_no_start(tmp_path):
    config, findings = config_with_site_yml(tmp_path, MINIMAL_SITE_YML + "ledger:\n  start:\n")
    assert findings == [] and config.site.ledger.start is None and config.site.ledger.valid


@pytest.mark.parametrize("ledger_yaml", [
    "ledger: 2027-01-01\n",
    "ledger:\n  start: 去年\n",
    "ledger:\n  backdate_tolerance_hours: .nan\n",
    "ledger:\n  backdate_tolerance_hours: 100000\n",
])
def test_a_bad_ledger_section_is_reported_once_and_marks_the_settings_invalid(tmp_path, ledger_yaml):
    config, findings = config_with_site_yml(tmp_path, MINIMAL_SITE_YML + ledger_yaml)
    assert [f.rule for f in findings] == ["config.ledger"]
    assert not config.site.ledger.valid  # no backdating judgement is made on guessed settings


def test_the_configuration_is_frozen():
    config, _ = load_config(REPO_ROOT)
    with pytest.raises(dataclasses.FrozenInstanceError):
        config.site = SiteSettings()  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        config.site.listing.page_size = 5  # type: ignore[misc]
    assert not hasattr(config, "setting") and not hasattr(config, "footer")


def test_several_problems_in_one_file_are_all_reported_at_their_lines(tmp_path):
    text = MINIMAL_SITE_YML.replace("url: https://mz.test.gov.cn/", "url: ftp://mz.test.gov.cn/") + (
        "listing:\n  page_size: -5\n  home_latest: 很多\n"
        "quick_links:\n  - 示例县人民政府\n  - {name: 民政部, url: 'javascript:alert(1)', note: x}\n")
    _, findings = config_with_site_yml(tmp_path, text)
    lines = text.splitlines()

    def line(pattern: str) -> int:
        return next(n for n, content in enumerate(lines, 1) if re.search(pattern, content))

    found = {(f.line, f.rule) for f in findings}
    assert found == {(line("^url:"), "config.invalid"), (line("page_size"), "config.invalid"),
                     (line("home_latest"), "config.invalid"), (line("示例县人民政府"), "config.invalid"),
                     (line("民政部"), "config.invalid")}
    assert len(findings) == 6  # the second quick link: an unknown key and a bad url


def test_the_backdating_judgement_is_the_ledger_rule_and_the_tolerance():
    settings = LedgerSettings(parse_ledger_start("2026-12-01"), 19, 24.0)
    judge = BackdatingJudge(settings, ImportRule(settings.start))  # a date start needs no repository
    first = dt.datetime(2027, 2, 10, 9, 0, tzinfo=SHANGHAI)
    imported = dt.datetime(2026, 11, 29, 9, 0, tzinfo=SHANGHAI)
    spans = {"new.md": PathDates(first, first, "a" * 40, "a" * 40),
             "old.md": PathDates(imported, imported, "b" * 40, "b" * 40)}
    pages = [DatedPage("new.md", first - dt.timedelta(hours=30)),
             DatedPage("old.md", dt.datetime(2019, 1, 1, tzinfo=SHANGHAI)),
             DatedPage("unmerged.md", first)]
    report = judge.judge(pages, spans)
    assert [b.page.relpath for b in report.backdated] == ["new.md"]  # 30 hours early, 24 allowed
    assert report.imported == ["old.md"] and report.unpublished == ["unmerged.md"]
    assert report == find_backdated(pages, spans, 24.0, judge.rule)
    assert judge.earliest_date(spans["new.md"]) == first - dt.timedelta(hours=24)
    assert judge.is_imported(spans["old.md"]) and not judge.is_imported(spans["new.md"])
    assert not BackdatingJudge(LedgerSettings()).is_imported(spans["old.md"])  # no ledger start


def test_columns_and_inspection_thresholds_are_typed(tmp_path):
    config, findings = load_config(REPO_ROOT)
    assert findings == []
    by_id = {c.id: c for c in config.columns}
    assert (by_id["xiaoxian"].contains, by_id["xiaoxian"].topic, by_id["xiaoxian"].update_days) == ("stories", "xiaoxian", 180)
    assert (by_id["meiyue-yixun"].campaign, by_id["meiyue-yixun"].kind) == ("meiyue-yixun", "dynamic")
    assert by_id["zuimei-chuangkou"].kind == "history" and by_id["zuimei-chuangkou"].update_days is None
    assert by_id["about"].path == "about/" and by_id["about"].update_days is None
    assert config.inspection.home_update_days == 14 and config.inspection.veto.long_stale_columns == 10
    # Defaults: each kind's update rule, the national thresholds, the filters empty
    root = new_project(tmp_path / "p", with_sample_pages=False)
    (root / "site_config/columns.yml").write_text(
        "columns:\n  - {id: a, name: 动态, path: /a, contains: stories, kind: dynamic}\n"
        "  - {id: b, name: 公告, path: b/, contains: notices, kind: notice, unit: office}\n"
        "  - {id: c, name: 政策, path: c/, contains: notices, kind: policy, tag: 政策文件}\n"
        "  - {id: d, name: 概况, path: d/, contains: pages, kind: static}\n", encoding="utf-8")
    config, findings = load_config(root)
    assert findings == []
    assert [(c.path, c.update_days) for c in config.columns] == [("a/", 14), ("b/", 180), ("c/", 180), ("d/", None)]
    assert (config.columns[1].unit, config.columns[2].tag, config.columns[0].topic) == ("office", "政策文件", "")
    assert config.inspection == InspectionSettings()
    assert (config.inspection.warn_days, config.inspection.long_stale_days) == (3, 365)
    assert config.inspection.veto == VetoThresholds(5, 10, 5)
    assert dataclasses.is_dataclass(config.inspection)
    with pytest.raises(dataclasses.FrozenInstanceError):
        config.inspection.warn_days = 5  # type: ignore[misc]


FOOTER_WITHOUT_POLICE = MINIMAL_SITE_YML.replace("  police: 赣公网安备00000000000001号\n", "")


def test_the_police_record_the_conac_link_and_the_emblem(tmp_path):
    config, findings = config_with_site_yml(tmp_path, FOOTER_WITHOUT_POLICE.replace("footer:\n", "logo: assets/images/huibiao.png\nfooter:\n") + (
        "  conac_url: https://bszs.conac.cn/sitename?method=show&id=0123456789ABCDEF0123456789ABCDEF\n"
        "  police_record:\n"
        "    code: 赣公网安备36010202000123号\n"
        "    url: https://beian.mps.gov.cn/#/query/webSearch?code=36010202000123\n"
        "    badge: assets/images/beian.png\n"))
    assert findings == []
    footer = config.site.footer
    assert footer.police_record == PoliceRecord("赣公网安备36010202000123号",
                                                "https://beian.mps.gov.cn/#/query/webSearch?code=36010202000123",
                                                "assets/images/beian.png")
    assert footer.police == "赣公网安备36010202000123号"
    assert footer.conac_url == "https://bszs.conac.cn/sitename?method=show&id=0123456789ABCDEF0123456789ABCDEF"
    assert config.site.logo == "assets/images/huibiao.png"
    # Without url: the national platform's page for the number.
    config, findings = config_with_site_yml(tmp_path / "b", FOOTER_WITHOUT_POLICE + (
        "  police_record: {code: 京公网安备 11010502 000001 号}\n"))
    assert findings == []
    assert config.site.footer.police_record.url == "https://beian.mps.gov.cn/#/query/webSearch?code=11010502000001"


@pytest.mark.parametrize("footer_yaml,pattern,where", [
    ("  police_record: {code: 赣公网安备36010202000123号, badge: 'https://www.beian.gov.cn/img/ghs.png'}\n",
     "footer.police_record.badge", "police_record"),
    ("  police_record:\n    code: 赣公网安备36010202000123号\n    badge: ../secret/x.png\n",
     "footer.police_record.badge", "badge:"),
    ("  police_record: {code: 赣公网安备36010202000123号, badge: assets/images/beian.txt}\n",
     "footer.police_record.badge", "police_record"),
    ("  police_record: {code: 公安备案号待补, badge: assets/images/a.png}\n", "没有备案编号的数字", "police_record"),
    ("  police_record: 赣公网安备36010202000123号\n", "footer.police_record", "police_record"),
    ("  police_record: {code: 赣公网安备36010202000123号, note: x}\n", "不认识的字段“note”", "police_record"),
    ("  police_record: {code: 赣公网安备36010202000123号, url: 'javascript:alert(1)'}\n",
     "footer.police_record.url", "police_record"),
    ("  police: 赣公网安备36010202000123号\n  police_record: {code: 赣公网安备36010202000999号}\n",
     "两个不同的", "police_record"),
    ("  conac_url: bszs.conac.cn/sitename\n", "footer.conac_url", "conac_url"),
    ("  sponsor2: x\n", "缺少公安机关备案号", "sponsor:"),  # where footer: begins, as for every missing field
])
def test_a_bad_police_record_or_conac_link_is_a_finding_at_its_line(tmp_path, footer_yaml, pattern, where):
    text = FOOTER_WITHOUT_POLICE + footer_yaml
    _, findings = config_with_site_yml(tmp_path, text)
    assert any(pattern in f.message for f in findings), [f.message for f in findings]
    lines = text.splitlines()
    expected = next(n for n, line in enumerate(lines, 1) if line.strip().startswith(where))
    assert all(f.file == "site_config/site.yml" and f.line == expected for f in findings
               if pattern in f.message), [(f.line, f.message) for f in findings]
    assert all(f.suggestion for f in findings)


@pytest.mark.parametrize("logo", ["https://img.example.com/logo.png", "//cdn.example.com/a.svg", "/etc/passwd",
                                  "assets/../../x.png", "assets/images/logo.html", "data:image/png;base64,AAAA"])
def test_the_emblem_must_be_an_image_of_the_site(tmp_path, logo):
    text = MINIMAL_SITE_YML.replace("footer:\n", f"logo: '{logo}'\nfooter:\n")
    config, findings = config_with_site_yml(tmp_path, text)
    assert [(f.line, f.rule) for f in findings] == [(3, "config.invalid")]
    assert "logo" in findings[0].message and "overrides/assets/images/" in findings[0].suggestion
    assert config.site.logo == ""
