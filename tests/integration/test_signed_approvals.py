"""Signed approvals (审核签名) end to end: real git repositories, real ssh-keygen keys, ``mzpress approve``
making the signatures and ``mzpress review-check`` verifying them with git's own SSH verification."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from types import SimpleNamespace

import pytest

from mzpress.cli import main
from mzpress.model.config import load_config
from mzpress.model.review_policy import parse_public_key
from tests.support.git_repo import GitRepo
from tests.support.project import new_project, story_text

ELDERLY = "content/stories/2026/jinglao.md"  # unit elderly-care: 初审 孙国华
SOCIAL = "content/stories/2026/jiuzhu.md"  # unit social-assistance: 初审 赵德明
OFFICE = "content/stories/2026/bangong.md"  # unit office: 初审 刘芳
# (account, stage): the people of the sample units.yml who sign in these tests, and an outsider.
PEOPLE = ("sunguohua", "liufang", "zhaodeming", "wangjianguo", "chenzhiqiang", "zhangweidong", "qianzipi")


@pytest.fixture(scope="module")
def keys(tmp_path_factory) -> dict[str, SimpleNamespace]:
    """One ed25519 key per person, made once for the module by ssh-keygen."""
    folder = tmp_path_factory.mktemp("keys")
    result = {}
    for account in PEOPLE:
        path = folder / account
        subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", account, "-f", str(path)], check=True)
        public = (folder / f"{account}.pub").read_text(encoding="utf-8").strip()
        key, problem = parse_public_key(public)
        assert problem is None
        result[account] = SimpleNamespace(path=path, line=key.line, fingerprint=key.fingerprint)
    return result


def _with_keys(units: str, keys: dict, accounts=PEOPLE[:6]) -> str:
    """units.yml with ``ssh_key`` added to each of ``accounts`` (their entries are one-line mappings)."""
    lines = units.splitlines(keepends=True)
    for account in accounts:
        marker = f"github: {account}"
        (index,) = [i for i, line in enumerate(lines) if marker in line and not line.lstrip().startswith("#")]
        lines[index] = lines[index].replace(marker, f'{marker}, ssh_key: "{keys[account].line}"')
    return "".join(lines)


def _signatures_only(units: str) -> str:
    assert "  trust: trailers\n" in units  # the sample's transition setting
    return units.replace("  trust: trailers\n", "")


def _story(title: str, unit: str) -> str:
    return story_text(title=title, date="2026-11-01", unit=unit, body=f"{title}的正文。\n" * 5)


@pytest.fixture
def repo(tmp_path, keys) -> GitRepo:
    """A project whose units.yml lists every reviewer's key and trusts signed approvals only."""
    root = new_project(tmp_path / "site", with_sample_pages=False)
    units = root / "site_config/units.yml"
    units.write_text(_signatures_only(_with_keys(units.read_text(encoding="utf-8"), keys)), encoding="utf-8")
    repo = GitRepo(root)
    repo.write(OFFICE, _story("办公室的稿件", "office"))
    repo.write("content/index.md", "---\ntitle: 首页\n---\n\n首页。\n")
    repo.commit("Base", "2026-11-01T09:00:00+08:00", add_all=True)
    return repo


@pytest.fixture
def cli(capsys):
    """``mzpress …`` in this process: exit code, stdout, stderr."""
    def run(root: Path, *args: str) -> SimpleNamespace:
        capsys.readouterr()
        code = main(["--root", str(root), *args])
        out, err = capsys.readouterr()
        return SimpleNamespace(returncode=code, stdout=out, stderr=err)
    return run


_count = iter(range(1000))


def _branch(repo: GitRepo, files: dict) -> str:
    name = f"pr-{next(_count)}"
    repo.branch(name)
    repo.commit("写稿", "2026-11-02T09:00:00+08:00", files)
    return name


def _approve(cli, repo: GitRepo, keys, account: str, stage: str) -> SimpleNamespace:
    result = cli(repo.path, "approve", "--key", str(keys[account].path), "--stage", stage)
    assert result.returncode == 0, result.stderr
    return result


def _merge(repo: GitRepo, branch: str, *trailers: str) -> str:
    repo.checkout("main")
    message = f"Merge pull request '稿件' (#1) from {branch} into main"
    if trailers:
        message += "\n\n" + "\n".join(trailers)
    return repo.merge(branch, message, "2026-11-02T10:00:00+08:00")


def _three(cli, repo, keys, first: str = "sunguohua") -> None:
    _approve(cli, repo, keys, first, "初审")
    _approve(cli, repo, keys, "wangjianguo", "复审")
    _approve(cli, repo, keys, "chenzhiqiang", "终审")


# ------------------------------------------------------------------------------ valid


def test_a_valid_set_of_signed_approvals_passes(repo, keys, cli):
    branch = _branch(repo, {ELDERLY: _story("敬老院的稿件", "elderly-care")})
    signed = _approve(cli, repo, keys, "sunguohua", "初审")
    assert "孙国华（养老服务股初审人）以初审身份签名，批准分支" in signed.stdout
    assert f"{ELDERLY}（养老服务股）" in signed.stdout and "已签名：提交 " in signed.stdout
    message = repo.repo.head.commit.message
    assert message.startswith("审核签名：初审（孙国华）")
    assert f"Approves-tree: {repo.repo.head.commit.tree.hexsha}" in message and "Stage: 初审" in message
    assert repo.repo.head.commit.gpgsig.startswith("-----BEGIN SSH SIGNATURE-----")
    _approve(cli, repo, keys, "wangjianguo", "复审")
    _approve(cli, repo, keys, "chenzhiqiang", "终审")
    _merge(repo, branch)
    result = cli(repo.path, "review-check", "HEAD")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("三审记录齐全：") and "警告" not in result.stdout
    assert ("养老服务股（elderly-care）的初审：孙国华（SSH 签名，提交 " in result.stdout
            and f"密钥 {keys['sunguohua'].fingerprint}）" in result.stdout)
    assert "复审：王建国（SSH 签名" in result.stdout and "终审：陈志强（SSH 签名" in result.stdout


def test_site_code_needs_the_technical_reviewers_signature(repo, keys, cli):
    branch = _branch(repo, {"overrides/extra.txt": "x\n"})
    _approve(cli, repo, keys, "wangjianguo", "复审")
    _approve(cli, repo, keys, "chenzhiqiang", "终审")
    repo.checkout("main")
    unsigned = repo.merge(branch, "Merge without the technical review", "2026-11-02T10:00:00+08:00")
    result = cli(repo.path, "review-check", unsigned)
    assert result.returncode == 1
    assert "缺少技术审核：这次合并改动了网站代码（overrides/extra.txt），须经技术审核人审核：请张卫东检出拉取请求的分支" \
        in result.stderr and "scripts/mzpress approve --stage 技术" in result.stderr
    repo.repo.git.reset("-q", "--hard", "HEAD~1")
    repo.checkout(branch)
    _approve(cli, repo, keys, "zhangweidong", "技术")
    _merge(repo, branch)
    result = cli(repo.path, "review-check", "HEAD")
    assert result.returncode == 0, result.stderr
    assert "技术审核：张卫东（SSH 签名" in result.stdout


def test_json_lists_the_approvals_and_who_signed(repo, keys, cli):
    branch = _branch(repo, {ELDERLY: _story("敬老院的稿件", "elderly-care")})
    _three(cli, repo, keys)
    _merge(repo, branch)
    result = cli(repo.path, "review-check", "HEAD", "--format", "json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["passed"] is True and data["trust"] == "signatures" and data["warnings"] == []
    assert [(a["stage"], a["name"], a["status"], a["covers"]) for a in data["approvals"]] == [
        ("初审", "孙国华", "good", True), ("复审", "王建国", "good", True), ("终审", "陈志强", "good", True)]
    first = data["requirements"][0]["signed_by"]
    assert first["kind"] == "ssh" and first["name"] == "孙国华" and first["fingerprint"] == keys["sunguohua"].fingerprint


# ----------------------------------------------------------------------------- forged


def test_forged_trailers_do_not_pass(repo, keys, cli):
    """One person typing everyone's names: what review-check accepted before signed approvals."""
    branch = _branch(repo, {ELDERLY: _story("敬老院的稿件", "elderly-care")})
    _merge(repo, branch, "Reviewed-by: 孙国华 <sunguohua@example.gov.cn>", "Reviewed-by: 王建国 <wangjianguo@example.gov.cn>",
           "Approved-by: 陈志强 <chenzhiqiang@example.gov.cn>")
    result = cli(repo.path, "review-check", "HEAD")
    assert result.returncode == 1 and result.stdout == ""
    err = result.stderr
    for missing in ("缺少养老服务股（elderly-care）的初审：应由孙国华签署：请其检出拉取请求的分支，核对内容后运行 "
                    "scripts/mzpress approve --stage 初审", "缺少复审：应由王建国签署", "缺少终审：应由陈志强签署"):
        assert missing in err, err
    assert ("合并说明中手写的签名行不算数（site_config/units.yml 没有设 review: {trust: trailers}）："
            "“Reviewed-by: 孙国华 <sunguohua@example.gov.cn>”") in err
    assert "这次合并带进来的提交中没有有效的审核签名" in err


def test_an_approval_commit_without_a_signature_is_an_error(repo, keys, cli):
    """A hand-made approval commit, author line and all, but not signed."""
    branch = _branch(repo, {ELDERLY: _story("敬老院的稿件", "elderly-care")})
    _approve(cli, repo, keys, "sunguohua", "初审")
    _approve(cli, repo, keys, "chenzhiqiang", "终审")
    tree = repo.repo.head.commit.tree.hexsha
    repo.commit(f"审核签名：复审（王建国）\n\nStage: 复审\nApproves-tree: {tree}", "2026-11-02T09:30:00+08:00",
                author=("王建国", "wangjianguo@example.gov.cn"))
    _merge(repo, branch)
    result = cli(repo.path, "review-check", "HEAD")
    assert result.returncode == 1
    assert "“复审签名”（作者栏写的是 王建国 <wangjianguo@example.gov.cn>）没有 SSH 签名，不算数" in result.stderr
    assert "缺少复审" in result.stderr


def test_an_approval_naming_another_tree_is_malformed(repo, keys, cli):
    """Signed with a listed key, but its message claims a tree that is not its own."""
    branch = _branch(repo, {ELDERLY: _story("敬老院的稿件", "elderly-care")})
    _three(cli, repo, keys)
    old_tree = repo.repo.commit("main").tree.hexsha
    message = f"审核签名：复审（王建国）\n\nStage: 复审\nApproves-tree: {old_tree}\n"
    repo.repo.git.execute(["git", "-c", "gpg.format=ssh", "-c", f"user.signingkey={keys['wangjianguo'].path}",
                           "commit", "-q", "--allow-empty", "-S", "-m", message])
    _merge(repo, branch)
    result = cli(repo.path, "review-check", "HEAD")
    assert result.returncode == 1
    assert f"签名提交写明批准的内容树 {old_tree[:10]} 不是它自己的内容" in result.stderr


def test_a_signature_by_a_key_added_on_the_branch_does_not_count(repo, keys, cli):
    branch_units = (repo.path / "site_config/units.yml").read_text(encoding="utf-8").replace(
        f'github: wangjianguo, ssh_key: "{keys["wangjianguo"].line}"',
        f'github: wangjianguo, ssh_key: ["{keys["wangjianguo"].line}", "{keys["qianzipi"].line}"]')
    branch = _branch(repo, {ELDERLY: _story("敬老院的稿件", "elderly-care"), "site_config/units.yml": branch_units})
    _approve(cli, repo, keys, "sunguohua", "初审")
    signed = _approve(cli, repo, keys, "qianzipi", "复审")  # the branch's units.yml says it is 王建国's
    assert "主线上（main）的 site_config/units.yml 还没有登记你的这把公钥" in signed.stdout
    _approve(cli, repo, keys, "chenzhiqiang", "终审")
    _merge(repo, branch)
    result = cli(repo.path, "review-check", "HEAD")
    assert result.returncode == 1
    assert (f"所用的密钥（{keys['qianzipi'].fingerprint}）没有登记在合并前的 site_config/units.yml 中，不算数。"
            in result.stderr)
    assert "缺少复审" in result.stderr


def test_a_reviewer_added_on_the_branch_does_not_count(repo, keys, cli):
    units = (repo.path / "site_config/units.yml").read_text(encoding="utf-8")
    forged = units.replace("  - {stage: 终审, name: 陈志强",
                           f'  - {{stage: 终审, name: 钱自批, github: qianzipi, ssh_key: "{keys["qianzipi"].line}"}}\n'
                           "  - {stage: 终审, name: 陈志强")
    branch = _branch(repo, {ELDERLY: _story("敬老院的稿件", "elderly-care"), "site_config/units.yml": forged})
    _approve(cli, repo, keys, "sunguohua", "初审")
    _approve(cli, repo, keys, "wangjianguo", "复审")
    _approve(cli, repo, keys, "qianzipi", "终审")
    _merge(repo, branch)
    result = cli(repo.path, "review-check", "HEAD")
    assert result.returncode == 1 and "缺少终审：应由陈志强签署" in result.stderr
    assert f"所用的密钥（{keys['qianzipi'].fingerprint}）没有登记" in result.stderr


def test_a_key_removed_on_main_after_the_branch_began_no_longer_counts(repo, keys, cli):
    branch = _branch(repo, {ELDERLY: _story("敬老院的稿件", "elderly-care")})
    _three(cli, repo, keys)
    repo.checkout("main")
    units = repo.path / "site_config/units.yml"
    revoked = units.read_text(encoding="utf-8").replace(f', ssh_key: "{keys["wangjianguo"].line}"', "")
    repo.commit("王建国的密钥丢失，撤销登记", "2026-11-02T09:45:00+08:00", {"site_config/units.yml": revoked})
    _merge(repo, branch)
    result = cli(repo.path, "review-check", "HEAD")
    assert result.returncode == 1 and "缺少复审" in result.stderr
    assert f"所用的密钥（{keys['wangjianguo'].fingerprint}）没有登记" in result.stderr
    assert "王建国在合并前的 site_config/units.yml 中还没有登记公钥（ssh_key）" in result.stderr


# ------------------------------------------------------------------------ older trees


def test_a_signature_over_an_older_tree_does_not_count(repo, keys, cli):
    branch = _branch(repo, {ELDERLY: _story("敬老院的稿件", "elderly-care")})
    _three(cli, repo, keys)
    repo.commit("签名之后又改了一句", "2026-11-02T09:50:00+08:00", {ELDERLY: _story("敬老院的稿件（改）", "elderly-care")})
    sha = _merge(repo, branch)
    result = cli(repo.path, "review-check", "HEAD")
    assert result.returncode == 1
    assert ("孙国华在提交 " in result.stderr
            and f"签过初审，但签名之后这些文件又改过：{ELDERLY}，须重新签名。" in result.stderr)
    assert "王建国在提交 " in result.stderr and "陈志强在提交 " in result.stderr
    data = json.loads(cli(repo.path, "review-check", sha, "--format", "json").stdout)
    assert {a["status"] for a in data["approvals"]} == {"good"}
    assert [a["changed_since"] for a in data["approvals"]] == [[ELDERLY]] * 3
    # Signing again, on the branch as it is now, covers it.
    repo.repo.git.reset("-q", "--hard", "HEAD~1")
    repo.checkout(branch)
    _three(cli, repo, keys)
    _merge(repo, branch)
    assert cli(repo.path, "review-check", "HEAD").returncode == 0


def test_content_changed_in_the_merge_commit_itself_is_not_covered(repo, keys, cli):
    branch = _branch(repo, {ELDERLY: _story("敬老院的稿件", "elderly-care")})
    _three(cli, repo, keys)
    repo.checkout("main")
    repo.repo.git.merge("-q", "--no-ff", "--no-commit", branch)
    repo.write(ELDERLY, _story("合并时偷改的标题", "elderly-care"))
    repo.repo.git.add(ELDERLY)
    repo.repo.git.commit("-q", "-m", "Merge pull request '稿件'")
    result = cli(repo.path, "review-check", "HEAD")
    assert result.returncode == 1 and f"签名之后这些文件又改过：{ELDERLY}" in result.stderr


def test_main_moving_on_meanwhile_does_not_void_the_signatures(repo, keys, cli):
    """Files the merge does not change (another merge's page) do not matter."""
    branch = _branch(repo, {ELDERLY: _story("敬老院的稿件", "elderly-care")})
    _three(cli, repo, keys)
    repo.checkout("main")
    repo.commit("another change on main", "2026-11-02T09:40:00+08:00", {"site_config/topics.yml": (
        repo.path / "site_config/topics.yml").read_text(encoding="utf-8") + "\n"})
    _merge(repo, branch)
    result = cli(repo.path, "review-check", "HEAD")
    assert result.returncode == 0, result.stderr


def test_a_squash_merge_loses_the_signatures(repo, keys, cli):
    branch = _branch(repo, {ELDERLY: _story("敬老院的稿件", "elderly-care")})
    _three(cli, repo, keys)
    repo.checkout("main")
    repo.repo.git.merge("-q", "--squash", branch)
    repo.repo.git.commit("-q", "-m", "稿件 (#1)")
    result = cli(repo.path, "review-check", "HEAD")
    assert result.returncode == 1 and "这次合并带进来的提交中没有有效的审核签名" in result.stderr
    assert "合并时要用“合并提交”（不要用压缩合并或变基合并）" in result.stderr


# ----------------------------------------------------------------------------- units


def test_a_first_review_by_another_unit_does_not_count(repo, keys, cli):
    branch = _branch(repo, {ELDERLY: _story("敬老院的稿件", "elderly-care")})
    signed = _approve(cli, repo, keys, "liufang", "初审")
    assert "注意：这些页面都不属于你负责初审的单位，你的初审签名在检查时用不上" in signed.stdout
    _approve(cli, repo, keys, "wangjianguo", "复审")
    _approve(cli, repo, keys, "chenzhiqiang", "终审")
    _merge(repo, branch)
    result = cli(repo.path, "review-check", "HEAD")
    assert result.returncode == 1
    assert "缺少养老服务股（elderly-care）的初审：应由孙国华签署" in result.stderr
    assert "没有用上的签名：“提交 " in result.stderr and "（初审签名）”（办公室初审人）" in result.stderr


def test_pages_of_two_units_need_both_first_reviews(repo, keys, cli):
    branch = _branch(repo, {ELDERLY: _story("敬老院的稿件", "elderly-care"), SOCIAL: _story("救助的稿件", "social-assistance")})
    _three(cli, repo, keys)
    _merge(repo, branch)
    result = cli(repo.path, "review-check", "HEAD")
    assert result.returncode == 1 and "缺少社会救助股（social-assistance）的初审：应由赵德明签署" in result.stderr
    repo.repo.git.reset("-q", "--hard", "HEAD~1")
    repo.checkout(branch)
    _approve(cli, repo, keys, "zhaodeming", "初审")
    _merge(repo, branch)
    assert cli(repo.path, "review-check", "HEAD").returncode == 0


def test_one_person_cannot_sign_two_stages(repo, keys, cli):
    units = repo.path / "site_config/units.yml"
    both = units.read_text(encoding="utf-8").replace("{stage: 复审, name: 王建国", "{stage: 终审, name: 王建国")
    both = both.replace("reviewers:\n  - {stage: 终审, name: 王建国",
                        "reviewers:\n  - {stage: 复审, name: 王建国, github: wangjianguo}\n  - {stage: 终审, name: 王建国")
    repo.commit("王建国兼任终审", "2026-11-01T12:00:00+08:00", {"site_config/units.yml": both})
    branch = _branch(repo, {ELDERLY: _story("敬老院的稿件", "elderly-care")})
    _approve(cli, repo, keys, "sunguohua", "初审")
    _approve(cli, repo, keys, "wangjianguo", "复审")
    _approve(cli, repo, keys, "wangjianguo", "终审")
    _merge(repo, branch)
    result = cli(repo.path, "review-check", "HEAD")
    assert result.returncode == 1
    assert "王建国签了2个审核环节（复审（提交 " in result.stderr and "一人只能签一个审核环节" in result.stderr


# --------------------------------------------------------------------------- trailers


def test_trust_trailers_passes_with_a_warning_on_every_run(tmp_path, keys, cli):
    root = new_project(tmp_path / "site", with_sample_pages=False)  # the sample: trust: trailers
    lines = (root / "site_config/units.yml").read_text(encoding="utf-8").splitlines()
    trust_line = lines.index("  trust: trailers") + 1
    repo = GitRepo(root)
    repo.write(OFFICE, _story("办公室的稿件", "office"))
    repo.commit("Base", "2026-11-01T09:00:00+08:00", add_all=True)
    branch = _branch(repo, {ELDERLY: _story("敬老院的稿件", "elderly-care")})
    _merge(repo, branch, "Reviewed-by: 孙国华 <sunguohua@example.gov.cn>",
           "Reviewed-by: 王建国 <wangjianguo@example.gov.cn>", "Approved-by: 陈志强 <chenzhiqiang@example.gov.cn>")
    warning = (f"警告：site_config/units.yml:{trust_line} 设了 review: {{trust: trailers}}（过渡期），"
               "合并说明中手写的签名行也算作三审签名。")
    for _ in range(2):
        result = cli(repo.path, "review-check", "HEAD")
        assert result.returncode == 0, result.stderr
        assert result.stdout.startswith("三审记录齐全：") and warning in result.stdout
    data = json.loads(cli(repo.path, "review-check", "HEAD", "--format", "json").stdout)
    assert data["trust"] == "trailers" and data["warnings"][0].startswith(warning)


def test_trust_trailers_must_be_set_at_both_the_branch_start_and_main(repo, keys, cli):
    """A branch that sets trust: trailers for itself still needs signatures."""
    units = repo.path / "site_config/units.yml"
    lax = units.read_text(encoding="utf-8") + "  trust: trailers\n"
    branch = _branch(repo, {ELDERLY: _story("敬老院的稿件", "elderly-care"), "site_config/units.yml": lax})
    _merge(repo, branch, "Reviewed-by: 孙国华 <sunguohua@example.gov.cn>",
           "Reviewed-by: 王建国 <wangjianguo@example.gov.cn>", "Approved-by: 陈志强 <chenzhiqiang@example.gov.cn>")
    result = cli(repo.path, "review-check", "HEAD")
    assert result.returncode == 1 and "合并说明中手写的签名行不算数" in result.stderr


# ------------------------------------------------------------------------ the command


def test_approve_refuses_what_it_cannot_sign(repo, keys, cli):
    result = cli(repo.path, "approve", "--key", str(keys["wangjianguo"].path))
    assert result.returncode == 1 and "当前在主线分支 main 上：审核签名要签在拉取请求的分支上" in result.stderr
    _branch(repo, {ELDERLY: _story("敬老院的稿件", "elderly-care")})
    repo.write(ELDERLY, "改了没提交\n")
    result = cli(repo.path, "approve", "--key", str(keys["wangjianguo"].path))
    assert result.returncode == 1 and f"本地有没有提交的改动（{ELDERLY}）" in result.stderr
    repo.repo.git.checkout("--", ELDERLY)
    result = cli(repo.path, "approve", "--key", str(keys["qianzipi"].path))
    assert result.returncode == 1
    assert f"你的公钥（{keys['qianzipi'].fingerprint}）没有登记在 site_config/units.yml 中" in result.stderr
    result = cli(repo.path, "approve", "--key", str(keys["sunguohua"].path), "--stage", "终审")
    assert result.returncode == 1 and "孙国华不能签终审（孙国华是养老服务股初审人）" in result.stderr
    result = cli(repo.path, "approve", "--key", str(keys["wangjianguo"].path))  # 复审, and 应急 by emergency: true
    assert result.returncode == 0, result.stderr
    assert "以复审身份签名" in result.stdout
    again = cli(repo.path, "approve", "--key", str(keys["wangjianguo"].path), "--stage", "复审")
    assert again.returncode == 0 and "你已经签过：提交 " in again.stdout
    assert repo.repo.git.rev_list("--count", "main..HEAD") == "2"  # the story and one approval
    result = cli(repo.path, "approve")
    assert result.returncode == 2 and "还没有设置签名密钥：第一次签名前先运行 scripts/mzpress approve --setup" in result.stderr


def test_setup_makes_a_key_configures_this_repository_and_prints_the_line(repo, keys, cli, monkeypatch, tmp_path):
    home = tmp_path / "home"
    monkeypatch.setenv("HOME", str(home))
    repo.repo.git.config("user.email", "wangjianguo@example.gov.cn")
    result = cli(repo.path, "approve", "--setup", "--no-passphrase")
    assert result.returncode == 0, result.stderr
    private = home / ".ssh/mzpress_review"
    assert private.is_file() and (home / ".ssh/mzpress_review.pub").is_file()
    assert repo.repo.git.config("--local", "gpg.format") == "ssh"
    assert repo.repo.git.config("--local", "user.signingkey") == str(private)
    key, _ = parse_public_key((home / ".ssh/mzpress_review.pub").read_text(encoding="utf-8"))
    assert f'  ssh_key: "{key.line}"' in result.stdout
    assert "请把下面这一行发给办公室（信息中心）" in result.stdout
    assert (f'  - {{stage: 复审, name: 王建国, github: wangjianguo, role: 办公室主任, emergency: true, '
            f'ssh_key: "{key.line}"}}') in result.stdout
    # Run again: the key is reused, not replaced.
    again = cli(repo.path, "approve", "--setup", "--no-passphrase")
    assert again.returncode == 0 and f"使用已有的密钥 {private}。" in again.stdout
    assert (home / ".ssh/mzpress_review.pub").read_text(encoding="utf-8").split()[1] == key.body
    # Registered on main, the configured key signs without --key.
    units = repo.path / "site_config/units.yml"
    old = f'ssh_key: "{keys["wangjianguo"].line}"'
    registered = units.read_text(encoding="utf-8").replace(old, f'ssh_key: ["{keys["wangjianguo"].line}", "{key.line}"]')
    repo.commit("登记王建国的新公钥", "2026-11-01T12:00:00+08:00", {"site_config/units.yml": registered})
    assert key in load_config(repo.path)[0].bureau_reviewers[0].ssh_keys
    _branch(repo, {ELDERLY: _story("敬老院的稿件", "elderly-care")})
    signed = cli(repo.path, "approve")
    assert signed.returncode == 0, signed.stderr
    assert "已签名：提交 " in signed.stdout and key.fingerprint in signed.stdout


# ------------------------------------------------------------------------------ config


def test_ssh_keys_in_units_yml_are_validated_with_file_and_line(tmp_path, keys):
    root = new_project(tmp_path / "p", with_sample_pages=False)
    units = root / "site_config/units.yml"
    text = units.read_text(encoding="utf-8")
    text = text.replace("github: liufang}", 'github: liufang, ssh_key: "-----BEGIN OPENSSH PRIVATE KEY----- b3Blbn"}')
    text = text.replace("github: zhaodeming}", "github: zhaodeming, ssh_key: ~/.ssh/mzpress_review.pub}")
    text = text.replace("github: sunguohua}", 'github: sunguohua, ssh_key: "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIbroken"}')
    text = text.replace("github: zhengyonggang}", f'github: zhengyonggang, ssh_key: "{keys["qianzipi"].line}"}}')
    text = text.replace("github: malixin}", f'github: malixin, ssh_key: ["{keys["qianzipi"].line}"]}}')
    text = text.replace("github: linhaitao}", f'github: linhaitao, ssh_key: ["{keys["liufang"].line} liufang@pc", '
                                              f'"{keys["sunguohua"].line}"], emergency: 是}}')
    text = text.replace("officer: {name: 徐丹, github: xudan}", f'officer: {{name: 徐丹, github: xudan, ssh_key: "{keys["chenzhiqiang"].line}"}}')
    units.write_text(text, encoding="utf-8")
    lines = text.splitlines()

    def line_of(fragment: str) -> int:
        return next(i for i, line in enumerate(lines, 1) if fragment in line)

    config, findings = load_config(root)
    got = {(f.line, f.message) for f in findings}
    assert all(f.file == "site_config/units.yml" and f.severity == "error" for f in findings)
    assert (line_of("github: liufang,"), "这里写的是私钥（PRIVATE KEY）：私钥只能留在审核人自己的电脑上，"
            "绝不能写进 units.yml 或发给别人。") in got
    assert (line_of("github: zhaodeming,"), "“~/.ssh/mzpress_review.pub”像是文件名：这里要写公钥本身，"
            "不是公钥文件的位置。") in got
    assert any(line == line_of("github: sunguohua,") and "不完整或抄错了" in message for line, message in got)
    assert (line_of("github: malixin,"), f"马立新的公钥与第{line_of('github: zhengyonggang,')}行郑永刚的公钥是同一把"
            f"（{keys['qianzipi'].fingerprint}）。") in got
    assert (line_of("github: linhaitao,"), "应急撤稿权（emergency）只能写 true 或 false，现在是“是”。") in got
    assert (line_of("officer: {name: 徐丹"), "信息宣传员不审核稿件，这里写的审核公钥（ssh_key）或应急撤稿权（emergency）"
            "不会起作用。") in got
    assert len(findings) == 6, findings
    lin = config.unit_by_id["social-organizations"].reviewers[0]
    assert [k.line for k in lin.ssh_keys] == [keys["liufang"].line, keys["sunguohua"].line]  # comment dropped
    assert [p.emergency for p in config.bureau_reviewers] == [True, True, False]


# -------------------------------------------------------------------- emergency take-down


PHOTO = "content/stories/2026/images/jinglao.jpg"
BULLETIN = "content/stories/2026/jianbao.md"  # a page carrying a copy of the story


def _published(cli, repo: GitRepo, keys) -> str:
    """The elderly-care story with its photo and a bulletin quoting it, merged with a full 三审."""
    branch = _branch(repo, {ELDERLY: _story("敬老院的稿件", "elderly-care"), PHOTO: "jpeg",
                            BULLETIN: story_text(title="民政简报", date="2026-11-01", unit="office",
                                                 body="一、敬老院的稿件：张三住址在城关镇某村。\n\n二、其他工作。\n")})
    _approve(cli, repo, keys, "sunguohua", "初审")
    _approve(cli, repo, keys, "liufang", "初审")
    _approve(cli, repo, keys, "wangjianguo", "复审")
    _approve(cli, repo, keys, "chenzhiqiang", "终审")
    merge = _merge(repo, branch)
    assert cli(repo.path, "review-check", merge).returncode == 0
    return merge


def _take_down(repo: GitRepo, keys, files: dict, account: str = "wangjianguo", signed: bool = True) -> str:
    """A take-down committed straight to main, as one commit signed 应急 by ``account`` (sign_staged)."""
    from mzpress.history.approvals import approval_trailers, sign_staged
    from mzpress.history.ledger import Ledger

    for relpath, text in files.items():
        if text is None:
            repo.repo.git.rm("-q", "--", relpath)
        else:
            repo.write(relpath, text)
            repo.repo.git.add("--", relpath)
    ledger = Ledger(repo.path)
    if signed:
        return sign_staged(ledger, "应急", "应急撤稿：敬老院的稿件", "原因类别：个人信息", str(keys[account].path))
    tree = repo.repo.git.write_tree()
    repo.repo.git.commit("-q", "-m", f"应急撤稿：敬老院的稿件\n\n{approval_trailers('应急', tree)}")
    return repo.head()


def _withdrawn(title: str = "敬老院的稿件", redirect: str = "") -> str:
    extra = ("withdrawn:\n  date: 2026-11-03 09:30\n  reason: 含个人信息\n  unpublish: true\n"
             + (f"  redirect: {redirect}\n" if redirect else ""))
    return story_text(title=title, date="2026-11-01", unit="elderly-care", body=f"{title}的正文。\n" * 5, extra=extra)


def test_an_emergency_take_down_passes_with_one_signature_and_awaits_review(repo, keys, cli):
    _published(cli, repo, keys)
    takedown = _take_down(repo, keys, {ELDERLY: _withdrawn(), PHOTO: None,
                                       BULLETIN: story_text(title="民政简报", date="2026-11-01", unit="office",
                                                            body="一、（此条已撤下）\n\n二、其他工作。\n")})
    result = cli(repo.path, "review-check", "HEAD")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert out.startswith(f"应急撤稿：提交 {takedown[:7]}“应急撤稿：敬老院的稿件”只撤下页面，有应急签名，可以发布。")
    assert "应急撤稿：王建国（SSH 签名，提交 " in out
    for stage in ("养老服务股（elderly-care）的初审，应由孙国华", "办公室（office）的初审，应由刘芳", "复审，应由王建国",
                  "终审，应由陈志强"):
        assert f"待事后补审：{stage}" in out, out
    assert f"scripts/mzpress approve --stage 终审 --commit {takedown[:7]}" in out
    data = json.loads(cli(repo.path, "review-check", "HEAD", "--format", "json").stdout)
    assert data["passed"] is True and data["emergency"] is True
    assert data["after_the_fact"]["complete"] is False and len(data["after_the_fact"]["awaiting"]) == 4

    history = cli(repo.path, "history", str(repo.path / ELDERLY)).stdout
    assert ("审核人：应急撤稿 王建国（SSH 签名，提交 " in history
            and "应急撤稿，待事后补审：养老服务股初审、复审、终审" in history and "刘芳" not in history.split("[2]")[0])

    # 事后补审: after-the-fact approvals of the take-down commit, merged through a pull request.
    repo.branch("after-the-fact")
    for account, stage in (("sunguohua", "初审"), ("liufang", "初审"), ("wangjianguo", "复审"), ("chenzhiqiang", "终审")):
        signed = cli(repo.path, "approve", "--key", str(keys[account].path), "--stage", stage, "--commit", takedown[:10])
        assert signed.returncode == 0, signed.stderr
        assert f"以{stage}身份事后补审提交 {takedown[:10]}" in signed.stdout and "已补签：提交 " in signed.stdout
    merge = _merge(repo, "after-the-fact")
    empty = cli(repo.path, "review-check", merge)
    assert empty.returncode == 0 and "这次提交没有改动任何文件，不发布新内容，不需要审核签名。" in empty.stdout
    result = cli(repo.path, "review-check", takedown)
    assert result.returncode == 0, result.stderr
    assert "事后补审已齐全：三审签名都已覆盖这次撤稿。" in result.stdout and "待事后补审" not in result.stdout
    assert "事后补审已签：终审：陈志强（SSH 签名，提交 " in result.stdout
    history = cli(repo.path, "history", str(repo.path / ELDERLY)).stdout.split("[2]")[0]  # the take-down
    assert "应急撤稿 王建国" in history and "养老服务股初审 孙国华（SSH 签名" in history and "待事后补审" not in history
    assert "刘芳" not in history


def test_an_emergency_signature_does_not_pass_anything_but_a_take_down(repo, keys, cli):
    _published(cli, repo, keys)
    added = story_text(title="民政简报", date="2026-11-01", unit="office",
                       body="一、敬老院的稿件：张三住址在城关镇某村。\n\n二、其他工作，新加一句。\n")
    _take_down(repo, keys, {ELDERLY: _withdrawn(), BULLETIN: added})
    result = cli(repo.path, "review-check", "HEAD")
    assert result.returncode == 1
    assert ("应急签名（王建国（提交 " in result.stderr and "只能用于应急撤稿" in result.stderr
            and f"{BULLETIN} 的改动不只是删去文字、换成“（此条已撤下）”" in result.stderr)
    repo.repo.git.reset("-q", "--hard", "HEAD~1")
    _take_down(repo, keys, {ELDERLY: _withdrawn(redirect="https://phish.example.com/")})
    result = cli(repo.path, "review-check", "HEAD")
    assert result.returncode == 1 and f"撤下 {ELDERLY} 时还改了信息区的其他内容（跳转地址 redirect）" in result.stderr
    repo.repo.git.reset("-q", "--hard", "HEAD~1")
    _take_down(repo, keys, {ELDERLY: _withdrawn(title="改过的标题")})
    result = cli(repo.path, "review-check", "HEAD")
    assert result.returncode == 1 and f"撤下 {ELDERLY} 时还改了信息区的其他内容" in result.stderr
    repo.repo.git.reset("-q", "--hard", "HEAD~1")
    _take_down(repo, keys, {ELDERLY: None, "overrides/extra.txt": "x\n"})
    result = cli(repo.path, "review-check", "HEAD")
    assert result.returncode == 1 and "还改动了 content/ 以外的文件（overrides/extra.txt）" in result.stderr


def test_an_emergency_take_down_needs_a_valid_signature_of_the_emergency_role(repo, keys, cli):
    _published(cli, repo, keys)
    _take_down(repo, keys, {ELDERLY: None}, account="sunguohua")  # a 初审 reviewer without emergency: true
    result = cli(repo.path, "review-check", "HEAD")
    assert result.returncode == 1 and result.stdout == ""
    assert "孙国华签了应急撤稿（提交 " in result.stderr and "此人没有应急撤稿权（emergency: true），这一签名不算数" \
        in result.stderr and "缺少复审" in result.stderr
    repo.repo.git.reset("-q", "--hard", "HEAD~1")
    _take_down(repo, keys, {ELDERLY: None}, signed=False)
    result = cli(repo.path, "review-check", "HEAD")
    assert result.returncode == 1 and "“应急撤稿签名”（作者栏写的是 " in result.stderr and "没有 SSH 签名" in result.stderr
