"""One typed configuration: every bad value in site_config/ is an error at its line, and
`mzpress check` and the build give the same verdict with the same message.

Each case changes one value of the sample configuration. For every case the test loads
the configuration in-process, runs `mzpress check` (in-process CLI) and the plugin's
``on_config`` (where the build stops on configuration errors); a few representative
cases also run a real `mkdocs build`, strict and not strict.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from mkdocs.config import load_config as mkdocs_load_config
from mkdocs.exceptions import PluginError

from mzpress.cli import main
from mzpress.model.config import load_config
from mzpress.model.finding_formats import format_text
from mzpress.model.findings import Finding, Severity
from tests.support.project import build, new_project


@dataclass(frozen=True)
class Case:
    file: str  # under site_config/
    change: Callable[[str], str]
    rule: str
    fragments: tuple[str, ...]  # each in the message or the fix
    marker: str  # the expected line is the first line containing this text (after the change)


def _swap(old: str, new: str) -> Callable[[str], str]:
    def change(text: str) -> str:
        assert old in text, old
        return text.replace(old, new, 1)
    return change


def _cut(pattern: str, new: str = "") -> Callable[[str], str]:
    def change(text: str) -> str:
        changed, count = re.subn(pattern, new, text, count=1)
        assert count == 1, pattern
        return changed
    return change


CASES = {
    # site.yml: wrong types
    "search-text": Case("site.yml", _swap("full_text_latest: 300", "full_text_latest: 很多"), "config.search",
                        ("search.full_text_latest", "很多", "不小于0的整数"), "full_text_latest:"),
    "page-size-text": Case("site.yml", _swap("page_size: 20", "page_size: 二十"), "config.invalid",
                           ("listing.page_size", "二十", "阿拉伯数字"), "page_size:"),
    "home-latest-bool": Case("site.yml", _swap("home_latest: 8", "home_latest: yes"), "config.invalid",
                             ("listing.home_latest", "true"), "home_latest:"),
    "tolerance-text": Case("site.yml", _swap("backdate_tolerance_hours: 48", "backdate_tolerance_hours: 两天"),
                           "config.ledger", ("ledger.backdate_tolerance_hours", "两天"), "backdate_tolerance_hours:"),
    "domains-text": Case("site.yml", _swap("allowed_domains: [gov.cn, example.gov.cn]", "allowed_domains: 字符串"),
                         "config.invalid", ("links.allowed_domains", "字符串", "域名列表"), "allowed_domains:"),
    "listing-list": Case("site.yml", _cut(r"listing:\n(  .*\n)+", "listing: [20, 8]\n"), "config.invalid",
                         ("listing", "一个列表"), "listing:"),
    "footer-text": Case("site.yml", _cut(r"footer:\n(  .*\n)+", "footer: 示例县民政局\n"), "config.invalid",
                        ("footer", "应当写成若干行", "示例县民政局"), "footer:"),
    "images-text": Case("site.yml", lambda text: text + "images:\n  max_edge: 很大\n", "config.invalid",
                        ("images.max_edge", "很大"), "max_edge:"),
    # site.yml: out of range, malformed
    "page-size-zero": Case("site.yml", _swap("page_size: 20", "page_size: 0"), "config.invalid",
                           ("listing.page_size", "1到500之间的整数", "“0”"), "page_size:"),
    "page-size-huge": Case("site.yml", _swap("page_size: 20", "page_size: 100000"), "config.invalid",
                           ("listing.page_size", "100000"), "page_size:"),
    "tolerance-negative": Case("site.yml", _swap("backdate_tolerance_hours: 48", "backdate_tolerance_hours: -1"),
                               "config.ledger", ("ledger.backdate_tolerance_hours", "-1"),
                               "backdate_tolerance_hours:"),
    "ledger-start": Case("site.yml", _swap("start: 2026-12-01", "start: 去年年底"), "config.ledger",
                         ("ledger.start", "去年年底", "2026-12-01"), "start:"),
    "markdown-kb-zero": Case("site.yml", _swap("max_markdown_kb: 1024", "max_markdown_kb: 0"), "config.invalid",
                             ("content.max_markdown_kb", "64到10240之间的整数", "“0”"), "max_markdown_kb:"),
    "markdown-kb-text": Case("site.yml", _swap("max_markdown_kb: 1024", "max_markdown_kb: 一兆"), "config.invalid",
                             ("content.max_markdown_kb", "一兆", "阿拉伯数字"), "max_markdown_kb:"),
    "max-bytes-small": Case("site.yml", lambda text: text + "images:\n  max_bytes: 2\n", "config.invalid",
                            ("images.max_bytes", "“2”"), "max_bytes:"),
    "url": Case("site.yml", _swap("url: https://mz.example.gov.cn/", "url: mz.example.gov.cn"), "config.invalid",
                ("mz.example.gov.cn", "不是完整的网址", "https://"), "url: mz"),
    "quick-link-without-url": Case("site.yml", _swap("{name: 示例市民政局, url: https://mz.shi.example.gov.cn/}",
                                                     "{name: 示例市民政局}"), "config.invalid",
                                   ("快捷链接的网址", "url"), "{name: 示例市民政局}"),
    # site.yml: missing and unknown keys
    "footer-missing": Case("site.yml", _cut(r"footer:\n(  .*\n)+"), "config.invalid", ("缺少页脚信息",), "name:"),
    "unknown-section": Case("site.yml", _swap("search:", "serach:"), "config.invalid",
                            ("不认识的字段“serach”", "你是不是想写 search"), "serach:"),
    "unknown-listing-key": Case("site.yml", _swap("page_size: 20", "page_sise: 20"), "config.invalid",
                                ("listing 一节", "page_sise", "page_size"), "page_sise:"),
    "unknown-ledger-key": Case("site.yml", _swap("backdate_tolerance_hours: 48", "backdate_tolerance_hour: 48"),
                               "config.ledger", ("backdate_tolerance_hour", "backdate_tolerance_hours"),
                               "backdate_tolerance_hour:"),
    # units.yml
    "unit-unknown-key": Case("units.yml", _swap("officer: {name: 周明", "offcer: {name: 周明"), "config.invalid",
                             ("不认识的字段“offcer”", "你是不是想写 officer"), "offcer:"),
    "quota-text": Case("units.yml", _swap("monthly: {submitted: 4, adopted: 2}", "monthly: {submitted: 四, adopted: 2}"),
                       "config.invalid", ("monthly.submitted", "四"), "submitted: 四"),
    "quota-period": Case("units.yml", _swap("      monthly: {submitted: 4", "      mothly: {submitted: 4"),
                         "config.invalid", ("考核周期“mothly”不存在", "monthly"), "mothly:"),
    "reviewer-stage": Case("units.yml", _swap("stage: 复审", "stage: 二审"), "config.invalid",
                           ("审核环节“二审”不存在",), "stage: 二审"),
    # topics.yml
    "topic-without-name": Case("topics.yml", _swap("    name: 孝贤文化\n", ""), "config.invalid",
                               ("缺少专题名称", "name"), "id: xiaoxian"),
    "topic-unknown-key": Case("topics.yml", _swap("    description: 弘扬", "    descripton: 弘扬"), "config.invalid",
                              ("descripton", "description"), "descripton:"),
    # columns.yml
    "column-kind": Case("columns.yml", _swap("kind: dynamic", "kind: dynamik"), "config.invalid",
                        ("栏目类别“dynamik”不存在",), "dynamik"),
    "column-update-days": Case("columns.yml", _swap("kind: dynamic, update_days: 14", "kind: dynamic, update_days: 0"),
                               "config.invalid", ("update_days", "正整数", "“0”"), "update_days: 0"),
    "column-unknown-key": Case("columns.yml", _swap("kind: notice, update_days: 180", "kind: notice, update_day: 180"),
                               "config.invalid", ("update_day", "update_days"), "update_day: 180"),
    "column-old-kind-topic": Case("columns.yml", _swap("campaign: zuimei-chuangkou, kind: history",
                                                       "campaign: zuimei-chuangkou, kind: topic"), "config.invalid",
                                  ("栏目类别“topic”不存在", "你是不是想写 history", "历史性专题"), "kind: topic"),
    "column-contains": Case("columns.yml", _swap("contains: notices, kind: notice", "contains: notice, kind: notice"),
                            "config.invalid", ("栏目内容类型“notice”不存在", "你是不是想写 notices"),
                            "contains: notice,"),
    "column-topic": Case("columns.yml", _swap("topic: shequ,", "topic: shequu,"), "config.invalid",
                         ("文化专题“shequu”", "你是不是想写 shequ"), "topic: shequu"),
    "column-unit": Case("columns.yml", _swap("contains: pages, kind: static", "contains: pages, unit: ofice, kind: static"),
                        "config.invalid", ("来源单位“ofice”", "你是不是想写 office"), "unit: ofice"),
    "column-filter-not-applicable": Case("columns.yml", _swap("contains: notices, kind: notice",
                                                              "contains: notices, topic: xiaoxian, kind: notice"),
                                         "config.invalid", ("不能按文化专题代号（topic）筛选", "stories"),
                                         "topic: xiaoxian, kind: notice"),
    "column-campaign-format": Case("columns.yml", _swap("campaign: meiyue-yixun", "campaign: 每月一训"),
                                   "config.invalid", ("专题活动代号“每月一训”格式不对",), "campaign: 每月一训"),
    "column-undated-dynamic": Case("columns.yml", _swap("contains: pages, kind: static", "contains: pages, kind: dynamic"),
                                   "config.invalid", ("没有发布时间", "kind: static"), "contains: pages, kind: dynamic"),
    "column-exempt-days": Case("columns.yml", _swap("contains: pages, kind: static", "contains: pages, kind: static, update_days: 30"),
                               "config.invalid", ("不受更新时限约束", "update_days"), "update_days: 30"),
    "column-path": Case("columns.yml", _swap("path: about/", "path: ../about/"), "config.invalid",
                        ("栏目路径", "不是网站内的路径"), "path: ../about/"),
    "column-markup-name": Case("columns.yml", _swap("name: 机构概况", "name: 机构<script>概况"), "config.invalid",
                               ("栏目名称", "不能包含 HTML 标签", "<s"), "机构<script>"),
    "inspection-home-days": Case("columns.yml", _swap("home_update_days: 14", "home_update_days: 两周"), "config.invalid",
                                 ("inspection.home_update_days", "两周", "阿拉伯数字"), "home_update_days:"),
    "inspection-veto": Case("columns.yml", _swap("stale_columns: 5,", "stale_columns: 0,"), "config.invalid",
                            ("inspection.veto.stale_columns", "“0”"), "veto:"),
    "inspection-unknown-key": Case("columns.yml", _swap("warn_days: 3", "warn_day: 3"), "config.invalid",
                                   ("warn_day", "你是不是想写 warn_days"), "warn_day:"),
    "inspection-not-a-section": Case("columns.yml", _cut(r"inspection:\n(  .*\n)+", "inspection: 14\n"),
                                     "config.invalid", ("inspection", "应当写成若干行"), "inspection: 14"),
}

BUILT = ("search-text", "page-size-text", "unit-unknown-key")  # also through a real `mkdocs build`


def _apply(root: Path, case: Case) -> tuple[str, int]:
    """Change the file; the file's relpath and the expected line."""
    path = root / "site_config" / case.file
    text = case.change(path.read_text(encoding="utf-8"))
    path.write_text(text, encoding="utf-8")
    line = next(n for n, content in enumerate(text.splitlines(), start=1) if case.marker in content)
    return f"site_config/{case.file}", line


def _the_finding(findings: list[Finding], case: Case, relpath: str, line: int) -> Finding:
    matching = [f for f in findings if f.rule == case.rule and f.file == relpath and f.line == line]
    assert matching, "\n".join(format_text(f) for f in findings)
    finding = matching[0]
    assert finding.severity is Severity.ERROR
    for fragment in case.fragments:
        assert fragment in finding.message + finding.suggestion, (fragment, format_text(finding))
    assert any("\u4e00" <= ch <= "\u9fff" for ch in finding.message)
    assert not re.search(r"[\u4e00-\u9fff] \d|\d [\u4e00-\u9fff]", finding.message), finding.message  # house style
    return finding


@pytest.fixture(scope="module")
def workspace(tmp_path_factory):
    """One project per worker; each case changes one file and puts it back."""
    root = new_project(tmp_path_factory.mktemp("config") / "p", with_sample_pages=False)
    originals = {p.name: p.read_text(encoding="utf-8") for p in (root / "site_config").glob("*.yml")}
    assert load_config(root)[1] == []
    mkdocs_config = mkdocs_load_config(str(root / "mkdocs.yml"))
    return root, originals, mkdocs_config


@pytest.fixture
def project(workspace):
    root, originals, mkdocs_config = workspace
    yield root, mkdocs_config
    for name, text in originals.items():
        (root / "site_config" / name).write_text(text, encoding="utf-8")


@pytest.mark.parametrize("name", sorted(CASES))
def test_check_and_build_report_the_same_error(project, name, capsys, caplog):
    root, mkdocs_config = project
    case = CASES[name]
    relpath, line = _apply(root, case)

    config, findings = load_config(root)
    finding = _the_finding(findings, case, relpath, line)
    head = format_text(finding).splitlines()[0]  # "site_config/x.yml:12: 错误 [rule] message"
    assert head.startswith(f"{relpath}:{line}: ")

    assert main(["--root", str(root), "check"]) == 2  # a configuration error
    checked = capsys.readouterr().out
    assert head in checked and "修改方法：" in checked

    plugin = mkdocs_config.plugins["mzpress"]
    with caplog.at_level(logging.ERROR, logger="mkdocs.plugins.mzpress"), pytest.raises(PluginError):
        plugin.on_config(mkdocs_config)
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert head in logged
    # the build reports exactly what the check reports about the configuration
    assert sorted(r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR) == sorted(
        format_text(f) for f in findings if f.severity is Severity.ERROR)


@pytest.mark.parametrize("name", BUILT)
def test_the_real_build_stops_strict_or_not(tmp_path, name):
    root = new_project(tmp_path / "p", with_sample_pages=False)
    relpath, line = _apply(root, CASES[name])
    finding = _the_finding(load_config(root)[1], CASES[name], relpath, line)
    for strict in (True, False):
        built = build(root, tmp_path / f"out-{strict}", strict=strict)
        assert built.returncode != 0, built.stdout + built.stderr
        assert f"{relpath}:{line}: 错误 [{finding.rule}] {finding.message}" in built.stderr
        assert "网站配置（site_config/）有错误" in built.stderr and "Traceback" not in built.stderr


def test_the_sample_configuration_is_clean_and_builds_its_defaults(project):
    root, mkdocs_config = project
    config, findings = load_config(root)
    assert findings == []
    mkdocs_config.plugins["mzpress"].on_config(mkdocs_config)
    mz = mkdocs_config.extra["mz"]
    assert mz["footer"]["sponsor"] == config.site.footer.sponsor == "示例县民政局"
    assert mz["footer"]["party_mark"] == "assets/images/dangzheng.svg"
    assert mz["quick_links"][0] == {"name": "示例县人民政府", "url": "https://www.example.gov.cn/"}
    assert mz["name"] == "示例县民政局" and mz["county"] == "示例县" and mz["description"]
