"""``mzpress review-check``: merges carrying complete, incomplete and wrong 三审 trailers, in real repositories.

Typed trailers count only in the transition mode ``review: {trust: trailers}``, which the sample
units.yml sets (its reviewers are placeholders without keys): these tests run in that mode, check the
warning it prints on every run, and check that without it the same trailers fail. Signed approvals
(``mzpress approve``, real SSH keys) are tested in ``test_signed_approvals.py``.
"""

from __future__ import annotations

import json
from pathlib import Path
from types import SimpleNamespace

import git
import pytest

from mzpress.cli import main
from mzpress.history.review_check import review_commit
from mzpress.model.config import load_config
from tests.support.git_repo import GitRepo
from tests.support.project import mzpress, new_project, story_text

ELDERLY = "content/stories/2026/jinglao.md"  # unit elderly-care: 初审 孙国华
OFFICE = "content/stories/2026/bangong.md"  # unit office: 初审 刘芳
FIRST_ELDERLY = "Reviewed-by: 孙国华 <sunguohua@example.gov.cn>"
FIRST_OFFICE = "Reviewed-by: 刘芳 <liufang@example.gov.cn>"
SECOND = "Reviewed-by: 王建国 <wangjianguo@example.gov.cn>"
FINAL = "Approved-by: 陈志强 <chenzhiqiang@example.gov.cn>"
TECHNICAL = "Reviewed-by: 张卫东 <zhangweidong@example.gov.cn>"  # stage 技术 in the sample units.yml


def _story(title: str, unit: str) -> str:
    return story_text(title=title, date="2026-11-01", unit=unit, body=f"{title}的正文。\n" * 5)


TRUST_WARNING = "警告：site_config/units.yml:"  # …设了 review: {trust: trailers}（过渡期）…


@pytest.fixture
def repo(tmp_path) -> GitRepo:
    root = new_project(tmp_path / "site", with_sample_pages=False)
    assert "  trust: trailers\n" in (root / "site_config/units.yml").read_text(encoding="utf-8")
    repo = GitRepo(root)
    repo.write(OFFICE, _story("办公室的稿件", "office"))
    repo.write("content/index.md", "---\ntitle: 首页\n---\n\n首页。\n")
    repo.commit("Base", "2026-11-01T09:00:00+08:00", add_all=True)
    return repo


_count = iter(range(1000))


def _merge(repo: GitRepo, files: dict, *trailers: str) -> str:
    branch = f"work-{next(_count)}"
    repo.branch(branch)
    repo.commit("写稿", "2026-11-02T09:00:00+08:00", files)
    repo.checkout("main")
    message = f"Merge pull request '稿件' (#1) from {branch} into main"
    if trailers:
        message += "\n\nReviewed-on: https://git.example.gov.cn/mz/site/pulls/1\n" + "\n".join(trailers)
    return repo.merge(branch, message, "2026-11-02T10:00:00+08:00")


@pytest.fixture
def check(capsys):
    """``mzpress review-check`` in this process (a subprocess per case would cost a second each)."""
    def run(root: Path, *args: str) -> SimpleNamespace:
        capsys.readouterr()
        code = main(["--root", str(root), "review-check", *(args or ("HEAD",))])
        out, err = capsys.readouterr()
        return SimpleNamespace(returncode=code, stdout=out, stderr=err)
    return run


# ------------------------------------------------------------------------- complete


def test_complete_three_review_passes(repo, check):
    _merge(repo, {ELDERLY: _story("敬老院的稿件", "elderly-care")}, FIRST_ELDERLY, SECOND, FINAL)
    result = check(repo.path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("三审记录齐全：提交 ")
    assert TRUST_WARNING in result.stdout and "设了 review: {trust: trailers}（过渡期），合并说明中手写的签名行也算作三审签名。" \
        in result.stdout and "手写的签名谁都能写" in result.stdout
    assert "改动页面1个" in result.stdout
    assert "养老服务股（elderly-care）的初审：孙国华（Reviewed-by）" in result.stdout
    assert "复审：王建国（Reviewed-by）" in result.stdout and "终审：陈志强（Approved-by）" in result.stdout


def test_the_same_trailers_fail_without_trust_trailers(repo, check):
    """The default (no trust: line) counts signed approvals only: typed names prove nothing."""
    units = repo.path / "site_config/units.yml"
    strict = units.read_text(encoding="utf-8").replace("  trust: trailers\n", "")
    repo.commit("只认审核签名", "2026-11-01T12:00:00+08:00", {"site_config/units.yml": strict})
    _merge(repo, {ELDERLY: _story("敬老院的稿件", "elderly-care")}, FIRST_ELDERLY, SECOND, FINAL)
    result = check(repo.path)
    assert result.returncode == 1 and TRUST_WARNING not in result.stderr
    assert "缺少养老服务股（elderly-care）的初审：应由孙国华签署：请其检出拉取请求的分支，核对内容后运行 scripts/mzpress approve" \
        in result.stderr
    assert f"合并说明中手写的签名行不算数（site_config/units.yml 没有设 review: {{trust: trailers}}）：“{FIRST_ELDERLY}”" \
        in result.stderr


def test_signatures_by_account_or_name_alone_are_recognised(repo, check):
    _merge(repo, {ELDERLY: _story("敬老院的稿件", "elderly-care")},
           "Reviewed-by: sunguohua <sgh@mz.example.gov.cn>", "Reviewed-by: 王建国", "Approved-by: @chenzhiqiang")
    assert check(repo.path).returncode == 0


def test_pages_of_two_units_need_the_first_review_of_each(repo, check):
    files = {ELDERLY: _story("敬老院的稿件", "elderly-care"), OFFICE: _story("办公室的稿件（修改）", "office")}
    _merge(repo, files, FIRST_ELDERLY, SECOND, FINAL)
    result = check(repo.path)
    assert result.returncode == 1
    assert "缺少办公室（office）的初审：应由刘芳签署，在合并说明末尾写一行“Reviewed-by: 刘芳 <邮箱>”。" in result.stderr
    assert "已有养老服务股（elderly-care）的初审：孙国华（Reviewed-by）" in result.stderr
    _merge(repo, {OFFICE: _story("办公室的稿件（再改）", "office"), ELDERLY: _story("敬老院（改）", "elderly-care")},
           FIRST_ELDERLY, FIRST_OFFICE, SECOND, FINAL)
    assert check(repo.path).returncode == 0


def test_a_deleted_page_needs_the_first_review_of_its_old_unit(repo, check):
    _merge(repo, {OFFICE: None}, FIRST_ELDERLY, SECOND, FINAL)
    result = check(repo.path)
    assert result.returncode == 1 and "缺少办公室（office）的初审" in result.stderr
    assert "没有用上的签名：“Reviewed-by: 孙国华 <sunguohua@example.gov.cn>”（养老服务股初审人）" in result.stderr


def test_images_alone_need_a_first_review_of_any_unit(repo, check):
    _merge(repo, {"content/stories/2026/images/x.jpg": "jpeg"}, FIRST_ELDERLY, SECOND, FINAL)
    result = check(repo.path)
    assert result.returncode == 0 and "改动页面0个、图片和附件1个" in result.stdout


# ----------------------------------------------------------------------- incomplete


def test_one_reviewer_and_no_approval_fails_naming_what_is_missing(repo, check):
    _merge(repo, {ELDERLY: _story("敬老院的稿件", "elderly-care")}, SECOND)
    result = check(repo.path)
    assert result.returncode == 1 and result.stdout == ""
    err = result.stderr
    assert err.startswith("错误：提交 ") and "的三审记录不全或有误，不能发布。" in err
    assert "缺少养老服务股（elderly-care）的初审：应由孙国华签署" in err
    assert "缺少终审：应由陈志强签署，在合并说明末尾写一行“Approved-by: 陈志强 <邮箱>”。" in err
    assert "已有复审：王建国（Reviewed-by）" in err
    assert "修改建议：" in err and "git revert -m 1" in err


def test_a_merge_without_any_signature(repo, check):
    _merge(repo, {ELDERLY: _story("敬老院的稿件", "elderly-care")})
    result = check(repo.path)
    assert result.returncode == 1
    assert "合并说明末尾没有任何审核签名" in result.stderr
    for missing in ("缺少养老服务股（elderly-care）的初审", "缺少复审", "缺少终审"):
        assert missing in result.stderr


# ---------------------------------------------------------------------------- wrong


def test_final_review_signed_with_the_wrong_trailer(repo, check):
    _merge(repo, {ELDERLY: _story("敬老院的稿件", "elderly-care")},
           FIRST_ELDERLY, SECOND, "Reviewed-by: 陈志强 <chenzhiqiang@example.gov.cn>")
    result = check(repo.path)
    assert result.returncode == 1
    assert "缺少终审：应由陈志强签署" in result.stderr
    assert "陈志强写成了“Reviewed-by”，终审应写“Approved-by”。" in result.stderr
    assert "没有用上的签名" not in result.stderr  # his line is explained above, not called unneeded


def test_a_person_not_in_units_yml_is_an_error(repo, check):
    _merge(repo, {ELDERLY: _story("敬老院的稿件", "elderly-care")},
           FIRST_ELDERLY, SECOND, FINAL, "Reviewed-by: 张三 <zhangsan@example.com>")
    result = check(repo.path)
    assert result.returncode == 1
    assert ("签名“Reviewed-by: 张三 <zhangsan@example.com>”中的人不在 site_config/units.yml 的审核人名单中："
            "不能用作三审签名。") in result.stderr
    assert "缺少" not in result.stderr  # the three stages themselves are signed


def test_one_person_named_twice_is_an_error(repo, check):
    _merge(repo, {ELDERLY: _story("敬老院的稿件", "elderly-care")},
           FIRST_ELDERLY, SECOND, "Approved-by: 王建国 <wangjianguo@example.gov.cn>")
    result = check(repo.path)
    assert result.returncode == 1
    assert ("王建国签了2次（“Reviewed-by: 王建国 <wangjianguo@example.gov.cn>”、"
            "“Approved-by: 王建国 <wangjianguo@example.gov.cn>”）：一人只能签一个审核环节，"
            "三审须由三个不同的人签署。") in result.stderr
    assert "缺少终审" in result.stderr


def test_the_first_review_of_another_unit_does_not_count(repo, check):
    _merge(repo, {ELDERLY: _story("敬老院的稿件", "elderly-care")}, FIRST_OFFICE, SECOND, FINAL)
    result = check(repo.path)
    assert result.returncode == 1
    assert "缺少养老服务股（elderly-care）的初审：应由孙国华签署" in result.stderr
    assert "“Reviewed-by: 刘芳 <liufang@example.gov.cn>”（办公室初审人）" in result.stderr


def test_a_page_of_an_unknown_unit_cannot_get_its_first_review(repo, check):
    _merge(repo, {ELDERLY: _story("单位写错的稿件", "elderly")}, FIRST_ELDERLY, SECOND, FINAL)
    result = check(repo.path)
    assert result.returncode == 1
    assert "缺少单位“elderly”的初审：单位“elderly”不在 site_config/units.yml 中，没有人能签它的初审" in result.stderr


def test_a_signature_with_a_full_width_colon_is_named(repo, check):
    _merge(repo, {ELDERLY: _story("敬老院的稿件", "elderly-care")},
           FIRST_ELDERLY, SECOND, "Approved-by：陈志强 <chenzhiqiang@example.gov.cn>")
    result = check(repo.path)
    assert result.returncode == 1 and "缺少终审" in result.stderr
    assert ("签名“Approved-by：陈志强 <chenzhiqiang@example.gov.cn>”用了中文冒号“：”，不会被识别："
            "改成英文冒号和一个空格，写成“Approved-by: 陈志强 <chenzhiqiang@example.gov.cn>”。") in result.stderr


def test_name_and_account_of_two_different_people(repo, check):
    _merge(repo, {ELDERLY: _story("敬老院的稿件", "elderly-care")},
           FIRST_ELDERLY, "Reviewed-by: 王建国 <chenzhiqiang@example.gov.cn>", FINAL)
    result = check(repo.path)
    assert result.returncode == 1 and "不是同一个审核人" in result.stderr


def test_reviewers_added_by_the_merge_itself_do_not_count(repo, check):
    units = (repo.path / "site_config/units.yml").read_text(encoding="utf-8")
    forged = units.replace("  - {stage: 终审, name: 陈志强", "  - {stage: 终审, name: 钱自批, github: qianzipi}\n"
                           "  - {stage: 终审, name: 陈志强")
    _merge(repo, {ELDERLY: _story("敬老院的稿件", "elderly-care"), "site_config/units.yml": forged},
           FIRST_ELDERLY, SECOND, "Approved-by: 钱自批 <qianzipi@example.gov.cn>")
    result = check(repo.path)
    assert result.returncode == 1 and "钱自批" in result.stderr and "不在 site_config/units.yml" in result.stderr
    # Once that merge is on main (and properly signed), the new 终审 reviewer may sign later merges.
    _merge(repo, {ELDERLY: _story("敬老院的稿件（改）", "elderly-care")},
           FIRST_ELDERLY, SECOND, "Approved-by: 钱自批 <qianzipi@example.gov.cn>")
    assert check(repo.path).returncode == 0


# --------------------------------------------------------------------------- policy


def test_a_merge_touching_no_content_needs_only_what_the_policy_says(repo, check):
    topics = repo.path / "site_config/topics.yml"
    _merge(repo, {"site_config/topics.yml": topics.read_text(encoding="utf-8") + "\n"}, SECOND, FINAL)
    result = check(repo.path)
    assert result.returncode == 0, result.stderr
    assert "没有改动 content/ 下的文件" in result.stdout and "技术" not in result.stdout
    _merge(repo, {"README.md": "说明\n", "docs/guide.md": "说明\n"}, SECOND)
    result = check(repo.path)
    assert result.returncode == 1 and "缺少终审" in result.stderr and "缺少复审" not in result.stderr
    assert "的初审" not in result.stderr and "缺少技术审核" not in result.stderr and "网站代码（" not in result.stderr


def test_the_policy_in_units_yml_changes_what_is_required(repo, check):
    units = repo.path / "site_config/units.yml"
    text = units.read_text(encoding="utf-8")
    assert "review:\n  content: [初审, 复审, 终审]\n  other: [复审, 终审]\n" in text
    gitea = text.replace("  other: [复审, 终审]", "  other: []").replace("终审: Approved-by", "终审: Reviewed-by")
    repo.commit("Gitea 的签名写法", "2026-11-01T12:00:00+08:00", {"site_config/units.yml": gitea})
    _merge(repo, {"README.md": "说明\n"})
    result = check(repo.path)
    assert result.returncode == 0 and "三审规则不要求这类合并签名" in result.stdout
    # other: [] cannot waive the technical review of site code.
    _merge(repo, {"overrides/extra.txt": "x\n"})
    result = check(repo.path)
    assert result.returncode == 1 and "缺少技术审核：这次合并改动了网站代码（overrides/extra.txt）" in result.stderr
    _merge(repo, {"overrides/extra.txt": "y\n"}, TECHNICAL)
    assert check(repo.path).returncode == 0
    gitea_signatures = (FIRST_ELDERLY, SECOND, "Reviewed-by: 陈志强 <chenzhiqiang@example.gov.cn>")
    _merge(repo, {ELDERLY: _story("敬老院的稿件", "elderly-care")}, *gitea_signatures)
    assert check(repo.path).returncode == 0


def test_a_policy_stage_nobody_may_sign_says_so(repo, check):
    units = repo.path / "site_config/units.yml"
    text = "".join(line for line in units.read_text(encoding="utf-8").splitlines(keepends=True)
                   if not line.startswith("  - {stage: 终审, name: 陈志强"))
    repo.commit("没有终审人", "2026-11-01T12:00:00+08:00", {"site_config/units.yml": text})
    _merge(repo, {ELDERLY: _story("敬老院的稿件", "elderly-care")}, FIRST_ELDERLY, SECOND, FINAL)
    result = check(repo.path)
    assert result.returncode == 1
    assert "缺少终审：site_config/units.yml 中没有可以签终审的人" in result.stderr


def test_json_output(repo, check):
    sha = _merge(repo, {ELDERLY: _story("敬老院的稿件", "elderly-care")}, SECOND)
    result = mzpress(repo.path, "review-check", sha[:8], "--format", "json")
    assert result.returncode == 1
    data = json.loads(result.stdout)
    assert data["commit"] == sha and data["passed"] is False
    assert [(r["stage"], r["unit"], (r["signed_by"] or {}).get("name")) for r in data["requirements"]] == [
        ("初审", "elderly-care", None), ("复审", None, "王建国"), ("终审", None, None)]
    assert data["files"] == [{"relpath": ELDERLY, "status": "A", "unit_id": "elderly-care", "is_page": True}]
    assert data["site_code"] == []
    sha = _merge(repo, {"mkdocs.yml": "site_name: x\n"}, SECOND, FINAL)
    data = json.loads(mzpress(repo.path, "review-check", sha[:8], "--format", "json").stdout)
    assert data["site_code"] == ["mkdocs.yml"] and data["passed"] is False
    assert [(r["stage"], r["label"], r["signed_by"]) for r in data["requirements"]][-1] == ("技术", "技术审核", None)


def test_a_plain_commit_is_checked_against_its_parent(repo):
    repo.commit("直接提交\n\n" + "\n".join((FIRST_ELDERLY, SECOND, FINAL)), "2026-11-03T09:00:00+08:00",
                {ELDERLY: _story("敬老院的稿件", "elderly-care")})
    verdict = review_commit(repo.path, "HEAD")
    assert verdict.passed and [f.relpath for f in verdict.files] == [ELDERLY]


def test_since_checks_every_main_line_commit_in_the_range(repo, check):
    start = repo.head()
    _merge(repo, {ELDERLY: _story("敬老院的稿件", "elderly-care")})  # unsigned: must not hide behind the next
    _merge(repo, {"overrides/extra.txt": "x\n"}, SECOND, FINAL, TECHNICAL)
    assert check(repo.path).returncode == 0  # HEAD alone is fine
    result = check(repo.path, "--since", start, "HEAD")
    assert result.returncode == 1
    assert result.stdout.startswith("三审记录齐全：") and result.stderr.count("三审记录不全或有误，不能发布") == 1
    assert f"{start} 之后的主线提交共2个，1个三审记录不全或有误。" in result.stderr
    assert check(repo.path, "--since", "HEAD~1", "HEAD").returncode == 0
    assert check(repo.path, "--since", "nope", "HEAD").returncode == 2


# ------------------------------------------------------------------------ bad input


def test_unknown_commit_no_repository_and_broken_configuration(repo, check, tmp_path):
    result = check(repo.path, "no-such-branch")
    assert result.returncode == 2 and "找不到提交“no-such-branch”" in result.stderr
    plain = new_project(tmp_path / "plain", with_sample_pages=False)
    result = mzpress(plain, "review-check", "HEAD")
    assert result.returncode == 2 and "不在 git 仓库中" in result.stderr and "Traceback" not in result.stderr
    broken = (repo.path / "site_config/units.yml").read_text(encoding="utf-8").replace(
        "  other: [复审, 终审]", "  other: [复审, 总审]")
    repo.commit("写错了", "2026-11-01T12:00:00+08:00", {"site_config/units.yml": broken})
    _merge(repo, {ELDERLY: _story("敬老院的稿件", "elderly-care")}, FIRST_ELDERLY, SECOND, FINAL)
    result = check(repo.path)
    assert result.returncode == 2
    assert "合并前的 site_config/units.yml 有错误" in result.stderr and "site_config/units.yml:" in result.stderr
    assert "总审" in result.stderr


def test_only_units_yml_before_the_merge_matters(repo, check):
    columns = repo.path / "site_config/columns.yml"
    repo.commit("栏目配置写错", "2026-11-01T12:00:00+08:00", {"site_config/columns.yml": "columns: [\n"})
    _merge(repo, {ELDERLY: _story("敬老院的稿件", "elderly-care"), "site_config/columns.yml": "columns: []\n"},
           FIRST_ELDERLY, SECOND, FINAL)
    assert columns.read_text(encoding="utf-8") == "columns: []\n"
    result = check(repo.path)
    assert result.returncode == 0, result.stderr


def test_a_shallow_clone_says_so(repo, check, tmp_path):
    _merge(repo, {ELDERLY: _story("敬老院的稿件", "elderly-care")}, FIRST_ELDERLY, SECOND, FINAL)
    clone = tmp_path / "shallow"
    git.Repo.clone_from(repo.path.as_uri(), clone, depth=1)
    result = check(clone)
    assert result.returncode == 2 and "浅克隆" in result.stderr and "fetch-depth: 0" in result.stderr


def test_the_review_policy_is_validated_with_file_and_line(tmp_path):
    root = new_project(tmp_path / "p", with_sample_pages=False)
    units = root / "site_config/units.yml"
    text = units.read_text(encoding="utf-8")
    text = text.replace("  other: [复审, 终审]", "  other: [复审, 复审]\n  ohter: []").replace(
        "终审: Approved-by", "终审: Reviewed-on").replace("  trust: trailers", "  trust: always")
    units.write_text(text, encoding="utf-8")
    lines = text.splitlines()
    _, findings = load_config(root)
    by_line = {(f.line, f.message) for f in findings}
    other_line = next(i for i, line in enumerate(lines, 1) if line.startswith("  other:"))
    assert (other_line, "review.other 里的审核环节“复审”写了两次。") in by_line
    assert any(line == other_line + 1 and "ohter" in message for line, message in by_line)
    trailers_line = next(i for i, line in enumerate(lines, 1) if line.startswith("  trailers:"))
    assert (trailers_line, "终审的签名写法“Reviewed-on”不能用作审核签名。") in by_line
    trust_line = next(i for i, line in enumerate(lines, 1) if line.startswith("  trust:"))
    assert (trust_line, "review.trust（什么样的审核签名算数）不能写“always”。") in by_line
    assert all(f.file == "site_config/units.yml" and f.severity == "error" for f in findings)
    sample = load_config(new_project(tmp_path / "q", with_sample_pages=False))[0].review
    assert sample.content == ("初审", "复审", "终审") and sample.trusts_trailers


def test_since_live_checks_everything_after_the_commit_the_site_serves(repo, check, tmp_path):
    from mzpress.deploy.deployment import deploy
    from mzpress.deploy.release_store import ReleaseStore
    from mzpress.publishing.manifest import build_manifest, write_manifest

    target = tmp_path / "www"
    assert check(repo.path, "--since-live", "--to", str(target), "HEAD").returncode == 1  # nothing live yet: HEAD only
    live = repo.head()
    site = tmp_path / "site-build"
    site.mkdir()
    (site / "index.html").write_text("<h1>live</h1>", encoding="utf-8")
    write_manifest(site, build_manifest(site, live, "2026-11-01T10:00:00+00:00", "0.1.0"))
    deploy(site, ReleaseStore(target), keep=3)
    _merge(repo, {ELDERLY: _story("敬老院的稿件", "elderly-care")})  # unsigned, not yet live
    _merge(repo, {"overrides/extra.txt": "x\n"}, SECOND, FINAL, TECHNICAL)  # signed, changes no content
    assert check(repo.path, "HEAD").returncode == 0  # HEAD alone would let the unsigned merge out
    result = check(repo.path, "--since-live", "--to", str(target), "HEAD")
    assert result.returncode == 1 and "之后的主线提交共2个，1个三审记录不全或有误。" in result.stderr, result.stderr
    unreachable = check(repo.path, "--since-live", "--to", "ssh://nobody@127.0.0.1:1/srv/www", "HEAD")
    assert unreachable.returncode == 2 and "无法读取线上网站的版本" in unreachable.stderr


# ---------------------------------------------------------------------- site code


MKDOCS_FOREIGN_SCRIPT = "extra_javascript:\n  - https://cdn.example.com/x.js\n"


def _mkdocs(repo: GitRepo, extra: str) -> str:
    return (repo.path / "mkdocs.yml").read_text(encoding="utf-8") + extra


def test_a_merge_of_content_alone_needs_no_technical_review(repo, check):
    _merge(repo, {ELDERLY: _story("敬老院的稿件", "elderly-care"), "content/stories/2026/images/x.jpg": "jpeg",
                  "site_config/topics.yml": (repo.path / "site_config/topics.yml").read_text(encoding="utf-8") + "\n"},
           FIRST_ELDERLY, SECOND, FINAL)
    result = check(repo.path)
    assert result.returncode == 0, result.stderr
    assert "网站代码" not in result.stdout and "技术审核" not in result.stdout
    assert review_commit(repo.path, "HEAD").site_code == []


@pytest.mark.parametrize("files", [
    {"mkdocs.yml": "MKDOCS"},
    {"overrides/partials/footer.html": "<script src=\"https://cdn.example.com/x.js\"></script>\n"},
    {"mzpress/checks/registry.py": "SITE_CHECKS = ()\n"},
    {".github/workflows/publish.yml": "on: push\n", "scripts/deploy": "#!/bin/sh\n"},
    {"pyproject.toml": "[project]\n", "requirements/base.txt": "evil==1.0\n", "Dockerfile": "FROM x\n"},
], ids=["mkdocs", "overrides", "mzpress", "workflow-and-script", "packaging-and-new-file"])
def test_site_code_without_the_technical_reviewer_fails_and_with_one_passes(repo, check, files):
    files = {path: _mkdocs(repo, MKDOCS_FOREIGN_SCRIPT) if text == "MKDOCS" else text for path, text in files.items()}
    _merge(repo, {**files, ELDERLY: _story("敬老院的稿件", "elderly-care")}, FIRST_ELDERLY, SECOND, FINAL)
    result = check(repo.path)
    assert result.returncode == 1
    changed = "、".join(sorted(files))
    assert (f"缺少技术审核：这次合并改动了网站代码（{changed}），须经技术审核人审核：请张卫东在拉取请求中审阅这些文件的"
            "改动并批准，合并时在合并说明末尾写一行“Reviewed-by: 张卫东 <邮箱>”。") in result.stderr, result.stderr
    assert f"改动网站代码{len(files)}个（{changed}），另需技术审核" in result.stderr
    assert "已有复审：王建国（Reviewed-by）" in result.stderr and "已有终审：陈志强（Approved-by）" in result.stderr
    _merge(repo, {path: text + "\n" for path, text in files.items()}, SECOND, FINAL, TECHNICAL)
    result = check(repo.path)
    assert result.returncode == 0, result.stderr
    assert "技术审核：张卫东（Reviewed-by）" in result.stdout


def test_moving_or_deleting_site_code_needs_the_technical_reviewer_too(repo, check):
    repo.move(OFFICE, "overrides/bangong.md")
    _merge(repo, {}, FIRST_OFFICE, SECOND, FINAL)
    result = check(repo.path)
    assert result.returncode == 1 and "网站代码（overrides/bangong.md）" in result.stderr
    _merge(repo, {"overrides/main.html": None}, SECOND, FINAL)
    result = check(repo.path)
    assert result.returncode == 1 and "网站代码（overrides/main.html）" in result.stderr


def test_the_technical_reviewer_is_a_person_of_their_own(repo, check):
    """王建国 is 复审: his one line cannot also stand for the technical review, nor can a 初审."""
    _merge(repo, {"overrides/extra.txt": "x\n"}, SECOND, FINAL, FIRST_ELDERLY)
    result = check(repo.path)
    assert result.returncode == 1 and "缺少技术审核：这次合并改动了网站代码" in result.stderr
    assert "（养老服务股初审人），本次合并不需要这一签名" in result.stderr
    _merge(repo, {"overrides/extra.txt": "y\n"}, SECOND, "Approved-by: 张卫东 <zhangweidong@example.gov.cn>", FINAL)
    result = check(repo.path)
    assert result.returncode == 1 and "缺少技术审核" in result.stderr
    assert "张卫东写成了“Approved-by”，技术审核应写“Reviewed-by”。" in result.stderr


def test_a_technical_reviewer_added_on_the_branch_does_not_count(repo, check):
    units = (repo.path / "site_config/units.yml").read_text(encoding="utf-8")
    forged = units.replace("  - {stage: 技术, name: 张卫东", "  - {stage: 技术, name: 钱自审, github: qianzishen}\n"
                           "  - {stage: 技术, name: 张卫东")
    assert forged != units
    _merge(repo, {"site_config/units.yml": forged, "mkdocs.yml": _mkdocs(repo, MKDOCS_FOREIGN_SCRIPT)},
           SECOND, FINAL, "Reviewed-by: 钱自审 <qianzishen@example.gov.cn>")
    result = check(repo.path)
    assert result.returncode == 1
    assert "钱自审" in result.stderr and "不在 site_config/units.yml 的审核人名单中" in result.stderr
    assert "缺少技术审核：这次合并改动了网站代码（mkdocs.yml）" in result.stderr


def test_without_a_technical_reviewer_in_units_yml_the_message_says_how_to_add_one(repo, check):
    units = repo.path / "site_config/units.yml"
    text = units.read_text(encoding="utf-8")
    without = "".join(line for line in text.splitlines(keepends=True) if "stage: 技术" not in line)
    # Naming no technical reviewer is a site_config/ change: the 复审 and 终审 suffice.
    _merge(repo, {"site_config/units.yml": without}, SECOND, FINAL)
    assert check(repo.path).returncode == 0
    _merge(repo, {"overrides/extra.txt": "x\n"}, SECOND, FINAL, TECHNICAL)
    result = check(repo.path)
    assert result.returncode == 1
    assert ("缺少技术审核：这次合并改动了网站代码（overrides/extra.txt），须经技术审核，但合并前的 site_config/units.yml "
            "中没有技术审核人：请先在 units.yml 的 reviewers 中写明技术审核人（stage: 技术）并合并") in result.stderr
    _merge(repo, {"site_config/units.yml": text}, SECOND, FINAL)  # named again, then the change may go in
    assert check(repo.path).returncode == 0
    _merge(repo, {"overrides/extra.txt": "y\n"}, SECOND, FINAL, TECHNICAL)
    assert check(repo.path).returncode == 0


def test_site_code_outside_a_project_in_a_subfolder_counts(tmp_path, check):
    repo = GitRepo(tmp_path / "repo")
    new_project(repo.path / "site", with_sample_pages=False)
    repo.write("site/content/index.md", "---\ntitle: 首页\n---\n\n首页。\n")
    repo.commit("Base", "2026-11-01T09:00:00+08:00", add_all=True)
    _merge(repo, {".github/workflows/publish.yml": "on: push\n", "site/content/notes.md": "x\n"},
           FIRST_ELDERLY, SECOND, FINAL)
    result = check(repo.path / "site")
    assert result.returncode == 1 and "网站代码（.github/workflows/publish.yml）" in result.stderr
    _merge(repo, {"site/docs/guide.md": "说明\n", "site/README.md": "说明\n"}, SECOND, FINAL)
    assert check(repo.path / "site").returncode == 0


def test_technical_is_not_a_stage_of_content_or_other(tmp_path):
    root = new_project(tmp_path / "p", with_sample_pages=False)
    units = root / "site_config/units.yml"
    text = units.read_text(encoding="utf-8").replace("  other: [复审, 终审]", "  other: [复审, 终审, 技术]")
    units.write_text(text, encoding="utf-8")
    _, findings = load_config(root)
    (finding,) = findings
    assert finding.file == "site_config/units.yml" and finding.severity == "error"
    assert finding.message.startswith("review.other 里不用写“技术”：改动网站代码")
    assert load_config(new_project(tmp_path / "q", with_sample_pages=False))[0].review.trailer("技术") == "Reviewed-by"
