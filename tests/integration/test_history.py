"""``mzpress history`` end to end: a project in a real git repository, a reviewed merge, imported content."""

from __future__ import annotations

import functools
import json
import subprocess

import pytest

from mzpress.cli import main
from mzpress.model.review_policy import parse_public_key
from tests.support.git_repo import GitRepo
from tests.support.project import mzpress, new_project, story_text

STORY = "content/stories/2027/chengguan-jinglao.md"
OLD = "content/stories/2019/jiu-gaojian.md"
LATE = "content/stories/2027/chidao.md"
REVIEWER = "王建国 <wangjianguo@example.gov.cn>"
APPROVER = "陈志强 <chenzhiqiang@example.gov.cn>"


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    """Imported content before the ledger start, then a story written on a branch and merged after review."""
    root = new_project(tmp_path_factory.mktemp("history") / "site", with_sample_pages=False)
    site_yml = root / "site_config/site.yml"
    site_yml.write_text(site_yml.read_text(encoding="utf-8").replace("start: 2026-12-01", "start: 2027-01-01"),
                        encoding="utf-8")
    repo = GitRepo(root)
    repo.write(OLD, story_text(title="旧网站稿件", date="2019-05-01"))
    imported = repo.commit("Import the old site", "2026-12-20T10:00:00+08:00", add_all=True)
    repo.branch("jinglao")
    written = repo.commit("Add story on elderly care", "2027-02-09T15:00:00+08:00",
                          {STORY: story_text(title="城关镇敬老", date="2027-02-10 09:00", unit="elderly-care")})
    repo.checkout("main")
    merge = repo.merge("jinglao", f"Merge pull request #12 from jinglao\n\nReviewed-by: {REVIEWER}\n"
                       f"Approved-by: {APPROVER}", "2027-02-10T09:30:00+08:00")
    repo.branch("late")
    repo.commit("Add a story dated long before", "2027-02-20T15:00:00+08:00",
                {LATE: story_text(title="迟到的稿件", date="2027-02-01 09:00")})
    repo.checkout("main")
    late = repo.merge("late", "Merge late", "2027-02-21T09:00:00+08:00")
    return root, {"imported": imported, "written": written, "merge": merge, "late": late}


def test_history_lists_author_time_merge_and_reviewers(project):
    root, shas = project
    result = mzpress(root, "history", STORY)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert f"{STORY} 的修订记录（共1次" in out
    assert f"提交：{shas['written'][:10]}  Add story on elderly care" in out
    assert "作者：李晓梅 <lixiaomei@example.gov.cn>" in out
    assert "时间：2027-02-09 15:00" in out
    assert f"发布合并：{shas['merge'][:10]}  Merge pull request #12 from jinglao（2027-02-10 09:30，合并人 王建国）" in out
    # The sample trusts typed trailers (a transition period): they are named as such, and the 初审 the
    # merge lacked is named too.
    assert ("审核人：复审 王建国（合并说明中手写的 Reviewed-by，过渡期，未经签名核对）；"
            "终审 陈志强（合并说明中手写的 Approved-by，过渡期，未经签名核对）。"
            f"三审不全：缺少养老服务股初审（详见 scripts/mzpress review-check {shas['merge'][:10]}）") in out
    assert "首次发布到主线：2027-02-10 09:30" in out
    assert "发布时间（date）：2027-02-10 09:00，与首次发布时间相符（允许相差48小时）" in out
    assert "台账起点（ledger.start: 2027-01-01（含当天））之后发布" in out


def test_history_as_json(project):
    root, shas = project
    result = mzpress(root, "history", STORY, "--format", "json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["file"] == STORY and data["first_commit"] == shas["merge"]
    assert data["first_published"] == "2027-02-10T09:30:00+08:00"
    assert data["ledger"] == {"start": "2027-01-01", "imported": False, "note": data["ledger"]["note"]}
    assert data["date"] == "2027-02-10T09:00:00+08:00" and data["backdated"] is False
    (revision,) = data["revisions"]
    assert revision["sha"] == shas["written"] and not revision["on_main_line"]
    assert revision["author"] == {"name": "李晓梅", "email": "lixiaomei@example.gov.cn"}
    assert revision["merge"]["sha"] == shas["merge"] and revision["merge"]["committer"] == "王建国"
    assert [(r["stage"], r["name"], r["kind"], r["trailer"]) for r in revision["reviewers"]] == [
        ("复审", "王建国", "trailer", "Reviewed-by"), ("终审", "陈志强", "trailer", "Approved-by")]
    assert revision["review"] == {"commit": shas["merge"], "complete": False, "signatures": revision["reviewers"],
                                  "missing": ["养老服务股初审"], "awaiting_after_the_fact": [], "note": None}
    assert [(r["trailer"], r["who"], r["source"]) for r in revision["typed_trailers"]] == [
        ("Reviewed-by", REVIEWER, "merge"), ("Approved-by", APPROVER, "merge")]


def test_history_says_when_the_date_is_backdated(project):
    root, shas = project
    result = mzpress(root, "history", LATE)
    assert result.returncode == 0, result.stderr
    assert (f"首次发布到主线：2027-02-21 09:00（提交 {shas['late'][:10]}）") in result.stdout
    assert "发布时间（date）：2027-02-01 09:00，比首次发布早约20天，超过允许的48小时，属于倒填发稿日期" in result.stdout
    assert json.loads(mzpress(root, "history", LATE, "--format", "json").stdout)["backdated"] is True
    check = mzpress(root, "check", build_date="2027-03-01")
    assert check.returncode == 1 and f"{LATE}:3: 错误 [ledger.backdated]" in check.stdout
    assert STORY not in check.stdout and OLD not in check.stdout


def test_imported_content_shows_its_exemption(project):
    root, shas = project
    result = mzpress(root, "history", OLD)
    assert result.returncode == 0, result.stderr
    assert (f"迁移内容：本页首次提交（2026-12-20 10:00，提交 {shas['imported'][:10]}）在台账起点"
            "（ledger.start: 2027-01-01（含当天））当时或之前") in result.stdout
    assert "不做发稿日期倒填检查" in result.stdout
    assert "发布时间（date）：2019-05-01 00:00（迁移内容，不检查）" in result.stdout
    assert "发布合并：无单独的合并提交（本提交直接进入主线）" in result.stdout
    assert "审核人：无（没有覆盖本页的审核签名）。三审不全：缺少办公室初审、复审、终审" in result.stdout
    data = json.loads(mzpress(root, "history", OLD, "--format", "json").stdout)
    assert data["ledger"]["imported"] is True


def test_history_of_a_file_never_committed(project):
    root, _ = project
    result = mzpress(root, "history", "content/stories/2027/never.md")
    assert result.returncode == 2 and "没有修订记录" in result.stderr and "Traceback" not in result.stderr


def test_history_of_a_file_outside_the_project(project, tmp_path):
    root, _ = project
    outside = tmp_path / "x.md"
    outside.write_text("x", encoding="utf-8")
    result = mzpress(root, "history", str(outside))
    assert result.returncode == 2 and "不在网站项目" in result.stderr


def test_history_outside_a_repository(tmp_path):
    root = new_project(tmp_path / "site", with_sample_pages=False)
    result = mzpress(root, "history", "content/index.md")
    assert result.returncode == 2
    assert "不在 git 仓库中" in result.stderr and "Traceback" not in result.stderr


def test_history_in_a_repository_without_commits(tmp_path):
    root = new_project(tmp_path / "site", with_sample_pages=False)
    GitRepo(root)
    result = mzpress(root, "history", "content/index.md")
    assert result.returncode == 2
    assert "还没有任何提交" in result.stderr and "Traceback" not in result.stderr


def test_history_shows_a_scheduled_take_down(tmp_path):
    root = new_project(tmp_path / "site", with_sample_pages=False)
    repo = GitRepo(root)
    page = "content/stories/2026/zhaopin.md"
    repo.write(page, story_text(title="招聘公告", date="2026-11-01 09:00"))
    repo.commit("Add the notice", "2026-11-01T09:00:00+08:00", add_all=True)
    repo.commit("Take it down after the deadline", "2026-11-02T09:00:00+08:00",
                {page: story_text(title="招聘公告", date="2026-11-01 09:00", extra="unpublish_at: 2026-11-20 18:00\n")})
    text = mzpress(root, "history", page)
    assert text.returncode == 0, text.stderr
    assert "定时下线（unpublish_at）：2026-11-20 18:00，已按计划下线" in text.stdout  # build date 2026-11-30
    assert "Take it down after the deadline" in text.stdout
    data = json.loads(mzpress(root, "history", page, "--format", "json").stdout)
    assert data["unpublish_at"].startswith("2026-11-20T18:00")
    later = mzpress(root, "history", page, build_date="2026-11-10")
    assert "到时按计划下线" in later.stdout


def _key(folder, account: str):
    path = folder / account
    subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", account, "-f", str(path)], check=True)
    key, _ = parse_public_key((folder / f"{account}.pub").read_text(encoding="utf-8"))
    return path, key


def _in_process(capsys, root, *args: str):
    """``mzpress …`` in this process (a subprocess costs seconds of start-up each): exit code and stdout."""
    capsys.readouterr()
    code = main(["--root", str(root), *args])
    out, err = capsys.readouterr()
    assert code == 0, err
    return out


def test_history_names_per_page_the_reviewers_whose_signatures_cover_it(tmp_path, capsys, monkeypatch):
    """Two units' stories in one merge: each page lists its own unit's 初审, never the other's."""
    monkeypatch.setenv("MZPRESS_BUILD_DATE", "2026-11-30")
    run = functools.partial(_in_process, capsys)
    elderly, social = "content/stories/2026/jinglao.md", "content/stories/2026/jiuzhu.md"
    root = new_project(tmp_path / "site", with_sample_pages=False)
    keys = {account: _key(tmp_path, account) for account in ("sunguohua", "zhaodeming", "wangjianguo", "chenzhiqiang")}
    units = root / "site_config/units.yml"
    lines = units.read_text(encoding="utf-8").replace("  trust: trailers\n", "").splitlines(keepends=True)
    for account, (_, key) in keys.items():
        (index,) = [i for i, line in enumerate(lines) if f"github: {account}" in line and not line.startswith("#")]
        lines[index] = lines[index].replace(f"github: {account}", f'github: {account}, ssh_key: "{key.line}"')
    units.write_text("".join(lines), encoding="utf-8")
    repo = GitRepo(root)
    monkeypatch.chdir(root)  # history reads the file name from where the writer is
    repo.write("content/index.md", "---\ntitle: 首页\n---\n\n首页。\n")
    repo.commit("Base", "2026-11-01T09:00:00+08:00", add_all=True)
    repo.branch("two-units")
    repo.commit("Two stories", "2026-11-02T09:00:00+08:00", {
        elderly: story_text(title="敬老", date="2026-11-02 09:00", unit="elderly-care"),
        social: story_text(title="救助", date="2026-11-02 09:00", unit="social-assistance")})
    for account, stage in (("sunguohua", "初审"), ("zhaodeming", "初审"), ("wangjianguo", "复审"),
                           ("chenzhiqiang", "终审")):
        run(root, "approve", "--key", str(keys[account][0]), "--stage", stage)
    repo.checkout("main")
    merge = repo.merge("two-units", "Merge pull request '两篇稿件' (#3) from two-units into main",
                       "2026-11-02T10:00:00+08:00")
    assert run(root, "review-check", merge).startswith("三审记录齐全：")

    out = run(root, "history", elderly)
    assert "审核人：养老服务股初审 孙国华（SSH 签名，提交 " in out and "；复审 王建国（SSH 签名，提交 " in out
    assert "；终审 陈志强（SSH 签名，提交 " in out and "赵德明" not in out and "三审不全" not in out
    out = run(root, "history", social)
    assert "审核人：社会救助股初审 赵德明（SSH 签名，提交 " in out and "孙国华" not in out
    data = json.loads(run(root, "history", social, "--format", "json"))
    (revision,) = data["revisions"]
    assert [(r["stage"], r["name"], r["kind"]) for r in revision["reviewers"]] == [
        ("初审", "赵德明", "ssh"), ("复审", "王建国", "ssh"), ("终审", "陈志强", "ssh")]
    assert revision["reviewers"][0]["fingerprint"] == keys["zhaodeming"][1].fingerprint
    assert revision["review"]["complete"] is True and revision["typed_trailers"] == []
