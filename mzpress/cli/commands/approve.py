"""``mzpress approve``: a reviewer signs the content of a pull request's branch with their SSH key.

``scripts/mzpress approve [--stage 初审|复审|终审|应急|技术]`` makes the signed empty approval commit described in
:mod:`mzpress.history.approvals` on the current branch: it names the stage and the tree (the branch's
content at this moment), and git signs it with the reviewer's SSH key (``gpg.format=ssh``,
``user.signingkey``). Before signing it says who signs (the person units.yml lists with this key),
which stage, and what the branch changes compared with main; it refuses on main, on a detached HEAD,
with uncommitted changes (they would not be covered), with a key units.yml does not list, and for a
stage the person may not sign. After signing it verifies the new commit the way ``review-check`` will.

``mzpress approve --stage 复审 --commit SHA`` signs an after-the-fact approval (事后补审) of one commit
already on main, an emergency take-down that went out with its single 应急 signature: an empty commit
naming the stage and ``Approves-commit: SHA``.

``mzpress approve --setup`` is the one-time preparation: it makes an ed25519 key in
``~/.ssh/mzpress_review`` (or reuses the key ``--key`` names), sets ``gpg.format=ssh`` and
``user.signingkey`` for this repository only, and prints the ``ssh_key:`` line the office adds to the
reviewer's entry in ``site_config/units.yml``.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import git

from mzpress.cli.refused import Refused
from mzpress.history.approvals import (
    Approval,
    SigningFailed,
    after_the_fact_message,
    approval_message,
    find_approvals,
    find_later_approvals,
    sign_approval,
    verify,
)
from mzpress.history.ledger import Ledger, LedgerUnavailable, first_line, git_problem
from mzpress.history.review_check import changed_content, config_at, shown_files, site_code_files
from mzpress.history.reviewers import Reviewer, reviewer_with_key, reviewers_of, roles_text
from mzpress.model.config import CONFIG_DIR, SiteConfig, load_config
from mzpress.model.findings import FindingsError
from mzpress.model.project import find_root
from mzpress.model.review_policy import (
    APPROVAL_STAGES,
    EMERGENCY_STAGE,
    PublicKey,
    parse_public_key,
    stage_label,
)

DEFAULT_KEY = "~/.ssh/mzpress_review"
MIN_GIT = (2, 34)  # the first git with SSH signing


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "approve", help="审核签名：审核人用自己的 SSH 密钥签名批准当前分支的内容",
        description="在拉取请求的分支上运行：审核人核对内容后，用自己的 SSH 密钥签名批准这个分支此刻的全部内容"
                    "（生成一个签名提交，再用 git push 推送）。签名之后内容再有改动，要重新签名。"
                    "第一次使用先运行 scripts/mzpress approve --setup：生成密钥、设置 git，并打印要交办公室登记进 "
                    "site_config/units.yml 的那一行。退出码：0已签名，1不能签名，2无法运行。")
    parser.add_argument("--stage", choices=APPROVAL_STAGES, metavar="环节",
                        help=f"签哪个环节：{'、'.join(APPROVAL_STAGES)}（默认：units.yml 中你唯一的审核环节）")
    parser.add_argument("--setup", action="store_true",
                        help="第一次使用：生成或选用签名密钥，只为本仓库设置 git，打印要登记进 units.yml 的一行")
    parser.add_argument("--key", metavar="密钥文件",
                        help=f"与 --setup 一起用：密钥放在哪里（默认 {DEFAULT_KEY}，已有就直接用）；"
                             "签名时：改用这把密钥（默认用 --setup 设置的那把）")
    parser.add_argument("--commit", metavar="提交号", default=None,
                        help="事后补审：签名批准主线上已发布的这个提交（如应急撤稿），而不是当前分支的内容")
    parser.add_argument("--base", metavar="主线分支", default=None,
                        help="与哪个主线分支比较，列出这次签名批准的改动（默认 origin/main，没有就用 main）")
    parser.add_argument("--no-passphrase", action="store_true",
                        help="与 --setup 一起用：生成的密钥不设口令（不推荐，只用于专人专用、锁屏的电脑）")
    parser.set_defaults(func=run)


def run(args) -> int:
    root = find_root(args.root)
    try:
        ledger = Ledger(root)
        if args.setup:
            return _setup(args, root, ledger)
        return _approve(args, root, ledger)
    except Refused as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return exc.code
    except (LedgerUnavailable, git.GitCommandError) as exc:
        print(f"错误：{git_problem(exc)}", file=sys.stderr)
        return 2


# -------------------------------------------------------------------------------- keys


def _public_key(signing_key: str) -> PublicKey:
    """The public key of ``user.signingkey`` (a key file, its .pub, or ``key::ssh-ed25519 …``)."""
    if signing_key.startswith("key::"):
        text, where = signing_key[len("key::"):], "user.signingkey"
    else:
        path = Path(signing_key).expanduser()
        public = path if path.suffix == ".pub" else path.with_name(path.name + ".pub")
        if not public.is_file():
            raise Refused(f"找不到公钥文件 {public}：签名密钥 {signing_key} 要有对应的 .pub 文件。"
                          "请重新运行 scripts/mzpress approve --setup。", 2)
        text, where = public.read_text(encoding="utf-8", errors="replace"), str(public)
    key, problem = parse_public_key(text)
    if problem is not None:
        raise Refused(f"{where}：{problem[0]}{problem[1]}", 2)
    return key


def _signing_key(args, ledger: Ledger) -> str:
    if args.key:
        return str(Path(args.key).expanduser())
    try:
        value = ledger.git_text("config", "user.signingkey").strip()
    except git.GitCommandError:
        value = ""
    if not value:
        raise Refused("还没有设置签名密钥：第一次签名前先运行 scripts/mzpress approve --setup"
                      "（生成密钥并设置 git，再把它打印的那一行交办公室登记）。", 2)
    return value


def _git_version() -> tuple[int, ...]:
    try:
        out = subprocess.run(["git", "--version"], capture_output=True, text=True, check=False).stdout
    except OSError:
        return ()
    match = re.search(r"(\d+)\.(\d+)", out)
    return (int(match.group(1)), int(match.group(2))) if match else ()


# ------------------------------------------------------------------------------- setup


def _config_value(ledger: Ledger, name: str) -> str:
    try:
        return ledger.git_text("config", name).strip()
    except git.GitCommandError:
        return ""


def _entry(person_line: dict, key: PublicKey) -> str:
    parts = [f"{k}: {v}" for k, v in person_line.items() if v]
    return "  - {" + ", ".join([*parts, f'ssh_key: "{key.line}"']) + "}"


def _guess_person(config: SiteConfig, email: str, name: str) -> dict | None:
    """The units.yml entry of the person running --setup: by account (the e-mail's local part) or name."""
    handle = email.split("@", 1)[0].lower() if email else ""
    people = [p for unit in config.units for p in unit.reviewers] + list(config.bureau_reviewers)
    found = [p for p in people if handle and p.github.lower() == handle] or [p for p in people if name and p.name == name]
    if not found:
        return None
    person = found[0]
    return {"stage": person.stage, "name": person.name, "github": person.github, "role": person.role,
            "emergency": "true" if person.emergency else ""}


def _setup(args, root: Path, ledger: Ledger) -> int:
    if shutil.which("ssh-keygen") is None:
        raise Refused("找不到 ssh-keygen 程序。Windows 10/11：设置→应用→可选功能→添加“OpenSSH 客户端”；"
                      "统信UOS、麒麟等：安装 openssh-client。装好后重新运行 scripts/mzpress approve --setup。", 2)
    version = _git_version()
    if version and version < MIN_GIT:
        raise Refused(f"git 版本是{'.'.join(map(str, version))}，SSH 签名需要2.34或更高版本：请先升级 git。", 2)
    path = Path(args.key or DEFAULT_KEY).expanduser()
    if path.suffix == ".pub":
        raise Refused(f"--key 要写私钥文件的位置（不带 .pub），例如 {path.with_suffix('')}。", 2)
    email, name = _config_value(ledger, "user.email"), _config_value(ledger, "user.name")
    if path.exists():
        print(f"使用已有的密钥 {path}。")
        public = path.with_name(path.name + ".pub")
        if not public.is_file():
            result = subprocess.run(["ssh-keygen", "-y", "-f", str(path)], capture_output=True, text=True, check=False)
            if result.returncode != 0:
                raise Refused(f"读不出密钥 {path} 的公钥（{first_line(result.stderr)}）。", 2)
            public.write_text(result.stdout, encoding="utf-8")
    else:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        print(f"现在生成签名密钥 {path}（ed25519）。")
        if not args.no_passphrase:
            print("ssh-keygen 会请你设置口令（passphrase）两次：每次签名时都要输入，请记牢，不要告诉任何人。")
        command = ["ssh-keygen", "-q", "-t", "ed25519", "-a", "64", "-C", f"{email or name or 'reviewer'} mzpress-review",
                   "-f", str(path)]
        if args.no_passphrase:
            command[1:1] = ["-N", ""]
        result = subprocess.run(command, check=False)
        if result.returncode != 0 or not path.exists():
            raise Refused("生成密钥没有成功（见上面 ssh-keygen 的提示）。请重新运行 scripts/mzpress approve --setup。", 2)
    key = _public_key(str(path))
    ledger.git_text("config", "--local", "gpg.format", "ssh")
    ledger.git_text("config", "--local", "user.signingkey", str(path))
    lines = ["", "签名密钥已设置好（只对本仓库有效）：",
             f"  私钥文件：{path}（只留在这台电脑上，不要发给任何人，也不要拷到别处）",
             f"  公钥指纹：{key.fingerprint}",
             f"  git 设置：gpg.format=ssh，user.signingkey={path}"]
    if not email or not name:
        lines.append("  还要设置你的姓名和邮箱（签名提交上显示）：git config user.name \"姓名\"，git config user.email 邮箱")
    config, _ = load_config(root)
    owner = reviewer_with_key(reviewers_of(config), key)
    if owner is not None:
        lines += ["", f"这把公钥已经登记在 {CONFIG_DIR}/units.yml 中（{owner.name}，{roles_text(owner, config)}）："
                  "登记已合并到主线的，审核时在拉取请求的分支上运行 scripts/mzpress approve 即可签名。"]
    else:
        lines += ["", f"请把下面这一行发给办公室（信息中心），由其登记到 {CONFIG_DIR}/units.yml 中你的那一项，"
                  "经三审合并到主线后，你的签名才算数：", f'  ssh_key: "{key.line}"']
        person = _guess_person(config, email, name)
        if person is not None:
            lines += ["登记后你那一项应当是：", _entry(person, key)]
        lines.append("登记合并之后，审核时在拉取请求的分支上运行 scripts/mzpress approve 即可签名。")
    print("\n".join(lines))
    return 0


# ----------------------------------------------------------------------------- approve


def _current_branch(ledger: Ledger) -> str:
    try:
        return ledger.git_text("symbolic-ref", "--short", "-q", "HEAD").strip()
    except git.GitCommandError:
        return ""


def _base_ref(args, ledger: Ledger) -> str | None:
    candidates = [args.base] if args.base else ["origin/main", "main"]
    return next((ref for ref in candidates if ledger.resolve_commit(ref)), None)


def _stage(args, reviewer: Reviewer, config: SiteConfig) -> str:
    may = reviewer.stages
    if args.stage:
        if args.stage not in may:
            raise Refused(f"按 {CONFIG_DIR}/units.yml，{reviewer.name}不能签{stage_label(args.stage)}"
                          f"（{reviewer.name}是{roles_text(reviewer, config)}）。")
        return args.stage
    usual = [s for s in may if s != EMERGENCY_STAGE]
    if len(usual) == 1:
        return usual[0]
    raise Refused(f"{reviewer.name}可以签{'、'.join(stage_label(s) for s in may)}：请用 --stage 写明这次签哪个环节，"
                  f"例如 scripts/mzpress approve --stage {usual[0] if usual else may[0]}。")


def _scope_lines(ledger: Ledger, fork: str, reviewer: Reviewer, stage: str, config: SiteConfig) -> list[str]:
    files = changed_content(ledger, fork, "HEAD")
    code = site_code_files(ledger, fork, "HEAD")
    others = ledger.git_text("diff", "--name-only", "-z", "--no-renames", fork, "HEAD", "--").split("\0")
    lines = []
    for changed in files:
        unit = config.unit_by_id.get(changed.unit_id or "")
        owner = f"（{unit.name}）" if unit else (f"（单位“{changed.unit_id}”）" if changed.unit_id else "")
        lines.append(f"    {changed.relpath}{owner}")
    if code:
        lines.append(f"    网站代码：{shown_files(code, 10)}")
    rest = len([p for p in others if p]) - len(files) - len(code)
    if rest > 0:
        lines.append(f"    其他文件{rest}个（site_config/、说明文档等）")
    if not lines:
        lines.append("    （与主线相比没有改动）")
    if stage == "初审":
        units = {f.unit_id for f in files if f.unit_id}
        mine = sorted(u for u in units if reviewer.may_sign("初审", u))
        if units and not mine:
            lines.append(f"  注意：这些页面都不属于你负责初审的单位，你的初审签名在检查时用不上"
                         f"（你是{roles_text(reviewer, config)}）。")
    return lines


def _after_the_fact(args, ledger: Ledger, reviewer: Reviewer, reviewers: list[Reviewer], stage: str,
                    signing_key: str, config: SiteConfig) -> int:
    """``--commit SHA``: an after-the-fact approval of a commit already on main (事后补审)."""
    if stage == EMERGENCY_STAGE:
        raise Refused("应急签名只能签在撤稿提交本身，不能事后补签；事后补审请签初审、复审或终审。")
    sha = ledger.resolve_commit(args.commit)
    if sha is None:
        raise Refused(f"找不到提交“{args.commit}”：请先 git fetch，再写撤稿提交的提交号。")
    try:
        ledger.git_text("merge-base", "--is-ancestor", sha, "HEAD")
    except git.GitCommandError:
        raise Refused(f"提交 {sha[:7]} 不在当前分支的历史中：请先把主线合并进本分支（git merge origin/main），再补签。") from None
    subject = ledger.git_text("log", "-1", "--format=%s", sha).strip()
    print(f"{reviewer.name}（{roles_text(reviewer, config)}）以{stage_label(stage)}身份事后补审提交 {sha[:10]}“{subject}”：")
    changes = ledger.git_text("diff", "--name-status", "--no-renames", f"{sha}^", sha, "--").strip().splitlines() \
        if ledger.resolve_commit(f"{sha}^") else []
    print("\n".join(f"    {line}" for line in changes) or "    （这个提交没有改动文件）")
    already = [a for a in verify(ledger, find_later_approvals(ledger, sha), reviewers)
               if a.valid and a.reviewer.key == reviewer.key and a.stage == stage]
    if already:
        print(f"你已经补签过：提交 {already[-1].short}，不用再签。还没推送的话，运行 git push。")
        return 0
    message = after_the_fact_message(stage, sha, subject, reviewer.name)
    try:
        signed = sign_approval(ledger, message, signing_key)
    except SigningFailed as exc:
        raise Refused(f"签名没有成功（{exc}）。常见原因：密钥口令输错；密钥文件不在 {signing_key}。") from None
    tree = ledger.git_text("rev-parse", f"{signed}^{{tree}}").strip()
    (approval,) = verify(ledger, [Approval(signed, stage, "", tree, "", approves_commit=sha)], reviewers)
    if not approval.valid:
        raise Refused(f"签名提交 {signed[:7]} 已生成，但核对签名没有通过（{approval.status}）：请联系技术审核人。")
    print(f"已补签：提交 {signed[:7]}（{stage_label(stage)}，密钥 {approval.fingerprint}）。"
          "下一步：运行 git push，经拉取请求合并到主线。")
    return 0


def _approve(args, root: Path, ledger: Ledger) -> int:
    branch = _current_branch(ledger)
    base = _base_ref(args, ledger)
    main_name = (args.base or "main").removeprefix("origin/")
    if not branch:
        raise Refused("当前不在任何分支上（detached HEAD）：签名提交会无处安放。请先切换到拉取请求的分支：git switch 分支名。")
    if branch == main_name or branch in ("main", "master"):
        raise Refused(f"当前在主线分支 {branch} 上：审核签名要签在拉取请求的分支上，随合并一起进入主线。"
                      "请先 git fetch，再 git switch 拉取请求的分支名，然后重新运行。")
    dirty = [line[3:] for line in ledger.git_text("status", "--porcelain", "--untracked-files=no").splitlines() if line]
    if dirty:
        raise Refused(f"本地有没有提交的改动（{shown_files(dirty)}）：签名只批准已经提交的内容，这些改动不在其中。"
                      "请先放弃这些改动（git restore 文件名，或 git stash），需要修改的请告诉作者，再重新运行。")
    signing_key = _signing_key(args, ledger)
    key = _public_key(signing_key)
    config, findings = load_config(root)
    units_errors = [f for f in findings if f.file == f"{CONFIG_DIR}/units.yml" and f.severity == "error"]
    if units_errors:
        raise FindingsError(units_errors)
    reviewers = reviewers_of(config)
    reviewer = reviewer_with_key(reviewers, key)
    if reviewer is None:
        raise Refused(f"你的公钥（{key.fingerprint}）没有登记在 {CONFIG_DIR}/units.yml 中，签了也不算数："
                      "请把 scripts/mzpress approve --setup 打印的那一行交办公室登记，合并到主线后再签名。")
    stage = _stage(args, reviewer, config)
    if args.commit:
        return _after_the_fact(args, ledger, reviewer, reviewers, stage, signing_key, config)
    head = ledger.git_text("rev-parse", "HEAD").strip()
    tree = ledger.git_text("rev-parse", "HEAD^{tree}").strip()
    fork = ledger.git_text("merge-base", "HEAD", base).strip() if base else ""
    subject = ledger.git_text("log", "-1", "--format=%s", "HEAD").strip()
    print(f"{reviewer.name}（{roles_text(reviewer, config)}）以{stage_label(stage)}身份签名，"
          f"批准分支 {branch} 此刻的全部内容：")
    print(f"  最新提交：{head[:10]}  {subject}")
    if fork:
        print(f"  与 {base} 相比改动了：")
        print("\n".join(_scope_lines(ledger, fork, reviewer, stage, config)))
    else:
        print(f"  注意：找不到主线分支 {args.base or 'origin/main 或 main'}，无法列出改动；用 --base 写明主线分支。")
    if fork:
        already = [a for a in verify(ledger, find_approvals(ledger, fork, head), reviewers)
                   if a.valid and a.reviewer.key == reviewer.key and a.stage == stage and a.tree == tree]
        if already:
            print(f"你已经签过：提交 {already[-1].short} 以{stage_label(stage)}身份批准了同样的内容，不用再签。"
                  "还没推送的话，运行 git push。")
            return 0
        try:
            at_main = reviewer_with_key(reviewers_of(config_at(ledger, fork)), key)
        except FindingsError:
            at_main = None
        if at_main is None:
            print(f"  注意：主线上（{base}）的 {CONFIG_DIR}/units.yml 还没有登记你的这把公钥：这次签名在检查时不算数，"
                  "等登记合并到主线后，把主线合并进本分支再重新签名。")
    message = approval_message(stage, tree, head, reviewer.name)
    try:
        sha = sign_approval(ledger, message, signing_key)
    except SigningFailed as exc:
        raise Refused(f"签名没有成功（{exc}）。常见原因：密钥口令输错；密钥文件不在 {signing_key}；"
                      "git 版本低于2.34。可重新运行 scripts/mzpress approve --setup 检查设置。") from None
    (approval,) = verify(ledger, [Approval(sha, stage, tree, tree, "")], reviewers)
    if not approval.valid:
        raise Refused(f"签名提交 {sha[:7]} 已生成，但核对签名没有通过（{approval.status}）：请联系技术审核人。"
                      "可用 git reset --hard HEAD~1 撤掉这个提交。")
    print(f"已签名：提交 {sha[:7]}（{stage_label(stage)}，密钥 {approval.fingerprint}）。")
    print("下一步：运行 git push，把签名推送到拉取请求。签名之后分支上再有任何改动，都要重新签名。")
    return 0
