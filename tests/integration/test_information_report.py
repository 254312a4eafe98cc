"""``mzpress report`` end to end on a real git repository with a scripted history.

The history (dates Beijing time; the report is made ``--at 2026-07-15``, end of that day):

====  =====================  ==========================  ==============  =========================================
story unit                   first commit (submission)   front-matter    what else
====  =====================  ==========================  ==============  =========================================
S1    office                 2026-01-10 branch, merged   2026-01-11      adopted: county-paper 01-12 text (1),
                                                                         city-mz-site 04-02 photo + 批示 (1 + 4)
S2    elderly-care           2026-03-30 on main          2026-04-01      province 04-10 text (4), mca 05-20 photo (4)
S3    elderly-care           2026-04-05 branch, merged   2026-04-06      draft (its adoption county-tv is not counted)
S4    office                 2026-04-08 branch only      2026-04-09      never merged
S5    office                 2026-04-20 on main          2026-08-01      future-dated: not published at the time
S6    social-assistance      2025-12-20 (2025 folder)    2026-02-01      moved to 2026/ on 01-31 (git mv): same story;
                                                                         mz-bulletin 02-03 text (0.5)
S7    old-unit (not in yml)  2026-05-10 on main          2026-05-10      county-tv 05-12 photo (1)
S8    (unreadable)           2026-04-25 on main          —               front matter never closed: 未知单位
S9    office                 2026-05-31 on main          2026-06-01      retired-paper (not in outlets.yml: skipped),
                                                                         county-gov-site 06-03 text (1)
S10   social-assistance      2026-04-12 branch, merged   2026-04-13      unpublished on 05-05 (withdrawn.unpublish)
S11   elderly-care           2026-04-28 branch, 05-02    2026-05-02      county-paper 05-03 text (1) and photo (0.5)
S12   social-assistance      2026-06-10 remote only      2026-06-11      only on refs/remotes/origin/c3
====  =====================  ==========================  ==============  =========================================
"""

from __future__ import annotations

import csv
import io
import json
import re
import subprocess

import pytest

from tests.support.git_repo import GitRepo
from tests.support.project import mzpress, new_project, story_text

AT = "2026-07-15"
BODY = ("城关镇民政所组织志愿者走访辖区困难群众，详细了解他们的生产生活情况，"
        "并送去米、油等慰问品。工作人员逐户核对救助政策落实情况，现场解答群众关心的问题。")
UNITS = ("office", "social-assistance", "elderly-care", "social-affairs", "grassroots", "social-organizations",
         "marriage-registry", "funeral-management")


def _story(title, date, unit, extra=""):
    return story_text(title=title, date=date, unit=unit, body=BODY, extra=extra)


def _adopted(*entries: str) -> str:
    return "adopted_by:\n" + "".join(f"  - {{{entry}}}\n" for entry in entries)


def _path(slug: str, year: int = 2026) -> str:
    return f"content/stories/{year}/{slug}.md"


def _build(repo: GitRepo) -> dict[str, str]:
    shas = {"init": repo.commit("导入网站配置", "2025-12-01T09:00:00+08:00", add_all=True)}
    repo.commit("S6 投稿", "2025-12-20T10:00:00+08:00",
                {_path("c1", 2025): _story("救助股稿件", "2025-12-21 09:00", "social-assistance")})
    repo.branch("b1")
    repo.commit("S1 投稿", "2026-01-10T10:00:00+08:00", {_path("a1"): _story(
        "办公室稿件一", "2026-01-11 09:00", "office",
        _adopted("outlet: county-paper, date: 2026-01-12",
                 "outlet: city-mz-site, date: 2026-04-02, kind: photo, instruction: 市长批示, "
                 "url: https://mz.shi.example.gov.cn/a1.html"))})
    repo.checkout("main")
    repo.merge("b1", "合并 S1", "2026-01-11T09:30:00+08:00")
    repo.move(_path("c1", 2025), _path("c1"))
    repo.commit("S6 改到2026年", "2026-01-31T10:00:00+08:00", {_path("c1"): _story(
        "救助股稿件", "2026-02-01 09:00", "social-assistance", _adopted("outlet: mz-bulletin, date: 2026-02-03"))})
    repo.commit("S2 投稿", "2026-03-30T20:00:00+08:00", {_path("b1"): _story(
        "养老股稿件一", "2026-04-01 09:00", "elderly-care",
        _adopted("outlet: province-mz-site, date: 2026-04-10", "outlet: mca-site, date: 2026-05-20, kind: photo"))})
    repo.branch("b3")
    repo.commit("S3 投稿", "2026-04-05T10:00:00+08:00", {_path("b2"): _story(
        "养老股草稿", "2026-04-06 09:00", "elderly-care", "draft: true\n" + _adopted("outlet: county-tv, date: 2026-04-07"))})
    repo.checkout("main")
    repo.merge("b3", "合并 S3", "2026-04-06T09:30:00+08:00")
    repo.branch("pending")
    repo.commit("S4 投稿（待审）", "2026-04-08T10:00:00+08:00",
                {_path("a2"): _story("办公室待审稿件", "2026-04-09 09:00", "office")})
    repo.checkout("main")
    repo.branch("b10")
    repo.commit("S10 投稿", "2026-04-12T10:00:00+08:00",
                {_path("c2"): _story("救助股稿件二", "2026-04-13 09:00", "social-assistance")})
    repo.checkout("main")
    repo.merge("b10", "合并 S10", "2026-04-13T09:30:00+08:00")
    repo.commit("S5 投稿", "2026-04-20T10:00:00+08:00",
                {_path("a3"): _story("办公室定时稿件", "2026-08-01 09:00", "office")})
    repo.commit("S8 投稿", "2026-04-25T10:00:00+08:00",
                {_path("broken"): "---\ntitle: 没有结束的信息区\nunit: office\n\n正文。\n"})
    repo.branch("b11")
    repo.commit("S11 投稿", "2026-04-28T10:00:00+08:00", {_path("b3"): _story(
        "养老股稿件二", "2026-05-02 09:00", "elderly-care",
        _adopted("outlet: county-paper, date: 2026-05-03", "outlet: county-paper, date: 2026-05-03, kind: photo"))})
    repo.checkout("main")
    repo.merge("b11", "合并 S11", "2026-05-02T09:30:00+08:00")
    shas["unpublish"] = repo.commit("S10 撤下", "2026-05-05T10:00:00+08:00", {_path("c2"): _story(
        "救助股稿件二", "2026-04-13 09:00", "social-assistance",
        "withdrawn:\n  date: 2026-05-05\n  reason: 信息有误。\n  unpublish: true\n")})
    repo.commit("S7 投稿", "2026-05-10T10:00:00+08:00", {_path("d1"): _story(
        "撤并单位的稿件", "2026-05-10 12:00", "old-unit", _adopted("outlet: county-tv, date: 2026-05-12, kind: photo"))})
    repo.commit("S9 投稿", "2026-05-31T10:00:00+08:00", {_path("a4"): _story(
        "办公室稿件四", "2026-06-01 09:00", "office",
        _adopted("outlet: retired-paper, date: 2026-06-02", "outlet: county-gov-site, date: 2026-06-03"))})
    repo.branch("tmp")
    remote = repo.commit("S12 投稿（只在远程分支）", "2026-06-10T10:00:00+08:00",
                         {_path("c3"): _story("救助股远程稿件", "2026-06-11 09:00", "social-assistance")})
    repo.repo.git.update_ref("refs/remotes/origin/c3", remote)
    repo.checkout("main")
    repo.repo.git.branch("-D", "tmp")
    return shas


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    root = new_project(tmp_path_factory.mktemp("report") / "site", with_sample_pages=False)
    repo = GitRepo(root)
    _build(repo)
    return root


def _json(root, period, *extra):
    result = mzpress(root, "report", "--period", period, "--at", AT, "--format", "json", *extra)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def _figures(row):
    """(submitted, published, rate %, adoptions, county, city, province, national, points, quotas, met, rank)."""
    rate = None if row["adoption_rate"] is None else round(row["adoption_rate"] * 100, 1)
    levels = row["by_level"]
    return (row["submitted"], row["published"], rate, row["adoptions"], levels["county"], levels["city"],
            levels["province"], levels["national"], row["points"],
            (row["quota"]["submitted"], row["quota"]["adopted"]),
            (row["quota_met"]["submitted"], row["quota_met"]["adopted"]), row["rank"])


ZERO = (0, 0, None, 0, 0, 0, 0, 0, 0.0)
MONTH_EXPECTED = {
    "office": (2, 0, 0.0, 1, 0, 1, 0, 0, 5.0, (4, 2), (False, False), 1),
    "elderly-care": (2, 1, 50.0, 1, 0, 0, 1, 0, 4.0, (3, 1), (False, True), 2),
    "social-assistance": (1, 0, 0.0, 0, 0, 0, 0, 0, 0.0, (3, 1), (False, False), 3),
    "social-affairs": (*ZERO, (2, 1), (False, False), 4),
    "grassroots": (*ZERO, (3, 1), (False, False), 4),
    "social-organizations": (*ZERO, (2, 1), (False, False), 4),
    "marriage-registry": (*ZERO, (2, 1), (False, False), 4),
    "funeral-management": (*ZERO, (2, 1), (False, False), 4),
    "": (1, 0, 0.0, 0, 0, 0, 0, 0, 0.0, (None, None), (None, None), None),  # 未知单位: S8
}
MONTH_TOTAL = (6, 1, 16.7, 2, 0, 1, 1, 0, 9.0, (21, 9), (False, False), None)
QUARTER_EXPECTED = {
    "office": (3, 1, 33.3, 2, 1, 1, 0, 0, 6.0, (12, 6), (False, False), 2),
    "elderly-care": (2, 2, 50.0, 4, 2, 0, 1, 1, 9.5, (9, 4), (False, True), 1),
    "social-assistance": (2, 0, 0.0, 0, 0, 0, 0, 0, 0.0, (9, 4), (False, False), 3),
    "social-affairs": (*ZERO, (6, 3), (False, False), 4),
    "grassroots": (*ZERO, (9, 4), (False, False), 4),
    "social-organizations": (*ZERO, (6, 3), (False, False), 4),
    "marriage-registry": (*ZERO, (6, 3), (False, False), 4),
    "funeral-management": (*ZERO, (6, 3), (False, False), 4),
    "old-unit": (1, 1, 100.0, 1, 1, 0, 0, 0, 1.0, (None, None), (None, None), None),
    "": (1, 0, 0.0, 0, 0, 0, 0, 0, 0.0, (None, None), (None, None), None),
}
QUARTER_TOTAL = (9, 4, 33.3, 7, 4, 1, 1, 1, 16.5, (63, 30), (False, False), None)
YEAR_EXPECTED = {
    "office": (4, 2, 50.0, 3, 2, 1, 0, 0, 7.0, (48, 24), (False, False), 2),
    "elderly-care": (3, 2, 66.7, 4, 2, 0, 1, 1, 9.5, (36, 16), (False, False), 1),
    "social-assistance": (2, 1, 0.0, 1, 1, 0, 0, 0, 0.5, (36, 16), (False, False), 3),
    "social-affairs": (*ZERO, (24, 12), (False, False), 4),
    "grassroots": (*ZERO, (36, 16), (False, False), 4),
    "social-organizations": (*ZERO, (24, 12), (False, False), 4),
    "marriage-registry": (*ZERO, (24, 12), (False, False), 4),
    "funeral-management": (*ZERO, (24, 12), (False, False), 4),
    "old-unit": (1, 1, 100.0, 1, 1, 0, 0, 0, 1.0, (None, None), (None, None), None),
    "": (1, 0, 0.0, 0, 0, 0, 0, 0, 0.0, (None, None), (None, None), None),
}
YEAR_TOTAL = (11, 6, 45.5, 9, 6, 1, 1, 1, 18.0, (252, 120), (False, False), None)
# (submitted, published, adoptions, points) per month of 2026
YEAR_MONTHS = [(1, 1, 1, 1.0), (0, 1, 1, 0.5), (1, 0, 0, 0.0), (6, 1, 2, 9.0), (2, 2, 4, 6.5), (1, 1, 1, 1.0),
               *[(0, 0, 0, 0.0)] * 6]


@pytest.mark.parametrize("period, expected, total", [
    ("2026-04", MONTH_EXPECTED, MONTH_TOTAL),
    ("2026-Q2", QUARTER_EXPECTED, QUARTER_TOTAL),
    ("2026", YEAR_EXPECTED, YEAR_TOTAL),
])
def test_every_figure_against_the_hand_computed_history(project, period, expected, total):
    data = _json(project, period)
    assert [row["unit"] for row in data["units"]] == [*UNITS, *(u for u in expected if u not in UNITS)]
    assert {row["unit"]: _figures(row) for row in data["units"]} == expected
    assert _figures(data["total"]) == total
    names = {row["unit"]: (row["name"], row["kind"], row["remark"]) for row in data["units"]}
    assert names[""] == ("未知单位", "no-unit", "信息区无法读取或没有写来源单位")
    assert names["office"] == ("办公室", "unit", "")
    if "old-unit" in expected:
        assert names["old-unit"] == ("old-unit", "unknown-unit", "不在units.yml中")
    assert data["scope"]["branches"] == ["b1", "b10", "b11", "b3", "main", "pending"]
    assert data["scope"]["remotes"] == ["origin/c3"]
    assert data["shallow"] == {"shallow": False, "earliest_commit": None, "unknown_submissions": 0}


def test_the_monthly_trend_and_the_notes(project):
    year = _json(project, "2026")
    assert [(m["month"], m["submitted"], m["published"], m["adoptions"], m["points"]) for m in year["months"]] == [
        (f"2026-{n:02d}", *figures) for n, figures in enumerate(YEAR_MONTHS, start=1)]
    month = _json(project, "2026-04")
    assert [m["month"] for m in month["months"]] == [
        "2025-05", "2025-06", "2025-07", "2025-08", "2025-09", "2025-10", "2025-11", "2025-12",
        "2026-01", "2026-02", "2026-03", "2026-04"]
    assert month["months"][7]["submitted"] == 1  # S6, submitted in 2025, counted in its own month
    assert month["complete"] is True and year["complete"] is False
    kinds = [(n["kind"], n["file"], n["line"]) for n in year["notes"]]
    assert ("period-open", "", None) in kinds
    assert ("unreadable", _path("broken"), 1) in kinds
    (skipped,) = [n for n in year["notes"] if n["kind"] == "adoption"]
    assert skipped["file"] == _path("a4") and skipped["line"] == 9
    assert "retired-paper" in skipped["message"] and "未计入" in skipped["message"]
    (unknown,) = [n for n in year["notes"] if n["kind"] == "unknown-unit"]
    assert "old-unit" in unknown["message"] and _path("d1") in unknown["message"]


def test_text_table_rows(project):
    result = mzpress(project, "report", "--period", "2026-Q2", "--at", AT)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "示例县民政局信息报送统计：2026年第二季度（2026年4月1日—2026年6月30日）"
    assert lines[1] == "统计时间：2026年7月15日23:59（北京时间）"
    assert re.fullmatch(r"统计范围：主线（HEAD，提交[0-9a-f]{10}）、6个本地分支、1个远程跟踪分支", lines[2])
    rows = {line.split()[1]: line.split() for line in lines if line.split() and line.split()[0] in "1234—"}
    assert rows["养老服务股"] == ["1", "养老服务股", "2", "2", "50%", "4", "2", "0", "1", "1", "9.5",
                                  "9（未完成）", "4（已完成）"]
    assert rows["办公室"] == ["2", "办公室", "3", "1", "33.3%", "2", "1", "1", "0", "0", "6", "12（未完成）", "6（未完成）"]
    assert rows["old-unit（不在units.yml中）"][:6] == ["—", "old-unit（不在units.yml中）", "1", "1", "100%", "1"]
    assert rows["合计"] == ["—", "合计", "9", "4", "33.3%", "7", "4", "1", "1", "1", "16.5", "63（未完成）", "30（未完成）"]
    assert "各月趋势（全局）：" in lines and "2026年4月" in result.stdout
    assert f"{_path('a4')}:9：录用渠道“retired-paper”不在录用渠道名单" in result.stdout


def test_csv_round_trips_with_the_bom(project, tmp_path):
    out = tmp_path / "out"
    result = mzpress(project, "report", "--period", "2026-Q2", "--at", AT, "--format", "csv", "--out", str(out))
    assert result.returncode == 0, result.stderr
    path = out / "report-2026-Q2.csv"
    assert result.stdout.strip() == f"已写入统计报表：{path}"
    again = mzpress(project, "report", "--period", "2026-Q2", "--at", AT, "--format", "csv", "--out", str(out))
    assert again.returncode == 0 and again.stdout.strip() == f"统计报表没有变化：{path}"
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and b"\r\n" in raw
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"), newline="")))
    assert list(rows[0])[:6] == ["排名", "单位代号", "单位", "报送", "发布", "采用率"]
    by_unit = {row["单位"]: row for row in rows}
    assert len(rows) == len(QUARTER_EXPECTED) + 1 and rows[-1]["单位"] == "合计"
    elderly = by_unit["养老服务股"]
    assert (elderly["排名"], elderly["报送"], elderly["发布"], elderly["采用率"], elderly["录用篇次"],
            elderly["县级录用"], elderly["省级录用"], elderly["国家级录用"], elderly["积分"]) == (
        "1", "2", "2", "50%", "4", "2", "1", "1", "9.5")
    assert (elderly["报送任务"], elderly["报送任务完成情况"], elderly["录用任务"], elderly["录用任务完成情况"]) == (
        "9", "未完成", "4", "已完成")
    assert by_unit["old-unit"]["备注"] == "不在units.yml中" and by_unit["old-unit"]["排名"] == ""
    assert by_unit["未知单位"]["报送"] == "1"
    assert by_unit["合计"]["积分"] == "16.5" and by_unit["合计"]["采用率"] == "33.3%"


def _texts(svg: str) -> list[str]:
    return [re.sub(r"<[^>]+>", "", t) for t in re.findall(r"<text\b[^>]*>(.*?)</text>", svg, re.S)]


def test_html_is_one_page_with_svg_charts_and_nothing_external(project):
    result = mzpress(project, "report", "--period", "2026-04", "--at", AT, "--format", "html")
    assert result.returncode == 0, result.stderr
    page = result.stdout
    assert page.startswith("<!DOCTYPE html>") and '<html lang="zh-CN">' in page
    svgs = re.findall(r"<svg\b.*?</svg>", page, re.S)
    assert len(svgs) == 2
    units_svg, trend_svg = svgs
    names = ["办公室", "社会救助股", "养老服务股", "社会事务股", "基层政权和社区建设股", "社会组织管理股",
             "婚姻登记处", "殡葬管理所", "未知单位"]
    assert set(names) <= set(_texts(units_svg))
    assert {"报送", "报送任务", "录用", "录用任务"} <= set(_texts(units_svg))
    assert {"2025年5月", "2026年4月", "积分（右轴）"} <= set(_texts(trend_svg))
    assert "Noto Sans CJK SC" in units_svg
    lowered = page.lower()
    assert "<script" not in lowered and "<!--" not in page and "@import" not in lowered and "@font-face" not in lowered
    assert not re.search(r"""(?:href|src)\s*=|url\(""", lowered)
    assert set(re.findall(r"https?://[^\s\"'<>)]+", page)) <= {"http://www.w3.org/2000/svg", "http://www.w3.org/1999/xlink"}
    assert "<style>" in page and "@page" in page and "@media print" in page
    assert "<td class=\"name\">养老服务股</td>" in page


def test_bad_period_not_git_and_bad_time_exit_2(project, tmp_path):
    for period in ("2026-13", "2026Q5", "去年", "2026-Q0"):
        result = mzpress(project, "report", "--period", period)
        assert result.returncode == 2, period
        assert "2026-04（月）、2026-Q2（季度）或2026（年）" in result.stderr and result.stdout == ""
    result = mzpress(project, "report", "--period", "2026", "--at", "明天")
    assert result.returncode == 2 and "统计时间“明天”不是有效的日期" in result.stderr
    plain = new_project(tmp_path / "plain", with_sample_pages=False)
    result = mzpress(plain, "report", "--period", "2026")
    assert result.returncode == 2
    assert "不在 git 仓库中" in result.stderr and "Traceback" not in result.stderr


def test_a_bad_outlets_file_stops_the_report_with_file_and_line(tmp_path):
    root = new_project(tmp_path / "site", with_sample_pages=False)
    outlets = root / "site_config/outlets.yml"
    outlets.write_text(outlets.read_text(encoding="utf-8").replace("level: city,", "level: cty,"), encoding="utf-8")
    GitRepo(root).commit("init", "2026-01-01T09:00:00+08:00", add_all=True)
    result = mzpress(root, "report", "--period", "2026")
    assert result.returncode == 2
    assert "site_config/outlets.yml:16" in result.stderr and "你是不是想写 city？" in result.stderr


def test_shallow_clone_says_so_and_gives_partial_figures(project, tmp_path):
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", "--depth", "3", f"file://{project}", str(clone)], check=True,
                   capture_output=True)
    full = _json(project, "2026-Q2")
    data = _json(clone, "2026-Q2")
    assert data["shallow"] == {"shallow": True, "earliest_commit": "2026-05-05T10:00:00+08:00",
                               "unknown_submissions": 8}
    (note,) = [n for n in data["notes"] if n["kind"] == "shallow"]
    assert "浅克隆" in note["message"] and "2026年5月5日" in note["message"] and "8篇" in note["message"]
    rows = {row["unit"]: row for row in data["units"]}
    # Only what the clone's history shows was submitted: S9 (office) and S7 (old-unit); S4 and S12 are not cloned.
    assert {u: r["submitted"] for u, r in rows.items() if r["submitted"]} == {"office": 1, "old-unit": 1}
    # Publications and adoptions come from HEAD's versions: the same as in the full repository.
    for key in ("published", "adoptions", "points", "by_level"):
        assert data["total"][key] == full["total"][key], key
    text = mzpress(clone, "report", "--period", "2026-Q2", "--at", AT)
    assert text.returncode == 0
    assert "注意：本仓库是浅克隆，最早只有2026年5月5日的提交，报送数不完整（见说明）。" in text.stdout.splitlines()

