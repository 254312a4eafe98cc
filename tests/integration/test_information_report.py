"""``mzpress report`` end to end on a real git repository with a scripted history.

The history (dates Beijing time; the report is made ``--at 2026-07-15``, end of that day). S are stories,
N notices (通知公告: submissions like the stories, counted apart as well):

====  =====================  ==========================  ==============  =========================================
page  unit                   first commit (submission)   front-matter    what else
====  =====================  ==========================  ==============  =========================================
S1    office                 2026-01-10 branch, merged   2026-01-11      adopted: county-paper 01-12 text (1),
                                                                         city-mz-site 04-02 photo + 批示 (1 + 4)
S2    elderly-care           2026-03-30 on main          2026-04-01      province 04-10 text (4), mca 05-20 photo (4);
                                                                         topic xiaoxian
S3    elderly-care           2026-04-05 branch, merged   2026-04-06      draft (its adoption county-tv is not counted)
S4    office                 2026-04-08 branch only      2026-04-09      never merged
S5    office                 2026-04-20 on main          2026-08-01      future-dated: not published at the time
S6    social-assistance      2025-12-20 (2025 folder)    2026-02-01      moved to 2026/ on 01-31 (git mv): same story;
                                                                         mz-bulletin 02-03 text (0.5)
S7    old-unit (not in yml)  2026-05-10 on main          2026-05-10      county-tv 05-12 photo (1)
S8    (unreadable)           2026-04-25 on main          —               front matter never closed: 未知单位
S9    office                 2026-05-31 on main          2026-06-01      retired-paper (not in outlets.yml: skipped),
                                                                         county-gov-site 06-03 text (1); topic cishan;
                                                                         withdrawn with a banner on 06-20 (撤回)
S10   social-assistance      2026-04-12 branch, merged   2026-04-13      unpublished on 05-05 (withdrawn.unpublish: 撤下)
S11   elderly-care           2026-04-28 branch, 05-02    2026-05-02      county-paper 05-03 text (1) and photo (0.5);
                                                                         topics xiaoxian, shequ
S12   social-assistance      2026-06-10 remote only      2026-06-11      only on refs/remotes/origin/c3
S13   office                 2026-03-02 on main          2026-03-02      deleted on main on 03-15 (git rm: 删除)
N1    office (notice)        2026-02-10 on main          2026-02-11      unpublish_at 2026-03-01 18:00 (到期下线)
N2    social-assistance (n.) 2026-05-20 branch only      2026-05-21      never merged
N3    office (notice)        2026-06-25 on main          2026-07-02      submitted in June, published in July
N4    elderly-care (notice)  2026-04-15 branch, merged   2026-04-16
====  =====================  ==========================  ==============  =========================================

Besides: two campaigns (one in late 2025; one from 2026-03-01 to 05-31 with a page published on 04-10 and
one scheduled for 07-05). No main-line commit has 三审 signatures.
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


def _notice_path(slug: str) -> str:
    return f"content/notices/2026/{slug}.md"


def _notice(title, date, unit, extra=""):
    day = date[:10]
    return story_text(title=title, date=date, unit=unit, body=BODY, extra=f"start: {day}\nend: {day}\n{extra}")


def _campaign(title, date, start, end, kind="selection"):
    return (f"---\ntitle: {title}\ndate: {date}\nunit: office\nauthor: 周明\neditor: 王建国\nsummary: {title}。\n"
            f"start: {start}\nend: {end}\nkind: {kind}\n---\n\n{BODY}\n")


def _member(title, date, unit="elderly-care"):
    return (f"---\ntitle: {title}\ndate: {date}\nunit: {unit}\nauthor: 李晓梅\neditor: 王建国\nsummary: {title}。\n"
            f"---\n\n{BODY}\n")


S9_ADOPTIONS = _adopted("outlet: retired-paper, date: 2026-06-02", "outlet: county-gov-site, date: 2026-06-03")
CAMPAIGN = "content/campaigns/h1-pingxuan"


def _build(repo: GitRepo) -> dict[str, str]:
    shas = {"init": repo.commit("导入网站配置", "2025-12-01T09:00:00+08:00", add_all=True)}
    repo.commit("2025年培训活动", "2025-12-05T08:00:00+08:00", {"content/campaigns/old-huodong/index.md": _campaign(
        "2025年冬季培训", "2025-12-05 09:00", "2025-11-01", "2025-12-31", "training")})
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
    repo.commit("N1 投稿", "2026-02-10T10:00:00+08:00", {_notice_path("n1"): _notice(
        "办公室限时公告", "2026-02-11 09:00", "office", "unpublish_at: 2026-03-01 18:00\n")})
    repo.commit("上半年评选活动", "2026-03-01T08:00:00+08:00", {
        f"{CAMPAIGN}/index.md": _campaign("2026年上半年评选活动", "2026-03-01 09:00", "2026-03-01", "2026-05-31")})
    shas["s13"] = repo.commit("S13 投稿", "2026-03-02T09:00:00+08:00", {_path("dup"): _story(
        "办公室重复稿件", "2026-03-02 10:00", "office")})
    shas["delete"] = repo.commit("删除重复稿件", "2026-03-15T10:00:00+08:00", {_path("dup"): None})
    repo.commit("S2 投稿", "2026-03-30T20:00:00+08:00", {_path("b1"): _story(
        "养老股稿件一", "2026-04-01 09:00", "elderly-care",
        "topics: [xiaoxian]\n" + _adopted("outlet: province-mz-site, date: 2026-04-10",
                                          "outlet: mca-site, date: 2026-05-20, kind: photo"))})
    repo.branch("b3")
    repo.commit("S3 投稿", "2026-04-05T10:00:00+08:00", {_path("b2"): _story(
        "养老股草稿", "2026-04-06 09:00", "elderly-care", "draft: true\n" + _adopted("outlet: county-tv, date: 2026-04-07"))})
    repo.checkout("main")
    repo.merge("b3", "合并 S3", "2026-04-06T09:30:00+08:00")
    repo.branch("pending")
    repo.commit("S4 投稿（待审）", "2026-04-08T10:00:00+08:00",
                {_path("a2"): _story("办公室待审稿件", "2026-04-09 09:00", "office")})
    repo.checkout("main")
    repo.commit("评选活动页面一", "2026-04-09T10:00:00+08:00",
                {f"{CAMPAIGN}/renwu-yi.md": _member("评选人物一", "2026-04-10 09:00")})
    repo.branch("b10")
    repo.commit("S10 投稿", "2026-04-12T10:00:00+08:00",
                {_path("c2"): _story("救助股稿件二", "2026-04-13 09:00", "social-assistance")})
    repo.checkout("main")
    repo.merge("b10", "合并 S10", "2026-04-13T09:30:00+08:00")
    repo.branch("b4")
    repo.commit("N4 投稿", "2026-04-15T10:00:00+08:00",
                {_notice_path("n4"): _notice("养老股公告", "2026-04-16 09:00", "elderly-care")})
    repo.checkout("main")
    repo.merge("b4", "合并 N4", "2026-04-16T09:30:00+08:00")
    repo.commit("S5 投稿", "2026-04-20T10:00:00+08:00",
                {_path("a3"): _story("办公室定时稿件", "2026-08-01 09:00", "office")})
    repo.commit("S8 投稿", "2026-04-25T10:00:00+08:00",
                {_path("broken"): "---\ntitle: 没有结束的信息区\nunit: office\n\n正文。\n"})
    repo.branch("b11")
    repo.commit("S11 投稿", "2026-04-28T10:00:00+08:00", {_path("b3"): _story(
        "养老股稿件二", "2026-05-02 09:00", "elderly-care", "topics: [xiaoxian, shequ]\n"
        + _adopted("outlet: county-paper, date: 2026-05-03", "outlet: county-paper, date: 2026-05-03, kind: photo"))})
    repo.checkout("main")
    repo.merge("b11", "合并 S11", "2026-05-02T09:30:00+08:00")
    shas["unpublish"] = repo.commit("S10 撤下", "2026-05-05T10:00:00+08:00", {_path("c2"): _story(
        "救助股稿件二", "2026-04-13 09:00", "social-assistance",
        "withdrawn:\n  date: 2026-05-05\n  reason: 信息有误。\n  unpublish: true\n")})
    repo.commit("S7 投稿", "2026-05-10T10:00:00+08:00", {_path("d1"): _story(
        "撤并单位的稿件", "2026-05-10 12:00", "old-unit", _adopted("outlet: county-tv, date: 2026-05-12, kind: photo"))})
    repo.branch("n2")
    repo.commit("N2 投稿（待审）", "2026-05-20T10:00:00+08:00",
                {_notice_path("n2"): _notice("救助股待审公告", "2026-05-21 09:00", "social-assistance")})
    repo.checkout("main")
    repo.commit("S9 投稿", "2026-05-31T10:00:00+08:00", {_path("a4"): _story(
        "办公室稿件四", "2026-06-01 09:00", "office", "topics: [cishan]\n" + S9_ADOPTIONS)})
    repo.branch("tmp")
    remote = repo.commit("S12 投稿（只在远程分支）", "2026-06-10T10:00:00+08:00",
                         {_path("c3"): _story("救助股远程稿件", "2026-06-11 09:00", "social-assistance")})
    repo.repo.git.update_ref("refs/remotes/origin/c3", remote)
    repo.checkout("main")
    repo.repo.git.branch("-D", "tmp")
    repo.commit("S9 撤回", "2026-06-20T10:00:00+08:00", {_path("a4"): _story(
        "办公室稿件四", "2026-06-01 09:00", "office", "topics: [cishan]\n" + S9_ADOPTIONS
        + "withdrawn:\n  date: 2026-06-20\n  reason: 活动时间有变，以新通知为准。\n")})
    repo.commit("N3 投稿", "2026-06-25T10:00:00+08:00",
                {_notice_path("n3"): _notice("办公室七月公告", "2026-07-02 09:00", "office")})
    shas["h1-last"] = repo.commit("评选活动页面二（定时）", "2026-06-28T10:00:00+08:00",
                                  {f"{CAMPAIGN}/renwu-er.md": _member("评选人物二", "2026-07-05 09:00")})
    return shas


@pytest.fixture(scope="module")
def history(tmp_path_factory):
    root = new_project(tmp_path_factory.mktemp("report") / "site", with_sample_pages=False)
    return root, _build(GitRepo(root))


@pytest.fixture(scope="module")
def project(history):
    return history[0]


def _json(root, period, *extra):
    result = mzpress(root, "report", "--period", period, "--at", AT, "--format", "json", *extra)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def _figures(row):
    """(submitted, of them notices, of them published, published, rate %, adoptions, county, city, province,
    national, points, quotas, met, rank)."""
    rate = None if row["adoption_rate"] is None else round(row["adoption_rate"] * 100, 1)
    levels = row["by_level"]
    return (row["submitted"], row["notices_submitted"], row["submitted_published"], row["published"], rate,
            row["adoptions"], levels["county"], levels["city"], levels["province"], levels["national"], row["points"],
            (row["quota"]["submitted"], row["quota"]["adopted"]),
            (row["quota_met"]["submitted"], row["quota_met"]["adopted"]), row["rank"])


ZERO = (0, 0, 0, 0, None, 0, 0, 0, 0, 0, 0.0)
# April: office S4, S5 (neither published); elderly-care S3 (draft), S11 (published in May), N4 (published).
MONTH_EXPECTED = {
    "office": (2, 0, 0, 0, 0.0, 1, 0, 1, 0, 0, 5.0, (4, 2), (False, False), 1),
    "elderly-care": (3, 1, 2, 2, 66.7, 1, 0, 0, 1, 0, 4.0, (3, 1), (True, True), 2),
    "social-assistance": (1, 0, 0, 0, 0.0, 0, 0, 0, 0, 0, 0.0, (3, 1), (False, False), 3),
    "social-affairs": (*ZERO, (2, 1), (False, False), 4),
    "grassroots": (*ZERO, (3, 1), (False, False), 4),
    "social-organizations": (*ZERO, (2, 1), (False, False), 4),
    "marriage-registry": (*ZERO, (2, 1), (False, False), 4),
    "funeral-management": (*ZERO, (2, 1), (False, False), 4),
    "": (1, 0, 0, 0, 0.0, 0, 0, 0, 0, 0, 0.0, (None, None), (None, None), None),  # 未知单位: S8
}
MONTH_TOTAL = (7, 1, 2, 2, 28.6, 2, 0, 1, 1, 0, 9.0, (21, 9), (False, False), None)
# The second quarter: N3 (office) is submitted in June and published in July: 报送中已发布, not 本期发布.
QUARTER_EXPECTED = {
    "office": (4, 1, 2, 1, 50.0, 2, 1, 1, 0, 0, 6.0, (12, 6), (False, False), 2),
    "elderly-care": (3, 1, 2, 3, 66.7, 4, 2, 0, 1, 1, 9.5, (9, 4), (False, True), 1),
    "social-assistance": (3, 1, 0, 0, 0.0, 0, 0, 0, 0, 0, 0.0, (9, 4), (False, False), 3),
    "social-affairs": (*ZERO, (6, 3), (False, False), 4),
    "grassroots": (*ZERO, (9, 4), (False, False), 4),
    "social-organizations": (*ZERO, (6, 3), (False, False), 4),
    "marriage-registry": (*ZERO, (6, 3), (False, False), 4),
    "funeral-management": (*ZERO, (6, 3), (False, False), 4),
    "old-unit": (1, 0, 1, 1, 100.0, 1, 1, 0, 0, 0, 1.0, (None, None), (None, None), None),
    "": (1, 0, 0, 0, 0.0, 0, 0, 0, 0, 0, 0.0, (None, None), (None, None), None),
}
QUARTER_TOTAL = (12, 3, 5, 5, 41.7, 7, 4, 1, 1, 1, 16.5, (63, 30), (False, False), None)
# The first half year: office S1, N1 (expired), S13 (deleted), S4, S5, S9, N3; quotas twice the quarterly ones.
HALF_EXPECTED = {
    "office": (7, 2, 3, 2, 42.9, 3, 2, 1, 0, 0, 7.0, (24, 12), (False, False), 2),
    "elderly-care": (4, 1, 3, 3, 75.0, 4, 2, 0, 1, 1, 9.5, (18, 8), (False, False), 1),
    "social-assistance": (3, 1, 0, 1, 0.0, 1, 1, 0, 0, 0, 0.5, (18, 8), (False, False), 3),
    "social-affairs": (*ZERO, (12, 6), (False, False), 4),
    "grassroots": (*ZERO, (18, 8), (False, False), 4),
    "social-organizations": (*ZERO, (12, 6), (False, False), 4),
    "marriage-registry": (*ZERO, (12, 6), (False, False), 4),
    "funeral-management": (*ZERO, (12, 6), (False, False), 4),
    "old-unit": (1, 0, 1, 1, 100.0, 1, 1, 0, 0, 0, 1.0, (None, None), (None, None), None),
    "": (1, 0, 0, 0, 0.0, 0, 0, 0, 0, 0, 0.0, (None, None), (None, None), None),
}
HALF_TOTAL = (16, 4, 7, 7, 43.8, 9, 6, 1, 1, 1, 18.0, (126, 60), (False, False), None)
# The year: as the half year, and N3 published in July.
YEAR_EXPECTED = {
    **HALF_EXPECTED,
    "office": (7, 2, 3, 3, 42.9, 3, 2, 1, 0, 0, 7.0, (48, 24), (False, False), 2),
    "elderly-care": (4, 1, 3, 3, 75.0, 4, 2, 0, 1, 1, 9.5, (36, 16), (False, False), 1),
    "social-assistance": (3, 1, 0, 1, 0.0, 1, 1, 0, 0, 0, 0.5, (36, 16), (False, False), 3),
    "social-affairs": (*ZERO, (24, 12), (False, False), 4),
    "grassroots": (*ZERO, (36, 16), (False, False), 4),
    "social-organizations": (*ZERO, (24, 12), (False, False), 4),
    "marriage-registry": (*ZERO, (24, 12), (False, False), 4),
    "funeral-management": (*ZERO, (24, 12), (False, False), 4),
}
YEAR_TOTAL = (16, 4, 7, 8, 43.8, 9, 6, 1, 1, 1, 18.0, (252, 120), (False, False), None)
# (submitted, published, adoptions, points) per month of 2026
YEAR_MONTHS = [(1, 1, 1, 1.0), (1, 1, 1, 0.5), (2, 0, 0, 0.0), (7, 2, 2, 9.0), (3, 2, 4, 6.5), (2, 1, 1, 1.0),
               (0, 1, 0, 0.0), *[(0, 0, 0, 0.0)] * 5]


@pytest.mark.parametrize("period, expected, total", [
    ("2026-04", MONTH_EXPECTED, MONTH_TOTAL),
    ("2026-Q2", QUARTER_EXPECTED, QUARTER_TOTAL),
    ("2026-H1", HALF_EXPECTED, HALF_TOTAL),
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
    assert data["scope"]["branches"] == ["b1", "b10", "b11", "b3", "b4", "main", "n2", "pending"]
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
    assert skipped["file"] == _path("a4") and skipped["line"] == 10
    assert "retired-paper" in skipped["message"] and "未计入" in skipped["message"]
    (unknown,) = [n for n in year["notes"] if n["kind"] == "unknown-unit"]
    assert "old-unit" in unknown["message"] and _path("d1") in unknown["message"]


def test_text_table_rows(project):
    result = mzpress(project, "report", "--period", "2026-Q2", "--at", AT)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "示例县民政局信息报送统计：2026年第二季度（2026年4月1日—2026年6月30日）"
    assert lines[1] == "统计时间：2026年7月15日23:59（北京时间）"
    assert re.fullmatch(r"统计范围：主线（HEAD，提交[0-9a-f]{10}）、8个本地分支、1个远程跟踪分支", lines[2])
    assert lines[4].split()[:8] == ["排名", "单位", "报送", "其中通知公告", "报送中已发布", "采用率", "本期发布", "录用"]
    rows = {line.split()[1]: line.split() for line in lines if line.split() and line.split()[0] in "1234—"}
    assert rows["养老服务股"] == ["1", "养老服务股", "3", "1", "2", "66.7%", "3", "4", "2", "0", "1", "1", "9.5",
                                  "9（未完成）", "4（已完成）"]
    # 报送4 报送中已发布2 采用率50%, 本期发布1: N3 was submitted in June and published in July.
    assert rows["办公室"] == ["2", "办公室", "4", "1", "2", "50%", "1", "2", "1", "1", "0", "0", "6",
                              "12（未完成）", "6（未完成）"]
    assert rows["old-unit（不在units.yml中）"][:8] == ["—", "old-unit（不在units.yml中）", "1", "0", "1", "100%", "1", "1"]
    assert rows["合计"] == ["—", "合计", "12", "3", "5", "41.7%", "5", "7", "4", "1", "1", "1", "16.5",
                            "63（未完成）", "30（未完成）"]
    total = next(index for index, line in enumerate(lines) if line.split()[1:2] == ["合计"])
    assert lines[total + 1].startswith("注：采用率＝报送中已发布÷报送")
    assert "各月趋势（全局）：" in lines and "2026年4月" in result.stdout
    assert f"{_path('a4')}:10：录用渠道“retired-paper”不在录用渠道名单" in result.stdout


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
    *rows, footnote = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"), newline="")))
    assert list(rows[0])[:9] == ["排名", "单位代号", "单位", "报送", "其中通知公告", "报送中已发布", "采用率", "本期发布",
                                 "其中发布通知公告"]
    assert footnote["排名"].startswith("注：采用率＝报送中已发布÷报送") and not footnote["单位"]
    by_unit = {row["单位"]: row for row in rows}
    assert len(rows) == len(QUARTER_EXPECTED) + 1 and rows[-1]["单位"] == "合计"
    elderly = by_unit["养老服务股"]
    assert (elderly["排名"], elderly["报送"], elderly["其中通知公告"], elderly["报送中已发布"], elderly["采用率"],
            elderly["本期发布"], elderly["其中发布通知公告"], elderly["录用篇次"], elderly["县级录用"], elderly["省级录用"],
            elderly["国家级录用"], elderly["积分"]) == ("1", "3", "1", "2", "66.7%", "3", "1", "4", "2", "1", "1", "9.5")
    assert (elderly["报送任务"], elderly["报送任务完成情况"], elderly["录用任务"], elderly["录用任务完成情况"]) == (
        "9", "未完成", "4", "已完成")
    assert by_unit["old-unit"]["备注"] == "不在units.yml中" and by_unit["old-unit"]["排名"] == ""
    assert by_unit["未知单位"]["报送"] == "1"
    assert by_unit["合计"]["积分"] == "16.5" and by_unit["合计"]["采用率"] == "41.7%"


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
    for period in ("2026-13", "2026Q5", "去年", "2026-Q0", "2026-H3"):
        result = mzpress(project, "report", "--period", period)
        assert result.returncode == 2, period
        assert "2026-04（月）、2026-Q2（季度）、2026-H1（上半年，H2为下半年）或2026（年）" in result.stderr
        assert result.stdout == ""
    result = mzpress(project, "report", "--period", "2026", "--at", "明天")
    assert result.returncode == 2 and "统计时间“明天”不是有效的日期" in result.stderr
    plain = new_project(tmp_path / "plain", with_sample_pages=False)
    result = mzpress(plain, "report", "--period", "2026")
    assert result.returncode == 2
    assert "不在 git 仓库中" in result.stderr and "Traceback" not in result.stderr


def test_a_bad_outlets_file_stops_the_report_with_file_and_line(tmp_path):
    root = new_project(tmp_path / "site", with_sample_pages=False)
    outlets = root / "site_config/outlets.yml"
    text = outlets.read_text(encoding="utf-8")
    line = text[:text.index("level: city,")].count("\n") + 1
    outlets.write_text(text.replace("level: city,", "level: cty,", 1), encoding="utf-8")
    GitRepo(root).commit("init", "2026-01-01T09:00:00+08:00", add_all=True)
    result = mzpress(root, "report", "--period", "2026")
    assert result.returncode == 2
    assert f"site_config/outlets.yml:{line}" in result.stderr and "你是不是想写 city？" in result.stderr


def test_shallow_clone_says_so_and_gives_partial_figures(project, tmp_path):
    clone = tmp_path / "clone"
    # The main line's last six commits: N2's branch-only commit is not cloned; the cut is S10's take-down.
    subprocess.run(["git", "clone", "-q", "--depth", "6", f"file://{project}", str(clone)], check=True,
                   capture_output=True)
    full = _json(project, "2026-Q2")
    data = _json(clone, "2026-Q2")
    # In the cut commit's tree: S1, S2, S3, S5, S6, S8, S10, S11, N1 and N4.
    assert data["shallow"] == {"shallow": True, "earliest_commit": "2026-05-05T10:00:00+08:00",
                               "unknown_submissions": 10}
    (note,) = [n for n in data["notes"] if n["kind"] == "shallow"]
    assert "浅克隆" in note["message"] and "2026年5月5日" in note["message"] and "10篇" in note["message"]
    rows = {row["unit"]: row for row in data["units"]}
    # Only what the clone's history shows was submitted: S9 and N3 (office), S7 (old-unit); S4, S12, N2 are not cloned.
    assert {u: r["submitted"] for u, r in rows.items() if r["submitted"]} == {"office": 2, "old-unit": 1}
    # Publications and adoptions come from HEAD's versions: the same as in the full repository.
    for key in ("published", "adoptions", "points", "by_level"):
        assert data["total"][key] == full["total"][key], key
    text = mzpress(clone, "report", "--period", "2026-Q2", "--at", AT)
    assert text.returncode == 0
    assert "注意：本仓库是浅克隆，最早只有2026年5月5日的提交，报送数不完整（见说明）。" in text.stdout.splitlines()



# --------------------------------------------------------------------------- the half-year outline


def _table(markdown: str, header: str) -> list[list[str]]:
    """The rows (cells) of the Markdown table whose header row starts with ``header``."""
    lines = markdown.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(f"| {header} |"))
    rows = []
    for line in lines[start + 2:]:
        if not line.startswith("|"):
            break
        rows.append([cell.strip() for cell in line.strip("|").split(" | ")])
    return rows


def test_the_half_year_outline_in_markdown(history):
    root, shas = history
    result = mzpress(root, "report", "--period", "2026-H1", "--at", AT, "--outline")
    assert result.returncode == 0, result.stderr
    text = result.stdout
    lines = text.splitlines()
    assert lines[0] == "# 示例县民政局2026年上半年意识形态工作情况（网站部分）"
    assert [line for line in lines if line.startswith("## ")] == [
        "## 一、网站信息发布情况", "## 二、专题活动开展情况", "## 三、信息录用情况", "## 四、撤稿情况",
        "## 五、三审制度执行情况", "## 六、网站自查情况", "## 附：统计口径"]
    assert [line for line in lines if line.startswith("### ")] == ["### （一）各单位发布情况", "### （二）文化专题发布情况"]
    # Published in the half year: stories S1, S9 (office), S2, S11 (elderly-care), S6, S7; notice N4. N3 is July's.
    assert ("2026年上半年，局网站发布民政故事6篇、通知公告1篇。各单位报送稿件和通知公告16篇（其中通知公告4篇），"
            "到统计时已发布7篇，采用率43.8%。") in lines
    units = {row[0]: row[1:] for row in _table(text, "单位 | 报送")}
    assert units["办公室"] == ["7", "2", "3", "42.9%", "2", "0"]
    assert units["养老服务股"] == ["4", "1", "3", "75%", "2", "1"]
    assert units["社会救助股"] == ["3", "1", "0", "0%", "1", "0"]
    assert units["old-unit（不在units.yml中）"] == ["1", "0", "1", "100%", "1", "0"]
    assert units["合计"] == ["16", "4", "7", "43.8%", "6", "1"]
    assert any(line.startswith("注：采用率＝报送中已发布÷报送") for line in lines)
    assert {row[0]: row[1] for row in _table(text, "文化专题")} == {
        "孝贤文化": "2", "社区文化": "1", "慈善文化": "1", "社团文化": "0", "婚姻文化": "0", "殡葬文化": "0"}
    assert "围绕6个文化专题发布民政故事4篇次（一篇稿件可以属于几个专题），另有3篇民政故事没有标注文化专题。" in lines
    # The 2025 campaign does not overlap the half year; the scheduled page (07-05) is not counted.
    assert _table(text, "专题活动") == [
        ["2026年上半年评选活动", "评选", "2026年3月1日—2026年5月31日", "办公室", "1", "已结束"]]
    adoptions = {row[0]: row[1:] for row in _table(text, "单位 | 县级")}
    assert adoptions["合计"] == ["6", "1", "1", "1", "9", "18"] and adoptions["养老服务股"] == ["2", "0", "1", "1", "4", "9.5"]
    assert "2026年上半年撤稿4篇：撤回1篇，撤下1篇，到期下线1篇，删除1篇。" in text
    assert _table(text, "日期 | 标题") == [
        ["2026年3月1日", "办公室限时公告", "通知公告", "办公室", "到期下线",
         "限时发布的内容到期，按信息区的下线时间（unpublish_at）自动下线。"],
        ["2026年3月15日", "办公室重复稿件", "民政故事", "办公室", "删除", "文件被直接删除，没有记录原因（提交说明：删除重复稿件）。"],
        ["2026年5月5日", "救助股稿件二", "民政故事", "社会救助股", "撤下", "信息有误。"],
        ["2026年6月20日", "办公室稿件四", "民政故事", "办公室", "撤回", "活动时间有变，以新通知为准。"]]
    # 20 main-line commits in the half year (5 merges, 15 direct commits), none with 三审 signatures.
    assert "2026年上半年合并到主线（发布）20次，其中改动网站内容20次；三审记录齐全0次，不全20次。" in lines
    reviews = _table(text, "日期 | 提交")
    assert len(reviews) == 20 and reviews[0][:3] == ["2026年1月11日", reviews[0][1], "合并 S1"]
    assert "缺少办公室（office）的初审" in reviews[0][3] and reviews[-1][2] == "评选活动页面二（定时）"
    assert reviews[5][1] == shas["delete"][:7]
    # The self-inspection as of the period's end, on the site as committed then (its git history included).
    assert (f"按期末主线上的网站版本（提交{shas['h1-last'][:10]}），以2026年6月30日23:59为检查时间，"
            "对照政府网站检查指标自查，结论：") in text
    checks = {row[0]: row[1:] for row in _table(text, "检查指标")}
    assert checks["伪造发稿日期"] == ["合格", "未发现倒填发稿日期：每个页面的发布时间都与git台账中首次发布的时间相符。"]
    assert checks["首页更新"][0] == "不合格" and "《养老股稿件二》" in checks["首页更新"][1]  # S9 was withdrawn on 06-20
    assert any(line.startswith("4.采用率：报送中已发布÷报送") for line in lines)


def test_the_half_year_outline_as_a_word_document(history, tmp_path):
    import docx
    from docx.oxml.ns import qn

    root, _ = history
    out = tmp_path / "out"
    result = mzpress(root, "report", "--period", "2026-H1", "--at", AT, "--outline", "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [f"已写入报告提纲：{out / 'outline-2026-H1.md'}",
                                          f"已写入报告提纲（Word）：{out / 'outline-2026-H1.docx'}"]
    again = mzpress(root, "report", "--period", "2026-H1", "--at", AT, "--outline", "--out", str(out))
    assert again.stdout.splitlines()[1] == f"报告提纲（Word）没有变化：{out / 'outline-2026-H1.docx'}"  # reproducible
    document = docx.Document(str(out / "outline-2026-H1.docx"))
    paragraphs = document.paragraphs
    title = paragraphs[0]
    assert title.text == "示例县民政局2026年上半年意识形态工作情况（网站部分）"
    fonts = title.runs[0]._element.rPr.rFonts
    assert fonts.get(qn("w:eastAsia")) == "方正小标宋简体" and title.runs[0].font.size.pt == 22
    headings = [(p.style.name, p.text) for p in paragraphs if p.style.name.startswith("Heading")]
    assert headings[:4] == [("Heading 1", "一、网站信息发布情况"), ("Heading 2", "（一）各单位发布情况"),
                            ("Heading 2", "（二）文化专题发布情况"), ("Heading 1", "二、专题活动开展情况")]
    assert [text for style, text in headings if style == "Heading 1"][-3:] == [
        "五、三审制度执行情况", "六、网站自查情况", "附：统计口径"]
    heading = next(p for p in paragraphs if p.text == "一、网站信息发布情况")
    assert heading.runs[0]._element.rPr.rFonts.get(qn("w:eastAsia")) == "黑体"
    body = next(p for p in paragraphs if p.text.startswith("2026年上半年，局网站发布民政故事6篇、通知公告1篇。"))
    assert body.runs[0]._element.rPr.rFonts.get(qn("w:eastAsia")) == "仿宋_GB2312" and body.runs[0].font.size.pt == 16
    assert body.paragraph_format.first_line_indent.pt == 32
    normal = document.styles["Normal"].element.rPr.rFonts
    assert normal.get(qn("w:eastAsia")) == "仿宋_GB2312"
    assert any(p.text.startswith("注：采用率＝报送中已发布÷报送") for p in paragraphs)
    assert "2026年上半年撤稿4篇：撤回1篇，撤下1篇，到期下线1篇，删除1篇。撤回的页面保留并标注“已撤回”，撤下、到期下线和删除的页面不再公开。" in [
        p.text for p in paragraphs]
    units = document.tables[0]
    assert [c.text for c in units.rows[0].cells] == ["单位", "报送", "其中通知公告", "报送中已发布", "采用率", "发布民政故事",
                                                     "发布通知公告"]
    assert [c.text for c in units.rows[-1].cells] == ["合计", "16", "4", "7", "43.8%", "6", "1"]
    takedowns = next(t for t in document.tables if t.rows[0].cells[0].text == "日期" and t.rows[0].cells[1].text == "标题")
    assert [row.cells[4].text for row in takedowns.rows[1:]] == ["到期下线", "删除", "撤下", "撤回"]
    # The fallbacks where the GB2312 fonts are missing: named in the font table.
    font_table = next(rel.target_part for rel in document.part.rels.values() if rel.reltype.endswith("/fontTable"))
    table = font_table.blob.decode("utf-8")
    for font, fallback in (("方正小标宋简体", "宋体"), ("仿宋_GB2312", "仿宋"), ("楷体_GB2312", "楷体")):
        assert re.search(rf'<w:font w:name="{font}"><w:altName w:val="{fallback}"/>', table), font
    section = document.sections[0]
    assert (round(section.top_margin.mm), round(section.left_margin.mm)) == (37, 28)
    markdown = (out / "outline-2026-H1.md").read_text(encoding="utf-8")
    assert markdown == mzpress(root, "report", "--period", "2026-H1", "--at", AT, "--outline").stdout


def test_the_outline_is_not_a_format(project):
    result = mzpress(project, "report", "--period", "2026-H1", "--outline", "--format", "csv")
    assert result.returncode == 2 and "--outline" in result.stderr and result.stdout == ""
